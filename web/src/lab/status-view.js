// The status line of a cell: one short sentence and a coloured dot.
// tone: 'idle' | 'busy' | 'ok' | 'warn' | 'error'. While busy, an elapsed-time
// counter keeps ticking beside the sentence (hidden from screen readers, which
// hear the sentence once).

export function formatDuration(ms) {
  if (ms < 1000) return `${Math.max(1, Math.round(ms))} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${s % 60} s`;
}

export class StatusView {
  #root;
  #text;
  #elapsed;
  #timer = 0;

  constructor(root) {
    this.#root = root;
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
      this.#elapsed.textContent = ms < 300 ? '' : formatDuration(ms);
    }, 100);
  }
}
