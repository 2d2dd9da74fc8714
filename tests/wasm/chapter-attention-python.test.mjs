// The attention chapter's PyTorch version (tutorials/*/04-attention.md, #article-block): the
// article's TransformerBlock written as an nn.Module (nn.MultiheadAttention, nn.LayerNorm, an
// nn.Sequential FFN, sequence-first input) runs as written in both languages and prints what its
// JavaScript twin (gl.nn.TransformerBlock) prints: the shapes, the parameter count part by part
// and, since `torch` draws its random numbers from the engine in the order the module is built,
// the same attention weights.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadChapters, printed, runBlock } from '../../web/tools/check-chapters.mjs';
import { loadPython } from './python-harness.mjs';

const chapters = loadChapters().filter((c) => c.slug === 'attention');

// The JavaScript cell as the lab runs it; the Python version in one Pyodide for the whole file
// (starting Pyodide is most of a Python run's time), with the cell's seed and knobs.
async function runJs(block, knobs) {
  const r = await runBlock({ ...block, language: 'js', code: block.versions.js }, { knobs, timeoutMs: 120_000 });
  assert.equal(r.status, 'done', `${block.id} (js): ${r.status} ${r.error?.message}`);
  return { lines: r.prints.map((p) => p.text), plots: [...r.plots.values()] };
}
let py = null;
async function runPy(block, knobs) {
  py ??= await loadPython();
  const r = await py.run(block.versions.python, { knobs, seed: block.seed });
  assert.equal(r.error, null, `${block.id} (python): ${r.error?.message}\n${r.output}`);
  return r;
}

for (const lang of ['ko', 'en']) {
  test(`${lang} article-block in PyTorch: class TransformerBlock(nn.Module), (10, 32, 512) in and out, 3,152,384 parameters, the same weights as the JavaScript cell`, async () => {
    const block = chapters.find((c) => c.lang === lang).cells.find((b) => b.id === 'article-block');
    const code = block.versions.python;
    // The article's shape: its own module with these four fields, sequence-first input.
    assert.match(code, /^import torch$/m);
    assert.match(code, /^class TransformerBlock\(nn\.Module\):$/m);
    for (const field of ['self.attention = nn.MultiheadAttention(', 'self.norm1 = nn.LayerNorm(', 'self.ffn = nn.Sequential(', 'self.norm2 = nn.LayerNorm(']) {
      assert.ok(code.includes(field), `${lang}: ${field}`);
    }
    assert.match(code, /torch\.randn\(10, 32, E\)/);
    const head = lang === 'ko' ? '헤드' : 'head';
    // Korean with the default head, English with the knob moved (one Pyodide start per run).
    for (const h of lang === 'ko' ? [0] : [5]) {
      const [p, js] = [await runPy(block, { [head]: h }), await runJs(block, { [head]: h })];
      assert.ok(p.lines.every((l) => !l.startsWith('[')), p.output); // nothing on stderr
      assert.match(p.lines[0], /\(10, 32, 512\) -> .*\(10, 32, 512\)$/);
      assert.equal(printed(p.lines, 'attention:'), 4 * 512 * 512 + 4 * 512);
      assert.equal(printed(p.lines, 'ffn:'), 2 * 512 * 2048 + 2048 + 512);
      assert.equal(printed(p.lines, 'norm1:') + printed(p.lines, 'norm2:'), 4 * 512);
      // Same words, same numbers: shapes, counts, each head's largest weight.
      assert.deepEqual(p.lines, js.lines);
      // The same plots, and the chosen head's weights equal to float precision.
      assert.deepEqual(p.plots.map((x) => [x.kind, x.title]), js.plots.map((x) => [x.kind, x.title]));
      const [zp, zj] = [p.plots[0].z, js.plots[0].z];
      assert.equal(zp.length, 10);
      zp.forEach((row, i) => Array.from(row).forEach((v, j) => assert.ok(Math.abs(v - zj[i][j]) < 1e-6, `head ${h} [${i}, ${j}]: ${v} vs ${zj[i][j]}`)));
    }
  });
}
