// The layers against an implementation nobody here wrote: TensorFlow.js (cpu backend) with
// the same inputs and weights. Values and gradients (tf.grads) of LayerNorm (tf's own
// layer), softmax, logSoftmax, cross-entropy, BCE with logits, GELU, and multi-head
// attention written with tf ops.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { loadEngine } from './load-engine.mjs';
import { loadTF, toTF } from './tfjs-reference.mjs';

let gl, tf;
before(async () => { [gl, tf] = await Promise.all([loadEngine(), loadTF()]); });

function assertAllClose(actual, expected, tol, what) {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) {
    assert.ok(Math.abs(actual[i] - expected[i]) <= tol * (1 + Math.abs(expected[i])), `${what}[${i}]: gradlab ${actual[i]} vs tfjs ${expected[i]}`);
  }
}
// the same random values on both sides
const both = (shape, { requiresGrad = false } = {}) => {
  const t = gl.randn(shape, { requiresGrad });
  return [t, toTF(t)];
};

test('LayerNorm equals tf.layers.layerNormalization, values and gradients for x, γ, β', () => {
  gl.manualSeed(1);
  const [x, tx] = both([3, 4, 6], { requiresGrad: true });
  const [gamma, tg] = both([6], { requiresGrad: true });
  const [beta, tb] = both([6], { requiresGrad: true });
  const [w, tw] = both([3, 4, 6]);
  const y = gl.nn.functional.layerNorm(x, 6, { weight: gamma, bias: beta });
  y.mul(w).sum().backward();

  const layer = tf.layers.layerNormalization({ axis: -1, epsilon: 1e-5 });
  layer.build([3, 4, 6]);
  layer.setWeights([tg, tb]);
  assertAllClose(y.toArray(), layer.apply(tx).dataSync(), 1e-5, 'LayerNorm values');
  const loss = (xx, gg, bb) => {
    layer.setWeights([gg, bb]);
    return layer.apply(xx).mul(tw).sum();
  };
  // tf.grads needs the weights as inputs: recompute the layer's formula from them
  const [dx, dg, db] = tf.grads((xx, gg, bb) => {
    const { mean, variance } = tf.moments(xx, -1, true);
    return xx.sub(mean).div(variance.add(1e-5).sqrt()).mul(gg).add(bb).mul(tw).sum();
  })([tx, tg, tb]);
  assert.ok(Math.abs(loss(tx, tg, tb).dataSync()[0] - y.mul(w).sum().item()) < 1e-4);
  assertAllClose(x.grad.toArray(), dx.dataSync(), 1e-4, 'dx');
  assertAllClose(gamma.grad.toArray(), dg.dataSync(), 1e-4, 'dγ');
  assertAllClose(beta.grad.toArray(), db.dataSync(), 1e-4, 'dβ');
});

test('softmax, logSoftmax and GELU (tanh) equal tf, values and gradients', () => {
  gl.manualSeed(2);
  const [w, tw] = both([4, 7]);
  const cases = [
    ['softmax', (x) => x.softmax(-1), (x) => tf.softmax(x, -1)],
    ['logSoftmax', (x) => x.logSoftmax(-1), (x) => tf.logSoftmax(x, -1)],
    // tf has no GELU op: the tanh form written with tf ops, differentiated by tf
    ['gelu', (x) => x.gelu(), (x) => x.mul(0.5).mul(tf.tanh(x.add(x.pow(3).mul(0.044715)).mul(Math.sqrt(2 / Math.PI))).add(1))],
  ];
  for (const [name, ours, theirs] of cases) {
    const [x, tx] = both([4, 7], { requiresGrad: true });
    const y = ours(x);
    y.mul(w).sum().backward();
    assertAllClose(y.toArray(), theirs(tx).dataSync(), 1e-5, `${name} values`);
    assertAllClose(x.grad.toArray(), tf.grad((xx) => theirs(xx).mul(tw).sum())(tx).dataSync(), 1e-4, `${name} dx`);
  }
});

test('cross-entropy equals tf.losses.softmaxCrossEntropy, BCE with logits equals sigmoidCrossEntropy', () => {
  gl.manualSeed(3);
  const [logits, tl] = both([6, 5], { requiresGrad: true });
  const targets = [4, 0, 2, 2, 1, 3];
  const loss = gl.nn.functional.crossEntropy(logits, targets);
  loss.backward();
  const onehot = tf.oneHot(tf.tensor1d(targets, 'int32'), 5);
  const tfLoss = (l) => tf.losses.softmaxCrossEntropy(onehot, l);
  assert.ok(Math.abs(loss.item() - tfLoss(tl).dataSync()[0]) < 1e-5);
  assertAllClose(logits.grad.toArray(), tf.grad(tfLoss)(tl).dataSync(), 1e-4, 'cross-entropy dlogits');

  const [z, tz] = both([3, 4], { requiresGrad: true });
  const t = gl.rand([3, 4]);
  const tt = toTF(t);
  const bce = gl.nn.functional.bceWithLogits(z, t);
  bce.backward();
  const tfBce = (zz) => tf.losses.sigmoidCrossEntropy(tt, zz);
  assert.ok(Math.abs(bce.item() - tfBce(tz).dataSync()[0]) < 1e-5);
  assertAllClose(z.grad.toArray(), tf.grad(tfBce)(tz).dataSync(), 1e-4, 'bce dlogits');
});

test('MultiheadAttention equals attention written with tf ops: output, weights and every gradient', () => {
  const E = 8, H = 2, d = E / H, B = 2, L = 3, S = 5;
  const pad = [[0, 1, 0, 0, 1], [0, 0, 0, 0, 0]]; // batch 0: keys 1 and 4 are padding
  for (const causal of [false, true]) {
    gl.manualSeed(4);
    const mha = new gl.nn.MultiheadAttention(E, H);
    const [q, tq] = both([B, L, E], { requiresGrad: true });
    const [k, tk] = both([B, S, E], { requiresGrad: true });
    const [v, tv] = both([B, S, E], { requiresGrad: true });
    const [w, tw] = both([B, L, E]);
    const [ww, tww] = both([B, L, S]);
    const [out, weights] = mha.forward(q, k, v, { causal, keyPaddingMask: pad });
    out.mul(w).sum().add(weights.mul(ww).sum()).backward();

    const P = mha.parameters(); // inProjWeight, inProjBias, outProj.weight, outProj.bias
    const tp = P.map(toTF);
    const allowed = tf.tensor(Array.from({ length: B * L * S }, (_, n) => {
      const b = Math.floor(n / (L * S)), i = Math.floor(n / S) % L, j = n % S;
      return (!causal || j <= i) && !pad[b][j] ? 1 : 0;
    }), [B, 1, L, S]);
    const heads = (x, T) => x.reshape([B, T, H, d]).transpose([0, 2, 1, 3]); // (B, H, T, d)
    const forward = (xq, xk, xv, Win, bin, Wout, bout) => {
      const proj = (x, i) => tf.matMul(x.reshape([-1, E]), Win.slice([i * E, 0], [E, E]), false, true).add(bin.slice([i * E], [E]));
      const Q = heads(proj(xq, 0), L), K = heads(proj(xk, 1), S), V = heads(proj(xv, 2), S);
      const scores = tf.matMul(Q, K, false, true).div(Math.sqrt(d)).add(allowed.sub(1).mul(1e9));
      const probs = tf.softmax(scores, -1);                                    // (B, H, L, S)
      const ctx = tf.matMul(probs, V).transpose([0, 2, 1, 3]).reshape([-1, E]);
      const o = tf.matMul(ctx, Wout, false, true).add(bout).reshape([B, L, E]);
      return [o, probs.mean(1)];
    };
    const [to, twts] = forward(tq, tk, tv, ...tp);
    assertAllClose(out.toArray(), to.dataSync(), 1e-5, `causal ${causal}: output`);
    assertAllClose(weights.toArray(), twts.dataSync(), 1e-5, `causal ${causal}: weights`);
    const grads = tf.grads((...xs) => {
      const [o, a] = forward(...xs);
      return o.mul(tw).sum().add(a.mul(tww).sum());
    })([tq, tk, tv, ...tp]);
    const ours = [q, k, v, ...P].map((t) => t.grad.toArray());
    const names = ['dq', 'dk', 'dv', 'd in_proj_weight', 'd in_proj_bias', 'd out_proj.weight', 'd out_proj.bias'];
    names.forEach((name, i) => assertAllClose(ours[i], grads[i].dataSync(), 2e-4, `causal ${causal}: ${name}`));
  }
});
