// The PyTorch version of the first experiment of "From RNN to LSTM and GRU"
// (tutorials/*/07-rnn-lstm-gru.md, #bptt-numbers): a tanh RNN unrolled by hand in `torch`, its
// factors diag(tanh'(z_t)) W_hh and their running product against autograd. It runs as written
// in both languages and, since `torch` draws its random numbers from the engine in the order the
// code asks for them (W_hh, W_xh, the inputs, u), it prints the JavaScript cell's matrices.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadChapters, printed, runBlock } from '../../web/tools/check-chapters.mjs';
import { loadPython } from './python-harness.mjs';

const chapters = loadChapters().filter((c) => c.slug === 'rnn-lstm-gru');
const numbers = (lines) => lines.join('\n').match(/-?\d+\.?\d*(e[-+]?\d+)?/g).map(Number);

async function runJs(block, knobs) {
  const r = await runBlock({ ...block, language: 'js', code: block.versions.js }, { knobs, timeoutMs: 120_000 });
  assert.equal(r.status, 'done', `${block.id} (js): ${r.status} ${r.error?.message}`);
  return { lines: r.prints.map((p) => p.text), plots: [...r.plots.values()] };
}
let py = null; // one Pyodide for the file: starting it is most of a Python run's time
async function runPy(block, knobs) {
  py ??= await loadPython();
  const r = await py.run(block.versions.python, { knobs, seed: block.seed });
  assert.equal(r.error, null, `${block.id} (python): ${r.error?.message}\n${r.output}`);
  return { ...r, lines: r.lines ?? String(r.output).split('\n') };
}

for (const lang of ['ko', 'en']) {
  test(`${lang} bptt-numbers in PyTorch: the same factors, products and agreement with autograd as the JavaScript cell`, async () => {
    const block = chapters.find((c) => c.lang === lang).cells.find((b) => b.id === 'bptt-numbers');
    assert.match(block.versions.python, /^import torch$/m);
    const js = await runJs(block, {});
    const p = await runPy(block, {});
    const pyText = p.lines.join('\n');
    // Every printed matrix entry, slope and norm: the same numbers, to the printed digit.
    assert.deepEqual(numbers(p.lines), numbers(js.lines), `${lang}:\n${pyText}`);
    assert.ok(printed(p.lines.filter((l) => l.startsWith('||dh_6/dh_0||')), '||dh_6/dh_0|| =') > 0.155, pyText);
    assert.equal(p.plots.length, 1);
    assert.deepEqual(p.plots[0].series.map((s) => s.name), js.plots[0].series.map((s) => s.name));
    // The large RNN: the same vanishing product, and autograd within float32's reach of it.
    const large = lang === 'ko' ? { '크기': '큰 RNN' } : { size: 'large' };
    const bigPy = await runPy(block, large), bigJs = await runJs(block, large);
    const kept = (lines) => printed(lines.filter((l) => l.startsWith('||dh_100/dh_0||')), '||dh_100/dh_0|| =');
    assert.equal(kept(bigPy.lines), kept(bigJs.lines));
    const rel = Number(bigPy.lines.at(-1).match(/= ([\d.e+-]+)$/)[1]);
    assert.ok(rel < 3e-5, bigPy.lines.at(-1));
  });
}
