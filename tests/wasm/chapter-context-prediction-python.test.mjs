// The PyTorch version of the chapter "Context prediction"'s language-model cell (tiny-lm, the
// ```gradlab-python block after the JavaScript one, tutorials/*/06-context-prediction.md). It builds
// the model as a PyTorch user does (nn.TransformerEncoder copies one layer, the weights are drawn in
// another order), so it does not reproduce the JavaScript cell's weights: what must hold is that it
// builds the same corpus, learns the same thing (the loss falls far below ln 85, greedy decoding keeps
// the first clause's activity), that its sampling and attention behave, and the numbers the text
// quotes for it (seed 1, 300 steps: loss 0.382, "만화를 읽었다.", 24/24, 0.723).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadChapters, printed, runBlock } from '../../web/tools/check-chapters.mjs';
import { parsePythonKnobs } from '../../web/src/runner/python-knobs.js';

const SLUG = 'context-prediction';
const chapters = loadChapters().filter((c) => c.slug === SLUG);
const cell = (lang) => chapters.find((c) => c.lang === lang).cells.find((c) => c.id === 'tiny-lm');

async function run(lang, language, knobs = {}) {
  const block = cell(lang);
  const r = await runBlock({ ...block, language, code: block.versions[language] }, { knobs, timeoutMs: 120_000 });
  assert.equal(r.status, 'done', `${lang} #tiny-lm (${language}) ${JSON.stringify(knobs)}: ${r.status} ${r.error?.name}: ${r.error?.message} (line ${r.error?.line})`);
  return { r, lines: r.prints.map((p) => p.text) };
}
const line = (lines, start) => {
  const l = lines.find((x) => x.startsWith(start));
  assert.ok(l, `no line starting '${start}' in:\n${lines.join('\n')}`);
  return l;
};
const bracketed = (l) => [...l.matchAll(/\[([^\]]*)\]/g)].map((m) => m[1]);
const READ_SENTENCE = /^(책을|신문을|잡지를|소설을|편지를|만화를) 읽었다\.$/;
/** The knob labels a cell's code asks for, in order: knob('label', ... */
const knobLabels = (code) => [...code.matchAll(/\bknob\(\s*'([^']+)'/g)].map((m) => m[1]);

test('tiny-lm has a PyTorch version in both languages, written with the PyTorch modules, with the JavaScript version\'s knobs', () => {
  for (const lang of ['ko', 'en']) {
    const { js, python } = cell(lang).versions;
    assert.ok(python, `${lang}: no gradlab-python block for tiny-lm`);
    assert.match(python, /^import torch$/m);
    for (const used of ['nn.Module', 'nn.Embedding', 'register_buffer', 'nn.TransformerEncoderLayer(', 'norm_first=True',
      'batch_first=True', 'nn.TransformerEncoder(', 'torch.triu', 'nn.Linear', 'torch.optim.Adam', 'progress(', 'argmax']) {
      assert.ok(python.includes(used), `${lang}: the PyTorch version does not use ${used}`);
    }
    // The switch keeps the knobs by label: the same labels, in the same order.
    assert.deepEqual(knobLabels(python), knobLabels(js), lang);
    assert.equal(knobLabels(js).length, 6, lang);
    // The page draws a Python cell's controls from its code before it runs: all six, no problem.
    const drawn = parsePythonKnobs(python);
    assert.deepEqual(drawn.problems, [], lang);
    assert.deepEqual(drawn.knobs.map((k) => k.label), knobLabels(js), lang);
    assert.deepEqual(drawn.knobs.map((k) => k.value), [300, '나는 어제 책을 읽었는데, 오늘은 ', 0, 10, 2, 2], lang);
  }
  // The Korean and English versions are one program: only comments and strings differ.
  const shape = (code) => code.replace(/#.*$/gm, '').replace(/'[^'\n]*'|"[^"\n]*"/g, 'S').replace(/f?"""[\s\S]*?"""/g, 'S').replace(/\s+/g, ' ');
  assert.equal(shape(cell('ko').versions.python), shape(cell('en').versions.python));
});

test('defaults (en, PyTorch): the same corpus as the JavaScript cell, the loss far below ln 85, greedy keeps the activity', async () => {
  const { r, lines } = await run('en', 'python');
  // Plain-Python corpus from the engine's random numbers: the JavaScript cell's corpus, token for token.
  assert.match(line(lines, 'corpus:'), /2000 sentences, 54287 tokens; vocabulary: 85 tokens/);
  const listed = line(lines, 'vocabulary:').match(/^vocabulary: (.*) \(and the space, and the end of a sentence\)$/);
  assert.ok(listed);
  assert.equal(new Set(listed[1].split(' ')).size, 83);

  // The loss: it starts near ln 85 (a model that knows nothing) and ends far below it, at about 0.382.
  const losses = r.plots.get('Training loss (cross-entropy per token)').series[0].values;
  assert.equal(losses.length, 300);
  assert.ok(Math.abs(losses[0] - Math.log(85)) < 0.3, `first loss ${losses[0]}, ln 85 = ${Math.log(85)}`);
  const mean = printed(lines, 'mean loss of the last 50 steps =');
  assert.ok(mean < 0.5, `mean loss of the last 50 steps ${mean}: not well below ln 85`);
  assert.ok(Math.abs(mean - 0.382) < 0.01, `mean loss of the last 50 steps ${mean} (the text says 0.382)`);
  assert.ok(printed(lines, 'training: 300 steps in') > 0, 'the cell prints its own training time');

  // Step by step: five candidates with probabilities, the chosen token, the head's largest weight.
  const step1 = line(lines, 'step 1:');
  const top = [...step1.split('top 5:')[1].matchAll(/"(.)" (\d\.\d+)/g)].map((m) => Number(m[2]));
  assert.equal(top.length, 5, step1);
  for (let i = 1; i < 5; i++) assert.ok(top[i] <= top[i - 1], `top 5 not in order: ${step1}`);
  assert.match(step1, /-> "만"  \(layer 2 head 2 looks most at "[^"]+", \d+ back, weight \d\.\d\d\)$/);

  // Greedy decoding continues the prompt as the corpus implies; probabilities sum to 1; τ = 0 samples are greedy.
  const [greedy] = bracketed(line(lines, 'greedy (temperature 0):'));
  assert.match(greedy, READ_SENTENCE);
  assert.equal(greedy, '만화를 읽었다.');
  assert.match(line(lines, 'continuation (temperature 0):'), /\[만화를 읽었다\.\] and the sentence ends$/);
  assert.ok(printed(lines, 'largest |sum of p - 1| over the steps =') < 1e-5);
  assert.match(line(lines, '5 samples at temperature 0:'), /equal to greedy: 5\/5$/);

  // Over all 24 things as the first object: the activity kept in most (the text: all 24, with 0.723).
  const kept = printed(lines, 'greedy continuations that keep the activity:');
  assert.ok(kept >= 20, `kept the activity in ${kept}/24`);
  assert.equal(kept, 24);
  const mass = printed(lines, 'mean over the 24 things:');
  assert.ok(Math.abs(mass - 0.723) < 0.02, `probability of the right activity ${mass} (the text says 0.723)`);

  // The plots are the JavaScript cell's: a loss curve and two heatmaps of a causal model's attention.
  assert.deepEqual([...r.plots.values()].map((p) => p.kind ?? 'line'), ['line', 'heatmap', 'heatmap']);
  const probe = r.plots.get('Attention on a corpus sentence, layer 2 head 2').z;
  assert.equal(probe.length, 28);
  probe.forEach((row, q) => {
    assert.ok(Math.abs(row.reduce((a, b) => a + b, 0) - 1) < 1e-4, `row ${q} sums to ${row.reduce((a, b) => a + b, 0)}`);
    row.forEach((w, k) => { if (k > q) assert.equal(w, 0, `query ${q} attends to the later key ${k}`); });
  });
  const written = r.plots.get('Attention of each generated token, layer 2 head 2');
  assert.equal(written.z.length, [...greedy].length + 1, 'one row per written token, the end of the sentence included');
  assert.equal(r.prints.filter((p) => p.level !== 'log').length, 0, lines.join('\n'));
  assert.ok(r.progress && r.progress.step === 300 && r.progress.total === 300, JSON.stringify(r.progress));
});

test('ko, PyTorch, temperature 0.05 (a suggested setting): the Korean version prints the numbers the Korean text states, and the samples equal greedy', async () => {
  // Training and the greedy measurements come before any sampling, so they are the defaults' numbers.
  const { lines } = await run('ko', 'python', { '온도': 0.05 });
  assert.equal(bracketed(line(lines, '탐욕적 디코딩 (온도 0):'))[0], '만화를 읽었다.');
  assert.match(line(lines, '단계 1:'), /-> "만"  \(층 2 헤드 2의 주의가 가장 큰 곳: /);
  assert.equal(printed(lines, '활동을 유지한 탐욕적 이어 쓰기:'), 24);
  assert.ok(Math.abs(printed(lines, '24개의 평균:') - 0.723) < 0.02, lines.join('\n'));
  assert.ok(Math.abs(printed(lines, '마지막 50단계의 평균 손실 =') - 0.382) < 0.01, lines.join('\n'));
  assert.match(line(lines, '온도 0.05에서 뽑은 샘플 5개:'), /탐욕적 디코딩과 같은 것: 5\/5$/);
  assert.equal(bracketed(line(lines, '이어 쓴 글 (온도 0.05):'))[0], '만화를 읽었다.');
});

test('sampling (PyTorch, 100 steps): at temperature 1 the samples are drawn, not all the greedy continuation', async () => {
  const { lines } = await run('en', 'python', { 'training steps': 100, temperature: 1 });
  const samples = line(lines, '5 samples at temperature 1:');
  const [greedy] = bracketed(line(lines, 'greedy (temperature 0):'));
  assert.ok(bracketed(samples).some((s) => s !== greedy), samples);
  assert.ok(new Set(bracketed(samples)).size >= 2, samples);
});

test('a prompt with a syllable outside the vocabulary stops before training, naming the syllable (PyTorch)', async () => {
  const block = cell('en');
  const r = await runBlock({ ...block, language: 'python', code: block.versions.python }, { knobs: { prompt: '나는 어제 책을 샀는데, ' }, timeoutMs: 60_000 });
  assert.equal(r.status, 'failed');
  assert.match(r.error.message, /'샀' is not in the vocabulary \(the 85 tokens listed above\)/);
  assert.equal(r.progress, null, 'it started training');
});
