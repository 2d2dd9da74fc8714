// Korean text is set in the site's own font where the system has none: fonts/korean.css, written
// by web/tools/korean-font-plugin.mjs, declares Noto Sans KR as the family 'gradlab Korean' in
// about 120 files per weight, each with a unicode-range, so a page downloads only the files
// holding the characters it draws (any syllable a reader types included); the service worker
// keeps them.
// Pages wait for it, briefly, before they put Korean on screen: Chromium keeps the fallback
// glyphs (empty boxes) for text it shaped in a new style while the face for those characters was
// still loading, even after the face arrives. With one face split into ~120 files by
// unicode-range, "the face" is each file: so a page asks, before it draws, for the files of every
// Hangul syllable it is about to draw (the interface's strings, what the static page already
// holds, and the chapter's own text), not just one sample character.
import './fonts/korean.css';
import { LANG_NAMES, uiStrings } from './i18n.js';

const FAMILY = '"gradlab Korean"';
const WEIGHTS = [400, 700];
const HANGUL = /[\u3130-\u318f\uac00-\ud7a3]/gu;
const requested = new Set(); // syllables whose files were already asked for
const pending = new Map(); // text -> promise, while loading

/** Every string inside the Korean interface strings, functions' templates included. */
function interfaceText() {
  const out = [];
  const walk = (v) => {
    if (typeof v === 'string' || typeof v === 'function') out.push(String(v));
    else if (v && typeof v === 'object') for (const x of Object.values(v)) walk(x);
  };
  walk(uiStrings('ko'));
  walk(LANG_NAMES);
  return out.join(' ');
}

/**
 * Resolves when the site's Korean faces hold every Hangul syllable of the interface, of the page
 * as it stands and of `text` (both weights), or after `timeoutMs`; for other languages, of the
 * language names only.
 */
export function koreanFontReady(lang, text = '', timeoutMs = 1500) {
  if (typeof document === 'undefined' || !document.fonts) return Promise.resolve();
  // Pages in other languages still name Korean in their language switch ("한국어").
  const wanted = lang === 'ko' ? `${requested.size ? '' : interfaceText()} ${document.body?.textContent ?? ''} ${text}` : Object.values(LANG_NAMES).join(' ');
  const fresh = [...new Set(wanted.match(HANGUL) ?? [])].filter((ch) => !requested.has(ch));
  if (fresh.length) {
    for (const ch of fresh) requested.add(ch);
    const chars = fresh.join('');
    const loading = Promise.all(WEIGHTS.map((w) => document.fonts.load(`${w} 16px ${FAMILY}`, chars)))
      .catch(() => {})
      .finally(() => pending.delete(chars));
    pending.set(chars, loading);
  }
  const all = Promise.all(pending.values());
  return Promise.race([all, new Promise((resolve) => setTimeout(resolve, timeoutMs))]).then(() => {});
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
