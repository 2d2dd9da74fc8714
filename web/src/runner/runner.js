// The page's side of running experiments: no DOM here, only workers.
//
// Each run gets its own worker, prepared in advance ("standby") so Run starts
// at once. Stop terminates the running worker, which ends any code, even
// `while (true) {}`, and a fresh standby is prepared.
import { engineScriptURL, loadEngine } from './engine.js';

function spawnWorker() {
  return new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
}

const START_TIMEOUT_MS = 30_000;

/**
 * Starts a worker at once (its script and the engine's JS load while the page
 * is still compiling the wasm), hands it the engine when `engine` resolves,
 * and resolves to the worker once its engine is loaded.
 */
function startWorker(engineURL, engine) {
  const worker = spawnWorker();
  worker.postMessage({ type: 'preload', engineURL });
  const ready = new Promise((resolve, reject) => {
    const fail = (message) => {
      cleanup();
      worker.terminate();
      reject(new Error(message));
    };
    const onMessage = ({ data }) => {
      if (data.type === 'ready') {
        cleanup();
        resolve(worker);
      } else if (data.type === 'init-failed') {
        fail(`the engine did not start: ${data.message}`);
      }
    };
    const onError = (event) => {
      fail(`the experiment worker did not start${event.message ? `: ${event.message}` : ' (see the browser console)'}`);
    };
    const timer = setTimeout(() => fail(`the engine did not start within ${START_TIMEOUT_MS / 1000} s`), START_TIMEOUT_MS);
    const cleanup = () => {
      clearTimeout(timer);
      worker.removeEventListener('message', onMessage);
      worker.removeEventListener('error', onError);
    };
    worker.addEventListener('message', onMessage);
    worker.addEventListener('error', onError);
    engine.then(
      ({ module }) => worker.postMessage({ type: 'init', engineURL, wasmModule: module }),
      (err) => fail(err.message),
    );
  });
  return { worker, ready };
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
    this.state = state;
    this.detail = detail;
    for (const listener of this.#listeners) listener(state, detail);
  }

  /** Compiles the engine and prepares the first worker. Safe to call again after a failure. */
  start() {
    this.#prepare();
  }

  #prepare() {
    if (this.#standby) return this.#standby;
    if (!this.#active) this.#setState('loading');
    const standby = startWorker(engineScriptURL(this.#baseURI), loadEngine(this.#baseURI));
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
   */
  async run(code, { onOutput = () => {} } = {}) {
    this.stop();
    const standby = this.#prepare();
    this.#standby = null;
    let worker;
    // Claim the run before awaiting, so a Stop during start-up cancels it.
    const run = { worker: null, t0: performance.now() };
    const result = new Promise((resolve) => {
      run.finish = (r) => {
        if (this.#active !== run) return;
        this.#active = null;
        run.worker?.terminate();
        resolve(r);
        this.#prepare();
      };
    });
    this.#active = run;
    this.#setState('running');
    try {
      worker = await standby.ready;
    } catch (err) {
      run.finish({ status: 'failed', ms: 0, error: { name: 'Error', message: err.message } });
      return result;
    }
    if (this.#active !== run) {
      worker.terminate(); // stopped while the worker was starting
      return result;
    }
    run.worker = worker;
    worker.addEventListener('message', ({ data }) => {
      if (data.type === 'output') onOutput(data.items);
      else if (data.type === 'done') run.finish({ status: 'done', ms: data.ms });
      else if (data.type === 'failed') run.finish({ status: 'failed', ms: data.ms, error: data.error });
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
    worker.postMessage({ type: 'run', code });
    return result;
  }

  /** Ends the run in progress, if any, at once. */
  stop() {
    const run = this.#active;
    if (!run) return false;
    run.finish({ status: 'stopped', ms: performance.now() - run.t0 });
    return true;
  }

  get running() {
    return this.#active !== null;
  }
}
