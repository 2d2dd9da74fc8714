// The backprop chapter's last three claims (tutorials/*/09-backprop.md, issue 15, claims 4-6):
// overfitting and its remedies, the first layer's gradient against depth, and an exploding
// gradient tamed by clipping and LayerNorm. Each cell runs in Node as the lab runs it (a fresh
// engine, the cell's seed) with its defaults, and what it prints must still show what the text
// says; the numbers the text quotes are checked with tolerances that fail if the claim breaks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadChapters, printed, runBlock } from '../../web/tools/check-chapters.mjs';
import { parseKnobs } from '../../web/src/runner/knobs.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const chapterFile = (lang) => path.join(root, 'tutorials', lang, '09-backprop.md');
const [en, ko] = loadChapters([chapterFile('en'), chapterFile('ko')]);
const IDS = ['overfit-remedies', 'depth-sweep', 'explode-remedies'];
const cell = (chapter, id) => {
  const c = chapter.cells.find((b) => b.id === id);
  assert.ok(c, `no cell #${id} in ${chapter.file}`);
  return c;
};

async function runIn(chapter, id, knobs = {}) {
  const r = await runBlock(cell(chapter, id), { knobs, timeoutMs: 120_000 });
  assert.equal(r.status, 'done', `${chapter.lang} #${id} ${JSON.stringify(knobs)}: ${r.status} ${r.error?.message ?? ''}`);
  return { lines: r.prints.map((p) => p.text), plots: r.plots, ms: r.ms, progress: r.progress };
}
const defaults = new Map(); // id -> the English cell's default run, shared by the tests below
const run = (id) => {
  if (!defaults.has(id)) defaults.set(id, runIn(en, id));
  return defaults.get(id);
};
const line = (lines, start) => {
  const l = lines.find((x) => x.startsWith(start));
  assert.ok(l, `no line starting '${start}' in:\n${lines.join('\n')}`);
  return l;
};
/** The comma-separated numbers after `label` on a line: 'final loss 1e2, NaN, 3' -> [100, NaN, 3]. */
const list = (l, label) => {
  const at = l.indexOf(label);
  assert.ok(at >= 0, `no '${label}' in: ${l}`);
  return l.slice(at + label.length).split(';')[0].split(',').map((v) => Number(v.trim()));
};
const near = (a, b, rel, what) => assert.ok(Math.abs(a - b) <= rel * Math.abs(b), `${what}: ${a} is not within ${rel * 100}% of ${b}`);

test('claims 4-6: the same three cells, seeds and knobs in Korean and English', () => {
  for (const id of IDS) {
    const a = cell(en, id), b = cell(ko, id);
    assert.equal(a.seed, b.seed, `#${id} seed`);
    const knobs = (c) => parseKnobs(c.code).knobs;
    const ka = knobs(a), kb = knobs(b);
    assert.equal(ka.length, kb.length, `#${id}: ${ka.length} knobs in en, ${kb.length} in ko`);
    // same kinds and defaults in the same order; only the labels may differ
    assert.deepEqual(ka.map((k) => typeof k.value), kb.map((k) => typeof k.value), `#${id} knob kinds`);
    ka.forEach((k, i) => {
      if (typeof k.value === 'number') assert.equal(k.value, kb[i].value, `#${id} knob ${k.label} default`);
    });
  }
  const order = (c) => c.cells.map((b) => b.id).filter((id) => IDS.includes(id));
  assert.deepEqual(order(en), IDS);
  assert.deepEqual(order(ko), IDS);
});

test('claim 4: the unregularised model overfits (train 0.451 -> 0.0005, validation 0.114 at step 80 -> 0.183), and L1, L2, dropout and early stopping each end lower', async () => {
  const { lines, plots, progress } = await run('overfit-remedies');
  assert.deepEqual(progress, { step: 1200, total: 1200 }, 'progress over the training steps');
  const none = line(lines, 'no remedy: training loss');
  const m = none.match(/training loss ([\d.]+) -> ([\d.]+), validation loss lowest ([\d.]+) at step (\d+), then ([\d.]+) at step 1200/);
  assert.ok(m, none);
  const [trainStart, trainEnd, valLow, valLowAt, valEnd] = m.slice(1).map(Number);
  assert.ok(trainEnd < 0.002 && trainEnd < trainStart / 100, `training loss ${trainStart} -> ${trainEnd}`);
  assert.ok(valEnd > 1.4 * valLow, `validation ${valLow} -> ${valEnd}: no overfitting`);
  near(valLow, 0.114, 0.02, 'lowest validation loss');
  assert.equal(valLowAt, 80);
  near(valEnd, 0.183, 0.02, 'final validation loss');
  const val = (name) => printed(lines, `${name}: validation loss`);
  near(val('no remedy'), valEnd, 0.01, 'no remedy, summary line');
  for (const [name, expected] of [['L1', 0.163], ['L2', 0.147], ['dropout', 0.142], ['early stopping', 0.114]]) {
    assert.ok(val(name) < 0.9 * val('no remedy'), `${name}: ${val(name)} is not below no remedy's ${val('no remedy')}`);
    near(val(name), expected, 0.02, name);
  }
  // Early stopping stops `patience` evaluations (10 × 20 steps) after its best step and keeps that step.
  assert.match(line(lines, 'early stopping: stopped'), /stopped at step 280, keeps the weights of step 80$/);
  const v = plots.get('Validation loss');
  const mark = v.series.find((s) => s.name === 'kept → stopped').values;
  const marked = v.x.filter((_, i) => mark[i] !== null && mark[i] !== undefined);
  assert.deepEqual([marked[0], marked[marked.length - 1]], [80, 280]);
  const es = v.series.find((s) => s.name === 'early stopping').values;
  assert.equal(es[v.x.indexOf(300)], null, 'the early-stopping curve ends where it stopped');
  // it ends with the weights it kept: their validation loss is the lowest on its own curve
  near(val('early stopping'), Math.min(...es.filter((x) => x !== null)), 1e-3, 'early stopping, restored weights (printed to 4 decimals)');
  assert.equal(printed(lines, 'model:'), 4353);
});

test('claim 5: the first layer\'s gradient vanishes with depth for the sigmoid (1.5e-19 at 30) but not for ReLU with He init, layer by layer', async () => {
  const { lines, plots } = await run('depth-sweep');
  // 'tanh: ||dL/dW_1|| = 7.50e-1 at depth 1, 1.89e+0 at 10, 3.26e+0 at 20, 1.68e+1 at 30' -> [0.75, 1.89, 3.26, 16.8]
  const atDepth = (name) => line(lines, `${name}: ||dL/dW_1||`).match(/= (\S+) at depth 1, (\S+) at 10, (\S+) at 20, (\S+) at 30$/).slice(1).map(Number);
  const first = (name) => plots.get('First layer gradient ‖∂L/∂W_1‖ against depth').series.find((s) => s.name === name).values;
  const sig = first('sigmoid'), tanh = first('tanh'), relu = first('ReLU (He)');
  assert.equal(sig.length, 30);
  near(sig[0], 0.301, 0.02, 'sigmoid, depth 1');
  near(sig[29], 1.46e-19, 0.05, 'sigmoid, depth 30');
  for (let d = 1; d < 30; d++) assert.ok(sig[d] < sig[d - 1], `sigmoid: depth ${d + 1} keeps more than depth ${d}`);
  near(relu[29], 2.24, 0.05, 'ReLU, depth 30');
  for (const [name, g] of [['ReLU', relu], ['tanh', tanh]]) assert.ok(Math.min(...g) > 0.2 && Math.max(...g) < 20, `${name} leaves order 1 at some depth: ${g}`);
  near(atDepth('tanh')[3], 16.8, 0.01, 'tanh, depth 30 (printed)');
  near(atDepth('sigmoid')[1], 3.56e-7, 0.05, 'sigmoid, depth 10 (printed)');
  near(atDepth('ReLU (He)')[0], 0.886, 0.01, 'ReLU, depth 1 (printed)');
  const per = (name) => printed([line(lines, `30 layers, ${name}:`)], `30 layers, ${name}: x`);
  near(per('sigmoid'), 0.232, 0.01, 'sigmoid per layer');
  near(per('tanh'), 1.122, 0.01, 'tanh per layer');
  near(per('ReLU (He)'), 0.947, 0.01, 'ReLU per layer');
});

test('claim 6: a 2×He init explodes without a remedy (infinite at step 1 in 3 of 3); clipping keeps it finite, LayerNorm trains it, both as LayerNorm', async () => {
  const { lines, plots, progress } = await run('explode-remedies');
  assert.deepEqual(progress, { step: 3, total: 3 }, 'progress over the seeds');
  // the run that blew up draws no line: its legend name says where it broke
  const names = plots.get('Training loss (seed 13)').series.map((x) => x.name);
  assert.deepEqual(names, ['no remedy (loss ∞ from step 1)', 'clipping', 'LayerNorm', 'clipping + LayerNorm']);
  const row = (name) => line(lines, `${name}: final loss`);
  const loss0 = list(line(lines, 'loss at step 0:'), 'loss at step 0:');
  assert.ok(Math.min(...loss0) > 1e4, `loss at step 0: ${loss0}`);
  const none = row('no remedy');
  assert.match(none, /diverged in 3 of 3 \(loss not finite at step 1, 1, 1\)/);
  assert.ok(list(none, 'final loss').every((v) => !Number.isFinite(v)), none);
  const clip = row('clipping');
  assert.match(clip, /diverged in 0 of 3/);
  const clipLoss = list(clip, 'final loss');
  clipLoss.forEach((v, i) => assert.ok(v < loss0[i] / 10 && v > 100, `clipping, seed ${i}: ${loss0[i]} -> ${v}`));
  assert.deepEqual(list(clip, 'largest finite gradient norm'), list(none, 'largest finite gradient norm'), 'clipping: the largest norm is the first, unclipped one');
  const ln = row('LayerNorm'), both = row('clipping + LayerNorm');
  for (const r of [ln, both]) {
    assert.match(r, /diverged in 0 of 3/);
    assert.ok(list(r, 'final loss').every((v) => v < 1), r);
    assert.ok(list(r, 'largest finite gradient norm').every((v) => v < 10), r);
  }
  list(ln, 'final loss').forEach((v, i) => assert.ok(Math.abs(v - list(both, 'final loss')[i]) <= 0.01, `seed ${i}: LayerNorm ${v}, both ${list(both, 'final loss')[i]}`));
  near(list(ln, 'largest finite gradient norm')[2], 9.39, 0.01, 'LayerNorm, third seed');
  near(list(both, 'largest finite gradient norm')[2], 3.23, 0.01, 'both, third seed');
});

test('the Korean cells compute the same numbers as the English ones (only labels and texts differ)', async () => {
  for (const id of IDS) {
    const a = await run(id), b = await runIn(ko, id);
    const plotsOf = (r) => [...r.plots.values()].map((p) => (p.series ?? []).map((x) => x.values));
    assert.deepEqual(plotsOf(b), plotsOf(a), `#${id}: the Korean cell's plotted numbers differ`);
    assert.equal(b.lines.length, a.lines.length, `#${id}: printed lines`);
  }
});
