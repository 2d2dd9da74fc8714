// PyTorch's tensor printing in the one formatter (web/src/api/format.js, formatTorch), as
// torch/_tensor_str.py prints with its default options. The Python package prints through it;
// torch-core.test.mjs checks the same through Python. The JS cells' own format is unchanged.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatTensor, formatTorch, pyFixed, pySci } from '../../web/src/api/format.js';

const f32 = (xs) => Float32Array.from(xs);

test('Python number formatting: round half to even on the exact binary value, two exponent digits', () => {
  assert.equal(pyFixed(0.03125, 4), '0.0312'); // '{:.4f}'.format(0.03125) in Python
  assert.equal(pyFixed(0.09375, 4), '0.0938');
  assert.equal(pyFixed(2.5, 0), '2');
  assert.equal(pyFixed(3.5, 0), '4');
  assert.equal(pyFixed(-0.4, 0), '-0');
  assert.equal(pySci(123455, 4), '1.2346e+05');
  assert.equal(pySci(123465, 4), '1.2346e+05');
  assert.equal(pySci(-0.00012345, 2), '-1.23e-04');
  assert.equal(pySci(1e100, 1), '1.0e+100');
  assert.equal(pyFixed(NaN, 4), 'nan');
  assert.equal(pySci(-Infinity, 4), '-inf');
});

test('float modes: fixed, integer-valued, scientific; nan and inf keep the column width', () => {
  assert.equal(formatTorch(f32([1, NaN]), [2]), 'tensor([1., nan])');
  assert.equal(formatTorch(f32([Infinity, -1.5]), [2]), 'tensor([    inf, -1.5000])');
  assert.equal(formatTorch(f32([100000, 1]), [2]), 'tensor([1.0000e+05, 1.0000e+00])');
  // float32(1e-4) is just below 1e-4: PyTorch switches to scientific notation
  assert.equal(formatTorch(f32([0.5, 1e-4]), [2]), 'tensor([5.0000e-01, 1.0000e-04])');
  assert.equal(formatTorch(f32([0.5, 0.00011]), [2]), 'tensor([5.0000e-01, 1.1000e-04])'); // ratio > 1000
  assert.equal(formatTorch(f32([0.5, 0.001]), [2]), 'tensor([0.5000, 0.0010])');
  assert.equal(formatTorch(f32([0, 0]), [2]), 'tensor([0., 0.])');
  assert.equal(formatTorch(f32([-3]), []), 'tensor(-3.)');
});

test('int64 and bool print as Python prints them', () => {
  assert.equal(formatTorch(f32([1, -20, 300]), [3], { dtype: 'int64' }), 'tensor([  1, -20, 300])');
  assert.equal(formatTorch(f32([1]), [], { dtype: 'bool' }), 'tensor(True)');
  assert.equal(formatTorch(f32([0, 1, 1, 0]), [2, 2], { dtype: 'bool' }), 'tensor([[False,  True],\n        [ True, False]])');
});

test('suffixes follow the values, on a new line when the last line would pass 80 columns', () => {
  const row = f32(Array.from({ length: 8 }, (_, i) => i + 0.5));
  assert.equal(formatTorch(row, [8], { suffixes: ['requires_grad=True'] }),
    'tensor([0.5000, 1.5000, 2.5000, 3.5000, 4.5000, 5.5000, 6.5000, 7.5000],\n       requires_grad=True)');
  assert.equal(formatTorch(f32([1, 2]), [2], { suffixes: ['grad_fn=<AddBackward0>'] }), 'tensor([1., 2.], grad_fn=<AddBackward0>)');
});

test('summaries: the first and last 3 along every dim past 1000 elements, the formatter sees only those', () => {
  const values = f32(Array.from({ length: 40 * 30 }, (_, i) => (i === 500 ? 1e-7 : i % 7))); // row r starts at 30r mod 7; 1e-7 (row 16) is not shown
  assert.equal(formatTorch(values, [40, 30]), [
    'tensor([[0., 1., 2.,  ..., 6., 0., 1.],',
    '        [2., 3., 4.,  ..., 1., 2., 3.],',
    '        [4., 5., 6.,  ..., 3., 4., 5.],',
    '        ...,',
    '        [4., 5., 6.,  ..., 3., 4., 5.],',
    '        [6., 0., 1.,  ..., 5., 6., 0.],',
    '        [1., 2., 3.,  ..., 0., 1., 2.]])',
  ].join('\n'));
});

test('empty tensors name their size (unless 1-D) and a dtype other than float32', () => {
  assert.equal(formatTorch(f32([]), [0]), 'tensor([])');
  assert.equal(formatTorch(f32([]), [2, 0], { dtype: 'bool' }), 'tensor([], size=(2, 0), dtype=torch.bool)');
});

test('the JS cells\' format is unchanged when no options are given', () => {
  assert.equal(formatTensor(f32([1, -2.5, 3, 4]), [2, 2]), 'tensor([[ 1.0000, -2.5000],\n        [ 3.0000,  4.0000]])');
  assert.equal(formatTensor(f32([2, 4]), [2], ', op=mul'), 'tensor([2.0000, 4.0000], op=mul)');
});
