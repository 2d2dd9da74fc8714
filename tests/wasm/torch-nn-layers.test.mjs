// torch.nn's layers and nn.functional in Python cells: PyTorch's defaults and shapes, values
// against gl's JS layers (same seed, same inputs) and against hand-computed PyTorch formulas,
// finite-difference checks of the gradients, and the errors a PyTorch user knows.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { loadPython } from './python-harness.mjs';
import { runPy, pyError, assertClose, FD, PRELUDE_LINES } from './torch-nn-helpers.mjs';

let py;
let gl;
before(async () => { py = await loadPython(); gl = py.gl; });

const flat = (a) => [a].flat(Infinity);

test('Linear: weight (out, in) and bias ~ U(±1/√in); y = x Wᵀ + b; gradients by hand', async () => {
  const [W, b, x, y, dW, db] = await runPy(py, `
lin = nn.Linear(30, 20)
x = torch.randn(4, 30)
y = lin(x)
y.sum().backward()
emit(lin.weight.tolist()); emit(lin.bias.tolist()); emit(x.tolist()); emit(y.tolist())
emit(lin.weight.grad.tolist()); emit(lin.bias.grad.tolist())
`, { seed: 3 });
  const bound = 1 / Math.sqrt(30);
  const w = flat(W);
  assert.ok(w.every((v) => Math.abs(v) <= bound) && Math.max(...w.map(Math.abs)) > 0.9 * bound, 'kaiming-uniform bound 1/sqrt(in)');
  assert.ok(b.every((v) => Math.abs(v) <= bound));
  const expected = x.map((row) => W.map((wr, o) => wr.reduce((s, v, i) => s + v * row[i], b[o])));
  assertClose(y, expected, 1e-5, 'x Wᵀ + b');
  const colSums = x[0].map((_, i) => x.reduce((s, row) => s + row[i], 0));
  assertClose(dW, W.map(() => colSums), 1e-5, 'dL/dW of sum(y)');
  assertClose(db, b.map(() => 4), 1e-6, 'dL/db');
});

test("a shape mistake in Linear raises PyTorch's RuntimeError wording", async () => {
  const e = await pyError(py, 'nn.Linear(10, 20)(torch.randn(32, 12))');
  assert.equal(e.name, 'RuntimeError');
  assert.match(e.message, /mat1 and mat2 shapes cannot be multiplied \(32x12 and 10x20\)/);
  assert.equal(e.line, PRELUDE_LINES + 1); // the reader's line
});

test('RNN, LSTM, GRU: batch_first=False by default: (T, B, D) in, (T, B, H) and (L, B, H) out; values and grads equal gl layers', async () => {
  for (const kind of ['RNN', 'LSTM', 'GRU']) {
    const gates = { RNN: 1, LSTM: 4, GRU: 3 }[kind];
    const [shapes, out, hN, x, grads] = await runPy(py, `
layer = nn.${kind}(3, 5, num_layers=2)
x = torch.randn(6, 2, 3)
out, state = layer(x)
h_n = state[0] if isinstance(state, tuple) else state
emit([list(p.shape) for p in layer.parameters()] + [list(out.shape), list(h_n.shape)])
emit(out.tolist()); emit(h_n.tolist()); emit(x.tolist())
(out ** 2).sum().backward()
emit([p.grad.tolist() for p in layer.parameters()])
`, { seed: 11 });
    const p = (rows, cols) => (cols === undefined ? [rows] : [rows, cols]);
    assert.deepEqual(shapes, [p(gates * 5, 3), p(gates * 5, 5), p(gates * 5), p(gates * 5), p(gates * 5, 5), p(gates * 5, 5), p(gates * 5), p(gates * 5), [6, 2, 5], [2, 2, 5]], kind);
    gl.manualSeed(11);
    const ref = new gl.nn[kind](3, 5, { numLayers: 2, batchFirst: false });
    const [o, s] = ref.forward(gl.tensor(x));
    assertClose(o.toArray(), flat(out), 1e-5, `${kind} output`);
    assertClose((kind === 'LSTM' ? s[0] : s).toArray(), flat(hN), 1e-5, `${kind} h_n`);
    o.square().sum().backward();
    ref.namedParameters().forEach(([name, t], i) => assertClose(t.grad.toArray(), flat(grads[i]), 1e-4, `${kind} ${name}.grad`));
  }
});

test('LSTM: (h_0, c_0) are used, returns (output, (h_n, c_n)); batch_first=True takes (B, T, D); unbatched (T, D) works', async () => {
  const [differs, bf, unbatched] = await runPy(py, `
lstm = nn.LSTM(4, 3)
x = torch.randn(5, 2, 4)
h0, c0 = torch.randn(1, 2, 3), torch.randn(1, 2, 3)
a, (h, c) = lstm(x)
b, _ = lstm(x, (h0, c0))
emit(not close(a, b))
lstm_bf = nn.LSTM(4, 3, batch_first=True)
out, (h, c) = lstm_bf(torch.randn(2, 5, 4))
emit([list(out.shape), list(h.shape), list(c.shape)])
out, (h, c) = lstm(x[:, 0, :])
full, _ = lstm(x)
emit([list(out.shape), list(h.shape), close(out, full[:, 0, :])])
`);
  assert.equal(differs, true);
  assert.deepEqual(bf, [[2, 5, 3], [1, 2, 3], [1, 2, 3]]);
  assert.deepEqual(unbatched, [[5, 3], [1, 3], true]);
  const e = await pyError(py, 'nn.LSTM(4, 3)(torch.randn(5, 2, 6))');
  assert.match(e.message, /input.size\(-1\) must be equal to input_size. Expected 4, got 6/);
});

test("init code that writes a parameter's .data (forget-gate bias) changes what the LSTM computes", async () => {
  const [bias, changed] = await runPy(py, `
H = 3
lstm = nn.LSTM(2, H)
x = torch.randn(4, 1, 2)
before, _ = lstm(x)
lstm.bias_hh_l0.data[H:2*H].fill_(1)
nn.init.zeros_(lstm.bias_ih_l0)
after, _ = lstm(x)
emit(lstm.bias_hh_l0.tolist()[H:2*H] + lstm.bias_ih_l0.tolist())
emit(not close(before, after))
`);
  assert.deepEqual(bias, [1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  assert.equal(changed, true);
});

test('RNNCell, LSTMCell, GRUCell: one step equals gl cells; LSTMCell returns (h, c)', async () => {
  for (const kind of ['RNN', 'LSTM', 'GRU']) {
    const [x, h, out] = await runPy(py, `
cell = nn.${kind}Cell(3, 4)
x, h = torch.randn(2, 3), torch.randn(2, 4)
state = (h, h) if '${kind}' == 'LSTM' else h
r = cell(x, state)
emit(x.tolist()); emit(h.tolist()); emit([t.tolist() for t in r] if isinstance(r, tuple) else [r.tolist()])
`, { seed: 5 });
    gl.manualSeed(5);
    const ref = new gl.nn[`${kind}Cell`](3, 4);
    const hh = gl.tensor(h);
    const r = ref.forward(gl.tensor(x), kind === 'LSTM' ? [hh, hh] : hh);
    const refs = kind === 'LSTM' ? r : [r];
    assert.equal(out.length, refs.length, kind);
    refs.forEach((t, i) => assertClose(t.toArray(), flat(out[i]), 1e-5, `${kind}Cell output ${i}`));
  }
});

test('MultiheadAttention: (L, N, E) by default, weights (N, L, S) averaged over heads, values equal gl', async () => {
  const [shapes, rowSums, q, k, out, noWeights, causalSame] = await runPy(py, `
mha = nn.MultiheadAttention(8, 2)
q, k = torch.randn(5, 3, 8), torch.randn(7, 3, 8)
out, w = mha(q, k, k)
emit([list(out.shape), list(w.shape), list(mha.in_proj_weight.shape), list(mha.out_proj.weight.shape)])
emit(w.sum(-1).reshape(-1).tolist())
emit(q.tolist()); emit(k.tolist()); emit(out.tolist())
emit(mha(q, k, k, need_weights=False)[1] is None)
mask = torch.tensor([[j > i for j in range(5)] for i in range(5)])
a, _ = mha(q, q, q, attn_mask=mask)
b, _ = mha(q, q, q, is_causal=True, attn_mask=mask)
emit(close(a, b))
`, { seed: 8 });
  assert.deepEqual(shapes, [[5, 3, 8], [3, 5, 7], [24, 8], [8, 8]]);
  assertClose(rowSums, rowSums.map(() => 1), 1e-5, 'attention rows sum to 1');
  gl.manualSeed(8);
  const ref = new gl.nn.MultiheadAttention(8, 2, { batchFirst: false });
  const kk = gl.tensor(k);
  assertClose(ref.forward(gl.tensor(q), kk, kk)[0].toArray(), flat(out), 1e-5, 'MHA output');
  assert.equal(noWeights, true);
  assert.equal(causalSame, true);
});

test('LayerNorm: each row to mean 0, variance 1 (biased), then weight and bias; equals F.layer_norm', async () => {
  const [means, vars, same, params] = await runPy(py, `
ln = nn.LayerNorm(6)
x = torch.randn(4, 6) * 3 + 2
y = ln(x)
emit(y.mean(-1).tolist())
emit(((y - y.mean(-1, keepdim=True)) ** 2).mean(-1).tolist())
emit(close(y, F.layer_norm(x, (6,), ln.weight, ln.bias)))
emit([ln.weight.tolist(), ln.bias.tolist()])
`);
  assertClose(means, [0, 0, 0, 0], 1e-5);
  assertClose(vars, [1, 1, 1, 1], 1e-3);
  assert.equal(same, true);
  assert.deepEqual(params, [[1, 1, 1, 1, 1, 1], [0, 0, 0, 0, 0, 0]]);
});

test('Embedding: int64 ids of any shape pick rows of weight; float ids are refused as PyTorch does', async () => {
  const [shape, rows, weight] = await runPy(py, `
emb = nn.Embedding(10, 3)
ids = torch.tensor([[1, 4], [4, 9]])
out = emb(ids)
emit(list(out.shape)); emit(out.tolist()); emit(emb.weight.tolist())
`);
  assert.deepEqual(shape, [2, 2, 3]);
  assert.deepEqual(rows, [[weight[1], weight[4]], [weight[4], weight[9]]]);
  const e = await pyError(py, 'nn.Embedding(10, 3)(torch.tensor([1.0, 2.0]))');
  assert.equal(e.name, 'RuntimeError');
  assert.match(e.message, /int64/);
});

test('activations and their modules equal the formulas (GELU exact by default, as PyTorch)', async () => {
  const [vals] = await runPy(py, `
x = torch.tensor([-2.0, -0.5, 0.0, 1.0, 3.0])
emit([F.relu(x).tolist(), nn.ReLU()(x).tolist(), torch.sigmoid(x).tolist(), nn.Sigmoid()(x).tolist(),
      F.tanh(x).tolist(), nn.Tanh()(x).tolist(), F.gelu(x).tolist(), nn.GELU()(x).tolist(),
      F.gelu(x, approximate='tanh').tolist(), F.softmax(x, dim=0).tolist(), nn.Softmax(dim=0)(x).tolist(),
      F.log_softmax(x, dim=0).tolist(), nn.Identity()(x).tolist()])
`);
  const x = [-2, -0.5, 0, 1, 3];
  const erf = (z) => { // Abramowitz-Stegun 7.1.26 is not exact enough: integrate instead
    let s = 0; const n = 2000;
    for (let i = 0; i < n; i++) { const t = (i + 0.5) * z / n; s += Math.exp(-t * t); }
    return 2 / Math.sqrt(Math.PI) * s * z / n;
  };
  const sig = x.map((v) => 1 / (1 + Math.exp(-v)));
  const geluExact = x.map((v) => 0.5 * v * (1 + erf(v / Math.SQRT2)));
  const geluTanh = x.map((v) => 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3))));
  const Z = x.reduce((s, v) => s + Math.exp(v), 0);
  const soft = x.map((v) => Math.exp(v) / Z);
  const expected = [x.map((v) => Math.max(v, 0)), x.map((v) => Math.max(v, 0)), sig, sig, x.map(Math.tanh), x.map(Math.tanh),
    geluExact, geluExact, geluTanh, soft, soft, soft.map(Math.log), x];
  expected.forEach((e, i) => assertClose(vals[i], e, 1e-5, `activation ${i}`));
});

test('Dropout(p): zeroes about p of the elements and scales the rest by 1/(1-p) in train mode', async () => {
  const [kept, scaled] = await runPy(py, `
d = nn.Dropout(0.25)
y = d(torch.ones(4000)).tolist()
emit(sum(1 for v in y if v != 0) / 4000)
emit(sorted(set(round(v, 5) for v in y)))
`);
  assert.ok(Math.abs(kept - 0.75) < 0.03, `kept ${kept}`);
  assert.deepEqual(scaled, [0, Math.round(1e5 / 0.75) / 1e5]);
});

test('losses equal their formulas: MSE (mean, sum, none), BCE, BCE with logits, cross-entropy, NLL, ignore_index', async () => {
  const [p, t, logits, cls, v] = await runPy(py, `
p = torch.tensor([0.9, 0.2, 0.6, 0.4])
t = torch.tensor([1.0, 0.0, 0.0, 1.0])
logits = torch.tensor([[1.0, 2.0, 0.5], [0.1, -1.0, 2.0], [0.3, 0.3, 0.3]])
cls = torch.tensor([1, 2, 0])
emit(p.tolist()); emit(t.tolist()); emit(logits.tolist()); emit(cls.tolist())
emit([nn.MSELoss()(p, t).item(), nn.MSELoss(reduction='sum')(p, t).item(), F.mse_loss(p, t, reduction='none').tolist(),
      nn.BCELoss()(p, t).item(), F.binary_cross_entropy(p, t, reduction='sum').item(),
      nn.BCEWithLogitsLoss()(p, t).item(), F.binary_cross_entropy_with_logits(p, t, reduction='none').tolist(),
      nn.CrossEntropyLoss()(logits, cls).item(), F.cross_entropy(logits, cls, reduction='sum').item(),
      nn.NLLLoss()(F.log_softmax(logits, dim=1), cls).item(),
      nn.CrossEntropyLoss(ignore_index=2)(logits, cls).item()])
`);
  const mse = p.map((x, i) => (x - t[i]) ** 2);
  const bce = p.map((x, i) => -(t[i] * Math.log(x) + (1 - t[i]) * Math.log(1 - x)));
  const bcel = p.map((x, i) => Math.max(x, 0) - x * t[i] + Math.log(1 + Math.exp(-Math.abs(x))));
  const ce = logits.map((row, i) => Math.log(row.reduce((s, z) => s + Math.exp(z), 0)) - row[cls[i]]);
  const mean = (a) => a.reduce((s, x) => s + x, 0) / a.length;
  const sum = (a) => a.reduce((s, x) => s + x, 0);
  assertClose(flat(v), [mean(mse), sum(mse), ...mse, mean(bce), sum(bce), mean(bcel), ...bcel, mean(ce), sum(ce), mean(ce), (ce[0] + ce[2]) / 2], 1e-5, 'losses');
});

test('loss argument errors: a Long target for BCE, a Float target for cross-entropy, mismatched sizes', async () => {
  let e = await pyError(py, 'nn.BCELoss()(torch.rand(4), torch.tensor([1, 0, 1, 0]))');
  assert.match(e.message, /float/i);
  e = await pyError(py, 'nn.CrossEntropyLoss()(torch.randn(3, 4), torch.tensor([1.0, 2.0, 0.0]))');
  assert.equal(e.name, 'RuntimeError');
  assert.match(e.message, /expected scalar type Long but found Float/);
  e = await pyError(py, 'nn.BCELoss()(torch.rand(4, 1), torch.rand(4))');
  assert.equal(e.name, 'ValueError');
  assert.match(e.message, /Using a target size \(torch.Size\(\[4\]\)\) that is different to the input size \(torch.Size\(\[4, 1\]\)\)/);
});

test('finite differences agree with autograd through every differentiable wrapper', async () => {
  const [worst] = await runPy(py, `${FD}
torch.manual_seed(2)
v = lambda *shape: (torch.randn(*shape) * 0.7).reshape(-1).tolist()
lin = nn.Linear(3, 2); ln = nn.LayerNorm(4); mha = nn.MultiheadAttention(4, 2)
rnn, lstm, gru = nn.RNN(2, 3), nn.LSTM(2, 3), nn.GRU(2, 3)
cells = [nn.RNNCell(2, 3), nn.LSTMCell(2, 3), nn.GRUCell(2, 3)]
emb = nn.Embedding(5, 3)
ids = torch.tensor([0, 3, 3])
cls = torch.tensor([1, 0])
target = torch.tensor([1.0, 0.0, 1.0])
checks = {
    'F.linear': (lambda x, w: F.linear(x, w).pow(2).sum(), [(v(2, 3), [2, 3]), (v(2, 3), [2, 3])]),
    'nn.Linear': (lambda x: lin(x).tanh().sum(), [(v(2, 3), [2, 3])]),
    'mse_loss sum': (lambda a, b: F.mse_loss(a, b, reduction='sum'), [(v(3), [3]), (v(3), [3])]),
    'mse_loss none': (lambda a, b: (F.mse_loss(a, b, reduction='none') * torch.tensor([1.0, 2.0, 3.0])).sum(), [(v(3), [3]), (v(3), [3])]),
    'binary_cross_entropy': (lambda z: F.binary_cross_entropy(torch.sigmoid(z), target, reduction='sum'), [(v(3), [3])]),
    'bce_with_logits': (lambda z: F.binary_cross_entropy_with_logits(z, target), [(v(3), [3])]),
    'cross_entropy': (lambda z: F.cross_entropy(z, cls), [(v(2, 3), [2, 3])]),
    'nll_loss': (lambda z: F.nll_loss(F.log_softmax(z, dim=1), cls, reduction='sum'), [(v(2, 3), [2, 3])]),
    'softmax': (lambda z: (F.softmax(z, dim=-1) * torch.tensor([1.0, -2.0, 3.0])).sum(), [(v(2, 3), [2, 3])]),
    'gelu': (lambda z: F.gelu(z).sum(), [(v(4), [4])]),
    'layer_norm': (lambda z: (ln(z) * torch.tensor([1.0, 2.0, -1.0, 0.5])).sum(), [(v(2, 4), [2, 4])]),
    'MultiheadAttention': (lambda q: mha(q, q, q)[0].pow(2).sum(), [(v(3, 1, 4), [3, 1, 4])]),
    'RNN': (lambda x: rnn(x)[0].pow(2).sum(), [(v(4, 1, 2), [4, 1, 2])]),
    'LSTM': (lambda x: lstm(x)[1][1].pow(2).sum(), [(v(4, 1, 2), [4, 1, 2])]),
    'GRU': (lambda x: gru(x)[0].pow(2).sum(), [(v(4, 1, 2), [4, 1, 2])]),
    'RNNCell': (lambda x, h: cells[0](x, h).pow(2).sum(), [(v(1, 2), [1, 2]), (v(1, 3), [1, 3])]),
    'LSTMCell': (lambda x, h: cells[1](x, (h, h))[1].pow(2).sum(), [(v(1, 2), [1, 2]), (v(1, 3), [1, 3])]),
    'GRUCell': (lambda x, h: cells[2](x, h).pow(2).sum(), [(v(1, 2), [1, 2]), (v(1, 3), [1, 3])]),
    'F.embedding': (lambda w: F.embedding(ids, w).pow(2).sum(), [(v(5, 3), [5, 3])]),
}
worst = {name: fd_check(name, f, inputs) for name, (f, inputs) in checks.items()}
emit(worst)
`);
  assert.equal(Object.keys(worst).length, 19);
});

test("cells compute PyTorch's documented equations (gate order i, f, g, o for LSTM; r, z, n for GRU)", async () => {
  const [rnn, lstm, gru] = await runPy(py, `
H = 3
x, h, c = torch.randn(2, 4), torch.randn(2, H), torch.randn(2, H)
def part(cell, k):   # gate k's rows of W_ih x + b_ih and of W_hh h + b_hh
    rows = slice(k * H, (k + 1) * H)
    return (x @ cell.weight_ih[rows].T + cell.bias_ih[rows], h @ cell.weight_hh[rows].T + cell.bias_hh[rows])
cell = nn.RNNCell(4, H)
a, b = part(cell, 0)
emit(close(cell(x, h), torch.tanh(a + b)))
cell = nn.LSTMCell(4, H)
(i1, i2), (f1, f2), (g1, g2), (o1, o2) = [part(cell, k) for k in range(4)]
i, f, g, o = torch.sigmoid(i1 + i2), torch.sigmoid(f1 + f2), torch.tanh(g1 + g2), torch.sigmoid(o1 + o2)
c_next = f * c + i * g
h_next, c_out = cell(x, (h, c))
emit([close(c_out, c_next), close(h_next, o * torch.tanh(c_next))])
cell = nn.GRUCell(4, H)
(r1, r2), (z1, z2), (n1, n2) = [part(cell, k) for k in range(3)]
r, z = torch.sigmoid(r1 + r2), torch.sigmoid(z1 + z2)
n = torch.tanh(n1 + r * n2)
emit(close(cell(x, h), (1 - z) * n + z * h))
`);
  assert.equal(rnn, true);
  assert.deepEqual(lstm, [true, true]);
  assert.equal(gru, true);
});

test('MultiheadAttention: key_padding_mask gives padded keys weight 0; unbatched (L, E) input; batch_first=True', async () => {
  const [padded, unbatched, bf] = await runPy(py, `
mha = nn.MultiheadAttention(8, 2)
x = torch.randn(4, 2, 8)
pad = torch.tensor([[False, False, True, True], [False, False, False, True]])
_, w = mha(x, x, x, key_padding_mask=pad)
emit([w[0, :, 2:].pow(2).sum().item(), w[1, :, 3].pow(2).sum().item(), close(w.sum(-1), torch.ones(2, 4))])
out1, w1 = mha(x[:, 0, :], x[:, 0, :], x[:, 0, :])
out, w = mha(x, x, x)
emit([list(out1.shape), list(w1.shape), close(out1, out[:, 0, :]), close(w1, w[0])])
mha_bf = nn.MultiheadAttention(8, 2, batch_first=True)
o, w = mha_bf(x.transpose(0, 1), x.transpose(0, 1), x.transpose(0, 1))
emit([list(o.shape), list(w.shape)])
`);
  assert.deepEqual(padded, [0, 0, true]);
  assert.deepEqual(unbatched, [[4, 8], [4, 4], true, true]);
  assert.deepEqual(bf, [[2, 4, 8], [2, 4, 4]]);
});

test('cross_entropy on (N, C, d) logits and (N, d) targets equals the flattened form; its gradient by finite differences', async () => {
  const [same, shape] = await runPy(py, `${FD}
x = torch.randn(2, 4, 3)
t = torch.tensor([[0, 3, 1], [2, 2, 0]])
flat = F.cross_entropy(x.permute(0, 2, 1).reshape(-1, 4), t.reshape(-1), reduction='sum')
emit(abs(F.cross_entropy(x, t, reduction='sum').item() - flat.item()) < 1e-5)
emit(list(F.cross_entropy(x, t, reduction='none').shape))
fd_check('cross_entropy (N, C, d)', lambda z: F.cross_entropy(z, t), [(x.reshape(-1).tolist(), [2, 4, 3])])
`);
  assert.equal(same, true);
  assert.deepEqual(shape, [2, 3]);
});

test("TransformerEncoderLayer: PyTorch's submodule names; post-LN and pre-LN outputs equal gl.nn.TransformerBlock with the same weights", async () => {
  for (const normFirst of [false, true]) {
    const [names, x, out, params, stacked] = await runPy(py, `
layer = nn.TransformerEncoderLayer(8, 2, dim_feedforward=16, dropout=0.0, norm_first=${normFirst ? 'True' : 'False'})
x = torch.randn(5, 3, 8)
emit([n for n, _ in layer.named_parameters()])
emit(x.tolist()); emit(layer(x).tolist())
emit({n: p.tolist() for n, p in layer.named_parameters()})
enc = nn.TransformerEncoder(layer, num_layers=2)
emit([len(enc.layers), enc.layers[0].linear1.weight is not layer.linear1.weight, list(enc(x).shape)])
`);
    assert.deepEqual(names, ['self_attn.in_proj_weight', 'self_attn.in_proj_bias', 'self_attn.out_proj.weight', 'self_attn.out_proj.bias',
      'linear1.weight', 'linear1.bias', 'linear2.weight', 'linear2.bias', 'norm1.weight', 'norm1.bias', 'norm2.weight', 'norm2.bias']);
    const block = new gl.nn.TransformerBlock(8, 2, { dimFeedforward: 16, batchFirst: false, normFirst });
    const t = (n) => gl.tensor(params[n]);
    Object.assign(block.attention, { inProjWeight: t('self_attn.in_proj_weight'), inProjBias: t('self_attn.in_proj_bias') });
    Object.assign(block.attention.outProj, { weight: t('self_attn.out_proj.weight'), bias: t('self_attn.out_proj.bias') });
    Object.assign(block.ffn[0], { weight: t('linear1.weight'), bias: t('linear1.bias') });
    Object.assign(block.ffn[2], { weight: t('linear2.weight'), bias: t('linear2.bias') });
    Object.assign(block.norm1, { weight: t('norm1.weight'), bias: t('norm1.bias') });
    Object.assign(block.norm2, { weight: t('norm2.weight'), bias: t('norm2.bias') });
    assertClose(block.forward(gl.tensor(x)).toArray(), flat(out), 1e-4, `normFirst ${normFirst}`);
    assert.deepEqual(stacked, [2, true, [5, 3, 8]]);
  }
});
