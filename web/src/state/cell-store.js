// Where a reader's edits live between visits: localStorage, one entry per
// cell and language, and the chosen language. Storage can be unavailable
// (private modes, blocked third-party storage): then nothing is kept and
// nothing fails.

const PREFIX = 'gradlab:v1:';

function storage() {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

function get(key) {
  try {
    return storage()?.getItem(PREFIX + key) ?? null;
  } catch {
    return null;
  }
}

function set(key, value) {
  try {
    if (value === null) storage()?.removeItem(PREFIX + key);
    else storage()?.setItem(PREFIX + key, value);
  } catch {
    // full or blocked: the edit lives on in the page
  }
}

const cellKey = ({ lang, chapter, cell }) => `cell:${lang}/${chapter}/${cell}`;

const CODE_LANGUAGES = ['js', 'python'];

/**
 * { code, knobs, seed, language, codes } saved for a cell, or null. code is in `language`
 * ('js' | 'python', or undefined for an entry saved before cells had two); codes holds the
 * code of each version of the cell.
 */
export function loadCell(where) {
  const raw = get(cellKey(where));
  if (!raw) return null;
  try {
    const v = JSON.parse(raw);
    if (typeof v?.code !== 'string') return null;
    const codes = {};
    for (const l of CODE_LANGUAGES) if (typeof v.codes?.[l] === 'string') codes[l] = v.codes[l];
    return {
      code: v.code,
      knobs: v.knobs && typeof v.knobs === 'object' ? v.knobs : {},
      seed: Number.isInteger(v.seed) ? v.seed : undefined,
      language: CODE_LANGUAGES.includes(v.language) ? v.language : undefined,
      codes,
    };
  } catch {
    return null;
  }
}

export function saveCell(where, { code, knobs, seed, language, codes }) {
  set(cellKey(where), JSON.stringify({ code, knobs, seed, language, codes, saved: Date.now() }));
}

/** The language the reader last chose for cells that have two ('js' | 'python'), or null. */
export function loadCodeLanguage() {
  const v = get('code-language');
  return CODE_LANGUAGES.includes(v) ? v : null;
}

export function saveCodeLanguage(language) {
  set('code-language', language);
}

export function forgetCell(where) {
  set(cellKey(where), null);
}

export function loadLang() {
  return get('lang');
}

export function saveLang(lang) {
  set('lang', lang);
}
