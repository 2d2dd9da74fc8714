// The Korean error catalog (web/src/api/error-catalog.js) against every message format in the
// sources (message-formats.mjs reads engine/src, engine/bindings and web/src), and against
// real errors from the engine and the runner.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { loadEngine } from './load-engine.mjs';
import { messageFormats, sampleMessage } from './message-formats.mjs';
import { localizeError } from '../../web/src/api/error-catalog.js';
import { checkSyntax, compileExperiment, locateError } from '../../web/src/runner/source.js';

const HANGUL = /[\uac00-\ud7a3]/;

// Formats a reader never meets in a cell, left out of the set that must be covered:
// - messages.js's pieces: a reader sees them inside "the experiment's worker sent a malformed
//   message (…)", which is covered;
// - the service worker's (logged to the browser console, never in a cell);
// - the lab's own invariants, broken only by a broken build (the surface table, loadGL and
//   makeGL's arguments, a worker asked to run twice, the engine's unreachable switch defaults);
// - calls.js's wrappers, which only put a call's name in front of another message.
const NOT_FOR_READERS = [
  (f) => f.file === 'web/src/runner/messages.js' && !/malformed message/.test(f.format),
  (f) => f.file.startsWith('web/src/offline/'),
  (f) => /^(gl surface table|loadGL|makeGL|worker\.js):/.test(f.format),
  (f) => /^recurrent: (unknown cell kind|no (forward|backward) step)/.test(f.format),
  (f) => f.file === 'web/src/api/calls.js' && /^…: …$/.test(f.format),
  (f) => f.file === 'web/src/runner/source.js' && f.format === 'probe',
  (f) => /^gradlab-api:/.test(f.format), // a chapter's author meets it at build time
];

const count7 = (s) => (s.match(/7/g) ?? []).length;

test('every message format a reader can meet has a Korean sentence that keeps its values', () => {
  const formats = messageFormats();
  assert.ok(formats.length > 300, `found only ${formats.length} message formats: is the extraction broken?`);
  const readers = formats.filter((f) => !NOT_FOR_READERS.some((skip) => skip(f)));
  const uncovered = [];
  const lost = [];
  for (const f of readers) {
    const english = sampleMessage(f.format);
    const { text, matched } = localizeError(english, 'ko');
    if (!matched || !HANGUL.test(text)) uncovered.push(`${f.file}:${f.line}  ${f.format}`);
    else if (count7(text) < count7(english)) lost.push(`${f.file}:${f.line}  ${english}  ->  ${text}`);
  }
  assert.deepEqual(uncovered, [], `${uncovered.length} of ${readers.length} formats a reader can meet have no Korean rule`);
  assert.deepEqual(lost, [], 'a Korean sentence dropped a value the English has');
  // All formats, the lab's own included: the share covered today, so that it cannot drop unseen.
  const all = formats.filter((f) => localizeError(sampleMessage(f.format), 'ko').matched).length / formats.length;
  assert.ok(all >= 0.85, `only ${(100 * all).toFixed(1)}% of all ${formats.length} formats are covered`);
  assert.ok(readers.length >= 0.85 * formats.length, `the reader set shrank to ${readers.length} of ${formats.length}`);
});

test('a message no rule knows gets a Korean lead and is not passed off as translated', () => {
  const r = localizeError('Linear: the moon is made of cheese', 'ko');
  assert.equal(r.matched, false);
  assert.match(r.text, /^Linear: .*[\uac00-\ud7a3]/);
  assert.deepEqual(localizeError('Linear: the moon is made of cheese', 'en'), { text: 'Linear: the moon is made of cheese', matched: true });
});

let gl;
before(async () => { gl = await loadEngine(); });

// Values as the English has them: shapes, numbers, quoted names; each must be in the Korean.
const valuesOf = (message) => message.match(/\([\d*,\s-]+\)|\[[\d.,\s-]*\]|'[^']*'|-?\d+(?:\.\d+)?(?:e[+-]?\d+)?/g) ?? [];

function caught(fn) {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected an error');
}

test('real errors from the engine and the API read in Korean, with the call names and values unchanged', () => {
  const errors = {
    'wrong shape': () => new gl.nn.Linear(10, 4).forward(gl.randn([32, 12])),
    'lr out of range': () => new gl.optim.SGD([gl.randn([2], { requiresGrad: true })], { lr: -1 }),
    'unknown option': () => new gl.nn.LSTM(3, 4, { numLayer: 2 }),
    'extra argument': () => gl.randn([2], {}, 3),
    'not an integer': () => gl.randn([2.5]),
    'broadcast': () => gl.randn([2, 3]).add(gl.randn([4, 5])),
    'matmul': () => gl.randn([2, 3]).matmul(gl.randn([4, 5])),
    'backward twice': () => {
      const x = gl.randn([3], { requiresGrad: true });
      const y = x.mul(2).sum();
      y.backward();
      y.backward();
    },
    'disposed': () => { const t = gl.randn([2]); t.dispose(); t.add(1); },
    'not a tensor': () => new gl.nn.Linear(2, 2).forward([1, 2]),
    'lstm input': () => new gl.nn.LSTM(3, 4).forward(gl.randn([2, 5, 7])),
    'cross entropy target': () => gl.nn.functional.crossEntropy(gl.randn([4, 3]), [0, 1, 2, 9]),
  };
  for (const [what, fn] of Object.entries(errors)) {
    const e = caught(fn);
    const { text, matched } = localizeError(e.message, 'ko');
    const head = /^[\w.]+:/.exec(e.message)?.[0];
    assert.ok(matched && HANGUL.test(text), `${what}: "${e.message}" -> "${text}"`);
    if (head) assert.ok(text.startsWith(head), `${what}: the call's name stays in front: ${text}`);
    for (const v of valuesOf(e.message)) assert.ok(text.includes(v), `${what}: ${v} of "${e.message}" is in "${text}"`);
  }
});

test('the memory budget, the sandbox, Python and syntax errors read in Korean', async () => {
  const tight = await loadEngine('simd', { memoryBudget: 1 << 20 });
  const budget = caught(() => tight.randn([1000, 1000])).message;
  const messages = [
    budget,
    checkSyntax('import torch\nx = torch.zeros(3)').message,
    checkSyntax('import x from "y"').message,
    checkSyntax('const = 3').message,
    'localStorage is not defined',
    'Failed to fetch',
    "the experiment's worker sent a malformed message (a plot is not an object); the run was ended",
    'the engine did not start within 30 s',
  ];
  for (const m of messages) {
    const { text, matched } = localizeError(m, 'ko');
    assert.ok(matched && HANGUL.test(text), `"${m}" -> "${text}"`);
    for (const v of valuesOf(m)) assert.ok(text.includes(v), `${v} of "${m}" is in "${text}"`);
  }
  // At run time a torch name is Python too.
  let thrown;
  try { await compileExperiment('x = torch.zeros(3)')(); } catch (e) { thrown = e; }
  assert.equal(locateError(thrown, 2).hint, 'python');
});

test("PyTorch's wording from a Python cell's torch gets a Korean sentence that keeps every number", () => {
  const cases = [
    'mat1 and mat2 shapes cannot be multiplied (32x12 and 10x20)',
    'The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 1',
    "shape '[5, -1]' is invalid for input of size 12",
    'Dimension out of range (expected to be in range of [-2, 1], but got 2)',
    'index 5 is out of bounds for dimension 0 with size 3',
  ];
  for (const english of cases) {
    const { text, matched } = localizeError(english, 'ko');
    assert.ok(matched && HANGUL.test(text), `${english} -> ${text}`);
    for (const n of english.match(/-?\d+/g)) assert.ok(text.includes(n), `${english} -> ${text}: ${n} lost`);
  }
});
