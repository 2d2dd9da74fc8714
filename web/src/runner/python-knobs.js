// Knobs of a Python cell, read before it runs (the page draws the controls first), as
// knobs.js reads a JavaScript cell's with acorn:
//   rho  = knob('ρ', 0.9, min=0.5, max=1.5, step=0.01)            a slider
//   init = knob('init', 'orthogonal', options=['orthogonal', 'gaussian'])   a select
//   clip = knob('clip', True)                                      a checkbox
//   pairs = knob('pairs', 'one 1\ntwo 2', kind='text', rows=6)     a text area
//   model = knob('model', None, kind='file', accept='.safetensors')   a file picker
// A small tokenizer (strings, comments, numbers, names, brackets) finds every call of the bare
// name `knob` whose arguments are literals: strings, numbers (also negative), True/False,
// lists or tuples of those, and the keywords min, max, step, options. The same describeKnob
// (knobs.js) checks them, so a Python knob and a JavaScript knob are one thing. Pure.
import { describeKnob } from './knobs.js';

const KEYWORDS = new Set(['min', 'max', 'step', 'options', 'kind', 'rows', 'accept']);
const NUMBER = /^(?:\d[\d_]*\.?[\d_]*(?:[eE][+-]?\d+)?|\.\d[\d_]*(?:[eE][+-]?\d+)?)/;
const STRING_PREFIX = /^[rRuUbBfF]{0,2}(?='|")/;

/** Tokens of Python source: { type: 'name' | 'number' | 'string' | 'op', value, line }. */
export function tokenize(code) {
  const tokens = [];
  let line = 1;
  let i = 0;
  while (i < code.length) {
    const c = code[i];
    if (c === '\n') {
      line++;
      i++;
    } else if (c === '#') {
      while (i < code.length && code[i] !== '\n') i++;
    } else if (/\s/.test(c) || c === '\\') {
      i++;
    } else if (STRING_PREFIX.exec(code.slice(i, i + 3)) && /[rRuUbBfF'"]/.test(c)) {
      const prefix = STRING_PREFIX.exec(code.slice(i, i + 3))[0];
      const start = line;
      i += prefix.length;
      const quote = code.startsWith(code[i].repeat(3), i) ? code[i].repeat(3) : code[i];
      i += quote.length;
      let text = '';
      const raw = /r/i.test(prefix);
      while (i < code.length && !code.startsWith(quote, i)) {
        if (code[i] === '\n') {
          line++;
          if (quote.length === 1) break; // an unterminated string: the run reports it
        }
        if (code[i] === '\\' && !raw && i + 1 < code.length) {
          const next = code[i + 1];
          text += { n: '\n', t: '\t', '\\': '\\', "'": "'", '"': '"', '\n': '' }[next] ?? `\\${next}`;
          if (next === '\n') line++;
          i += 2;
          continue;
        }
        text += code[i++];
      }
      i += quote.length;
      tokens.push({ type: /f/i.test(prefix) ? 'fstring' : 'string', value: text, line: start });
    } else if (/[\p{L}_]/u.test(c)) {
      const m = /^[\p{L}\p{N}_]+/u.exec(code.slice(i));
      tokens.push({ type: 'name', value: m[0], line });
      i += m[0].length;
    } else if (/[\d.]/.test(c) && NUMBER.test(code.slice(i))) {
      const m = NUMBER.exec(code.slice(i));
      tokens.push({ type: 'number', value: Number(m[0].replaceAll('_', '')), line });
      i += m[0].length;
    } else {
      tokens.push({ type: 'op', value: c, line });
      i++;
    }
  }
  return tokens;
}

class NotLiteral extends Error {}

/** The literal starting at tokens[at]: { value, next } or throws NotLiteral. */
function literal(tokens, at) {
  const t = tokens[at];
  if (!t) throw new NotLiteral();
  if (t.type === 'string') {
    // 'a' 'b' is one string in Python
    let value = t.value;
    let next = at + 1;
    while (tokens[next]?.type === 'string') value += tokens[next++].value;
    return { value, next };
  }
  if (t.type === 'number') return { value: t.value, next: at + 1 };
  if (t.type === 'op' && (t.value === '-' || t.value === '+') && tokens[at + 1]?.type === 'number') {
    return { value: t.value === '-' ? -tokens[at + 1].value : tokens[at + 1].value, next: at + 2 };
  }
  if (t.type === 'name' && (t.value === 'True' || t.value === 'False')) return { value: t.value === 'True', next: at + 1 };
  if (t.type === 'name' && t.value === 'None') return { value: null, next: at + 1 };
  if (t.type === 'op' && (t.value === '[' || t.value === '(')) {
    const close = t.value === '[' ? ']' : ')';
    const items = [];
    let next = at + 1;
    while (!(tokens[next]?.type === 'op' && tokens[next].value === close)) {
      const item = literal(tokens, next);
      items.push(item.value);
      next = item.next;
      if (tokens[next]?.type === 'op' && tokens[next].value === ',') next++;
      else if (!(tokens[next]?.type === 'op' && tokens[next].value === close)) throw new NotLiteral();
    }
    return { value: items, next: next + 1 };
  }
  throw new NotLiteral();
}

/** The arguments of the call whose '(' is tokens[at]: { args, keywords } or throws NotLiteral. */
function callArguments(tokens, at) {
  const args = [];
  const keywords = {};
  let next = at + 1;
  while (!(tokens[next]?.type === 'op' && tokens[next].value === ')')) {
    if (!tokens[next]) throw new NotLiteral();
    const isKeyword = tokens[next].type === 'name' && tokens[next + 1]?.type === 'op' && tokens[next + 1].value === '=' && !(tokens[next + 2]?.value === '=');
    if (isKeyword) {
      const name = tokens[next].value;
      if (!KEYWORDS.has(name)) throw new TypeError(`knob: unknown keyword argument '${name}' (use min, max, step, options, kind, rows or accept)`);
      const item = literal(tokens, next + 2);
      keywords[name] = item.value;
      next = item.next;
    } else {
      if (Object.keys(keywords).length) throw new NotLiteral();
      const item = literal(tokens, next);
      args.push(item.value);
      next = item.next;
    }
    if (tokens[next]?.type === 'op' && tokens[next].value === ',') next++;
    else if (!(tokens[next]?.type === 'op' && tokens[next].value === ')')) throw new NotLiteral();
  }
  return { args, keywords };
}

/**
 * Every knob(...) call in Python `code`, in source order: { knobs: [description + line],
 * problems: [{ line, message }] }, the shape knobs.js parseKnobs gives for JavaScript.
 */
export function parsePythonKnobs(code) {
  const tokens = tokenize(code);
  const knobs = [];
  const problems = [];
  const seen = new Set();
  tokens.forEach((t, i) => {
    if (t.type !== 'name' || t.value !== 'knob') return;
    const before = tokens[i - 1];
    if (before && ((before.type === 'op' && before.value === '.') || (before.type === 'name' && (before.value === 'def' || before.value === 'import')))) return;
    const open = tokens[i + 1];
    if (!open || open.type !== 'op' || open.value !== '(') return;
    try {
      const { args, keywords } = callArguments(tokens, i + 1);
      if (args.length > 2) throw new TypeError(`knob: give at most a label and a value, then keywords (min=, max=, step=, options=)`);
      const knob = describeKnob(args[0], args[1], keywords);
      if (seen.has(knob.label)) throw new TypeError(`knob('${knob.label}') is declared twice`);
      seen.add(knob.label);
      knobs.push({ ...knob, line: t.line });
    } catch (err) {
      const message = err instanceof NotLiteral ? 'knob(...) needs a literal label, value and keywords to get a control' : err.message;
      problems.push({ line: t.line, message });
    }
  });
  return { knobs, problems };
}
