// The page's side of running experiments: no DOM here, only workers (in the
// sandbox frame, sandbox.js).
//
// Each run gets its own worker, prepared in advance ("standby") so Run starts
// at once. Stop terminates the running worker, which ends any code, even
// `while (true) {}`, and a fresh standby is prepared. A Python run needs a worker
// with Pyodide started in it (seconds): the page keeps one such standby for all its
// cells, from the first Python run on (Pyodide is not even downloaded before). What a worker sends is
// read by messages.js: anything malformed ends the run with an error.
import { openSandbox } from './sandbox.js';
import { readWorkerMessage } from './messages.js';
import { onPythonDownload } from './python-assets.js';

const START_TIMEOUT_MS = 30_000;
// A first Python run downloads 13 MB before Pyodide starts.
const PYTHON_START_TIMEOUT_MS = 180_000;

/**
 * Starts a worker in the sandbox at once (the sandbox gives it the engine as
 * soon as it has compiled it) and resolves to the worker once its engine is
 * loaded.
 */
function startWorker(baseURI, language = 'js') {
  const timeout = language === 'python' ? PYTHON_START_TIMEOUT_MS : START_TIMEOUT_MS;
  const worker = openSandbox(baseURI).spawn(language);
  const ready = new Promise((resolve, reject) => {
    const fail = (message) => {
      cleanup();
      worker.terminate();
      reject(new Error(message));
    };
    const onMessage = ({ data }) => {
      let message;
      try {
        message = readWorkerMessage(data);
      } catch (err) {
        fail(err.message);
        return;
      }
      if (message.type === 'ready') {
        cleanup();
        resolve(worker);
      } else if (message.type === 'init-failed') {
        fail(language === 'python' ? `Python did not start: ${message.message}` : `the engine did not start: ${message.message}`);
      }
    };
    const onError = (event) => {
      fail(`the experiment worker did not start${event.message ? `: ${event.message}` : ' (see the browser console)'}`);
    };
    const timer = setTimeout(() => fail(language === 'python'
      ? `Python did not start within ${timeout / 1000} s`
      : `the engine did not start within ${timeout / 1000} s`), timeout);
    const cleanup = () => {
      clearTimeout(timer);
      worker.removeEventListener('message', onMessage);
      worker.removeEventListener('error', onError);
    };
    worker.addEventListener('message', onMessage);
    worker.addEventListener('error', onError);
  });
  const started = { worker, ready, isReady: false };
  ready.then(() => {
    started.isReady = true;
  }, () => {});
  return started;
}

// The page's Python worker in waiting, from the first Python run on.
let pythonStandby = null;

function preparePythonWorker(baseURI) {
  if (pythonStandby) return pythonStandby;
  const standby = startWorker(baseURI, 'python');
  pythonStandby = standby;
  standby.ready.catch(() => {
    if (pythonStandby === standby) pythonStandby = null;
  });
  return standby;
}

function takePythonWorker(baseURI) {
  const standby = preparePythonWorker(baseURI);
  pythonStandby = null;
  return standby;
}

// A worker started before any cell exists (prewarm), taken by the first Runner.
let prewarmed = null;

/**
 * Starts compiling the engine and a first worker at once, before the page's
 * own (larger) code has even loaded, so the first cell is ready sooner.
 */
export function prewarm(baseURI) {
  prewarmed ??= startWorker(baseURI);
  prewarmed.ready.catch(() => {});
}

/**
 * States: 'loading' (engine or next worker on its way), 'ready', 'running',
 * 'failed' (the engine could not be loaded; detail says why).
 */
export class Runner {
  #baseURI;
  #listeners = new Set();
  #standby = null; // { worker, ready } being prepared for the next run
  #active = null; // { worker, finish(result), t0 } of the run in progress
  #disposed = false;
  state = 'loading';
  detail = '';

  constructor({ baseURI }) {
    this.#baseURI = baseURI;
  }

  /** listener(state, detail) now and on every change; returns an unsubscribe function. */
  onState(listener) {
    this.#listeners.add(listener);
    listener(this.state, this.detail);
    return () => this.#listeners.delete(listener);
  }

  #setState(state, detail = '') {
    if (state === this.state && detail === this.detail) return;
    this.state = state;
    this.detail = detail;
    for (const listener of this.#listeners) listener(state, detail);
  }

  /** Compiles the engine and prepares the first worker. Safe to call again after a failure. */
  start() {
    this.#prepare();
  }

  // After a run: the state of the worker waiting for the next one. One made during the run (a
  // start() while it ran, as a shared link's cell gets from the page) said nothing then.
  #showIdle() {
    if (this.#active || !this.#standby) return;
    this.#setState(this.#standby.isReady ? 'ready' : 'loading');
  }

  #prepare() {
    if (this.#standby || this.#disposed) return this.#standby;
    if (!this.#active) this.#setState('loading');
    const standby = prewarmed ?? startWorker(this.#baseURI);
    prewarmed = null;
    this.#standby = standby;
    standby.ready.then(
      () => {
        if (!this.#active && this.#standby === standby) this.#setState('ready');
      },
      (err) => {
        if (this.#standby === standby) this.#standby = null;
        if (!this.#active) this.#setState('failed', err.message);
      },
    );
    return standby;
  }

  /**
   * Runs code in a fresh worker. onOutput(items) receives batched prints and
   * plots. Resolves to { status: 'done' | 'failed' | 'stopped', ms, error }
   * where error = { name, message, line, column, trace } for 'failed'.
   *   language  'js' (default) or 'python'
   *   lang      the page's language, for the lab's own Python messages
   *   onStage(stage, detail)  while a Python run waits for its worker: 'download'
   *             ({ loaded, total } bytes), then 'start' (Pyodide starting), then 'run'
   */
  run(code, { onOutput = () => {}, knobs = {}, seed, language = 'js', lang, onStage = () => {} } = {}) {
    this.stop();
    let standby;
    let stopWatching = () => {};
    if (language === 'python') {
      standby = takePythonWorker(this.#baseURI);
      if (!standby.isReady) {
        onStage('start');
        stopWatching = onPythonDownload((p) => onStage(p.done ? 'start' : 'download', p));
      }
      this.#prepare();
    } else {
      standby = this.#prepare();
      this.#standby = null;
    }
    // Claim the run before awaiting, so a Stop during start-up cancels it.
    const run = { worker: null, t0: performance.now() };
    const result = new Promise((resolve) => {
      run.finish = (r) => {
        if (this.#active !== run) return;
        this.#active = null;
        stopWatching();
        run.worker?.terminate();
        resolve(r);
        this.#prepare();
        this.#showIdle();
        // A Python worker still starting when its run was stopped serves the next run.
        if (language === 'python' && !run.worker && !pythonStandby) {
          standby.owner = null;
          pythonStandby = standby;
        } else if (language === 'python') preparePythonWorker(this.#baseURI);
      };
    });
    standby.owner = run;
    this.#active = run;
    this.#setState('running');
    // The result does not wait for the worker: a Stop while it starts (Pyodide takes seconds)
    // ends the run at once.
    this.#begin(run, standby, { code, knobs, seed, language, lang, onOutput, onStage, stopWatching });
    return result;
  }

  async #begin(run, standby, { code, knobs, seed, language, lang, onOutput, onStage, stopWatching }) {
    let worker;
    try {
      worker = await standby.ready;
    } catch (err) {
      run.finish({ status: 'failed', ms: 0, error: { name: 'Error', message: err.message } });
      return;
    }
    if (this.#active !== run) {
      if (standby.owner === run) worker.terminate(); // stopped while the worker was starting
      return;
    }
    stopWatching();
    onStage('run');
    run.worker = worker;
    worker.addEventListener('message', ({ data }) => {
      let message;
      try {
        message = readWorkerMessage(data);
      } catch (err) {
        run.finish({ status: 'failed', ms: performance.now() - run.t0, error: { name: 'Error', message: err.message } });
        return;
      }
      if (message.type === 'output') onOutput(message.items);
      else if (message.type === 'done') run.finish({ status: 'done', ms: message.ms });
      else if (message.type === 'failed') run.finish({ status: 'failed', ms: message.ms, error: message.error });
    });
    worker.addEventListener('error', (event) => {
      event.preventDefault();
      run.finish({
        status: 'failed',
        ms: performance.now() - run.t0,
        error: { name: 'Error', message: event.message || 'the experiment worker crashed' },
      });
    });
    run.t0 = performance.now();
    worker.postMessage({ type: 'run', code, knobs, seed, language, lang });
  }

  /** Ends the run in progress, if any, at once. */
  stop() {
    const run = this.#active;
    if (!run) return false;
    run.finish({ status: 'stopped', ms: performance.now() - run.t0 });
    return true;
  }

  /** Ends any run and the prepared worker: the cell is going away. */
  dispose() {
    this.#disposed = true;
    this.stop();
    this.#standby?.worker.terminate();
    this.#standby = null;
    this.#listeners.clear();
  }

  get running() {
    return this.#active !== null;
  }
}
