// The offline service worker, emitted as sw.js by the build
// (tools/precache-plugin.mjs puts the list of built files and a version in
// front of this file). After a first visit every file of the site (pages,
// scripts, styles, the engine, KaTeX's fonts, the chapters inside the
// scripts) is in the cache and the site keeps working with the network off.
//   pages (navigations): the network first, so an update shows at once;
//     the cached copy when offline.
//   everything else: the cache first (file names carry content hashes; the
//     engine changes with the version), then the network, caching what came.
/* global PRECACHE, VERSION */
const CACHE = `gradlab-${VERSION}`;
const scope = new URL(self.registration.scope);
const toURL = (path) => new URL(path, scope).href;

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      await cache.addAll(PRECACHE.map(toURL));
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) {
        if (key.startsWith('gradlab-') && key !== CACHE) await caches.delete(key);
      }
      await self.clients.claim();
    })(),
  );
});

async function fromNetworkThenCache(request) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok) cache.put(request, response.clone());
    return response;
  } catch (err) {
    const cached = await cache.match(request, { ignoreSearch: true });
    if (cached) return cached;
    throw err;
  }
}

async function fromCacheThenNetwork(request) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(request, { ignoreSearch: true });
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok && response.type === 'basic') cache.put(request, response.clone());
  return response;
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET' || !request.url.startsWith(scope.href)) return;
  if (request.mode === 'navigate') {
    // "…/" and "…/index.html" are one page.
    const url = new URL(request.url);
    if (url.pathname.endsWith('/')) {
      event.respondWith(
        fromNetworkThenCache(request).catch(async () => (await caches.open(CACHE)).match(toURL('index.html'))),
      );
      return;
    }
    event.respondWith(fromNetworkThenCache(request));
    return;
  }
  event.respondWith(fromCacheThenNetwork(request));
});
