// Fetches and compiles the engine's wasm once per page. Every experiment
// worker receives the compiled WebAssembly.Module, so a fresh worker (after a
// run, or after Stop) instantiates it in milliseconds instead of downloading
// and compiling again.

const ENGINE_JS = 'engine/gradlab-engine.mjs';
const ENGINE_WASM = 'engine/gradlab-engine.wasm';

let cached = null;

async function compile(wasmURL) {
  let response;
  try {
    response = await fetch(wasmURL);
  } catch (err) {
    throw new Error(`could not download ${ENGINE_WASM} (${err.message})`);
  }
  if (!response.ok) {
    throw new Error(
      `could not download ${ENGINE_WASM} (HTTP ${response.status}); ` +
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

/** Absolute URL of the engine's JS loader. */
export function engineScriptURL(baseURI) {
  return new URL(ENGINE_JS, baseURI).href;
}

/**
 * Resolves to { engineURL, module, ms }. URLs are resolved against baseURI so
 * the site works from any sub-folder.
 */
export function loadEngine(baseURI) {
  cached ??= (async () => {
    const t0 = performance.now();
    const module = await compile(new URL(ENGINE_WASM, baseURI).href);
    return { engineURL: engineScriptURL(baseURI), module, ms: performance.now() - t0 };
  })();
  cached.catch(() => {
    cached = null; // let a later attempt try again
  });
  return cached;
}
