// The PyTorch version of the article's training in "LSTM and Transformer, trained side by side"
// (tutorials/*/05-lstm-vs-transformer.md, cell article-training): it runs as written in the lab's
// torch package (TensorDataset, DataLoader, nn.LSTM, nn.MultiheadAttention, nn.BCELoss, Adam),
// prints losses at ln 2 as the text says, and, building the same models in the same order as its
// JavaScript twin, prints the same numbers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadChapters, printed, runBlock } from '../../web/tools/check-chapters.mjs';

const SLUG = 'lstm-vs-transformer';
const cell = (lang) => loadChapters().find((c) => c.slug === SLUG && c.lang === lang).cells.find((b) => b.id === 'article-training');

async function run(block, language, knobs = {}) {
  const r = await runBlock({ ...block, language, code: block.versions[language] }, { knobs, timeoutMs: 180_000 });
  assert.equal(r.status, 'done', `${block.id} (${language}): ${r.status} ${r.error?.name}: ${r.error?.message} (line ${r.error?.line})`);
  assert.equal(r.prints.filter((p) => p.level !== 'log').length, 0, r.prints.map((p) => p.text).join('\n'));
  return { lines: r.prints.map((p) => p.text), plots: r.plots };
}

test('en article-training in PyTorch: five epochs end at ln 2 for both models, the same numbers as the JavaScript cell', async () => {
  const block = cell('en');
  assert.match(block.versions.python, /^import torch$/m);
  assert.match(block.versions.python, /DataLoader\(TensorDataset\(X, y\), batch_size=32\)/);
  assert.match(block.versions.python, /def train_model\(/);
  const py = await run(block, 'python');
  for (const who of ['LSTM', 'Transformer']) {
    const l = py.lines.find((x) => x.startsWith(`${who}: loss`));
    assert.ok(l, py.lines.join('\n'));
    assert.ok(Math.abs(printed([l], '->') - Math.log(2)) < 0.01, l);
    assert.ok(printed([l], 'unseen') > Math.log(2) - 0.003, l);
  }
  const js = await run(block, 'js');
  assert.deepEqual(py.lines, js.lines);
  assert.deepEqual([...py.plots.keys()], [...js.plots.keys()]);
});

test('ko article-training in PyTorch runs as written (one epoch) and prints what the Korean JavaScript cell prints', async () => {
  const block = cell('ko');
  const py = await run(block, 'python', { '에포크 수': 1 });
  const js = await run(block, 'js', { '에포크 수': 1 });
  assert.equal(py.lines.length, 4, py.lines.join('\n'));
  assert.match(py.lines[0], /^LSTM: 손실 0\.\d{4} -> 0\.\d{4}, 처음 보는 데이터 0\.\d{4}; 정확도 학습 0\.\d{3}, 처음 보는 데이터 0\.\d{3}$/);
  assert.deepEqual(py.lines, js.lines);
  assert.deepEqual([...py.plots.keys()], ['에포크별 평균 손실']);
});
