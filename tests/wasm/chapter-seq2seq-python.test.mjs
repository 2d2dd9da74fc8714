// The PyTorch version of the chapter "seq2seq and teacher forcing"'s cell teacher-forcing (the
// ```gradlab-python block after the JavaScript one, tutorials/*/08-seq2seq.md), and the module it
// reads its data from, gradlab.tasks (web/src/python/gradlab/tasks.py): the engine's number
// readings as torch tensors. The Python version is written as a PyTorch user writes it (an Encoder
// and a Decoder nn.Module, F.cross_entropy over all steps at once); its layers are made in the
// JavaScript cell's order, so it starts from the same weights and trains on the same batches:
// the test checks that it learns what the JavaScript cell learns, prints the numbers the text
// states (the JavaScript cell's), and follows the JavaScript cell's losses step by step.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { loadChapters, runBlock } from '../../web/tools/check-chapters.mjs';
import { parsePythonKnobs } from '../../web/src/runner/python-knobs.js';
import { loadPython } from './python-harness.mjs';
import { runPy, pyError } from './torch-nn-helpers.mjs';

const SLUG = 'seq2seq';
const chapter = (lang) => loadChapters().find((c) => c.slug === SLUG && c.lang === lang);
const cell = (lang) => chapter(lang).cells.find((c) => c.id === 'teacher-forcing');

async function run(lang, language, knobs = {}) {
  const block = cell(lang);
  const r = await runBlock({ ...block, language, code: block.versions[language] }, { knobs, timeoutMs: 180_000 });
  assert.equal(r.status, 'done', `${lang} #teacher-forcing (${language}) ${JSON.stringify(knobs)}: ${r.status} ${r.error?.name}: ${r.error?.message} (line ${r.error?.line})`);
  return { r, lines: r.prints.map((p) => p.text) };
}
// One Pyodide for the file (python-harness.mjs prepares it as the page's worker does): the cell as
// written runs in it with its seed and knobs; the JavaScript cell runs in the lab's own runner.
let py;
before(async () => { py = await loadPython(); });
async function runPython(lang, knobs = {}) {
  const block = cell(lang);
  const r = await py.run(block.versions.python, { knobs, seed: block.seed });
  assert.equal(r.error, null, `${lang} #teacher-forcing (PyTorch) ${JSON.stringify(knobs)}: ${r.error?.name}: ${r.error?.message} (line ${r.error?.line})`);
  // the last plot of each title, as the page shows it
  const plots = new Map(r.plots.map((p) => [p.title, p]));
  return { r: { ...r, plots }, lines: r.lines };
}
const percents = (s) => [...s.matchAll(/(\d+(?:\.\d+)?)%/g)].map((m) => Number(m[1]));
const series = (r, title) => Object.fromEntries(r.plots.get(title).series.map((s) => [s.name, s.values]));
const knobLabels = (code) => [...code.matchAll(/\bknob\(\s*'([^']+)'/g)].map((m) => m[1]);

// What each language's text states for the default run (200 steps), the JavaScript cell's numbers.
const TEXT = {
  en: {
    ratioLine: (r) => `ratio ${r}:`, exact200: [63.5, 64.0, 59.0], exact100: [47.5, 47.5, 40.0], losses: [0.318, 0.386, 0.562],
    exactPlot: 'Readings right, free running (200 test numbers)', lossPlot: 'Training loss per token',
    knobs: ['hidden size', 'digits', 'training steps'],
  },
  ko: {
    ratioLine: (r) => `비율 ${r}:`, exact200: [68.5, 68.0, 56.5], exact100: [57.0, 50.0, 47.5], losses: [0.226, 0.312, 0.420],
    exactPlot: '맞게 읽은 비율, 자유 실행(시험용 숫자 200개)', lossPlot: '토큰당 학습 손실',
    knobs: ['은닉 크기', '자릿수', '학습 단계'],
  },
};

test('teacher-forcing has a PyTorch version in both languages, written with PyTorch modules, with the JavaScript version\'s knobs', () => {
  for (const lang of ['ko', 'en']) {
    const { js, python } = cell(lang).versions;
    assert.ok(python, `${lang}: no gradlab-python block for teacher-forcing`);
    assert.match(python, /^import torch$/m);
    assert.match(python, /^from gradlab\.tasks import NumberReading/m);
    for (const used of ['(nn.Module)', 'nn.Embedding(', 'nn.GRU(', 'batch_first=True', 'nn.GRUCell(', 'nn.Linear(',
      'torch.optim.Adam(', 'F.cross_entropy(', 'ignore_index=PAD', "reduction='sum'", 'torch.rand(n) < ratio',
      'torch.where(', 'argmax', 'torch.no_grad()', 'task.decode(', 'progress(step, steps)']) {
      assert.ok(python.includes(used), `${lang}: the PyTorch version does not use ${used}`);
    }
    // The Python version does not make readings of its own: they come from the engine's task code.
    const code = python.replace(/"""[\s\S]*?"""/g, '').replace(/#.*$/gm, '');
    assert.doesNotMatch(code, /thousand|hundred|만|천|백/, `${lang}: the Python version spells out readings`);
    // The switch keeps the knobs by label: the same labels, in the same order, the same defaults.
    assert.deepEqual(knobLabels(python), knobLabels(js), lang);
    assert.deepEqual(knobLabels(python), TEXT[lang].knobs, lang);
    const drawn = parsePythonKnobs(python);
    assert.deepEqual(drawn.problems, [], lang);
    assert.deepEqual(drawn.knobs.map((k) => k.label), TEXT[lang].knobs, lang);
    assert.deepEqual(drawn.knobs.map((k) => k.value), [64, 5, 200], lang);
  }
  // The Korean and English versions are one program: only comments and strings differ.
  const shape = (code) => code.replace(/"""[\s\S]*?"""/g, 'S').replace(/#.*$/gm, '').replace(/f?'[^'\n]*'|f?"[^"\n]*"/g, 'S').replace(/\s+/g, ' ');
  assert.equal(shape(cell('ko').versions.python), shape(cell('en').versions.python));
});

for (const lang of ['en', 'ko']) {
  const say = TEXT[lang];
  test(`${lang} #teacher-forcing (PyTorch), defaults: all three ratios learn to read, ratio 0 trails at 100, 150 and 200 steps, the text's numbers`, async () => {
    const { r, lines } = await runPython(lang);
    const rows = [1, 0.5, 0].map((ratio) => {
      const l = lines.find((x) => x.startsWith(say.ratioLine(ratio)));
      assert.ok(l, `no line for ratio ${ratio} in\n${lines.join('\n')}`);
      return { loss: Number(l.match(/(\d\.\d{3})/)[1]), exact: percents(l) };
    });
    rows.forEach((row, k) => {
      assert.equal(row.exact.length, 4, 'readings at steps 50, 100, 150, 200');
      // learned: well above 0 at the last checkpoint, and rising from the first
      assert.ok(row.exact[3] > 40 && row.exact[3] > row.exact[0] + 20, `ratio index ${k}: ${row.exact}`);
      // the numbers the text states (the JavaScript cell's): this version trains the same model
      assert.equal(row.exact[3], say.exact200[k], `readings right at 200, ratio index ${k}`);
      assert.equal(row.exact[1], say.exact100[k], `readings right at 100, ratio index ${k}`);
      assert.ok(Math.abs(row.loss - say.losses[k]) <= 0.002, `loss ${row.loss}, the text says ${say.losses[k]} (ratio index ${k})`);
    });
    for (const j of [1, 2, 3]) {
      assert.ok(rows[2].exact[j] < rows[0].exact[j] && rows[2].exact[j] < rows[1].exact[j], `ratio 0 does not trail at checkpoint ${j}: ${rows.map((x) => x.exact[j])}`);
    }
    assert.ok(rows[0].loss < rows[1].loss && rows[1].loss < rows[2].loss, rows.map((x) => x.loss).join(' '));
    // the JavaScript cell's two plots, under the same titles and series names
    const loss = series(r, say.lossPlot);
    assert.deepEqual(Object.keys(loss), [1, 0.5, 0].map((x) => say.ratioLine(x).slice(0, -1)));
    Object.values(loss).forEach((v) => assert.equal(v.length, 200));
    assert.ok(r.plots.get(say.lossPlot).logY);
    const exact = series(r, say.exactPlot);
    Object.values(exact).forEach((v, k) => assert.deepEqual(v.map((e) => Math.round(1000 * e) / 10), rows[k].exact));
    assert.ok(lines.every((l) => !l.startsWith('[')), `something printed as an error or warning:\n${lines.join('\n')}`);
    assert.deepEqual(r.progress.at(-1), [200, 200]);
    assert.equal(r.progress.length, 200);
  });
}

// ---- gradlab.tasks ------------------------------------------------------------------------------
test('gradlab.tasks.NumberReading gives exactly the batches gl.tasks.NumberReading gives, with the same fields, as torch.long', async () => {
  const gl = py.gl;
  for (const [language, padSource, minDigits, maxDigits, seed] of [['en', 'start', 1, 5, 3], ['ko', 'end', 2, 9, 11]]) {
    const [got] = await runPy(py, `
from gradlab.tasks import NumberReading
task = NumberReading(language='${language}', min_digits=${minDigits}, max_digits=${maxDigits}, seed=${seed}, pad_source='${padSource}')
out = {'attrs': [task.PAD, task.BOS, task.EOS, task.source_vocab_size, task.target_vocab_size, task.max_target_length],
       'tokens': [task.source_tokens, task.target_tokens], 'batches': []}
for n in (5, 17, 1):
    b = task.batch(n)
    fields = [b.source, b.source_lengths, b.decoder_input, b.target, b.target_lengths]
    assert all(f.dtype == torch.long for f in fields), [f.dtype for f in fields]
    out['batches'].append([f.tolist() for f in fields] + [b.sources, b.targets, len(b),
                          task.decode(b.target), task.decode(b.target[0]), task.decode(b.target[0].tolist()),
                          task.decode(b.decoder_input.tolist()), task.decode_source(b.source)])
of = task.batch_of([35021, 1204, 7])
out['of'] = [of.targets, of.target.tolist(), task.reading(35000)]
emit(out)
`, { seed: 99 });
    const task = new gl.tasks.NumberReading({ language, minDigits, maxDigits, seed, padSource });
    const { PAD, BOS, EOS } = gl.tasks.NumberReading;
    assert.deepEqual(got.attrs, [PAD, BOS, EOS, task.sourceVocabSize, task.targetVocabSize, task.maxTargetLength]);
    assert.deepEqual(got.tokens, [[...task.sourceTokens], [...task.targetTokens]]);
    const rows = (t) => { const [B, T] = t.shape; const v = Array.from(t.toArray()); return Array.from({ length: B }, (_, i) => v.slice(i * T, (i + 1) * T)); };
    [5, 17, 1].forEach((n, k) => {
      const b = task.batch(n);
      const [source, sourceLengths, decoderInput, target, targetLengths, sources, targets, size, ...decoded] = got.batches[k];
      assert.deepEqual(source, rows(b.source), `${language} batch ${k}: source`);
      assert.deepEqual(sourceLengths, Array.from(b.sourceLengths.toArray()), `${language} batch ${k}: source lengths`);
      assert.deepEqual(decoderInput, rows(b.decoderInput), `${language} batch ${k}: decoder input`);
      assert.deepEqual(target, rows(b.target), `${language} batch ${k}: target`);
      assert.deepEqual(targetLengths, Array.from(b.targetLengths.toArray()), `${language} batch ${k}: target lengths`);
      assert.deepEqual(sources, [...b.sources]);
      assert.deepEqual(targets, [...b.targets]);
      assert.equal(size, n);
      // decode: a (B, T) tensor or a list of lists gives one text per row, a row (tensor or list) one text
      assert.deepEqual(decoded, [[...b.targets], b.targets[0], b.targets[0], [...b.targets], [...b.sources]]);
    });
    assert.notDeepEqual(got.batches[0][6], got.batches[1][6].slice(0, 5), 'each batch call draws new numbers');
    const of = task.batchOf([35021, 1204, 7]);
    assert.deepEqual(got.of, [[...of.targets], rows(of.target), task.reading(35000)]);
  }
});

test('gradlab.tasks: gradlab.tasks after import gradlab, and errors that name the call', async () => {
  const [same, names] = await runPy(py, `
import gradlab
from gradlab.tasks import NumberReading
emit(gradlab.tasks.NumberReading is NumberReading)
emit([n for n in dir(gradlab) if n == 'tasks'])
`);
  assert.equal(same, true);
  assert.deepEqual(names, ['tasks']);
  const pad = await pyError(py, "from gradlab.tasks import NumberReading\nNumberReading(language='en', pad_source='middle')");
  assert.equal(pad.name, 'TypeError');
  assert.match(pad.message, /NumberReading: padSource must be 'end' or 'start', got 'middle'/);
  const floats = await pyError(py, "from gradlab.tasks import NumberReading\nNumberReading(language='en').decode(torch.zeros(3))");
  assert.match(floats.message, /NumberReading\.decode: ids must be an integer tensor \(torch\.long\), got torch\.float32/);
});

test('the PyTorch version follows the JavaScript cell step by step (hidden size 16, 100 steps): the same losses, the same readings', async () => {
  const knobs = { en: { 'hidden size': 16, 'training steps': 100 } };
  const js = await run('en', 'js', knobs.en);
  const python = await runPython('en', knobs.en);
  const pyLoss = series(python.r, TEXT.en.lossPlot);
  const jsLoss = series(js.r, TEXT.en.lossPlot);
  assert.deepEqual(Object.keys(pyLoss), Object.keys(jsLoss));
  for (const name of Object.keys(jsLoss)) {
    assert.equal(pyLoss[name].length, 100);
    pyLoss[name].forEach((v, i) => assert.ok(Math.abs(v - jsLoss[name][i]) <= 1e-4 * (1 + jsLoss[name][i]), `${name}, step ${i + 1}: ${v} (PyTorch) vs ${jsLoss[name][i]} (JavaScript)`));
  }
  assert.deepEqual(python.lines.filter((l) => l.startsWith('ratio ')).map(percents), js.lines.filter((l) => l.startsWith('ratio ')).map(percents));
});
