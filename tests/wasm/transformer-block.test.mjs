// gl.nn.TransformerBlock is the engine's block (nn::transformer_block, bound through Embind):
// it equals the block composed of gl's own modules and ops, in values and in gradients, for
// every switch; its fields are modules over the same parameters; its init and dropout draw
// from the RNG as the composition does (seeded results do not change); needWeights returns
// the attention weights per head; bad input names the call and the values.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { loadEngine } from './load-engine.mjs';

let gl;
before(async () => { gl = await loadEngine(); });

function assertAllClose(actual, expected, tol, what) {
  assert.equal(actual.length, expected.length, `${what}: length`);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]) / (1 + Math.abs(expected[i])));
  assert.ok(worst <= tol, `${what}: largest relative difference ${worst} > ${tol}`);
}

// The block as gl's modules compose it (what gl.nn.TransformerBlock was in JS before it became
// the engine's): the reference. Returns the output and the attention weights per head.
function blockByHand(block, x, { causal = false, keyPaddingMask = null } = {}) {
  let weights = null;
  const attend = (h) => {
    const [out, w] = block.attention.forward(h, h, h, { causal, keyPaddingMask, averageAttnWeights: false });
    weights = w;
    return block.dropout1.forward(out);
  };
  const feed = (h) => block.dropout2.forward(block.ffn.forward(h));
  const join = (h, f) => (block.residual ? h.add(f) : f);
  let h = block.batchFirst ? x : x.transpose(0, 1);
  if (block.normFirst) {
    h = join(h, attend(block.norm1.forward(h)));
    h = join(h, feed(block.norm2.forward(h)));
  } else {
    h = block.norm1.forward(join(h, attend(h)));
    h = block.norm2.forward(join(h, feed(h)));
  }
  return [block.batchFirst ? h : h.transpose(0, 1), weights];
}

// Output and the gradients of x and of every parameter for loss = Σ y·r.
function run(block, f, x0, r) {
  const x = x0.detach().requiresGrad_();
  block.zeroGrad();
  const y = f(x);
  y.mul(r).sum().backward();
  return { y: y.toArray(), dx: x.grad.toArray(), dp: block.parameters().map((p) => p.grad.toArray()) };
}

const SWITCHES = [
  { normFirst: false, residual: true }, { normFirst: true, residual: true },
  { normFirst: false, residual: false }, { normFirst: true, residual: false },
];

test('the engine block equals the composition of gl modules to 1e-6, values and gradients, for every switch, mask and activation', () => {
  const B = 3, T = 5, E = 16, H = 4;
  const padding = [[0, 0, 0, 1, 1], [0, 0, 0, 0, 0], [0, 1, 0, 0, 0]];
  let cases = 0;
  for (const activation of ['relu', 'gelu']) {
    gl.manualSeed(21);
    const block = new gl.nn.TransformerBlock(E, H, { activation, dimFeedforward: 24 });
    // LayerNorm γ, β and the zero biases away from their init, so every parameter matters
    gl.noGrad(() => block.parameters().forEach((p) => p.copy_(p.add(gl.randn(p.shape).mul(0.1)))));
    const x = gl.randn([B, T, E]);
    const r = gl.randn([B, T, E]);
    for (const switches of SWITCHES) {
      Object.assign(block, switches); // switched after construction: the engine reads them at each call
      for (const mask of [{}, { causal: true }, { keyPaddingMask: padding }]) {
        const what = `${activation} ${JSON.stringify(switches)} ${JSON.stringify(mask)}`;
        const got = run(block, (v) => block.forward(v, mask), x, r);
        const want = run(block, (v) => blockByHand(block, v, mask)[0], x, r);
        assertAllClose(got.y, want.y, 1e-6, `${what} output`);
        assertAllClose(got.dx, want.dx, 1e-6, `${what} dx`);
        got.dp.forEach((g, i) => assertAllClose(g, want.dp[i], 1e-6, `${what} d(parameter ${i})`));
        cases++;
      }
    }
  }
  assert.equal(cases, 24);
});

test('sequence first (batchFirst false) and dropout in training: the same values and the same RNG draws as the composition', () => {
  gl.manualSeed(22);
  const block = new gl.nn.TransformerBlock(8, 2, { batchFirst: false, normFirst: true, dropout: 0.2 });
  const x = gl.randn([6, 2, 8]); // (T, B, E), the article's layout
  const r = gl.randn([6, 2, 8]);
  gl.manualSeed(5);
  const got = run(block, (v) => block.forward(v, { causal: true }), x, r);
  const after = gl.randn([3]).toArray();
  gl.manualSeed(5);
  const want = run(block, (v) => blockByHand(block, v, { causal: true })[0], x, r);
  assertAllClose(got.y, want.y, 1e-6, 'output with dropout');
  assertAllClose(got.dx, want.dx, 1e-6, 'dx with dropout');
  assert.deepEqual(gl.randn([3]).toArray(), after, 'the RNG is where the composition leaves it');
  // eval: no dropout, forward is deterministic
  block.eval();
  const clean = block.forward(x).toArray();
  assert.ok(got.y.some((v, i) => Math.abs(v - clean[i]) > 1e-3), 'dropout is active in training');
  assert.equal(block.attention.training, false);
  assert.equal(block.dropout1.training, false);
  assert.deepEqual(block.forward(x).toArray(), block.forward(x).toArray());
  assertAllClose(block.forward(x).toArray(), blockByHand(block, x)[0].toArray(), 1e-6, 'eval');
  block.train();
  assert.notDeepEqual(block.forward(x).toArray(), block.forward(x).toArray());
  // each dropout follows its own module's mode, as the composition's did
  block.dropout1.eval();
  gl.manualSeed(6);
  const one = block.forward(x).toArray();
  gl.manualSeed(6);
  assertAllClose(one, blockByHand(block, x)[0].toArray(), 1e-6, 'dropout1 in eval, the rest in training');
});

test('init: the same RNG draws as building MultiheadAttention, LayerNorm, Linear(E, F), Linear(F, E) in that order', () => {
  for (const [E, H, o] of [[16, 4, {}], [8, 2, { dimFeedforward: 10, activation: 'gelu' }]]) {
    const F = o.dimFeedforward ?? 4 * E;
    gl.manualSeed(23);
    const block = new gl.nn.TransformerBlock(E, H, o);
    const next = gl.randn([2]).toArray();
    gl.manualSeed(23);
    const parts = [new gl.nn.MultiheadAttention(E, H), new gl.nn.LayerNorm(E), new gl.nn.Linear(E, F), new gl.nn.Linear(F, E), new gl.nn.LayerNorm(E)];
    const want = parts.flatMap((m) => m.parameters());
    assert.deepEqual(gl.randn([2]).toArray(), next);
    const got = block.parameters();
    assert.equal(got.length, 12);
    assert.deepEqual(got.map((p) => p.shape), want.map((p) => p.shape));
    got.forEach((p, i) => assert.deepEqual(p.toArray(), want[i].toArray(), `parameter ${i}`));
  }
});

test('the fields are modules over the block\'s own parameters: counts, optimiser steps and replaced parameters reach forward', () => {
  const E = 8, H = 2;
  gl.manualSeed(24);
  const block = new gl.nn.TransformerBlock(E, H);
  assert.ok(block.attention instanceof gl.nn.MultiheadAttention);
  assert.ok(block.norm1 instanceof gl.nn.LayerNorm && block.norm2 instanceof gl.nn.LayerNorm);
  assert.ok(block.ffn instanceof gl.nn.Sequential && block.ffn[0] instanceof gl.nn.Linear && block.ffn[1] instanceof gl.nn.ReLU);
  const ps = block.parameters();
  assert.deepEqual(ps, [...block.attention.parameters(), ...block.norm1.parameters(), ...block.ffn.parameters(), ...block.norm2.parameters()]);
  assert.equal(block.numParameters(), block.attention.numParameters() + block.norm1.numParameters() + block.ffn.numParameters() + block.norm2.numParameters());
  assert.equal(block.attention.numParameters(), 4 * E * E + 4 * E);
  assert.equal(new gl.nn.TransformerBlock(512, 8).numParameters(), 3152384); // article 000 §3.2, as PyTorch counts
  const x = gl.randn([2, 4, E]);
  // gradients from the engine block land on the fields' parameters
  block.forward(x).square().sum().backward();
  assert.ok(block.attention.inProjWeight.grad.abs().sum().item() > 0);
  assert.ok(block.ffn[2].bias.grad.abs().sum().item() > 0);
  // an optimiser step through block.parameters() changes what the block computes
  const before = block.forward(x).toArray();
  new gl.optim.SGD(block.parameters(), { lr: 0.1 }).step();
  const after = block.forward(x).toArray();
  assert.notDeepEqual(after, before);
  assertAllClose(after, blockByHand(block, x)[0].toArray(), 1e-6, 'after a step');
  // a parameter replaced in a field is the one the next forward uses
  block.norm2.bias = gl.full([E], 3);
  const shifted = block.forward(x).toArray();
  assertAllClose(shifted, blockByHand(block, x)[0].toArray(), 1e-6, 'replaced norm2.bias');
  assert.ok(Math.abs(shifted.reduce((a, b) => a + b) / shifted.length - 3) < 0.1, 'post-LN output mean is near norm2.bias');
  // a LayerNorm without a bias, and its eps, reach the engine too
  block.norm2.bias = null;
  block.norm2.eps = 0.5;
  assertAllClose(block.forward(x).toArray(), blockByHand(block, x)[0].toArray(), 1e-6, 'no norm2.bias, eps 0.5');
});

test('needWeights: [output, weights per head (B, H, T, T)], the weights the attention sublayer used', () => {
  const B = 2, T = 5, E = 8, H = 2;
  gl.manualSeed(25);
  const block = new gl.nn.TransformerBlock(E, H);
  const x = gl.randn([B, T, E]);
  for (const normFirst of [false, true]) {
    block.normFirst = normFirst;
    const [y, w] = block.forward(x, { needWeights: true, causal: true });
    assert.deepEqual(w.shape, [B, H, T, T]);
    assert.deepEqual(y.toArray(), block.forward(x, { causal: true }).toArray(), 'the output does not depend on needWeights');
    const [, want] = blockByHand(block, x, { causal: true });
    assertAllClose(w.toArray(), want.toArray(), 1e-6, `weights, normFirst ${normFirst}`);
    // the same as asking the attention field itself with the sublayer's input
    const h = normFirst ? block.norm1.forward(x) : x;
    const [, direct] = block.attention.forward(h, h, h, { needWeights: true, averageAttnWeights: false, causal: true });
    assertAllClose(w.toArray(), direct.toArray(), 1e-6, 'attention.forward');
    const v = w.toArray();
    for (let row = 0; row < B * H * T; row++) {
      const q = row % T;
      const p = v.slice(row * T, row * T + T);
      assert.ok(Math.abs(p.reduce((a, b) => a + b) - 1) < 1e-5, `row ${row} sums to 1`);
      assert.ok(p.slice(q + 1).every((e) => e === 0), `causal: query ${q} gives the future no weight`);
    }
    // head mean = MultiheadAttention's default averaged weights
    const [, avg] = block.attention.forward(h, h, h, { causal: true });
    assertAllClose(w.mean(1).toArray(), avg.toArray(), 1e-6, 'mean over heads');
  }
  // sequence first: weights stay (B, H, T, T)
  const seqFirst = new gl.nn.TransformerBlock(E, H, { batchFirst: false });
  const [y2, w2] = seqFirst.forward(gl.randn([T, B, E]), { needWeights: true });
  assert.deepEqual(y2.shape, [T, B, E]);
  assert.deepEqual(w2.shape, [B, H, T, T]);
  // the weights carry gradients back to the block's parameters
  const [, w3] = block.forward(x, { needWeights: true });
  block.zeroGrad();
  w3.select(1, 0).select(1, 0).select(1, 0).sum().backward();
  assert.ok(block.attention.inProjWeight.grad.abs().sum().item() > 0);
});

test('bad input names the call and the values, and the block keeps working', () => {
  gl.manualSeed(26);
  const block = new gl.nn.TransformerBlock(16, 4);
  const err = (fn, expected) => assert.throws(fn, expected);
  err(() => block.forward(gl.randn([5, 16])), { message: 'TransformerBlock: expected input (B, T, E), got (5, 16)' });
  err(() => block.forward(gl.randn([2, 5, 12])), { message: 'TransformerBlock: expected input (B, T, 16) (batch first, E = embed_dim), got (2, 5, 12)' });
  err(() => new gl.nn.TransformerBlock(16, 4, { batchFirst: false }).forward(gl.randn([5, 16])), { message: 'TransformerBlock: expected input (T, B, E), got (5, 16)' });
  err(() => block.forward('x'), { name: 'TypeError', message: "TransformerBlock: input must be a Tensor, got 'x'" });
  err(() => block.forward(gl.randn([2, 5, 16]), { needWeights: 1 }), /TransformerBlock: needWeights must be true or false, got 1/);
  err(() => block.forward(gl.randn([2, 5, 16]), { need_weights: true }), /TransformerBlock: unknown option 'need_weights' \(did you mean needWeights\?\)/);
  err(() => block.forward(gl.randn([2, 5, 16]), { keyPaddingMask: [[0, 1]] }), { message: 'TransformerBlock: expected key_padding_mask (B, T) = (2, 5), got (1, 2)' });
  err(() => new gl.nn.TransformerBlock(30, 4), { message: 'TransformerBlock: MultiheadAttention: embed_dim 30 is not divisible by num_heads 4' });
  err(() => new gl.nn.TransformerBlock(16, 4, { activation: 'tanh' }), { name: 'TypeError', message: "TransformerBlock: activation must be 'relu' or 'gelu', got 'tanh'" });
  err(() => new gl.nn.TransformerBlock(16, 4, { dropout: 1.5 }), { name: 'RangeError', message: 'TransformerBlock: dropout must be in [0, 1), got 1.5' });
  err(() => new gl.nn.TransformerBlock(16, 4, { dimFeedforward: 0 }), /TransformerBlock: dim_feedforward must be/);
  err(() => new gl.nn.TransformerBlock(16, 4, { norm_first: true }), /TransformerBlock: unknown option 'norm_first' \(did you mean normFirst\?\)/);
  err(() => new gl.nn.TransformerBlock('16', 4), /TransformerBlock: embed_dim must be a positive integer, got '16'/);
  block.residual = 'yes';
  err(() => block.forward(gl.randn([2, 5, 16])), /TransformerBlock: residual must be true or false, got 'yes'/);
  block.residual = true;
  // a parameter of the wrong shape, or an ffn the engine block cannot run, is named
  const w = block.ffn[2].weight;
  block.ffn[2].weight = gl.randn([16, 32]);
  err(() => block.forward(gl.randn([2, 5, 16])), { message: 'TransformerBlock: expected ffn[2].weight (16, 64), got (16, 32)' });
  block.ffn[2].weight = w;
  const outW = block.attention.outProj.weight;
  block.attention.outProj.weight = null;
  err(() => block.forward(gl.randn([2, 5, 16])), { message: 'TransformerBlock: expected attention.out_proj.weight (16, 16), got none' });
  block.attention.outProj.weight = outW;
  const act = block.ffn[1];
  block.ffn[1] = new gl.nn.Tanh();
  err(() => block.forward(gl.randn([2, 5, 16])), /TransformerBlock: expected ffn = Sequential\(Linear, ReLU or GELU\('tanh'\), Linear\), got 'Sequential\(/);
  block.ffn[1] = act;
  const b = block.norm1.bias;
  block.norm1.bias = [0, 1];
  err(() => block.forward(gl.randn([2, 5, 16])), { name: 'TypeError', message: 'TransformerBlock: norm1.bias must be a Tensor, got [0, 1]' });
  block.norm1.bias = b;
  // still usable
  assert.deepEqual(block.forward(gl.randn([2, 5, 16])).shape, [2, 5, 16]);
});
