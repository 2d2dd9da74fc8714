// Python in Node for the wasm tests: Pyodide (npm, local files) with the lab's Python
// packages (web/src/python/**/*.py) on the built engine, prepared by the same
// web/src/python/runtime.js the page's worker uses.
//
//   const py = await loadPython();           one Pyodide + one engine per test file
//   const { output, error } = await py.run(code, { knobs, seed })
//   py.value(expr)                           a Python expression's value, converted to JS
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { labPythonFiles } from '../../web/tools/python-plugin.mjs';
import { startPyodide } from '../../web/tools/pyodide-start.mjs';
import { loadEngine } from './load-engine.mjs';
import { makeCellGlobals } from '../../web/src/runner/cell-globals.js';
import { preparePython, runPython } from '../../web/src/python/runtime.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const pythonDir = path.join(root, 'web/src/python');

/** { 'torch/__init__.py': text, ... } for every .py file under web/src/python (as the build ships them). */
export function pythonFiles() {
  return labPythonFiles(pythonDir);
}

/** A recording outbox: what a run printed and plotted. */
class Recorder {
  lines = [];
  plots = [];
  steps = [];
  downloads = [];
  download(item) { this.downloads.push(item); }
  print(text, level = 'log') { this.lines.push(level === 'log' ? text : `[${level}] ${text}`); }
  plot(spec) { this.plots.push(spec); }
  progress(step, total) { this.steps.push([step, total]); }
}

export async function loadPython({ lang = 'en', engine = {} } = {}) {
  // from a snapshot of Pyodide just started, shared by the suite's processes (pyodide-start.mjs)
  const pyodide = await startPyodide({ stdout: (s) => current?.print(s), stderr: (s) => current?.print(s, 'error') });
  const gl = await loadEngine('simd', engine);
  let current = null;
  let knobs = {};
  let seed = 0;
  // The cell's globals are made per run (knobs, seed, outbox): the bridge holds a proxy to them.
  const cell = new Proxy({}, {
    get(_, name) {
      const g = makeCellGlobals({ outbox: current, knobs, seed });
      return g[name];
    },
  });
  await preparePython(pyodide, { gl, cell, files: pythonFiles(), lang });
  return {
    pyodide,
    gl,
    /** Runs code as a cell; resolves to { output: 'printed lines', lines, plots, progress: [[step, total]], error }. */
    async run(code, { knobs: k = {}, seed: s = 0 } = {}) {
      current = new Recorder();
      knobs = k;
      seed = s;
      gl.manualSeed(s);
      let error = null;
      try {
        await runPython(pyodide, code);
      } catch (e) {
        error = e;
      }
      const rec = current;
      current = null;
      return { output: rec.lines.join('\n'), lines: rec.lines, plots: rec.plots, progress: rec.steps, downloads: rec.downloads, error };
    },
    /** The value of a Python expression (after the code run so far in `ns`), converted to JS. */
    value(expr) {
      const v = pyodide.runPython(expr);
      return v?.toJs ? v.toJs({ dict_converter: Object.fromEntries }) : v;
    },
  };
}
