// The chapter "From RNN to LSTM and GRU" (tutorials/*/07-rnn-lstm-gru.md): its experiment blocks
// run in Node as the lab runs them (web/tools/check-chapters.mjs: the page's cell globals, a fresh
// engine per block, the block's seed), with their defaults, and what they print must show the
// claim the text makes with the numbers it quotes. The settings the text suggests (try=…) are
// checked in chapter-suggestions.test.mjs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadChapters, printed, runBlock } from '../../web/tools/check-chapters.mjs';

const SLUG = 'rnn-lstm-gru';
const chapter = (lang) => loadChapters().find((c) => c.slug === SLUG && c.lang === lang);
const cellsOf = (lang) => Object.fromEntries(chapter(lang).cells.map((c) => [c.id, c]));
const cells = cellsOf('en');

async function run(id, knobs = {}, lang = 'en') {
  const block = cellsOf(lang)[id];
  const r = await runBlock(block, { knobs, timeoutMs: 120_000 });
  assert.equal(r.status, 'done', `#${id} ${JSON.stringify(knobs)}: ${r.status} ${r.error?.message ?? ''}`);
  const plots = {};
  for (const [title, p] of r.plots) plots[title] = Object.fromEntries((p.series ?? []).map((s) => [s.name, s.values]));
  return { lines: r.prints.map((p) => p.text), plots };
}
const line = (lines, start) => {
  const l = lines.find((x) => x.startsWith(start));
  assert.ok(l, `no line starting '${start}' in:\n${lines.join('\n')}`);
  return l;
};
const within = (v, lo, hi, what) => assert.ok(v >= lo && v <= hi, `${what}: ${v} is not in [${lo}, ${hi}]`);

test('the chapter has the same four experiments, ids and seeds in Korean and English', () => {
  const ids = (lang) => chapter(lang).cells.map((c) => `${c.id}@${c.seed}`);
  assert.deepEqual(ids('ko'), ids('en'));
  assert.deepEqual(ids('en'), ['bptt-numbers@5', 'init-depth@6', 'gate-switches@11', 'gru-vs-lstm@12']);
});

test('claim 1: three units, six steps: every factor diag(tanh\'(z_t)) W_hh printed, their product matches autograd to 1e-6 and keeps 0.158', async () => {
  const { lines, plots } = await run('bptt-numbers');
  const text = lines.join('\n');
  // Six factors and five intermediate products, each a printed 3 x 3 matrix.
  assert.equal((text.match(/^J_\d =$/gm) ?? []).length, 6, text);
  assert.equal((text.match(/^dh_6\/dh_\d =$/gm) ?? []).length, 6, text);
  // The text reads the third unit's slope at t = 6 off the printout.
  assert.match(line(lines, 't = 6:'), /tanh'\(z_6\) = \([\d.]+, [\d.]+, 0\.126\)/);
  within(printed(lines, 'autograd against the product: largest ||u^T P_t - dL/dh_t|| / ||dL/dh_t|| over t ='), 0, 1e-6, 'product against autograd');
  const kept = printed(lines, '||dh_6/dh_0|| =');
  within(kept, 0.155, 0.161, '||dh_6/dh_0||');
  const factors = plots['How much of the gradient at T reaches step t']['‖J_t‖ (one factor)'].slice(1);
  within(Math.min(...factors), 0.78, 0.80, 'smallest factor norm');
  within(Math.max(...factors), 1.02, 1.04, 'largest factor norm');
  // A product keeps less than the product of its factors' norms would allow.
  assert.ok(kept < factors.reduce((a, b) => a * b, 1), 'the factors shrink different directions');
});

test('claim 2: tanh over 20 layers: N(0, 0.01²) vanishes, N(0, 1) explodes the gradient, Xavier drifts slowly, Kaiming grows the gradient', async () => {
  const { lines } = await run('init-depth');
  const nums = (who) => {
    const l = line(lines, `${who}:`);
    const [a1, a20, g20, g1] = l.match(/-?\d+\.\d+e[-+]\d+/g).map(Number);
    return { a1, a20, g20, g1 };
  };
  const tiny = nums('N(0, 0.01²)'), big = nums('N(0, 1)'), xavier = nums('Xavier'), kaiming = nums('Kaiming');
  assert.ok(tiny.a20 < 1e-36 && tiny.g1 < 1e-34, line(lines, 'N(0, 0.01²):'));
  within(big.a1, 0.9, 0.95, 'N(0, 1) activations, layer 1');
  within(big.a20, 0.9, 0.95, 'N(0, 1) activations, layer 20');
  within(big.g1, 3e14, 2e15, 'N(0, 1) gradient at layer 1');
  within(xavier.a1, 0.38, 0.42, 'Xavier activations, layer 1');
  within(xavier.a20, 0.02, 0.03, 'Xavier activations, layer 20');
  within(xavier.g1, 0.07, 0.1, 'Xavier gradient, layer 1');
  within(kaiming.a1, 0.49, 0.53, 'Kaiming activations, layer 1');
  within(kaiming.a20, 0.29, 0.32, 'Kaiming activations, layer 20');
  within(kaiming.g1, 4.5, 6.5, 'Kaiming gradient, layer 1');
  for (const v of [tiny, big, xavier, kaiming]) within(v.g20, 0.95, 1.08, 'the gradient at the top has variance 1');
  // The per-layer table: layers 1, 2, 5, 10, 15, 20, a column per initialisation; Xavier's
  // activations fall at every listed layer, and slower and slower (no constant geometric rate).
  const table = line(lines, 'Var[a_l], layer by layer:').split('\n').slice(1);
  assert.deepEqual(table.map((r) => Number(r.match(/^l = +(\d+):/)[1])), [1, 2, 5, 10, 15, 20]);
  const xavierColumn = table.map((r) => Number(r.split(/\s+/).at(-2)));
  assert.equal(xavierColumn[0], xavier.a1);
  for (let k = 1; k < xavierColumn.length; k++) assert.ok(xavierColumn[k] < xavierColumn[k - 1], table.join('\n'));
  assert.ok(xavierColumn[5] / xavierColumn[3] > (xavierColumn[3] / xavierColumn[1]) ** (10 / 8), 'layers 10-20 lose less per layer than 2-10');
});

test('claim 3: with f = 1 and i = 0 the cell state and its gradient pass 1000 steps exactly unchanged', async () => {
  const { lines, plots } = await run('gate-switches');
  assert.equal(printed(lines, 'max |c_T - c_0| ='), 0, lines.join('\n'));
  assert.equal(printed(lines, '||dL/dc_0|| / ||dL/dc_T|| ='), 1, lines.join('\n'));
  const size = plots['Size of the cell state, ‖c_t‖ per sequence']['‖c_t‖'];
  assert.equal(size.length, 1001);
  within(size[0], 2.58, 2.59, '||c_0||');
  assert.ok(size.every((s) => s === size[0]), 'the cell state never moves');
  const grads = plots['Gradient on the cell state, ‖∂L/∂c_t‖']['‖∂L/∂c_t‖'];
  assert.ok(grads.every((g) => g === grads[1000]), 'neither does its gradient');
});

test('claim 4: GRU parameters are 3/4 of the LSTM\'s and equal PyTorch\'s formulas; at T = 20 the GRU solves the adding problem by step 180, the LSTM not in 300; each model\'s time per step is printed', async () => {
  const { lines, plots } = await run('gru-vs-lstm');
  assert.match(line(lines, 'LSTM:'), /^LSTM: 4608 parameters, 4\(H\(D\+H\)\+2H\) = 4608$/);
  assert.match(line(lines, 'GRU:'), /^GRU: {2}3456 parameters, 3\(H\(D\+H\)\+2H\) = 3456$/);
  assert.equal(printed(lines, 'GRU / LSTM ='), 0.75);
  const result = (who) => line(lines, `${who}: test MSE`);
  assert.match(result('GRU'), /below 0\.01 at step 180,/);
  assert.match(result('LSTM'), /below 0\.01 at step never,/);
  assert.ok(printed([result('LSTM')], 'test MSE =') > 0.02, result('LSTM'));
  // Each model's time per step is printed (measured, so not compared here: no timed assertions).
  for (const who of ['GRU', 'LSTM']) assert.ok(Number(result(who).match(/([\d.]+) ms per training step/)[1]) > 0, result(who));
  const curves = plots['Test MSE, T = 20'];
  assert.equal(curves.GRU.length, 15);
  assert.ok(curves.GRU[0] > 0.05, 'both start near the baseline');
});

test('the Korean chapter\'s code prints the same numbers as the English one', async () => {
  const numbers = (lines) => lines.join(' ').match(/-?\d+\.?\d*(e[-+]?\d+)?/g);
  for (const id of ['bptt-numbers', 'init-depth', 'gate-switches']) {
    const en = await run(id), ko = await run(id, {}, 'ko');
    assert.deepEqual(numbers(ko.lines), numbers(en.lines), id);
  }
});
