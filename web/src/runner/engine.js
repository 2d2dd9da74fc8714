// Picks and fetches the engine once per page. Three builds sit side by side in
// engine/: gradlab-engine.{mjs,wasm} (wasm SIMD), gradlab-engine-baseline.{mjs,wasm}
// (no SIMD, for browsers without it) and gradlab-engine-threads.{mjs,wasm,worker.js}
// (wasm SIMD with threads: an op splits its rows between cores, gradlab/threads.h),
// which needs SharedArrayBuffer, so only a page that is cross-origin isolated runs it
// (the service worker sends the headers for the site's own pages from the second visit
// on; a first visit or an embed in another site's page runs the SIMD engine). The pick is
// made by feature detection; a site built before the baseline existed falls back to the
// SIMD files, and so does an isolated page offline whose threaded engine was never cached.
// The page never runs the engine itself: it hands the loader's text and the wasm bytes to
// the sandbox (sandbox.js), which compiles the module once and gives it to every
// experiment worker, so a fresh worker (after a run, or after Stop) starts in milliseconds.

export const FLAVOURS = {
  simd: { name: 'wasm SIMD', js: 'engine/gradlab-engine.mjs', wasm: 'engine/gradlab-engine.wasm' },
  baseline: { name: 'wasm baseline', js: 'engine/gradlab-engine-baseline.mjs', wasm: 'engine/gradlab-engine-baseline.wasm' },
  threads: {
    name: 'wasm SIMD + threads',
    js: 'engine/gradlab-engine-threads.mjs',
    wasm: 'engine/gradlab-engine-threads.wasm',
    worker: 'engine/gradlab-engine-threads.worker.js',
  },
};

// (func (result v128) i32.const 0 i32x4.splat): valid only where wasm SIMD is.
const SIMD_PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version
  0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, // type: () -> v128
  0x03, 0x02, 0x01, 0x00, // one function of that type
  0x0a, 0x08, 0x01, 0x06, 0x00, 0x41, 0x00, 0xfd, 0x11, 0x0b, // body
]);

export function hasWasmSimd() {
  try {
    return WebAssembly.validate(SIMD_PROBE);
  } catch {
    return false;
  }
}

/**
 * The build this browser should run: 'simd' or 'baseline'. `?engine=baseline`
 * (or simd) in the page's URL forces one, to try the other build by hand.
 */
export function pickFlavour(baseURI = globalThis.location?.href ?? '') {
  let forced = null;
  try {
    forced = new URL(baseURI).searchParams.get('engine');
  } catch {
    // not a URL: no override
  }
  if (forced in FLAVOURS) return forced;
  if (!hasWasmSimd()) return 'baseline';
  return canRunThreads() ? 'threads' : 'simd';
}

/** Threads need shared memory (a cross-origin isolated page) and more than one core. */
export function canRunThreads() {
  return globalThis.crossOriginIsolated === true && typeof SharedArrayBuffer === 'function' &&
    (globalThis.navigator?.hardwareConcurrency ?? 1) > 1;
}

let cached = null;

async function download(wasmURL, file) {
  let response;
  try {
    response = await fetch(wasmURL);
  } catch (err) {
    throw new Error(`could not download ${file} (${err.message})`);
  }
  return response;
}

async function bytesOf(response, file) {
  if (!response.ok) {
    throw new Error(
      `could not download ${file} (HTTP ${response.status}); ` +
        'if you are building the site yourself, run `npm run setup` first',
    );
  }
  return response.arrayBuffer();
}

async function textOf(url, file) {
  const response = await download(url, file);
  if (!response.ok) throw new Error(`could not download ${file} (HTTP ${response.status})`);
  return response.text();
}

/**
 * Resolves to { engineURL, source, bytes, pthreadWorker, ms, flavour, name }: the loader's
 * URL and text, the wasm's bytes (an ArrayBuffer) and, for the threaded engine, the text of
 * its pthread worker script. URLs are resolved against baseURI so the site
 * works from any sub-folder.
 */
export function loadEngine(baseURI) {
  cached ??= (async () => {
    const t0 = performance.now();
    let flavour = pickFlavour(baseURI);
    const fetchWasm = (f) => download(new URL(FLAVOURS[f].wasm, baseURI).href, FLAVOURS[f].wasm);
    let response, pthreadWorker;
    if (flavour === 'threads') {
      // offline, a threaded engine that was never cached is not there: the SIMD one is
      [response, pthreadWorker] = await Promise.all([
        fetchWasm('threads').catch(() => null),
        textOf(new URL(FLAVOURS.threads.worker, baseURI).href, FLAVOURS.threads.worker).catch(() => undefined),
      ]);
      if (!response?.ok || pthreadWorker === undefined) {
        flavour = 'simd';
        pthreadWorker = undefined;
      }
    }
    if (flavour !== 'threads') response = await fetchWasm(flavour);
    if (flavour === 'baseline' && response.status === 404) {
      flavour = 'simd'; // a site built before the baseline engine existed
      response = await fetchWasm('simd');
    }
    const engineURL = new URL(FLAVOURS[flavour].js, baseURI).href;
    const [bytes, source] = await Promise.all([
      bytesOf(response, FLAVOURS[flavour].wasm),
      textOf(engineURL, FLAVOURS[flavour].js),
    ]);
    return { engineURL, source, bytes, pthreadWorker, ms: performance.now() - t0, flavour, name: FLAVOURS[flavour].name };
  })();
  cached.catch(() => {
    cached = null; // let a later attempt try again
  });
  return cached;
}
