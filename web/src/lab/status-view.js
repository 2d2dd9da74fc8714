// The status line of a cell: one short sentence and a coloured dot.
// tone: 'idle' | 'busy' | 'ok' | 'warn' | 'error'. While busy, an elapsed-time
// counter keeps ticking beside the sentence (hidden from screen readers, which
// hear the sentence once). Durations are worded by the page's language
// (duration in site/i18n.js).

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
    clearInterval(this.#timer);
    this.#timer = 0;
    this.#text.textContent = text;
    this.#elapsed.textContent = '';
    this.#root.dataset.tone = tone;
  }

  /** "Running… 1.3 s", the time updated ten times a second until the next show(). */
  showElapsed(text, since) {
    this.show(text, 'busy');
    this.#timer = setInterval(() => {
      const ms = performance.now() - since;
      this.#elapsed.textContent = ms < 300 ? '' : this.#duration(ms);
    }, 100);
  }
}
