// The API reference (web/src/api/reference.js, rendered on the site's API page) against the
// real objects a cell gets: every function, class, method, getter and static of gl, the
// cell's globals (runner/cell-globals.js, source.js READER_PARAMS) and the fields of the
// objects the entries build. A documented name that does not exist fails, and so does a real
// one that no entry lists.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { loadEngine } from './load-engine.mjs';
import { API_GROUPS, documentedNames } from '../../web/src/api/reference.js';
import { apiReferenceMarkdown } from '../../web/src/chapters/api-reference.js';
import { makeCellGlobals } from '../../web/src/runner/cell-globals.js';
import { READER_PARAMS } from '../../web/src/runner/source.js';
import { renderChapterFile } from '../../web/src/chapters/markdown.js';

let gl;
before(async () => { gl = await loadEngine(); });

// toString is every object's; a class's own is how print() shows it, not a call to look up.
const SKIP = new Set(['constructor', 'toString']);
const targetOf = (v) => v.prototype?.constructor; // a strict class is a Proxy: its target
const isClass = (v) => typeof v === 'function' && v.prototype && /^class\b/.test(Function.prototype.toString.call(targetOf(v)));

/** Every name a cell can reach, as reference.js spells names. */
function realNames(gl) {
  const names = new Set(READER_PARAMS);
  const globals = makeCellGlobals({ outbox: { print() {}, plot() {}, progress() {} } });
  for (const [k, v] of Object.entries(globals)) {
    names.add(k);
    if (k === 'console') for (const m of Object.keys(v)) names.add(`console.${m}`);
  }
  const classes = [];
  const walk = (obj, path, depth) => {
    for (const [k, v] of Object.entries(obj)) {
      if (k.startsWith('_')) continue;
      if (isClass(v)) {
        names.add(`${path}.${k}`);
        classes.push(targetOf(v));
      } else if (typeof v === 'function') names.add(`${path}.${k}`);
      else if (v && typeof v === 'object' && depth < 4) walk(v, `${path}.${k}`, depth + 1);
    }
  };
  walk(gl, 'gl', 0);
  const publicClasses = new Set(classes);
  for (const C of classes) {
    for (const k of Object.keys(C)) names.add(`${C.name}.${k}`); // statics
    for (let p = C.prototype; p && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
      // A member belongs to the public class that defines it (Module.parameters for every
      // layer); one from a base that is not public is each subclass's own.
      const owner = publicClasses.has(p.constructor) ? p.constructor : C;
      for (const k of Object.getOwnPropertyNames(p)) {
        if (!SKIP.has(k) && !k.startsWith('_')) names.add(`${owner.name}.${k}`);
      }
    }
  }
  return names;
}

test('every name a cell can call has an entry, and every entry names something that exists', () => {
  const real = realNames(gl);
  const documented = documentedNames();
  const twice = documented.filter((n, i) => documented.indexOf(n) !== i);
  assert.deepEqual(twice, [], 'names listed by two entries');
  const missing = [...real].filter((n) => !documented.includes(n)).sort();
  const stale = documented.filter((n) => !real.has(n)).sort();
  assert.deepEqual(missing, [], `names a cell can call that web/src/api/reference.js does not document (${real.size} names in all)`);
  assert.deepEqual(stale, [], 'names web/src/api/reference.js documents that do not exist');
  assert.ok(real.size > 150, `the walk found only ${real.size} names`);
});

test('the fields an entry lists are the own fields of the object its `make` builds', () => {
  let checked = 0;
  for (const g of API_GROUPS) {
    for (const entry of g.entries) {
      if (!entry.make) {
        assert.equal(entry.fields, undefined, `${entry.names[0]}: fields without make`);
        continue;
      }
      const made = new Function('gl', `return ${entry.make}`)(gl);
      const own = Object.keys(made).filter((k) => !k.startsWith('_')).sort();
      assert.deepEqual(own, [...entry.fields].sort(), `${entry.names[0]}: fields of ${entry.make}`);
      checked++;
    }
  }
  assert.ok(checked >= 15, `only ${checked} entries were built`);
});

test('every entry has a signature and a line in both languages', () => {
  for (const g of API_GROUPS) {
    for (const lang of ['ko', 'en']) assert.ok(g[lang]?.title && g[lang].intro, `${g.id}: ${lang} title and intro`);
    for (const x of g.entries) {
      assert.ok(x.sig && typeof x.torch === 'string', `${x.names[0]}: sig and torch`);
      assert.match(x.ko, /[\uac00-\ud7a3]/, `${x.names[0]}: the Korean line is Korean`);
      assert.ok(x.en && !/[\uac00-\ud7a3]/.test(x.en), `${x.names[0]}: the English line`);
    }
  }
});

test('the API page renders every entry in both languages from the one list', () => {
  for (const lang of ['ko', 'en']) {
    const page = renderChapterFile(`${lang}/api.md`, fs.readFileSync(new URL(`../../tutorials/${lang}/api.md`, import.meta.url), 'utf8'));
    const text = page.html.replace(/<[^>]+>/g, '').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
    for (const g of API_GROUPS) {
      assert.ok(page.toc.some((h) => h.text === g[lang].title), `${lang}: a section "${g[lang].title}" in the contents`);
      for (const x of g.entries) assert.ok(text.includes(x.sig), `${lang}: ${x.names[0]}'s signature on the page`);
    }
    assert.ok(!/```|gradlab-api/.test(text), `${lang}: the directive was replaced`);
  }
  assert.throws(() => apiReferenceMarkdown('ko', 'no-such-group'), /no-such-group/);
});

test('the chapters name only gl functions that exist', () => {
  const real = realNames(gl);
  const files = ['ko', 'en'].flatMap((l) => fs.readdirSync(new URL(`../../tutorials/${l}/`, import.meta.url)).map((f) => `../../tutorials/${l}/${f}`));
  const unknown = [];
  for (const f of [...files, '../../README.md']) {
    const text = fs.readFileSync(new URL(f, import.meta.url), 'utf8');
    for (const m of text.matchAll(/\bgl(?:\.[A-Za-z_]\w*)+/g)) {
      // gl.nn.LSTM, gl.nn.init.orthogonal, gl.randn: the longest prefix that is a name must be the whole path
      const path = m[0];
      if (/\.m?js$/.test(path)) continue; // a file name (web/src/api/gl.js)
      const [, cls, member] = /^gl\.(?:\w+\.)*([A-Z]\w*)\.(\w+)$/.exec(path) ?? [];
      if (cls && real.has(`${cls}.${member}`)) continue; // a static: gl.tasks.AddingProblem.baselineMSE
      if (!real.has(path) && ![...real].some((n) => n.startsWith(`${path}.`))) unknown.push(`${f.slice(6)}: ${path}`);
    }
  }
  assert.deepEqual([...new Set(unknown)], []);
});
