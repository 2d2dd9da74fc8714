// <gradlab-experiment chapter="lstm-cell" cell="lstm-cell" lang="en"></gradlab-experiment>
// One gradlab experiment in any page. Load this file from the gradlab site
// (<script type="module" src="https://…/gradlab/gradlab-embed.js"></script>);
// the element puts a sandboxed <iframe> to that site's embed.html in the page,
// so the experiment's code runs on gradlab's origin, in a worker, and neither
// it nor the host page can reach the other. The frame grows to fit the cell.
// Attributes: chapter, cell (default: the chapter's first), lang (ko | en),
// height (initial, in px; default 760).
const EMBED_PAGE = new URL('./embed.html', import.meta.url);

class GradlabExperiment extends HTMLElement {
  static observedAttributes = ['chapter', 'cell', 'lang', 'height'];

  #frame = null;
  #onMessage = (event) => {
    if (!this.#frame || event.source !== this.#frame.contentWindow) return;
    if (event.origin !== EMBED_PAGE.origin) return;
    const { type, height } = event.data ?? {};
    if (type === 'gradlab:height' && Number.isFinite(height) && height > 0) {
      this.#frame.style.height = `${Math.min(Math.ceil(height), 5000)}px`;
    }
  };

  connectedCallback() {
    if (!this.shadowRoot) {
      const root = this.attachShadow({ mode: 'open' });
      root.innerHTML = '<style>:host{display:block}iframe{display:block;width:100%;border:0;color-scheme:normal}</style>';
      this.#frame = document.createElement('iframe');
      this.#frame.setAttribute('sandbox', 'allow-scripts allow-same-origin allow-downloads allow-popups allow-popups-to-escape-sandbox');
      this.#frame.setAttribute('loading', 'lazy');
      this.#frame.setAttribute('allow', 'clipboard-write');
      root.append(this.#frame);
    }
    window.addEventListener('message', this.#onMessage);
    this.#update();
  }

  disconnectedCallback() {
    window.removeEventListener('message', this.#onMessage);
  }

  attributeChangedCallback() {
    if (this.#frame) this.#update();
  }

  #update() {
    const params = new URLSearchParams();
    for (const name of ['lang', 'chapter', 'cell']) {
      const value = this.getAttribute(name);
      if (value) params.set(name, value);
    }
    const src = `${EMBED_PAGE.href}#${params}`;
    if (this.#frame.src !== src) this.#frame.src = src;
    this.#frame.title = `gradlab: ${this.getAttribute('cell') ?? this.getAttribute('chapter') ?? 'experiment'}`;
    this.#frame.style.height = `${Number(this.getAttribute('height')) || 760}px`;
  }
}

if (!customElements.get('gradlab-experiment')) customElements.define('gradlab-experiment', GradlabExperiment);
