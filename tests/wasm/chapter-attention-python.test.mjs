// The attention chapter's PyTorch version (tutorials/*/04-attention.md, #article-block): the
// article's TransformerBlock written as an nn.Module (nn.MultiheadAttention, nn.LayerNorm, an
// nn.Sequential FFN, sequence-first input) runs as written in both languages and prints what its
// JavaScript twin (gl.nn.TransformerBlock) prints: the shapes, the parameter count part by part
// and, since `torch` draws its random numbers from the engine in the order the module is built,
// the same attention weights.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadChapters, printed, runBlock } from '../../web/tools/check-chapters.mjs';

const chapters = loadChapters().filter((c) => c.slug === 'attention');

async function run(block, language, options = {}) {
  const r = await runBlock({ ...block, language, code: block.versions[language] }, { timeoutMs: 120_000, ...options });
  assert.equal(r.status, 'done', `${block.id} (${language}): ${r.status} ${r.error?.name}: ${r.error?.message} (line ${r.error?.line})`);
  return { ...r, lines: r.prints.map((p) => p.text) };
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
      const [py, js] = [await run(block, 'python', { knobs: { [head]: h } }), await run(block, 'js', { knobs: { [head]: h } })];
      assert.equal(py.prints.filter((p) => p.level !== 'log').length, 0, py.lines.join('\n'));
      assert.match(py.lines[0], /\(10, 32, 512\) -> .*\(10, 32, 512\)$/);
      assert.equal(printed(py.lines, 'attention:'), 4 * 512 * 512 + 4 * 512);
      assert.equal(printed(py.lines, 'ffn:'), 2 * 512 * 2048 + 2048 + 512);
      assert.equal(printed(py.lines, 'norm1:') + printed(py.lines, 'norm2:'), 4 * 512);
      // Same words, same numbers: shapes, counts, each head's largest weight.
      assert.deepEqual(py.lines, js.lines);
      // The same plots, and the chosen head's weights equal to float precision.
      assert.deepEqual([...py.plots.keys()], [...js.plots.keys()]);
      const [zp, zj] = [py, js].map((r) => [...r.plots.values()][0].z);
      assert.equal(zp.length, 10);
      zp.forEach((row, i) => row.forEach((v, j) => assert.ok(Math.abs(v - zj[i][j]) < 1e-6, `head ${h} [${i}, ${j}]: ${v} vs ${zj[i][j]}`)));
    }
  });
}
