// The chapter "LSTM and Transformer, trained side by side" (tutorials/*/05-lstm-vs-transformer.md),
// claim 8 of article 000: its cells run in Node as the lab runs them (web/tools/check-chapters.mjs),
// with their defaults, and what they print must still show what the text says. The suggested
// settings (try=) are checked in chapter-suggestions.test.mjs, the PyTorch version in
// chapter-compare-python.test.mjs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadChapters, printed, runBlock } from '../../web/tools/check-chapters.mjs';

const SLUG = 'lstm-vs-transformer';
const chapter = (lang) => loadChapters().find((c) => c.slug === SLUG && c.lang === lang);
const cells = Object.fromEntries(chapter('en').cells.map((c) => [c.id, c]));

async function run(id, knobs = {}) {
  const r = await runBlock({ ...cells[id], language: 'js', code: cells[id].versions?.js ?? cells[id].code }, { knobs, timeoutMs: 120_000 });
  assert.equal(r.status, 'done', `#${id}: ${r.status} ${r.error?.message ?? ''}`);
  return { lines: r.prints.map((p) => p.text), plots: r.plots };
}
const line = (lines, start) => {
  const l = lines.find((x) => x.startsWith(start));
  assert.ok(l, `no line starting '${start}' in:\n${lines.join('\n')}`);
  return l;
};
const LN2 = Math.log(2);

test('the chapter has the same three experiments, seeds and knobs in Korean and English', () => {
  const ids = (lang) => chapter(lang).cells.map((c) => `${c.id}@${c.seed}`);
  assert.deepEqual(ids('ko'), ids('en'));
  assert.deepEqual(ids('en'), ['article-training@1', 'grad-by-step@1', 'learn-distance@1']);
});

test('claim 8a: trained as the article trains them, on random labels, both losses stay at ln 2 and nothing carries over to unseen data', async () => {
  const { lines } = await run('article-training');
  for (const who of ['LSTM', 'Transformer']) {
    const l = line(lines, `${who}: loss`);
    const end = printed([l], '->');
    const unseen = printed([l], 'unseen');
    const accuracy = printed([l], 'accuracy training');
    const unseenAccuracy = printed([l.slice(l.indexOf('accuracy'))], 'unseen');
    assert.ok(Math.abs(end - LN2) < 0.01, `${who} ends at ${end}`);          // the text: 0.6905 / 0.6935
    assert.ok(unseen > LN2 - 0.003, `${who}: unseen loss ${unseen} is not below ln 2`); // 0.6943 / 0.7004
    assert.ok(Math.abs(unseenAccuracy - 0.5) < 0.04, `${who}: unseen accuracy ${unseenAccuracy}`);
    assert.ok(accuracy < 0.56, `${who}: training accuracy ${accuracy}`);
  }
  // The Transformer starts above ln 2 and falls toward it.
  const tr = line(lines, 'Transformer: loss');
  assert.ok(Number(tr.match(/loss (\d\.\d+)/)[1]) > 0.71, tr);
  assert.equal(printed(lines, 'ln 2 ='), 0.6931);
  const p = printed(lines, 'share of 1s in the training labels p =');
  const h = printed(lines, 'loss of always predicting p =');
  assert.ok(Math.abs(h - -(p * Math.log(p) + (1 - p) * Math.log(1 - p))) < 2e-4 && h <= LN2, `H(${p}) = ${h}`);
});

test('claim 8b: before training, the LSTM\'s ‖∂L/∂x_t‖ falls geometrically toward early steps, the Transformer\'s is flat', async () => {
  const { lines, plots } = await run('grad-by-step');
  const lstm = line(lines, 'LSTM:'), tr = line(lines, 'Transformer:');
  // distance 40: the cued step is x_9
  assert.ok(printed([lstm], '||dL/dx_9|| / ||dL/dx_49|| =') < 1e-6, lstm);   // the text: 1.82e-9
  assert.ok(printed([lstm], '||dL/dx_0|| / ||dL/dx_49|| =') < 1e-8, lstm);   // 3.08e-11
  assert.ok(printed([tr], '||dL/dx_9|| / ||dL/dx_49|| =') > 3e-3, tr);       // 8.30e-3
  assert.ok(printed([tr], 'max / min =') < 3, tr);                            // 1.87
  // the plotted LSTM curve decreases toward t = 0 all the way
  const g = plots.get('‖∂L/∂x_t‖ at initialisation').series.find((s) => s.name === 'LSTM').values;
  for (let t = 1; t < 49; t++) assert.ok(g[t - 1] < g[t], `LSTM: ‖∂L/∂x_${t - 1}‖ = ${g[t - 1]} ≥ ‖∂L/∂x_${t}‖ = ${g[t]}`);
});

test('claim 8b: trained on the cue at distance 40 (300 steps, seed 1), the Transformer learns it and the LSTM stays at chance', async () => {
  const { lines, plots } = await run('learn-distance');
  const lstm = printed(lines, 'LSTM: accuracy'), tr = printed(lines, 'Transformer: accuracy');
  assert.ok(lstm < 0.6, `LSTM ${lstm}`);        // the text: 0.488
  assert.ok(tr > 0.95, `Transformer ${tr}`);    // 0.980
  const curve = plots.get('Accuracy on unseen sequences, distance 40').series.find((s) => s.name === 'Transformer').values;
  assert.ok(curve[1] < 0.6, `the Transformer is still near chance after 100 steps: ${curve}`);
  assert.ok(curve.findIndex((a) => a > 0.9) === 3, `and above 0.9 first at step 200: ${curve}`);
});
