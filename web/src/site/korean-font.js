// Korean text is set in the site's own font where the system has none (lab.css,
// web/tools/korean-font-plugin.mjs). Pages wait for it, briefly, before they put Korean on
// screen: Chromium keeps the fallback glyphs (empty boxes) for text it shaped in a new style
// while the face was still loading, even after the face arrives (seen on the current chapter's
// link, the one text at weight 600 in its size). Loaded once, then this resolves at once.
const FAMILY = '"gradlab Korean"';
const WEIGHTS = [400, 700];
let loaded = null;

/** Resolves when both weights are loaded, or after `timeoutMs`, or at once for other languages. */
export function koreanFontReady(lang, timeoutMs = 1500) {
  if (lang !== 'ko' || typeof document === 'undefined' || !document.fonts) return Promise.resolve();
  loaded ??= Promise.all(WEIGHTS.map((w) => document.fonts.load(`${w} 16px ${FAMILY}`, '한'))).catch(() => {});
  return Promise.race([loaded, new Promise((resolve) => setTimeout(resolve, timeoutMs))]);
}
