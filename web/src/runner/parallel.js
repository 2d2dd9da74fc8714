// parallel(items, fn, options): independent runs of one cell on every core.
//
//   const results = await parallel(['tanh RNN', 'LSTM', 'IRNN'], (kind, { index, report }) => {
//     ... train a model of this kind, report({ step, loss }) now and then ...
//     return { curve };               // plain data: it crosses to another thread
//   }, { onReport: (value, index) => { ... merge and plot ... } });
//
// Each item runs in a worker of its own that runs the cell's code again, with the same knobs
// and seed, up to this call (a fork by re-execution: a function cannot be sent to another
// thread, but the code that made it can). So fn(item) starts from the cell exactly as it was
// when parallel() was called, closures and all, whatever the number of workers and whatever
// ran before in another worker; what fn changes stays in its worker. The code before the call
// must therefore run the same way again (gl's random numbers do, being seeded; Math.random and
// the clock do not). Up to `workers` items run at a time (default: one per core,
// navigator.hardwareConcurrency); results come back in the items' order.
//
// What a worker prints and plots inside fn reaches the cell; what it printed before (the
// re-run of the code before the call) does not, so the cell's output is what one run shows.
// progress(step, total) in fn counts towards one bar for all the items.
//
// No DOM, no engine: the thread a child runs in comes from `spawn` (runner/worker.js in the page,
// web/tools/check-chapters.mjs in Node), so the same code serves both.

import { ExperimentError } from './source.js';

export const PARALLEL_LIMITS = Object.freeze({ items: 64, workers: 16 });

const who = 'parallel';

function describe(v) {
  if (typeof v === 'function') return 'a function';
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (v === null || typeof v !== 'object') return typeof v === 'string' ? JSON.stringify(v.slice(0, 40)) : String(v);
  return v.constructor?.name ? `a ${v.constructor.name}` : 'an object';
}

// What a worker may hand back: what postMessage copies faithfully. A class instance (a gl
// tensor, a model) would arrive as a bare object without its methods: refuse it by name.
const PLAIN = new Set([Object.prototype, Array.prototype, null]);
function checkPlain(value, what, seen = new Set(), depth = 0) {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'function' || typeof value === 'symbol') {
      throw new TypeError(`${who}: ${what} is ${typeof value === 'function' ? 'a function' : 'a symbol'}, which cannot leave its worker; return plain data (numbers, strings, arrays, objects, typed arrays)`);
    }
    return;
  }
  if (seen.has(value) || depth > 64) return;
  seen.add(value);
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer || value instanceof Date) return;
  if (value instanceof Map) {
    for (const [k, v] of value) {
      checkPlain(k, `${what} (a Map key)`, seen, depth + 1);
      checkPlain(v, `${what} (a Map value)`, seen, depth + 1);
    }
    return;
  }
  if (value instanceof Set) {
    for (const v of value) checkPlain(v, `${what} (a Set element)`, seen, depth + 1);
    return;
  }
  if (!PLAIN.has(Object.getPrototypeOf(value))) {
    const name = value.constructor?.name ?? 'class';
    const hint = name === 'Tensor' ? ' (for a tensor, return t.toArray() or t.item())' : '';
    throw new TypeError(`${who}: ${what} is a ${name}, which would arrive without its methods; return plain data: numbers, strings, arrays, objects, typed arrays${hint}`);
  }
  for (const [k, v] of Object.entries(value)) checkPlain(v, `${what}.${k}`, seen, depth + 1);
}

/** An outbox that drops everything until open() (a child's re-run of the code before the call). */
function gatedOutbox(outbox) {
  let open = false;
  const pass = (name) => (...args) => (open ? outbox[name](...args) : undefined);
  return {
    print: pass('print'),
    plot: pass('plot'),
    progress: pass('progress'),
    // A file made before the call is made by the cell itself, once; a child hands none of it.
    download: pass('download'),
    open() {
      open = true;
    },
  };
}

function checkCall(items, fn, options) {
  if (!Array.isArray(items)) {
    throw new TypeError(`${who}: items must be an array (parallel(items, fn, options)), got ${describe(items)}`);
  }
  if (items.length === 0) throw new RangeError(`${who}: items is empty; give at least one item to run fn on`);
  if (items.length > PARALLEL_LIMITS.items) {
    throw new RangeError(`${who}: ${items.length} items, more than the ${PARALLEL_LIMITS.items} one call runs; split them into several calls`);
  }
  if (typeof fn !== 'function') throw new TypeError(`${who}: fn must be a function (item, { index, report }) => result, got ${describe(fn)}`);
  if (options === undefined || options === null) return {};
  if (typeof options !== 'object' || Array.isArray(options)) throw new TypeError(`${who}: options must be an object { workers, onReport }, got ${describe(options)}`);
  const unknown = Object.keys(options).filter((k) => k !== 'workers' && k !== 'onReport');
  if (unknown.length) throw new TypeError(`${who}: unknown option '${unknown[0]}' (the options are workers and onReport)`);
  const { workers, onReport } = options;
  if (workers !== undefined && !(Number.isInteger(workers) && workers >= 1 && workers <= PARALLEL_LIMITS.workers)) {
    throw new RangeError(`${who}: workers must be a whole number from 1 to ${PARALLEL_LIMITS.workers}, got ${describe(workers)}`);
  }
  if (onReport !== undefined && typeof onReport !== 'function') {
    throw new TypeError(`${who}: onReport must be a function (value, index) => ..., got ${describe(onReport)}`);
  }
  return { workers, onReport };
}

/**
 * The parallel() of one run, and the outbox the run's globals should write to.
 *   outbox  the run's Outbox
 *   spawn   (child) => a child thread already given the run's code, knobs and seed, and
 *           `child` = { call, index, count, earlier }: { on(type, listener) for 'message' and
 *           'error', terminate() }. Its messages are the worker's: output, parallel-report,
 *           parallel-result, done, failed, init-failed.
 *   cores   how many items to run at once by default
 *   child   in a child: { call, index, count, earlier, post(message) } (else null)
 */
export function parallelContext({ outbox, spawn, cores = 1, child = null }) {
  let calls = 0; // parallel() calls made so far by this run
  let inside = false; // in a child, while fn runs

  if (child) {
    const gate = gatedOutbox(outbox);
    async function parallel(items, fn, options) {
      if (inside) throw new Error(`${who}: fn cannot call parallel() itself: a parallel run does not nest`);
      checkCall(items, fn, options);
      const call = calls++;
      if (call < child.call) return child.earlier[call]; // an earlier call: its results, as the cell got them
      if (items.length !== child.count) {
        throw new Error(`${who}: the code before parallel() ran differently in a worker (${child.count} items in the cell's run, ${items.length} in the worker's): it must not depend on Math.random, the clock or anything else that changes between runs`);
      }
      inside = true;
      gate.open();
      const report = (value) => {
        checkPlain(value, 'a report', new Set());
        outbox.flush();
        child.post({ type: 'parallel-report', value });
      };
      const value = await fn(items[child.index], { index: child.index, report });
      checkPlain(value, `what fn returned for item ${child.index}`);
      outbox.flush();
      child.post({ type: 'parallel-result', value });
      return new Promise(() => {}); // the cell's own run carries on from here; this worker is done
    }
    return { outbox: gate, parallel };
  }

  let running = false;
  const earlier = [];

  async function parallel(items, fn, options) {
    const { workers, onReport } = checkCall(items, fn, options);
    if (running) throw new Error(`${who}: another parallel() call is still running; await it first`);
    const call = calls++;
    const width = Math.min(items.length, workers ?? Math.max(1, Math.min(cores, PARALLEL_LIMITS.workers)));
    running = true;
    const results = new Array(items.length);
    const progress = items.map(() => null); // { step, total } per item, from its progress()
    const threads = new Set();
    let next = 0;
    let finished = 0;
    try {
      await new Promise((resolve, reject) => {
        let failed = false;
        const fail = (error) => {
          if (failed) return;
          failed = true;
          for (const t of threads) t.terminate();
          threads.clear();
          reject(error);
        };
        const sendProgress = () => {
          const known = progress.filter(Boolean);
          if (known.length === 0) return;
          // Items not started yet count as long as the longest so far. When every item has the
          // same total (the usual case: one training loop each), the bar reads in that loop's steps,
          // the mean over items, so that it matches the knob the reader set.
          const each = Math.max(...known.map((p) => p.total));
          const total = progress.reduce((n, p) => n + (p ? p.total : each), 0);
          const step = progress.reduce((n, p) => n + (p ? p.step : 0), 0);
          if (known.every((p) => p.total === each)) outbox.progress(Math.floor(step / items.length), each);
          else outbox.progress(step, total);
        };
        // at the item's line in the reader's code (the same code ran in the worker)
        const itemError = (index, e) => new ExperimentError(
          e?.name || 'Error',
          `${who}: item ${index} (${describe(items[index])}) failed: ${String(e?.message ?? e).replace(/^parallel: /, '')}`,
          { line: e?.line ?? null, column: e?.column ?? null, trace: e?.trace ?? [] },
        );
        const start = () => {
          const index = next++;
          const thread = spawn({ call, index, count: items.length, earlier: earlier.slice() });
          threads.add(thread);
          const end = () => {
            thread.terminate();
            threads.delete(thread);
          };
          thread.on('message', (m) => {
            if (failed || !m || typeof m !== 'object') return;
            try {
              if (m.type === 'output') {
                for (const item of m.items) {
                  if (item.kind === 'print') outbox.forwardPrint(item);
                  else if (item.kind === 'skipped') outbox.skipped += item.count;
                  else if (item.kind === 'plot') outbox.plot(item.plot);
                  else if (item.kind === 'download') outbox.download(item);
                  else if (item.kind === 'progress') {
                    progress[index] = { step: item.step, total: item.total };
                    sendProgress();
                  }
                }
              } else if (m.type === 'parallel-report') {
                onReport?.(m.value, index);
              } else if (m.type === 'parallel-result') {
                results[index] = m.value;
                if (progress[index]) progress[index].step = progress[index].total;
                sendProgress();
                end();
                finished++;
                if (finished === items.length) resolve();
                else if (next < items.length) start();
              } else if (m.type === 'failed') {
                end();
                fail(itemError(index, m.error));
              } else if (m.type === 'done') {
                end();
                fail(new Error(`${who}: in its worker, item ${index}'s run of the cell ended without reaching this parallel() call: the code before it must run the same way every time`));
              } else if (m.type === 'init-failed') {
                end();
                fail(new Error(`${who}: the worker for item ${index} did not start: ${m.message}`));
              }
            } catch (err) {
              end();
              fail(err); // onReport threw, or the outbox refused (too many plots)
            }
          });
          thread.on('error', (err) => {
            end();
            fail(new Error(`${who}: the worker for item ${index} crashed: ${err?.message ?? err}`));
          });
        };
        for (let i = 0; i < width; i++) start();
      });
    } finally {
      running = false;
    }
    earlier.push(structuredClone(results)); // as the cell got them, whatever it does with them next
    return results;
  }

  return { outbox, parallel };
}
