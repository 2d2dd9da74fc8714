// The JS API over the wasm engine: values, gradients and the article's hand-built LSTM cell.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { loadEngine } from './load-engine.mjs';

let gl;
before(async () => { gl = await loadEngine(); });

const close = (a, b, tol = 1e-5) => Math.abs(a - b) <= tol * Math.max(1, Math.abs(b));
function assertAllClose(actual, expected, tol = 1e-5, what = '') {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) {
    assert.ok(close(actual[i], expected[i], tol), `${what}[${i}]: ${actual[i]} vs ${expected[i]}`);
  }
}

test('creation functions give the asked shapes and values', () => {
  assert.deepEqual(gl.randn([32, 10]).shape, [32, 10]);
  assert.deepEqual(gl.zeros([2, 3]).toArray(), new Float32Array(6));
  assert.deepEqual([...gl.ones([4]).toArray()], [1, 1, 1, 1]);
  const t = gl.tensor([[1, 2, 3], [4, 5, 6]]);
  assert.deepEqual(t.shape, [2, 3]);
  assert.deepEqual([...t.toArray()], [1, 2, 3, 4, 5, 6]);
  assert.equal(gl.tensor(2.5).item(), 2.5);
  assert.deepEqual(gl.tensor(2.5).shape, []);
});

test('elementwise ops broadcast a bias row and numbers', () => {
  const x = gl.tensor([[1, 2, 3], [4, 5, 6]]);
  const b = gl.tensor([10, 20, 30]);
  assert.deepEqual([...x.add(b).toArray()], [11, 22, 33, 14, 25, 36]);
  assert.deepEqual([...x.mul(2).sub(1).toArray()], [1, 3, 5, 7, 9, 11]);
  assert.deepEqual([...x.div(b).mul(10).toArray()].map(Math.round), [1, 1, 1, 4, 3, 2]);
  assertAllClose(x.sigmoid().toArray(), [1, 2, 3, 4, 5, 6].map((v) => 1 / (1 + Math.exp(-v))), 1e-6, 'sigmoid');
  assertAllClose(x.neg().tanh().toArray(), [1, 2, 3, 4, 5, 6].map((v) => -Math.tanh(v)), 1e-6, 'tanh');
  assert.deepEqual([...x.sub(3).relu().toArray()], [0, 0, 0, 1, 2, 3]);
});

test('matmul, transpose, cat, select and reductions', () => {
  const a = gl.tensor([[1, 2], [3, 4], [5, 6]]); // (3, 2)
  const b = gl.tensor([[1, 0, -1], [2, 1, 0]]);  // (2, 3)
  assert.deepEqual([...a.matmul(b).toArray()], [5, 2, -1, 11, 4, -3, 17, 6, -5]);
  assert.deepEqual(a.t().shape, [2, 3]);
  assert.deepEqual([...a.t().toArray()], [1, 3, 5, 2, 4, 6]);
  assert.deepEqual(gl.cat([a, a], 1).shape, [3, 4]);
  assert.deepEqual([...gl.cat([a, b.t()], 1).select(0, 1).toArray()], [3, 4, 0, 1]);
  const seq = gl.tensor([...Array(24).keys()], [2, 3, 4]); // (B=2, T=3, D=4)
  assert.deepEqual([...seq.select(1, 2).toArray()], [8, 9, 10, 11, 20, 21, 22, 23]);
  assert.equal(a.sum().item(), 21);
  assert.equal(a.mean().item(), 3.5);
  assert.ok(close(gl.tensor([3, 4]).norm().item(), 5));
});

test('backward matches finite differences through the JS API', () => {
  gl.manualSeed(3);
  const W = gl.randn([4, 3], { requiresGrad: true });
  const x = gl.randn([5, 4]);
  const f = () => x.matmul(W).tanh().mul(x.matmul(W).sigmoid()).sum();
  f().backward();
  const grad = W.grad.toArray();
  // perturb W through a fresh tensor with the same values
  const base = W.toArray();
  for (const i of [0, 5, 11]) {
    const fAt = (delta) => {
      const v = base.slice();
      v[i] += delta;
      const Wd = gl.tensor(v, [4, 3]);
      return x.matmul(Wd).tanh().mul(x.matmul(Wd).sigmoid()).sum().item();
    };
    const numeric = (fAt(1e-2) - fAt(-1e-2)) / 2e-2;
    assert.ok(Math.abs(numeric - grad[i]) < 2e-3 + 2e-2 * Math.abs(numeric), `dW[${i}]: ${grad[i]} vs ${numeric}`);
  }
});

test('retainGrad reads dL/dh_t at every step of an unrolled RNN', () => {
  gl.manualSeed(5);
  const H = 8, T = 6;
  const Wh = gl.randn([H, H]).mul(0.3).detach().requiresGrad_();
  let h = gl.zeros([1, H]);
  const hs = [];
  for (let t = 0; t < T; t++) {
    h = h.matmul(Wh).add(1).tanh();
    h.retainGrad();
    hs.push(h);
  }
  h.sum().backward();
  const norms = hs.map((ht) => ht.grad.norm().item());
  assert.equal(norms.length, T);
  assert.ok(close(norms[T - 1], Math.sqrt(H)), `last step: dL/dh_T is all ones, norm √H, got ${norms[T - 1]}`);
  assert.ok(norms.every((n) => n > 0));
});

test('gradients accumulate and zeroGrad clears them', () => {
  const w = gl.tensor([1, 2], { requiresGrad: true });
  w.mul(3).sum().backward();
  w.mul(3).sum().backward();
  assert.deepEqual([...w.grad.toArray()], [6, 6]);
  w.zeroGrad();
  assert.deepEqual([...w.grad.toArray()], [0, 0]);
  w.clearGrad(); // PyTorch's w.grad = None
  assert.equal(w.grad, null);
  w.mul(3).sum().backward();
  assert.deepEqual([...w.grad.toArray()], [3, 3]);
});

test("the article's LSTM cell, built by hand from four Linear gates, gives (32, 20) states", () => {
  gl.manualSeed(0);
  const inputSize = 10, hiddenSize = 20;
  class HandLSTM extends gl.nn.Module {
    constructor() {
      super();
      this.gates = ['input', 'forget', 'output', 'candidate'].map(() => new gl.nn.Linear(inputSize + hiddenSize, hiddenSize));
    }
    forward(x, h, c) {
      const xh = gl.cat([x, h], 1);
      const [i, f, o] = this.gates.slice(0, 3).map((g) => g.forward(xh).sigmoid());
      const g = this.gates[3].forward(xh).tanh();
      const cNext = f.mul(c).add(i.mul(g));
      return [o.mul(cNext.tanh()), cNext];
    }
  }
  const cell = new HandLSTM();
  assert.equal(cell.parameters().length, 8);
  assert.equal(cell.numParameters(), 4 * (30 * 20 + 20));
  const [h, c] = cell.forward(gl.randn([32, inputSize]), gl.zeros([32, hiddenSize]), gl.zeros([32, hiddenSize]));
  assert.deepEqual(h.shape, [32, 20]);
  assert.deepEqual(c.shape, [32, 20]);
});

test('SGD and Adam train a linear regression to its solution', () => {
  for (const make of [(p) => new gl.optim.SGD(p, { lr: 0.1, momentum: 0.9 }), (p) => new gl.optim.Adam(p, { lr: 0.05 })]) {
    gl.manualSeed(9);
    const x = gl.randn([64, 3]);
    const trueW = gl.tensor([[2], [-1], [0.5]]);
    const y = x.matmul(trueW).add(0.3);
    const model = new gl.nn.Linear(3, 1);
    const opt = make(model.parameters());
    let loss;
    for (let step = 0; step < 300; step++) {
      opt.zeroGrad();
      loss = gl.nn.functional.mseLoss(model.forward(x), y);
      loss.backward();
      opt.step();
    }
    assert.ok(loss.item() < 1e-4, `${opt.constructor.name}: final loss ${loss.item()}`);
    assertAllClose(model.weight.toArray(), [2, -1, 0.5], 1e-2, `${opt.constructor.name} weight`);
  }
});

test('tensors print their values like PyTorch, cut in the middle when large', () => {
  assert.equal(String(gl.tensor([[1, -2.5], [3, 4]])), 'tensor([[ 1.0000, -2.5000],\n        [ 3.0000,  4.0000]])');
  assert.equal(String(gl.tensor([1, 2], { requiresGrad: true }).mul(2)), 'tensor([2.0000, 4.0000], op=mul)');
  assert.equal(String(gl.tensor(0.5)), 'tensor(0.5000)');
  const big = String(gl.zeros([50, 50]));
  assert.equal(big.split('\n').length, 7);
  assert.match(big, /0\.0000, \.\.\., 0\.0000/);
});
