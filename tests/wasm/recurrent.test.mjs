// gl.nn.RNN / LSTM / GRU and their cells through the JS API: shapes, PyTorch's parameter
// counts and names, errors as Errors with their message, a fused layer against its cell
// stepped in JS, and stepGrads (∂L/∂h_t for every t).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { loadEngine } from './load-engine.mjs';

let gl;
before(async () => { gl = await loadEngine(); });

function maxAbsDiff(a, b) {
  assert.equal(a.length, b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

test('fused layers give PyTorch-shaped outputs and states', () => {
  gl.manualSeed(1);
  const x = gl.randn([4, 7, 10]); // (B, T, in)
  const lstm = new gl.nn.LSTM(10, 20, { numLayers: 2 });
  const [out, [hN, cN]] = lstm.forward(x);
  assert.deepEqual(out.shape, [4, 7, 20]);
  assert.deepEqual(hN.shape, [2, 4, 20]);
  assert.deepEqual(cN.shape, [2, 4, 20]);
  // the last step of the output is the top layer's final h
  assert.ok(maxAbsDiff(out.select(1, 6).toArray(), hN.select(0, 1).toArray()) === 0);

  const gru = new gl.nn.GRU(10, 8);
  const [gOut, gH] = gru.forward(x, gl.zeros([1, 4, 8]));
  assert.deepEqual(gOut.shape, [4, 7, 8]);
  assert.deepEqual(gH.shape, [1, 4, 8]);

  const rnn = new gl.nn.RNN(10, 6, { nonlinearity: 'relu', batchFirst: false });
  const [rOut, rH] = rnn.forward(gl.randn([7, 4, 10])); // (T, B, in)
  assert.deepEqual(rOut.shape, [7, 4, 6]);
  assert.deepEqual(rH.shape, [1, 4, 6]);
  assert.ok([...rOut.toArray()].every((v) => v >= 0), 'ReLU outputs are non-negative');

  const [h1, c1] = new gl.nn.LSTMCell(10, 20).forward(gl.randn([4, 10]));
  assert.deepEqual(h1.shape, [4, 20]);
  assert.deepEqual(c1.shape, [4, 20]);
  assert.deepEqual(new gl.nn.GRUCell(10, 20).forward(gl.randn([4, 10]), gl.zeros([4, 20])).shape, [4, 20]);
  assert.deepEqual(new gl.nn.RNNCell(10, 20).forward(gl.randn([4, 10])).shape, [4, 20]);
  assert.equal(String(lstm), 'LSTM(10, 20, num_layers=2)');
});

test("parameter counts and names are PyTorch's", () => {
  const lstm = new gl.nn.LSTM(10, 20);
  assert.equal(lstm.numParameters(), 4 * (20 * 10 + 20 * 20 + 20 + 20)); // 2560
  assert.equal(new gl.nn.GRU(10, 20).numParameters(), 1920);
  assert.equal(new gl.nn.RNN(10, 20).numParameters(), 640);
  assert.equal(new gl.nn.LSTMCell(10, 20).numParameters(), 2560);
  assert.equal(new gl.nn.GRUCell(10, 20).numParameters(), 1920);
  assert.equal(new gl.nn.RNNCell(10, 20, { bias: false }).numParameters(), 600);
  assert.deepEqual(lstm.weight_ih_l0.shape, [80, 10]);
  assert.deepEqual(lstm.weight_hh_l0.shape, [80, 20]);
  assert.deepEqual(lstm.bias_ih_l0.shape, [80]);
  assert.deepEqual(lstm.bias_hh_l0.shape, [80]);
  const deep = new gl.nn.GRU(10, 20, { numLayers: 3 });
  assert.deepEqual(deep.namedParameters().map(([n]) => n), [0, 1, 2].flatMap((k) =>
    [`weight_ih_l${k}`, `weight_hh_l${k}`, `bias_ih_l${k}`, `bias_hh_l${k}`]));
  assert.equal(deep.parameters().length, 12);
  assert.deepEqual(deep.weight_ih_l1.shape, [60, 20]);
  assert.ok(deep.parameters().every((p) => p.isLeaf && p.requiresGrad));
  const bound = 1 / Math.sqrt(20);
  assert.ok([...lstm.weight_hh_l0.toArray()].every((v) => Math.abs(v) <= bound));
  const withForget = new gl.nn.LSTM(3, 5, { forgetBias: 1 });
  assert.deepEqual([...withForget.bias_ih_l0.toArray()].slice(5, 10), [1, 1, 1, 1, 1]);
  assert.deepEqual([...withForget.bias_hh_l0.toArray()].slice(5, 10), [0, 0, 0, 0, 0]);
});

test('engine errors arrive as Errors naming the layer and the values; the module stays usable', () => {
  const lstm = new gl.nn.LSTM(10, 20, { numLayers: 2 });
  assert.throws(() => lstm.forward(gl.randn([4, 7, 12])),
    { name: 'Error', message: 'LSTM: expected input of shape (B, T, 10), got (4, 7, 12)' });
  assert.throws(() => lstm.forward(gl.randn([4, 10])), /LSTM: expected input of shape \(B, T, 10\), got \(4, 10\)/);
  const x = gl.randn([4, 7, 10]);
  assert.throws(() => lstm.forward(x, [gl.zeros([1, 4, 20]), gl.zeros([2, 4, 20])]),
    { message: 'LSTM: expected h0 of shape (2, 4, 20), got (1, 4, 20)' });
  assert.throws(() => lstm.forward(x, [gl.zeros([2, 4, 20]), null]), /LSTM: pass both h0 and c0, or neither/);
  assert.throws(() => new gl.nn.GRU(10, 5).forward(x, gl.zeros([1, 3, 5])),
    /GRU: expected h0 of shape \(1, 4, 5\), got \(1, 3, 5\)/);
  assert.throws(() => new gl.nn.LSTMCell(10, 20).forward(gl.randn([4, 12])),
    /LSTMCell: expected input of shape \(B, 10\), got \(4, 12\)/);

  // a NaN in a parameter is stopped at forward, with its position
  const values = lstm.weight_hh_l0.toArray();
  values[3 * 20 + 7] = NaN;
  lstm.weight_hh_l0 = gl.tensor(values, [80, 20], { requiresGrad: true });
  assert.throws(() => lstm.forward(x), { name: 'Error', message: 'LSTM: weight_hh_l0 has NaN at (3, 7)' });

  assert.throws(() => new gl.nn.RNN(10, 5).stepGrads(), /RNN.stepGrads: no backward has run through this layer yet/);
  for (let i = 0; i < 50; i++) assert.throws(() => lstm.forward(gl.randn([1, 2, 3])));
  const ok = new gl.nn.LSTM(10, 20, { numLayers: 2 });
  assert.deepEqual(ok.forward(x)[0].shape, [4, 7, 20]);
});

test('wrong JS types name the layer and the value', () => {
  assert.throws(() => new gl.nn.LSTM('10', 20), { name: 'TypeError', message: "LSTM: input_size must be a positive integer, got '10'" });
  assert.throws(() => new gl.nn.LSTM(10, 0), /LSTM: hidden_size must be a positive integer, got 0/);
  assert.throws(() => new gl.nn.GRU(10, -4), /GRU: hidden_size must be a positive integer, got -4/);
  assert.throws(() => new gl.nn.LSTM(10, 20, { numLayers: 0 }), /LSTM: num_layers must be a positive integer, got 0/);
  assert.throws(() => new gl.nn.RNN(10, 20, { nonlinearity: 'sigmoid' }), /RNN: nonlinearity must be 'tanh' or 'relu', got 'sigmoid'/);
  assert.throws(() => new gl.nn.LSTM(10, 20, { num_layers: 2 }), /LSTM: unknown option 'num_layers' \(did you mean numLayers\?\); the options are numLayers, bias, batchFirst, forgetBias/);
  assert.throws(() => new gl.nn.GRU(10, 20, { forgetBias: 1 }), /GRU: unknown option 'forgetBias'/);
  assert.throws(() => new gl.nn.LSTM(10, 20, { batchFirst: 'yes' }), /LSTM: batchFirst must be true or false, got 'yes'/);
  assert.throws(() => new gl.nn.LSTM(10, 20, 3), /LSTM: options must be an object like \{ numLayers, bias, batchFirst, forgetBias \}, got 3/);
  const lstm = new gl.nn.LSTM(10, 20);
  assert.throws(() => lstm.forward([1, 2]), { name: 'TypeError', message: 'LSTM: input must be a Tensor, got [1, 2]' });
  assert.throws(() => lstm.forward(gl.randn([2, 3, 10]), gl.zeros([1, 2, 20])), { name: 'TypeError', message: 'LSTM: the state must be [h0, c0] (two Tensors), got one Tensor of shape [1, 2, 20]' });
  assert.throws(() => lstm.forward(gl.randn([2, 3, 10]), [gl.zeros([1, 2, 20]), 'c']), /LSTM: c0 must be a Tensor, got 'c'/);
  assert.throws(() => new gl.nn.GRUCell(4, 3).forward(gl.randn([2, 4]), 5), /GRUCell: h must be a Tensor, got 5/);
});

test('a fused LSTM equals its cell stepped in JS; stepGrads gives dL/dh_t for every t like retainGrad', () => {
  gl.manualSeed(7);
  const B = 3, T = 6, D = 4, H = 5;
  const lstm = new gl.nn.LSTM(D, H);
  const cell = new gl.nn.LSTMCell(D, H);
  cell.weight_ih = lstm.weight_ih_l0;
  cell.weight_hh = lstm.weight_hh_l0;
  cell.bias_ih = lstm.bias_ih_l0;
  cell.bias_hh = lstm.bias_hh_l0;
  const x = gl.randn([B, T, D]);
  const w = gl.randn([B, T, H]); // loss = Σ w ⊙ out: every step's output matters

  const [out] = lstm.forward(x);
  out.mul(w).sum().backward();
  const { dh, dc } = lstm.stepGrads();
  assert.deepEqual(dh.shape, [B, T, H]);
  assert.deepEqual(dc.shape, [B, T, H]);
  const dWfused = lstm.weight_hh_l0.grad.toArray();
  lstm.zeroGrad();

  let h = gl.zeros([B, H]), c = gl.zeros([B, H]);
  const hs = [];
  for (let t = 0; t < T; t++) {
    [h, c] = cell.forward(x.select(1, t), [h, c]);
    h.retainGrad();
    hs.push(h);
  }
  const stepped = gl.cat(hs.map((ht) => ht.reshape([B, 1, H])), 1);
  assert.ok(maxAbsDiff(stepped.toArray(), out.toArray()) < 1e-6);
  stepped.mul(w).sum().backward();
  assert.ok(maxAbsDiff(lstm.weight_hh_l0.grad.toArray(), dWfused) < 1e-5);
  for (let t = 0; t < T; t++) {
    assert.ok(maxAbsDiff(dh.select(1, t).toArray(), hs[t].grad.toArray()) < 1e-6, `step ${t}`);
  }
});

test('stepGrads: one gradient per time step, norms for a plot of ||dL/dh_t|| against t', () => {
  gl.manualSeed(3);
  const T = 30;
  for (const Layer of [gl.nn.RNN, gl.nn.GRU, gl.nn.LSTM]) {
    const layer = new Layer(2, 16);
    const [out] = layer.forward(gl.randn([8, T, 2]));
    out.select(1, T - 1).sum().backward(); // loss on the last step only
    const grads = layer.stepGrads();
    assert.deepEqual(grads.dh.shape, [8, T, 16], Layer.name);
    assert.equal('dc' in grads, Layer === gl.nn.LSTM, Layer.name);
    const norms = Array.from({ length: T }, (_, t) => grads.dh.select(1, t).norm().item());
    assert.equal(norms.length, T);
    assert.ok(Math.abs(norms[T - 1] - Math.sqrt(8 * 16)) < 1e-4, `${Layer.name}: dL/dh_T is all ones`);
    assert.ok(norms[0] < norms[T - 1], `${Layer.name}: the gradient shrinks going back: ${norms[0]} vs ${norms[T - 1]}`);
  }
});

test('a GRU with a linear head trains with Adam through the JS API', () => {
  gl.manualSeed(11);
  const gru = new gl.nn.GRU(1, 12);
  const head = new gl.nn.Linear(12, 1);
  const opt = new gl.optim.Adam([...gru.parameters(), ...head.parameters()], { lr: 0.02 });
  // target: the first input of the sequence, recalled at the end
  const x = gl.randn([32, 8, 1]);
  const y = x.select(1, 0);
  let first, last;
  for (let step = 0; step < 150; step++) {
    opt.zeroGrad();
    const [, hN] = gru.forward(x);
    const loss = gl.nn.functional.mseLoss(head.forward(hN.select(0, 0)), y);
    loss.backward();
    opt.step();
    if (step === 0) first = loss.item();
    last = loss.item();
  }
  assert.ok(last < 0.2 * first, `loss ${first} -> ${last}`);
});

test('the engine without SIMD trains an LSTM and a GRU like the SIMD engine', async () => {
  const run = (g, Layer) => {
    g.manualSeed(4);
    const layer = new Layer(3, 16, { numLayers: 2 });
    const head = new g.nn.Linear(16, 1);
    const opt = new g.optim.Adam([...layer.parameters(), ...head.parameters()], { lr: 0.01 });
    const x = g.randn([8, 12, 3]), y = g.randn([8, 1]);
    const losses = [];
    for (let i = 0; i < 20; i++) {
      opt.zeroGrad();
      const [out] = layer.forward(x);
      const loss = g.nn.functional.mseLoss(head.forward(out.select(1, 11)), y);
      loss.backward();
      opt.step();
      losses.push(loss.item());
    }
    return losses;
  };
  const baseline = await loadEngine('baseline');
  for (const name of ['LSTM', 'GRU']) {
    const a = run(gl, gl.nn[name]), b = run(baseline, baseline.nn[name]);
    assert.ok(a[19] < a[0], `${name} trains: ${a[0]} -> ${a[19]}`);
    for (let i = 0; i < 20; i++) assert.ok(Math.abs(a[i] - b[i]) <= 1e-4 * Math.abs(a[i]), `${name} step ${i}: ${a[i]} vs ${b[i]}`);
  }
});
