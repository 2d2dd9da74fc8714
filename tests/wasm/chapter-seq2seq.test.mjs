// The chapter "seq2seq and teacher forcing" (tutorials/*/08-seq2seq.md): each cell runs in Node
// the way the lab runs it (web/tools/check-chapters.mjs), with its defaults and seed, and what it
// prints and plots must show what the text says, in both languages (the English chapter reads
// numbers in English, the Korean one in Korean). The suggested settings are checked in
// chapter-suggestions.test.mjs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadChapters, runBlock } from '../../web/tools/check-chapters.mjs';

const SLUG = 'seq2seq';
const chapter = (lang) => loadChapters().find((c) => c.slug === SLUG && c.lang === lang);
const cell = (lang, id) => chapter(lang).cells.find((c) => c.id === id);

async function run(lang, id, knobs = {}) {
  const r = await runBlock(cell(lang, id), { knobs, timeoutMs: 180_000 });
  assert.equal(r.status, 'done', `${lang} #${id} ${JSON.stringify(knobs)}: ${r.status} ${r.error?.message ?? ''}`);
  return { r, lines: r.prints.map((p) => p.text) };
}
const percents = (s) => [...s.matchAll(/(\d+(?:\.\d+)?)%/g)].map((m) => Number(m[1]));
const near = (got, want, tol, what) => assert.ok(Math.abs(got - want) <= tol, `${what}: ${got}, the text says ${want}`);
const series = (r, title) => Object.fromEntries(r.plots.get(title).series.map((s) => [s.name, s.values]));

test('the chapter has the same cells, seeds and knobs in Korean and English', () => {
  const ids = (lang) => chapter(lang).cells.map((c) => `${c.id}@${c.seed}`);
  assert.deepEqual(ids('ko'), ids('en'));
  assert.deepEqual(ids('en'), ['reading-task@1', 'teacher-forcing@1', 'step-by-step@1', 'input-length@1', 'own-pairs@1', 'keep-model@1']);
});

// What each language's text states, from the cells' default runs.
const TEXT = {
  en: {
    vocab: [13, 44], longest: 7, ratioLine: (r) => `ratio ${r}:`, tokensLine: 'tokens right:',
    exact200: [63.5, 64.0, 59.0], exact100: [47.5, 47.5, 40.0], losses: [0.318, 0.386, 0.562],
    tokens: [94.9, 90.2], number: 35021, free: 'thirty-five thousand three hundred two',
    byLength: [100, 100, 95, 67, 26, 3], freeLine: 'free running reads it as:',
    pairsRight: (l) => l.match(/^step (\d+): loss [\d.]+, pairs written right (\d+) of (\d+)$/), newLine: 'new: ',
    fileKnob: 'or a file (.txt, .tsv, .csv)', pairsKnob: 'pairs', stepsKnob: 'training steps', pairsFrom: (n, from) => `${n} pairs from ${from}:`,
    savedKnob: 'start from a saved model', readRight: (l) => l.match(/^readings right: (\d+) of 200 test numbers$/), right200: 159,
    numbers: { 35021: 'thirty-five thousand three hundred two', 1204: 'one thousand two hundred four' }, loaded: 'loaded seq2seq.safetensors', vocab2: 44,
    exactPlot: 'Readings right, free running (200 test numbers)', lossPlot: 'Training loss per token',
    positionPlot: 'Tokens right at each position (200 test numbers)', fed: ['fed the true tokens', 'fed its own guesses'],
  },
  ko: {
    vocab: [13, 20], longest: 10, ratioLine: (r) => `비율 ${r}:`, tokensLine: '맞은 토큰:',
    exact200: [68.5, 68.0, 56.5], exact100: [57.0, 50.0, 47.5], losses: [0.226, 0.312, 0.420],
    tokens: [95.1, 91.6], number: 35000, free: '삼만 오천삼십',
    byLength: [100, 100, 95, 61, 40, 5], freeLine: '자유 실행으로 읽은 결과:',
    pairsRight: (l) => { const m = l.match(/^(\d+)단계: 손실 [\d.]+, 맞게 쓴 쌍 (\d+)개 중 (\d+)개$/); return m && [m[0], m[1], m[3], m[2]]; },
    newLine: '새 단어: ',
    fileKnob: '또는 파일(.txt, .tsv, .csv)', pairsKnob: '쌍', stepsKnob: '학습 단계', pairsFrom: (n, from) => `${from}에서 쌍 ${n}개:`,
    savedKnob: '저장한 모델에서 시작', readRight: (l) => l.match(/^맞게 읽은 수: 시험용 숫자 200개 중 (\d+)개$/), right200: 154,
    numbers: { 35000: '삼만 오천삼십', 1204: '천이백사' }, loaded: 'seq2seq.safetensors(', vocab2: 20,
    exactPlot: '맞게 읽은 비율, 자유 실행(시험용 숫자 200개)', lossPlot: '토큰당 학습 손실',
    positionPlot: '위치별로 맞은 토큰(시험용 숫자 200개)', fed: ['정답 토큰을 입력', '자기 예측을 입력'],
  },
};

for (const lang of ['en', 'ko']) {
  const say = TEXT[lang];

  test(`${lang} #reading-task: six pairs, the vocabularies, and the decoder input is the target shifted behind BOS`, async () => {
    const { lines } = await run(lang, 'reading-task');
    const pairs = lines.slice(0, 6).map((l) => l.split('  →  ').map((s) => s.trim()));
    assert.equal(pairs.length, 6);
    for (const [digits, reading] of pairs) assert.ok(/^\d+$/.test(digits) && reading.length > 0, `${digits} → ${reading}`);
    assert.deepEqual(percents(lines.join(' ')), []);
    const counts = lines[6].match(/\d+/g).map(Number);
    assert.deepEqual([counts[0], counts.at(-1)], say.vocab, lines[6]);
    assert.ok(lines[7].includes(`${say.longest}`), lines[7]);
    const ids = (l) => l.match(/^\S+(?: \S+)?\s+((?:\d+ )*\d+)\s{3}/)[1].split(' ').map(Number);
    const [src, dec, tgt] = [lines[8], lines[9], lines[10]].map(ids);
    assert.equal(dec[0], 1, 'BOS first');
    const m = tgt.indexOf(2); // EOS
    assert.ok(m > 0, 'EOS in the target');
    assert.deepEqual(dec.slice(1, m + 1), tgt.slice(0, m), 'decoder input = BOS + target, one step behind');
    assert.equal(src.filter((i) => i >= 3).length, pairs[0][0].length, 'one source token per digit');
  });

  test(`${lang} #teacher-forcing: ratio 0 trails ratios 1 and 0.5 in readings right, free running, and the losses are in the order 1 < 0.5 < 0`, async () => {
    const { r, lines } = await run(lang, 'teacher-forcing');
    const rows = [1, 0.5, 0].map((ratio) => {
      const l = lines.find((x) => x.startsWith(say.ratioLine(ratio)));
      assert.ok(l, `no line for ratio ${ratio} in\n${lines.join('\n')}`);
      return { loss: Number(l.match(/(\d\.\d{3})/)[1]), exact: percents(l) };
    });
    rows.forEach((row, k) => {
      assert.equal(row.exact.length, 4, 'readings at steps 50, 100, 150, 200');
      near(row.exact[3], say.exact200[k], 3, `readings right at 200, ratio index ${k}`);
      near(row.exact[1], say.exact100[k], 3, `readings right at 100, ratio index ${k}`);
      near(row.loss, say.losses[k], 0.02, `loss, ratio index ${k}`);
    });
    // the claims: free running (ratio 0) is behind both others at steps 100, 150 and 200
    for (const j of [1, 2, 3]) {
      assert.ok(rows[2].exact[j] < rows[0].exact[j] && rows[2].exact[j] < rows[1].exact[j], `at checkpoint ${j}: ${rows.map((x) => x.exact[j])}`);
    }
    assert.ok(rows[0].loss < rows[1].loss && rows[1].loss < rows[2].loss, rows.map((x) => x.loss).join(' '));
    const loss = series(r, say.lossPlot);
    assert.equal(Object.values(loss)[0].length, 200);
    assert.equal(Object.values(series(r, say.exactPlot))[0].length, 4);
  });

  test(`${lang} #step-by-step: fed the true tokens the model gets more right than fed its own; ${say.number} goes wrong free running`, async () => {
    const { r, lines } = await run(lang, 'step-by-step');
    const [fed, own] = percents(lines.find((l) => l.startsWith(say.tokensLine)));
    near(fed, say.tokens[0], 1.5, 'tokens right, fed the true tokens');
    near(own, say.tokens[1], 1.5, 'tokens right, fed its own guesses');
    assert.ok(fed > own + 2, `${fed} vs ${own}`);
    const curves = series(r, say.positionPlot);
    const [a, b] = say.fed.map((name) => curves[name]);
    assert.equal(a[0], b[0], 'the first token has no prefix: both ways the same');
    const later = (c) => c.slice(2).reduce((s, v) => s + v, 0);
    assert.ok(later(b) < later(a) - 0.1, `later positions: ${a} vs ${b}`);
    assert.equal(lines.find((l) => l.startsWith(say.freeLine)).slice(say.freeLine.length).trim(), say.free);
    assert.ok(lines.some((l) => l.startsWith(`${say.number}:`)));
  });

  test(`${lang} #input-length: readings right fall with the number of digits`, async () => {
    const { lines } = await run(lang, 'input-length');
    const got = percents(lines.at(-1));
    assert.equal(got.length, 6, lines.at(-1));
    got.forEach((p, k) => near(p, say.byLength[k], 4, `${k + 1} digits`));
    for (let k = 1; k < 6; k++) assert.ok(got[k] <= got[k - 1], `not falling at ${k + 1} digits: ${got}`);
    assert.deepEqual(got.slice(0, 2), [100, 100]);
    assert.ok(got[5] < 10, `6 digits: ${got[5]}%`);
  });
}

// What the own-pairs cell prints at its defaults (the same pairs in both languages), and what
// the text says of it: 7, 39, 40, 40 of the 40 pairs right at steps 25, 50, 100, 200; new words
// come out as the romanisation of a word it learnt.
const OWN = { right: [[25, 7], [50, 39], [100, 40], [200, 40]], fresh: { 하나: 'naengmyeon', 고래: 'norae', 주부: 'dubu' } };

for (const lang of ['en', 'ko']) {
  const say = TEXT[lang];

  test(`${lang} #own-pairs: the 40 pairs of the text are learnt by heart in 100 steps, new words are not read`, async () => {
    const { r, lines } = await run(lang, 'own-pairs');
    assert.ok(lines[0].startsWith(say.pairsFrom(40, lang === 'en' ? 'the text' : '글')), lines[0]);
    const rows = lines.map(say.pairsRight).filter(Boolean).map((m) => [Number(m[1]), Number(m[2]), Number(m[3])]);
    assert.deepEqual(rows.map(([step, right]) => [step, right]), OWN.right);
    rows.forEach(([, , total]) => assert.equal(total, 40));
    const decoded = lines.filter((l) => / → /.test(l) && !l.startsWith(say.newLine));
    assert.equal(decoded.length, 8);
    decoded.forEach((l) => assert.ok(!l.includes('('), `a training pair written wrong: ${l}`));
    assert.ok(decoded[0] === '서울 → seoul', decoded[0]);
    const fresh = Object.fromEntries(lines.filter((l) => l.startsWith(say.newLine)).map((l) => l.slice(say.newLine.length).split(' → ')));
    assert.equal(Object.keys(fresh).length, 6);
    for (const [w, want] of Object.entries(OWN.fresh)) assert.equal(fresh[w], want, w);
    assert.equal(Object.values(series(r, lang === 'en' ? 'Training loss per token' : '토큰당 학습 손실'))[0].length, 200);
  });

  test(`${lang} #keep-model: the saved file loads back into a model that reads every number the same, without training`, async () => {
    const a = await run(lang, 'keep-model');
    assert.equal(a.r.downloads.length, 1);
    const file = a.r.downloads[0];
    assert.equal(file.name, 'seq2seq.safetensors');
    // safetensors: an 8-byte little-endian header length, then a JSON header naming the tensors
    const n = Number(new DataView(file.bytes.buffer, file.bytes.byteOffset).getBigUint64(0, true));
    const header = JSON.parse(new TextDecoder().decode(file.bytes.subarray(8, 8 + n)));
    const names = Object.keys(header).filter((k) => k !== '__metadata__');
    const printed = a.lines.filter((l) => l.startsWith('  ')).map((l) => l.trim().match(/^(\S+) \[([\d, ]+)\]$/));
    assert.deepEqual(printed.map((m) => m[1]).sort(), names.sort());
    for (const m of printed) assert.deepEqual(header[m[1]].shape, m[2].split(', ').map(Number), m[1]);
    assert.deepEqual(header['encoder.weight_ih_l0'].shape, [192, 32]);
    assert.deepEqual(header['out.weight'].shape, [say.vocab2, 64]);
    const right = Number(a.lines.map(say.readRight).find(Boolean)[1]);
    assert.equal(right, say.right200);
    for (const [num, reading] of Object.entries(say.numbers)) assert.ok(a.lines.includes(`${num} → ${reading}`), `${num} → ${reading}`);

    const b = await run(lang, 'keep-model', { [say.savedKnob]: { name: file.name, size: file.bytes.length, bytes: file.bytes } });
    assert.ok(a.r.progress && a.r.progress.step > 0, 'the first run trains');
    assert.equal(b.r.progress, null, 'loading skips the training: no training step reported');
    assert.ok(b.lines[0].startsWith(say.loaded), b.lines[0]);
    assert.equal(b.r.downloads.length, 0);
    const results = (lines) => lines.slice(lines.findIndex((l) => say.readRight(l)));
    assert.deepEqual(results(b.lines), results(a.lines), 'the loaded model reads as the saved one');
  });
}

test('en #own-pairs: a bad line stops the run with its number; a .csv file replaces the text', async () => {
  const bad = await runBlock(cell('en', 'own-pairs'), { knobs: { pairs: '서울 -> seoul\n부산 -> busan\n대구 daegu\n' } });
  assert.equal(bad.status, 'failed');
  assert.match(bad.error.message, /line 3 has no separator .*'대구 daegu'/);
  const csv = new TextEncoder().encode('# word,romanisation\nab,AB\nba,BA\n');
  const { lines } = await run('en', 'own-pairs', { [TEXT.en.fileKnob]: { name: 'mine.csv', size: csv.length, bytes: csv }, [TEXT.en.stepsKnob]: 50 });
  assert.ok(lines[0].startsWith('2 pairs from mine.csv:'), lines[0]);
  assert.ok(lines.includes('ab → AB') && lines.includes('ba → BA'), lines.join('\n'));
});
