// The script of the sandbox frame: an <iframe sandbox="allow-scripts" srcdoc> that
// sandbox.js puts in the page. Its origin is opaque ("null"), so the experiment workers it
// starts have no access to the site's caches, storage, cookies or service worker, and its
// Content-Security-Policy (connect-src blob: only, for Pyodide's files made here; scripts from blob:), which those workers
// inherit, leaves them no network. It is a classic script with no imports: the build
// inlines it in the frame and hashes it into the pages' policy (tools/sandbox-plugin.mjs).
//
// It talks to the page through one MessagePort, the first one the parent hands it:
//   in:  { type: 'assets', worker, engine, wasm, pthreadWorker }  the worker's and the
//                                                  engine loader's source text, the engine's
//                                                  bytes, and for the threaded engine the text
//                                                  of its pthread worker (else undefined)
//        { type: 'python-assets', files, snapshot }  Pyodide's files and the lab's Python
//                                                  packages as bytes (names: runner/python-
//                                                  assets.js), and a snapshot of Pyodide kept
//                                                  from an earlier visit (or null); sent once,
//                                                  when a Python cell first runs
//        { type: 'spawn', id, language }           start experiment worker `id` ('js' or
//                                                  'python': a Python worker gets Pyodide too)
//        { type: 'post', id, data }                pass `data` to worker `id`
//        { type: 'terminate', id }                 end worker `id` at once
//   out: { type: 'message', id, data }             what worker `id` posted (but a Python
//                                                  worker's snapshot of Pyodide, kept here)
//        { type: 'python-snapshot', bytes }        that snapshot, for the page to keep
//        { type: 'error', id, message }            worker `id` failed or was ended here
'use strict';
(() => {
  // A worker posts a few dozen batches a second (runner/outbox.js); far more is a runaway.
  const MAX_MESSAGES_PER_SECOND = 200;
  let port = null;
  let assetsReady = null; // Promise of { bootURL, engineURL, wasmModule, threads }
  let resolveAssets;
  const workers = new Map(); // id -> Worker
  const given = new Set(); // ids of workers that have been passed a message (a run) from the page
  let pythonSnapshot = null; // Uint8Array: a Python worker's memory just after Pyodide started
  const endedEarly = new Set(); // ids terminated before their worker started

  assetsReady = new Promise((resolve) => {
    resolveAssets = resolve;
  });
  let pythonReady = null; // Promise of { pyodideURL, asmURL, stdlibURL, lock, asmModule, lab } or { failed }
  let resolvePython;
  const pythonAssets = () =>
    (pythonReady ??= new Promise((resolve) => {
      resolvePython = resolve;
    }));

  function send(message) {
    port.postMessage(message);
  }

  function blobURL(text) {
    return URL.createObjectURL(new Blob([text], { type: 'text/javascript' }));
  }

  async function takeAssets({ worker, engine, wasm, pthreadWorker }) {
    try {
      const workerURL = blobURL(worker);
      // A module worker does not start in an opaque-origin frame; a classic one can import
      // the (module) worker script. Messages that arrive before it has loaded wait here.
      const bootURL = blobURL(`const early = []; const keep = (e) => early.push(e);
addEventListener('message', keep);
import(${JSON.stringify(workerURL)}).then(
  () => { removeEventListener('message', keep); for (const e of early) dispatchEvent(new MessageEvent('message', { data: e.data })); },
  (err) => postMessage({ type: 'init-failed', message: 'the experiment worker did not load: ' + err }));`);
      const wasmModule = await WebAssembly.compile(wasm);
      // The threaded engine starts its pool of Workers from this script: one per core after the
      // first (at most 7), in every experiment worker.
      const cores = Math.min(8, Math.max(2, navigator.hardwareConcurrency || 2));
      const threads = typeof pthreadWorker === 'string' ? { workerURL: blobURL(pthreadWorker), pool: cores - 1 } : null;
      resolveAssets({ bootURL, engineURL: blobURL(engine), wasmModule, threads });
    } catch (err) {
      resolveAssets({ failed: `the engine did not compile: ${err && err.message ? err.message : err}` });
    }
  }

  // Pyodide fetches its own files by URL: they become blob: URLs of this frame (its policy
  // allows connect-src blob: and nothing else), and its wasm is compiled here once for every
  // Python worker, as the engine's is.
  async function takePythonAssets({ files, snapshot }) {
    pythonAssets();
    if (snapshot instanceof Uint8Array && !pythonSnapshot) pythonSnapshot = snapshot;
    try {
      const text = (name) => new TextDecoder().decode(files[name]);
      const url = (name, type) => URL.createObjectURL(new Blob([files[name]], { type }));
      const asmModule = await WebAssembly.compile(files['pyodide.asm.wasm']);
      resolvePython({
        pyodideURL: url('pyodide.mjs', 'text/javascript'),
        asmURL: url('pyodide.asm.mjs', 'text/javascript'),
        stdlibURL: url('python_stdlib.zip', 'application/zip'),
        lock: text('pyodide-lock.json'),
        lab: text('lab.json'),
        asmModule,
      });
    } catch (err) {
      resolvePython({ failed: `Python did not compile: ${err && err.message ? err.message : err}` });
    }
  }

  function end(id, message) {
    const worker = workers.get(id);
    if (!worker) return;
    worker.terminate();
    workers.delete(id);
    if (message) send({ type: 'error', id, message });
  }

  async function spawn(id, language) {
    const assets = await assetsReady;
    const python = language === 'python' ? await pythonAssets() : null;
    const failed = assets.failed || (python && python.failed);
    if (failed) {
      send({ type: 'message', id, data: { type: 'init-failed', message: failed } });
      return;
    }
    if (endedEarly.delete(id) || workers.has(id)) return;
    const worker = new Worker(assets.bootURL);
    workers.set(id, worker);
    let windowStart = 0;
    let count = 0;
    worker.addEventListener('message', ({ data }) => {
      // A Python worker's snapshot of Pyodide, taken as it started: kept here, from a worker that
      // has run nothing yet, once.
      // (`replaces`: the one it was given did not load.)
      if (data && data.type === 'python-snapshot') {
        if (python && (!pythonSnapshot || data.replaces === true) && !given.has(id) && data.bytes instanceof Uint8Array) {
          pythonSnapshot = data.bytes;
          const copy = data.bytes.slice();
          port.postMessage({ type: 'python-snapshot', bytes: copy }, [copy.buffer]);
        }
        return;
      }
      const now = performance.now();
      if (now - windowStart > 1000) {
        windowStart = now;
        count = 0;
      }
      if (++count > MAX_MESSAGES_PER_SECOND) {
        end(id, `the experiment sent more than ${MAX_MESSAGES_PER_SECOND} messages in one second and was stopped`);
        return;
      }
      send({ type: 'message', id, data });
    });
    worker.addEventListener('messageerror', () => end(id, 'the experiment sent a message that could not be read'));
    worker.addEventListener('error', (event) => {
      event.preventDefault();
      send({ type: 'error', id, message: event.message || 'the experiment worker crashed' });
    });
    const pythonInit = python && { ...python, snapshot: pythonSnapshot, makeSnapshot: !pythonSnapshot };
    worker.postMessage({ type: 'init', engineURL: assets.engineURL, wasmModule: assets.wasmModule, threads: assets.threads, python: pythonInit });
  }

  function handle(message) {
    if (!message || typeof message !== 'object') return;
    const { type, id } = message;
    if (type === 'assets') takeAssets(message);
    else if (type === 'python-assets') takePythonAssets(message);
    else if (typeof id !== 'number') return;
    else if (type === 'spawn') spawn(id, message.language);
    else if (type === 'post') {
      given.add(id);
      workers.get(id)?.postMessage(message.data);
    }
    else if (type === 'terminate') {
      if (workers.has(id)) end(id, null);
      else endedEarly.add(id);
    }
  }

  // The page hands over a port once; nothing else that reaches this window is listened to.
  addEventListener('message', (event) => {
    if (port || event.source !== parent || !event.ports || !event.ports[0]) return;
    port = event.ports[0];
    port.onmessage = (e) => handle(e.data);
    send({ type: 'frame-ready' });
  });
})();
