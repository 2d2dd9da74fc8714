// Where experiments run: a Web Worker inside the sandbox frame (sandbox-frame.js),
// one per run, so that Stop can simply terminate it, and every run starts from a
// fresh engine. Its origin is opaque and its Content-Security-Policy allows no
// network: the code it runs cannot reach the site, its storage or anything else.
// It can reach the page only through this file's outbox, which bounds what a run
// sends (outbox.js); the worker's own postMessage is out of the reader's reach.
//
// Messages in (from the sandbox frame and runner.js):
//   { type: 'init', engineURL, wasmModule, python }
//                                              load the engine (a blob URL of its loader,
//                                              the module the frame compiled); python, for a
//                                              Python worker: Pyodide's blob URLs and compiled
//                                              wasm, the lab's .py files, and a snapshot of a
//                                              started Pyodide or a request to make one
//                                              (sandbox-frame.js)
//   { type: 'run', code, knobs, seed, language, lang, child }
//                                              run the reader's code once, with the knob values
//                                              { label: value } and gl seeded; language 'js'
//                                              (default) or 'python' (a Python worker only);
//                                              lang: the page's language ('ko' | 'en'); child:
//                                              this worker runs one item of a parallel() call
//                                              of the worker that started it (parallel.js)
// Messages out:
//   { type: 'python-snapshot', bytes, replaces }  Pyodide's memory just after it started,
//                                              when asked, or when the one given did not load
//                                              (replaces); for the frame (runner.js never sees it)
//   { type: 'ready', ms }                      engine loaded in ms
//   { type: 'init-failed', message }
//   { type: 'output', items }                  batched prints and plots (see outbox.js)
//   { type: 'done', ms }                       the code finished after ms
//   { type: 'failed', error, ms }              error: { name, message, line, column, trace }
//   { type: 'parallel-report' | 'parallel-result', value }
//                                              a child's, to the worker that started it
import { loadGL } from '../api/gl.js';
import { Outbox } from './outbox.js';
import { makeCellGlobals } from './cell-globals.js';
import { READER_PARAMS, compileExperiment, locateError, wrapperLineOffset } from './source.js';
import { parallelContext } from './parallel.js';
import { startPyodide } from './pyodide-loader.js';
import { preparePython, runPython } from '../python/runtime.js';

// Errors raised deep inside the engine must still reach the reader's frame.
Error.stackTraceLimit = 100;

// The one way out of this worker, kept here; reader code finds no postMessage to call.
const post = self.postMessage.bind(self);
for (let o = self; o && o !== Object.prototype; o = Object.getPrototypeOf(o)) {
  if (Object.prototype.hasOwnProperty.call(o, 'postMessage')) delete o.postMessage;
}

let gl = null;
let pyodide = null; // a Python worker's, ready before 'ready' is posted
let pythonBridge = null; // what Python sees as _gradlab_js (python/runtime.js)
let cellGlobals = null; // the run's cell globals, which the Python bridge reads at call time
let hasRun = false;
let runStart = null; // performance.now() when the reader's code started

const outbox = new Outbox((items) => post({ type: 'output', items }));

function errorFields(err) {
  return { name: err.name, message: err.message, line: err.line, column: err.column, trace: err.trace, hint: err.hint };
}

let initStarted = false;
let engineInit = null; // what init got for the engine, handed on to parallel()'s workers

function initFailed(err) {
  post({ type: 'init-failed', message: `${err?.name ?? 'Error'}: ${err?.message ?? err}` });
}

// What Python's `_gradlab_js.cell` is: the globals of the run under way (made when it starts).
const pythonCell = new Proxy({}, { get: (_, name) => cellGlobals?.[name] });

async function init({ engineURL, wasmModule, threads, numThreads, python }) {
  const t0 = performance.now();
  initStarted = true;
  engineInit = { engineURL, wasmModule, threads };
  try {
    // threads: the threaded engine's pthread worker and pool (sandbox-frame.js), or null
    gl = await loadGL({ engineURL, wasmModule, threads: threads ?? undefined });
    if (Number.isInteger(numThreads)) gl.setNumThreads(Math.min(numThreads, gl.maxThreads()));
    await wrapperLineOffset();
    if (python) {
      const { pyodide: py, snapshot, replaces } = await startPyodide(python);
      // For the frame, which keeps it for the next Python workers (made before any reader code).
      if (snapshot) post({ type: 'python-snapshot', bytes: snapshot, replaces }, [snapshot.buffer]);
      pythonBridge = await preparePython(py, { gl, cell: pythonCell, files: JSON.parse(python.lab) });
      pyodide = py;
    }
    post({ type: 'ready', ms: performance.now() - t0 });
  } catch (err) {
    initFailed(err);
  }
}

// What the sandbox refuses surfaces as the browser's own terse error: name the reason
// (error.hint), which the page says in its language.
const SANDBOX_HINTS = [
  ['storage', /\b(localStorage|sessionStorage|document|window|caches|indexedDB|cookieStore)\b.*\b(not defined|denied|undefined)/i],
  ['site', /serviceWorker|reading 'register'/],
  ['network', /Failed to fetch|NetworkError|importScripts|dynamically imported module|Refused to connect|Content Security Policy|cannot be accessed from origin|WebSocket|sendBeacon/i],
];

function explainSandbox(error) {
  error.hint ??= SANDBOX_HINTS.find(([, pattern]) => pattern.test(`${error.name}: ${error.message}`))?.[0];
  return error;
}

async function runPythonCell({ code, knobs = {}, seed, lang }) {
  const t0 = performance.now();
  runStart = t0;
  try {
    if (!pyodide) throw new Error('worker.js: this worker was not started for Python');
    const cellSeed = Number.isInteger(seed) && seed >= 0 ? seed : 0;
    gl.manualSeed(cellSeed);
    cellGlobals = makeCellGlobals({ outbox, knobs, seed: cellSeed });
    if (lang === 'ko' || lang === 'en') pythonBridge.lang = lang;
    await runPython(pyodide, code);
    outbox.flush();
    post({ type: 'done', ms: performance.now() - t0 });
  } catch (thrown) {
    outbox.flush();
    const error = thrown?.line !== undefined ? thrown : locateError(thrown, 0);
    post({ type: 'failed', error: errorFields(error), ms: performance.now() - t0 });
  }
}

// A worker of parallel() (parallel.js): this same script, started from this worker (a nested
// worker shares its sandbox, and a Stop that ends this worker ends it too), given the engine
// and the run this worker got.
function spawnChild(runMessage) {
  return (child) => {
    const thread = new Worker(self.location.href);
    // One engine thread each: parallel()'s workers already keep every core busy with an item
    // apiece, and a second thread per worker only contended (the recipe's five LSTMs took 31 s
    // in an isolated page against 28 s with one thread each, bench/page.mjs).
    thread.postMessage({ type: 'init', ...engineInit, numThreads: 1, python: null });
    thread.postMessage({ ...runMessage, child });
    return {
      on(type, listener) {
        if (type === 'message') thread.addEventListener('message', (e) => listener(e.data));
        else thread.addEventListener('error', (e) => {
          e.preventDefault();
          listener(new Error(e.message || 'the worker failed'));
        });
      },
      terminate: () => thread.terminate(),
    };
  };
}

async function run(message) {
  if (hasRun) throw new Error('worker.js: a worker runs one experiment only');
  hasRun = true;
  if (message.language === 'python') return runPythonCell(message);
  const { code, knobs = {}, seed, child } = message;
  const lineOffset = await wrapperLineOffset();
  const t0 = performance.now();
  runStart = t0;
  try {
    const experiment = compileExperiment(code);
    const cellSeed = Number.isInteger(seed) && seed >= 0 ? seed : 0;
    gl.manualSeed(cellSeed);
    const cores = Math.max(1, Number(self.navigator?.hardwareConcurrency) || 1);
    const context = parallelContext({
      outbox,
      cores,
      spawn: spawnChild({ type: 'run', code, knobs, seed, language: 'js', lang: message.lang }),
      child: child ? { ...child, post } : null,
    });
    const g = makeCellGlobals({ outbox: context.outbox, knobs, seed: cellSeed, parallel: context.parallel });
    await experiment(...READER_PARAMS.map((name) => (name === 'gl' ? gl : g[name])));
    outbox.flush();
    post({ type: 'done', ms: performance.now() - t0 });
  } catch (thrown) {
    const ms = performance.now() - t0;
    outbox.flush();
    post({ type: 'failed', error: errorFields(explainSandbox(locateError(thrown, lineOffset))), ms });
  }
}

// A promise the reader's code forgot to await can still fail: say where.
// While the engine loads, a stray rejection (say, a wasm LinkError inside the
// loader) means it never will: say so instead of hanging.
self.addEventListener('unhandledrejection', async (event) => {
  event.preventDefault();
  if (!gl) {
    if (initStarted) initFailed(event.reason);
    return;
  }
  const err = locateError(event.reason, await wrapperLineOffset());
  const where = err.line != null ? ` (line ${err.line})` : '';
  outbox.print(`Uncaught (in promise) ${err.name}: ${err.message}${where}`, 'error');
});

// An exception thrown from a callback (a timer, say) while the run awaits
// ends the run, at the line that threw.
self.addEventListener('error', async (event) => {
  if (runStart === null) return;
  event.preventDefault();
  const error = explainSandbox(locateError(event.error ?? new Error(event.message), await wrapperLineOffset()));
  outbox.flush();
  post({ type: 'failed', error: errorFields(error), ms: performance.now() - runStart });
});

let initDone = Promise.resolve();
self.addEventListener('message', ({ data }) => {
  if (data?.type === 'init') initDone = init(data);
  // The page sends a run once this worker is ready; parallel() sends one right after init.
  else if (data?.type === 'run') initDone.then(() => run(data));
});
