// The chapter "Backpropagation with every number in sight" (tutorials/*/09-backprop.md): its
// experiment blocks run in Node the way the lab runs them (web/tools/check-chapters.mjs: a fresh
// engine per block, the block's seed), with their defaults and with other knob values, and what
// they print must still show the claim the text makes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadChapters, printed, runBlock } from '../../web/tools/check-chapters.mjs';

const SLUG = 'backprop';
const chapter = (lang) => loadChapters().find((c) => c.slug === SLUG && c.lang === lang);
const cells = Object.fromEntries(chapter('en').cells.map((c) => [c.id, c]));

async function run(id, knobs = {}) {
  const r = await runBlock(cells[id], { knobs, timeoutMs: 60_000 });
  assert.equal(r.status, 'done', `#${id} ${JSON.stringify(knobs)}: ${r.status} ${r.error?.message ?? ''}`);
  assert.ok(r.ms < 5000, `#${id} took ${r.ms} ms`);
  return { r, lines: r.prints.map((p) => p.text) };
}
const line = (lines, start) => {
  const l = lines.find((x) => x.startsWith(start));
  assert.ok(l, `no line starting '${start}' in:\n${lines.join('\n')}`);
  return l;
};
/**
 * A quantity #chain-rule prints: its line 'name = rule', then '  by hand  a  b' and the engine's
 * '  gl …' or '  autograd …' (two numbers a line, continued on lines with no label).
 * Returns [by hand, engine's] (the second missing for a quantity printed by hand only).
 */
function quantity(lines, name) {
  const at = lines.findIndex((l) => l.startsWith(`${name} = `));
  assert.ok(at >= 0, `no line '${name} = …' in:\n${lines.join('\n')}`);
  const out = [];
  for (const l of lines.slice(at + 1)) {
    if (!l.startsWith('  ')) break;
    if (l.slice(2, 11).trim() !== '') out.push([]);
    out[out.length - 1].push(...l.slice(11).trim().split(/\s+/).map(Number));
  }
  return out;
}
const near = (a, b, tol, what) => assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} is not within ${tol} of ${b}`);

test('the chapter has the same experiments, with the same seeds, in Korean and English; claims 1-3 first', () => {
  const ids = (lang) => chapter(lang).cells.map((c) => `${c.id}@${c.seed}`);
  assert.deepEqual(ids('ko'), ids('en'));
  // Claims 4-6 (another file's tests) follow these four.
  assert.deepEqual(ids('en').slice(0, 4), ['chain-rule@1', 'wq-gradient@1', 'p-minus-y@1', 'no-sigma-prime@1']);
});

/** Recomputes the two-layer network of #chain-rule in float64, independently of the cell. */
function reference({ x1, x2, w11, v1, y }) {
  const x = [x1, x2], W1 = [[w11, -0.4], [0.3, 0.6]], b1 = [0.1, -0.2], W2 = [v1, -1], b2 = 0.05;
  const h = W1.map((row, j) => 1 / (1 + Math.exp(-(row[0] * x[0] + row[1] * x[1] + b1[j]))));
  const yHat = W2[0] * h[0] + W2[1] * h[1] + b2;
  const dz = h.map((hj, j) => (yHat - y) * W2[j] * hj * (1 - hj));
  return { L: 0.5 * (yHat - y) ** 2, yHat, dW2: h.map((hj) => (yHat - y) * hj), dW1: dz.flatMap((g) => x.map((xk) => g * xk)), dz };
}

test('claim 1: every gradient of the two-layer network by hand equals autograd (defaults and other knobs)', async () => {
  const settings = [
    [{}, { x1: 1, x2: -0.5, w11: 0.8, v1: 1.5, y: 1 }],
    [{ 'x₁': -1.3, 'x₂': 1.7, 'W1[0][0]': -1.2, 'W2[0]': 2, 'y (target)': -1.5 }, { x1: -1.3, x2: 1.7, w11: -1.2, v1: 2, y: -1.5 }],
  ];
  for (const [knobs, values] of settings) {
    const { lines } = await run('chain-rule', knobs);
    const ref = reference(values);
    const rows = ['z', 'h', 'ŷ', 'L', 'dL/dŷ', 'dL/dW2', 'dL/db2', 'dL/dh', 'dL/dz', 'dL/dW1', 'dL/db1'];
    for (const name of rows) {
      const [mine, auto] = quantity(lines, name);
      assert.ok(mine.length > 0 && mine.length === auto.length, `${name}: ${mine} / ${auto}`);
      mine.forEach((v, i) => near(v, auto[i], 2e-5, `${name}[${i}] by hand against the engine (5 decimals printed)`));
    }
    near(quantity(lines, 'L')[0][0], ref.L, 1e-5, 'L');
    near(quantity(lines, 'dL/dŷ')[0][0], ref.yHat - values.y, 1e-5, 'dL/dŷ');
    quantity(lines, 'dL/dW2')[1].forEach((v, i) => near(v, ref.dW2[i], 1e-5, `dL/dW2[${i}]`));
    quantity(lines, 'dL/dz')[1].forEach((v, i) => near(v, ref.dz[i], 1e-5, `dL/dz[${i}]`));
    assert.equal(quantity(lines, 'dL/dW1')[1].length, 4);
    quantity(lines, 'dL/dW1')[1].forEach((v, i) => near(v, ref.dW1[i], 1e-5, `dL/dW1[${i}]`));
    const worst = printed(lines, 'max |by hand − autograd| =');
    assert.ok(worst < 1e-6, `max difference ${worst}`);
    assert.ok(Math.max(...quantity(lines, 'dL/dW1')[1].map(Math.abs)) > 1e-3, 'the gradients are not all zero');
  }
  // The numbers the text quotes.
  const { lines } = await run('chain-rule');
  near(quantity(lines, 'L')[0][0], 0.03775, 5e-6, 'L');
  near(quantity(lines, 'dL/dŷ')[0][0], -0.27478, 5e-6, 'dL/dŷ');
  assert.deepEqual(quantity(lines, 'dh/dz'), [[0.18737, 0.24752]]);
  assert.ok(printed(lines, 'max |by hand − autograd| =') < 1e-7);
});

test('claim 2: dL/dW = X^T dL/dP for W_Q, W_K and W_V, and dL/dP by hand through softmax agrees to 1e-6', async () => {
  for (const matrix of ['W_Q', 'W_K', 'W_V']) {
    const { r, lines } = await run('wq-gradient', { matrix });
    for (const name of ['W_Q', 'W_K', 'W_V']) {
      assert.ok(printed(lines, `${name}: max |X^T dL/d${name.slice(2)} − autograd| =`) <= 1e-6, `${name}, formula with autograd's dL/dP`);
      assert.ok(printed(lines, `with dL/d${name.slice(2)} by hand:`) <= 1e-6, `${name}, dL/dP by hand`);
    }
    const formula = r.plots.get(`X^T dL/d${matrix.slice(2)}`).z.flat();
    const auto = r.plots.get(`dL/d${matrix} by autograd`).z.flat();
    assert.equal(formula.length, 16);
    formula.forEach((v, i) => near(v, auto[i], 1e-6, `${matrix}[${i}]`));
    assert.ok(Math.max(...auto.map(Math.abs)) > 0.05, `${matrix}: the gradient is not all zeros`);
  }
  // The text's numbers: exactly 0 with autograd's dL/dQ, 9e-8 and 6e-8 by hand for W_Q and W_K.
  const { lines } = await run('wq-gradient');
  assert.equal(printed(lines, 'W_Q: max |X^T dL/dQ − autograd| ='), 0);
  assert.ok(printed(lines, 'with dL/dQ by hand:') < 1e-7);
  assert.ok(printed(lines, 'with dL/dK by hand:') < 1e-7);
});

/** The rows #p-minus-y prints ('example i (label c)', '  autograd …', '  (P − Y)/B …'): [[autograd, (P − Y)/B], …]. */
function gradientRows(lines) {
  const values = (l) => l.slice(12).trim().split(/\s+/).map(Number);
  const rows = [];
  lines.forEach((l, i) => {
    if (!l.startsWith('example ')) return;
    assert.ok(lines[i + 1].startsWith('  autograd') && lines[i + 2].startsWith('  (P − Y)/B'), lines.slice(i, i + 3).join('\n'));
    rows.push([values(lines[i + 1]), values(lines[i + 2])]);
  });
  return rows;
}

test('claim 3: the gradient of mean cross-entropy over softmax is (P − Y)/B', async () => {
  const texts = [
    undefined, // the default batch
    '3 -1 0 2 : 3\n0 0 0 0 : 0\n-4 4 1 0.5 : 0\n1 2 3 4 : 2\n10 -10 0 0 : 1',
  ];
  for (const text of texts) {
    const { lines } = await run('p-minus-y', text === undefined ? {} : { 'logits : label': text });
    assert.ok(printed(lines, 'max |autograd − (P − Y)/B| =') <= 1e-6);
    const rows = gradientRows(lines);
    assert.equal(rows.length, text === undefined ? 4 : 5);
    for (const [i, [auto, formula]] of rows.entries()) {
      auto.forEach((v, k) => near(v, formula[k], 1e-4, `row ${i}, class ${k}`));
      near(auto.reduce((a, b) => a + b, 0), 0, 3e-4, `row ${i} sums to zero`);
      assert.equal(auto.filter((v) => v < 0).length <= 1, true, `row ${i}: only the label's entry is negative`);
    }
  }
  const { lines } = await run('p-minus-y');
  const rows = gradientRows(lines);
  assert.deepEqual(rows[3][0], [0.0833, -0.1667, 0.0833], 'equal logits: (1/3 − Y)/4');
  const size = rows.map(([a]) => Math.max(...a.map(Math.abs)));
  assert.equal(size.indexOf(Math.max(...size)), 1, 'example 1 is the most wrong and has the largest row');
});

test('claim 3: a malformed logits line says which line and what to write', async () => {
  const r = await runBlock(cells['p-minus-y'], { knobs: { 'logits : label': '1 2 3 : 0\n1 2 x : 1' } });
  assert.equal(r.status, 'failed');
  assert.match(r.error.message, /line 2/);
});

test('claim 3: cross-entropy keeps a gradient of about −1 where MSE on a sigmoid carries σ′ and vanishes', async () => {
  const { r, lines } = await run('no-sigma-prime');
  const ce = printed(lines, 'cross-entropy: dL/dz =');
  const mse = printed(lines, 'MSE on σ(z): dL/dz =');
  near(ce, -0.9975, 1e-4, 'cross-entropy at z = −6');
  near(mse, -4.921e-3, 1e-6, 'MSE at z = −6');
  assert.ok(ce / mse > 200, `ratio ${ce / mse}`);
  assert.match(line(lines, 'cross-entropy:'), /p > 0\.5 at step 7$/);
  assert.match(line(lines, 'MSE on σ(z):'), /p > 0\.5 at step never \(200 steps\)$/);
  near(printed(lines, "σ'(z) ="), 2.467e-3, 1e-6, "σ'(−6)");
  const plot = r.plots.get('How hard each loss pushes the logit (label 1)');
  const s = Object.fromEntries(plot.series.map((x) => [x.name, x.values]));
  const ceCurve = s['|dL/dz|, cross-entropy'], mseCurve = s['|dL/dz|, MSE on σ(z)'];
  assert.equal(plot.x[0], -10);
  assert.ok(ceCurve[0] > 0.99 && mseCurve[0] < 1e-3, `at z = −10: CE ${ceCurve[0]}, MSE ${mseCurve[0]}`);
  // The σ′ factor, exactly: MSE's |dL/dz| = 2 |p − 1| σ′(z) = 2 |dL/dz of CE| σ′(z).
  plot.x.forEach((z, i) => {
    const p = 1 / (1 + Math.exp(-z));
    near(mseCurve[i], 2 * ceCurve[i] * p * (1 - p), 1e-5 + 1e-4 * mseCurve[i], `z = ${z}`);
  });
});
