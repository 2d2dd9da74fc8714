// torch.nn.init in Python cells: in place on a parameter, on its .data, with PyTorch's
// distributions (bounds and spreads from the fans), gains, and the engine's seeded RNG.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { loadPython } from './python-harness.mjs';
import { runPy, pyError, assertClose } from './torch-nn-helpers.mjs';

let py;
before(async () => { py = await loadPython(); });

const stats = (v) => {
  const m = v.reduce((s, x) => s + x, 0) / v.length;
  return { mean: m, std: Math.sqrt(v.reduce((s, x) => s + (x - m) ** 2, 0) / v.length), max: Math.max(...v.map(Math.abs)) };
};

test('uniform and normal initialisers follow the fans: xavier and kaiming bounds and spreads', async () => {
  const [xu, xn, ku, kn, u, n] = await runPy(py, `
w = torch.empty(200, 100)
flat = lambda t: t.reshape(-1).tolist()
emit(flat(nn.init.xavier_uniform_(w)))
emit(flat(nn.init.xavier_normal_(w, gain=2.0)))
emit(flat(nn.init.kaiming_uniform_(w, nonlinearity='relu')))
emit(flat(nn.init.kaiming_normal_(w, mode='fan_out', nonlinearity='relu')))
emit(flat(nn.init.uniform_(w, -0.1, 0.3)))
emit(flat(nn.init.normal_(w, mean=1.0, std=0.5)))
`);
  const [fanIn, fanOut] = [100, 200];
  const xb = Math.sqrt(6 / (fanIn + fanOut));
  assert.ok(stats(xu).max <= xb && stats(xu).max > 0.95 * xb, 'xavier_uniform bound √(6/(in+out))');
  assertClose(stats(xn).std, 2 * Math.sqrt(2 / (fanIn + fanOut)), 0.05, 'xavier_normal std gain·√(2/(in+out))');
  const kb = Math.sqrt(2) * Math.sqrt(3 / fanIn);
  assert.ok(stats(ku).max <= kb && stats(ku).max > 0.95 * kb, 'kaiming_uniform bound gain·√(3/fan_in)');
  assertClose(stats(kn).std, Math.sqrt(2) / Math.sqrt(fanOut), 0.05, 'kaiming_normal std gain/√fan_out');
  assert.ok(Math.min(...u) >= -0.1 && Math.max(...u) <= 0.3);
  assertClose([stats(n).mean, stats(n).std], [1, 0.5], 0.03, 'normal_');
});

test('orthogonal_, eye_, constant_, zeros_, ones_ and calculate_gain', async () => {
  const [gram, eye, consts, gains] = await runPy(py, `
w = nn.init.orthogonal_(torch.empty(5, 5), gain=2.0)
emit((w @ w.T).tolist())
emit(nn.init.eye_(torch.empty(2, 3)).tolist())
emit([nn.init.constant_(torch.empty(2), 0.25).tolist(), nn.init.zeros_(torch.ones(2)).tolist(), nn.init.ones_(torch.zeros(2)).tolist()])
emit([nn.init.calculate_gain(n) for n in ('linear', 'sigmoid', 'tanh', 'relu')] + [nn.init.calculate_gain('leaky_relu', 0.2)])
`);
  const I4 = [0, 1, 2, 3, 4].map((i) => [0, 1, 2, 3, 4].map((j) => (i === j ? 4 : 0)));
  assertClose(gram, I4, 1e-5, 'W Wᵀ = gain² I');
  assert.deepEqual(eye, [[1, 0, 0], [0, 1, 0]]);
  assert.deepEqual(consts, [[0.25, 0.25], [0, 0], [1, 1]]);
  assertClose(gains, [1, 1, 5 / 3, Math.SQRT2, Math.sqrt(2 / (1 + 0.04))], 1e-6);
});

test('init writes the parameter itself, directly or through .data, and the layer computes with it', async () => {
  const [direct, viaData, seeded] = await runPy(py, `
rnn = nn.RNN(2, 3)
nn.init.zeros_(rnn.weight_ih_l0)
nn.init.zeros_(rnn.bias_ih_l0.data)
nn.init.zeros_(rnn.bias_hh_l0.data)
out, _ = rnn(torch.randn(4, 1, 2))
emit(out.pow(2).sum().item())            # no input, no bias: h stays 0
nn.init.constant_(rnn.bias_hh_l0.data, 0.5)
emit(rnn.bias_hh_l0.tolist())
torch.manual_seed(3); a = nn.init.normal_(torch.empty(4)).tolist()
torch.manual_seed(3); b = nn.init.normal_(torch.empty(4)).tolist()
emit(a == b)
`);
  assert.equal(direct, 0);
  assert.deepEqual(viaData, [0.5, 0.5, 0.5]);
  assert.equal(seeded, true);
});

test('init argument errors name the initialiser and the value', async () => {
  const e = await pyError(py, "nn.init.kaiming_uniform_(torch.empty(3, 3), mode='fan_middle')");
  assert.match(e.message, /kaiming/i);
  assert.match(e.message, /fan_middle/);
});

test("layers start from PyTorch's initial distributions", async () => {
  const [rnn, mha, emb] = await runPy(py, `
H = 64
out = []
for layer in (nn.RNN(10, H), nn.LSTM(10, H), nn.GRU(10, H), nn.RNNCell(10, H), nn.LSTMCell(10, H), nn.GRUCell(10, H)):
    values = [v for p in layer.parameters() for v in p.reshape(-1).tolist()]
    out.append([max(abs(v) for v in values), sum(values) / len(values)])
emit(out)
m = nn.MultiheadAttention(64, 4)
emit([max(abs(v) for v in m.in_proj_weight.reshape(-1).tolist()), m.in_proj_bias.pow(2).sum().item(),
      m.out_proj.bias.pow(2).sum().item(), max(abs(v) for v in m.out_proj.weight.reshape(-1).tolist())])
w = nn.Embedding(100, 50).weight.reshape(-1).tolist()
mean = sum(w) / len(w)
emit([mean, (sum((v - mean) ** 2 for v in w) / len(w)) ** 0.5])
`);
  const bound = 1 / Math.sqrt(64); // U(±1/√hidden) for every weight and bias of the recurrent layers
  for (const [max, mean] of rnn) {
    assert.ok(max <= bound && max > 0.95 * bound, `max |w| ${max} vs ${bound}`);
    assert.ok(Math.abs(mean) < 0.01, `mean ${mean}`);
  }
  const xavier = Math.sqrt(6 / (64 + 3 * 64)); // in_proj_weight (3E, E): xavier_uniform
  assert.ok(mha[0] <= xavier && mha[0] > 0.95 * xavier, `in_proj_weight max ${mha[0]} vs ${xavier}`);
  assert.deepEqual([mha[1], mha[2]], [0, 0], 'in_proj_bias and out_proj.bias start at 0');
  assert.ok(mha[3] <= 1 / Math.sqrt(64) && mha[3] > 0.9 / Math.sqrt(64), 'out_proj.weight: Linear init');
  assertClose(emb, [0, 1], 0.05, 'Embedding ~ N(0, 1)');
});
