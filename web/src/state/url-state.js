// What a URL's hash says, as a typed table of properties (the way
// tensorflow/playground's state.ts does it): where the reader is, and for a
// shared link, the exact state of one experiment cell, seed included, so
// that opening the link reproduces the run. Code and knob values are
// compressed with lz-string. Pure: no DOM.
//
//   index.html#lang=en&chapter=demo                       a chapter
//   index.html#lang=en&chapter=demo&section=heatmaps      a heading in it
//   index.html#lang=en&chapter=demo&cell=train&seed=7&knobs=…&code=…   a shared cell
//   embed.html#lang=en&chapter=demo&cell=train            one cell, embedded
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
  // A JSON object, compressed.
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
    serialise: (v) => LZString.compressToEncodedURIComponent(JSON.stringify(v)),
  },
  // Free text (code), compressed.
  text: {
    parse: (s) => decompress(s, MAX_CODE_CHARS),
    serialise: (v) => LZString.compressToEncodedURIComponent(v),
  },
};

/** Every property a URL can carry, in the order they are written. */
export const PROPERTIES = [
  { name: 'lang', type: 'enum', values: LANGS },
  { name: 'chapter', type: 'slug' },
  { name: 'section', type: 'slug' },
  { name: 'cell', type: 'slug' },
  { name: 'seed', type: 'int' },
  { name: 'knobs', type: 'json' },
  { name: 'code', type: 'text' },
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
  return state;
}

/** The hash ("#…") for a state; undefined and null properties are left out. */
export function serialiseHash(state) {
  const parts = [];
  for (const p of PROPERTIES) {
    const v = state[p.name];
    if (v === undefined || v === null) continue;
    parts.push(`${p.name}=${TYPES[p.type].serialise(v, p)}`);
  }
  return `#${parts.join('&')}`;
}

/**
 * The state of a shared cell: its place and what differs from the original.
 * Code equal to the original is left out (short links); the seed and the knob
 * values always go in, so the link reproduces the run even if the chapter's
 * defaults change later.
 */
export function cellShareState({ lang, chapter, cell, seed, knobs, code, originalCode }) {
  return { lang, chapter, cell, seed, knobs, code: code === originalCode ? undefined : code };
}
