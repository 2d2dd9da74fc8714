// The PyTorch versions of two experiments of "Backpropagation with every number in sight"
// (tutorials/*/09-backprop.md): #chain-rule (the two-layer network differentiated by hand, beside
// torch's autograd) and #p-minus-y (F.cross_entropy's gradient beside (P − Y)/B). Each runs as
// written in both languages and prints the numbers its JavaScript twin prints, to the printed
// digit, with its defaults and with other knob values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadChapters, printed, runBlock } from '../../web/tools/check-chapters.mjs';
import { loadPython } from './python-harness.mjs';

const chapters = loadChapters().filter((c) => c.slug === 'backprop');
const block = (lang, id) => chapters.find((c) => c.lang === lang).cells.find((b) => b.id === id);
const numbers = (lines) => lines.join('\n').match(/-?\d+\.?\d*(e[-+]?\d+)?/g).map(Number);

async function runJs(b, knobs) {
  const r = await runBlock({ ...b, language: 'js', code: b.versions.js }, { knobs, timeoutMs: 60_000 });
  assert.equal(r.status, 'done', `${b.id} (js): ${r.status} ${r.error?.message}`);
  return { lines: r.prints.map((p) => p.text), plots: [...r.plots.values()] };
}
let py = null; // one Pyodide for the file: starting it is most of a Python run's time
async function runPy(b, knobs) {
  py ??= await loadPython();
  return py.run(b.versions.python, { knobs, seed: b.seed });
}
async function runPyOk(b, knobs) {
  const r = await runPy(b, knobs);
  assert.equal(r.error, null, `${b.id} (python): ${r.error?.message}\n${r.output}`);
  return r;
}

const CASES = {
  'chain-rule': (lang) => [{}, { 'x₁': -1.3, 'x₂': 1.7, 'W1[0][0]': -1.2, 'W2[0]': 2, [lang === 'ko' ? '정답 y' : 'y (target)']: -1.5 }],
  'p-minus-y': (lang) => [{}, { [lang === 'ko' ? '로짓 : 레이블' : 'logits : label']: '3 -1 0 2 : 3\n0 0 0 0 : 0\n-4 4 1 0.5 : 0' }],
};

for (const lang of ['ko', 'en']) {
  for (const [id, settings] of Object.entries(CASES)) {
    test(`${lang} ${id} in PyTorch prints the JavaScript cell's numbers (defaults and other knobs)`, async () => {
      const b = block(lang, id);
      assert.match(b.versions.python, /^import torch$/m);
      for (const knobs of settings(lang)) {
        const p = await runPyOk(b, knobs), js = await runJs(b, knobs);
        assert.deepEqual(numbers(p.lines), numbers(js.lines), `${lang} #${id} ${JSON.stringify(knobs)}:\n${p.output}\n---\n${js.lines.join('\n')}`);
        // the JavaScript cell also draws its autograd graph (plot kind 'graph'), which Python cells cannot draw yet
        assert.equal(p.plots.length, js.plots.filter((q) => q.kind !== 'graph').length);
        if (id === 'chain-rule') assert.equal(js.plots.filter((q) => q.kind === 'graph').length, 1, 'the JavaScript cell draws its graph');
        const worst = printed(p.lines, '| =');
        assert.ok(worst < 1e-6, `${lang} #${id}: max difference ${worst}`);
      }
    });
  }
  test(`${lang} p-minus-y in PyTorch: a label out of range says which line`, async () => {
    const label = lang === 'ko' ? '로짓 : 레이블' : 'logits : label';
    const r = await runPy(block(lang, 'p-minus-y'), { [label]: '1 2 : 0\n1 2 : 5' });
    assert.ok(r.error, r.output);
    assert.match(String(r.error.message), lang === 'ko' ? /2번째 줄/ : /line 2/);
  });
}
