// The engine without SIMD (for browsers that lack it) computes what the SIMD engine does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadEngine } from './load-engine.mjs';

test('baseline and SIMD engines agree on a training run', async () => {
  const run = (gl) => {
    gl.manualSeed(12);
    const l1 = new gl.nn.Linear(16, 32), l2 = new gl.nn.Linear(32, 1);
    const opt = new gl.optim.Adam([...l1.parameters(), ...l2.parameters()], { lr: 0.01 });
    const x = gl.randn([64, 16]), y = gl.randn([64, 1]);
    const losses = [];
    for (let i = 0; i < 50; i++) {
      opt.zeroGrad();
      const loss = gl.nn.functional.mseLoss(l2.forward(l1.forward(x).tanh()), y);
      loss.backward();
      opt.step();
      losses.push(loss.item());
    }
    return losses;
  };
  const simd = run(await loadEngine('simd'));
  const baseline = run(await loadEngine('baseline'));
  assert.ok(simd[49] < 0.5 * simd[0], `SIMD engine trains: ${simd[0]} -> ${simd[49]}`);
  for (let i = 0; i < 50; i++) {
    // different summation order in the GEMM kernels: equal to float rounding, not bit for bit
    assert.ok(Math.abs(simd[i] - baseline[i]) <= 1e-4 * Math.abs(simd[i]), `step ${i}: ${simd[i]} vs ${baseline[i]}`);
  }
});
