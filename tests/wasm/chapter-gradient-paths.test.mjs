// The chapter "The paths a gradient takes" (tutorials/*/03-gradient-paths.md), article 000's
// sections 1 to 3.2: each cell runs in Node the way the lab runs it (web/tools/check-chapters.mjs:
// the page's globals, a fresh engine per block, the block's seed) with its defaults, and what it
// prints must still show the claim the text makes with the numbers the text quotes. The settings
// the text suggests (try=…) are checked in chapter-suggestions.test.mjs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadChapters, printed, runBlock } from '../../web/tools/check-chapters.mjs';

const SLUG = 'gradient-paths';
const chapter = (lang) => loadChapters().find((c) => c.slug === SLUG && c.lang === lang);
const cells = Object.fromEntries(chapter('en').cells.map((c) => [c.id, c]));

/** Runs a block; resolves to { lines, plots } (plots: title -> { name: values }). */
async function run(id, knobs = {}) {
  const r = await runBlock(cells[id], { knobs, timeoutMs: 120_000 });
  assert.equal(r.status, 'done', `#${id}: ${r.status} ${r.error?.message ?? ''}`);
  const plots = {};
  for (const [title, p] of r.plots) plots[title] = Object.fromEntries((p.series ?? []).map((x) => [x.name, x.values]));
  return { lines: r.prints.map((p) => p.text), plots };
}
const line = (lines, start) => {
  const l = lines.find((x) => x.startsWith(start));
  assert.ok(l, `no line starting '${start}' in:\n${lines.join('\n')}`);
  return l;
};
const within = (value, lo, hi, what) => assert.ok(value >= lo && value <= hi, `${what}: ${value} is not in [${lo}, ${hi}]`);

test('the chapter has the same experiments, in the same order and with the same seeds, in Korean and English', () => {
  const ids = (lang) => chapter(lang).cells.map((c) => `${c.id}@${c.seed}`);
  assert.deepEqual(ids('ko'), ids('en'));
  assert.deepEqual(chapter('en').cells.map((c) => c.id), ['sigmoid-chain', 'cell-vs-rnn', 'residual-stack', 'layernorm-stack', 'post-pre-init', 'warmup']);
});

test('claim 1: every σ\'(z) is at most 1/4, and 20 sigmoid layers keep ~1e-12 of the gradient (0.234 per layer), far below tanh and ReLU', async () => {
  const { lines, plots } = await run('sigmoid-chain');
  const slope = line(lines, "largest sigmoid'(z) seen");
  within(printed([slope], '='), 0.24, 0.25, 'largest slope'); // the text: 0.2500
  const kept = (who) => printed([line(lines, `${who}: ||dL/da_1||`)], '||dL/da_20|| =');
  const perLayer = (who) => Number(line(lines, `${who}: ||dL/da_1||`).match(/x([\d.]+) per layer/)[1]);
  within(kept('sigmoid'), 0.5e-12, 2e-12, 'sigmoid kept');       // the text: 1.07e-12
  assert.ok(perLayer('sigmoid') <= 0.25, 'a sigmoid layer cannot pass more than 1/4 here');
  within(kept('tanh'), 0.2, 0.35, 'tanh kept');                  // the text: 0.27
  within(kept('ReLU'), 0.8e-3, 1.8e-3, 'ReLU kept');             // the text: 1.2e-3
  within(perLayer('ReLU'), 0.68, 0.73, 'ReLU per layer ≈ 1/√2');
  // The plot: the sigmoid's curve falls geometrically all the way, layer after layer.
  const g = plots['Gradient at each layer, ‖∂L/∂a_l‖'].sigmoid;
  assert.equal(g.length, 20);
  for (let l = 1; l < g.length; l++) assert.ok(g[l - 1] < 0.3 * g[l], `layer ${l}: ${g[l - 1]} against ${g[l]}`);
});

test('claim 2: along the LSTM cell the gradient is a product of forget gates: at bias 1 (f ≈ 0.73) it still vanishes over 100 steps, far less than the tanh RNN\'s', async () => {
  const { lines, plots } = await run('cell-vs-rnn');
  within(printed([line(lines, 'mean forget gate f =')], '='), 0.72, 0.74, 'mean f'); // the text: 0.73
  const kept = (who) => printed([line(lines, who)], '||dL/dc_100|| =');
  within(kept('LSTM, cell path alone'), 0.5e-13, 5e-13, 'cell path');     // the text: 1.7e-13
  within(kept('LSTM, all paths:'), 0.3e-8, 3e-8, 'all paths');            // the text: 1.1e-8
  const rnn = printed([line(lines, 'tanh RNN:')], '||dL/dh_100|| =');
  within(rnn, 1e-24, 2e-23, 'tanh RNN');                                 // the text: 5e-24
  assert.ok(kept('LSTM, all paths:') > 1e12 * rnn, 'the LSTM keeps orders of magnitude more than the RNN');
  // The cell path is exactly ∏ f: it falls by about f per step, all the way.
  const cell = plots['Gradient t steps into the sequence, from a loss at step 100']['LSTM, cell path alone (∏ f)'];
  assert.equal(cell.length, 101);
  const rate = (cell[0] / cell[100]) ** (1 / 100);
  within(rate, 0.72, 0.76, 'cell path per step');
});

test('claim 3: with the residual path the gradient over 24 blocks stays within a factor ~2 (2.05); without it the input gets 7.6e-16', async () => {
  const { lines, plots } = await run('residual-stack');
  const res = line(lines, 'with the residual path:'), plain = line(lines, 'without it:');
  within(printed([res], '||dL/dx_24|| ='), 1.5, 2.6, 'residual, input / top');        // the text: 2.05
  within(printed([res], 'largest / smallest over the layers ='), 1, 2.6, 'residual spread');
  within(printed([plain], '||dL/dx_24|| ='), 1e-16, 5e-15, 'plain, input / top');     // the text: 7.6e-16
  const g = plots['Gradient at each layer, ‖∂L/∂x_l‖'];
  assert.equal(g['x + F(x)'].length, 25);
  // Without the residual path every block shrinks the gradient; with it none loses more than a little.
  for (let l = 1; l <= 24; l++) {
    assert.ok(g['F(x) alone'][l - 1] < 0.5 * g['F(x) alone'][l], `plain, block ${l}`);
    assert.ok(g['x + F(x)'][l - 1] > 0.9 * g['x + F(x)'][l], `residual, block ${l}`);
  }
});

test('claim 4a: with LayerNorm every layer keeps the same statistics (std 0.60, mean 0.41) and the input keeps 0.22 of the gradient; without it 24 layers shrink to std 0.047 and 4e-10', async () => {
  const { lines, plots } = await run('layernorm-stack');
  const normed = line(lines, 'with LayerNorm:'), plain = line(lines, 'without:');
  within(printed([normed], 'std of a_24 ='), 0.55, 0.65, 'LN std');            // the text: 0.60
  within(printed([normed], 'mean ='), 0.37, 0.45, 'LN mean');                  // the text: 0.41
  within(printed([normed], '||dL/da_24|| ='), 0.12, 0.4, 'LN gradient kept');  // the text: 0.22
  within(printed([plain], 'std of a_24 ='), 0.03, 0.07, 'plain std');          // the text: 0.047
  within(printed([plain], '||dL/da_24|| ='), 1e-10, 2e-9, 'plain gradient kept'); // the text: 4e-10
  // Every layer of the normalised stack has nearly the same spread.
  const std = plots['Standard deviation of the activations a_l']['with LayerNorm'];
  assert.equal(std.length, 25);
  for (const s of std.slice(1)) within(s, 0.5, 0.7, 'std of a normalised layer');
});

test('claim 4b: at initialisation post-LN\'s gradients grow toward the output and its last layer\'s does not depend on L; pre-LN\'s last layer falls as 1/√L', async () => {
  const { lines, plots } = await run('post-pre-init');
  const post = line(lines, 'post-LN:'), pre = line(lines, 'pre-LN:');
  within(printed([post], 'last / first ='), 1.6, 2.8, 'post-LN last / first');   // the text: 2.1 (0.065 -> 0.138)
  within(printed([pre], 'last / first ='), 0.3, 0.55, 'pre-LN last / first');    // the text: 0.41 (0.127 -> 0.052)
  const sweep = [3, 6, 12, 24].map((d) => line(lines, `L = ${d}:`));
  const postLast = sweep.map((l) => printed([l], 'post-LN'));
  const preLast = sweep.map((l) => printed([l], 'pre-LN'));
  const scaled = sweep.map((l) => printed([l], 'pre-LN x sqrt(L) ='));
  for (const g of postLast) within(g, 0.11, 0.15, 'post-LN last layer, any L');          // the text: 0.12 to 0.14
  within(preLast[0], 0.09, 0.13, 'pre-LN last layer at L = 3');                          // 0.111
  within(preLast[3], 0.026, 0.04, 'pre-LN last layer at L = 24');                        // 0.033
  for (const s of scaled) within(s, 0.15, 0.2, 'pre-LN × √L');                           // 0.16 to 0.19
  within(postLast[3] / preLast[3], 3.5, 5.5, 'post / pre at 24 layers, against √24 ≈ 4.9'); // 4.3
  assert.equal(plots['Gradient of each layer\'s FFN weights ‖∂L/∂W₂‖ at initialisation']['post-LN'].length, 12);
});

test('claim 4c: at lr 0.03 without warm-up post-LN stays at chance (ln 10) while pre-LN learns the reversal (below 0.1 at step 104)', async () => {
  const { lines, plots } = await run('warmup');
  const get = (who) => line(lines, `${who}:`);
  const tail = (who) => printed([get(who)], 'loss over the last 20 steps =');
  within(tail('post-LN'), 2.2, 2.4, 'post-LN stays at chance, 2.30');       // the text: 2.306
  within(tail('post-LN + warm-up'), 1.8, 2.25, 'post-LN + warm-up, off chance'); // the text: 2.10
  assert.ok(tail('post-LN + warm-up') < tail('post-LN') - 0.1, 'warm-up moves post-LN off chance');
  assert.ok(tail('pre-LN') < 0.15, get('pre-LN'));                           // the text: 0.085
  assert.match(get('post-LN'), /first below 0\.1 at step never/);
  const at = Number(get('pre-LN').match(/at step (\d+)/)[1]);
  within(at, 85, 120, 'pre-LN below 0.1');                                    // the text: 104
  const curves = plots['Training loss'];
  assert.deepEqual(Object.keys(curves), ['post-LN', 'post-LN + warm-up', 'pre-LN']);
  assert.equal(curves['pre-LN'].length, 120);
});
