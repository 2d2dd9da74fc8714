// gl.tasks.NumberReading and gl.tasks.PairsTask through the wasm engine (the readings
// themselves are checked exhaustively in tests/engine/test_tasks_seq2seq.cpp).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { loadEngine } from './load-engine.mjs';
import { localizeError } from '../../web/src/api/error-catalog.js';

let gl;
before(async () => { gl = await loadEngine(); });

test('number readings: the examples, in Korean and English', () => {
  const ko = new gl.tasks.NumberReading({ language: 'ko' });
  const en = new gl.tasks.NumberReading({ language: 'en' });
  const cases = [[1204, '천이백사', 'one thousand two hundred four'], [35000, '삼만 오천', 'thirty-five thousand'],
    [10000, '만', 'ten thousand'], [110, '백십', 'one hundred ten'], [0, '영', 'zero'], [1001, '천일', 'one thousand one'],
    [100000000, '일억', 'one hundred million'], [100010000, '일억 만', 'one hundred million ten thousand']];
  for (const [n, k, e] of cases) {
    assert.equal(ko.reading(n), k);
    assert.equal(en.reading(n), e);
  }
});

test('number readings: a batch holds the pairs as padded ids, with BOS in and EOS out', () => {
  const task = new gl.tasks.NumberReading({ language: 'ko', minDigits: 1, maxDigits: 5, seed: 3 });
  const b = task.batch(32);
  const [B, S] = b.source.shape, T = b.target.shape[1];
  assert.equal(B, 32);
  assert.deepEqual(b.decoderInput.shape, [32, T]);
  assert.equal(S, Math.max(...b.sources.map((s) => s.length)));
  assert.equal(T, Math.max(...b.targets.map((s) => [...s].length)) + 1);
  assert.deepEqual(task.decode(b.target), b.targets);
  assert.deepEqual(task.decodeSource(b.source), b.sources);
  b.sources.forEach((s, i) => assert.equal(task.reading(Number(s)), b.targets[i]));
  const d = b.decoderInput.toArray(), t = b.target.toArray(), lens = b.targetLengths.toArray();
  for (let i = 0; i < B; i++) {
    assert.equal(d[i * T], gl.tasks.NumberReading.BOS);
    assert.equal(t[i * T + lens[i]], gl.tasks.NumberReading.EOS);
    for (let k = 0; k < lens[i]; k++) assert.equal(d[i * T + k + 1], t[i * T + k]);
  }
  assert.deepEqual(task.targetTokens.slice(0, 3), ['<pad>', '<bos>', '<eos>']);
  assert.equal(task.targetVocabSize, 3 + 17);  // 영 일…구 십 백 천 만 억 조 and the space
  assert.equal(task.sourceVocabSize, 13);
  assert.equal(task.maxTargetLength, 10);
  // the same seed, the same numbers
  const again = new gl.tasks.NumberReading({ language: 'ko', minDigits: 1, maxDigits: 5, seed: 3 }).batch(32);
  assert.deepEqual(again.sources, b.sources);
  // decode takes a 1-D tensor or an array too
  assert.equal(task.decode([1, ...task.batchOf([35000]).target.toArray()]), '삼만 오천');
});

test('number readings: English tokens are words, a hyphen ending its token', () => {
  const en = new gl.tasks.NumberReading({ language: 'en' });
  assert.equal(en.targetVocabSize, 3 + 41);
  const b = en.batchOf([35021]);
  const ids = Array.from(b.target.toArray());
  assert.deepEqual(ids.map((i) => en.targetTokens[i]), ['thirty-', 'five', 'thousand', 'twenty-', 'one', '<eos>']);
  assert.equal(en.decode(b.target)[0], 'thirty-five thousand twenty-one');
  assert.equal(en.maxTargetLength, 7);
});

test('number readings: padSource start puts the PAD before the digits', () => {
  const task = new gl.tasks.NumberReading({ language: 'en', maxDigits: 3, padSource: 'start' });
  const b = task.batchOf([7, 120]);
  assert.deepEqual(Array.from(b.source.toArray()), [0, 0, 10, 4, 5, 3]);
  assert.deepEqual(b.targets, ['seven', 'one hundred twenty']);
});

test('number readings: bad arguments name the call and the value', () => {
  assert.throws(() => new gl.tasks.NumberReading({ language: 'fr' }), /NumberReading: language must be 'ko' or 'en', got 'fr'/);
  assert.throws(() => new gl.tasks.NumberReading({ minDigits: 0 }), /NumberReading: minDigits must be a positive integer, got 0/);
  assert.throws(() => new gl.tasks.NumberReading({ minDigits: 4, maxDigits: 3 }), /NumberReading: maxDigits must be in \[minDigits = 4, 15\], got 3/);
  assert.throws(() => new gl.tasks.NumberReading({ maxDigits: 2.5 }), /maxDigits must be a positive integer, got 2.5/);
  assert.throws(() => new gl.tasks.NumberReading({ digits: 3 }), /NumberReading: unknown option 'digits'/);
  assert.throws(() => new gl.tasks.NumberReading({ padSource: 'left' }), /padSource must be 'end' or 'start', got 'left'/);
  const task = new gl.tasks.NumberReading();
  assert.throws(() => task.batch(0), /NumberReading.batch: batchSize must be a positive integer, got 0/);
  assert.throws(() => task.batchOf([-1]), /NumberReading.batchOf: numbers\[0\] must be a non-negative integer, got -1/);
  assert.throws(() => task.decode([99]), /Vocabulary.decode: id must be in \[0, 19\], got 99/);
});

test('pairs: the reader\'s lines become the same batches; bad lines are named', () => {
  const p = new gl.tasks.PairsTask({ text: '# animals\ncat\t고양이\n\ndog -> 개\n', seed: 1 });
  assert.equal(p.size, 2);
  assert.deepEqual(p.pairs(), [{ source: 'cat', target: '고양이', line: 2 }, { source: 'dog', target: '개', line: 4 }]);
  const b = p.slice(0, 2);
  assert.deepEqual(p.decode(b.target), ['고양이', '개']);
  assert.deepEqual(b.source.shape, [2, 3]);
  const drawn = p.batch(50);
  assert.ok(drawn.sources.includes('cat') && drawn.sources.includes('dog'));
  assert.deepEqual(p.encode([['dog', '개']]).targets, ['개']);
  assert.throws(() => p.encode([['cow', '소']]), /not in the vocabulary/);
  assert.throws(() => new gl.tasks.PairsTask({ text: 'a -> b\nc d' }), /PairsTask: line 2 has no separator/);
  assert.throws(() => new gl.tasks.PairsTask({ text: 'a -> ' }), /line 1 has an empty target/);
  assert.throws(() => new gl.tasks.PairsTask({ text: 'a -> b\n\t b' }), /line 2 has an empty source/);
  assert.throws(() => new gl.tasks.PairsTask({ text: 'a -> bbbb', maxLength: 3 }), /line 1 has a target of 4 characters \(at most 3\)/);
  assert.throws(() => new gl.tasks.PairsTask({ text: 'a -> b\na -> c', maxPairs: 1 }), /line 2 is pair number 2, more than the 1 pairs allowed/);
  assert.throws(() => new gl.tasks.PairsTask({ text: '' }), /PairsTask: the text has no pairs/);
  assert.throws(() => new gl.tasks.PairsTask({}), /PairsTask: text must be a string, got undefined/);
  assert.throws(() => p.slice(1, 5), /PairsTask.slice: count must be in \[1, 1\] from start 1, got 5/);
});

test('pairs: a bad line reads in Korean with its line number and values kept', () => {
  const cases = [
    ['a -> b\nc d', /^PairsTask: 2번째 줄에 구분자\(원문과 번역 사이의 탭 또는 ' -> '\)가 없습니다: 'c d'$/],
    ['a -> ', /^PairsTask: 1번째 줄의 번역\(구분자 뒤\)이 비어 있습니다\.$/],
    ['x -> bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb', /^PairsTask: 1번째 줄의 번역이 70자입니다\(최대 64자\)\.$/],
  ];
  for (const [text, korean] of cases) {
    let message = '';
    try { new gl.tasks.PairsTask({ text }); } catch (e) { message = e.message; }
    const { text: ko, matched } = localizeError(message, 'ko');
    assert.ok(matched, message);
    assert.match(ko, korean);
  }
});
