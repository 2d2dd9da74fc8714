// The chapters under tutorials/, checked in Node without a browser: every
// experiment block runs to its end with its defaults, the way the lab runs it
// (web/tools/check-chapters.mjs), and the two languages of a chapter agree on
// what links and embeds name.
import { test } from 'node:test';
import fs from 'node:fs';
import assert from 'node:assert/strict';
import { loadChapters, runBlock } from '../../web/tools/check-chapters.mjs';
import { parseKnobs } from '../../web/src/runner/knobs.js';
import * as acorn from 'acorn';

const chapters = loadChapters();
const LANGS = ['ko', 'en'];

test('chapters exist in both languages, with the same slugs and the same cell ids', () => {
  assert.ok(chapters.length >= 2 * 3, `found ${chapters.length} chapter files`);
  const bySlug = new Map();
  for (const c of chapters) {
    if (!bySlug.has(c.slug)) bySlug.set(c.slug, {});
    bySlug.get(c.slug)[c.lang] = c;
  }
  for (const [slug, langs] of bySlug) {
    assert.deepEqual(Object.keys(langs).sort(), [...LANGS].sort(), `chapter ${slug} in both languages`);
    const ids = LANGS.map((l) => langs[l].cells.map((b) => b.id));
    assert.deepEqual(ids[0], ids[1], `chapter ${slug}: the same cells, in the same order, in ko and en`);
    assert.equal(new Set(ids[0]).size, ids[0].length, `chapter ${slug}: cell ids are unique`);
    for (const lang of LANGS) {
      const c = langs[lang];
      assert.ok(c.title && c.title !== slug, `${lang}/${slug} has a title`);
      if (c.order !== null) assert.ok(c.summary, `${lang}/${slug} has a summary for the chapter list`);
      for (const block of c.cells) {
        const { problems } = parseKnobs(block.code);
        assert.deepEqual(problems, [], `${lang}/${slug} #${block.id}: every knob gets a control`);
      }
    }
  }
});

// Inline math as Pandoc reads it: the opening $ has a non-space on its right, the closing $ a
// non-space on its left. A pair that breaks this is a typo or a mangled escape (a "\\rho" once
// became a line break and "ho", which KaTeX happily set as h·o).
function inlineMathProblems(source) {
  const prose = source
    .replace(/^```[\s\S]*?^```$/gm, '')
    .replace(/\$\$[\s\S]*?\$\$/g, '')
    .replace(/`[^`\n]*`/g, '');
  const problems = [];
  for (const m of prose.matchAll(/\$([^$]+)\$/g)) {
    if (/^\s|\s$/.test(m[1])) problems.push(JSON.stringify(m[0].slice(0, 60)));
  }
  for (const m of prose.matchAll(/[\x00-\x08\x0b-\x1f]/g)) problems.push(`control character U+${m[0].charCodeAt(0).toString(16).padStart(4, '0')}`);
  return problems;
}

test('every chapter\'s inline math is well formed and no KaTeX error is shown', () => {
  for (const c of chapters) {
    assert.deepEqual(inlineMathProblems(fs.readFileSync(c.file, 'utf8')), [], `${c.lang}/${c.slug}`);
    assert.ok(!c.html.includes('katex-error'), `${c.lang}/${c.slug}: KaTeX could not set some math`);
  }
  assert.deepEqual(inlineMathProblems('growth is set by $\nho(W)$ times'), ['"$\\nho(W)$"']);
  assert.deepEqual(inlineMathProblems('costs $5 and $6, but $x$ is fine'), ['"$5 and $"']);
});

// A translated block whose code differs from the English one only in its comments and in the
// text of its strings (labels, titles, printed words) computes the same thing: it is compared,
// not run a second time (some blocks train for seconds). The comparison is on tokens: every
// string, template chunk and object key becomes its index of first appearance, so a label
// translated everywhere it is used matches, and one translated where it is compared but not
// where it is set (a knob option) does not. Code and numbers must be the same token for token.
function shape(code) {
  const names = new Map();
  const index = (value) => {
    if (!names.has(value)) names.set(value, names.size);
    return `§${names.get(value)}`;
  };
  const out = [];
  let prev = null;
  const tokens = [...acorn.tokenizer(code, { ecmaVersion: 'latest', allowAwaitOutsideFunction: true, allowReturnOutsideFunction: true })];
  tokens.forEach((t, i) => {
    const label = t.type.label;
    const isKey = label === 'name' && ['{', ','].includes(prev) && tokens[i + 1]?.type.label === ':';
    out.push(label === 'string' || label === 'template' || isKey ? index(t.value) : `${label}:${t.value ?? ''}`);
    prev = label;
  });
  return out.join(' ');
}
const english = new Map(chapters.filter((c) => c.lang === 'en').flatMap((c) => c.cells.map((b) => [`${c.slug}#${b.id}`, b])));

// A translated block of the English shape is run for its first seconds only: long enough to
// build its models and reach its loop (where a translated word that the engine reads, such as
// a nonlinearity's name, would throw), not the whole training the English block already did.
const SAME_SHAPE_SECONDS = 3;
const sameAsEnglish = [];
for (const chapter of chapters) {
  for (const block of chapter.cells) {
    const en = chapter.lang === 'en' ? null : english.get(`${chapter.slug}#${block.id}`);
    const sameShape = Boolean(en && en.seed === block.seed && shape(en.code) === shape(block.code));
    if (sameShape) sameAsEnglish.push(`${chapter.lang}/${chapter.slug} #${block.id}`);
    const name = sameShape
      ? `${chapter.lang}/${chapter.slug} #${block.id} (the English code, its words translated) starts and shows its output`
      : `${chapter.lang}/${chapter.slug} #${block.id} runs to its end with its defaults`;
    test(name, async () => {
      const r = await runBlock(block, { timeoutMs: sameShape ? SAME_SHAPE_SECONDS * 1000 : 60_000 });
      const detail = r.error ? `${r.error.name}: ${r.error.message} (line ${r.error.line})` : r.status;
      const ended = sameShape ? ['done', 'timeout'] : ['done'];
      assert.ok(ended.includes(r.status), `${chapter.lang}/${chapter.slug} #${block.id} with seed ${block.seed}: ${detail}`);
      assert.ok(r.prints.length + r.plots.size > 0 || r.progress, 'it shows something');
      assert.deepEqual(r.prints.filter((p) => p.level === 'error'), [], 'nothing printed as an error');
    });
  }
}

test('every translated block is checked above, and those of the English shape are recognised', (t) => {
  const translated = chapters.filter((c) => c.lang !== 'en').reduce((n, c) => n + c.cells.length, 0);
  t.diagnostic(`${sameAsEnglish.length} of ${translated} translated blocks are the English code with translated comments and strings (run for ${SAME_SHAPE_SECONDS} s): ${sameAsEnglish.join(', ') || 'none'}`);
  // The comparison itself is not vacuous.
  const en = "const k = knob('kind', 'a', { options: ['a', 'b'] }); // pick\nif (k === 'a') print(`x = ${1 + 2}`);";
  assert.equal(shape(en), shape("const k = knob('종류', '가', { options: ['가', 'b'] }); // 고르기\nif (k === '가') print(`엑스 = ${1 + 2}`);"));
  assert.notEqual(shape(en), shape("const k = knob('kind', '가', { options: ['가', 'b'] });\nif (k === 'a') print(`x = ${1 + 2}`);"), 'an option renamed where it is set but not where it is compared');
  assert.notEqual(shape(en), shape("const k = knob('kind', 'a', { options: ['a', 'b'] });\nif (k === 'a') print(`x = ${1 + 3}`);"), 'a number changed');
  assert.notEqual(shape(en), shape("const k = knob('kind', 'a', { options: ['a', 'b'] });\nif (k !== 'a') print(`x = ${1 + 2}`);"), 'an operator changed');
  assert.equal(shape('plot({ series: { train: a } })'), shape("plot({ series: { 학습: a } })"), 'object keys are words too');
  assert.notEqual(shape('f(c ? a : b)'), shape('f(c ? x : b)'), 'a ternary branch is code, not a key');
});
