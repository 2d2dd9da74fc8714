// The words a Korean reader of the articles searches for, one spelling per term: the chapters
// (tutorials/ko) and the lab's own Korean strings (web/src) use 기울기 소실 / 기울기 폭발 for
// the phenomena, 그라디언트 for the vector, 특이값, 가우시안, 파라미터, and not the other
// spellings of the same terms. And no chapter sends a web reader to the command line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

// ruled out -> the spelling the lab uses
const RULED_OUT = [
  [/특잇값/g, '특이값'],
  [/가우스/g, '가우시안'],
  [/그래디언트/g, '그라디언트'],
  [/(?:그라디언트|그래디언트|경사|기울기)\s*(?:증발|손실)/g, '기울기 소실'],
  [/(?:그라디언트|그래디언트|경사)\s*소실/g, '기울기 소실'],
  [/(?:그라디언트|그래디언트|경사)\s*폭발/g, '기울기 폭발'],
  [/매개변수/g, '파라미터'],
];

function files(dir, ext) {
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((d) => d.isFile() && ext.some((e) => d.name.endsWith(e)))
    .map((d) => path.join(d.parentPath ?? d.path, d.name));
}

/** [{ file, line, found, use }] for every ruled-out spelling in `text`. */
function spellingProblems(file, text) {
  const out = [];
  text.split('\n').forEach((l, i) => {
    if (/^(?:article|treats)-\d{3}:/.test(l)) return; // front matter quoting an article's own title or section
    for (const [re, use] of RULED_OUT) for (const m of l.matchAll(re)) out.push(`${file}:${i + 1}: "${m[0]}" (use ${use})`);
  });
  return out;
}

test('Korean chapters and the lab\'s Korean strings use one spelling per term', () => {
  const targets = [...files(path.join(root, 'tutorials/ko'), ['.md']), ...files(path.join(root, 'web/src'), ['.js', '.html', '.css'])];
  assert.ok(targets.length > 20, `checked ${targets.length} files`);
  const problems = targets.flatMap((f) => spellingProblems(path.relative(root, f), fs.readFileSync(f, 'utf8')));
  assert.deepEqual(problems, []);
  // The check itself finds what it should.
  assert.equal(spellingProblems('x', '가장 큰 특잇값, 가우스 행렬, 그라디언트 소실').length, 3);
  assert.deepEqual(spellingProblems('x', '특이값, 가우시안 행렬, 기울기 소실과 기울기 폭발, 그라디언트 노름'), []);
});

test('the Korean chapters name the phenomena as the articles do: 기울기 소실 and 기울기 폭발', () => {
  const text = files(path.join(root, 'tutorials/ko'), ['.md']).map((f) => fs.readFileSync(f, 'utf8')).join('\n');
  assert.match(text, /기울기 소실/);
  assert.match(text, /기울기 폭발/);
});

test('no chapter points a web reader at the command line (gradlab-cli stays in README)', () => {
  for (const f of files(path.join(root, 'tutorials'), ['.md'])) {
    if (path.basename(f) === 'README.md') continue;
    assert.doesNotMatch(fs.readFileSync(f, 'utf8'), /gradlab-cli|터미널에서|from a terminal/, path.relative(root, f));
  }
});
