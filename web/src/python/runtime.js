// Python cells: what Pyodide needs on top of itself to run a reader's PyTorch code on the
// engine. The same functions run in the sandbox's experiment worker and in the Node tests
// (tests/wasm/python-harness.mjs), so what the tests prove is what the page runs.
//
//   await preparePython(pyodide, { gl, cell, files, lang })
//     files  { 'torch/__init__.py': text, ... }: the lab's pure-Python packages (this folder's
//            .py files), written into Pyodide's file system under PY_ROOT
//     gl     the engine's JS API (api/gl.js), which the `torch` package wraps
//     cell   the cell's globals (runner/cell-globals.js): print, plot, progress, knob, seed
//     lang   'ko' | 'en': the language of the lab's own Python messages
//   await runPython(pyodide, code)   runs the reader's code; throws a PythonCellError
import { ExperimentError } from '../runner/source.js';
import { formatTensor } from '../api/format.js';
import { decodeSafetensors, encodeSafetensors } from '../api/safetensors.js';

export const PY_ROOT = '/gradlab';
export const CELL_FILENAME = '<cell>';

/**
 * Writes the packages and registers the bridge module `_gradlab_js`; returns the bridge object,
 * whose fields Python reads when it uses them (set bridge.lang before a run to change it).
 */
export async function preparePython(pyodide, { gl, cell, files, lang = 'en' }) {
  const { FS } = pyodide;
  for (const [name, text] of Object.entries(files)) {
    const path = `${PY_ROOT}/${name}`;
    FS.mkdirTree(path.slice(0, path.lastIndexOf('/')));
    FS.writeFile(path, text);
  }
  // safetensors: the one implementation of the format (api/safetensors.js), for Python's
  // safetensors.torch
  const safetensors = { encode: encodeSafetensors, decode: decodeSafetensors };
  const bridge = { gl, cell, lang, formatTensor, safetensors };
  pyodide.registerJsModule('_gradlab_js', bridge);
  pyodide.runPython(`import sys\nif ${JSON.stringify(PY_ROOT)} not in sys.path: sys.path.insert(0, ${JSON.stringify(PY_ROOT)})`);
  return bridge;
}

/**
 * Runs the reader's code as a fresh __main__ with the cell's globals.
 * Errors: an ExperimentError whose name is the Python exception's class, line its line
 * in the reader's code, and trace the reader's own frames.
 */
export async function runPython(pyodide, code) {
  const run = pyodide.pyimport('gradlab._cell').run;
  try {
    const error = await run(code, CELL_FILENAME);
    if (error) {
      const e = error.toJs({ dict_converter: Object.fromEntries });
      error.destroy?.();
      throw new ExperimentError(e.name, e.message, { line: e.line ?? null, column: null, trace: e.trace ?? [] });
    }
  } finally {
    run.destroy?.();
  }
}
