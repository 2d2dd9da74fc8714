// gradlab's embedding script, for course pages on any site. Load it from the
// gradlab site as a plain script (a module script needs the site to send CORS
// headers; a plain one does not):
//   <script src="https://…/gradlab/gradlab-embed.js"></script>
// It does two things:
// - fits every <iframe> of this site's embed.html in the page to its content:
//   the embed page posts { type: 'gradlab:height', height } to its parent
//   whenever its size changes, and when this script asks ({ type:
//   'gradlab:measure' }, for frames that loaded before it). Without this script
//   the iframe keeps its own height attribute.
// - defines <gradlab-experiment src="https://…/gradlab/embed.html#…">, or the
//   short form <gradlab-experiment lang="en" chapter="lstm-cell" cell="lstm-cell">
//   (also editor="fold|hide", run="load", height="760" for the first height):
//   a sandboxed <iframe> to that page, fitted the same way. What the element
//   holds in the page is shown only while the script has not run (say there
//   what to do when it does not load).
// The experiment's code runs in gradlab's sandbox, in the frame; the host page
// and it cannot reach each other. The only message read here is a height,
// only from a frame of this site's embed page in this document, and clamped.
(() => {
  const KEY = Symbol.for('gradlab-embed');
  if (window[KEY]) return; // the script included twice (two snippets on one page)
  window[KEY] = true;

  // This script's own address: its folder is the gradlab site.
  const script =
    document.currentScript ?? [...document.scripts].reverse().find((s) => /(^|\/)gradlab-embed\.js([?#]|$)/.test(s.src));
  const EMBED_PAGE = new URL('embed.html', script ? script.src : location.href);
  const SITE_ORIGIN = EMBED_PAGE.origin;
  const EMBED_PATH = EMBED_PAGE.href.split('#')[0];

  const MIN_HEIGHT = 80;
  const MAX_HEIGHT = 8000;
  const DEFAULT_HEIGHT = 760;
  const SANDBOX = 'allow-scripts allow-same-origin allow-downloads allow-popups allow-popups-to-escape-sandbox';
  const SHORT_FORM = ['lang', 'chapter', 'cell', 'editor', 'run'];

  /** An address of this site's embed page, or null. */
  function embedAddress(value) {
    try {
      const url = new URL(value, document.baseURI);
      return url.href.split('#')[0] === EMBED_PATH ? url.href : null;
    } catch {
      return null;
    }
  }

  const frames = new Set(); // the frames the elements made

  function frameOf(source) {
    for (const frame of frames) if (frame.contentWindow === source) return frame;
    for (const frame of document.querySelectorAll('iframe')) {
      if (frame.contentWindow === source && embedAddress(frame.getAttribute('src') ?? '')) return frame;
    }
    return null;
  }

  window.addEventListener('message', (event) => {
    if (event.origin !== SITE_ORIGIN || !event.source) return;
    const data = event.data;
    if (!data || data.type !== 'gradlab:height' || typeof data.height !== 'number' || !Number.isFinite(data.height)) return;
    const frame = frameOf(event.source);
    if (!frame) return;
    const height = Math.min(MAX_HEIGHT, Math.max(MIN_HEIGHT, Math.ceil(data.height)));
    frame.style.height = `${height}px`;
  });

  // An embed frame that had loaded and told its height before this (async) script ran told
  // nobody: ask the embed frames already here to say it again. A frame still loading drops
  // the question (its document is not yet of the site's origin) and tells its height later.
  for (const frame of document.querySelectorAll('iframe')) {
    if (embedAddress(frame.getAttribute('src') ?? '')) frame.contentWindow?.postMessage({ type: 'gradlab:measure' }, SITE_ORIGIN);
  }

  class GradlabExperiment extends HTMLElement {
    static observedAttributes = ['src', ...SHORT_FORM];

    #frame = null;
    #note = null;

    connectedCallback() {
      if (!this.shadowRoot) {
        // No <slot>: what the element holds in the page (its fallback) is not shown once it runs.
        const root = this.attachShadow({ mode: 'open' });
        const style = document.createElement('style');
        style.textContent =
          ':host{display:block}iframe{display:block;width:100%;border:0;color-scheme:normal}' +
          'p{margin:0;padding:.75rem 1rem;border:1px solid #c9a227;border-radius:8px;font:15px/1.5 system-ui,sans-serif}';
        this.#frame = document.createElement('iframe');
        this.#frame.setAttribute('sandbox', SANDBOX);
        this.#frame.setAttribute('loading', 'lazy');
        this.#frame.setAttribute('allow', 'clipboard-write');
        this.#note = document.createElement('p');
        this.#note.setAttribute('role', 'alert');
        root.append(style, this.#frame, this.#note);
      }
      frames.add(this.#frame);
      this.#update();
    }

    disconnectedCallback() {
      frames.delete(this.#frame);
    }

    attributeChangedCallback() {
      if (this.#frame) this.#update();
    }

    #address() {
      const src = this.getAttribute('src');
      if (src !== null) return embedAddress(src);
      const params = new URLSearchParams();
      for (const name of SHORT_FORM) {
        const value = this.getAttribute(name);
        if (value) params.set(name, value);
      }
      return `${EMBED_PATH}#${params}`;
    }

    #update() {
      const src = this.#address();
      this.#frame.hidden = src === null;
      this.#note.hidden = src !== null;
      if (src === null) {
        this.#note.textContent =
          `gradlab-experiment: src는 ${EMBED_PATH}#… 주소여야 합니다(이 스크립트를 준 gradlab 사이트의 embed.html). ` +
          `/ src must be an address ${EMBED_PATH}#… (the embed page of the gradlab site this script came from).`;
        return;
      }
      if (this.#frame.src !== src) this.#frame.src = src;
      const where = new URLSearchParams(new URL(src).hash.slice(1));
      this.#frame.title = `gradlab: ${where.get('cell') ?? where.get('chapter') ?? 'experiment'}`;
      if (!this.#frame.style.height) this.#frame.style.height = `${Number(this.getAttribute('height')) || DEFAULT_HEIGHT}px`;
    }
  }

  if (!customElements.get('gradlab-experiment')) customElements.define('gradlab-experiment', GradlabExperiment);
})();
