// Bad input: a JS Error naming the op and the values, and the module keeps working.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { loadEngine } from './load-engine.mjs';

let gl;
before(async () => { gl = await loadEngine(); });

test('a C++ shape error arrives as an Error with its message; the module stays usable', () => {
  const lin = new gl.nn.Linear(10, 20);
  assert.throws(() => lin.forward(gl.randn([32, 12])), { name: 'Error', message: 'Linear: expected input (*, 10), got (32, 12)' });
  assert.throws(() => gl.randn([3, 4]).matmul(gl.randn([5, 6])), /matmul: inner sizes differ: \(3, 4\) @ \(5, 6\)/);
  assert.throws(() => gl.randn([32, 20]).add(gl.randn([32, 16])), /add: shapes \(32, 20\) and \(32, 16\) cannot be broadcast/);
  assert.throws(() => gl.cat([gl.randn([2, 3]), gl.randn([4, 5])], 1), /cat: tensor 1 has shape \(4, 5\)/);
  assert.throws(() => gl.randn([2, 3, 4]).select(1, 7), /select: index 7 is out of range/);
  for (let i = 0; i < 100; i++) assert.throws(() => lin.forward(gl.randn([1, 3])));
  assert.deepEqual(lin.forward(gl.randn([32, 10])).shape, [32, 20]);
});

test('wrong JS types name the call and the value', () => {
  assert.throws(() => gl.randn('abc'), { name: 'TypeError', message: "randn: shape must be an array of non-negative integers, got 'abc'" });
  assert.throws(() => gl.randn([2, -1]), /randn: shape\[1\] must be a non-negative integer, got -1/);
  assert.throws(() => gl.randn([2.5]), /randn: shape\[0\] must be a non-negative integer, got 2.5/);
  assert.throws(() => new gl.nn.Linear(0, 5), /Linear: in_features must be a positive integer, got 0/);
  assert.throws(() => new gl.nn.Linear('30', 5), /Linear: in_features must be a positive integer, got '30'/);
  assert.throws(() => gl.randn([2]).add('x'), /add: expected a Tensor or a number, got 'x'/);
  assert.throws(() => gl.randn([2]).matmul([1, 2]), /matmul: other must be a Tensor, got \[1, 2\]/);
  assert.throws(() => gl.cat([]), /cat: expected a non-empty array/);
  assert.throws(() => gl.tensor([1, 'a']), /tensor: element 1 is not a number: 'a'/);
  assert.throws(() => new gl.optim.SGD([], { lr: 0.1 }), /SGD: expected a non-empty array of parameters/);
  assert.throws(() => new gl.optim.SGD([gl.randn([2], { requiresGrad: true })], {}), /SGD: lr must be a number, got undefined/);
  assert.throws(() => new gl.optim.Adam([gl.randn([2])]), /Adam: parameter 0 \(2,\) must be a leaf tensor with requires_grad/);
});

test('huge, negative and zero sizes are refused without crashing the module', () => {
  assert.throws(() => gl.zeros([100000, 100000]), /zeros|full/);
  assert.throws(() => gl.zeros([100000, 100000]), /too large/);
  assert.throws(() => new gl.nn.Linear(10, -3), /out_features must be a positive integer, got -3/);
  assert.deepEqual(gl.zeros([0, 4]).shape, [0, 4]);
  assert.throws(() => gl.zeros([0, 4]).mean(), /mean: empty tensor \(0, 4\)/);
  assert.deepEqual(gl.randn([8, 8]).shape, [8, 8]);
});

test('NaN and out-of-range values are named, not propagated silently', () => {
  assert.throws(() => gl.nn.functional.bceLoss(gl.tensor([0.5, NaN]), gl.tensor([1, 1])), /bce_loss: input must be probabilities in \[0, 1\], got nan at index 1/);
  assert.throws(() => gl.nn.functional.bceLoss(gl.tensor([1.5]), gl.tensor([1])), /bce_loss: input must be probabilities in \[0, 1\], got 1.5/);
  assert.throws(() => gl.randn([2]).item(), /item: only a tensor with one element has an item, got shape \(2,\)/);
});

test('backward misuse says what to do', () => {
  const x = gl.randn([2, 2], { requiresGrad: true });
  assert.throws(() => x.tanh().backward(), /backward: the root must be a scalar.*\(2, 2\)/);
  const h = x.tanh();
  h.sum().backward();
  assert.throws(() => h.mul(x).sum().backward(), /already freed.*detach\(\)/);
  assert.throws(() => gl.randn([2]).sum().backward(), /does not require grad/);
});

test('a disposed tensor says so when used', () => {
  const t = gl.randn([3]);
  t.dispose();
  assert.throws(() => t.sum(), /sum: this tensor was disposed/);
  assert.equal(String(t), 'Tensor(disposed)');
});
