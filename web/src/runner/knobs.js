// Knobs: the controls an experiment declares in its own code,
//   const rho  = knob('ρ', 0.9, { min: 0.5, max: 1.5, step: 0.01 });   a slider
//   const init = knob('init', 'orthogonal', { options: ['orthogonal', 'gaussian'] });   a select
//   const clip = knob('clip', true);                                      a checkbox
// The page needs them before the code runs, so they are read statically
// (acorn) from the source: label, default and options must be literals.
// In the worker, knob() returns the value the page sent for that label.
// Pure: no DOM, no engine; runs in the page, the worker and Node.
import { parse } from 'acorn';

/** Literal value of an AST node (numbers, strings, booleans, -n, arrays, objects), or throws. */
function literal(node) {
  switch (node.type) {
    case 'Literal':
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

/**
 * A knob's description from knob(label, value, options):
 *   { label, kind: 'range' | 'number' | 'select' | 'checkbox' | 'text', value, min, max, step, options }
 * Throws a TypeError naming what is wrong.
 */
export function describeKnob(label, value, options = {}) {
  if (typeof label !== 'string' || label === '') throw new TypeError(`knob: the label must be a non-empty string, got ${JSON.stringify(label)}`);
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new TypeError(`knob('${label}'): options must be an object such as { min: 0, max: 1 }`);
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
    if (options.options === undefined) return { label, kind: 'text', value };
    if (!Array.isArray(options.options) || options.options.length === 0 || !options.options.every((o) => typeof o === 'string')) {
      throw new TypeError(`knob('${label}'): options.options must be a non-empty array of strings`);
    }
    if (!options.options.includes(value)) {
      throw new TypeError(`knob('${label}'): '${value}' is not one of its options (${options.options.join(', ')})`);
    }
    return { label, kind: 'select', value, options: options.options.slice() };
  }
  throw new TypeError(`knob('${label}'): the value must be a number, a string or a boolean, got ${typeof value}`);
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

/**
 * The value a knob takes: `value` if it fits the description, else its default.
 * A value read from a link's text is typed by the knob (knobs.name=42 for a text knob is '42').
 */
export function knobValue(knob, value) {
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
      return typeof value === 'string' ? value : knob.value;
  }
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
    return chosen;
  };
}
