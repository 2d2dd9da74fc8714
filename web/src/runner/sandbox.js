// Where reader code runs, seen from the page: one sandbox frame per page, an
// <iframe sandbox="allow-scripts" srcdoc> whose origin is opaque, and inside
// it one Web Worker per run (sandbox-frame.js). Code from a shared link or an
// embed thus never touches the site's origin: no caches, storage, cookies or
// service worker of the site, no network (the frame's Content-Security-Policy
// binds its workers), and no page. The page hands the frame what a worker
// needs as text and bytes (an opaque origin cannot fetch the site's files),
// which also keeps working offline and from any sub-folder.
//
// spawn() returns a worker-like object: postMessage(data), terminate(), and
// 'message' / 'error' events, so runner.js reads as if it held the Worker.
import { script as frameScript, policy as framePolicy } from 'virtual:gradlab-sandbox';
import workerScriptURL from './worker.js?worker&url';
import { loadEngine } from './engine.js';
import { loadPythonAssets, loadPythonSnapshot, savePythonSnapshot } from './python-assets.js';

async function workerSource(baseURI) {
  const url = new URL(workerScriptURL, baseURI).href;
  let response;
  try {
    response = await fetch(url);
  } catch (err) {
    throw new Error(`could not download the experiment worker (${err.message})`);
  }
  if (!response.ok) throw new Error(`could not download the experiment worker (HTTP ${response.status})`);
  return response.text();
}

/** A worker that lives in the sandbox frame, driven through the frame's port. */
class SandboxWorker extends EventTarget {
  #sandbox;
  #id;
  constructor(sandbox, id) {
    super();
    this.#sandbox = sandbox;
    this.#id = id;
  }
  postMessage(data) {
    this.#sandbox.post({ type: 'post', id: this.#id, data });
  }
  terminate() {
    this.#sandbox.end(this.#id);
  }
}

class Sandbox {
  #port;
  #frame;
  #workers = new Map(); // id -> SandboxWorker
  #nextId = 1;
  #baseURI;
  #python = null; // Promise: Pyodide's bytes handed to the frame
  failed = null; // Error once the frame or the engine could not be set up

  constructor(baseURI) {
    this.#baseURI = baseURI;
    const channel = new MessageChannel();
    this.#port = channel.port1;
    this.#port.onmessage = ({ data }) => this.#receive(data);
    const frame = document.createElement('iframe');
    frame.className = 'sandbox-frame';
    frame.hidden = true;
    frame.title = 'gradlab experiments';
    frame.setAttribute('aria-hidden', 'true');
    frame.setAttribute('sandbox', 'allow-scripts');
    // In a cross-origin isolated page the frame and its workers are isolated too, and so can
    // run the threaded engine (its origin stays opaque: TOOLCHAIN.md, "Threads and the sandbox").
    frame.setAttribute('allow', 'cross-origin-isolated');
    frame.srcdoc = `<!doctype html><meta http-equiv="Content-Security-Policy" content="${framePolicy}"><script>${frameScript}</script>`;
    frame.addEventListener('load', () => frame.contentWindow.postMessage('gradlab:sandbox', '*', [channel.port2]), { once: true });
    (document.body ?? document.documentElement).append(frame);
    this.#frame = frame;
    // Messages wait in the port until the frame takes it.
    Promise.all([loadEngine(baseURI), workerSource(baseURI)]).then(
      ([engine, worker]) => this.post({ type: 'assets', worker, engine: engine.source, wasm: engine.bytes, pthreadWorker: engine.pthreadWorker }),
      (err) => this.#fail(err),
    );
  }

  post(message, transfer = []) {
    this.#port.postMessage(message, transfer);
  }

  /** Fetches Pyodide (once) and hands its bytes to the frame, which keeps them for every Python worker. */
  #preparePython() {
    this.#python ??= Promise.all([loadPythonAssets(this.#baseURI), loadPythonSnapshot()]).then(([files, snapshot]) => {
      const transfer = Object.values(files);
      if (snapshot) transfer.push(snapshot.buffer);
      // For people and tests: where this page's Python starts from.
      if (snapshot) document.documentElement.dataset.pythonSnapshot = 'loaded';
      this.post({ type: 'python-assets', files, snapshot }, transfer);
    });
    this.#python.catch(() => {
      this.#python = null; // a later Python run tries the download again
    });
    return this.#python;
  }

  /** A new worker; language 'python' gives it Pyodide as well as the engine. */
  spawn(language = 'js') {
    const id = this.#nextId++;
    const worker = new SandboxWorker(this, id);
    this.#workers.set(id, worker);
    if (this.failed) queueMicrotask(() => this.#initFailed(worker, this.failed));
    else if (language === 'python') {
      this.#preparePython().then(
        () => this.#workers.has(id) && this.post({ type: 'spawn', id, language }),
        (err) => this.#initFailed(worker, err),
      );
    } else this.post({ type: 'spawn', id, language });
    return worker;
  }

  end(id) {
    if (this.#workers.delete(id)) this.post({ type: 'terminate', id });
  }

  remove() {
    this.#frame.remove();
    this.#port.close();
  }

  #initFailed(worker, err) {
    worker.dispatchEvent(new MessageEvent('message', { data: { type: 'init-failed', message: err.message } }));
  }

  #fail(err) {
    this.failed = err;
    for (const worker of this.#workers.values()) this.#initFailed(worker, err);
  }

  // What the frame says: a snapshot of Pyodide to keep for later visits, or one of two shapes
  // for a worker this page still holds.
  #receive(message) {
    if (!message || typeof message !== 'object') return;
    if (message.type === 'python-snapshot') {
      document.documentElement.dataset.pythonSnapshot = 'made';
      savePythonSnapshot(message.bytes).then(() => {
        document.documentElement.dataset.pythonSnapshotSaved = 'true';
      });
      return;
    }
    const worker = this.#workers.get(message.id);
    if (!worker) return;
    if (message.type === 'message') {
      worker.dispatchEvent(new MessageEvent('message', { data: message.data }));
    } else if (message.type === 'error') {
      const text = typeof message.message === 'string' ? message.message.slice(0, 1000) : 'the experiment worker failed';
      worker.dispatchEvent(new ErrorEvent('error', { message: text, cancelable: true }));
    }
  }
}

// `npm run dev` serves the worker as separate modules, which a worker started from a blob in
// the sandbox cannot import: there only, runs get a plain worker of the dev server's origin,
// without the sandbox's isolation. The built site never takes this path.
let devPython = null;
const devSandbox = {
  spawn(language = 'js') {
    const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
    const python = () =>
      (devPython ??= loadPythonAssets(document.baseURI).then(async (files) => {
        const url = (name, type) => URL.createObjectURL(new Blob([files[name]], { type }));
        const text = (name) => new TextDecoder().decode(files[name]);
        return {
          pyodideURL: url('pyodide.mjs', 'text/javascript'),
          asmURL: url('pyodide.asm.mjs', 'text/javascript'),
          stdlibURL: url('python_stdlib.zip', 'application/zip'),
          lock: text('pyodide-lock.json'),
          lab: text('lab.json'),
          asmModule: await WebAssembly.compile(files['pyodide.asm.wasm']),
        };
      }));
    loadEngine(document.baseURI)
      .then(async (engine) => worker.postMessage({
        type: 'init',
        engineURL: engine.engineURL,
        wasmModule: await WebAssembly.compile(engine.bytes),
        python: language === 'python' ? await python() : null,
      }))
      .catch((err) => worker.dispatchEvent(new MessageEvent('message', { data: { type: 'init-failed', message: err.message } })));
    return worker;
  },
};

let sandbox = null;

/** The page's sandbox, made on first use; made anew after the engine failed to load. */
export function openSandbox(baseURI) {
  if (import.meta.env.DEV) return devSandbox;
  if (sandbox?.failed) {
    sandbox.remove();
    sandbox = null;
  }
  sandbox ??= new Sandbox(baseURI);
  return sandbox;
}
