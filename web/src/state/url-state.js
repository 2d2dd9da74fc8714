// What a URL's hash says, as a typed table of properties (the way
// tensorflow/playground's state.ts does it): where the reader is, and for a
// shared link, the state of one experiment cell, seed included, so that
// opening the link reproduces the run. A link stays readable: knob values
// are written one by one (knobs.ρ=0.93), and only edited code is there,
// compressed with lz-string. Pure: no DOM.
//
//   index.html#lang=en&chapter=demo                       a chapter
//   index.html#lang=en&chapter=demo&section=heatmaps      a heading in it
//   index.html#lang=en&chapter=demo&cell=train&seed=7&knobs.ρ=0.93&code=…   a shared cell
//   index.html#lang=en&chapter=demo&cell=train&language=python&code=…     its Python version
//   embed.html#lang=en&chapter=demo&cell=train&editor=hide&run=load      one cell, embedded
//
// Links made before knobs were readable (knobs=<lz-string JSON>) still open.
import LZString from 'lz-string';
import { LANGS } from '../site/i18n.js';

const SLUG = /^[\p{L}\p{N}_-]{1,80}$/u;

// A link is someone else's input. lz-string can turn a few KB into hundreds of
// millions of characters (its dictionary grows with every code), so the
// compressed text is capped first (12 000 characters decompress to at most
// ~20 M in ~0.2 s, worst case) and what comes out is capped again.
export const MAX_COMPRESSED_CHARS = 12_000;
export const MAX_CODE_CHARS = 100_000;
export const MAX_KNOBS_CHARS = 10_000;
export const MAX_KNOBS = 100;

/** Why a property of a link was refused: 'damaged' or 'too-long'. */
class Refused extends Error {
  constructor(reason) {
    super(reason);
    this.reason = reason;
  }
}

function decompress(s, maxChars) {
  if (s.length > MAX_COMPRESSED_CHARS) throw new Refused('too-long');
  let v;
  try {
    v = LZString.decompressFromEncodedURIComponent(s);
  } catch {
    throw new Refused('damaged');
  }
  if (typeof v !== 'string' || v === '') throw new Refused('damaged');
  if (v.length > maxChars) throw new Refused('too-long');
  return v;
}

const TYPES = {
  enum: {
    parse: (s, p) => (p.values.includes(s) ? s : undefined),
    serialise: (v) => v,
  },
  slug: {
    parse: (s) => (SLUG.test(s) ? s : undefined),
    serialise: (v) => v,
  },
  int: {
    parse: (s) => (/^\d{1,10}$/.test(s) ? Number(s) : undefined),
    serialise: (v) => String(v),
  },
  // A JSON object, compressed: how links wrote knobs before they were readable. Read only.
  json: {
    parse: (s) => {
      let v;
      try {
        v = JSON.parse(decompress(s, MAX_KNOBS_CHARS));
      } catch (err) {
        throw err instanceof Refused ? err : new Refused('damaged');
      }
      if (v && typeof v === 'object' && !Array.isArray(v)) return v;
      throw new Refused('damaged');
    },
  },
  // Free text (code), compressed.
  text: {
    parse: (s) => decompress(s, MAX_CODE_CHARS),
    serialise: (v) => LZString.compressToEncodedURIComponent(v),
  },
};

// Knob values one by one, as people read them: knobs.ρ=0.93&knobs.training+steps=300.
// A label or value keeps its letters (of any script) and digits as they are;
// only what would break the link is percent-encoded (a space is '+').
const KNOB_PREFIX = 'knobs.';

function readable(s) {
  return String(s)
    .toWellFormed()
    .replace(/[^\p{L}\p{N}\p{M}\-._~·(),:]/gu, (c) => (c === ' ' ? '+' : encodeURIComponent(c)));
}

/** A value from a link, typed as it reads: a number, true/false, or text (the knob's declaration decides later). */
function knobFromText(s) {
  if (s === 'true' || s === 'false') return s === 'true';
  if (/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(s) && Number.isFinite(Number(s))) return Number(s);
  return s;
}

/** The knobs.* parameters of a link, or throws Refused. */
function readableKnobs(params) {
  const knobs = {};
  let count = 0;
  let chars = 0;
  for (const [name, value] of params) {
    if (!name.startsWith(KNOB_PREFIX)) continue;
    const label = name.slice(KNOB_PREFIX.length);
    chars += label.length + value.length;
    if (++count > MAX_KNOBS || chars > MAX_KNOBS_CHARS) throw new Refused('too-long');
    if (label === '' || label === '__proto__') throw new Refused('damaged');
    knobs[label] = knobFromText(value);
  }
  return count ? knobs : undefined;
}

/** Every property a URL can carry, in the order they are written. */
export const PROPERTIES = [
  { name: 'lang', type: 'enum', values: LANGS },
  { name: 'chapter', type: 'slug' },
  { name: 'section', type: 'slug' },
  { name: 'cell', type: 'slug' },
  { name: 'seed', type: 'int' },
  { name: 'knobs', type: 'json' }, // written as knobs.<label>=<value>; knobs=<compressed JSON> is read too
  { name: 'language', type: 'enum', values: ['js', 'python'] }, // the version of a cell (its code's language)
  { name: 'code', type: 'text' },
  // How an embedded cell shows itself: its code folded or hidden, and whether it runs on load.
  { name: 'editor', type: 'enum', values: ['fold', 'hide'] },
  { name: 'run', type: 'enum', values: ['load'] },
];

/**
 * The properties present and valid in a hash ("#a=1&b=2" or "a=1&b=2"); others are dropped.
 * Never throws. A shared cell's code or knobs that could not be read are named in
 * `state.refused` ({ code: 'damaged' | 'too-long', knobs: … }), so the page can say so.
 */
export function parseHash(hash) {
  let params;
  try {
    params = new URLSearchParams(String(hash ?? '').replace(/^#/, ''));
  } catch {
    return {};
  }
  const state = {};
  for (const p of PROPERTIES) {
    const raw = params.get(p.name);
    if (raw === null) continue;
    try {
      const v = TYPES[p.type].parse(raw, p);
      if (v !== undefined) state[p.name] = v;
    } catch (err) {
      state.refused ??= {};
      state.refused[p.name] = err instanceof Refused ? err.reason : 'damaged';
    }
  }
  if (state.refused?.knobs) return state;
  try {
    const knobs = readableKnobs(params);
    if (knobs) state.knobs = { ...state.knobs, ...knobs };
  } catch (err) {
    delete state.knobs;
    state.refused ??= {};
    state.refused.knobs = err instanceof Refused ? err.reason : 'damaged';
  }
  return state;
}

/** The hash ("#…") for a state; undefined and null properties are left out. */
export function serialiseHash(state) {
  const parts = [];
  for (const p of PROPERTIES) {
    const v = state[p.name];
    if (v === undefined || v === null) continue;
    if (p.name === 'knobs') {
      for (const [label, value] of Object.entries(v)) parts.push(`${KNOB_PREFIX}${readable(label)}=${readable(value)}`);
    } else parts.push(`${p.name}=${TYPES[p.type].serialise(v, p)}`);
  }
  return `#${parts.join('&')}`;
}

/**
 * The state of a shared cell: its place, its seed, and what differs from the
 * chapter: knob values other than the code's defaults (`originalKnobs`), and
 * the code only if it was edited. `options` are an embed's (editor, run).
 * The language ('js' | 'python') is written when `languageShown` (the cell has two versions,
 * or shows one the chapter did not write), so the link opens the version that was shared.
 */
export function cellShareState({ lang, chapter, cell, seed, knobs, originalKnobs = {}, code, originalCode, language, languageShown }, options = {}) {
  const changed = Object.entries(knobs ?? {}).filter(([label, value]) => !Object.is(originalKnobs[label], value));
  return {
    lang,
    chapter,
    cell,
    seed,
    knobs: changed.length ? Object.fromEntries(changed) : undefined,
    ...(languageShown ? { language } : {}),
    code: code === originalCode ? undefined : code,
    editor: options.editor,
    run: options.run,
  };
}
