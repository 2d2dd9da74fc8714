// The progress of a training loop: a bar, "step 120 / 500" and the time left,
// from the reader's progress(step, total). A view; the time left is estimated
// from the steps done since the first report. Drawn at most every DRAW_MS (the latest report
// then): a loop reports many times a second, and each drawing is a frame of the whole page,
// CPU the run needs (status-view.js).
const DRAW_MS = 250;

export class ProgressView {
  #root;
  #bar;
  #text;
  #strings;
  #first = null; // { step, t } of the first report of this run
  #latest = null; // { step, total, now } not drawn yet
  #timer = 0;
  #drawnAt = -Infinity;

  constructor(root, strings) {
    this.#root = root;
    this.#strings = strings;
    this.#bar = document.createElement('progress');
    this.#bar.max = 1;
    this.#bar.value = 0;
    this.#text = document.createElement('span');
    this.#text.className = 'progress-text';
    root.append(this.#bar, this.#text);
    root.hidden = true;
  }

  reset() {
    clearTimeout(this.#timer);
    this.#timer = 0;
    this.#latest = null;
    this.#drawnAt = -Infinity;
    this.#first = null;
    this.#root.hidden = true;
    this.#root.dataset.step = '';
  }

  show(step, total, now = performance.now()) {
    this.#root.dataset.step = String(step);
    this.#root.dataset.total = String(total);
    if (!this.#first || step < this.#first.step) this.#first = { step, t: now };
    this.#latest = { step, total, now };
    if (this.#timer) return;
    const wait = this.#drawnAt + DRAW_MS - now;
    if (wait <= 0) this.#draw();
    else this.#timer = setTimeout(() => this.#draw(), wait);
  }

  #draw() {
    clearTimeout(this.#timer);
    this.#timer = 0;
    if (!this.#latest) return;
    const { step, total, now } = this.#latest;
    this.#latest = null;
    this.#drawnAt = now;
    this.#root.hidden = false;
    this.#bar.max = total;
    this.#bar.value = step;
    this.#bar.setAttribute('aria-label', this.#strings.label);
    let left = '';
    const done = step - this.#first.step;
    if (done > 0 && step < total) {
      const ms = ((now - this.#first.t) / done) * (total - step);
      left = this.#strings.left(this.#strings.duration(ms));
    }
    this.#text.textContent = `${this.#strings.step(step, total)}${left ? ` · ${left}` : ''}`;
  }

  /** The run ended: keep the last count, drop the estimate. */
  finish() {
    this.#draw();
    if (this.#root.hidden) return;
    this.#text.textContent = this.#strings.step(Number(this.#root.dataset.step), Number(this.#root.dataset.total));
  }
}
