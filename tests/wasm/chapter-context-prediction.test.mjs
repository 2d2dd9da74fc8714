// The chapter "Context prediction" (tutorials/*/06-context-prediction.md): its language-model
// cell runs in Node the way the lab runs it (web/tools/check-chapters.mjs), and what it prints
// must show what the text says: the loss it reaches, the greedy continuation the corpus implies,
// probabilities that sum to 1, samples that become greedy as the temperature goes to 0, and the
// head that looks back at the first clause. The text's numbers are those of the default run
// (seed 1, 300 steps); the suggested settings are checked in chapter-suggestions.test.mjs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadChapters, printed, runBlock } from '../../web/tools/check-chapters.mjs';

const SLUG = 'context-prediction';
const chapter = (lang) => loadChapters().find((c) => c.slug === SLUG && c.lang === lang);
const cell = (lang) => chapter(lang).cells.find((c) => c.id === 'tiny-lm');

async function run(lang, knobs = {}) {
  const r = await runBlock(cell(lang), { knobs, timeoutMs: 120_000 });
  assert.equal(r.status, 'done', `${lang} #tiny-lm ${JSON.stringify(knobs)}: ${r.status} ${r.error?.message ?? ''}`);
  return { r, lines: r.prints.map((p) => p.text) };
}
const line = (lines, start) => {
  const l = lines.find((x) => x.startsWith(start));
  assert.ok(l, `no line starting '${start}' in:\n${lines.join('\n')}`);
  return l;
};
/** The syllables between the brackets of a printed continuation: 'greedy (…): [신문을 읽었다.]' -> '신문을 읽었다.' */
const bracketed = (l) => [...l.matchAll(/\[([^\]]*)\]/g)].map((m) => m[1]);
// The corpus's things one reads, by first syllable (책, 신문, 잡지, 소설, 편지, 만화).
const READ = ['책', '신', '잡', '소', '편', '만'];
const READ_SENTENCE = /^(책을|신문을|잡지를|소설을|편지를|만화를) 읽었다\.$/;

test('the chapter has the same experiment, with the same seed and knobs, in Korean and English', () => {
  const ids = (lang) => chapter(lang).cells.map((c) => `${c.id}@${c.seed}`);
  assert.deepEqual(ids('ko'), ids('en'));
  assert.deepEqual(ids('en'), ['tiny-lm@1']);
});

test('defaults (en): the loss falls from ln 85 to about 0.39, greedy decoding continues the prefix as the corpus implies, and a head looks back at the first clause', async () => {
  const { r, lines } = await run('en');
  const corpus = line(lines, 'corpus:');
  assert.match(corpus, /2000 sentences, 54287 tokens; vocabulary: 85 tokens/);
  const listed = line(lines, 'vocabulary:').match(/^vocabulary: (.*) \(and the space, and the end of a sentence\)$/);
  assert.ok(listed, line(lines, 'vocabulary:'));
  const vocabulary = new Set([...listed[1].split(' '), ' ', '\n']);
  assert.equal(vocabulary.size, 85, 'the listed tokens, the space and the end of a sentence');

  // The loss: it starts at about ln 85 (a model that knows nothing) and ends near 0.387.
  const losses = r.plots.get('Training loss (cross-entropy per token)').series[0].values;
  assert.equal(losses.length, 300);
  assert.ok(Math.abs(losses[0] - Math.log(85)) < 0.3, `first loss ${losses[0]}, ln 85 = ${Math.log(85)}`);
  const mean = printed(lines, 'mean loss of the last 50 steps =');
  assert.ok(mean > 0.36 && mean < 0.41, `mean loss of the last 50 steps ${mean} (the text says 0.387)`);

  // Step 1: all five candidates are things one reads; the head looks at the first clause's verb.
  const step1 = line(lines, 'step 1:');
  const top = [...step1.split('top 5:')[1].matchAll(/"(.)" (\d\.\d+)/g)].map((m) => [m[1], Number(m[2])]);
  assert.equal(top.length, 5, step1);
  for (const [syllable] of top) assert.ok(READ.includes(syllable), `${syllable} is not a thing one reads: ${step1}`);
  assert.equal(top[0][0], '신', step1);
  assert.ok(Math.abs(top[0][1] - 0.202) < 0.02, step1);
  const looks = step1.match(/looks most at "(.)", (\d+) back, weight (\d\.\d+)/);
  assert.ok(looks, step1);
  assert.equal(looks[1], '읽', step1);
  assert.equal(Number(looks[2]), 9, step1);
  assert.ok(Number(looks[3]) > 0.45, step1);
  // Choosing the verb of the second clause (step 5), the head looks at the thing just written.
  assert.match(line(lines, 'step 5:'), /-> "읽"  \(layer 2 head 2 looks most at "신", 3 back/);
  // After the first syllable every step is nearly certain (0.98 or more).
  for (let s = 2; s <= 9; s++) {
    const p = Number(line(lines, `step ${s}:`).split('top 5:')[1].match(/"[^"]+" (\d\.\d+)/)[1]);
    assert.ok(p >= 0.98, `step ${s}: ${p}`);
  }

  // The continuation, the probabilities, the samples.
  const [greedy] = bracketed(line(lines, 'greedy (temperature 0):'));
  assert.equal(greedy, '신문을 읽었다.');
  assert.match(greedy, READ_SENTENCE);
  assert.match(line(lines, 'continuation (temperature 0):'), /\[신문을 읽었다\.\] and the sentence ends$/);
  assert.ok(printed(lines, 'largest |sum of p - 1| over the steps =') < 1e-5);
  const samples = line(lines, '5 samples at temperature 0:');
  assert.match(samples, /equal to greedy: 5\/5$/);
  for (const s of [greedy, ...bracketed(samples)]) {
    for (const c of s) assert.ok(vocabulary.has(c), `'${c}' of "${s}" is not in the printed vocabulary`);
  }

  // Over all 24 things as the first object: the activity is kept in 23, with 0.647 of the probability.
  const kept = line(lines, 'greedy continuations that keep the activity:');
  assert.match(kept, /: 2[2-4]\/24$/);
  assert.equal(printed([kept], 'activity:'), 23, kept);
  const mass = printed(lines, 'mean over the 24 things:');
  assert.ok(mass > 0.6 && mass < 0.7, `probability of the right activity ${mass} (the text says 0.647)`);

  // The heatmaps are attention weights of a causal model: rows sum to 1, nothing above the diagonal.
  const probe = r.plots.get('Attention on a corpus sentence, layer 2 head 2').z;
  probe.forEach((row, q) => {
    assert.ok(Math.abs(row.reduce((a, b) => a + b, 0) - 1) < 1e-4, `row ${q} sums to ${row.reduce((a, b) => a + b, 0)}`);
    row.forEach((w, k) => { if (k > q) assert.equal(w, 0, `query ${q} attends to the later key ${k}`); });
  });
  const written = r.plots.get('Attention of each generated token, layer 2 head 2').z;
  assert.equal(written.length, [...greedy].length + 1, 'one row per written token, the end of the sentence included');
  assert.ok(written[0][10] > 0.45, `the first written token's weight on 읽 (position 10): ${written[0][10]}`);
});

test('defaults (ko): the Korean cell prints the numbers the Korean text states', async () => {
  const { lines } = await run('ko');
  assert.equal(bracketed(line(lines, '탐욕적 디코딩 (온도 0):'))[0], '신문을 읽었다.');
  // The numbers the Korean text quotes (신 0.202, 읽 9 back with 0.58, 23/24, 0.647, 0.387), within a hair.
  const step1 = line(lines, '단계 1:');
  const [, p, w] = step1.match(/"신" (\d\.\d+).*"읽", 9칸 앞, 가중치 (\d\.\d+)/) ?? [];
  assert.ok(Math.abs(p - 0.202) < 0.02 && Math.abs(w - 0.58) < 0.05, step1);
  assert.equal(printed(lines, '활동을 유지한 탐욕적 이어 쓰기:'), 23);
  assert.ok(Math.abs(printed(lines, '24개의 평균:') - 0.647) < 0.02, lines.join('\n'));
  assert.ok(Math.abs(printed(lines, '마지막 50단계의 평균 손실 =') - 0.387) < 0.01, lines.join('\n'));
});

test('as the temperature goes to 0, sampling becomes greedy (checked on a model trained for 100 steps)', async () => {
  const { lines } = await run('en', { 'training steps': 100, temperature: 0.05 });
  assert.match(line(lines, '5 samples at temperature 0.05:'), /equal to greedy: 5\/5$/);
  const [shown] = bracketed(line(lines, 'continuation (temperature 0.05):'));
  assert.equal(shown, bracketed(line(lines, 'greedy (temperature 0):'))[0]);
});

test('a prompt with a syllable outside the vocabulary stops before training, naming the syllable', async () => {
  const r = await runBlock(cell('en'), { knobs: { prompt: '나는 어제 책을 샀는데, ' }, timeoutMs: 60_000 });
  assert.equal(r.status, 'failed');
  assert.match(r.error.message, /'샀' is not in the vocabulary \(the 85 tokens listed above\)/);
  assert.ok(r.ms < 5000, `it failed after ${r.ms} ms, so it trained first`);
});
