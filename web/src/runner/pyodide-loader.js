// Starts Pyodide inside an experiment worker from what the sandbox frame handed it: blob:
// URLs of its files and its wasm already compiled (sandbox-frame.js). The worker has no
// network, and Pyodide expects to fetch its files under one folder URL (indexURL); it is
// given a folder that does not exist, and the one file it then fetches from there (its wasm)
// is answered with the compiled module, so no worker compiles Pyodide's 9.6 MB again.
// Starting the interpreter takes seconds; the page's first Python worker also makes a memory
// snapshot of it, just started (no reader code has run), which the frame keeps and hands to
// the later ones: they start from it in a fraction of that (Pyodide's _makeSnapshot /
// _loadSnapshot; measured in README).
const INDEX_URL = 'https://pyodide.gradlab.invalid/';

/**
 * Resolves to { pyodide, snapshot, replaces }: snapshot, a Uint8Array, when assets.makeSnapshot
 * asked for one or the snapshot given did not load (replaces: true), else null.
 *   assets  { pyodideURL, asmURL, stdlibURL, lock, asmModule, snapshot, makeSnapshot } from
 *           the sandbox frame (snapshot: one made by an earlier worker, or null)
 */
export async function startPyodide(assets) {
  const wasmURL = `${INDEX_URL}pyodide.asm.wasm`;
  const compiled = new WeakSet(); // the stand-in response Pyodide gets for its wasm
  const { fetch: realFetch } = self;
  const realInstantiateStreaming = WebAssembly.instantiateStreaming;
  self.fetch = (input, init) => {
    if (String(input?.url ?? input) === wasmURL) {
      const response = new Response(null, { status: 200 });
      compiled.add(response);
      return Promise.resolve(response);
    }
    return realFetch(input, init);
  };
  WebAssembly.instantiateStreaming = async (source, imports) => {
    const response = await source;
    if (!compiled.has(response)) return realInstantiateStreaming(response, imports);
    const instance = await WebAssembly.instantiate(assets.asmModule, imports);
    return { instance, module: assets.asmModule };
  };
  try {
    const { loadPyodide } = await import(/* @vite-ignore */ assets.pyodideURL);
    const createPyodideModule = (await import(/* @vite-ignore */ assets.asmURL)).default;
    const load = (options) =>
      loadPyodide({ indexURL: INDEX_URL, stdLibURL: assets.stdlibURL, lockFileContents: assets.lock, createPyodideModule, ...options });
    if (assets.snapshot instanceof Uint8Array) {
      try {
        return { pyodide: await load({ _loadSnapshot: assets.snapshot }), snapshot: null, replaces: false };
      } catch {
        // A snapshot that does not fit (kept from another browser's run, say): start afresh,
        // and make one that does.
      }
    }
    const makeSnapshot = assets.makeSnapshot === true || assets.snapshot instanceof Uint8Array;
    const pyodide = await load(makeSnapshot ? { _makeSnapshot: true } : {});
    // A copy: the snapshot may be a view of the wasm memory, which cannot be transferred.
    const snapshot = makeSnapshot ? pyodide.makeMemorySnapshot().slice() : null;
    return { pyodide, snapshot, replaces: assets.snapshot instanceof Uint8Array };
  } finally {
    self.fetch = realFetch;
    WebAssembly.instantiateStreaming = realInstantiateStreaming;
  }
}
