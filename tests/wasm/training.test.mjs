// The training API: optimisers against PyTorch's update rules, clipping, penalties,
// initialisers, spectra and early stopping, through the JS layer.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { loadEngine } from './load-engine.mjs';

let gl;
before(async () => { gl = await loadEngine(); });

const close = (a, b, tol = 1e-5) => Math.abs(a - b) <= tol * Math.max(1, Math.abs(b));
function assertAllClose(actual, expected, tol, what) {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) assert.ok(close(actual[i], expected[i], tol), `${what}[${i}]: ${actual[i]} vs ${expected[i]}`);
}
// Gives p the gradient g (backward of Σ g ⊙ p).
function setGrad(p, g) {
  p.zeroGrad();
  p.mul(gl.tensor(g)).sum().backward();
}
const norm = (v) => Math.hypot(...v);
const cosine = (a, b) => a.reduce((s, x, i) => s + x * b[i], 0) / (norm(a) * norm(b));

// Runs an optimiser and a double-precision reference of the same rule side by side.
function compare(what, make, ref, { steps = 5, tol = 5e-6 } = {}) {
  const p = gl.tensor([0.5, -1.5, 2.0], { requiresGrad: true });
  const opt = make([p]);
  let expected = [0.5, -1.5, 2.0];
  for (let t = 1; t <= steps; t++) {
    const g = [...p.toArray()].map((v, i) => [1, 0.5, 2][i] * v + [0.3, -0.7, 0.05][i] + 0.01 * t);
    setGrad(p, g);
    opt.step();
    ref(expected, [...p.grad.toArray()], t);
    assertAllClose([...p.toArray()], expected, tol, `${what} step ${t}`);
    expected = [...p.toArray()];
  }
  return opt;
}

test('SGD with momentum, dampening, Nesterov and weight decay follows torch.optim.SGD', () => {
  for (const o of [{ lr: 0.1 }, { lr: 0.05, momentum: 0.9, dampening: 0.2, weightDecay: 0.01 }, { lr: 0.05, momentum: 0.9, nesterov: true }]) {
    const { lr, momentum: mu = 0, dampening: tau = 0, weightDecay: wd = 0, nesterov = false } = o;
    const buf = [];
    compare(`SGD ${JSON.stringify(o)}`, (ps) => new gl.optim.SGD(ps, o), (p, grad, t) => p.forEach((_, i) => {
      let g = grad[i] + wd * p[i];
      if (mu) {
        buf[i] = t === 1 ? g : mu * buf[i] + (1 - tau) * g;
        g = nesterov ? g + mu * buf[i] : buf[i];
      }
      p[i] -= lr * g;
    }));
  }
});

test('Adam, AdamW and RMSprop follow torch.optim, and AdamW ≠ Adam + L2', () => {
  const adamRef = ({ lr = 1e-3, betas: [b1, b2] = [0.9, 0.999], eps = 1e-8, weightDecay: wd = 0 }, decoupled) => {
    const m = [], v = [];
    return (p, grad, t) => p.forEach((_, i) => {
      let g = grad[i];
      if (decoupled) p[i] *= 1 - lr * wd; else g += wd * p[i];
      m[i] = b1 * (m[i] ?? 0) + (1 - b1) * g;
      v[i] = b2 * (v[i] ?? 0) + (1 - b2) * g * g;
      p[i] -= (lr * m[i] / (1 - b1 ** t)) / (Math.sqrt(v[i] / (1 - b2 ** t)) + eps);
    });
  };
  const o = { lr: 0.05, betas: [0.8, 0.99], weightDecay: 0.1 };
  const adam = compare('Adam', (ps) => new gl.optim.Adam(ps, o), adamRef(o, false));
  const adamw = compare('AdamW', (ps) => new gl.optim.AdamW(ps, o), adamRef(o, true));
  compare('AdamW defaults', (ps) => new gl.optim.AdamW(ps), adamRef({ weightDecay: 1e-2 }, true));
  const [a, w] = [adam.params[0].toArray(), adamw.params[0].toArray()];
  assert.ok(a.some((x, i) => Math.abs(x - w[i]) > 1e-3), `Adam+L2 ${a} vs AdamW ${w}`);
  assert.equal(new gl.optim.AdamW([gl.zeros([1], { requiresGrad: true })]).defaults.weightDecay, 1e-2);

  const r = { lr: 0.01, alpha: 0.9, momentum: 0.5, centered: true, weightDecay: 0.01 };
  const sq = [], ga = [], buf = [];
  compare('RMSprop', (ps) => new gl.optim.RMSprop(ps, r), (p, grad, t) => p.forEach((_, i) => {
    const g = grad[i] + r.weightDecay * p[i];
    sq[i] = r.alpha * (sq[i] ?? 0) + (1 - r.alpha) * g * g;
    ga[i] = r.alpha * (ga[i] ?? 0) + (1 - r.alpha) * g;
    const avg = Math.sqrt(sq[i] - ga[i] * ga[i]) + 1e-8;
    buf[i] = r.momentum * (buf[i] ?? 0) + g / avg;
    p[i] -= r.lr * buf[i];
  }), { tol: 2e-4 });
});

test('the learning rate changes between steps, also through paramGroups', () => {
  const p = gl.tensor([1], { requiresGrad: true });
  const opt = new gl.optim.SGD([p], { lr: 0.1 });
  setGrad(p, [1]);
  opt.step();
  opt.lr = 0.5;
  opt.step();
  opt.paramGroups[0].lr = 0.25;
  opt.step();
  assert.ok(close(p.item(), 1 - 0.1 - 0.5 - 0.25), `${p.item()}`);
  assert.equal(opt.lr, 0.25);
  assert.equal(opt.steps, 3);
  assert.throws(() => { opt.lr = NaN; }, /SGD: lr must be a number, got NaN/);
  assert.throws(() => { opt.lr = -1; }, /SGD: learning rate \(lr\) must be a finite number >= 0, got -1/);
  assert.throws(() => { opt.lr = Infinity; }, /got inf/);
  assert.equal(opt.lr, 0.25);
});

test('optimiser options: wrong names and values are named', () => {
  const p = () => [gl.zeros([2], { requiresGrad: true })];
  assert.throws(() => new gl.optim.Adam(p(), { weight_decay: 0.1 }), /Adam: unknown option 'weight_decay' \(did you mean weightDecay\?\)/);
  assert.throws(() => new gl.optim.SGD(p(), { lr: 0.1, nesterov: true }), /SGD: Nesterov momentum requires momentum > 0 and dampening = 0, got momentum 0/);
  assert.throws(() => new gl.optim.SGD(p(), { lr: 0.1, nesterov: 'yes' }), /SGD: nesterov must be true or false, got 'yes'/);
  assert.throws(() => new gl.optim.Adam(p(), { betas: 0.9 }), /Adam: betas must be \[beta1, beta2\], got 0.9/);
  assert.throws(() => new gl.optim.Adam(p(), { betas: [0.9, 1] }), /Adam: betas must be in \[0, 1\), got \(0.9, 1\)/);
  assert.throws(() => new gl.optim.RMSprop(p(), { alpha: 2 }), /RMSprop: alpha must be in \[0, 1\), got 2/);
  assert.throws(() => new gl.optim.SGD(p(), { lr: NaN }), /SGD: lr must be a number, got NaN/);
  assert.throws(() => new gl.optim.AdamW('params'), /AdamW: expected a non-empty array of parameters/);
  const w = gl.zeros([2], { requiresGrad: true });
  assert.throws(() => new gl.optim.SGD([w, w], { lr: 0.1 }), /SGD: parameter 1 \(2,\) appears twice/);
  // a Module, a Set, and the module keeps working
  const lin = new gl.nn.Linear(3, 2);
  assert.equal(new gl.optim.RMSprop(lin).params.length, 2);
  assert.equal(new gl.optim.Adam(new Set(lin.parameters())).params.length, 2);
});

test('clipGradNorm returns the norm before clipping, keeps the direction and caps the norm', () => {
  const a = gl.zeros([2], { requiresGrad: true }), b = gl.zeros([1, 1], { requiresGrad: true });
  setGrad(a, [3, 4]);
  setGrad(b, [[12]]);
  const total = gl.nn.utils.clipGradNorm([a, b], 1.0);
  assert.ok(close(total, 13), `${total}`);
  const after = [...a.grad.toArray(), ...b.grad.toArray()];
  assert.ok(close(cosine([3, 4, 12], after), 1, 1e-7));
  assert.ok(norm(after) <= 1 + 1e-6 && close(norm(after), 13 / (13 + 1e-6), 1e-6), `${norm(after)}`);
  // under the cap: returned, untouched
  assert.ok(close(gl.nn.utils.clipGradNorm([a, b], 5), norm(after)));
  assert.deepEqual([...a.grad.toArray(), ...b.grad.toArray()], after);
  // other norms, and a Module
  setGrad(a, [3, -4]);
  assert.ok(close(gl.nn.utils.clipGradNorm(a, 100, { normType: 1 }), 7));
  assert.ok(close(gl.nn.utils.clipGradNorm(a, 2, { normType: 'inf' }), 4));
  assert.ok(close(gl.nn.utils.gradNorm(a, Infinity), 2 * 4 / (4 + 1e-6), 1e-6));
  const lin = new gl.nn.Linear(4, 3);
  gl.nn.functional.mseLoss(lin.forward(gl.randn([8, 4]).mul(100)), gl.zeros([8, 3])).backward();
  assert.ok(gl.nn.utils.clipGradNorm(lin, 0.5) > 0.5);
  assert.ok(gl.nn.utils.gradNorm(lin.parameters()) <= 0.5);
});

test('non-finite gradient norms come back as Infinity / NaN; bad arguments are named', () => {
  const a = gl.zeros([3], { requiresGrad: true });
  setGrad(a, [1, Infinity, 2]);
  assert.equal(gl.nn.utils.clipGradNorm([a], 1), Infinity);
  setGrad(a, [1, NaN, 2]);
  assert.ok(Number.isNaN(gl.nn.utils.clipGradNorm([a], 1)));
  setGrad(a, [1, NaN, 2]);
  assert.throws(() => gl.nn.utils.clipGradNorm([a], 1, { errorIfNonfinite: true }), /clip_grad_norm: the total norm of order 2 of the gradients is nan/);
  assert.throws(() => gl.nn.utils.clipGradNorm([a], -1), /clip_grad_norm: max_norm must be a number >= 0, got -1/);
  assert.throws(() => gl.nn.utils.clipGradNorm([a], '1'), /clipGradNorm: maxNorm must be a number, got '1'/);
  assert.throws(() => gl.nn.utils.clipGradNorm([a], 1, { norm_type: 1 }), /clipGradNorm: unknown option 'norm_type' \(did you mean normType\?\)/);
  assert.throws(() => gl.nn.utils.clipGradNorm([a, 3], 1), /clipGradNorm: params\[1\] must be a Tensor, got 3/);
  assert.throws(() => gl.nn.utils.clipGradValue([a], -0.5), /clip_grad_value: clip_value must be a number >= 0, got -0.5/);
  setGrad(a, [1, 2, 2]);
  assert.equal(gl.nn.utils.gradNorm([a]), 3); // still usable
});

test('clipGradValue clamps elements and changes the direction', () => {
  const a = gl.zeros([3], { requiresGrad: true });
  setGrad(a, [0.1, 5, -3]);
  assert.equal(gl.nn.utils.clipGradValue([a], 1), undefined);
  const g = [...a.grad.toArray()];
  assertAllClose(g, [0.1, 1, -1], 1e-6, 'clamped');
  assert.ok(cosine([0.1, 5, -3], g) < 0.99);
});

test('l1Penalty and l2Penalty are differentiable and l2 with λ/2 is SGD weight decay λ', () => {
  const w = gl.tensor([[0.5, -2], [0, 1]], { requiresGrad: true });
  const l1 = gl.nn.utils.l1Penalty([w], 0.1);
  assert.ok(close(l1.item(), 0.35));
  l1.backward();
  assertAllClose([...w.grad.toArray()], [0.1, -0.1, 0, 0.1], 1e-6, 'dl1');
  w.zeroGrad();
  gl.nn.utils.l2Penalty(w).backward();
  assertAllClose([...w.grad.toArray()], [1, -4, 0, 2], 1e-6, 'dl2');

  const x = gl.tensor([1, 3]);
  const p1 = gl.tensor([0.5, -2], { requiresGrad: true }), p2 = gl.tensor([0.5, -2], { requiresGrad: true });
  const o1 = new gl.optim.SGD([p1], { lr: 0.1 }), o2 = new gl.optim.SGD([p2], { lr: 0.1, weightDecay: 0.2 });
  for (let t = 0; t < 3; t++) {
    o1.zeroGrad(); p1.mul(x).sum().add(gl.nn.utils.l2Penalty([p1], 0.1)).backward(); o1.step();
    o2.zeroGrad(); p2.mul(x).sum().backward(); o2.step();
  }
  assertAllClose([...p1.toArray()], [...p2.toArray()], 1e-6, 'penalty vs weightDecay');
  assert.throws(() => gl.nn.utils.l2Penalty([w], 'big'), /l2Penalty: weight must be a number, got 'big'/);
});

test('init: in place, returns the tensor, PyTorch formulas and spellings, seeded', () => {
  gl.manualSeed(1);
  const W = gl.zeros([200, 300]);
  assert.equal(gl.nn.init.xavierUniform(W), W);
  const v = W.toArray();
  const varOf = (a) => a.reduce((s, x) => s + x * x, 0) / a.length;
  assert.ok(Math.abs(varOf(v) / (2 / 500) - 1) < 0.03, `xavier var ${varOf(v)}`);
  assert.ok(Math.max(...v.map(Math.abs)) <= Math.sqrt(6 / 500));
  gl.nn.init.kaimingNormal(W, { mode: 'fan_out', nonlinearity: 'relu' });
  assert.ok(Math.abs(varOf(W.toArray()) / (2 / 200) - 1) < 0.03);
  gl.nn.init.kaiming_uniform_(W, 0, 'fanIn', 'tanh');
  assert.ok(Math.abs(varOf(W.toArray()) / ((25 / 9) / 300) - 1) < 0.03);
  assert.ok(close(gl.nn.init.calculateGain('leaky_relu'), Math.sqrt(2 / 1.0001)));
  assert.ok(close(gl.nn.init.calculateGain('tanh'), 5 / 3));

  gl.manualSeed(4);
  const a = gl.nn.init.orthogonal(gl.zeros([6, 6])).toArray();
  gl.manualSeed(4);
  assert.deepEqual(gl.nn.init.orthogonal_(gl.zeros([6, 6])).toArray(), a);

  const u = gl.nn.init.uniform(gl.zeros([1000]), -0.1, 0.1).toArray();
  assert.ok(u.every((x) => x >= -0.1 && x <= 0.1));
  const n = gl.nn.init.normal(gl.zeros([4000]), { mean: 3, std: 0.1 }).toArray();
  assert.ok(Math.abs(n.reduce((s, x) => s + x, 0) / n.length - 3) < 0.01);
  assert.deepEqual([...gl.nn.init.constant(gl.zeros([2]), 0.5).toArray()], [0.5, 0.5]);
  assert.deepEqual([...gl.nn.init.zeros(gl.ones([2])).toArray()], [0, 0]);
  assert.deepEqual([...gl.nn.init.eye(gl.randn([2, 3]), 0.5).toArray()], [0.5, 0, 0, 0, 0.5, 0]);
  // LSTM forget-gate bias, gates (i, f, g, o), H = 2
  assert.deepEqual([...gl.nn.init.fillSlice(gl.zeros([8]), 2, 2, 1).toArray()], [0, 0, 1, 1, 0, 0, 0, 0]);
});

test('orthogonal, spectral-radius init and the spectrum helpers', () => {
  gl.manualSeed(2);
  for (const shape of [[16, 16], [20, 8], [8, 20]]) {
    const sv = gl.linalg.singularValues(gl.nn.init.orthogonal(gl.zeros(shape)));
    assert.ok(sv instanceof Float64Array && sv.length === Math.min(...shape));
    assert.ok(sv.every((s) => Math.abs(s - 1) < 1e-5), `${shape}: ${sv}`);
  }
  for (const rho of [0.9, 1.0, 1.3]) {
    const W = gl.nn.init.spectralRadius(gl.zeros([32, 32]), rho);
    assert.ok(Math.abs(gl.linalg.spectralRadius(W) - rho) < 1e-4);
  }
  const W = gl.nn.init.orthogonal(gl.zeros([8, 8]), { gain: 1 });
  gl.nn.init.scaleSpectralRadius(W, 1.1);
  assert.ok(close(gl.linalg.spectralRadius(W), 1.1, 1e-5));
  // rotation by 90° times 2: eigenvalues ±2i
  const { real, imag } = gl.linalg.eigvals(gl.tensor([[0, -2], [2, 0]]));
  assertAllClose([...real].map(Math.abs), [0, 0], 1e-9, 'real');
  assertAllClose([...imag].map(Math.abs), [2, 2], 1e-9, 'imag');
  assert.equal(gl.linalg.spectralRadius(gl.nn.init.eye(gl.zeros([5, 5]))), 1);
});

test('init and spectrum errors name the function and the values', () => {
  assert.throws(() => gl.nn.init.orthogonal(gl.zeros([5])), /orthogonal: expected a tensor with at least 2 dimensions, got shape \(5,\)/);
  assert.throws(() => gl.linalg.spectralRadius(gl.zeros([3, 4])), /spectral_radius: expected a square matrix, got shape \(3, 4\)/);
  assert.throws(() => gl.nn.init.spectralRadius(gl.zeros([3, 4]), 1), /spectral_radius: expected a square matrix, got shape \(3, 4\)/);
  assert.throws(() => gl.nn.init.spectralRadius(gl.zeros([3, 3]), -2), /spectral_radius: rho must be a finite number >= 0, got -2/);
  assert.throws(() => gl.linalg.singularValues(gl.tensor([[1, NaN]])), /singular_values: the matrix has a non-finite entry, nan at \(0, 1\)/);
  assert.throws(() => gl.nn.init.xavierUniform([1, 2]), /xavierUniform: tensor must be a Tensor, got \[1, 2\]/);
  assert.throws(() => gl.nn.init.kaimingNormal(gl.zeros([2, 2]), { mode: 'fanin' }), /kaimingNormal: mode must be one of 'fan_in', 'fan_out', 'fanIn', 'fanOut', got 'fanin'/);
  assert.throws(() => gl.nn.init.kaimingNormal(gl.zeros([2, 2]), { nonlinearity: 'gelu' }), /kaimingNormal: nonlinearity must be one of .* got 'gelu'/);
  assert.throws(() => gl.nn.init.uniform(gl.zeros([2]), { low: 0 }), /uniform: unknown option 'low'; the options are a, b/);
  assert.throws(() => gl.nn.init.fillSlice(gl.zeros([8]), 6, 4, 1), /fill_slice: elements \[6, 10\) are out of range for a tensor of 8 elements/);
  assert.throws(() => gl.nn.init.fillSlice(gl.zeros([8]), 1.5, 4, 1), /fillSlice: start must be an integer, got 1.5/);
  assert.throws(() => gl.nn.init.constant(gl.zeros([2])), /constant: val must be a number, got undefined/);
  assert.throws(() => gl.linalg.spectralRadius(gl.randn([2, 2], { requiresGrad: true }).tanh().detach().reshape([4])), /spectral_radius: expected a 2-D matrix/);
  const x = gl.randn([2, 2], { requiresGrad: true });
  assert.throws(() => gl.nn.init.zeros(x.tanh()), /zeros: the tensor \(2, 2\) was made by tanh and is part of a graph/);
});

test('EarlyStopping remembers the best step and stops after patience bad evaluations', () => {
  const es = new gl.utils.EarlyStopping({ patience: 3 });
  const stops = [1.0, 0.9, 0.95, 0.91, 0.89, 0.92, 0.93, 0.94].map((l) => es.step(l));
  assert.deepEqual(stops, [false, false, false, false, false, false, false, true]);
  assert.equal(es.best, 0.89);
  assert.equal(es.bestStep, 4);
  assert.equal(es.stoppedStep, 7);
  assert.equal(es.shouldStop, true);
  assert.match(es.reason, /no improvement .* for 3 evaluations \(best 0.89 at step 4\)/);
  es.reset();
  assert.equal(es.bestStep, null);
  assert.equal(es.best, Infinity);

  const acc = new gl.utils.EarlyStopping({ mode: 'max', patience: 1, minDelta: 0.01 });
  assert.equal(acc.step(gl.tensor(0.5), 100), false); // a Tensor metric, labelled with step 100
  assert.equal(acc.step(0.505, 200), true);           // within minDelta: not better
  assert.equal(acc.bestStep, 100);
  const nan = new gl.utils.EarlyStopping();
  nan.step(1);
  assert.equal(nan.step(NaN), true);
  assert.match(nan.reason, /the metric is nan at step 1/);
  assert.throws(() => new gl.utils.EarlyStopping({ mode: 'minimum' }), /EarlyStopping: mode must be one of 'min', 'max', got 'minimum'/);
  assert.throws(() => new gl.utils.EarlyStopping({ patience: -1 }), /EarlyStopping: patience must be a non-negative integer, got -1/);
  assert.throws(() => new gl.utils.EarlyStopping({ min_delta: 0.1 }), /unknown option 'min_delta' \(did you mean minDelta\?\)/);
  assert.throws(() => es.step('0.5'), /EarlyStopping.step: metric must be a number or a one-element Tensor, got '0.5'/);
});

test('an RNN with ρ(W) = 1.5 explodes; clipping keeps training finite and Adam brings the loss down', () => {
  gl.manualSeed(21);
  const W = gl.nn.init.spectralRadius(gl.zeros([4, 4]), 1.5).requiresGrad_();
  const x = gl.randn([1, 4]);
  const opt = new gl.optim.Adam([W], { lr: 0.02 });
  const norms = [], losses = [];
  for (let step = 0; step < 150; step++) {
    opt.zeroGrad();
    let h = gl.zeros([1, 4]);
    for (let t = 0; t < 12; t++) h = h.matmul(W.t()).add(x);
    const loss = h.square().mean();
    loss.backward();
    norms.push(gl.nn.utils.clipGradNorm([W], 1.0));
    losses.push(loss.item());
    opt.step();
  }
  assert.ok(norms[0] > 100, `first gradient norm ${norms[0]}`);
  assert.ok(norms.every(Number.isFinite));
  assert.ok(losses.at(-1) < 1e-2 * losses[0], `loss ${losses[0]} -> ${losses.at(-1)}`);
  assert.ok(gl.linalg.spectralRadius(W) < 1.5);
});
