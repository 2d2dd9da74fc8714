// The fused recurrent layers against TensorFlow.js (an implementation nobody here wrote): same
// weights, inputs and initial states; outputs, final states and gradients with respect to the
// input, the initial state and every weight agree to a relative error of 1e-4.
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
}
// gradlab's gate blocks (G·H, ·) reordered, e.g. GRU r, z, n -> Keras z, r, h
const reorder = (t, order) => {
  const parts = tf.split(t, order.length, 0);
  return tf.concat(order.map((k) => parts[k]), 0);
};
const gradsOf = (layer, f) => {
  const { grads } = tf.variableGrads(f);
  return layer.trainableWeights.map((v) => grads[v.originalName ?? v.name]);
};

test('LSTM, 2 layers with initial states: output, h_n, c_n and every gradient match tf.layers.lstm', () => {
  const B = 3, T = 7, D = 4, H = 5, L = 2;
  gl.manualSeed(21);
  const lstm = new gl.nn.LSTM(D, H, { numLayers: L });
  const x = gl.randn([B, T, D], { requiresGrad: true });
  const h0 = gl.randn([L, B, H]).mul(0.5).detach().requiresGrad_();
  const c0 = gl.randn([L, B, H]).mul(0.5).detach().requiresGrad_();
  const [out, [hN, cN]] = lstm.forward(x, [h0, c0]);
  const w = lossWeights(gl, [B, T, H]), wh = lossWeights(gl, [L, B, H], 5), wc = lossWeights(gl, [L, B, H], 6);
  out.mul(w).sum().add(hN.mul(wh).sum()).add(cN.mul(wc).sum()).backward();

  // Keras: kernel (in, 4H) = W_ihᵀ, recurrent kernel (H, 4H) = W_hhᵀ, one bias = b_ih + b_hh,
  // gates i, f, c, o as PyTorch's i, f, g, o; recurrentActivation σ (its default is hard σ)
  const layers = [0, 1].map(() => tf.layers.lstm({ units: H, recurrentActivation: 'sigmoid', returnSequences: true, returnState: true }));
  const [xt, wt, wht, wct] = [x, w, wh, wc].map(toTF);
  const states = (s, l) => tf.squeeze(tf.slice(s, [l, 0, 0], [1, B, H]), [0]);
  const run = (input, h0t, c0t) => {
    let seq = input;
    const hs = [], cs = [];
    layers.forEach((layer, l) => {
      const [o, h, c] = layer.apply(seq, { initialState: [states(h0t, l), states(c0t, l)] });
      seq = o;
      hs.push(h);
      cs.push(c);
    });
    return [seq, tf.stack(hs), tf.stack(cs)];
  };
  const [h0t, c0t] = [h0, c0].map(toTF);
  run(xt, h0t, c0t); // builds the weights
  layers.forEach((layer, l) => layer.setWeights([
    toTF(lstm[`weight_ih_l${l}`]).transpose(), toTF(lstm[`weight_hh_l${l}`]).transpose(),
    toTF(lstm[`bias_ih_l${l}`]).add(toTF(lstm[`bias_hh_l${l}`])),
  ]));
  const lossOf = (input, hi, ci) => {
    const [o, h, c] = run(input, hi, ci);
    return o.mul(wt).sum().add(h.mul(wht).sum()).add(c.mul(wct).sum());
  };
  const [o, h, c] = run(xt, h0t, c0t);
  expectClose('output', out, o);
  expectClose('h_n', hN, h);
  expectClose('c_n', cN, c);
  const [dx, dh0, dc0] = tf.grads(lossOf)([xt, h0t, c0t]);
  expectClose('dL/dx', x.grad, dx);
  expectClose('dL/dh0', h0.grad, dh0);
  expectClose('dL/dc0', c0.grad, dc0);
  layers.forEach((layer, l) => {
    const [gk, grk, gb] = gradsOf(layer, () => lossOf(xt, h0t, c0t));
    expectClose(`dL/dweight_ih_l${l}`, lstm[`weight_ih_l${l}`].grad, gk.transpose());
    expectClose(`dL/dweight_hh_l${l}`, lstm[`weight_hh_l${l}`].grad, grk.transpose());
    expectClose(`dL/dbias_ih_l${l}`, lstm[`bias_ih_l${l}`].grad, gb);
    expectClose(`dL/dbias_hh_l${l}`, lstm[`bias_hh_l${l}`].grad, gb);
  });
});

test('RNN (tanh and relu): output and every gradient match tf.layers.simpleRNN', () => {
  for (const nonlinearity of ['tanh', 'relu']) {
    const B = 4, T = 8, D = 3, H = 6;
    gl.manualSeed(22);
    const rnn = new gl.nn.RNN(D, H, { nonlinearity });
    const x = gl.randn([B, T, D], { requiresGrad: true });
    const [out] = rnn.forward(x);
    const w = lossWeights(gl, [B, T, H]);
    out.mul(w).sum().backward();

    const layer = tf.layers.simpleRNN({ units: H, activation: nonlinearity, returnSequences: true });
    const xt = toTF(x), wt = toTF(w);
    layer.apply(xt);
    layer.setWeights([toTF(rnn.weight_ih_l0).transpose(), toTF(rnn.weight_hh_l0).transpose(),
      toTF(rnn.bias_ih_l0).add(toTF(rnn.bias_hh_l0))]);
    const lossOf = (input) => layer.apply(input).mul(wt).sum();
    expectClose(`${nonlinearity}: output`, out, layer.apply(xt));
    expectClose(`${nonlinearity}: dL/dx`, x.grad, tf.grad(lossOf)(xt));
    const [gk, grk, gb] = gradsOf(layer, () => lossOf(xt));
    expectClose(`${nonlinearity}: dL/dW_ih`, rnn.weight_ih_l0.grad, gk.transpose());
    expectClose(`${nonlinearity}: dL/dW_hh`, rnn.weight_hh_l0.grad, grk.transpose());
    expectClose(`${nonlinearity}: dL/db_ih`, rnn.bias_ih_l0.grad, gb);
    expectClose(`${nonlinearity}: dL/db_hh`, rnn.bias_hh_l0.grad, gb);
  }
});

// Keras' GRU (TF.js has only reset_after = false) gates before the product: (r ⊙ h) U_hᵀ;
// PyTorch's after it: r ⊙ (h W_hnᵀ + b_hn). The two agree when W_hn is diagonal and b_hn = 0,
// so that is the case compared here, with the gradients both define the same way: every
// weight except W_hn's off-diagonal, which the finite-difference checks cover.
test('GRU (W_hn diagonal, b_hn = 0): output, h_n and gradients match tf.layers.gru', () => {
  const B = 3, T = 6, D = 4, H = 5;
  gl.manualSeed(23);
  const gru = new gl.nn.GRU(D, H);
  const whh = gru.weight_hh_l0.toArray(); // rows r, z, n
  const bhh = gru.bias_hh_l0.toArray();
  for (let i = 0; i < H; i++) {
    for (let j = 0; j < H; j++) if (i !== j) whh[(2 * H + i) * H + j] = 0;
    bhh[2 * H + i] = 0;
  }
  gru.weight_hh_l0 = gl.tensor(whh, [3 * H, H], { requiresGrad: true });
  gru.bias_hh_l0 = gl.tensor(bhh, [3 * H], { requiresGrad: true });
  const x = gl.randn([B, T, D], { requiresGrad: true });
  const h0 = gl.randn([1, B, H]).mul(0.5).detach().requiresGrad_();
  const [out, hN] = gru.forward(x, h0);
  const w = lossWeights(gl, [B, T, H]);
  out.mul(w).sum().backward();

  const layer = tf.layers.gru({ units: H, recurrentActivation: 'sigmoid', returnSequences: true });
  const zrn = [1, 0, 2]; // Keras z, r, h from gradlab's r, z, n
  const xt = toTF(x), wt = toTF(w), h0t = tf.squeeze(toTF(h0), [0]);
  layer.apply(xt, { initialState: [h0t] });
  const bias = toTF(gru.bias_ih_l0).add(toTF(gru.bias_hh_l0)); // b_hn = 0: the n part is b_in
  layer.setWeights([reorder(toTF(gru.weight_ih_l0), zrn).transpose(),
    reorder(toTF(gru.weight_hh_l0), zrn).transpose(), reorder(bias, zrn)]);
  const run = (input, h) => layer.apply(input, { initialState: [h] });
  const lossOf = (input, h) => run(input, h).mul(wt).sum();
  const o = run(xt, h0t);
  expectClose('output', out, o);
  expectClose('h_n', hN, tf.slice(o, [0, T - 1, 0], [B, 1, H]));
  const [dx, dh0] = tf.grads(lossOf)([xt, h0t]);
  expectClose('dL/dx', x.grad, dx);
  expectClose('dL/dh0', h0.grad, dh0);

  const [gk, grk, gb] = gradsOf(layer, () => lossOf(xt, h0t));
  const rzn = [1, 0, 2]; // back from Keras z, r, h to r, z, n
  expectClose('dL/dW_ih', gru.weight_ih_l0.grad, reorder(gk.transpose(), rzn));
  const [gz, gr, gh] = tf.split(grk.transpose(), 3, 0); // (H, H) each, rows = output units
  const ours = gru.weight_hh_l0.grad.toArray();
  expectClose('dL/dW_hr', ours.slice(0, H * H), gr);
  expectClose('dL/dW_hz', ours.slice(H * H, 2 * H * H), gz);
  const diag = (a, off) => Float32Array.from({ length: H }, (_, i) => a[off + i * H + i]);
  expectClose('diag dL/dW_hn', diag(ours, 2 * H * H), diag(gh.dataSync(), 0));
  const [gbz, gbr, gbh] = tf.split(gb, 3, 0);
  const dbih = gru.bias_ih_l0.grad.toArray(), dbhh = gru.bias_hh_l0.grad.toArray();
  expectClose('dL/db_ir', dbih.slice(0, H), gbr);
  expectClose('dL/db_iz', dbih.slice(H, 2 * H), gbz);
  expectClose('dL/db_in', dbih.slice(2 * H), gbh);
  expectClose('dL/db_hr', dbhh.slice(0, H), gbr);
  expectClose('dL/db_hz', dbhh.slice(H, 2 * H), gbz);
});

// The general GRU: PyTorch's equations (reset gate applied after the hidden product, two bias
// vectors) written with TF.js ops, differentiated by tf.grads. Any weights, 2 layers, h0.
//   r = σ(x W_irᵀ + b_ir + h W_hrᵀ + b_hr)    z = σ(x W_izᵀ + b_iz + h W_hzᵀ + b_hz)
//   n = tanh(x W_inᵀ + b_in + r ⊙ (h W_hnᵀ + b_hn))    h' = (1 − z) ⊙ n + z ⊙ h
test('GRU, 2 layers, any weights: PyTorch\'s equations in TF.js ops agree on outputs and every gradient', () => {
  const B = 3, T = 6, D = 4, H = 5, L = 2;
  gl.manualSeed(24);
  const gru = new gl.nn.GRU(D, H, { numLayers: L });
  const x = gl.randn([B, T, D], { requiresGrad: true });
  const h0 = gl.randn([L, B, H]).mul(0.5).detach().requiresGrad_();
  const [out, hN] = gru.forward(x, h0);
  const w = lossWeights(gl, [B, T, H]), wh = lossWeights(gl, [L, B, H], 5);
  out.mul(w).sum().add(hN.mul(wh).sum()).backward();

  const names = [];
  for (let l = 0; l < L; l++) names.push(`weight_ih_l${l}`, `weight_hh_l${l}`, `bias_ih_l${l}`, `bias_hh_l${l}`);
  const [xt, h0t, wt, wht] = [x, h0, w, wh].map(toTF);
  const params = names.map((n) => toTF(gru[n]));
  const forward = (input, hInit, ...ps) => {
    let seq = input;
    const last = [];
    for (let l = 0; l < L; l++) {
      const [Wih, Whh, bih, bhh] = ps.slice(4 * l, 4 * l + 4);
      let h = tf.squeeze(tf.slice(hInit, [l, 0, 0], [1, B, H]), [0]);
      const steps = [];
      for (let t = 0; t < T; t++) {
        const xs = tf.squeeze(tf.slice(seq, [0, t, 0], [B, 1, seq.shape[2]]), [1]);
        const [ir, iz, inn] = tf.split(xs.matMul(Wih, false, true).add(bih), 3, 1);
        const [hr, hz, hn] = tf.split(h.matMul(Whh, false, true).add(bhh), 3, 1);
        const r = tf.sigmoid(ir.add(hr)), z = tf.sigmoid(iz.add(hz));
        const n = tf.tanh(inn.add(r.mul(hn)));
        h = tf.scalar(1).sub(z).mul(n).add(z.mul(h));
        steps.push(h);
      }
      seq = tf.stack(steps, 1);
      last.push(h);
    }
    return [seq, tf.stack(last)];
  };
  const [o, h] = forward(xt, h0t, ...params);
  expectClose('output', out, o);
  expectClose('h_n', hN, h);
  const lossOf = (...args) => {
    const [s, hl] = forward(...args);
    return s.mul(wt).sum().add(hl.mul(wht).sum());
  };
  const [dx, dh0, ...dps] = tf.grads(lossOf)([xt, h0t, ...params]);
  expectClose('dL/dx', x.grad, dx);
  expectClose('dL/dh0', h0.grad, dh0);
  names.forEach((n, i) => expectClose(`dL/d${n}`, gru[n].grad, dps[i]));
});
