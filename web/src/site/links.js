// The links a cell offers: a share URL that reproduces it, and HTML that
// embeds it in another page. Built from the page's own address, so they
// point wherever the site is served (any host, any sub-folder).
import { cellShareState, serialiseHash } from '../state/url-state.js';

/** The site's folder URL, from any page of it (index.html or embed.html). */
export function siteBase(href = location.href) {
  return new URL('./', href.split('#')[0]).href;
}

export function shareURL(state, href = location.href) {
  return `${siteBase(href)}${serialiseHash(cellShareState(state))}`;
}

export function embedURL(state, href = location.href) {
  return `${siteBase(href)}embed.html${serialiseHash(cellShareState(state))}`;
}

/** The gl API reference (a page of the site) in `lang`. */
export function apiReferenceURL(lang, href = location.href) {
  return `${siteBase(href)}${serialiseHash({ lang, chapter: 'api' })}`;
}

function escapeAttr(s) {
  return String(s).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

/** An <iframe> for one cell, sandboxed: the host page and the cell cannot reach each other. */
export function embedSnippet(state, title, href = location.href) {
  return (
    `<iframe src="${escapeAttr(embedURL(state, href))}" title="${escapeAttr(`gradlab: ${title}`)}" ` +
    'width="100%" height="760" style="border:0" loading="lazy" ' +
    'sandbox="allow-scripts allow-same-origin allow-downloads allow-popups allow-popups-to-escape-sandbox"></iframe>'
  );
}

/** The note shown above a shared cell whose link could not be read. */
export function linkNote(text) {
  const note = document.createElement('p');
  note.className = 'chapter-note link-note';
  note.setAttribute('role', 'alert');
  note.textContent = text;
  return note;
}
