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
      try {
        const v = JSON.parse(LZString.decompressFromEncodedURIComponent(s) ?? '');
        return v && typeof v === 'object' && !Array.isArray(v) ? v : undefined;
      } catch {
        return undefined;
      }
    },
    serialise: (v) => LZString.compressToEncodedURIComponent(JSON.stringify(v)),
  },
  // Free text (code), compressed.
  text: {
    parse: (s) => {
      const v = LZString.decompressFromEncodedURIComponent(s);
      return typeof v === 'string' && v !== '' ? v : undefined;
    },
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

/** The properties present and valid in a hash ("#a=1&b=2" or "a=1&b=2"); others are dropped. */
export function parseHash(hash) {
  const params = new URLSearchParams(String(hash ?? '').replace(/^#/, ''));
  const state = {};
  for (const p of PROPERTIES) {
    const raw = params.get(p.name);
    if (raw === null) continue;
    const v = TYPES[p.type].parse(raw, p);
    if (v !== undefined) state[p.name] = v;
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
