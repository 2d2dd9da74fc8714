// The engine built with threads (gradlab-engine-threads.*, picked by a cross-origin isolated
// page): it loads under Node with a pool of Workers, splits the work of an op between them, and
// gives the same bits as the SIMD engine without threads; its errors keep their messages (a
// catch by type works: wasm_eh_threads.cpp), and the engine without threads refuses a thread
// count it cannot run, saying why.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { loadEngine } from './load-engine.mjs';

let simd, threaded;
before(async () => {
  [simd, threaded] = await Promise.all([loadEngine('simd'), loadEngine('threads')]);
});
// the pool's Workers would keep Node's event loop alive after the last test
after(() => setImmediate(() => process.exit(process.exitCode ?? 0)));

const bits = (t) => new Uint32Array(t.toArray().buffer);

/** Trains a small model for a few Adam steps from seed 11; returns every parameter's values. */
function train(gl, kind, threads) {
  if (threads !== undefined) gl.setNumThreads(threads);
  gl.manualSeed(11);
  const layer = new gl.nn[kind](3, 32);
  const head = new gl.nn.Linear(32, 1);
  const params = [...layer.parameters(), ...head.parameters()];
  const opt = new gl.optim.Adam(params, { lr: 1e-2 });
  for (let step = 0; step < 3; step++) {
    const x = gl.randn([32, 60, 3]);
    const y = gl.randn([32, 1]);
    const [out] = layer.forward(x);
    const loss = gl.nn.functional.mseLoss(head.forward(out.select(1, 59)), y);
    opt.zeroGrad();
    loss.backward();
    opt.step();
  }
  return params.map(bits);
}

test('the threaded engine starts a pool and uses every thread by default', () => {
  assert.ok(threaded.maxThreads() >= 2, `maxThreads ${threaded.maxThreads()}`);
  assert.equal(threaded.getNumThreads(), threaded.maxThreads());
  assert.equal(simd.maxThreads(), 1);
  assert.equal(simd.getNumThreads(), 1);
});

test('RNN, LSTM and GRU trained on 2 threads end with the same bits as without threads', () => {
  for (const kind of ['RNN', 'LSTM', 'GRU']) {
    const want = train(simd, kind);
    const one = train(threaded, kind, 1);
    const two = train(threaded, kind, 2);
    assert.equal(want.length, two.length);
    want.forEach((w, k) => {
      assert.deepEqual(one[k], w, `${kind} parameter ${k}, threaded engine on 1 thread`);
      assert.deepEqual(two[k], w, `${kind} parameter ${k}, threaded engine on 2 threads`);
    });
  }
});

test('a large product on 2 threads gives the same bits as without threads', () => {
  const product = (gl, n) => {
    gl.setNumThreads(n);
    gl.manualSeed(5);
    const a = gl.randn([300, 200]), b = gl.randn([200, 150]);
    return bits(a.matmul(b));
  };
  assert.deepEqual(product(threaded, 2), product(simd, 1));
  threaded.setNumThreads(threaded.maxThreads());
});

test('errors keep their messages in the threaded engine, and bad thread counts are named', () => {
  for (const gl of [simd, threaded]) {
    assert.throws(() => gl.randn([2, -3]), /randn: shape\[1\] must be a non-negative integer, got -3/);
    assert.throws(() => gl.randn([2, 3]).matmul(gl.randn([4, 5])), /matmul: inner sizes differ/);
    assert.throws(() => gl.setNumThreads(0), /setNumThreads: n must be a positive integer, got 0/);
    assert.throws(() => gl.setNumThreads('2'), /setNumThreads: n must be a positive integer, got '2'/);
    assert.throws(() => gl.setNumThreads(1.5), /setNumThreads: n must be a positive integer, got 1.5/);
  }
  assert.throws(() => simd.setNumThreads(2), /n must be in \[1, 1\] \(this engine is built without threads\), got 2/);
  const max = threaded.maxThreads();
  assert.throws(() => threaded.setNumThreads(max + 1), new RegExp(`n must be in \\[1, ${max}\\] \\(the threads this engine has\\), got ${max + 1}`));
  // and the engine is still usable after each
  assert.equal(threaded.getNumThreads(), max);
  assert.deepEqual(threaded.tensor([1, 2]).add(threaded.tensor([3, 4])).toArray(), Float32Array.from([4, 6]));
});
