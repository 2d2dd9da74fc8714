// An error from the engine leaves its shadow stack where it was. A JS exception thrown out of
// C++ skips the epilogues that pop the stack, so each engine error used to leak a few bytes
// of the 2 MB stack: the fuzzer (fuzz-api.test.mjs, seed 2024) saw wasm traps after ~130,000
// errors, once the stack had grown down into static data and the heap. gl puts the pointer
// back after every failed call (web/src/api/calls.js, withStack).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { makeGL } from '../../web/src/api/gl.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const engineDir = process.env.GRADLAB_ENGINE_DIR ?? path.join(root, 'web/public/engine');

let raw, gl;
before(async () => {
  const enginePath = path.join(engineDir, 'gradlab-engine.mjs');
  globalThis.require ??= createRequire(import.meta.url);
  globalThis.__dirname ??= engineDir;
  const { default: createEngine } = await import(pathToFileURL(enginePath));
  raw = await createEngine({ wasmBinary: fs.readFileSync(enginePath.replace(/\.mjs$/, '.wasm')) });
  gl = makeGL(raw);
});

test('a raw engine error leaks shadow stack (the cause), a gl error does not', () => {
  const sp = raw.stackPointer();
  assert.throws(() => raw.randn('abc', false), /randn: shape must be an array/);
  const leaked = sp - raw.stackPointer();
  raw.restoreStackPointer(sp);
  assert.ok(leaked > 0, `expected the raw call to leak stack, it leaked ${leaked} bytes`);

  const failing = [
    () => gl.randn('abc'), () => gl.randn([2]).select(0, 1.5), () => gl.randn([2, 3]).matmul(gl.randn([4, 5])),
    () => new gl.nn.Linear(2 ** 40, 3), () => new gl.nn.LSTM(3, 4).forward(gl.randn([2, 3])),
    () => gl.nn.functional.crossEntropy(gl.randn([2, 3]), [7, 0]), () => gl.analysis.powerNorms(gl.randn([3]), 5),
    () => gl.randn(new Proxy([2, 3], { get() { throw new Error('a hostile getter'); } })),
  ];
  for (const call of failing) {
    assert.throws(call);
    assert.equal(raw.stackPointer(), sp, `stack moved after ${call}`);
  }
});

test('errors caught by the reader inside gl.tidy and gl.noGrad leave the stack too', () => {
  const sp = raw.stackPointer();
  gl.tidy(() => gl.noGrad(() => {
    for (let i = 0; i < 1000; i++) {
      try { gl.randn([2]).select(0, 1.5); } catch { /* the reader's own handling */ }
    }
  }));
  assert.equal(raw.stackPointer(), sp);
});

test('200,000 errors in a row, then the engine still computes right', { timeout: 300_000 }, () => {
  for (let i = 0; i < 200_000; i++) {
    try { gl.randn('abc'); } catch (e) { if (!(e instanceof TypeError)) throw e; }
  }
  const y = gl.tensor([[1, 2], [3, 4]]).matmul(gl.tensor([[5, 6], [7, 8]])).sum().item();
  assert.equal(y, 134);
});
