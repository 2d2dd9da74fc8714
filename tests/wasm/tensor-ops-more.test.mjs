// The ops the Python torch package maps onto (issue 12), through gl: values and gradients
// against numbers worked out by hand (PyTorch's results for the same calls), copy_ on
// parameters, layers and spilled tensors, the seeded integers, and the errors of bad input.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { loadEngine } from './load-engine.mjs';

let gl;
before(async () => { gl = await loadEngine(); });

const values = (t) => Array.from(t.toArray());
const close = (a, b, tol = 1e-5) => assert.ok(
  a.length === b.length && a.every((v, i) => Math.abs(v - b[i]) <= tol * (1 + Math.abs(b[i]))),
  `got [${a.join(', ')}], expected [${b.join(', ')}]`,
);
// the error's message (not its String(), which starts with 'Error: ') must match
const fails = (fn, message, type = Error) => assert.throws(fn, (e) => {
  assert.ok(e instanceof type, `expected a ${type.name}, got ${e?.constructor?.name}: ${e?.message}`);
  assert.match(e.message, message);
  return true;
});
const leaf = (data) => gl.tensor(data, { requiresGrad: true });
// x.grad after backward from Σ w ⊙ f(x): a weight per element, so each gradient is told apart
function gradOf(x, f, w) {
  const y = f(x);
  y.mul(gl.tensor(w)).sum().backward();
  return values(x.grad);
}

test('sqrt, abs, pow, floor: values and gradients', () => {
  const x = leaf([0.25, 4, 9]);
  close(values(x.sqrt()), [0.5, 2, 3]);
  close(gradOf(x, (t) => t.sqrt(), [1, 1, 2]), [1, 0.25, 1 / 3]);           // 1 / (2√x)

  const a = leaf([-2, 0, 3]);
  close(values(a.abs()), [2, 0, 3]);
  close(gradOf(a, (t) => t.abs(), [5, 5, 7]), [-5, 0, 7]);                   // sign(x), 0 at 0

  const p = leaf([2, -1, 0.5]);
  close(values(p.pow(3)), [8, -1, 0.125]);
  close(gradOf(p, (t) => t.pow(3), [1, 2, 1]), [12, 6, 0.75]);                // 3x²
  const q = leaf([4, 0.25]);
  close(values(q.pow(-0.5)), [0.5, 2]);
  close(gradOf(q, (t) => t.pow(-0.5), [1, 1]), [-0.5 * 4 ** -1.5, -0.5 * 0.25 ** -1.5]);
  const z = leaf([0, 2]);
  close(gradOf(z, (t) => t.pow(0), [1, 1]), [0, 0]);                         // x⁰ = 1: no slope

  const f = leaf([-1.5, 0.2, 2.7]);
  close(values(f.floor()), [-2, 0, 2]);
  close(gradOf(f, (t) => t.floor().add(t), [1, 1, 1]), [1, 1, 1]);           // floor adds 0
  assert.equal(f.floor().requiresGrad, true);                                 // in the graph, as PyTorch
});

test('clamp: both bounds, one bound, gradient 1 inside with the bounds included', () => {
  const x = leaf([-2, -1, 0, 1, 2]);
  close(values(x.clamp(-1, 1)), [-1, -1, 0, 1, 1]);
  close(gradOf(x, (t) => t.clamp(-1, 1), [1, 2, 3, 4, 5]), [0, 2, 3, 4, 0]);
  close(values(x.clamp(0)), [0, 0, 0, 1, 2]);
  close(values(x.clamp(null, 0)), [-2, -1, 0, 0, 0]);
  close(values(x.clamp(undefined, -1.5)), [-2, -1.5, -1.5, -1.5, -1.5]);
  fails(() => x.clamp(), /^clamp: at least one of min and max must be given/);
  fails(() => x.clamp(null, null), /^clamp: at least one of min and max/);
  fails(() => x.clamp(NaN, 1), /^clamp: min must be a number, null or undefined, got NaN/, TypeError);
  fails(() => x.clamp(0, '1'), /^clamp: max must be a number, null or undefined, got '1'/, TypeError);
});

test('comparisons: tensors or numbers, broadcast, 0/1 with no gradient; isnan, isfinite', () => {
  const a = leaf([[1, 2, 3], [4, 5, NaN]]);
  const b = gl.tensor([2, 2, 6]);
  assert.deepEqual(values(a.eq(b)), [0, 1, 0, 0, 0, 0]);
  assert.deepEqual(values(a.ne(b)), [1, 0, 1, 1, 1, 1]);                      // NaN != anything
  assert.deepEqual(values(a.lt(b)), [1, 0, 1, 0, 0, 0]);
  assert.deepEqual(values(a.le(b)), [1, 1, 1, 0, 0, 0]);
  assert.deepEqual(values(a.gt(3)), [0, 0, 0, 1, 1, 0]);
  assert.deepEqual(values(a.ge(3)), [0, 0, 1, 1, 1, 0]);
  assert.deepEqual(a.gt(b).shape, [2, 3]);
  assert.deepEqual(gl.tensor([[1], [5]]).gt(gl.tensor([0, 2, 6])).shape, [2, 3]);
  assert.equal(a.gt(b).requiresGrad, false);
  assert.deepEqual(values(gl.tensor([0, NaN, Infinity, -Infinity]).isnan()), [0, 1, 0, 0]);
  assert.deepEqual(values(gl.tensor([0, NaN, Infinity, -Infinity]).isfinite()), [1, 0, 0, 0]);
  fails(() => a.lt(gl.tensor([1, 2])), /^lt: shapes \(2, 3\) and \(2,\) cannot be broadcast together/);
  fails(() => a.eq('2'), /^eq: expected a Tensor or a number, got '2'/, TypeError);
});

test('where: picks, broadcasts, sends the gradient to the side taken only', () => {
  const cond = gl.tensor([[1], [0]]);                 // (2, 1)
  const a = leaf([[1, 2, 3], [4, 5, 6]]);              // (2, 3)
  const b = leaf([10, 20, 30]);                        // (3)
  const y = gl.where(cond, a, b);
  assert.deepEqual(y.shape, [2, 3]);
  assert.deepEqual(values(y), [1, 2, 3, 10, 20, 30]);
  y.mul(gl.tensor([[1, 2, 3], [4, 5, 6]])).sum().backward();
  assert.deepEqual(values(a.grad), [1, 2, 3, 0, 0, 0]);
  assert.deepEqual(values(b.grad), [4, 5, 6]);
  assert.deepEqual(values(gl.where(gl.tensor([1, 0, 2]), 7, gl.tensor([1, 2, 3]))), [7, 2, 7]);
  assert.deepEqual(values(gl.where(gl.tensor([1, 0]), gl.tensor([1, 2]), -1)), [1, -1]);
});

test('where: a NaN or Inf in the branch not taken leaks into neither values nor gradients', () => {
  const x = leaf([-1, 0, 4]);
  const y = gl.where(x.gt(0), x.log(), 0);            // log is NaN at -1 and -Inf at 0
  close(values(y), [0, 0, Math.log(4)]);
  y.sum().backward();
  close(values(x.grad), [0, 0, 0.25]);
  const r = leaf([0, 4]);
  const s = gl.where(r.gt(0), r.sqrt(), 0);           // ∂√r/∂r is Inf at 0
  s.sum().backward();
  close(values(r.grad), [0, 0.25]);
  fails(() => gl.where(1, x, x), /^where: condition must be a Tensor, got 1/, TypeError);
  fails(() => gl.where(gl.tensor([1, 0]), x, 0), /^where: shapes \(2,\) and \(3,\) cannot be broadcast/);
});

test('indexSelect: a tensor or an array of indices, negative ones, repeats that add up', () => {
  const x = leaf([[0, 1, 2], [3, 4, 5]]);
  assert.deepEqual(values(x.indexSelect(1, [2, 0, 2])), [2, 0, 2, 5, 3, 5]);
  assert.deepEqual(x.indexSelect(1, [2, 0, 2]).shape, [2, 3]);
  assert.deepEqual(values(x.indexSelect(-2, gl.tensor([-1]))), [3, 4, 5]);   // the last row
  assert.deepEqual(x.indexSelect(0, []).shape, [0, 3]);
  // Σ w ⊙ x[:, [1, 1, 0]] with w = [[1, 2, 3], [4, 5, 6]]: column 1 gets 1+2 and 4+5
  x.indexSelect(1, [1, 1, 0]).mul(gl.tensor([[1, 2, 3], [4, 5, 6]])).sum().backward();
  assert.deepEqual(values(x.grad), [3, 3, 0, 6, 9, 0]);
  fails(() => x.indexSelect(1, [0, 3]), /^index_select: index 3 is out of range for dim 1 of size 3 in shape \(2, 3\) \(at position 1\)/);
  fails(() => x.indexSelect(0, [-3]), /index -3 is out of range for dim 0 of size 2/);
  fails(() => x.indexSelect(1, [0.5]), /^indexSelect: index must hold whole numbers, got 0\.5 at position 0/, TypeError);
  fails(() => x.indexSelect(1, gl.tensor([0.5])), /index must hold whole numbers, got 0\.5 at position 0/);
  fails(() => x.indexSelect(1, [2 ** 25]), /index 33554432 is out of range for dim 1 of size 3/, RangeError);
  fails(() => x.indexSelect(2, [0]), /dim 2 is out of range for shape \(2, 3\)/);
  fails(() => x.indexSelect(1, gl.tensor([[0]])), /index must be 1-D, got shape \(1, 1\)/);
  fails(() => x.indexSelect(1, 'a'), /^indexSelect: index must be a Tensor or an array of whole numbers, got 'a'/, TypeError);
  fails(() => x.indexSelect(1.5, [0]), /^indexSelect: dim must be an integer, got 1\.5/, TypeError);
});

test('permute: values, gradients, negative dims, and what is not a permutation', () => {
  const x = leaf([[[0, 1, 2], [3, 4, 5]]]);            // (1, 2, 3)
  const y = x.permute(2, 0, 1);                        // (3, 1, 2): y[k, 0, j] = x[0, j, k]
  assert.deepEqual(y.shape, [3, 1, 2]);
  assert.deepEqual(values(y), [0, 3, 1, 4, 2, 5]);
  assert.deepEqual(values(x.permute([-1, -3, -2])), [0, 3, 1, 4, 2, 5]);
  y.mul(gl.tensor([[[1, 2]], [[3, 4]], [[5, 6]]])).sum().backward();
  assert.deepEqual(values(x.grad), [1, 3, 5, 2, 4, 6]);                      // the weights, permuted back
  fails(() => x.permute(0, 0, 1), /^permute: dims \[0, 0, 1\] is not a permutation: dim 0 appears twice \(shape \(1, 2, 3\)\)/);
  fails(() => x.permute(0, 1), /^permute: dims \[0, 1\] must list each of the 3 dims of shape \(1, 2, 3\) once/);
  fails(() => x.permute(0, 1, 3), /^permute: dim 3 is out of range for shape \(1, 2, 3\)/);
  fails(() => x.permute([0, 'a', 1]), /^permute: dims\[1\] must be an integer, got 'a'/, TypeError);
  fails(() => x.permute('a'), /^permute: dims\[0\] must be an integer, got 'a'/, TypeError);
});

test('expand: size-1 dims, -1, new leading dims; backward sums over the repeats', () => {
  const x = leaf([[1], [2]]);                          // (2, 1)
  const y = x.expand(3, 2, 4);
  assert.deepEqual(y.shape, [3, 2, 4]);
  assert.deepEqual(values(y.select(0, 1)), [1, 1, 1, 1, 2, 2, 2, 2]);
  assert.deepEqual(values(x.expand([-1, 2])), [1, 1, 2, 2]);
  y.sum().backward();
  assert.deepEqual(values(x.grad), [12, 12]);                                 // 3·4 repeats each
  const b = leaf([1, 2, 3]);
  b.expand(2, 3).mul(gl.tensor([[1, 10, 100], [2, 20, 200]])).sum().backward();
  assert.deepEqual(values(b.grad), [3, 30, 300]);
  fails(() => x.expand(3, 1), /^expand: the expanded size of the tensor \(3\) must match the existing size \(2\) at non-singleton dimension 0/);
  fails(() => x.expand(4), /^expand: the number of sizes provided \(1\) must be greater or equal to the number of dimensions in the tensor \(2\)/);
  fails(() => x.expand(-1, 2, 1), /^expand: the expanded size -1 is not allowed in a leading, non-existing dimension 0/);
  fails(() => x.expand(2, -2), /^expand: shape\[1\] must be an integer >= -1, got -2/, TypeError);
  fails(() => x.expand(2, 1.5), /^expand: shape\[1\] must be an integer >= -1, got 1\.5/, TypeError);
});

test('copy_: in place, broadcast, a number, returns the tensor', () => {
  const x = gl.zeros([2, 3]);
  assert.equal(x.copy_(gl.tensor([1, 2, 3])), x);
  assert.deepEqual(values(x), [1, 2, 3, 1, 2, 3]);
  x.copy_(-0.5);
  assert.deepEqual(values(x), Array(6).fill(-0.5));
  x.copy_(x);
  assert.deepEqual(values(x), Array(6).fill(-0.5));
  fails(() => x.copy_(gl.zeros([3, 2])), /^copy_: src of shape \(3, 2\) cannot be broadcast to the shape \(2, 3\) of the tensor written to/);
  fails(() => x.copy_('1'), /^copy_: expected a Tensor or a number, got '1'/, TypeError);
});

test('copy_: a leaf that requires grad is refused in grad mode, written under noGrad', () => {
  const w = leaf([1, 2, 3]);
  fails(() => w.copy_(0), /^copy_: a leaf Variable that requires grad is being used in an in-place operation\.$/);
  assert.deepEqual(values(w), [1, 2, 3]);
  w.mul(w).sum().backward();                                                   // grad 2w = [2, 4, 6]
  gl.noGrad(() => w.copy_(w.sub(w.grad.mul(0.5))));                            // p -= lr * p.grad
  assert.deepEqual(values(w), [0, 0, 0]);
  assert.equal(w.isLeaf, true);
  assert.equal(w.requiresGrad, true);
  assert.deepEqual(values(w.grad), [2, 4, 6]);                                 // the grad is kept
  fails(() => gl.zeros([3]).copy_(w.mul(2)), /^copy_: src \(made by mul\) requires grad, and a copy passes no gradient back to it/);
});

test('copy_ into a graph\'s saved values makes backward refuse, as PyTorch', () => {
  const w = leaf([1, 2]);
  const x = gl.tensor([3, 4]);
  const loss = w.mul(x).sum();
  x.copy_(0);
  fails(() => loss.backward(), /^backward: one of the variables needed for gradient computation has been modified by an inplace operation/);
});

test('copy_ into an LSTM\'s parameter: the layer computes with the new values', () => {
  gl.manualSeed(3);
  const lstm = new gl.nn.LSTM(2, 3);
  const x = gl.randn([1, 4, 2]);
  const [before] = lstm.forward(x);
  // all weights 0 and the input bias 0: every gate is σ(0) = 0.5 and g = tanh(0) = 0, so c = 0
  // and h = 0.5 · tanh(0) = 0 at every step
  gl.noGrad(() => {
    for (const p of lstm.parameters()) p.copy_(0);
  });
  const [after] = lstm.forward(x);
  assert.notDeepEqual(values(before), values(after));
  assert.deepEqual(values(after), Array(12).fill(0));
  // the cell gate's bias (the third quarter of bias_hh_l0, gates in PyTorch's order i, f, g, o)
  // at 1: g = tanh(1), so c_1 = 0.5·tanh(1) and h_1 = 0.5·tanh(c_1)
  const H = 3;
  gl.noGrad(() => lstm.bias_hh_l0.copy_(gl.tensor([0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 0, 0])));
  const [h] = lstm.forward(x);
  const c1 = 0.5 * Math.tanh(1);
  close(values(h).slice(0, H), Array(H).fill(0.5 * Math.tanh(c1)));
});

test('copy_ reaches a parameter\'s grad and a spilled tensor stays correct', () => {
  const w = leaf([1, 2, 3]);
  w.mul(w).sum().backward();
  const g = w.grad;                                   // shares its values with w's grad
  gl._spill();                                        // a spill must not cut g off from w.grad
  g.copy_(g.clamp(null, 3));                          // clip_grad_value_ as PyTorch code writes it
  assert.deepEqual(values(w.grad), [2, 3, 3]);
  // a tensor nobody else holds is spilled, and copy_ brings it back and writes into it
  const t = gl.tensor([1, 2, 3]).mul(1);
  gl._spill();
  assert.equal(t._h, null, 'the tensor was spilled');
  t.copy_(gl.tensor([7, 8, 9]));
  assert.deepEqual(values(t), [7, 8, 9]);
  assert.deepEqual(values(t.add(1)), [8, 9, 10]);
});

test('randperm and randint: seeded, whole numbers, in range', () => {
  gl.manualSeed(7);
  const p = values(gl.randperm(20));
  gl.manualSeed(7);
  assert.deepEqual(values(gl.randperm(20)), p);
  assert.deepEqual([...p].sort((a, b) => a - b), Array.from({ length: 20 }, (_, i) => i));
  assert.notDeepEqual(p, Array.from({ length: 20 }, (_, i) => i));
  assert.deepEqual(gl.randperm(0).shape, [0]);

  gl.manualSeed(8);
  const r = gl.randint(-2, 3, [10, 40]);
  assert.deepEqual(r.shape, [10, 40]);
  gl.manualSeed(8);
  assert.deepEqual(values(gl.randint(-2, 3, [10, 40])), values(r));
  assert.deepEqual([...new Set(values(r))].sort((a, b) => a - b), [-2, -1, 0, 1, 2]);
  assert.deepEqual(gl.randint(0, 5, 3).shape, [3]);
  fails(() => gl.randint(3, 3, [2]), /^randint: low must be less than high, got low 3 and high 3/);
  fails(() => gl.randint(0, 2 ** 26, [2]), /^randint: low 0 and high 67108864 must lie within/);
  fails(() => gl.randint(0, 2, [-1]), /^randint: shape\[0\] must be a non-negative integer, got -1/, TypeError);
  fails(() => gl.randint(0.5, 2, [1]), /^randint: low must be an integer, got 0\.5/, TypeError);
  fails(() => gl.randperm(-1), /^randperm: n must be a non-negative integer, got -1/, TypeError);
  fails(() => gl.randperm(2 ** 25), /^randperm: n must be in \[0, 16777216\]/);
  fails(() => gl.randperm(NaN), /^randperm: n must be a non-negative integer, got NaN/, TypeError);
});

test('the new calls refuse extra arguments', () => {
  const x = gl.tensor([1, 2]);
  fails(() => x.sqrt(1), /^Tensor.sqrt: takes no arguments, got 1/, TypeError);
  fails(() => x.pow(2, 3), /^Tensor.pow: takes 1 argument, got 2/, TypeError);
  fails(() => gl.where(x, x, x, x), /^where: takes at most 3 arguments, got 4/, TypeError);
  fails(() => x.pow('2'), /^pow: exponent must be a number, got '2'/, TypeError);
});

// TensorFlow.js as a reference nobody here wrote: the same inputs and L = Σ w ⊙ f(inputs),
// values and every input's gradient compared.
test('against TensorFlow.js: values and gradients, with broadcasting', async () => {
  const { loadTF, toTF, relError, lossWeights } = await import('./tfjs-reference.mjs');
  const tf = await loadTF();
  gl.manualSeed(21);
  const randn = (shape) => gl.randn(shape, { requiresGrad: true });
  const positive = (shape) => gl.rand(shape).mul(2).add(0.25).detach().requiresGrad_();
  const mask = gl.rand([3, 1, 5]).gt(0.5);
  const cases = [
    ['sqrt', [positive([4, 5])], (x) => x.sqrt(), (x) => tf.sqrt(x)],
    ['abs', [randn([4, 5])], (x) => x.abs(), (x) => tf.abs(x)],
    ['pow 3', [randn([4, 5])], (x) => x.pow(3), (x) => tf.pow(x, 3)],
    ['pow -1.5', [positive([4, 5])], (x) => x.pow(-1.5), (x) => tf.pow(x, -1.5)],
    ['clamp', [randn([6, 7])], (x) => x.clamp(-0.5, 0.8), (x) => tf.clipByValue(x, -0.5, 0.8)],
    ['where (3,1,5) (3,4,5) (5)', [randn([3, 4, 5]), randn([5])], (a, b) => gl.where(mask, a, b),
      (a, b) => tf.where(tf.broadcastTo(toTF(mask).cast('bool'), [3, 4, 5]), a, tf.broadcastTo(b, [3, 4, 5]))],
    ['indexSelect dim 1, repeats', [randn([3, 5, 2])], (x) => x.indexSelect(1, [4, 0, 4, 2]),
      (x) => tf.gather(x, tf.tensor1d([4, 0, 4, 2], 'int32'), 1)],
    ['permute (2, 0, 3, 1)', [randn([2, 3, 4, 5])], (x) => x.permute(2, 0, 3, 1), (x) => tf.transpose(x, [2, 0, 3, 1])],
    ['expand (3,1) -> (2,3,4)', [randn([3, 1])], (x) => x.expand(2, 3, 4), (x) => tf.broadcastTo(x, [2, 3, 4])],
  ];
  for (const [name, inputs, f, g] of cases) {
    const y = f(...inputs);
    const w = lossWeights(gl, y.shape);
    y.mul(w).sum().backward();
    const tfInputs = inputs.map(toTF);
    const tfLoss = (...xs) => tf.sum(tf.mul(g(...xs), toTF(w)));
    const tfGrads = tf.grads(tfLoss)(tfInputs);
    const yRef = g(...tfInputs);
    assert.deepEqual(y.shape, yRef.shape, `${name}: shape`);
    assert.ok(relError(y.toArray(), yRef) < 1e-6, `${name}: values differ from TF.js by ${relError(y.toArray(), yRef)}`);
    inputs.forEach((x, k) => {
      const err = relError(x.grad.toArray(), tfGrads[k]);
      assert.ok(err < 1e-5, `${name}: gradient of input ${k} ${JSON.stringify(x.shape)} differs from TF.js by ${err}`);
    });
  }
});
