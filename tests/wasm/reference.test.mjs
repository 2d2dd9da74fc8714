// gradlab against TensorFlow.js: same weights and inputs, outputs and gradients with respect
// to inputs and weights agree to a relative error of 1e-4 (issue 3's bar).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { loadEngine } from './load-engine.mjs';
import { loadTF, toTF, relError, lossWeights } from './tfjs-reference.mjs';

const TOL = 1e-4;
let gl, tf;
before(async () => {
  gl = await loadEngine();
  tf = await loadTF();
});

function expectClose(what, ours, theirs) {
  const e = relError(ours instanceof Float32Array ? ours : ours.toArray(), theirs);
  assert.ok(e <= TOL, `${what}: relative error ${e.toExponential(2)} > ${TOL}`);
  return e;
}

test('Dense: output and gradients for input, kernel and bias match tf.layers.dense', () => {
  gl.manualSeed(1);
  const lin = new gl.nn.Linear(7, 5);
  const x = gl.randn([6, 7], { requiresGrad: true });
  const y = lin.forward(x);
  const w = lossWeights(gl, [6, 5]);
  y.mul(w).sum().backward();

  const dense = tf.layers.dense({ units: 5, inputShape: [7] });
  dense.build([null, 7]);
  dense.setWeights([toTF(lin.weight).transpose(), toTF(lin.bias)]); // TF's kernel is Wᵀ (in, out)
  const xt = toTF(x), wt = toTF(w);
  const lossOf = (input) => dense.apply(input).mul(wt).sum();
  expectClose('output', y, dense.apply(xt));
  expectClose('dL/dx', x.grad, tf.grad(lossOf)(xt));
  const { grads } = tf.variableGrads(() => lossOf(xt));
  const [kernel, bias] = dense.trainableWeights.map((v) => grads[v.originalName ?? v.name]);
  expectClose('dL/dW', lin.weight.grad, kernel.transpose());
  expectClose('dL/db', lin.bias.grad, bias);
});

test('SimpleRNN (tanh): a hand-unrolled gradlab RNN matches tf.layers.simpleRNN', () => {
  const B = 4, T = 9, D = 3, H = 6;
  gl.manualSeed(2);
  const Wih = gl.randn([H, D]).mul(0.5).detach().requiresGrad_();
  const Whh = gl.randn([H, H]).mul(0.4).detach().requiresGrad_();
  const b = gl.randn([H]).mul(0.1).detach().requiresGrad_();
  const x = gl.randn([B, T, D], { requiresGrad: true });
  let h = gl.zeros([B, H]);
  for (let t = 0; t < T; t++) h = x.select(1, t).matmul(Wih.t()).add(h.matmul(Whh.t())).add(b).tanh();
  const w = lossWeights(gl, [B, H]);
  h.mul(w).sum().backward();

  const rnn = tf.layers.simpleRNN({ units: H, activation: 'tanh', inputShape: [T, D] });
  const xt = toTF(x), wt = toTF(w);
  rnn.apply(xt); // builds the weights
  rnn.setWeights([toTF(Wih).transpose(), toTF(Whh).transpose(), toTF(b)]);
  const lossOf = (input) => rnn.apply(input).mul(wt).sum();
  expectClose('h_T', h, rnn.apply(xt));
  expectClose('dL/dx', x.grad, tf.grad(lossOf)(xt));
  const { grads } = tf.variableGrads(() => lossOf(xt));
  const [gk, grk, gb] = rnn.trainableWeights.map((v) => grads[v.originalName ?? v.name]);
  expectClose('dL/dW_ih', Wih.grad, gk.transpose());
  expectClose('dL/dW_hh', Whh.grad, grk.transpose());
  expectClose('dL/db', b.grad, gb);
});

test("Adam's parameter trajectory over 10 steps matches tf.train.adam", () => {
  gl.manualSeed(3);
  const lin = new gl.nn.Linear(4, 3);
  const x = gl.randn([8, 4]), target = gl.randn([8, 3]);
  const W0 = toTF(lin.weight), b0 = toTF(lin.bias);
  const opt = new gl.optim.Adam(lin.parameters(), { lr: 0.05, betas: [0.9, 0.999], eps: 1e-8 });

  const W = tf.variable(W0), b = tf.variable(b0);
  const tfOpt = tf.train.adam(0.05, 0.9, 0.999, 1e-8);
  const xt = toTF(x), tt = toTF(target);
  for (let step = 1; step <= 10; step++) {
    opt.zeroGrad();
    const loss = gl.nn.functional.mseLoss(lin.forward(x), target);
    loss.backward();
    opt.step();
    const tfLoss = tfOpt.minimize(() => tf.losses.meanSquaredError(tt, xt.matMul(W.transpose()).add(b)), true);
    assert.ok(Math.abs(loss.item() - tfLoss.dataSync()[0]) <= TOL * loss.item(), `step ${step} loss`);
    expectClose(`W after step ${step}`, lin.weight, W);
    expectClose(`b after step ${step}`, lin.bias, b);
  }
});
