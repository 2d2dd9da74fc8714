// tests/run-all.sh runs the browser files listed in tests/e2e/untimed.txt beside the wasm suite,
// on a busy machine: a file there must time nothing, or a busy core would fail it. Every other
// file runs afterwards, alone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';

const dir = new URL('../e2e/', import.meta.url);
const listed = fs.readFileSync(new URL('untimed.txt', dir), 'utf8')
  .split('\n').map((l) => l.replace(/#.*/, '').trim()).filter(Boolean);
// what a timed check uses: the long-task record, a clock, a stated time limit
const TIMING = /longTasks|recordLongTasks|performance\.now|Date\.now|within \d+(\.\d+)? ?(s|ms)\b/;

test('every browser file listed as untimed exists and times nothing', () => {
  assert.ok(listed.length >= 5, `listed ${listed.length}`);
  for (const name of listed) {
    assert.ok(fs.existsSync(new URL(name, dir)), `${name} is listed in tests/e2e/untimed.txt but does not exist`);
    const source = fs.readFileSync(new URL(name, dir), 'utf8');
    const m = source.match(TIMING);
    assert.equal(m, null, `${name} is listed as untimed but uses "${m?.[0]}": move it out of tests/e2e/untimed.txt`);
  }
});

test('the check sees a timed file: chapters.test.mjs records long tasks', () => {
  assert.match(fs.readFileSync(new URL('chapters.test.mjs', dir), 'utf8'), TIMING);
});
