// The status line of a cell: one short sentence and a coloured dot.
// tone: 'idle' | 'busy' | 'ok' | 'warn' | 'error'. While busy, an elapsed-time
// counter ticks beside the sentence once a second (hidden from screen readers, which
// hear the sentence once). Durations are worded by the page's language
// (duration in site/i18n.js).
// Once a second, and nothing animated: every frame the page draws while a cell runs costs
// the long chapters ~20 ms of the page's thread and as much again in the compositor, CPU the
// run itself needs on a 2-core machine (a ten-per-second clock and a pulsing dot drew ~27
// frames a second: 24 of the 59 CPU-seconds of the recipe cell's run, traced).

export class StatusView {
  #root;
  #text;
  #elapsed;
  #timer = 0;
  #duration;

  /** duration(ms): the page language's wording of a duration (uiStrings(lang).duration). */
  constructor(root, { duration }) {
    this.#root = root;
    this.#duration = duration;
    this.#text = document.createElement('span');
    this.#text.className = 'status-text';
    this.#elapsed = document.createElement('span');
    this.#elapsed.className = 'status-elapsed';
    this.#elapsed.setAttribute('aria-hidden', 'true');
    root.replaceChildren(this.#text, this.#elapsed);
  }

  show(text, tone = 'idle') {
    clearTimeout(this.#timer);
    this.#timer = 0;
    this.#text.textContent = text;
    this.#elapsed.textContent = '';
    this.#root.dataset.tone = tone;
  }

  /** "Running… 3 s": the whole seconds since `since`, updated as each one passes, until the next show(). */
  showElapsed(text, since) {
    this.show(text, 'busy');
    const tick = () => {
      const ms = performance.now() - since;
      this.#elapsed.textContent = ms < 1000 ? '' : this.#duration(ms, { whole: true });
      this.#timer = setTimeout(tick, 1000 - (ms % 1000) + 5);
    };
    tick();
  }
}
