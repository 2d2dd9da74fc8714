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
