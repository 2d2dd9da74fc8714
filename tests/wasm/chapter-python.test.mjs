// The chapters' PyTorch versions (```gradlab-python blocks after a JavaScript block of the same
// id): each runs as written, in both languages, and prints the numbers its JavaScript twin
// prints and the chapter's text states. The `torch` package draws its random numbers from the
// engine in the order PyTorch code asks for them, so a Python version that builds the same
// model in the same order reproduces its JavaScript twin to the printed digit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadChapters, printed, runBlock } from '../../web/tools/check-chapters.mjs';

const chapters = loadChapters();
const twins = chapters.flatMap((c) => c.cells.filter((b) => b.versions?.python && b.versions?.js).map((b) => ({ chapter: c, block: b })));

// A run with the cell's defaults is made once and read by every test that needs it (the
// runs are deterministic: the same seed gives the same output).
const defaults = new Map(); // language, seed and code -> promise of the result
function run(block, language, options = {}) {
  if (Object.keys(options).length > 0) return runNow(block, language, options);
  const key = `${language} ${block.seed}\n${block.versions[language]}`;
  if (!defaults.has(key)) defaults.set(key, runNow(block, language, {}));
  return defaults.get(key);
}
async function runNow(block, language, options) {
  const r = await runBlock({ ...block, language, code: block.versions[language] }, { timeoutMs: 120_000, ...options });
  assert.equal(r.status, 'done', `${block.id} (${language}): ${r.status} ${r.error?.name}: ${r.error?.message} (line ${r.error?.line})`);
  return { ...r, lines: r.prints.map((p) => p.text) };
}

test('the cells that stand for the articles\' PyTorch code have a PyTorch version, in both languages', () => {
  const ids = (lang) => twins.filter((t) => t.chapter.lang === lang).map((t) => t.block.id).sort();
  for (const lang of ['ko', 'en']) assert.deepEqual(ids(lang), ['article-block', 'article-training', 'bptt-numbers', 'chain-rule', 'clipping', 'lstm-cell', 'p-minus-y', 'relu-growth', 'rho-power', 'sigmoid-chain', 'teacher-forcing', 'tiny-lm']);
});

// Article 000's chapters (and 002's rnn-lstm-gru and seq2seq, 001's backprop) check their PyTorch versions in their own files
// (chapter-<slug>-python.test.mjs), against their JavaScript twins' numbers.
const OWN_FILE = new Set(['attention', 'lstm-vs-transformer', 'context-prediction', 'rnn-lstm-gru', 'backprop', 'seq2seq']);

test('every PyTorch version imports torch, runs as written, and plots what its JavaScript twin plots', async () => {
  for (const { chapter, block } of twins.filter((t) => !OWN_FILE.has(t.chapter.slug))) {
    assert.match(block.versions.python, /^import torch$/m, `${chapter.lang} #${block.id}`);
    const [js, py] = [await run(block, 'js'), await run(block, 'python')];
    assert.equal(py.plots.size, js.plots.size, `${chapter.lang} #${block.id}: plots`);
    assert.deepEqual([...py.plots.values()].map((p) => p.kind), [...js.plots.values()].map((p) => p.kind));
    assert.equal(py.prints.filter((p) => p.level !== 'log').length, 0, py.lines.join('\n'));
  }
});

for (const lang of ['ko', 'en']) {
  const twin = (id) => twins.find((t) => t.chapter.lang === lang && t.block.id === id).block;

  test(`${lang} lstm-cell in PyTorch: the shapes, and the gradient left at step 0 equals the JavaScript cell's`, async () => {
    const block = twin('lstm-cell');
    const py = await run(block, 'python');
    assert.match(py.lines[0], /^h: torch\.Size\(\[32, 20\]\) +c: torch\.Size\(\[32, 20\]\)$/);
    const js = await run(block, 'js');
    const lstm = printed(py.lines, 'LSTM:'), rnn = printed(py.lines, 'tanh RNN:');
    assert.ok(lstm > 1e-7 && lstm < 1e-5, `LSTM kept ${lstm}`); // the text: about 10^-6
    assert.ok(rnn < 1e-15, `tanh RNN kept ${rnn}`); // the text: below 10^-16's neighbourhood
    assert.equal(lstm, printed(js.lines, 'LSTM:'));
    assert.equal(rnn, printed(js.lines, 'tanh RNN:'));
    // The knob the text suggests: forget bias 3 keeps tenths, 0 keeps less than 10^-12.
    const label = lang === 'ko' ? '망각 편향' : 'forgetBias';
    const open = await run(block, 'python', { knobs: { [label]: 3 } });
    assert.ok(printed(open.lines, 'LSTM:') > 1e-2, open.lines.join('\n'));
    const shut = await run(block, 'python', { knobs: { [label]: 0 } });
    assert.ok(printed(shut.lines, 'LSTM:') < 1e-12, shut.lines.join('\n'));
  });

  test(`${lang} rho-power in PyTorch: ‖∂h_T/∂h_0‖ = ρ^T for ρ·orthogonal (0.9 and 1.1), as in JavaScript`, async () => {
    const block = twin('rho-power');
    for (const rho of [0.9, 1.1]) {
      const py = await run(block, 'python', { knobs: { 'ρ': rho } });
      const jacobian = printed(py.lines, '||dh_T/dh_0|| =');
      assert.ok(Math.abs(jacobian / rho ** 100 - 1) < 2e-3, `ρ = ${rho}: ${jacobian} against ${rho ** 100}`);
      const autograd = printed(py.lines, '||dL/dh_0|| =');
      assert.ok(Math.abs(autograd / rho ** 100 - 1) < 2e-3, `ρ = ${rho}: autograd ${autograd}`);
      const js = await run(block, 'js', { knobs: { 'ρ': rho } });
      assert.ok(Math.abs(printed(js.lines, '||dh_T/dh_0|| =') / jacobian - 1) < 1e-3);
    }
  });

  test(`${lang} relu-growth in PyTorch: ReLU's gradient grows about 99-fold over 99 steps, tanh's shrinks, as in JavaScript`, async () => {
    const block = twin('relu-growth');
    const py = await run(block, 'python'), js = await run(block, 'js');
    const grew = py.lines.filter((l) => l.includes('||dL/dh_1|| / ||dL/dh_T|| =')).map((l) => printed([l], '||dL/dh_1|| / ||dL/dh_T|| ='));
    assert.ok(grew[0] > 90 && grew[0] < 110, `relu ${grew[0]}`);
    assert.ok(grew[1] < 1e-3, `tanh ${grew[1]}`);
    // Same words, same numbers (Python writes 1e+01 where JavaScript writes 1e+1).
    const exponents = (l) => l.replace(/e([+-])0*(\d)/g, 'e$1$2');
    assert.deepEqual(py.lines.map(exponents), js.lines.map(exponents));
  });

  test(`${lang} clipping in PyTorch: clipping by norm keeps the direction (cosine 1, norm θ), by value does not`, async () => {
    const block = twin('clipping');
    for (const theta of [1, 0.1]) {
      const py = await run(block, 'python', { knobs: { 'θ': theta } });
      const [byNorm, byValue] = py.lines.slice(1);
      const [norm, cosine] = byNorm.match(/-?\d+\.\d+/g).map(Number);
      assert.ok(Math.abs(norm - theta) < 1e-3 * theta + 1e-4, byNorm);
      assert.ok(cosine > 0.999999, byNorm);
      const valueCosine = Number(byValue.match(/-?\d+\.\d+/g)[1]);
      assert.ok(valueCosine < 0.999, byValue);
      const before = printed(py.lines, lang === 'ko' ? '클리핑 전 노름 =' : 'norm before clipping =');
      assert.ok(before > theta, `the gradient's norm ${before} is above θ = ${theta}`);
    }
  });
}

// The paths a gradient takes (03-gradient-paths): the sigmoid chain in PyTorch.
for (const lang of ['ko', 'en']) {
  test(`${lang} sigmoid-chain in PyTorch: the same weights give the same gradients as the JavaScript cell, 1.07e-12 left after 20 sigmoid layers`, async () => {
    const block = twins.find((t) => t.chapter.lang === lang && t.chapter.slug === 'gradient-paths' && t.block.id === 'sigmoid-chain').block;
    const py = await run(block, 'python'), js = await run(block, 'js');
    const exponents = (l) => l.replace(/e([+-])0*(\d)/g, 'e$1$2');
    assert.deepEqual(py.lines.map(exponents), js.lines.map(exponents));
    const kept = printed(py.lines.filter((l) => l.startsWith('sigmoid:')), '||dL/da_20|| =');
    assert.ok(kept > 0.5e-12 && kept < 2e-12, py.lines.join('\n'));
  });
}
