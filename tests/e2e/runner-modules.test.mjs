// The runner's pure parts (web/src/runner/), in plain Node: how reader code is
// checked and located, how print() and plot() present values, and how output
// is batched. No browser needed; the browser tests cover them end to end.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { READER_PARAMS, checkSyntax, compileExperiment, locateError, wrapperLineOffset } from '../../web/src/runner/source.js';
import { makeCellGlobals } from '../../web/src/runner/cell-globals.js';
import { formatExperimentError, formatPrintArgs } from '../../web/src/runner/format.js';
import { normalisePlotSpec } from '../../web/src/runner/plot-spec.js';
import { LIMITS, Outbox } from '../../web/src/runner/outbox.js';
import { readWorkerMessage } from '../../web/src/runner/messages.js';
import { describeKnob, knobValue } from '../../web/src/runner/knobs.js';
import { MAX_CODE_CHARS, MAX_COMPRESSED_CHARS, MAX_KNOBS, MAX_KNOBS_CHARS, cellShareState, parseHash, serialiseHash } from '../../web/src/state/url-state.js';
import LZString from 'lz-string';

async function runAndLocate(code) {
  const offset = await wrapperLineOffset();
  try {
    await compileExperiment(code)({}, () => {}, () => {}, console);
  } catch (thrown) {
    return locateError(thrown, offset);
  }
  assert.fail('expected the code to throw');
}

test('syntax errors carry the reader\'s line and a 1-based column', () => {
  const err = checkSyntax('const a = 1;\n\nconst b = (a +;\n');
  assert.equal(err.name, 'SyntaxError');
  assert.equal(err.line, 3);
  assert.equal(formatExperimentError(err), 'SyntaxError: Unexpected token (line 3, col 15)');
  assert.equal(checkSyntax('const x = await Promise.resolve(1);\nreturn x;'), null, 'top-level await and return are fine');
  assert.match(checkSyntax('import fs from "fs";').message, /not available in an experiment/);
});

test('runtime errors point at the innermost reader line and list the callers', async () => {
  const err = await runAndLocate('const a = 1;\nfunction f() {\n  return null.x;\n}\nawait 0;\nf();\n');
  assert.equal(err.name, 'TypeError');
  assert.equal(err.line, 3);
  assert.deepEqual(err.trace.map((f) => [f.fn, f.line]), [[null, 6]]);
  assert.match(formatExperimentError(err), /\(line 3, col \d+\)\n {4}called from \(line 6\)$/);
  const thrownString = await runAndLocate('throw "plain";');
  assert.equal(formatExperimentError(thrownString), 'Error: plain');
});

test('the cell\'s globals: seed, knob defaults and choices, progress checks, and names the code may reuse', async () => {
  const sent = [];
  const outbox = { print: (text, level) => sent.push(['print', level, text]), plot: (p) => sent.push(['plot', p.id]), progress: (s, t) => sent.push(['progress', s, t]) };
  const g = makeCellGlobals({ outbox, knobs: { 'ρ': 1.2, T: 999 }, seed: 11 });
  const run = (code) => compileExperiment(code)(...READER_PARAMS.map((n) => (n === 'gl' ? {} : g[n])));
  await run(`
    print('seed', seed);
    print(knob('ρ', 0.9, { min: 0.5, max: 1.5 }), knob('T', 30, { min: 5, max: 60 }), knob('init', 'a', { options: ['a', 'b'] }));
    progress(150, 100);
    plot({ title: 'Loss', series: { loss: [1, 0.5] } });
    console.warn('careful');`);
  assert.deepEqual(sent, [
    ['print', 'log', 'seed 11'],
    ['print', 'log', '1.2 60 a'], // the page's values, T kept within its range; the default for init
    ['progress', 100, 100],
    ['plot', 'Loss'],
    ['print', 'warn', 'careful'],
  ]);
  assert.throws(() => g.progress(1, 0), /progress: expected progress\(step, total\) with numbers and total > 0/);
  // The code may declare its own names over the globals, as a script could.
  sent.length = 0;
  await run('const seed = 3;\nlet plot = 1;\nfunction print() {}\nconsole.log(seed, plot);');
  assert.deepEqual(sent, [['print', 'log', '3 1']]);
  // ...and errors still point at the reader's lines.
  const err = await runAndLocate('const seed = 1;\nnull.x;');
  assert.equal(err.line, 2);
});

test('print shows shapes as [32, 20] and uses a value\'s own toString', () => {
  class FakeTensor {
    toString() {
      return 'tensor([1, 2])';
    }
  }
  assert.equal(formatPrintArgs(['h:', [32, 20], ' c:', [32, 20]]), 'h: [32, 20]  c: [32, 20]');
  assert.equal(formatPrintArgs([new FakeTensor(), { a: 1, b: 'x' }, null]), 'tensor([1, 2]) { a: 1, b: "x" } null');
  assert.equal(formatPrintArgs([new Float32Array([0.5, 1])]), 'Float32Array(2) [0.5, 1]');
  const cyclic = {};
  cyclic.self = cyclic;
  assert.equal(formatPrintArgs([cyclic]), '{ self: [circular] }');
});

test('plot specs are checked where the reader wrote them', () => {
  const plot = normalisePlotSpec({
    title: 'g',
    series: { a: [1, 0, 3], b: new Float32Array([1, 2, Infinity]) },
    logY: true,
  });
  assert.deepEqual(plot.x, [0, 1, 2], 'x defaults to 0..n-1');
  assert.equal(plot.id, 'g', 'the title names the plot');
  assert.deepEqual(plot.series.map((s) => s.values), [[1, null, 3], [1, 2, null]], 'undrawable values become gaps');
  assert.equal(plot.dropped, 2);
  assert.throws(() => normalisePlotSpec({ x: [1, 2], series: { a: [1] } }), /series "a" has 1 values but x has 2/);
  assert.throws(() => normalisePlotSpec({ series: { a: ['1'] } }), /a"\[0\] is string 1, not a number/);
  assert.throws(() => normalisePlotSpec({ kind: 'pie', series: { a: [1] } }), /kind "pie" is not supported/);
  assert.throws(() => normalisePlotSpec({ x: [2, 1], series: { a: [1, 2] } }), /x must be increasing/);
  const fromTensor = normalisePlotSpec({ series: { t: { toArray: () => new Float32Array([4, 5]) } } });
  assert.deepEqual(fromTensor.series[0].values, [4, 5], 'tensors are read with toArray()');
});

test('the outbox sends the first line at once, then batches and keeps the newest', () => {
  let now = 0;
  const sent = [];
  const box = new Outbox((items) => sent.push(items), { now: () => now, intervalMs: 40, maxPrints: 2 });
  box.print('first');
  assert.equal(sent.length, 1, 'a line after a quiet spell goes out at once');
  now = 1;
  box.print('a');
  box.plot({ id: 'p', v: 1 });
  box.plot({ id: 'p', v: 2 });
  box.print('b');
  box.print('c');
  assert.equal(sent.length, 1, 'lines within the interval wait');
  now = 50;
  box.print('d');
  assert.deepEqual(sent[1], [
    { kind: 'skipped', count: 2 },
    { kind: 'plot', plot: { id: 'p', v: 2 } },
    { kind: 'print', level: 'log', text: 'c' },
    { kind: 'print', level: 'log', text: 'd' },
  ]);
  box.flush();
  assert.equal(sent.length, 2, 'nothing left to send');
});

test('the outbox bounds what a run sends: lines cut, batches capped by lines and characters, plots counted', () => {
  const sent = [];
  let now = 0;
  const box = new Outbox((items) => sent.push(items), { now: () => now });
  box.print('x'.repeat(1e6));
  assert.equal(sent[0][0].text.length, LIMITS.lineChars);
  assert.equal(sent[0][0].more, 1e6 - LIMITS.lineChars);
  now = 1;
  for (let i = 0; i < 100; i++) box.print('y'.repeat(3000));
  box.flush();
  const batch = sent[1];
  const chars = batch.filter((it) => it.kind === 'print').reduce((n, it) => n + it.text.length, 0);
  assert.ok(chars <= LIMITS.batchChars, `${chars} characters in one batch`);
  assert.deepEqual(batch[0], { kind: 'skipped', count: 100 - Math.floor(LIMITS.batchChars / 3000) });
  for (let i = 0; i < LIMITS.plots; i++) box.plot({ id: `p${i}` });
  box.plot({ id: 'p0' }); // an update of a plot already drawn is fine
  assert.throws(() => box.plot({ id: 'one more' }), /at most 64 plots/);
  assert.throws(() => normalisePlotSpec({ series: { y: new Float32Array(LIMITS.plotValues) } }), /more than the 1000000 one plot can draw/);
  assert.equal(normalisePlotSpec({ title: 't'.repeat(5000), series: { y: [1] } }).title.length, 1000);
});

test('the page refuses a worker message of the wrong shape or past the limits', () => {
  const good = { type: 'output', items: [{ kind: 'print', level: 'log', text: 'hi' }, { kind: 'progress', step: 1, total: 2 }] };
  assert.deepEqual(readWorkerMessage(good), good);
  assert.deepEqual(readWorkerMessage({ type: 'done', ms: 3 }), { type: 'done', ms: 3 });
  const line = normalisePlotSpec({ title: 'loss', series: { a: [1, 2, null] } });
  assert.equal(readWorkerMessage({ type: 'output', items: [{ kind: 'plot', plot: line }] }).items[0].plot, line);
  for (const kind of ['heatmap', 'histogram']) {
    const plot = normalisePlotSpec(kind === 'heatmap' ? { kind, z: [[1, 2], [3, 4]] } : { kind, values: [1, 2, 3] });
    assert.equal(readWorkerMessage({ type: 'output', items: [{ kind: 'plot', plot }] }).items[0].plot, plot);
  }
  const bad = [
    null,
    'done',
    { type: 'done' },
    { type: 'done', ms: 'soon' },
    { type: 'evil' },
    { type: 'output', items: 'x' },
    { type: 'output', items: [{ kind: 'print', level: 'shout', text: 'x' }] },
    { type: 'output', items: [{ kind: 'print', level: 'log', text: 'x'.repeat(1e6) }] },
    { type: 'output', items: Array.from({ length: 600 }, () => ({ kind: 'print', level: 'log', text: 'x'.repeat(5000) })) },
    { type: 'output', items: [{ kind: 'plot', plot: { ...line, series: [{ name: 'a', values: [1] }] } }] },
    { type: 'output', items: [{ kind: 'plot', plot: { ...line, x: new Array(2e6).fill(0) } }] },
    { type: 'output', items: [{ kind: 'progress', step: NaN, total: 1 }] },
    { type: 'failed', ms: 1, error: 'boom' },
  ];
  for (const message of bad) {
    assert.throws(() => readWorkerMessage(message), /the experiment's worker sent a malformed message \(.+\); the run was ended/, JSON.stringify(message)?.slice(0, 80));
  }
});

test('a share link never throws out of the hash parser, and its code is capped before and after decompression', () => {
  assert.deepEqual(parseHash('#lang=en&chapter=lstm-cell&cell=lstm-cell&code=y'), { lang: 'en', chapter: 'lstm-cell', cell: 'lstm-cell', refused: { code: 'damaged' } });
  assert.deepEqual(parseHash('#knobs=%%%&seed=3').refused, { knobs: 'damaged' });
  assert.deepEqual(parseHash(`#code=${'A'.repeat(MAX_COMPRESSED_CHARS + 1)}`).refused, { code: 'too-long' });
  // Highly repetitive code decompresses far past its link's length: refused after decompression.
  const long = serialiseHash({ code: 'x'.repeat(MAX_CODE_CHARS + 1) });
  assert.ok(long.length < MAX_COMPRESSED_CHARS);
  assert.deepEqual(parseHash(long).refused, { code: 'too-long' });
  const ok = parseHash(serialiseHash({ lang: 'en', cell: 'c', code: 'print(1)', knobs: { a: 1 } }));
  assert.deepEqual(ok, { lang: 'en', cell: 'c', code: 'print(1)', knobs: { a: 1 } });
  // A link of the old kind, compressed by lz-string the same way, still opens.
  assert.equal(parseHash(`#code=${LZString.compressToEncodedURIComponent('gl.ones([2])')}`).code, 'gl.ones([2])');
});

test('a link writes knob values as they read (knobs.ρ=0.93), reads them back typed, and still reads the old compressed knobs', () => {
  const knobs = { ρ: 0.93, T: 100, 'log scale': false, '망각 편향': -1.5, init: 'ρ·orthogonal', 'a&b=c': '1+1 %20#', big: 1e21 };
  const hash = serialiseHash({ lang: 'ko', chapter: 'tour', cell: 'remember-a-bit', seed: 7, knobs, editor: 'hide', run: 'load' });
  assert.equal(
    hash,
    '#lang=ko&chapter=tour&cell=remember-a-bit&seed=7&knobs.ρ=0.93&knobs.T=100&knobs.log+scale=false&knobs.망각+편향=-1.5' +
      '&knobs.init=ρ·orthogonal&knobs.a%26b%3Dc=1%2B1+%2520%23&knobs.big=1e%2B21&editor=hide&run=load',
  );
  assert.deepEqual(parseHash(hash), { lang: 'ko', chapter: 'tour', cell: 'remember-a-bit', seed: 7, knobs, editor: 'hide', run: 'load' });
  // As a browser hands it over (location.hash percent-encodes what is not ASCII).
  assert.deepEqual(parseHash(new URL(`https://x/${hash}`).hash).knobs, knobs);
  // Text that looks like a number or true/false is typed as one; the knob's declaration makes it text again.
  assert.deepEqual(parseHash('#knobs.name=42&knobs.on=true&knobs.x=1e999&knobs.y=').knobs, { name: 42, on: true, x: '1e999', y: '' });
  assert.equal(knobValue(describeKnob('name', 'text'), 42), '42');
  assert.equal(knobValue(describeKnob('size', '16', { options: ['16', '32'] }), 32), '32');
  assert.equal(knobValue(describeKnob('on', false), true), true);
  // A link of the old kind (knobs=<lz-string JSON>), and both at once: the readable value wins.
  const old = LZString.compressToEncodedURIComponent(JSON.stringify({ ρ: 0.95, T: 50 }));
  assert.deepEqual(parseHash(`#cell=c&knobs=${old}`).knobs, { ρ: 0.95, T: 50 });
  assert.deepEqual(parseHash(`#cell=c&knobs=${old}&knobs.ρ=0.9`).knobs, { ρ: 0.9, T: 50 });
  // Caps and damage, as for the other properties.
  assert.deepEqual(parseHash(`#cell=c&${Array.from({ length: MAX_KNOBS + 1 }, (_, i) => `knobs.k${i}=1`).join('&')}`).refused, { knobs: 'too-long' });
  assert.deepEqual(parseHash(`#cell=c&knobs.a=${'9'.repeat(MAX_KNOBS_CHARS)}`).refused, { knobs: 'too-long' });
  assert.deepEqual(parseHash('#cell=c&knobs.=1').refused, { knobs: 'damaged' });
  assert.deepEqual(parseHash('#cell=c&knobs.__proto__=1').refused, { knobs: 'damaged' });
  assert.deepEqual(parseHash('#cell=c&editor=open&run=now'), { cell: 'c' }, 'unknown options are dropped');
});

test('a share or embed link carries only what differs from the chapter: the knobs changed and the code edited', () => {
  const state = { lang: 'en', chapter: 'tour', cell: 'c', seed: 7, code: 'a', originalCode: 'a', knobs: { ρ: 0.93, T: 30 }, originalKnobs: { ρ: 0.9, T: 30 } };
  assert.deepEqual(cellShareState(state), { lang: 'en', chapter: 'tour', cell: 'c', seed: 7, knobs: { ρ: 0.93 }, code: undefined, editor: undefined, run: undefined });
  assert.deepEqual(cellShareState({ ...state, code: 'b', knobs: { ρ: 0.9, T: 30 } }, { editor: 'fold', run: 'load' }), {
    lang: 'en', chapter: 'tour', cell: 'c', seed: 7, knobs: undefined, code: 'b', editor: 'fold', run: 'load',
  });
});

test('a share-link fuzzer: 20 000 mutated links never throw out of the parser, and what it returns is within the caps', () => {
  let state = 12345; // a fixed seed: a failure names the case to replay
  const rand = (n) => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state % n;
  };
  const seeds = [
    serialiseHash({ lang: 'en', chapter: 'lstm-cell', cell: 'lstm-cell', seed: 7, knobs: { ρ: 0.9, T: 100 }, code: 'const h = gl.randn([2, 3]);\nprint(h.sum());\n'.repeat(20) }),
    serialiseHash({ lang: 'ko', chapter: 'tour', section: '기울기', cell: 'remember-a-bit', code: 'x'.repeat(5000) }),
  ];
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-$=&#%._~;,/?:@!*()[]\'"<>\u0000\u200b한';
  const t0 = performance.now();
  let slowest = 0;
  for (let i = 0; i < 20_000; i++) {
    let s = seeds[rand(seeds.length)];
    for (let k = 1 + rand(4); k > 0; k--) {
      const at = rand(s.length + 1);
      const op = rand(4);
      if (op === 0) s = s.slice(0, at) + alphabet[rand(alphabet.length)] + s.slice(at + 1);
      else if (op === 1) s = s.slice(0, at) + s.slice(at + 1 + rand(50));
      else if (op === 2) s = s.slice(0, at) + s.slice(rand(s.length), rand(s.length) + rand(400)) + s.slice(at);
      else s = s.slice(0, at);
    }
    const c0 = performance.now();
    let r;
    try {
      r = parseHash(s);
    } catch (err) {
      assert.fail(`case ${i}: parseHash threw ${err.message} for ${JSON.stringify(s.slice(0, 200))}`);
    }
    slowest = Math.max(slowest, performance.now() - c0);
    assert.ok(r.code === undefined || (typeof r.code === 'string' && r.code.length <= MAX_CODE_CHARS), `case ${i}`);
    assert.ok(r.knobs === undefined || (typeof r.knobs === 'object' && !Array.isArray(r.knobs)), `case ${i}`);
    assert.ok(r.seed === undefined || Number.isSafeInteger(r.seed), `case ${i}`);
  }
  const ms = performance.now() - t0;
  assert.ok(slowest < 1000, `the slowest link took ${slowest.toFixed(0)} ms to parse`);
  console.log(`# 20000 mutated links parsed in ${ms.toFixed(0)} ms (slowest ${slowest.toFixed(1)} ms), 0 throws`);
});
