// Registers the service worker (web/src/offline/service-worker.js, emitted as
// sw.js by the build) that keeps the whole site usable offline after a first
// visit. Not in the dev server: there the files change all the time.

/** Resolves to true once a service worker controls (or will control) the site. */
export async function registerOffline() {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return false;
  try {
    await navigator.serviceWorker.register('./sw.js');
    await navigator.serviceWorker.ready;
    return true;
  } catch {
    return false; // e.g. a file:// page or a browser with service workers disabled
  }
}
