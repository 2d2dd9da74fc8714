// The links a cell offers: a share URL that reproduces it, and HTML that
// embeds it in another page. Built from the page's own address, so they
// point wherever the site is served (any host, any sub-folder). README's
// embedding snippets are these functions' output (a browser test compares).
import { cellShareState, serialiseHash } from '../state/url-state.js';

/** The site's folder URL, from any page of it (index.html or embed.html). */
export function siteBase(href = location.href) {
  return new URL('./', href.split('#')[0]).href;
}

export function shareURL(state, href = location.href) {
  return `${siteBase(href)}${serialiseHash(cellShareState(state))}`;
}

/** The embed page for a cell; `options` { editor: 'fold' | 'hide', run: 'load' } are the teacher's. */
export function embedURL(state, options = {}, href = location.href) {
  return `${siteBase(href)}embed.html${serialiseHash(cellShareState(state, options))}`;
}

/** The gl API reference (a page of the site) in `lang`. */
export function apiReferenceURL(lang, href = location.href) {
  return `${siteBase(href)}${serialiseHash({ lang, chapter: 'api' })}`;
}

function escapeAttr(s) {
  return String(s).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

// A URL from serialiseHash has '&' only between its parameters (a value's own
// '&' is %26), each followed by a name and '=': no character reference can
// start there, so the address stays readable in the attribute.
function urlAttr(url) {
  return String(url).replace(/"/g, '%22').replace(/</g, '%3C').replace(/>/g, '%3E');
}

/** The iframe's height without gradlab-embed.js (px): the whole cell with its code, or without it. */
export function defaultHeight(options = {}) {
  return options.editor ? 680 : 1100;
}

const SANDBOX = 'allow-scripts allow-same-origin allow-downloads allow-popups allow-popups-to-escape-sandbox';

/**
 * HTML that embeds one cell, two ways, both sandboxed (the host page and the
 * cell cannot reach each other):
 *   iframe   an <iframe> that works anywhere, and the script that fits its height
 *   element  the script and a <gradlab-experiment>, with what to say if the script does not load
 */
export function embedSnippets(state, title, options = {}, href = location.href) {
  const src = urlAttr(embedURL(state, options, href));
  const script = `${urlAttr(siteBase(href))}gradlab-embed.js`;
  const name = escapeAttr(`gradlab: ${title}`);
  const iframe =
    `<iframe src="${src}"\n` +
    `  title="${name}" width="100%" height="${defaultHeight(options)}" style="border:0" loading="lazy" allow="clipboard-write"\n` +
    `  sandbox="${SANDBOX}"></iframe>\n` +
    `<script src="${script}" async></script>`;
  // The element's script is not async: the element is defined before the page reaches it, so
  // its fallback text is never shown on the way; only when the script could not be loaded.
  const element =
    `<script src="${script}"></script>\n` +
    `<gradlab-experiment src="${src}" height="${defaultHeight(options)}">\n` +
    `  <p><a href="${src}" target="_blank" rel="noopener">${escapeAttr(title)}</a>: 이 자리에 gradlab 실험이 보여야 하는데, 실험을 띄우는 스크립트 gradlab-embed.js를 불러오지 못했습니다. 링크를 누르면 실험이 새 탭에서 열립니다.\n` +
    `  / This should show a gradlab experiment, but its script, gradlab-embed.js, did not load. The link opens it in a new tab.</p>\n` +
    '</gradlab-experiment>';
  return { iframe, element };
}

/** The note shown above a shared cell whose link could not be read. */
export function linkNote(text) {
  const note = document.createElement('p');
  note.className = 'chapter-note link-note';
  note.setAttribute('role', 'alert');
  note.textContent = text;
  return note;
}
