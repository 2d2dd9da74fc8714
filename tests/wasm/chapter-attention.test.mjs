// The chapter "Attention: why divide by √d_k, positional encoding, the Transformer block"
// (tutorials/*/04-attention.md, article 000 §3): its experiment blocks run in Node the way the
// lab runs them (web/tools/check-chapters.mjs: the page's cell globals, a fresh engine per
// block, the block's seed), and what they print must still show the claim the text makes, with
// the numbers the text quotes. Changing the engine so that a claim stops holding fails here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadChapters, printed, runBlock } from '../../web/tools/check-chapters.mjs';

const SLUG = 'attention';
const chapter = (lang) => loadChapters().find((c) => c.slug === SLUG && c.lang === lang);
const cells = Object.fromEntries(chapter('en').cells.map((c) => [c.id, c]));

/** Runs a block; resolves to { lines, plots (the runner's Map: id -> spec), ms }. */
async function run(id, knobs = {}) {
  const r = await runBlock(cells[id], { knobs, timeoutMs: 120_000 });
  assert.equal(r.status, 'done', `#${id}: ${r.status} ${r.error?.message ?? ''}`);
  return { lines: r.prints.map((p) => p.text), plots: r.plots, ms: r.ms };
}
const series = (plots, title, name) => {
  const p = plots.get(title);
  assert.ok(p, `no plot "${title}" among ${[...plots.keys()].join(', ')}`);
  const s = p.series.find((x) => x.name === name);
  assert.ok(s, `no series "${name}" in "${title}"`);
  return s.values;
};
const near = (a, b, rel, what) => assert.ok(Math.abs(a - b) <= rel * Math.abs(b), `${what}: ${a} is not within ${rel * 100}% of ${b}`);
const line = (lines, start) => {
  const l = lines.find((x) => x.startsWith(start));
  assert.ok(l, `no line starting '${start}' in:\n${lines.join('\n')}`);
  return l;
};

test('the chapter has the same four experiments in Korean and English, and the block cell a PyTorch version', () => {
  const ids = (lang) => chapter(lang).cells.map((c) => `${c.id}@${c.seed}`);
  assert.deepEqual(ids('ko'), ids('en'));
  assert.deepEqual(chapter('en').cells.map((c) => c.id), ['scale-dk', 'pe-table', 'pe-order', 'article-block']);
  for (const lang of ['ko', 'en']) {
    const twins = chapter(lang).cells.filter((c) => c.versions?.python).map((c) => c.id);
    assert.deepEqual(twins, ['article-block'], lang);
  }
});

/** scale-dk's printed table: one row per d_k with the scaled and unscaled measurements. */
function sweep(lines) {
  return lines.filter((l) => l.startsWith('d_k = ')).map((l) => {
    const pair = (label) => {
      const m = l.match(new RegExp(`${label} ([\\d.e+-]+) vs ([\\d.e+-]+)`));
      assert.ok(m, `no '${label}' in ${l}`);
      return [Number(m[1]), Number(m[2])];
    };
    return { dk: printed([l], 'd_k ='), variance: printed([l], 'var(q·k) ='), entropy: pair('entropy'), top: pair('max weight'), grad: pair('\\|\\|dL/dz\\|\\|') };
  });
}

test('claim 5: var(q·k) grows with d_k; without ÷√d_k the softmax saturates (entropy → 0, max weight → 1) and its gradient vanishes; with it nothing depends on d_k', async () => {
  const { lines, plots } = await run('scale-dk');
  const rows = sweep(lines);
  assert.deepEqual(rows.map((r) => r.dk), [8, 16, 32, 64, 128, 256, 512]);
  for (const r of rows) near(r.variance, r.dk, 0.2, `var(q·k) at d_k = ${r.dk}`);
  // With the scale: the same softmax at every d_k (16 keys: ln 16 = 2.77 would be uniform).
  for (const r of rows) {
    assert.ok(r.entropy[0] > 2.2 && r.entropy[0] < 2.6, `scaled entropy at ${r.dk}: ${r.entropy[0]}`);
    assert.ok(r.top[0] > 0.2 && r.top[0] < 0.3, `scaled max weight at ${r.dk}: ${r.top[0]}`);
    assert.ok(r.grad[0] > 0.2 && r.grad[0] < 0.4, `scaled gradient at ${r.dk}: ${r.grad[0]}`);
  }
  // Without it: monotone saturation with d_k.
  for (let i = 1; i < rows.length; i++) {
    assert.ok(rows[i].entropy[1] < rows[i - 1].entropy[1], `unscaled entropy falls: ${rows.map((r) => r.entropy[1])}`);
    assert.ok(rows[i].top[1] > rows[i - 1].top[1], `unscaled max weight rises: ${rows.map((r) => r.top[1])}`);
  }
  const [first, lastRow] = [rows[0], rows[rows.length - 1]];
  near(first.grad[1], first.grad[0], 0.2, 'at d_k = 8 both pass about the same gradient');
  assert.ok(lastRow.grad[1] < lastRow.grad[0] / 300, `at d_k = 512 the unscaled gradient ${lastRow.grad[1]} is hundreds of times smaller than ${lastRow.grad[0]}`);
  // The numbers the text quotes.
  near(first.variance, 6.6, 0.01, 'var at 8');
  near(lastRow.variance, 508.9, 0.001, 'var at 512');
  near(lastRow.entropy[1], 0.128, 0.01, 'unscaled entropy at 512');
  near(lastRow.top[1], 0.949, 0.002, 'unscaled max weight at 512');
  near(lastRow.grad[1], 4.25e-4, 0.01, 'unscaled gradient at 512');
  near(lastRow.grad[0], 2.88e-1, 0.01, 'scaled gradient at 512');
  near(lastRow.grad[0] / lastRow.grad[1], 700, 0.05, 'about 700 times');
  near(first.grad[0], 0.263, 0.01, 'scaled gradient at 8');
  near(first.grad[1], 0.269, 0.01, 'unscaled gradient at 8');
  assert.ok(Math.min(...rows.map((r) => r.entropy[0])) >= 2.34 && Math.max(...rows.map((r) => r.entropy[0])) <= 2.43);
  // The plots carry the same numbers, on a log d_k axis, and the gradient on a log axis.
  series(plots, 'Entropy of the attention weights', 'q·k').forEach((v, i) => near(v, rows[i].entropy[1], 5e-3, `plotted entropy at ${rows[i].dk}`));
  assert.equal(plots.get('Entropy of the attention weights').logX, true);
  assert.equal(plots.get('Gradient reaching the logits, ‖∂L/∂z‖ (median query)').logY, true);
  near(series(plots, 'Entropy of the attention weights', 'uniform, ln 16')[0], Math.log(16), 1e-9, 'uniform line');
  near(series(plots, 'Largest weight of a query', 'q·k').at(-1), 0.949, 0.002, 'plotted max weight');
});

test('claim 6: the sinusoidal table is sin/cos of t/10000^(2i/E), and the dot product of two rows depends only on their distance', async () => {
  const { lines, plots } = await run('pe-table');
  const table = plots.get('Positional encoding PE[t, i]').z;
  assert.equal(table.length, 64);
  assert.equal(table[0].length, 64);
  for (const t of [0, 5, 37]) {
    for (const i of [0, 3, 20, 31]) {
      const angle = t / 10000 ** ((2 * i) / 64);
      assert.ok(Math.abs(table[t][2 * i] - Math.sin(angle)) < 1e-5, `PE[${t}, ${2 * i}]`);
      assert.ok(Math.abs(table[t][2 * i + 1] - Math.cos(angle)) < 1e-5, `PE[${t}, ${2 * i + 1}]`);
    }
  }
  // Constant along every diagonal of the similarity matrix.
  const sim = plots.get('PE[t] · PE[s]').z;
  for (const d of [1, 7, 30]) for (const t of [0, 10, 33]) assert.ok(Math.abs(sim[t][t + d] - sim[0][d]) < 1e-3, `diagonal ${d} at ${t}`);
  assert.ok(printed(lines, 'largest difference between the three curves =') < 1e-4, lines.join('\n'));
  const dots = line(lines, 'dot product at distance').split(':')[1].split(',').map(Number);
  assert.deepEqual(dots, [32.0, 30.92, 28.3, 23.93, 22.41, 19.37]);
  assert.ok(dots[4] < dots[3] && dots[4] > dots[5], 'not monotone: lower at 8 than at 4, higher than at 16, as the text says');
  const curves = ['PE[0] · PE[d]', 'PE[32] · PE[32+d]', 'PE[32] · PE[32−d]'].map((n) => series(plots, 'Similarity against distance', n));
  for (const c of curves.slice(1)) c.forEach((v, d) => assert.ok(Math.abs(v - curves[0][d]) < 1e-4));
});

test('claim 6: the block without positional encoding stays at exactly chance on "does A come before B", the same block with it solves the task', async () => {
  const { lines, plots, ms } = await run('pe-order');
  const without = series(plots, 'Test accuracy, length 8', 'without PE');
  const withPE = series(plots, 'Test accuracy, length 8', 'with PE');
  assert.equal(without.length, 10);
  // A sequence and its swapped twin get the same prediction: exactly one of each pair is right.
  assert.ok(without.every((a) => a === 0.5), `without PE: ${without}`);
  assert.ok(printed([line(lines, 'without PE:')], '(A first | x swapped)| =') < 1e-5, line(lines, 'without PE:'));
  assert.equal(printed(lines, 'without PE: test accuracy ='), 0.5);
  // With PE: solved, and the pair's predictions differ.
  assert.equal(printed(lines, 'with PE: test accuracy ='), 1);
  assert.ok(withPE.at(-1) === 1 && withPE[0] < 0.9, `with PE it learns within the run: ${withPE}`);
  assert.ok(printed([line(lines, 'with PE:')], '(A first | x swapped)| =') > 0.9);
  assert.ok(ms < 10_000, `the default run took ${ms} ms; the text says a few seconds`);
});

test('claim 7: the article\'s block maps (10, 32, 512) to (10, 32, 512) with PyTorch\'s 3,152,384 parameters; every head\'s weights are rows that sum to 1, not uniform', async () => {
  const { lines, plots } = await run('article-block');
  assert.equal(lines[0], 'input (10, 32, 512) -> output (10, 32, 512)');
  const E = 512, F = 4 * E;
  // PyTorch's count of the article's module: nn.MultiheadAttention (in_proj 3E×E + 3E, out_proj E×E + E),
  // two nn.LayerNorm (2E each), nn.Sequential(Linear(E, F), ReLU, Linear(F, E)).
  const parts = { attention: 3 * E * E + 3 * E + E * E + E, norm1: 2 * E, ffn: E * F + F + F * E + E, norm2: 2 * E };
  for (const [name, n] of Object.entries(parts)) assert.equal(printed(lines, `${name}:`), n, name);
  assert.equal(printed(lines, 'total:'), 3152384);
  assert.equal(Object.values(parts).reduce((a, b) => a + b), 3152384);
  const z = plots.get('Attention weights, head 0, sequence 0').z;
  assert.equal(z.length, 10);
  for (const row of z) near(row.reduce((a, b) => a + b, 0), 1, 1e-5, 'a row of weights sums to 1');
  const largest = line(lines, 'largest weight of each head:').split(':')[1].trim().split(' ').slice(0, 8).map(Number);
  assert.equal(largest.length, 8);
  assert.ok(Math.abs(Math.min(...largest) - 0.345) <= 0.002 && Math.abs(Math.max(...largest) - 0.515) <= 0.002, `the text: 0.345 to 0.515; ${largest}`);
  // The head knob picks the head: head 6 holds the largest weight the text quotes.
  const six = await run('article-block', { head: 6 });
  const z6 = six.plots.get('Attention weights, head 6, sequence 0').z;
  assert.notDeepEqual(z6, z);
  assert.ok(Math.max(...z6.flat()) <= 0.515 + 5e-4);
});
