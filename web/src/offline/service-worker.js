// The offline service worker, emitted as sw.js by the build
// (tools/precache-plugin.mjs puts the list of built files, their SHA-256 and a
// version in front of this file). After a first visit every file of the site
// (pages, scripts, styles, the engine, KaTeX's fonts, the chapters inside the
// scripts) is in the cache and the site keeps working with the network off.
//   pages (navigations): the network first, so an update shows at once;
//     the cached copy when offline. Either way with the two headers that make
//     the page cross-origin isolated (COOP same-origin, COEP require-corp), so
//     that it can run the engine built with threads (runner/engine.js): a plain
//     static host sends neither. Every file of the site is its own, so
//     require-corp blocks nothing; reader code stays in its opaque-origin
//     sandbox frame (runner/sandbox.js), isolated or not.
//   everything else: the cache first (file names carry content hashes; the
//     engine changes with the version), then the network, caching what came.
// Whatever comes from the cache must match the hash the build wrote for it: a
// cached file that was changed (by anything) is dropped, fetched again and
// checked again, and a file that still does not match is never served.
/* global PRECACHE, SHA256, VERSION */
const CACHE = `gradlab-${VERSION}`;
const scope = new URL(self.registration.scope);
const toURL = (path) => new URL(path, scope).href;
const pathOf = (url) => {
  const u = new URL(url);
  u.search = '';
  u.hash = '';
  return u.href.startsWith(scope.href) ? u.href.slice(scope.href.length) || './' : null;
};

async function sha256(response) {
  const digest = await crypto.subtle.digest('SHA-256', await response.clone().arrayBuffer());
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** True when the build knows no hash for this URL, or the response matches it. */
async function matchesBuild(url, response) {
  const expected = SHA256[pathOf(url)];
  return expected === undefined || (await sha256(response)) === expected;
}

function mismatch(url) {
  return new Response(`gradlab: ${url} does not match the site as it was built, so it is not served.`, {
    status: 500,
    headers: { 'Content-Type': 'text/plain; charset=utf-8' },
  });
}

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      await Promise.all(
        PRECACHE.map(async (path) => {
          const url = toURL(path);
          const response = await fetch(url, { cache: 'reload' });
          if (!response.ok) throw new Error(`gradlab offline: ${url} answered ${response.status}`);
          if (!(await matchesBuild(url, response))) throw new Error(`gradlab offline: ${url} does not match the build`);
          await cache.put(url, response);
        }),
      );
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

/** The cached copy if it matches the build; a changed copy is dropped. */
async function fromCache(cache, request) {
  const cached = await cache.match(request, { ignoreSearch: true });
  if (!cached) return null;
  if (await matchesBuild(request.url, cached)) return cached;
  await cache.delete(request, { ignoreSearch: true });
  return null;
}

async function fromNetworkThenCache(request) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok && (await matchesBuild(request.url, response))) cache.put(request, response.clone());
    return response;
  } catch (err) {
    const cached = await fromCache(cache, request);
    if (cached) return cached;
    throw err;
  }
}

async function fromCacheThenNetwork(request) {
  const cache = await caches.open(CACHE);
  const cached = await fromCache(cache, request);
  if (cached) return cached;
  const response = await fetch(request);
  if (!response.ok || response.type !== 'basic') return response;
  if (!(await matchesBuild(request.url, response))) return mismatch(request.url);
  cache.put(request, response.clone());
  return response;
}

/** A page's response with the headers of cross-origin isolation added (a copy). */
function isolated(response) {
  if (response.type !== 'basic' || response.status !== 200) return response;
  const headers = new Headers(response.headers);
  headers.set('Cross-Origin-Opener-Policy', 'same-origin');
  headers.set('Cross-Origin-Embedder-Policy', 'require-corp');
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET' || !request.url.startsWith(scope.href)) return;
  if (request.mode === 'navigate') {
    // "…/" and "…/index.html" are one page.
    const url = new URL(request.url);
    if (url.pathname.endsWith('/')) {
      event.respondWith(
        fromNetworkThenCache(request)
          .catch(async () => (await fromCache(await caches.open(CACHE), new Request(toURL('index.html')))) ?? Response.error())
          .then(isolated),
      );
      return;
    }
    event.respondWith(fromNetworkThenCache(request).then(isolated));
    return;
  }
  event.respondWith(fromCacheThenNetwork(request));
});
