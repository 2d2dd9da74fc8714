// Never ignore an argument (issue 10 §4): reductions honour dim and keepdim as PyTorch does,
// an unknown option or an extra positional argument is an error naming the call and the
// argument, and a ragged nested array is refused naming where the nesting differs.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { loadEngine } from './load-engine.mjs';
import { unwrapped } from '../../web/src/api/calls.js';

let gl;
// the error's message (not its String(), which starts with 'Error: ') must match
const fails = (fn, expected, note) => assert.throws(fn, expected instanceof RegExp ? { message: expected } : expected, note);
before(async () => { gl = await loadEngine(); });

const values = (t) => Array.from(t.toArray());
const close = (a, b, tol = 1e-5) => a.length === b.length && a.every((v, i) => Math.abs(v - b[i]) <= tol);

// Expected values: torch.sum / mean / max / min / argmax / norm on [[1, 2, 3], [4, 5, 6]].
test('sum, mean and norm along a dim, with and without keepdim, as PyTorch', () => {
  const x = gl.tensor([[1, 2, 3], [4, 5, 6]]);
  assert.deepEqual(values(x.sum(1)), [6, 15]);               // torch: tensor([ 6., 15.])
  assert.deepEqual(x.sum(1).shape, [2]);
  assert.deepEqual(x.sum(1, true).shape, [2, 1]);            // keepdim=True: (2, 1)
  assert.deepEqual(values(x.sum(0)), [5, 7, 9]);
  assert.deepEqual(values(x.sum(-1)), [6, 15]);
  assert.equal(x.sum().item(), 21);
  assert.deepEqual(values(x.mean(1)), [2, 5]);
  assert.deepEqual(x.mean(0, true).shape, [1, 3]);
  assert.ok(close(values(x.norm(1)), [Math.sqrt(14), Math.sqrt(77)]));
  assert.deepEqual(values(gl.sum(x, 1)), [6, 15]);
  assert.deepEqual(values(gl.mean(x, 0)), [2.5, 3.5, 4.5]);
});

test('max, min and argmax: of all elements, or (values, indices) along a dim', () => {
  const x = gl.tensor([[1, 9, 3], [4, 5, 6]]);
  assert.equal(x.max().item(), 9);
  assert.equal(x.min().item(), 1);
  assert.equal(x.argmax().item(), 1);                       // flat index, as torch.argmax(x)
  const [v, i] = x.max(1);                                  // torch.max(x, 1) -> (values, indices)
  assert.deepEqual([values(v), values(i)], [[9, 6], [1, 2]]);
  assert.deepEqual(values(x.max(1).values), [9, 6]);
  assert.deepEqual(values(x.min(0).values), [1, 5, 3]);
  assert.deepEqual(values(x.min(0).indices), [0, 1, 0]);
  assert.deepEqual(x.max(0, true).values.shape, [1, 3]);
  assert.deepEqual(values(x.argmax(0)), [1, 0, 1]);
  assert.deepEqual(values(gl.argmax(x, 1)), [1, 2]);
  // the gradient of max along a dim goes to the maximum
  const w = gl.tensor([[1, 9, 3], [4, 5, 6]], { requiresGrad: true });
  w.max(1).values.sum().backward();
  assert.deepEqual(values(w.grad), [0, 1, 0, 0, 0, 1]);
});

test('a reduction refuses a bad dim or keepdim instead of ignoring it', () => {
  const x = gl.tensor([[1, 2, 3], [4, 5, 6]]);
  fails(() => x.sum(2), /^sum: /);
  fails(() => x.sum(1.5), /^sum: dim must be an integer, got 1.5$/);
  fails(() => x.mean('1'), /^mean: dim must be an integer, got '1'$/);
  fails(() => x.sum(1, 1), /^sum: keepdim must be true or false, got 1$/);
  fails(() => x.sum(undefined, true), /^sum: keepdim needs a dim/);
  fails(() => x.max(0, false, 3), /^Tensor\.max: takes at most 2 arguments, got 3/);
});

test('an unknown option is an error naming the call and the option', () => {
  fails(() => gl.randn([2], { requiresgrad: true }), /^randn: unknown option 'requiresgrad'; the options are requiresGrad$/);
  fails(() => gl.zeros([2], { dtype: 'float32' }), /^zeros: unknown option 'dtype'/);
  fails(() => gl.tensor([1, 2], { requires_grad: true }), /^tensor: unknown option 'requires_grad' \(did you mean requiresGrad\?\)/);
  fails(() => new gl.nn.Linear(2, 3, { bais: false }), /^Linear: unknown option 'bais'/);
  fails(() => new gl.nn.LSTM(2, 3, { numlayers: 2 }), /^LSTM: unknown option 'numlayers'/);
  fails(() => new gl.tasks.AddingProblem({ t: 5 }), /^AddingProblem: unknown option 't'/);
  fails(() => gl.nn.functional.crossEntropy(gl.randn([2, 3]), [0, 1], { ignore_index: 1 }), /^crossEntropy: unknown option 'ignore_index' \(did you mean ignoreIndex\?\)/);
  fails(() => gl.randn([2], 'grad'), /^randn: options must be an object/);
  assert.deepEqual(new gl.nn.Linear(2, 3, { bias: false }).bias, null);
});

test('an extra positional argument is an error naming the call, everywhere', () => {
  const x = gl.randn([2, 3]);
  fails(() => gl.randn([2], {}, 5), /^randn: takes at most 2 arguments, got 3 \(argument 3 is not known\)$/);
  fails(() => x.relu(1), /^Tensor\.relu: takes no arguments, got 1/);
  fails(() => gl.nn.functional.relu(x, 1), /^nn\.functional\.relu: takes 1 argument, got 2/);
  fails(() => new gl.nn.Linear(2, 3, {}, 4), /^Linear: takes at most 3 arguments, got 4/);
  fails(() => new gl.nn.Linear(3, 2).forward(x, x), /^Linear\.forward: takes 1 argument, got 2/);
  fails(() => gl.analysis.spectrum(gl.randn([3, 3]), 2), /^analysis\.spectrum: takes 1 argument, got 2/);
  fails(() => new gl.optim.SGD([gl.randn([2], { requiresGrad: true })], { lr: 0.1 }, 0.9), /^SGD: takes at most 2 arguments/);
  assert.equal(x.sum(undefined).item(), x.sum().item()); // a trailing undefined is an omitted argument
  // classes behave as classes: instanceof, subclassing, static fields
  assert.ok(x instanceof gl.Tensor);
  fails(() => new gl.Tensor(5), /^Tensor: tensors are made by gl\.tensor, gl\.randn/);
  class Net extends gl.nn.Module { constructor() { super(); this.l = new gl.nn.Linear(3, 1); } forward(h) { return this.l.forward(h); } }
  const net = new Net();
  assert.ok(net instanceof gl.nn.Module);
  assert.deepEqual(net.forward(x).shape, [2, 1]);
  assert.equal(typeof gl.tasks.AddingProblem.baselineMSE, 'number');
  // every public function and class goes through the one wrapper (web/src/api/calls.js)
  assert.deepEqual(unwrapped(gl), []);
});

test('ragged nested arrays are refused, naming where the nesting differs', () => {
  fails(() => gl.tensor([[1, 2], [3, [4]]]), /^tensor: ragged nested array: data\[1\]\[1\] is an array, expected a number \(as data\[0\]\[0\]\)$/);
  fails(() => gl.tensor([[1, 2], [3]]), /^tensor: ragged nested array: data\[1\] has length 1, expected 2 \(as data\[0\]\)$/);
  fails(() => gl.tensor([[1, 2], 3]), /^tensor: ragged nested array: data\[1\] is 3, expected an array of length 2/);
  fails(() => gl.tensor([[[1], [2]], [[3], [4, 5]]]), /data\[1\]\[1\] has length 2, expected 1/);
  assert.deepEqual(gl.tensor([[1, 2], [3, 4]]).shape, [2, 2]);
  assert.deepEqual(gl.tensor([[], []]).shape, [2, 0]);
});
