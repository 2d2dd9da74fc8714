// CTest takes a Catch2 test's name as a CMake list: a ';' in a TEST_CASE name splits it into two
// CTest tests that match nothing and fail (seen on a fresh clone), and '[' starts a tag filter.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';

test('no Catch2 test name holds a ; or a [ (CTest would split or filter it)', () => {
  const dir = new URL('../engine/', import.meta.url);
  const bad = [];
  let names = 0;
  for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.cpp'))) {
    for (const m of fs.readFileSync(new URL(f, dir), 'utf8').matchAll(/TEST_CASE\(\s*"((?:[^"\\]|\\.)*)"/g)) {
      names++;
      if (/[;[]/.test(m[1])) bad.push(`${f}: ${m[1]}`);
    }
  }
  assert.ok(names > 100, `found only ${names} test names`);
  assert.deepEqual(bad, []);
});
