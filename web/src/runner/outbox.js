// Batches what the reader's code prints and plots into a few messages, so a
// tight loop that prints every step cannot flood the page. An item that comes
// after a quiet spell of `intervalMs` goes out at once (so
// `print('start'); while (true) {}` shows its line); otherwise at most one
// message per `intervalMs`, sent from inside print()/plot() themselves (a
// synchronous loop never yields to a timer) or from a timer while the code
// awaits. (Lines printed in a burst just before a synchronous endless loop
// can therefore stay unsent.) Pure: `post` and `now` are injected.
//
// What one run may send is bounded, so that no loop can flood the page: a line
// is cut at LIMITS.lineChars (the item's `more` counts what was cut), a batch
// keeps its newest printsPerBatch lines and batchChars characters (the rest
// are counted as skipped), a run draws at most LIMITS.plots plots of at most
// plotValues values each (plot-spec.js). The page refuses messages past these
// limits (messages.js). A run hands over at most DOWNLOAD_LIMITS.count files (downloads.js),
// each sent at once, never dropped.
import { DOWNLOAD_LIMITS } from './downloads.js';

export const LIMITS = Object.freeze({
  lineChars: 4_000,
  printsPerBatch: 500,
  batchChars: 32_000,
  plots: 64,
  plotValues: 1_000_000,
});

// A print item; a line past the limit is cut, and `more` says by how much (the page says it
// in its language).
function printItem(text, level) {
  if (text.length <= LIMITS.lineChars) return { kind: 'print', level, text };
  return { kind: 'print', level, text: text.slice(0, LIMITS.lineChars), more: text.length - LIMITS.lineChars };
}

export class Outbox {
  constructor(post, { intervalMs = 40, maxPrints = LIMITS.printsPerBatch, maxChars = LIMITS.batchChars, now = () => performance.now() } = {}) {
    this.post = post;
    this.intervalMs = intervalMs;
    this.maxPrints = maxPrints;
    this.maxChars = maxChars;
    this.now = now;
    this.items = [];
    this.prints = 0;
    this.chars = 0; // printed characters waiting
    this.plotIds = new Set(); // every plot this run has drawn
    this.downloads = 0; // files handed over this run
    this.skipped = 0;
    this.plotIndex = new Map(); // plot id -> index in items, so repeated updates merge
    this.lastFlush = -Infinity;
    this.timer = null;
  }

  print(text, level = 'log') {
    this.forwardPrint(printItem(String(text), level));
  }

  /** A print item made by another outbox (a parallel() worker's, runner/parallel.js), already cut. */
  forwardPrint(item) {
    // Keep the newest lines: drop the oldest prints still waiting.
    let dropped = false;
    while (this.prints > 0 && (this.prints >= this.maxPrints || this.chars + item.text.length > this.maxChars)) {
      const i = this.items.findIndex((it) => it.kind === 'print');
      this.chars -= this.items[i].text.length;
      this.items.splice(i, 1);
      this.prints--;
      this.skipped++;
      dropped = true;
    }
    if (dropped) this.reindexPlots();
    this.items.push(item);
    this.prints++;
    this.chars += item.text.length;
    this.schedule();
  }

  plot(plot) {
    if (!this.plotIds.has(plot.id)) {
      if (this.plotIds.size >= LIMITS.plots) {
        throw new RangeError(`plot: a run can draw at most ${LIMITS.plots} plots; reuse an id (or title) to update one`);
      }
      this.plotIds.add(plot.id);
    }
    const i = this.plotIndex.get(plot.id);
    if (i !== undefined) this.items[i] = { kind: 'plot', plot };
    else {
      this.plotIndex.set(plot.id, this.items.length);
      this.items.push({ kind: 'plot', plot });
    }
    this.schedule();
  }

  /** A file for the reader to save (downloads.js downloadItem): sent with the next batch. */
  download(item) {
    if (this.downloads >= DOWNLOAD_LIMITS.count) {
      throw new RangeError(`download: a run can hand over at most ${DOWNLOAD_LIMITS.count} files`);
    }
    this.downloads++;
    this.items.push(item);
    this.flush();
  }

  /** Only the newest progress report matters: it replaces any still waiting. */
  progress(step, total) {
    const i = this.items.findIndex((it) => it.kind === 'progress');
    if (i >= 0) this.items.splice(i, 1);
    this.reindexPlots();
    this.items.push({ kind: 'progress', step, total });
    this.schedule();
  }

  reindexPlots() {
    this.plotIndex.clear();
    this.items.forEach((it, i) => it.kind === 'plot' && this.plotIndex.set(it.plot.id, i));
  }

  schedule() {
    const waited = this.now() - this.lastFlush;
    if (waited >= this.intervalMs) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.intervalMs - waited);
  }

  flush() {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    if (this.items.length === 0 && this.skipped === 0) return;
    this.lastFlush = this.now();
    const items = this.skipped ? [{ kind: 'skipped', count: this.skipped }, ...this.items] : this.items;
    this.items = [];
    this.prints = 0;
    this.chars = 0;
    this.skipped = 0;
    this.plotIndex.clear();
    this.post(items);
  }
}
