// gl.tasks through the wasm engine.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { loadEngine } from './load-engine.mjs';

let gl;
before(async () => { gl = await loadEngine(); });

test('the adding problem gives (B, T, 2) inputs whose marked values sum to the target', () => {
  const task = new gl.tasks.AddingProblem({ T: 30, seed: 4 });
  const { x, y } = task.batch(8);
  assert.deepEqual(x.shape, [8, 30, 2]);
  assert.deepEqual(y.shape, [8, 1]);
  const xs = x.toArray(), ys = y.toArray();
  for (let b = 0; b < 8; b++) {
    let sum = 0, marks = 0;
    for (let t = 0; t < 30; t++) if (xs[(b * 30 + t) * 2 + 1] === 1) { sum += xs[(b * 30 + t) * 2]; marks++; }
    assert.equal(marks, 2);
    assert.ok(Math.abs(sum - ys[b]) < 1e-6);
  }
  assert.ok(Math.abs(gl.tasks.AddingProblem.baselineMSE - 1 / 6) < 1e-12);
  const again = new gl.tasks.AddingProblem({ T: 30, seed: 4 }).batch(8);
  assert.deepEqual(again.x.toArray(), xs);
});

test('the copy task asks back the symbols it showed', () => {
  const task = new gl.tasks.CopyTask({ symbols: 3, delay: 5, alphabet: 4, seed: 1 });
  assert.equal(task.T, 11);
  assert.equal(task.classes, 6);
  const { x, y } = task.batch(2);
  assert.deepEqual(x.shape, [2, 11, 6]);
  assert.deepEqual(y.shape, [2, 11]);
  const ys = y.toArray(), xs = x.toArray();
  for (let k = 0; k < 3; k++) assert.equal(ys[8 + k], xs.slice(k * 6, k * 6 + 6).indexOf(1));
  assert.ok(Math.abs(task.baselineCrossEntropy - 3 * Math.log(4) / 11) < 1e-9);
});

test('bad task arguments name the task and the value', () => {
  assert.throws(() => new gl.tasks.AddingProblem({ T: 1 }), /AddingProblem: T must be an integer >= 2, got 1/);
  assert.throws(() => new gl.tasks.AddingProblem({ T: 'long' }), /AddingProblem: T .* got 'long'/);
  assert.throws(() => new gl.tasks.CopyTask({ alphabet: 1 }), /CopyTask: alphabet .* got 1/);
  assert.throws(() => new gl.tasks.AddingProblem({ T: 10 }).batch(0), /batchSize .* got 0/);
});
