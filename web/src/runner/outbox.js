// Batches what the reader's code prints and plots into a few messages, so a
// tight loop that prints every step cannot flood the page. An item that comes
// after a quiet spell of `intervalMs` goes out at once (so
// `print('start'); while (true) {}` shows its line); otherwise at most one
// message per `intervalMs`, sent from inside print()/plot() themselves (a
// synchronous loop never yields to a timer) or from a timer while the code
// awaits. (Lines printed in a burst just before a synchronous endless loop
// can therefore stay unsent.) Pure: `post` and `now` are injected.

export class Outbox {
  constructor(post, { intervalMs = 40, maxPrints = 1000, now = () => performance.now() } = {}) {
    this.post = post;
    this.intervalMs = intervalMs;
    this.maxPrints = maxPrints;
    this.now = now;
    this.items = [];
    this.prints = 0;
    this.skipped = 0;
    this.plotIndex = new Map(); // plot id -> index in items, so repeated updates merge
    this.lastFlush = -Infinity;
    this.timer = null;
  }

  print(text, level = 'log') {
    if (this.prints >= this.maxPrints) {
      // Keep the newest lines: drop the oldest print still waiting.
      const i = this.items.findIndex((it) => it.kind === 'print');
      this.items.splice(i, 1);
      this.reindexPlots();
      this.prints--;
      this.skipped++;
    }
    this.items.push({ kind: 'print', level, text });
    this.prints++;
    this.schedule();
  }

  plot(plot) {
    const i = this.plotIndex.get(plot.id);
    if (i !== undefined) this.items[i] = { kind: 'plot', plot };
    else {
      this.plotIndex.set(plot.id, this.items.length);
      this.items.push({ kind: 'plot', plot });
    }
    this.schedule();
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
    this.skipped = 0;
    this.plotIndex.clear();
    this.post(items);
  }
}
