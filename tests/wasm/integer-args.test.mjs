// Sizes, indices, dims and seeds from JS are whole numbers in range before they become C++
// integers (issue 10 §3), checked once, in engine/bindings/guard.h, and the error names the
// call the reader made, the argument and the value (§4).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { loadEngine } from './load-engine.mjs';

let gl;
// the error's message (not its String(), which starts with 'Error: ') must match
const fails = (fn, expected, note) => assert.throws(fn, expected instanceof RegExp ? { message: expected } : expected, note);
before(async () => { gl = await loadEngine(); });

const HUGE = [2 ** 31, 2 ** 32 + 4, 2 ** 53, 2 ** 63 - 1024];
const NOT_WHOLE = [1.5, NaN, Infinity, -Infinity, '3', null, {}, []];

test('Linear(2**32 + 4, 3) is refused, not a (3, 4) weight that reports 4294967300 in-features', () => {
  fails(() => new gl.nn.Linear(2 ** 32 + 4, 3), { message: 'Linear: in_features must be at most 268435456, got 4294967300' });
  fails(() => new gl.nn.Linear(3, 2 ** 32 + 4), /^Linear: out_features must be at most 268435456, got 4294967300$/);
  fails(() => new gl.nn.Linear(2.5, 3), /^Linear: in_features must be a positive integer, got 2.5$/);
  fails(() => new gl.nn.Linear(NaN, 3), /^Linear: in_features must be a positive integer, got NaN$/);
  fails(() => new gl.nn.Linear('3', 3), /^Linear: in_features must be a positive integer, got '3'$/);
  const lin = new gl.nn.Linear(4, 3);
  assert.deepEqual([lin.inFeatures, lin.weight.shape], [4, [3, 4]]);
});

test('recurrent sizes past the limit are refused (LSTMCell(2**63 - 1024, 2**62) made zero-size weights)', () => {
  fails(() => new gl.nn.LSTMCell(2 ** 63 - 1024, 2 ** 62), /^LSTMCell: input_size must be at most 268435456, got 9223372036854775000$/);
  fails(() => new gl.nn.GRU(3, 2 ** 32 + 4), /^GRU: hidden_size must be at most 268435456, got 4294967300$/);
  fails(() => new gl.nn.LSTM(3, 4, { numLayers: 1.5 }), /^LSTM: num_layers must be a positive integer, got 1.5$/);
  fails(() => new gl.nn.RNN(3, 4, { numLayers: 0 }), /^RNN: num_layers must be a positive integer, got 0$/);
});

test('manualSeed takes whole numbers 0 .. 2**53 - 1: 2**64 no longer equals seed 0', () => {
  fails(() => gl.manualSeed(2 ** 64), /^manualSeed: seed must be at most 9007199254740991, got 18446744073709552000$/);
  fails(() => gl.manualSeed(-1), /^manualSeed: seed must be a non-negative integer, got -1$/);
  fails(() => gl.manualSeed(0.5), /^manualSeed: seed must be a non-negative integer, got 0.5$/);
  gl.manualSeed(2 ** 53 - 1);
  const a = gl.randn([4]).toArray();
  gl.manualSeed(0);
  const b = gl.randn([4]).toArray();
  assert.notDeepEqual(a, b);
  gl.manualSeed(2 ** 53 - 1);
  assert.deepEqual(gl.randn([4]).toArray(), a);
  fails(() => new gl.tasks.AddingProblem({ T: 10, seed: 2 ** 64 }), /^AddingProblem: seed must be at most 9007199254740991/);
});

test('indices and dims are whole numbers in range: select, cat, narrow, transpose, softmax', () => {
  const x = gl.tensor([1, 2, 3, 4]);
  fails(() => x.narrow(0, 2 ** 63 - 1024, 1024), /^narrow: start must be at most 268435456, got 9223372036854775000$/);
  fails(() => x.narrow(0, 2, 2 ** 63), /^narrow: length must be at most 268435456/);
  fails(() => x.select(0, 1.5), /^select: index must be an integer, got 1.5$/);
  fails(() => x.select(0.5, 1), /^select: dim must be an integer, got 0.5$/);
  fails(() => gl.cat([x, x], 0.5), /^cat: dim must be an integer, got 0.5$/);
  fails(() => gl.cat([x, x], '0'), /^cat: dim must be an integer, got '0'$/);
  fails(() => gl.randn([2, 3]).transpose(0, 2 ** 32), /^transpose: dim1 must be at most 268435456/);
  fails(() => gl.randn([2, 3]).softmax(NaN), /^softmax: dim must be an integer, got NaN$/);
  assert.deepEqual(Array.from(x.narrow(0, 2, 2).toArray()), [3, 4]);
  assert.equal(x.select(0, -1).item(), 4);
  for (const v of [...HUGE, ...NOT_WHOLE]) {
    fails(() => x.select(0, v), (e) => e instanceof Error && /^select: index must be/.test(e.message), `select(0, ${String(v)})`);
  }
});

test('shapes: whole numbers, the product within the engine limit, the message names the call', () => {
  fails(() => gl.zeros([100000, 100000]), /^zeros: shape \(100000, 100000\) is too large \(limit 268435456 elements\)$/);
  fails(() => gl.ones([2 ** 32 + 4]), /^ones: shape\[0\] must be at most 268435456, got 4294967300$/);
  fails(() => gl.randn([2, 2.5]), /^randn: shape\[1\] must be a non-negative integer, got 2.5$/);
  fails(() => gl.full([2, '2'], 1), /^full: shape\[1\] must be a non-negative integer, got '2'$/);
  fails(() => gl.tensor([1, 2], [2 ** 64]), /^tensor: shape\[0\] must be at most/);
  fails(() => gl.randn([3, 4]).reshape(2 ** 32 + 4, -1), /^reshape: shape\[0\] must be at most 268435456/);
  fails(() => gl.randn([3, 4]).reshape(-2, 6), /^reshape: shape\[0\] must be an integer >= -1, got -2$/);
  assert.deepEqual(gl.randn([3, 4]).reshape(2, -1).shape, [2, 6]);
});

test('errors name the call the reader made: zeros not full, MultiheadAttention not Linear, Embedding not randn', () => {
  fails(() => gl.zeros([2 ** 20, 2 ** 20]), /^zeros: /);
  fails(() => new gl.nn.MultiheadAttention(2 ** 20, 2), /^MultiheadAttention: /);
  fails(() => new gl.nn.MultiheadAttention(2 ** 32 + 4, 2), /^MultiheadAttention: embed_dim must be at most 268435456, got 4294967300$/);
  fails(() => new gl.nn.Embedding(2 ** 20, 2 ** 20), /^Embedding: /);
  fails(() => new gl.nn.Embedding(2 ** 32 + 4, 2), /^Embedding: num_embeddings must be at most 268435456, got 4294967300$/);
  fails(() => new gl.nn.TransformerBlock(8, 2, { dimFeedforward: 2 ** 32 }), /^TransformerBlock: /);
  fails(() => gl.noGrad(5), { name: 'TypeError', message: 'noGrad: expected a function, got 5' });
  fails(() => gl.tidy(5), /^tidy: expected a function, got 5$/);
});

test('counts for analysis, tasks and training are whole numbers in range', () => {
  const W = gl.randn([3, 3]);
  fails(() => gl.analysis.powerNorms(W, 2 ** 31), /^analysis\.powerNorms: K /);
  fails(() => gl.analysis.powerNorms(W, 2.5), /^analysis\.powerNorms: K must be a positive integer, got 2.5$/);
  fails(() => gl.analysis.histogram(W, { bins: 2 ** 32 }), /^analysis\.histogram: bins /);
  fails(() => new gl.tasks.AddingProblem({ T: 2 ** 32 + 4 }), /^AddingProblem: T must be at most 268435456/);
  fails(() => new gl.tasks.CopyTask({ alphabet: 1 }), /^CopyTask: alphabet must be an integer >= 2, got 1$/);
  fails(() => new gl.tasks.AddingProblem({ T: 5 }).batch(NaN), /^AddingProblem\.batch: batchSize must be a positive integer, got NaN$/);
  fails(() => new gl.utils.EarlyStopping({ patience: 1.5 }), /^EarlyStopping: patience must be a non-negative integer, got 1.5$/);
  fails(() => new gl.utils.EarlyStopping().step(1, 2 ** 60), /^EarlyStopping\.step: at must be at most 9007199254740991/);
  fails(() => gl.nn.init.fillSlice(gl.zeros([8]), 2 ** 63 - 1024, 4, 1), /^fillSlice: start must be at most 268435456/);
  fails(() => gl.nn.functional.crossEntropy(gl.randn([2, 3]), [0, 1], { ignoreIndex: 0.5 }), /^crossEntropy: ignoreIndex must be an integer, got 0.5$/);
  fails(() => gl.experiments.run('adding-problem', {}, { every: 1.5 }), /^experiments\.run: every must be a positive integer, got 1.5$/);
});
