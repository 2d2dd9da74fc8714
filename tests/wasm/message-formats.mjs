// Every error message format in the engine's C++ (engine/src, engine/bindings) and in the web
// side's JS (web/src), read from the sources: each throw site becomes a format with '…' where
// its message takes a value (`Linear: expected input (*, …), got …`). Used by
// error-catalog.test.mjs to measure what the Korean catalog (web/src/api/error-catalog.js) covers.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function filesUnder(dir, exts) {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...filesUnder(full, exts));
    else if (exts.some((x) => e.name.endsWith(x))) out.push(full);
  }
  return out;
}

// The text between the '(' at `open` and its matching ')', skipping strings and templates.
function balanced(src, open) {
  let depth = 0;
  for (let i = open; i < src.length; i++) {
    const c = src[i];
    if (c === '"' || c === "'" || c === '`') {
      i = skipString(src, i);
      continue;
    }
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      depth--;
      if (depth === 0) return src.slice(open + 1, i);
    }
  }
  return null;
}
function skipString(src, i) {
  const q = src[i];
  for (let j = i + 1; j < src.length; j++) {
    if (src[j] === '\\') { j++; continue; }
    if (q === '`' && src[j] === '$' && src[j + 1] === '{') {
      const inner = balanced(src, j + 1);
      j += 1 + inner.length + 1;
      continue;
    }
    if (src[j] === q) return j;
  }
  return src.length;
}
// Top-level pieces of an argument list, split at ',' (C++ stream parts) and '+' (concatenation).
function pieces(args) {
  const out = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < args.length; i++) {
    const c = args[i];
    if (c === '"' || c === "'" || c === '`') { i = skipString(args, i); continue; }
    if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) depth--;
    else if (depth === 0 && (c === ',' || (c === '+' && args[i + 1] !== '+' && args[i - 1] !== '+' && args[i + 1] !== '='))) {
      out.push(args.slice(start, i).trim());
      start = i + 1;
    }
  }
  out.push(args.slice(start).trim());
  return out.filter(Boolean);
}
// A piece as text: a literal's contents, a template with '…' for each ${}, or '…'.
function pieceText(p) {
  if (/^(?:"(?:[^"\\]|\\.)*"\s*){2,}$/.test(p)) return [...p.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => pieceText(`"${m[1]}"`)).join('');
  const lit = /^"((?:[^"\\]|\\.)*)"$/.exec(p) ?? /^'((?:[^'\\]|\\.)*)'$/.exec(p);
  if (lit) return lit[1].replace(/\\(.)/g, '$1');
  if (/^`[\s\S]*`$/.test(p)) {
    let text = '';
    for (let i = 1; i < p.length - 1; i++) {
      if (p[i] === '\\') { text += p[++i]; continue; }
      if (p[i] === '$' && p[i + 1] === '{') {
        const inner = balanced(p, i + 1);
        text += '…';
        i += 1 + inner.length + 1;
        continue;
      }
      text += p[i];
    }
    return text;
  }
  return '…';
}
const formatOf = (parts) => parts.map(pieceText).join('').replace(/…+/g, '…').trim();

// C++: GL_CHECK(cond, parts...), GL_FAIL(parts...), ArgumentError(a + b), throw_js_error("...").
const CPP_SITES = [
  { re: /\bGL_CHECK\s*\(/g, skip: 1 },
  { re: /\bGL_FAIL\s*\(/g, skip: 0 },
  { re: /\bArgumentError\s*\(/g, skip: 0 },
  { re: /\bthrow\s+(?:gradlab::)?Error\s*\(/g, skip: 0 },
];
// JS: new XError(...) (thrown, returned or passed on), and the runner's helpers that build one.
const JS_SITES = [
  { re: /\bnew\s+\w*Error\s*\(/g, skip: 0 },
  { re: /\b(?:malformed|fail)\s*\(/g, skip: 0, where: /runner\// },
];

/**
 * [{ file, line, format }] for every message site under the engine and web/src
 * (file relative to the repository).
 */
export function messageFormats() {
  const out = [];
  const scan = (file, sites) => {
    const src = fs.readFileSync(file, 'utf8');
    const rel = path.relative(root, file);
    for (const { re, skip, where } of sites) {
      if (where && !where.test(rel)) continue;
      for (const m of src.matchAll(re)) {
        const open = m.index + m[0].length - 1;
        const args = balanced(src, open);
        if (args === null) continue;
        let parts = pieces(args);
        if (rel.endsWith('.cpp') || rel.endsWith('.h')) parts = parts.slice(skip);
        else parts = pieces(pieces(args)[0] ?? ''); // the message is the first argument
        if (/ExperimentError/.test(m[0]) && !rel.endsWith('.cpp')) parts = pieces(pieces(args)[1] ?? '');
        const format = formatOf(parts);
        if (!format || format === '…' || /^(function|async|=>)/.test(format)) continue;
        out.push({ file: rel, line: src.slice(0, m.index).split('\n').length, format });
      }
    }
  };
  for (const f of [...filesUnder(path.join(root, 'engine/src'), ['.cpp', '.h']), ...filesUnder(path.join(root, 'engine/bindings'), ['.cpp', '.h'])]) scan(f, CPP_SITES);
  for (const f of filesUnder(path.join(root, 'web/src'), ['.js'])) scan(f, JS_SITES);
  return out;
}

/** A message of the format, each '…' filled with a plausible value (a number: most are). */
export const sampleMessage = (format) => format.replace(/…/g, '7');
