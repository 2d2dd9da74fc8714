// The chapters under tutorials/: the two languages of a chapter agree on what
// links and embeds name, and every experiment block runs to its end with its
// defaults in the lab, in Chromium, one chapter page at a time, while the page
// records its long tasks: no run may block the page's thread for more than
// LONG_TASK_MS (issue 11). (web/tools/check-chapters.mjs runs blocks in Node.)
import { test, after } from 'node:test';
import fs from 'node:fs';
import assert from 'node:assert/strict';
import { loadChapters } from '../../web/tools/check-chapters.mjs';
import { parseKnobs } from '../../web/src/runner/knobs.js';
import { longTasks, newPage, recordLongTasks, startLab, waitForRunEnd } from './browser.mjs';
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
// not run a second time (some blocks train for seconds). The comparison is on the syntax tree:
// every string and object key becomes its index of first appearance, so a label translated
// everywhere it is used matches, and one translated where it is compared but not where it is
// set (a knob option) does not. A template literal is text: its words are left out and its
// interpolations compared as a set, as a translation puts them in its own word order
// (`${n} steps` and `${n}단계`, `${a} of ${b}` and `${b}의 ${a}`). Everything else, code and
// numbers, must be the same.
const SKIP_FIELDS = new Set(['start', 'end', 'loc', 'range', 'raw']);
function shape(code) {
  const names = new Map();
  const index = (value) => {
    if (!names.has(value)) names.set(value, names.size);
    return `§${names.get(value)}`;
  };
  const walk = (node) => {
    if (Array.isArray(node)) return `[${node.map(walk).join(',')}]`;
    if (node === null || typeof node !== 'object') return JSON.stringify(node ?? null);
    if (node.type === 'Literal' && typeof node.value === 'string') return index(node.value);
    if (node.type === 'TemplateLiteral') return `\`${node.expressions.map(walk).sort().join(',')}\``;
    if (node.type === 'Property' && !node.computed && !node.method && node.kind === 'init') {
      const key = node.key.type === 'Identifier' ? node.key.name : node.key.value; // { train: a } or { '학습': a }
      if (typeof key === 'string') return `Property{${index(key)}:${walk(node.value)}}`;
    }
    const fields = Object.keys(node).filter((k) => !SKIP_FIELDS.has(k) && k !== 'type');
    return `${node.type}{${fields.map((k) => `${k}:${walk(node[k])}`).join(';')}}`;
  };
  return walk(acorn.parse(code, { ecmaVersion: 'latest', allowAwaitOutsideFunction: true, allowReturnOutsideFunction: true }).body);
}
const english = new Map(chapters.filter((c) => c.lang === 'en').flatMap((c) => c.cells.map((b) => [`${c.slug}#${b.id}`, b])));

// A translated block of the English shape is run for its first seconds only: long enough to
// build its models and reach its loop (where a translated word that the engine reads, such as
// a nonlinearity's name, would throw), not the whole training the English block already did.
const SAME_SHAPE_SECONDS = 2;
// A block's run, at most (the longest, the adding-problem race and the recipe, took about 10 s
// each in Chromium on 2 cores on 2026-12-02; their claims are checked in Node, in
// tests/wasm/chapter-vanishing.test.mjs).
const RUN_TIMEOUT_MS = 120_000;

// The one timing threshold of the tests: no task on the page's thread longer than this while a
// cell runs and draws. A long task's duration is wall time: on a loaded machine the thread is
// also preempted (seen here at load 15 on 2 cores: a 1.4 s "task" of 57 ms CPU). So a cell with
// a task over the limit runs again in a fresh page, up to TRIES runs or RETRY_MS of reruns, and
// fails only if every run had one; a real stall repeats. The best run's worst task is printed.
const LONG_TASK_MS = 200;
const TRIES = 3;
const RETRY_MS = 60_000;

let lab = null;
let open = null; // { key, page, pageErrors }: the chapter page the blocks run in
const worst = []; // [ms, where] per block
const took = []; // [ms, where] per block run to its end: the page's own "Done in" (issue 16: ≤ 10 s each)
after(async () => {
  await closePage();
  await lab?.close();
  worst.sort((a, b) => b[0] - a[0]);
  if (worst.length) console.log(`# longest task on the page's thread during a run: ${worst.slice(0, 5).map(([ms, where]) => `${ms} ms (${where})`).join(', ')}`);
  took.sort((a, b) => b[0] - a[0]);
  const s = (ms) => `${(ms / 1000).toFixed(1)} s`;
  if (took.length) {
    console.log(`# cells run to their end with their defaults: ${took.length}, ${took.filter(([ms]) => ms > 10_000).length} over 10 s; ` +
      `the slowest: ${took.slice(0, 5).map(([ms, where]) => `${s(ms)} (${where})`).join(', ')}`);
  }
});

async function closePage() {
  await open?.page.close();
  open = null;
}

async function chapterPage(chapter) {
  const key = `${chapter.lang}/${chapter.slug}`;
  if (open?.key === key) return open;
  await closePage();
  lab ??= await startLab();
  const { page, pageErrors } = await newPage(lab);
  await recordLongTasks(page);
  await page.goto(`${lab.url}#lang=${chapter.lang}&chapter=${chapter.slug}`);
  await page.waitForSelector('.cell[data-engine="ready"]', { timeout: 30_000 });
  const load = Math.max(0, ...(await longTasks(page)).map((t) => t.ms));
  console.log(`# ${key}: opening the page, longest task ${load} ms (not a run: not checked)`);
  open = { key, page, pageErrors };
  return open;
}

/** Runs one cell in its page; stops it after stopAfterMs if given. Returns what it showed and its long tasks. */
async function runCell(page, id, { timeoutMs, stopAfterMs = null }) {
  const sel = `#cell-${id}`;
  const runs = Number(await page.getAttribute(sel, 'data-runs'));
  // Measure from a quiet moment: the cell in view and the page idle (done loading and laying out).
  await page.locator(sel).scrollIntoViewIfNeeded();
  const since = await page.evaluate(() => new Promise((resolve) => requestIdleCallback(() => resolve(performance.now()), { timeout: 3000 })));
  await page.click(`${sel} [data-action="run"]`);
  let status;
  try {
    status = await waitForRunEnd(page, runs + 1, stopAfterMs ?? timeoutMs, sel);
  } catch {
    await page.evaluate((cell) => window.gradlab.cells[cell].stop(), id);
    const ended = await waitForRunEnd(page, runs + 1, 10_000, sel); // 'done' if it ended just then
    if (stopAfterMs === null) status = ended === 'done' ? ended : `not ended after ${timeoutMs / 1000} s`;
    else status = ended === 'done' ? ended : `${ended} after ${stopAfterMs / 1000} s`;
  }
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  const shown = await page.evaluate((s) => {
    const cell = document.querySelector(s);
    const lines = [...cell.querySelectorAll('.console .console-line')];
    return {
      lines: lines.length,
      errors: lines.filter((l) => l.dataset.level === 'error').map((l) => l.textContent),
      plots: cell.querySelectorAll('.plots .plot').length,
      progress: Boolean(cell.querySelector('.progress')?.dataset.step),
      statusText: cell.querySelector('.status').textContent,
      tookMs: Number(cell.dataset.tookMs),
    };
  }, sel);
  return { status, ...shown, tasks: (await longTasks(page, since)).map((t) => t.ms) };
}

const sameAsEnglish = [];
for (const chapter of chapters) {
  for (const block of chapter.cells) {
    const en = chapter.lang === 'en' ? null : english.get(`${chapter.slug}#${block.id}`);
    const sameShape = Boolean(en && en.seed === block.seed && shape(en.code) === shape(block.code));
    if (sameShape) sameAsEnglish.push(`${chapter.lang}/${chapter.slug} #${block.id}`);
    const where = `${chapter.lang}/${chapter.slug} #${block.id}`;
    const name = sameShape
      ? `${where} (the English code, its words translated) starts and shows its output, the page never blocked`
      : `${where} runs to its end with its defaults, the page never blocked`;
    test(name, async () => {
      let r;
      const pageErrors = []; // during this block's runs
      const tries = [];
      const t0 = Date.now();
      for (let i = 0; i < TRIES; i++) {
        if (i > 0 && Date.now() - t0 > RETRY_MS) break;
        if (i > 0) await closePage(); // a rerun as the first run was: in a fresh page
        const opened = await chapterPage(chapter);
        const errorsBefore = opened.pageErrors.length;
        const stopAfterMs = sameShape ? SAME_SHAPE_SECONDS * 1000 : null;
        r = await runCell(opened.page, block.id, { timeoutMs: RUN_TIMEOUT_MS, stopAfterMs });
        pageErrors.push(...opened.pageErrors.slice(errorsBefore));
        tries.push(Math.max(0, ...r.tasks));
        if (tries.at(-1) <= LONG_TASK_MS || !/^done$|^stopped after/.test(r.status)) break;
      }
      if (r.status === 'done' && !sameShape) took.push([r.tookMs, where]);
      const longest = Math.min(...tries);
      worst.push([longest, where]);
      if (tries.length > 1) console.log(`# ${where}: run again in a fresh page; longest task per run ${tries.join(' ms, ')} ms`);
      const ok = sameShape ? /^done$|^stopped after/ : /^done$/;
      assert.match(r.status, ok, `${where} with seed ${block.seed}: ${r.status} ("${r.statusText}") ${r.errors.join(' | ')}`);
      assert.ok(r.lines + r.plots > 0 || r.progress, 'it shows something');
      assert.deepEqual(r.errors, [], 'nothing printed as an error');
      assert.ok(longest <= LONG_TASK_MS, `${where}: a task blocked the page's thread for ${tries.join(' ms, then ')} ms (over ${LONG_TASK_MS} ms each time)`);
      assert.deepEqual(pageErrors.map((e) => e.message), [], 'no error on the page');
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
  assert.equal(shape('plot({ series: { train: a } })'), shape("plot({ series: { '학습 손실': a } })"), 'a key in quotes too');
  assert.notEqual(shape('f(c ? a : b)'), shape('f(c ? x : b)'), 'a ternary branch is code, not a key');
  assert.equal(shape('print(`${a} of ${b}: ${c.toFixed(2)}`)'), shape('print(`${c.toFixed(2)}: ${b}의 ${a}`)'), 'a template in its own word order');
  assert.notEqual(shape('print(`${a} of ${b}`)'), shape('print(`${a}의 ${a}`)'), 'a template that prints another value');
  assert.notEqual(shape('print(`${n} step${n === 1 ? "" : "s"}`)'), shape('print(`${n}단계`)'), 'code inside a template is code');
  assert.notEqual(shape("knob('number', 35021)"), shape("knob('숫자', 35000)"), 'a number changed');
});
