// The chapters under tutorials/, checked in Node without a browser: every
// experiment block runs to its end with its defaults, the way the lab runs it
// (web/tools/check-chapters.mjs), and the two languages of a chapter agree on
// what links and embeds name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadChapters, runBlock } from '../../web/tools/check-chapters.mjs';
import { parseKnobs } from '../../web/src/runner/knobs.js';

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

// A translated block whose code differs from the English one only in its // comments computes
// the same thing: it is compared, not run a second time (some blocks train for seconds).
const withoutComments = (code) => code.split('\n').map((l) => l.replace(/\s*\/\/.*$/, '')).filter((l) => l.trim()).join('\n');
const english = new Map(chapters.filter((c) => c.lang === 'en').flatMap((c) => c.cells.map((b) => [`${c.slug}#${b.id}`, b])));

const sameAsEnglish = [];
for (const chapter of chapters) {
  for (const block of chapter.cells) {
    const en = chapter.lang === 'en' ? null : english.get(`${chapter.slug}#${block.id}`);
    if (en && en.seed === block.seed && withoutComments(en.code) === withoutComments(block.code)) {
      sameAsEnglish.push(`${chapter.lang}/${chapter.slug} #${block.id}`);
      continue;
    }
    test(`${chapter.lang}/${chapter.slug} #${block.id} runs to its end with its defaults`, async () => {
      const r = await runBlock(block, { timeoutMs: 60_000 });
      const detail = r.error ? `${r.error.name}: ${r.error.message} (line ${r.error.line})` : r.status;
      assert.equal(r.status, 'done', `${chapter.lang}/${chapter.slug} #${block.id} with seed ${block.seed}: ${detail}`);
      assert.ok(r.prints.length + r.plots.size > 0, 'it shows something');
      assert.deepEqual(r.prints.filter((p) => p.level === 'error'), [], 'nothing printed as an error');
    });
  }
}

test('every translated block either runs above or is its English block with translated comments', (t) => {
  const translated = chapters.filter((c) => c.lang !== 'en').reduce((n, c) => n + c.cells.length, 0);
  t.diagnostic(`${sameAsEnglish.length} of ${translated} translated blocks differ from English only in comments: ${sameAsEnglish.join(', ') || 'none'}`);
  // The comparison itself must not be vacuous: a block with different code is never counted.
  assert.notEqual(withoutComments('let a = 1; // one\nprint(a);'), withoutComments('let a = 2; // one\nprint(a);'));
  assert.equal(withoutComments('let a = 1; // one\nprint(a);'), withoutComments('let a = 1; // 하나\n\nprint(a);'));
});
