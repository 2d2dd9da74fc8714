// Where experiments run: a module Web Worker, one per run, so that Stop can
// simply terminate it, and every run starts from a fresh engine.
//
// Messages in (from runner.js):
//   { type: 'preload', engineURL }            start loading the engine's JS early
//   { type: 'init', engineURL, wasmModule }   load the engine (module precompiled by the page)
//   { type: 'run', code, knobs, seed }        run the reader's code once, with the
//                                              knob values { label: value } and gl seeded
// Messages out:
//   { type: 'ready', ms }                      engine loaded in ms
//   { type: 'init-failed', message }
//   { type: 'output', items }                  batched prints and plots (see outbox.js)
//   { type: 'done', ms }                       the code finished after ms
//   { type: 'failed', error, ms }              error: { name, message, line, column, trace }
import { loadGL } from '../api/gl.js';
import { Outbox } from './outbox.js';
import { makeCellGlobals } from './cell-globals.js';
import { READER_PARAMS, compileExperiment, locateError, wrapperLineOffset } from './source.js';

// Errors raised deep inside the engine must still reach the reader's frame.
Error.stackTraceLimit = 100;

let gl = null;
let hasRun = false;
let runStart = null; // performance.now() when the reader's code started

const outbox = new Outbox((items) => postMessage({ type: 'output', items }));

function errorFields(err) {
  return { name: err.name, message: err.message, line: err.line, column: err.column, trace: err.trace };
}

let initStarted = false;

function initFailed(err) {
  postMessage({ type: 'init-failed', message: `${err?.name ?? 'Error'}: ${err?.message ?? err}` });
}

async function init({ engineURL, wasmModule }) {
  const t0 = performance.now();
  initStarted = true;
  try {
    gl = await loadGL({ engineURL, wasmModule });
    await wrapperLineOffset();
    postMessage({ type: 'ready', ms: performance.now() - t0 });
  } catch (err) {
    initFailed(err);
  }
}

// Experiments compute; they do not reach the network. The lab promises that nothing typed
// leaves the computer, and a shared link's code is someone else's. (The engine is loaded
// by now; static and dynamic import() are refused by source.js.)
function closeNetwork() {
  for (const name of ['fetch', 'XMLHttpRequest', 'WebSocket', 'EventSource', 'WebTransport', 'importScripts', 'Worker', 'SharedWorker']) {
    if (!(name in self)) continue;
    self[name] = function refused() {
      throw new Error(`${name} is not available in an experiment: gradlab's experiments run without a network`);
    };
  }
}

async function run({ code, knobs = {}, seed }) {
  if (hasRun) throw new Error('worker.js: a worker runs one experiment only');
  hasRun = true;
  const lineOffset = await wrapperLineOffset();
  closeNetwork();
  const t0 = performance.now();
  runStart = t0;
  try {
    const experiment = compileExperiment(code);
    const cellSeed = Number.isInteger(seed) && seed >= 0 ? seed : 0;
    gl.manualSeed(cellSeed);
    const g = makeCellGlobals({ outbox, knobs, seed: cellSeed });
    await experiment(...READER_PARAMS.map((name) => (name === 'gl' ? gl : g[name])));
    outbox.flush();
    postMessage({ type: 'done', ms: performance.now() - t0 });
  } catch (thrown) {
    const ms = performance.now() - t0;
    outbox.flush();
    postMessage({ type: 'failed', error: errorFields(locateError(thrown, lineOffset)), ms });
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
  const error = locateError(event.error ?? new Error(event.message), await wrapperLineOffset());
  outbox.flush();
  postMessage({ type: 'failed', error: errorFields(error), ms: performance.now() - runStart });
});

self.addEventListener('message', ({ data }) => {
  if (data?.type === 'preload') import(/* @vite-ignore */ data.engineURL).catch(() => {}); // init reports failures
  else if (data?.type === 'init') init(data);
  else if (data?.type === 'run') run(data);
});
