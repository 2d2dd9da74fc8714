// The site's Korean font rules, as the build wrote them (web/src/site/fonts/korean.css, by
// web/tools/korean-font-plugin.mjs at build start; `npm test` builds the site before this runs).
// document.fonts.load fetches every face whose unicode-range holds a character of its text, so
// one character must belong to one face: the Korean words every page shows (the chrome faces,
// one small file per weight) to those only, and Latin, Greek and the signs to none (the system's
// fonts set them: a ρ a run first drew in a plot fetched a Korean file and relaid the page).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

const fonts = new URL('../../web/src/site/fonts/', import.meta.url);

/** [{ file, weight, codes: Set }] of korean.css's @font-face rules. */
function faces() {
  const css = fs.readFileSync(new URL('korean.css', fonts), 'utf8');
  return [...css.matchAll(/font-weight: ([\d ]+);[^}]*?src: url\('\.\/([^']+)'\)[^}]*?unicode-range: ([^;]+);/g)].map(([, weight, file, range]) => {
    const codes = new Set();
    for (const part of range.split(',')) {
      const [lo, hi] = part.trim().replace(/^U\+/i, '').split('-').map((h) => parseInt(h, 16));
      for (let c = lo; c <= (hi ?? lo); c++) codes.add(c);
    }
    return { file, weight, codes };
  });
}

test('each character has one Korean face per weight; the words every page shows come from the chrome file; no face claims Latin, Greek or signs', () => {
  const all = faces();
  assert.ok(all.length > 200, `${all.length} faces`);
  for (const weight of new Set(all.map((f) => f.weight))) {
    const owner = new Map();
    for (const f of all.filter((x) => x.weight === weight)) {
      for (const c of f.codes) {
        assert.ok(c > 0x24f, `${f.file} claims U+${c.toString(16)} (Latin)`);
        assert.ok(!(c >= 0x370 && c <= 0x10ff) && !(c >= 0x2000 && c <= 0x2dff), `${f.file} claims U+${c.toString(16)} (Greek, punctuation or a sign)`);
        assert.ok(!owner.has(c), `U+${c.toString(16)} is in ${owner.get(c)} and ${f.file}`);
        owner.set(c, f.file);
      }
    }
    // The split files hold these; the faces leave them to the system's fonts.
    for (const ch of 'ρΔ‖′−→≤∂①') assert.ok(!owner.has(ch.codePointAt(0)), `${ch} is claimed by ${owner.get(ch.codePointAt(0))} (weight ${weight})`);
    // Hanja and CJK punctuation stay.
    for (const ch of '韓「」。') assert.ok(owner.has(ch.codePointAt(0)), `${ch} (weight ${weight})`);
    const chrome = all.find((f) => f.weight === weight && /chrome/.test(f.file));
    assert.ok(chrome, `a chrome face for weight ${weight}`);
    // The articles' titles and the language switch's 한국어, as the English landing page shows them.
    for (const ch of '그라디언트 증발 문제와 해결 방안 오차 역전파법 피할 수 없는가 한국어'.replace(/ /g, '')) {
      assert.equal(owner.get(ch.codePointAt(0)), chrome.file, `${ch} (weight ${weight})`);
    }
  }
});

test('the chrome files hold a glyph for every character their faces claim', () => {
  const chrome = faces().filter((f) => /chrome/.test(f.file));
  assert.equal(chrome.length, 2);
  for (const f of chrome) {
    const script = 'import sys\nfrom fontTools.ttLib import TTFont\nprint(" ".join(str(c) for c in TTFont(sys.argv[1]).getBestCmap()))';
    const python = fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
    const cmap = new Set(execFileSync(python, ['-c', script, new URL(f.file, fonts).pathname], { encoding: 'utf8' }).trim().split(' ').map(Number));
    const missing = [...f.codes].filter((c) => !cmap.has(c)).map((c) => String.fromCodePoint(c));
    assert.deepEqual(missing, [], f.file);
    assert.ok(f.codes.size >= 30, `${f.file}: ${f.codes.size} characters`);
  }
});
