// gl.analysis and gl.experiments over the built engine: the measurements against the JS API's
// own autograd, short versions of article 004's ten claims (the full ones run natively, in
// tests/engine/test_claims.cpp), the same numbers as gradlab-cli, progress rows and stopping,
// and errors that name the experiment, the parameter and the value.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadEngine } from './load-engine.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cli = path.join(root, 'build/native/gradlab-cli');

let gl;
before(async () => { gl = await loadEngine(); });

const relErr = (a, b) => Math.abs(a - b) / Math.abs(b);
const run = (name, params, o) => gl.experiments.run(name, params, o);
const series = (r, name, run) => r.series.find((s) => s.name === name && (run === undefined || s.run === run));

// ---- gl.analysis -------------------------------------------------------------------------------

test('stepGradNorms: per-step norms of a layer\'s ∂L/∂h_t (and ∂L/∂c_t), after backward', () => {
  gl.manualSeed(3);
  const lstm = new gl.nn.LSTM(2, 5, { forgetBias: 1 });
  const x = gl.randn([3, 6, 2]);
  const [out] = lstm.forward(x);
  out.select(1, 5).square().sum().backward();
  const { dh, dc } = gl.analysis.stepGradNorms(lstm);
  assert.equal(dh.length, 6);
  assert.equal(dc.length, 6);
  const g = lstm.stepGrads().dh;
  for (let t = 0; t < 6; t++) {
    const ref = Math.sqrt(g.select(1, t).square().sum().item());
    assert.ok(relErr(dh[t], ref) < 1e-5, `t=${t}: ${dh[t]} vs ${ref}`);
  }
  assert.deepEqual([...gl.analysis.stepGradNorms(g)], [...dh]); // a (B, T, F) tensor directly
  const gru = new gl.nn.GRU(2, 4);
  assert.throws(() => gl.analysis.stepGradNorms(gru), /GRU\.stepGrads: no backward has run through this layer yet/);
  assert.throws(() => gl.analysis.stepGradNorms(42), /analysis\.stepGradNorms: expected a recurrent layer/);
});

test('jacobianNorms of a gl.nn.RNN equals ∂h_T/∂h_0 from the JS autograd', () => {
  gl.manualSeed(4);
  const H = 5, T = 8;
  const rnn = new gl.nn.RNN(3, H);
  gl.nn.init.orthogonal(rnn.weight_hh_l0, { gain: 1.2 });
  const x = gl.randn([1, T, 3]).mul(0.5);
  const h0 = gl.randn([1, 1, H]).mul(0.3);
  const J = gl.analysis.jacobianNorms(rnn, x, { h0 });
  assert.equal(J.norms.length, T);
  assert.deepEqual(J.last.shape, [H, H]);
  // autograd: h0 repeated H times, backward from h_T seeded with the identity
  const rows = gl.cat(Array.from({ length: H }, () => h0), 1).detach().requiresGrad_(); // (1, H, H)
  const xs = gl.cat(Array.from({ length: H }, () => x), 0);                              // (H, T, 3)
  const [, hN] = rnn.forward(xs, rows);
  const eye = gl.zeros([H, H]);
  gl.nn.init.eye(eye);
  hN.backward(eye.reshape([1, H, H]));
  const ag = rows.grad.toArray();
  let worst = 0, scale = 0;
  for (let k = 0; k < H * H; k++) {
    worst = Math.max(worst, Math.abs(ag[k] - J.last.values[k]));
    scale = Math.max(scale, Math.abs(ag[k]));
  }
  assert.ok(scale > 0.05 && worst < 1e-4 * scale + 1e-6, `|analysis − autograd| = ${worst}, scale ${scale}`);
  // the raw form: W_hh and slopes
  const z = gl.analysis.preactivations(rnn, x, h0);
  assert.deepEqual(z.shape, [1, T, H]);
  const again = gl.analysis.jacobianNorms(rnn.weight_hh_l0, gl.analysis.slopes(z, 'tanh'));
  assert.deepEqual([...again.norms], [...J.norms]);
  assert.throws(() => gl.analysis.jacobianNorms(new gl.nn.RNN(3, H, { numLayers: 2 }), x), /expects a one-layer RNN, got numLayers 2/);
  assert.throws(() => gl.analysis.jacobianNorms(new gl.nn.LSTM(3, H), x), /expected a gl\.nn\.RNN, got LSTM/);
});

test('spectrum, powerNorms, SpectralTracker, saturation and histogram', () => {
  gl.manualSeed(5);
  const q = gl.zeros([16, 16]);
  gl.nn.init.orthogonal(q);
  const s = gl.analysis.spectrum(q);
  assert.ok(Math.abs(s.rho - 1) < 1e-5);
  assert.ok(s.singularValues.every((v) => Math.abs(v - 1) < 1e-5));
  assert.equal(s.eigReal.length, 16);
  assert.ok(gl.analysis.powerNorms(q, 20).every((v) => Math.abs(v - 1) < 1e-4));
  const tracker = new gl.analysis.SpectralTracker();
  tracker.record(0, q);
  tracker.record(10, q.mul(1.5));
  assert.deepEqual(tracker.steps, [0, 10]);
  assert.ok(Math.abs(tracker.rho[1] - 1.5) < 1e-4);

  const rnn = new gl.nn.RNN(4, 16);
  gl.nn.init.orthogonal(rnn.weight_hh_l0);
  const small = gl.analysis.saturation(rnn, gl.randn([8, 20, 4]).mul(0.001));
  const big = gl.analysis.saturation(rnn, gl.randn([8, 20, 4]).mul(10));
  assert.ok(Math.abs(small.rho - 1) < 1e-4);
  assert.ok(big.rhoEff < small.rhoEff, `ρ_eff ${big.rhoEff} (big inputs) vs ${small.rhoEff}`);
  assert.ok(big.saturatedFraction > small.saturatedFraction);
  assert.equal(big.z.counts.reduce((a, b) => a + b, 0), 8 * 20 * 16);
  const h = gl.analysis.histogram(gl.tensor([0, 1, 2, 3]), { bins: 2 });
  assert.deepEqual([...h.counts], [2, 2]);
  assert.throws(() => gl.analysis.saturation(rnn, gl.randn([8, 20, 4]), { binz: 3 }), /unknown option 'binz'/);
});

test('clip: by norm the cosine is 1 and the norm θ; by value the cosine drops', () => {
  gl.manualSeed(6);
  const lin = new gl.nn.Linear(8, 8);
  const loss = () => { lin.zeroGrad(); lin.forward(gl.randn([4, 8])).mul(10).square().sum().backward(); };
  loss();
  const n = gl.analysis.clip(lin, { mode: 'norm', threshold: 1 });
  assert.ok(n.normBefore > 1);
  assert.ok(Math.abs(n.normAfter - 1) < 1e-5);
  assert.ok(n.cosine > 1 - 1e-6);
  loss();
  const v = gl.analysis.clip(lin.parameters(), { mode: 'value', threshold: 0.5 });
  assert.ok(v.cosine < 0.999 && v.clippedFraction > 0);
  assert.throws(() => gl.analysis.clip(lin, { mode: 'max' }), /mode must be 'norm' or 'value', got 'max'/);
  assert.throws(() => gl.analysis.clip(lin, { threshold: -1 }), /threshold must be a finite number > 0, got -1/);
});

test('forgetGates are ∂c_t/∂c_{t-1}: cellStateJacobian (autograd) is diag(f_t)', () => {
  gl.manualSeed(7);
  const H = 4, T = 5;
  const lstm = new gl.nn.LSTM(3, H, { forgetBias: 1 });
  const x = gl.randn([2, T, 3]);
  const f = gl.analysis.forgetGates(lstm, x).toArray();
  const trace = gl.analysis.lstmTrace(lstm, x);
  const [out] = gl.noGrad(() => lstm.forward(x));
  const hs = trace.h.toArray(), o = out.toArray();
  for (let k = 0; k < o.length; k++) assert.ok(Math.abs(hs[k] - o[k]) < 1e-5);
  for (const t of [0, 2, T - 1]) {
    const J = gl.analysis.cellStateJacobian(lstm, x, t, { batchIndex: 1 });
    for (let i = 0; i < H; i++) for (let j = 0; j < H; j++) {
      const expected = i === j ? f[(1 * T + t) * H + i] : 0;
      assert.ok(Math.abs(J.values[i * H + j] - expected) < 1e-6, `t=${t} (${i}, ${j})`);
    }
  }
  assert.equal(lstm.weight_hh_l0.grad, null); // the analysis left the parameters alone
  assert.throws(() => gl.analysis.cellStateJacobian(lstm, x, T), /step t must be in \[0, 5\), got 5/);
});

// ---- gl.experiments: the claims, short ------------------------------------------------------------

test('experiments.list: every claim has an experiment with typed parameters and defaults', () => {
  const list = gl.experiments.list();
  const names = list.map((e) => e.name);
  for (const n of ['rho-power', 'tanh-saturation', 'relu-growth', 'spectral-drift', 'clipping', 'explosion',
    'orthogonal-init', 'adding-problem', 'lstm-cell-state', 'recipe']) assert.ok(names.includes(n), n);
  const rho = list.find((e) => e.name === 'rho-power');
  assert.deepEqual(rho.params.find((p) => p.name === 'rho'), { name: 'rho', type: 'float', default: 0.9, min: 0.01, max: 4, help: 'spectral radius of W_hh = ρ·Q' });
  assert.deepEqual(rho.params.find((p) => p.name === 'activation').choices, ['linear', 'tanh', 'relu']);
});

test('claim 1: ρ^100 in a linear RNN, 0.9 → 2.66e-5 and 1.1 → 1.38e4 within 1%', () => {
  for (const [rho, expected] of [[0.9, 2.66e-5], [1.1, 1.38e4]]) {
    const r = run('rho-power', { rho, T: 100 });
    assert.ok(relErr(r.scalars.jacobian_norm_T, expected) < 0.01, `ρ=${rho}: ${r.scalars.jacobian_norm_T}`);
    assert.ok(relErr(r.scalars.jacobian_norm_T_autograd, expected) < 0.01);
    assert.equal(series(r, '‖∂h_t/∂h_0‖').y.length, 100);
  }
});

test('claim 2: tanh at ρ = 1 vanishes once z grows (ρ_eff < 1)', () => {
  const r = run('tanh-saturation', { T: 50, H: 32, B: 8 });
  assert.ok(Math.abs(r.scalars.rho - 1) < 1e-4);
  assert.ok(r.scalars.rho_eff < 0.8, `ρ_eff ${r.scalars.rho_eff}`);
  assert.ok(r.scalars.jacobian_norm_T < 1e-4);
  assert.ok(series(r, 'ρ_eff', 'sweep').y[0] > 0.99);
  assert.equal(r.histograms.length, 2);
});

test('claim 3: ReLU grows ‖h_t‖ like ρ^t and keeps the gradient on active units', () => {
  const r = run('relu-growth', { rho: 1.1, T: 60 });
  assert.ok(relErr(r.scalars.relu_growth_rate, 1.1) < 0.01);
  assert.ok(Math.abs(r.scalars.relu_active_unit_gain - 1) < 1e-3);
  assert.ok(r.scalars.tanh_state_norm_max <= Math.sqrt(32));
});

test('claim 4: training moves ρ(W_hh) (spectral drift)', () => {
  const r = run('spectral-drift', { steps: 100, every: 10, T: 30, H: 16 });
  assert.ok(Math.abs(r.scalars.rho_initial - 1) < 1e-5);
  assert.ok(r.scalars.rho_max_drift > 0.05, `drift ${r.scalars.rho_max_drift}`);
  const grid = r.grids.find((g) => g.name === 'singular_values');
  assert.equal(grid.values.length, 11);
  assert.equal(grid.values[0].length, 16);
});

test('claim 5: clipping by norm keeps the direction, by value turns it', () => {
  const r = run('clipping', { theta: 1, clip_value: 0.1 });
  assert.ok(r.scalars.norm_before > 1);
  assert.ok(Math.abs(r.scalars.norm_clip_norm_after - 1) < 1e-5);
  assert.ok(r.scalars.norm_clip_cosine > 1 - 1e-6);
  assert.ok(r.scalars.value_clip_cosine < 0.99);
});

test('claim 6: without clipping the loss overflows at a named step; clipping + Adam stays finite', () => {
  const r = run('explosion', { steps: 20, T: 60 });
  assert.ok(Number.isInteger(r.scalars.unclipped_diverged_step), `diverged at ${r.scalars.unclipped_diverged_step}`);
  assert.equal(r.scalars.clipped_diverged_step, null); // NaN in the engine: never
  assert.equal(r.scalars.clipped_steps, 20);
  const lost = series(r, 'loss', 'no clipping').y;
  assert.equal(lost.at(-1), null); // the diverged loss, written as null
  assert.ok(series(r, 'loss', 'clipping + adam').y.every((v) => Number.isFinite(v)));
  assert.ok(r.notes.some((n) => n.includes(`step ${r.scalars.unclipped_diverged_step}`)));
});

test('claim 7: orthogonal init has all singular values 1; Gaussian spreads them', () => {
  const r = run('orthogonal-init', { H: 64 });
  assert.ok(r.scalars.orthogonal_max_abs_sigma_minus_1 < 1e-5);
  assert.ok(Math.abs(r.scalars.orthogonal_rho - 1) < 1e-5);
  assert.ok(r.scalars.gaussian_sigma_max / r.scalars.gaussian_sigma_min > 10);
});

test('claim 8 (short): adding problem T = 50 - the tanh RNN stays at 1/6, LSTM and IRNN solve it', () => {
  const r = run('adding-problem', { T: 50, steps: 1000, irnn_steps: 2000, eval_every: 100, grads_every: 100 });
  assert.ok(Math.abs(r.scalars.rnn_final_mse - 1 / 6) < 0.04, `rnn ${r.scalars.rnn_final_mse}`);
  assert.ok(r.scalars.lstm_final_mse < 0.01, `lstm ${r.scalars.lstm_final_mse}`);
  assert.ok(r.scalars.irnn_final_mse < 0.01, `irnn ${r.scalars.irnn_final_mse}`);
  assert.ok(Math.abs(r.scalars.irnn_lstm_param_ratio - 0.25) < 0.02);
  const grid = r.grids.find((g) => g.name === 'step_grad_norms' && g.run === 'lstm');
  assert.equal(grid.cols.length, 50);
});

test('claim 9: ∂c_t/∂c_{t-1} = f_t, analysis against autograd', () => {
  const r = run('lstm-cell-state');
  assert.ok(r.scalars.max_abs_diff < 1e-6, `${r.scalars.max_abs_diff}`);
  assert.equal(r.scalars.max_offdiag, 0);
});

test('claim 10 (short): the recipe solves the task, the same run with SGD does not', () => {
  const r = run('recipe', { T: 20, steps: 400, eval_every: 100 });
  assert.ok(r.scalars.recipe_final_mse < 0.01, `recipe ${r.scalars.recipe_final_mse}`);
  assert.ok(r.scalars.sgd_final_mse > 0.1, `sgd ${r.scalars.sgd_final_mse}`);
  assert.equal(new Set(r.series.filter((s) => s.name === 'eval_mse').map((s) => s.run)).size, 5);
});

// ---- running: the same numbers as the CLI, progress, stopping, the random stream, errors ---------

test('the browser engine gives the CLI\'s numbers', { skip: !fs.existsSync(cli) && 'no native build' }, () => {
  for (const [name, params] of [['rho-power', { rho: 1.1 }], ['lstm-cell-state', {}], ['spectral-drift', { steps: 40 }]]) {
    const args = ['run', name, '--json', ...Object.entries(params).flatMap(([k, v]) => ['--set', `${k}=${v}`])];
    const native = JSON.parse(execFileSync(cli, args, { encoding: 'utf8' }));
    const wasm = run(name, params);
    assert.deepEqual(Object.keys(wasm.scalars), Object.keys(native.scalars));
    for (const [k, v] of Object.entries(native.scalars)) {
      const w = wasm.scalars[k];
      const ok = v === w || (Math.abs(v - w) <= 1e-4 * Math.abs(v) + 1e-5); // float32 sums in another order
      assert.ok(ok, `${name}.${k}: native ${v}, wasm ${w}`);
    }
  }
});

test('onProgress: rows every N steps with the history so far; false stops the run', () => {
  const rows = [];
  const r = run('spectral-drift', { steps: 30, T: 10, H: 8 }, { every: 10, onProgress: (row) => { rows.push(row); } });
  assert.deepEqual(rows.map((row) => row.step), [10, 20, 30]);
  assert.equal(rows[0].total, 30);
  assert.ok(Number.isFinite(rows[0].values.loss) && Number.isFinite(rows[0].values.rho));
  assert.deepEqual(rows[2].history.rnn.step, [10, 20, 30]);
  assert.equal(rows[2].history.rnn.loss.length, 3);
  assert.equal(r.scalars.steps, 30);

  const stopped = run('adding-problem', { model: 'lstm', steps: 1000 }, { every: 5, onProgress: (row) => row.step < 10 });
  assert.equal(stopped.scalars.lstm_steps, 10);
  assert.ok(stopped.notes.some((n) => n.includes('stopped by the caller after step 10')));
});

test('an error thrown by onProgress stops the run and reaches the caller as it was; the engine stays usable', () => {
  class Mine extends Error {}
  assert.throws(() => run('spectral-drift', { steps: 50 }, { every: 5, onProgress: () => { throw new Mine('from the page'); } }),
    (e) => e instanceof Mine && e.message === 'from the page');
  assert.ok(run('rho-power', { T: 5 }).scalars.rho > 0);
});

test('an experiment leaves gl.manualSeed\'s stream alone and repeats itself exactly', () => {
  gl.manualSeed(9);
  gl.randn([2]);
  const expected = gl.randn([3]).toArray();
  gl.manualSeed(9);
  gl.randn([2]);
  const a = run('relu-growth', { T: 20 });
  assert.deepEqual(gl.randn([3]).toArray(), expected);
  const b = run('relu-growth', { T: 20 });
  delete a.timing;
  delete b.timing;
  assert.deepEqual(a, b);
});

test('bad input names the experiment, the parameter and the value', () => {
  assert.throws(() => run('rho-powr'), /unknown experiment 'rho-powr'; the experiments are rho-power, tanh-saturation/);
  assert.throws(() => run('rho-power', { rho: 'abc' }), /experiment 'rho-power': parameter 'rho' must be a number in \[0\.01, 4\], got 'abc'/);
  assert.throws(() => run('rho-power', { rho: 9 }), /experiment 'rho-power': parameter 'rho' must be a number in \[0\.01, 4\], got '9'/);
  assert.throws(() => run('rho-power', { rho: NaN }), /parameter 'rho' must be a number in \[0\.01, 4\], got 'NaN'/);
  assert.throws(() => run('adding-problem', { T: 2.5 }), /experiment 'adding-problem': parameter 'T' must be an integer in \[2, 1000\], got '2\.5'/);
  assert.throws(() => run('adding-problem', { model: 'gru' }), /parameter 'model' must be one of all, rnn, lstm, irnn, got 'gru'/);
  assert.throws(() => run('rho-power', { rhoo: 1 }), /experiment 'rho-power': unknown parameter 'rhoo' \(value '1'\)/);
  assert.throws(() => run('rho-power', { rho: [1, 2] }), (e) => e instanceof TypeError && /experiment 'rho-power': parameter 'rho' must be a number, a string or a boolean, got \[1, 2\]/.test(e.message));
  assert.throws(() => run(42), /the experiment name must be a string, got 42/);
  assert.throws(() => run('rho-power', {}, { onProgress: 3 }), /onProgress must be a function, got 3/);
  assert.throws(() => run('rho-power', {}, { every: 0 }), /every must be a positive integer, got 0/);
  assert.ok(run('rho-power', { T: 3 }).scalars.rho > 0); // still usable
});

test('the baseline engine (no SIMD) reproduces the claims too', async () => {
  const base = await loadEngine('baseline');
  const r = base.experiments.run('rho-power', { rho: 1.1 });
  assert.ok(relErr(r.scalars.jacobian_norm_T, 1.38e4) < 0.01);
  assert.ok(base.experiments.run('lstm-cell-state').scalars.max_abs_diff < 1e-6);
  const c = base.experiments.run('clipping');
  assert.ok(c.scalars.norm_clip_cosine > 1 - 1e-6 && c.scalars.value_clip_cosine < 0.99);
});
