// A run's tensor data (in wasm and in spilled JS copies) has a budget: keeping tensors past it
// fails with a message naming the budget and the call, and the engine stays usable. Tensors
// freed by dispose()/tidy() or collected by the GC give their bytes back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { loadEngine } from './load-engine.mjs';
import { DEFAULT_MEMORY_BUDGET } from '../../web/src/api/gl.js';

const MiB = 2 ** 20;
const BUDGET = 32 * MiB; // eight (1000, 1000) tensors of 4 MB fit, the ninth does not

// 1 + 2 + 3 + 4 = 10, through the engine
const known = (gl) => gl.tensor([[1, 2], [3, 4]]).matmul(gl.ones([2, 1])).sum().item();

test('the default budget is 1 GiB of tensor data, and loadGL takes another', async () => {
  assert.equal(DEFAULT_MEMORY_BUDGET, 2 ** 30);
  assert.equal((await loadEngine()).memory().budget, 2 ** 30);
  assert.equal((await loadEngine('simd', { memoryBudget: BUDGET })).memory().budget, BUDGET);
  await assert.rejects(loadEngine('simd', { memoryBudget: -1 }), /makeGL: memoryBudget must be a positive number of bytes, got -1/);
});

test('keeping gl.randn([1000, 1000]) stops at the budget with a message naming it; the engine stays usable', async () => {
  const gl = await loadEngine('simd', { memoryBudget: BUDGET });
  const kept = [];
  let error = null;
  for (let i = 0; i < 5000 && !error; i++) {
    try {
      kept.push(gl.randn([1000, 1000]));
    } catch (e) {
      error = e;
    }
  }
  assert.equal(kept.length, 8, `kept ${kept.length} tensors before the error`);
  assert.match(error.message, /^randn: \[1000, 1000\] asks for 3\.81 MiB; tensors would use 34\.33 MiB, more than this lab's budget of 32 MiB; dispose\(\) or tidy\(\) tensors you no longer need$/);
  assert.ok(gl.memory().tensorBytes <= BUDGET);
  assert.equal(known(gl), 10);
  assert.equal(kept[7].numel(), 1e6); // what was kept is intact
  kept.forEach((t) => t.dispose());
  for (let i = 0; i < 8; i++) kept[i] = gl.randn([1000, 1000]); // disposed bytes came back
  assert.equal(known(gl), 10);
});

test('spilled copies count: keeping tensors while gl spills them into JS still stops at the budget', async () => {
  const gl = await loadEngine('simd', { memoryBudget: BUDGET, spillThreshold: 1 });
  const kept = [];
  assert.throws(() => {
    for (let i = 0; i < 5000; i++) {
      kept.push(gl.randn([1000, 1000]));
      gl._spill(); // every tensor made so far moves into JS
    }
  }, /^Error: randn: .*more than this lab's budget of 32 MiB/);
  assert.equal(kept.length, 8);
  assert.ok(gl.memory().spilledBytes >= 7 * 4e6, `spilled ${gl.memory().spilledBytes} bytes`);
  assert.equal(known(gl), 10);
  assert.deepEqual(kept[0].shape, [1000, 1000]); // a spilled tensor comes back
});

test('an op whose result would pass the budget fails naming the op, and frees its result', async () => {
  const gl = await loadEngine('simd', { memoryBudget: BUDGET });
  const a = gl.randn([1000, 1000]);
  assert.throws(() => gl.cat([a, a, a, a, a, a, a, a]),
    /^Error: cat: tensors would use 34\.33 MiB, more than this lab's budget of 32 MiB; dispose\(\) or tidy\(\) tensors you no longer need$/);
  assert.equal(gl.memory().tensorBytes, 4e6); // a alone: the refused result is gone
  assert.equal(gl.cat([a, a, a, a, a, a, a]).numel(), 7e6); // what fits is made
  assert.equal(known(gl), 10);
});

test('a loop that makes and drops tensors with tidy or dispose runs far past the budget', async () => {
  const gl = await loadEngine('simd', { memoryBudget: BUDGET });
  for (let i = 0; i < 30; i++) gl.tidy(() => gl.randn([1000, 1000]).mul(2).sum().item()); // 240 MB made
  for (let i = 0; i < 30; i++) {
    const t = gl.randn([1000, 1000]);
    t.tanh().dispose();
    t.dispose();
  }
  assert.ok(gl.memory().tensorBytes < 1 * MiB, `${gl.memory().tensorBytes} bytes still counted`);
  assert.equal(known(gl), 10);
});

test('tensors the GC collected give their bytes back', async () => {
  // In a worker thread of its own (gc-collect-worker.mjs says why): 60 tensors of 4 MB made and
  // dropped under a budget of 32 MB, collected between every four.
  const worker = new Worker(new URL('./gc-collect-worker.mjs', import.meta.url), { workerData: { budget: BUDGET } });
  const result = await new Promise((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  await worker.terminate();
  assert.equal(result.error, undefined, result.error);
  assert.ok(result.bytes < 4e6, `${result.bytes} bytes still counted`);
  assert.equal(result.known, 10);
});

test('a long training loop holding nothing stays under a small budget while gl spills its intermediates', async () => {
  const gl = await loadEngine('simd', { memoryBudget: 16 * MiB, spillThreshold: 4 * MiB });
  gl.manualSeed(1);
  const model = new gl.nn.Linear(64, 64);
  const opt = new gl.optim.Adam(model.parameters(), { lr: 1e-3 });
  const x = gl.randn([64, 64]), target = gl.randn([64, 64]);
  for (let step = 0; step < 3000; step++) { // ~50 KB of intermediates per step, 150 MB in all
    opt.zeroGrad();
    const loss = gl.nn.functional.mseLoss(model.forward(x).tanh(), target);
    loss.backward();
    opt.step();
  }
  assert.ok(gl.memory().spills >= 3, `${gl.memory().spills} spills`);
  assert.ok(gl.memory().tensorBytes < 16 * MiB);
});

test('evaluations under noGrad in a long loop are not held against the budget once spilled', async () => {
  // results computed under noGrad and dropped, as a chapter's periodic test-set evaluation
  const gl = await loadEngine('simd', { memoryBudget: 16 * MiB, spillThreshold: 4 * MiB });
  gl.manualSeed(2);
  const model = new gl.nn.Linear(256, 256);
  const x = gl.randn([256, 256]);
  for (let i = 0; i < 400; i++) gl.noGrad(() => model.forward(x).tanh().mean().item()); // 200 MB made
  assert.ok(gl.memory().spills >= 3, `${gl.memory().spills} spills`);
  assert.ok(gl.memory().tensorBytes < 16 * MiB);
});

// gl.tidy's tensors get no finalizer while their scope holds them (gl.js adopt): a scope that
// runs a long loop must still be spilled from, and what leaves the last scope is spilled and
// finalized like any other tensor.
test('a long training loop inside one gl.tidy stays under a small budget; what leaves it is spilled like any other tensor', async () => {
  const gl = await loadEngine('simd', { memoryBudget: 16 * MiB, spillThreshold: 4 * MiB });
  gl.manualSeed(1);
  const model = new gl.nn.Linear(64, 64);
  const opt = new gl.optim.Adam(model.parameters(), { lr: 1e-3 });
  const x = gl.randn([64, 64]), target = gl.randn([64, 64]);
  const spillsBefore = gl.memory().spills;
  const lastLoss = gl.tidy(() => {
    let loss;
    for (let step = 0; step < 3000; step++) { // ~50 KB of intermediates per step, 150 MB in all
      opt.zeroGrad();
      loss = gl.nn.functional.mseLoss(model.forward(x).tanh(), target);
      loss.backward();
      opt.step();
    }
    return loss;
  });
  assert.ok(gl.memory().spills - spillsBefore >= 3, `${gl.memory().spills - spillsBefore} spills inside the scope`);
  assert.ok(Number.isFinite(lastLoss.item()), 'the returned tensor lives on');
  // A tensor that leaves the last scope joins the tensors a spill looks at (and gets its
  // finalizer): a spill now moves its values into JS, and they come back unchanged.
  const other = await loadEngine('simd', { memoryBudget: BUDGET });
  const counted = other.memory().tensorBytes;
  const kept = other.tidy(() => other.randn([500, 500]).mul(2)); // 1 MB; the randn is freed
  assert.equal(other.memory().tensorBytes, counted + 1e6);
  const values = kept.toArray();
  other._spill();
  assert.equal(other.memory().tensorBytes, counted, 'spilled: a computed tensor\'s JS copy is not counted');
  assert.deepEqual(kept.toArray(), values);
});
