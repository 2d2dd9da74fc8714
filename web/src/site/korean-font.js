// Korean text is set in the site's own font where the system has none: fonts/korean.css, written
// by web/tools/korean-font-plugin.mjs, declares Noto Sans KR as the family 'gradlab Korean' in
// about 120 files per weight, each with a unicode-range, so a page downloads only the files
// holding the characters it draws (any syllable a reader types included); the service worker
// keeps them.
// Pages wait for it, briefly, before they put Korean on screen: Chromium keeps the fallback
// glyphs (empty boxes) for text it shaped in a new style while the face was still loading, even
// after the face arrives (seen on the current chapter's link, the one text at weight 600 in its
// size). Loaded once, then this resolves at once.
import './fonts/korean.css';

const FAMILY = '"gradlab Korean"';
const WEIGHTS = [400, 700];
let loaded = null;

/** Resolves when both weights are loaded, or after `timeoutMs`, or at once for other languages. */
export function koreanFontReady(lang, timeoutMs = 1500) {
  if (lang !== 'ko' || typeof document === 'undefined' || !document.fonts) return Promise.resolve();
  loaded ??= Promise.all(WEIGHTS.map((w) => document.fonts.load(`${w} 16px ${FAMILY}`, '한'))).catch(() => {});
  return Promise.race([loaded, new Promise((resolve) => setTimeout(resolve, timeoutMs))]);
}

// Font files fetched before the service worker took charge of the page (the first seconds of a
// first visit) went past its cache: ask for them again through it, so that what was drawn once
// is drawn offline too.
const FONT_FILE = /\/noto-sans-kr-\d+-\d+-normal-[\w-]+\.woff2$/;
if (typeof navigator !== 'undefined' && navigator.serviceWorker && !navigator.serviceWorker.controller) {
  navigator.serviceWorker.addEventListener(
    'controllerchange',
    () => {
      for (const { name } of performance.getEntriesByType('resource')) if (FONT_FILE.test(name)) fetch(name).catch(() => {});
    },
    { once: true },
  );
}
