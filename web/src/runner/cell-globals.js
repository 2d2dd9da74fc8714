// What the reader's code sees besides gl: print, console, plot, progress,
// knob, download, seed and parallel (source.js READER_PARAMS lists them in order). Built once per
// run around an Outbox; the worker posts what the outbox gathers, and
// web/tools/check-chapters.mjs runs the same globals in Node. Pure: no DOM,
// no engine.
import { formatPrintArgs } from './format.js';
import { normalisePlotSpec } from './plot-spec.js';
import { makeKnobFunction } from './knobs.js';
import { downloadItem } from './downloads.js';

/**
 * { print, console, plot, progress, knob, download, seed } for one run.
 *   outbox  an Outbox (outbox.js), or anything with print(text, level), plot(spec), progress(step, total),
 *           download(item)
 *   knobs   { label: value } the page chose; knob() falls back to the declared default
 *   seed    the cell's seed (a non-negative integer), which gl was seeded with
 *   parallel  the run's parallel() (runner/parallel.js); without one, a cell that calls it is
 *           told where it runs
 */
export function makeCellGlobals({ outbox, knobs = {}, seed = 0, parallel = unavailableParallel }) {
  const say = (level) => (...args) => outbox.print(formatPrintArgs(args), level);
  const print = say('log');

  function plot(spec) {
    outbox.plot(normalisePlotSpec(spec));
  }

  // progress(step, total): the page shows a bar, the step count and the time left.
  function progress(step, total) {
    if (!Number.isFinite(step) || !Number.isFinite(total) || total <= 0) {
      throw new TypeError(`progress: expected progress(step, total) with numbers and total > 0, got progress(${step}, ${total})`);
    }
    outbox.progress(Math.min(Math.max(step, 0), total), total);
  }

  // console.log & co. in the reader's code go to the cell's console too.
  const console = Object.freeze({
    log: print,
    info: say('info'),
    debug: say('info'),
    warn: say('warn'),
    error: say('error'),
  });

  // download(name, bytes | text, { type }): a button in the cell's output that saves the
  // file when the reader clicks it (downloads.js); the code itself cannot save anything.
  function download(name, data, options) {
    const item = downloadItem(name, data, options ?? {});
    outbox.download?.(item);
    return { name: item.name, size: item.bytes.length };
  }

  return { print, console, plot, progress, knob: makeKnobFunction(knobs), download, seed, parallel };
}

async function unavailableParallel() {
  throw new Error('parallel: not available here; it runs in the lab\'s experiment worker and in web/tools/check-chapters.mjs');
}
