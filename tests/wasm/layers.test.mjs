// gl.nn's attention and Transformer layers through the JS API: values, masks, layouts,
// train/eval, integer conventions, parameter counts, errors, and a model that learns.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { loadEngine } from './load-engine.mjs';

let gl;
before(async () => { gl = await loadEngine(); });

function assertAllClose(actual, expected, tol = 1e-5, what = '') {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) {
    assert.ok(Math.abs(actual[i] - expected[i]) <= tol * (1 + Math.abs(expected[i])), `${what}[${i}]: ${actual[i]} vs ${expected[i]}`);
  }
}
const rowSums = (t) => {
  const C = t.shape.at(-1), v = t.toArray(), out = [];
  for (let r = 0; r < v.length / C; r++) out.push(v.slice(r * C, (r + 1) * C).reduce((a, b) => a + b, 0));
  return out;
};

// attention written out with gl's generic ops, head by head: the reference for the fused layer
function mhaByHand(q, k, v, mha, { causal = false } = {}) {
  const E = mha.embedDim, H = mha.numHeads, d = E / H;
  const proj = (x, i) => x.matmul(mha.inProjWeight.narrow(0, i * E, E).t()).add(mha.inProjBias.narrow(0, i * E, E));
  const [Q, K, V] = [proj(q, 0), proj(k, 1), proj(v, 2)];
  const [Tq, Tk] = [q.shape[1], k.shape[1]];
  const future = gl.tensor(Array.from({ length: Tq * Tk }, (_, n) => (n % Tk > Math.floor(n / Tk) ? -1e9 : 0)), [Tq, Tk]);
  const heads = [];
  for (let h = 0; h < H; h++) {
    let S = Q.narrow(2, h * d, d).bmm(K.narrow(2, h * d, d).transpose(1, 2)).mul(1 / Math.sqrt(d));
    if (causal) S = S.add(future);
    heads.push(S.softmax(-1).bmm(V.narrow(2, h * d, d)));
  }
  return mha.outProj.forward(gl.cat(heads, 2));
}

test('softmax, logSoftmax, gelu, bmm, narrow, transpose(d0, d1) as functions and Tensor methods', () => {
  gl.manualSeed(1);
  const x = gl.randn([3, 4, 5]);
  rowSums(gl.nn.functional.softmax(x)).forEach((s) => assert.ok(Math.abs(s - 1) < 1e-6));
  assertAllClose(x.logSoftmax(1).exp().toArray(), x.softmax(1).toArray(), 1e-6, 'exp(logSoftmax)');
  const big = gl.tensor([[1000, 1000, -1000]]);
  assertAllClose(gl.softmax(big).toArray(), [0.5, 0.5, 0], 1e-7, 'softmax at huge logits');
  // torch.nn.functional.gelu at 1.0 with approximate='tanh' and 'none'
  assert.ok(Math.abs(gl.nn.functional.gelu(gl.tensor([1])).item() - 0.8411919906) < 1e-6);
  assert.ok(Math.abs(gl.tensor([1]).gelu({ approximate: 'none' }).item() - 0.8413447461) < 1e-6);
  const a = gl.tensor([...Array(24).keys()], [2, 3, 4]);
  assert.deepEqual(a.transpose(1, 2).shape, [2, 4, 3]);
  assert.deepEqual([...a.transpose(1, 2).select(0, 0).toArray()], [0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11]);
  assert.deepEqual(gl.transpose(a, 0, -1).shape, [4, 3, 2]);
  assert.deepEqual(gl.tensor([[1, 2], [3, 4]]).transpose().toArray(), new Float32Array([1, 3, 2, 4])); // still 2-D .t()
  assert.deepEqual([...a.narrow(2, 1, 2).select(0, 1).toArray()], [13, 14, 17, 18, 21, 22]);
  const y = a.bmm(a.transpose(1, 2));
  assert.deepEqual(y.shape, [2, 3, 3]);
  assertAllClose(y.select(0, 0).toArray(), a.select(0, 0).matmul(a.select(0, 0).t()).toArray(), 1e-6, 'bmm');
});

test('dropout keeps the mean, is seeded, and is the identity when not training', () => {
  const x = gl.ones([100000]);
  gl.manualSeed(3);
  const y = gl.nn.functional.dropout(x, 0.25);
  const v = y.toArray();
  const mean = v.reduce((s, e) => s + e, 0) / v.length;
  const dropped = v.filter((e) => e === 0).length / v.length;
  assert.ok(Math.abs(mean - 1) < 0.01, `mean ${mean}`);
  assert.ok(Math.abs(dropped - 0.25) < 0.01, `dropped ${dropped}`);
  assert.ok(v.every((e) => e === 0 || Math.abs(e - 1 / 0.75) < 1e-6));
  gl.manualSeed(3);
  assert.deepEqual(gl.nn.functional.dropout(x, 0.25).toArray(), v, 'same seed, same mask');
  assert.deepEqual(gl.nn.functional.dropout(x, 0.25, false).toArray(), x.toArray());
});

test('train() and eval() reach Dropout inside Sequential, MultiheadAttention and TransformerBlock', () => {
  gl.manualSeed(4);
  const seq = new gl.nn.Sequential(new gl.nn.Linear(8, 8), new gl.nn.Dropout(0.5), new gl.nn.ReLU());
  assert.equal(seq.training, true);
  const x = gl.randn([4, 8]);
  assert.notDeepEqual(seq.forward(x).toArray(), seq.forward(x).toArray());
  assert.equal(seq.eval(), seq);
  assert.equal(seq[1].training, false);
  assert.deepEqual(seq.forward(x).toArray(), seq.forward(x).toArray());
  seq.train();
  assert.equal(seq[1].training, true);

  const block = new gl.nn.TransformerBlock(8, 2, { dropout: 0.3 });
  const xs = gl.randn([2, 5, 8]);
  assert.notDeepEqual(block.forward(xs).toArray(), block.forward(xs).toArray());
  block.eval();
  assert.equal(block.attention.training, false);
  assert.equal(block.ffn.training, false);
  assert.equal(block.dropout2.training, false);
  assert.deepEqual(block.forward(xs).toArray(), block.forward(xs).toArray());
  // a user's own Module gets train()/eval() too, and passes them to its fields
  class Model extends gl.nn.Module {
    constructor() { super(); this.layers = [new gl.nn.Dropout(0.1), new gl.nn.Linear(2, 2)]; }
  }
  const m = new Model().eval();
  assert.equal(m.layers[0].training, false);
  assert.throws(() => m.train('yes'), /Model.train: mode must be true or false, got 'yes'/);
});

test('cross-entropy equals log-sum-exp minus the target logit; targets as arrays or tensors', () => {
  const rows = [[1, 2, 0.5, -1], [0, 0, 0, 0], [-2, 3, 1, 0.25]];
  const targets = [1, 3, 0];
  const byHand = rows.map((r, i) => Math.log(r.reduce((s, v) => s + Math.exp(v), 0)) - r[targets[i]]);
  const logits = gl.tensor(rows);
  const mean = byHand.reduce((a, b) => a + b) / 3;
  assert.ok(Math.abs(gl.nn.functional.crossEntropy(logits, targets).item() - mean) < 1e-6);
  assert.ok(Math.abs(gl.nn.functional.crossEntropy(logits, gl.tensor(targets)).item() - mean) < 1e-6);
  assert.ok(Math.abs(gl.nn.functional.crossEntropy(logits, Int32Array.from(targets)).item() - mean) < 1e-6);
  assertAllClose(gl.nn.functional.crossEntropy(logits, targets, { reduction: 'none' }).toArray(), byHand, 1e-6, 'none');
  // ignoreIndex: the middle row drops out of the mean and of the gradient
  const x = gl.tensor(rows, { requiresGrad: true });
  const loss = new gl.nn.CrossEntropyLoss({ ignoreIndex: -1 }).forward(x, [1, -1, 0]);
  assert.ok(Math.abs(loss.item() - (byHand[0] + byHand[2]) / 2) < 1e-6);
  loss.backward();
  assert.deepEqual([...x.grad.select(0, 1).toArray()], [0, 0, 0, 0]);
  // NLL on logSoftmax is the same loss
  const nll = new gl.nn.NLLLoss().forward(logits.logSoftmax(-1), targets);
  assert.ok(Math.abs(nll.item() - mean) < 1e-6);
});

test('BCE with logits is stable where sigmoid saturates', () => {
  const x = gl.tensor([200, -200, 0, 1.5]);
  const t = gl.tensor([0, 1, 1, 0]);
  const each = gl.nn.functional.bceWithLogits(x, t, { reduction: 'none' }).toArray();
  assertAllClose(each, [200, 200, Math.log(2), 1.5 + Math.log1p(Math.exp(-1.5))], 1e-6, 'bceWithLogits');
  const small = gl.tensor([0.3, -1.2]), st = gl.tensor([1, 0]);
  assert.ok(Math.abs(new gl.nn.BCEWithLogitsLoss().forward(small, st).item() - gl.nn.functional.bceLoss(small.sigmoid(), st).item()) < 1e-6);
});

test('LayerNorm normalises the last dim and has 2E parameters', () => {
  gl.manualSeed(5);
  const ln = new gl.nn.LayerNorm(16);
  assert.equal(ln.numParameters(), 32);
  assert.deepEqual([...ln.weight.toArray()], Array(16).fill(1));
  const y = ln.forward(gl.randn([3, 16]).mul(4).add(2)).toArray();
  for (let r = 0; r < 3; r++) {
    const row = y.slice(r * 16, (r + 1) * 16);
    const m = row.reduce((a, b) => a + b) / 16;
    const v = row.reduce((a, b) => a + (b - m) ** 2, 0) / 16;
    assert.ok(Math.abs(m) < 1e-5 && Math.abs(v - 1) < 1e-3, `row ${r}: mean ${m}, var ${v}`);
  }
  assert.equal(new gl.nn.LayerNorm([16], { elementwiseAffine: false }).numParameters(), 0);
});

test('Embedding looks rows up from ids given as a tensor or as nested arrays; positionalEncoding', () => {
  gl.manualSeed(6);
  const emb = new gl.nn.Embedding(10, 4);
  assert.equal(emb.numParameters(), 40);
  const a = emb.forward(gl.tensor([[3, 1], [9, 3]]));
  const b = emb.forward([[3, 1], [9, 3]]);
  assert.deepEqual(a.shape, [2, 2, 4]);
  assert.deepEqual(a.toArray(), b.toArray());
  assert.deepEqual([...a.select(0, 1).select(0, 0).toArray()], [...emb.weight.select(0, 9).toArray()]);
  a.sum().backward();
  assert.deepEqual([...emb.weight.grad.select(0, 3).toArray()], [2, 2, 2, 2]); // id 3 twice
  const pe = gl.nn.positionalEncoding(5, 4);
  assert.deepEqual(pe.shape, [5, 4]);
  assertAllClose(pe.select(0, 2).toArray(), [Math.sin(2), Math.cos(2), Math.sin(2 / 100), Math.cos(2 / 100)], 1e-6, 'PE[2]');
});

test('MultiheadAttention equals attention written out with bmm and softmax, in both layouts', () => {
  gl.manualSeed(7);
  const E = 12, H = 3, B = 2, L = 4, S = 6;
  const mha = new gl.nn.MultiheadAttention(E, H);
  assert.equal(mha.batchFirst, true);
  assert.equal(mha.numParameters(), 4 * E * E + 4 * E);
  assert.deepEqual(mha.parameters().map((p) => p.shape), [[3 * E, E], [3 * E], [E, E], [E]]);
  const q = gl.randn([B, L, E]), k = gl.randn([B, S, E]), v = gl.randn([B, S, E]);
  for (const causal of [false, true]) {
    const [out, weights] = mha.forward(q, k, v, { causal });
    assertAllClose(out.toArray(), mhaByHand(q, k, v, mha, { causal }).toArray(), 1e-5, `causal ${causal}`);
    assert.deepEqual(weights.shape, [B, L, S]);
    rowSums(weights).forEach((s) => assert.ok(Math.abs(s - 1) < 1e-6));
    if (causal) {
      const w = weights.toArray();
      for (let i = 0; i < B * L; i++) for (let j = (i % L) + 1; j < S; j++) assert.equal(w[i * S + j], 0, `future weight (${i}, ${j})`);
    }
  }
  // PyTorch's default layout (L, B, E): same numbers, transposed
  const seqFirst = Object.assign(Object.create(Object.getPrototypeOf(mha)), mha, { batchFirst: false });
  const [outT, wT] = seqFirst.forward(q.transpose(0, 1), k.transpose(0, 1), v.transpose(0, 1));
  assert.deepEqual(outT.shape, [L, B, E]);
  assertAllClose(outT.transpose(0, 1).toArray(), mha.forward(q, k, v)[0].toArray(), 1e-6, 'seq-first layout');
  assert.deepEqual(wT.shape, [B, L, S]);
  // self-attention shorthand, per-head weights, no weights
  const x = gl.randn([B, L, E]);
  assert.deepEqual(mha.forward(x)[0].toArray(), mha.forward(x, x, x)[0].toArray());
  assert.deepEqual(mha.forward(x, { averageAttnWeights: false })[1].shape, [B, H, L, L]);
  assert.equal(mha.forward(x, { needWeights: false })[1], null);
});

test('keyPaddingMask (booleans, 0/1 arrays or a tensor) gives padded keys zero weight', () => {
  gl.manualSeed(8);
  const mha = new gl.nn.MultiheadAttention(8, 2);
  const x = gl.randn([2, 4, 8]);
  const pad = [[false, false, true, true], [false, false, false, false]];
  const [, w] = mha.forward(x, { keyPaddingMask: pad });
  const [, w01] = mha.forward(x, { keyPaddingMask: [[0, 0, 1, 1], [0, 0, 0, 0]] });
  const [, wT] = mha.forward(x, { keyPaddingMask: gl.tensor([[0, 0, 1, 1], [0, 0, 0, 0]]) });
  assert.deepEqual(w.toArray(), w01.toArray());
  assert.deepEqual(w.toArray(), wT.toArray());
  const v = w.toArray();
  for (let i = 0; i < 4; i++) assert.ok(v[i * 4 + 2] === 0 && v[i * 4 + 3] === 0, `query ${i} of batch 0`);
  rowSums(w).forEach((s) => assert.ok(Math.abs(s - 1) < 1e-6));
  // the unpadded batch entry is unchanged by the other's mask
  assertAllClose(w.select(0, 1).toArray(), mha.forward(x)[1].select(0, 1).toArray(), 1e-6, 'batch 1');
});

test('TransformerBlock: PyTorch parameter count, post-LN/pre-LN/no-residual formulas, layouts', () => {
  gl.manualSeed(9);
  const E = 8, H = 2;
  const block = new gl.nn.TransformerBlock(E, H);
  const ffn = E * 4 * E + 4 * E + 4 * E * E + E;
  assert.equal(block.numParameters(), (4 * E * E + 4 * E) + 2 * 2 * E + ffn);
  assert.equal(block.ffn.length, 3);
  assert.ok(block.ffn[1] instanceof gl.nn.ReLU);
  assert.equal(new gl.nn.TransformerBlock(512, 8).numParameters(), 3152384); // article 000 §3.2
  const x = gl.randn([2, 5, E]);
  const attn = (h) => block.attention.forward(h, h, h)[0];
  const ffnOf = (h) => block.ffn.forward(h);
  const cases = [
    [{ normFirst: false, residual: true }, (h) => { h = block.norm1.forward(h.add(attn(h))); return block.norm2.forward(h.add(ffnOf(h))); }],
    [{ normFirst: true, residual: true }, (h) => { h = h.add(attn(block.norm1.forward(h))); return h.add(ffnOf(block.norm2.forward(h))); }],
    [{ normFirst: false, residual: false }, (h) => block.norm2.forward(ffnOf(block.norm1.forward(attn(h))))],
    [{ normFirst: true, residual: false }, (h) => ffnOf(block.norm2.forward(attn(block.norm1.forward(h))))],
  ];
  for (const [switches, formula] of cases) {
    Object.assign(block, switches);
    assertAllClose(block.forward(x).toArray(), formula(x).toArray(), 1e-5, JSON.stringify(switches));
  }
  const seqFirst = new gl.nn.TransformerBlock(E, H, { batchFirst: false });
  assert.deepEqual(seqFirst.forward(gl.randn([10, 3, E])).shape, [10, 3, E]); // the article's (seq, batch, embed)
  const gelu = new gl.nn.TransformerBlock(E, H, { activation: 'gelu', dimFeedforward: 16 });
  assert.ok(gelu.ffn[1] instanceof gl.nn.GELU);
  assert.equal(gelu.numParameters(), (4 * E * E + 4 * E) + 4 * E + (E * 16 + 16 + 16 * E + E));
});

test('TransformerBlock gradient with respect to its input matches finite differences, causal mask on', () => {
  gl.manualSeed(10);
  const block = new gl.nn.TransformerBlock(8, 2, { activation: 'gelu', normFirst: true });
  const x = gl.randn([2, 3, 8], { requiresGrad: true });
  const w = gl.randn([2, 3, 8]);
  const f = (input) => block.forward(input, { causal: true }).mul(w).sum();
  f(x).backward();
  const grad = x.grad.toArray();
  const base = x.toArray();
  for (const i of [0, 7, 20, 33, 47]) {
    const at = (delta) => { const v = base.slice(); v[i] += delta; return f(gl.tensor(v, [2, 3, 8])).item(); };
    const numeric = (at(1e-2) - at(-1e-2)) / 2e-2;
    assert.ok(Math.abs(numeric - grad[i]) < 3e-3 + 3e-2 * Math.abs(numeric), `dx[${i}]: ${grad[i]} vs ${numeric}`);
  }
  // causal: the loss at the first position does not depend on later positions
  const x2 = gl.randn([1, 4, 8], { requiresGrad: true });
  block.forward(x2, { causal: true }).select(1, 0).sum().backward();
  const g = x2.grad.toArray();
  assert.ok(g.slice(8).every((e) => e === 0), 'no gradient reaches the future');
  assert.ok(g.slice(0, 8).some((e) => e !== 0));
});

test('Sequential: indexing, iteration, parameters, forward', () => {
  gl.manualSeed(11);
  const seq = new gl.nn.Sequential(new gl.nn.Linear(4, 8), new gl.nn.GELU(), new gl.nn.Linear(8, 2), new gl.nn.Sigmoid());
  assert.equal(seq.length, 4);
  assert.equal([...seq].length, 4);
  assert.equal(seq.parameters().length, 4);
  assert.equal(seq.numParameters(), 4 * 8 + 8 + 8 * 2 + 2);
  const x = gl.randn([3, 4]);
  assert.deepEqual(seq.forward(x).toArray(), seq[2].forward(seq[0].forward(x).gelu()).sigmoid().toArray());
  assert.deepEqual(new gl.nn.Sequential([new gl.nn.Tanh()]).forward(x).toArray(), x.tanh().toArray());
  assert.match(String(seq), /\(1\): GELU\(approximate='tanh'\)/);
});

test('bad input names the layer and the values, and the module keeps working', () => {
  const err = (fn, re) => assert.throws(fn, re);
  err(() => new gl.nn.MultiheadAttention(30, 4), { name: 'Error', message: 'MultiheadAttention: embed_dim 30 is not divisible by num_heads 4' });
  err(() => new gl.nn.MultiheadAttention('16', 4), { name: 'TypeError', message: "MultiheadAttention: embed_dim must be a positive integer, got '16'" });
  err(() => new gl.nn.MultiheadAttention(16, 4, { dropout: 1.5 }), { name: 'RangeError', message: 'MultiheadAttention: dropout must be in [0, 1), got 1.5' });
  err(() => new gl.nn.MultiheadAttention(16, 4, { batch_first: true }), /MultiheadAttention: unknown option 'batch_first' \(did you mean batchFirst\?\); the options are dropout, bias, batchFirst/);
  const mha = new gl.nn.MultiheadAttention(16, 4);
  err(() => mha.forward(gl.randn([2, 5, 12])), { message: 'MultiheadAttention: expected query (B, T, 16) (batch first, E = embed_dim), got (2, 5, 12)' });
  err(() => mha.forward('x'), { name: 'TypeError', message: "MultiheadAttention: query must be a Tensor, got 'x'" });
  err(() => mha.forward(gl.randn([2, 5, 16]), { keyPaddingMask: [[0, 1]] }), /MultiheadAttention: expected key_padding_mask \(B, S\) = \(2, 5\), got \(1, 2\)/);
  err(() => mha.forward(gl.randn([2, 5, 16]), { causal: 1 }), /MultiheadAttention: causal must be true or false, got 1/);
  err(() => new gl.nn.Dropout(1.5), { name: 'RangeError', message: 'Dropout: p must be in [0, 1), got 1.5' });
  err(() => new gl.nn.Dropout('a'), /Dropout: p must be a number, got 'a'/);
  err(() => gl.nn.functional.dropout(gl.randn([2]), 1), /dropout: p must be in \[0, 1\), got 1/);
  const emb = new gl.nn.Embedding(50, 4);
  err(() => emb.forward([[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 57]]), { message: 'Embedding: index 57 out of range for 50 embeddings at position (2, 3)' });
  err(() => emb.forward([[1.5]]), /Embedding: index 1.5 at position \(0, 0\) is not a whole number/);
  err(() => emb.forward('abc'), /Embedding: input must be a Tensor or an array of integers, got 'abc'/);
  err(() => emb.forward([[1, 'a']]), /Embedding: input must hold numbers, got 'a'/);
  err(() => gl.nn.functional.crossEntropy(gl.randn([4, 5]), [0, 1, 7, 2]), { message: 'cross_entropy: target 7 out of range for 5 classes at position 2' });
  err(() => gl.nn.functional.crossEntropy(gl.randn([4, 5]), [0, 1, 2, 3], { reduction: 'avg' }), /crossEntropy: reduction must be 'mean', 'sum' or 'none', got 'avg'/);
  err(() => new gl.nn.CrossEntropyLoss({ ignoreIndex: 0.5 }), /CrossEntropyLoss: ignoreIndex must be an integer, got 0.5/);
  err(() => new gl.nn.LayerNorm(16).forward(gl.randn([4, 12])), { message: 'LayerNorm: expected input (*, 16), got (4, 12)' });
  err(() => new gl.nn.LayerNorm([2, 3]), /LayerNorm: only the last dim is normalised/);
  err(() => new gl.nn.TransformerBlock(16, 4, { activation: 'tanh' }), /TransformerBlock: activation must be 'relu' or 'gelu', got 'tanh'/);
  err(() => new gl.nn.TransformerBlock(16, 4).forward(gl.randn([5, 16])), /TransformerBlock: expected input \(B, T, E\), got \(5, 16\)/);
  err(() => new gl.nn.Sequential(new gl.nn.Linear(2, 2), 'relu'), /Sequential: module 1 must be a gl.nn.Module \(Linear, ReLU, ...\), got 'relu'/);
  err(() => new gl.nn.GELU({ approximate: 'fast' }), /GELU: approximate must be 'tanh' or 'none', got 'fast'/);
  err(() => gl.softmax(gl.randn([2, 3]), 2), /softmax: dim 2 is out of range for shape \(2, 3\)/);
  err(() => gl.randn([2, 3, 4]).bmm(gl.randn([2, 3, 4])), /bmm: inner sizes differ: \(2, 3, 4\) @ \(2, 3, 4\) \(4 != 3\)/);
  // still usable
  assert.deepEqual(mha.forward(gl.randn([2, 5, 16]))[0].shape, [2, 5, 16]);
});

// ---- a Transformer learns: reverse a sequence of tokens ------------------------------------
test('a one-block Transformer learns to reverse 6 tokens through the JS API (seed 7)', () => {
  const V = 8, T = 6, E = 32, H = 4, B = 32, STEPS = 300;
  gl.manualSeed(7);
  class Reverser extends gl.nn.Module {
    constructor() {
      super();
      this.embed = new gl.nn.Embedding(V, E);
      this.pe = gl.nn.positionalEncoding(T, E);
      this.block = new gl.nn.TransformerBlock(E, H);
      this.head = new gl.nn.Linear(E, V);
    }
    forward(ids) { return this.head.forward(this.block.forward(this.embed.forward(ids).add(this.pe))).reshape(-1, V); }
  }
  const model = new Reverser();
  const opt = new gl.optim.Adam(model.parameters(), { lr: 3e-3 });
  let seed = 2024; // a small LCG for the data, independent of the engine's RNG
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const batch = (n) => {
    const xs = Array.from({ length: n }, () => Array.from({ length: T }, () => Math.floor(rand() * V)));
    return [xs, xs.flatMap((row) => [...row].reverse())]; // ids as nested arrays, targets as a flat array
  };
  const t0 = Date.now();
  let first, last;
  for (let step = 0; step < STEPS; step++) {
    const [x, y] = batch(B);
    opt.zeroGrad();
    const loss = gl.nn.functional.crossEntropy(model.forward(x), y);
    loss.backward();
    opt.step();
    if (step === 0) first = loss.item();
    last = loss.item();
  }
  const [x, y] = batch(256);
  model.eval();
  const logits = gl.noGrad(() => model.forward(x)).toArray();
  let right = 0;
  for (let r = 0; r < y.length; r++) {
    const row = logits.slice(r * V, (r + 1) * V);
    right += row.indexOf(Math.max(...row)) === y[r];
  }
  const info = `loss ${first.toFixed(3)} -> ${last.toFixed(4)}, held-out accuracy ${(right / y.length).toFixed(3)}, ${Date.now() - t0} ms`;
  assert.ok(first > 1.8, info);
  assert.ok(last < 0.05, info);
  assert.ok(right / y.length > 0.99, info);
});
