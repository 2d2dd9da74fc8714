// Picks and compiles the engine once per page. Two builds sit side by side in
// engine/: gradlab-engine.{mjs,wasm} (wasm SIMD) and
// gradlab-engine-baseline.{mjs,wasm} (no SIMD, for browsers without it). The
// pick is made by feature detection; a site built before the baseline existed
// falls back to the SIMD files. Every experiment worker receives the compiled
// WebAssembly.Module, so a fresh worker (after a run, or after Stop)
// instantiates it in milliseconds instead of downloading and compiling again.

export const FLAVOURS = {
  simd: { name: 'wasm SIMD', js: 'engine/gradlab-engine.mjs', wasm: 'engine/gradlab-engine.wasm' },
  baseline: { name: 'wasm baseline', js: 'engine/gradlab-engine-baseline.mjs', wasm: 'engine/gradlab-engine-baseline.wasm' },
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
  return hasWasmSimd() ? 'simd' : 'baseline';
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

async function compile(response, file) {
  if (!response.ok) {
    throw new Error(
      `could not download ${file} (HTTP ${response.status}); ` +
        'if you are building the site yourself, run `npm run setup` first',
    );
  }
  const type = response.headers.get('Content-Type') ?? '';
  if (WebAssembly.compileStreaming && type.startsWith('application/wasm')) {
    return WebAssembly.compileStreaming(response);
  }
  // Static hosts that serve .wasm with another type: compile from the bytes.
  return WebAssembly.compile(await response.arrayBuffer());
}

/** Absolute URL of the engine's JS loader for the build this browser will most likely use. */
export function engineScriptURL(baseURI) {
  return new URL(FLAVOURS[pickFlavour(baseURI)].js, baseURI).href;
}

/**
 * Resolves to { engineURL, module, ms, flavour, name }. URLs are resolved
 * against baseURI so the site works from any sub-folder.
 */
export function loadEngine(baseURI) {
  cached ??= (async () => {
    const t0 = performance.now();
    let flavour = pickFlavour(baseURI);
    let response = await download(new URL(FLAVOURS[flavour].wasm, baseURI).href, FLAVOURS[flavour].wasm);
    if (flavour === 'baseline' && response.status === 404) {
      flavour = 'simd'; // a site built before the baseline engine existed
      response = await download(new URL(FLAVOURS.simd.wasm, baseURI).href, FLAVOURS.simd.wasm);
    }
    const module = await compile(response, FLAVOURS[flavour].wasm);
    return {
      engineURL: new URL(FLAVOURS[flavour].js, baseURI).href,
      module,
      ms: performance.now() - t0,
      flavour,
      name: FLAVOURS[flavour].name,
    };
  })();
  cached.catch(() => {
    cached = null; // let a later attempt try again
  });
  return cached;
}
