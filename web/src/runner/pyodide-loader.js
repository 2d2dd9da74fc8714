// Starts Pyodide inside an experiment worker from what the sandbox frame handed it: blob:
// URLs of its files and its wasm already compiled (sandbox-frame.js). The worker has no
// network, and Pyodide expects to fetch its files under one folder URL (indexURL); it is
// given a folder that does not exist, and the one file it then fetches from there (its wasm)
// is answered with the compiled module, so no worker compiles Pyodide's 9.6 MB again.
const INDEX_URL = 'https://pyodide.gradlab.invalid/';

/**
 * Resolves to a Pyodide instance.
 *   assets  { pyodideURL, asmURL, stdlibURL, lock, asmModule } from the sandbox frame
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
    return await loadPyodide({
      indexURL: INDEX_URL,
      stdLibURL: assets.stdlibURL,
      lockFileContents: assets.lock,
      createPyodideModule,
    });
  } finally {
    self.fetch = realFetch;
    WebAssembly.instantiateStreaming = realInstantiateStreaming;
  }
}
