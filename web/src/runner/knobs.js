// Knobs: the controls an experiment declares in its own code,
//   const rho  = knob('ρ', 0.9, { min: 0.5, max: 1.5, step: 0.01 });   a slider
//   const init = knob('init', 'orthogonal', { options: ['orthogonal', 'gaussian'] });   a select
//   const clip = knob('clip', true);                                      a checkbox
//   const name = knob('name', 'gradlab');                                 a text field
//   const text = knob('pairs', 'one 1\ntwo 2', { kind: 'text', rows: 6 }) a text area (several lines)
//   const file = knob('model', null, { kind: 'file', accept: '.safetensors' })   a file picker
// A file knob's value is null until the reader picks (or drops) a file, then
// { name, size, bytes: Uint8Array, text() }: the page reads the file and hands its bytes to
// the worker with every run. Files never go into links or saved edits; text does.
// The page needs them before the code runs, so they are read statically
// (acorn) from the source: label, default and options must be literals.
// In the worker, knob() returns the value the page sent for that label.
// Pure: no DOM, no engine; runs in the page, the worker and Node.
import { parse } from 'acorn';

/** Literal value of an AST node (numbers, strings, booleans, -n, arrays, objects), or throws. */
function literal(node) {
  switch (node.type) {
    case 'Literal':
      if (node.value === null && node.raw === 'null') return null;
      if (typeof node.value === 'number' || typeof node.value === 'string' || typeof node.value === 'boolean') return node.value;
      break;
    case 'TemplateLiteral':
      if (node.expressions.length === 0) return node.quasis[0].value.cooked;
      break;
    case 'UnaryExpression':
      if ((node.operator === '-' || node.operator === '+') && node.argument.type === 'Literal' && typeof node.argument.value === 'number') {
        return node.operator === '-' ? -node.argument.value : node.argument.value;
      }
      break;
    case 'ArrayExpression':
      return node.elements.map((e) => literal(e));
    case 'ObjectExpression':
      return Object.fromEntries(
        node.properties.map((p) => {
          if (p.type !== 'Property' || p.computed) throw new Error('not a literal');
          const key = p.key.type === 'Identifier' ? p.key.name : String(p.key.value);
          return [key, literal(p.value)];
        }),
      );
  }
  throw new Error('not a literal');
}

function* walk(node) {
  if (!node || typeof node.type !== 'string') return;
  yield node;
  for (const key of Object.keys(node)) {
    if (key === 'loc' || key === 'start' || key === 'end') continue;
    const child = node[key];
    if (Array.isArray(child)) for (const c of child) yield* walk(c);
    else if (child && typeof child.type === 'string') yield* walk(child);
  }
}

// A text knob's value goes into links, which carry at most 10 000 characters of knob values
// (state/url-state.js MAX_KNOBS_CHARS): the page's text area stops a little before.
export const MAX_TEXT_KNOB_CHARS = 8_000;
// The largest file a file knob reads (the page says so beyond it).
export const MAX_FILE_KNOB_BYTES = 10 * 1024 * 1024;
const KINDS = ['text', 'file'];

/**
 * A knob's description from knob(label, value, options):
 *   { label, kind: 'range' | 'number' | 'select' | 'checkbox' | 'text' | 'file', value, min, max,
 *     step, options, rows (a text area's lines), accept (a file knob's file types) }
 * Throws a TypeError naming what is wrong.
 */
export function describeKnob(label, value, options = {}) {
  if (typeof label !== 'string' || label === '') throw new TypeError(`knob: the label must be a non-empty string, got ${JSON.stringify(label)}`);
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new TypeError(`knob('${label}'): options must be an object such as { min: 0, max: 1 }`);
  }
  if (options.kind !== undefined && !KINDS.includes(options.kind)) {
    throw new TypeError(`knob('${label}'): kind must be 'text' or 'file', got ${JSON.stringify(options.kind)}`);
  }
  if (options.kind === 'file') {
    if (value !== null && value !== undefined) throw new TypeError(`knob('${label}'): a file knob's value is null (no file until the reader picks one): knob('${label}', null, { kind: 'file' })`);
    const accept = options.accept ?? '';
    if (typeof accept !== 'string') throw new TypeError(`knob('${label}'): accept must be a string such as '.txt,.csv'`);
    return { label, kind: 'file', value: null, accept };
  }
  if (options.kind === 'text' || options.rows !== undefined) {
    if (typeof value !== 'string') throw new TypeError(`knob('${label}'): a text knob's value must be a string, got ${value === null ? 'null' : typeof value}`);
    if (options.options !== undefined) throw new TypeError(`knob('${label}'): a text knob has no options (a menu is knob(label, 'a', { options: [...] }))`);
    const rows = options.rows ?? Math.min(12, Math.max(3, value.split('\n').length)); // room to type a few lines
    if (!Number.isInteger(rows) || rows < 1 || rows > 40) throw new TypeError(`knob('${label}'): rows must be a whole number from 1 to 40, got ${rows}`);
    if (value.length > MAX_TEXT_KNOB_CHARS) throw new TypeError(`knob('${label}'): a text knob holds at most ${MAX_TEXT_KNOB_CHARS} characters (it goes into links), got ${value.length}`);
    return { label, kind: 'text', value, rows };
  }
  if (typeof value === 'boolean') return { label, kind: 'checkbox', value };
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`knob('${label}'): the value must be a finite number`);
    const { min, max } = options;
    if (min === undefined && max === undefined) return { label, kind: 'number', value, step: options.step ?? 'any' };
    if (typeof min !== 'number' || typeof max !== 'number' || !(min < max)) {
      throw new TypeError(`knob('${label}'): a slider needs numbers min < max, got min=${min}, max=${max}`);
    }
    const step = options.step ?? (Number.isInteger(min) && Number.isInteger(max) && Number.isInteger(value) ? 1 : (max - min) / 100);
    if (typeof step !== 'number' || !(step > 0)) throw new TypeError(`knob('${label}'): step must be a number > 0`);
    return { label, kind: 'range', value: Math.min(max, Math.max(min, value)), min, max, step };
  }
  if (typeof value === 'string') {
    if (options.options === undefined) return value.includes('\n') ? describeKnob(label, value, { kind: 'text' }) : { label, kind: 'text', value };
    if (!Array.isArray(options.options) || options.options.length === 0 || !options.options.every((o) => typeof o === 'string')) {
      throw new TypeError(`knob('${label}'): options.options must be a non-empty array of strings`);
    }
    if (!options.options.includes(value)) {
      throw new TypeError(`knob('${label}'): '${value}' is not one of its options (${options.options.join(', ')})`);
    }
    return { label, kind: 'select', value, options: options.options.slice() };
  }
  throw new TypeError(`knob('${label}'): the value must be a number, a string or a boolean (or null with { kind: 'file' }), got ${value === null ? 'null' : typeof value}`);
}

/**
 * Every knob(...) call in `code`, in source order: { knobs: [description + line], problems: [{ line, message }] }.
 * A syntax error gives no knobs (the run will report it). Later calls with a
 * label already seen are reported and ignored.
 */
export function parseKnobs(code) {
  let ast;
  try {
    ast = parse(code, {
      ecmaVersion: 'latest',
      sourceType: 'script',
      allowAwaitOutsideFunction: true,
      allowReturnOutsideFunction: true,
      locations: true,
    });
  } catch {
    return { knobs: [], problems: [] };
  }
  const knobs = [];
  const problems = [];
  const seen = new Set();
  for (const node of walk(ast)) {
    if (node.type !== 'CallExpression' || node.callee.type !== 'Identifier' || node.callee.name !== 'knob') continue;
    const line = node.loc.start.line;
    try {
      const args = node.arguments.map((a) => literal(a));
      const knob = describeKnob(...args);
      if (seen.has(knob.label)) throw new TypeError(`knob('${knob.label}') is declared twice`);
      seen.add(knob.label);
      knobs.push({ ...knob, line });
    } catch (err) {
      const message = err.message === 'not a literal' ? 'knob(...) needs a literal label, value and options to get a control' : err.message;
      problems.push({ line, message });
    }
  }
  return { knobs, problems };
}

/** A file the page read for a file knob: { name, size, bytes: Uint8Array }. */
export function isKnobFile(v) {
  return v !== null && typeof v === 'object' && typeof v.name === 'string' && v.bytes instanceof Uint8Array && v.size === v.bytes.length;
}

/**
 * The value a knob takes: `value` if it fits the description, else its default.
 * A value read from a link's text is typed by the knob (knobs.name=42 for a text knob is '42').
 * A file knob's is a file the page read ({ name, size, bytes }) or null.
 */
export function knobValue(knob, value) {
  if (knob.kind === 'file') return isKnobFile(value) ? value : null;
  if (value === undefined) return knob.value;
  if ((knob.kind === 'select' || knob.kind === 'text') && (typeof value === 'number' || typeof value === 'boolean')) value = String(value);
  switch (knob.kind) {
    case 'checkbox':
      return typeof value === 'boolean' ? value : knob.value;
    case 'range':
      return typeof value === 'number' && Number.isFinite(value) ? Math.min(knob.max, Math.max(knob.min, value)) : knob.value;
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? value : knob.value;
    case 'select':
      return knob.options.includes(value) ? value : knob.value;
    default:
      return typeof value === 'string' ? value.slice(0, MAX_TEXT_KNOB_CHARS) : knob.value;
  }
}

// What the code gets for a file: its name, size and bytes, and text() decoding them as UTF-8.
function fileForCode({ name, size, bytes }) {
  return Object.freeze({ name, size, bytes, text: () => new TextDecoder().decode(bytes) });
}

/**
 * The worker's knob(): returns the page's value for the label when it fits
 * the declaration, else the declared default; `used` records what the code asked for.
 */
export function makeKnobFunction(values = {}, used = new Map()) {
  return function knob(label, value, options) {
    const description = describeKnob(label, value, options);
    const chosen = knobValue(description, Object.hasOwn(values, label) ? values[label] : undefined);
    used.set(label, chosen);
    return description.kind === 'file' && chosen !== null ? fileForCode(chosen) : chosen;
  };
}
