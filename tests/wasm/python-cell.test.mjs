// Python cells in Node: the runtime the page's worker uses (web/src/python/runtime.js).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { loadPython } from './python-harness.mjs';

let py;
before(async () => { py = await loadPython(); });

test('print writes lines to the console, with sep and end', async () => {
  const { output, error } = await py.run("x = 3\nprint(f'x = {x}')\nprint(1, 2, sep='-')\nprint('a', end='')\nprint('b')");
  assert.equal(error, null);
  assert.equal(output, 'x = 3\n1-2\nab');
});

test('an exception names its class and the line of the reader\'s code', async () => {
  const { error } = await py.run('a = 1\ndef f():\n    return 1 / 0\nf()');
  assert.equal(error.name, 'ZeroDivisionError');
  assert.equal(error.line, 3);
  assert.deepEqual(error.trace.map((f) => f.line), [4]);
});
