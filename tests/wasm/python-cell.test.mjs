// Python cells in Node: the runtime the page's worker uses (web/src/python/runtime.js) and the
// cell's globals in Python (web/src/python/gradlab/_cell.py), and the page's static reader of
// a Python cell's knobs (web/src/runner/python-knobs.js).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { loadPython } from './python-harness.mjs';
import { parsePythonKnobs } from '../../web/src/runner/python-knobs.js';
import { parseKnobs } from '../../web/src/runner/knobs.js';
import { renderMarkdown } from '../../web/src/chapters/markdown.js';
import { cellShareState, parseHash, serialiseHash } from '../../web/src/state/url-state.js';

let py;
before(async () => { py = await loadPython(); });

test('print writes lines to the console, with sep and end', async () => {
  const { output, error } = await py.run("x = 3\nprint(f'x = {x}')\nprint(1, 2, sep='-')\nprint('a', end='')\nprint('b')");
  assert.equal(error, null);
  assert.equal(output, 'x = 3\n1-2\nab');
});

test('text printed with end="" and no newline after it still reaches the console', async () => {
  const { output, error } = await py.run("print('loss', end=' ')\nprint(0.5, end='')");
  assert.equal(error, null);
  assert.equal(output, 'loss 0.5');
});

test('sys.stdout and sys.stderr writes reach the console, stderr as errors', async () => {
  const { lines, error } = await py.run("import sys\nsys.stdout.write('out\\n')\nsys.stderr.write('warn me\\n')\nprint('x', file=sys.stderr)");
  assert.equal(error, null);
  assert.deepEqual(lines, ['out', '[error] warn me', '[error] x']);
});

test('an exception names its class and the line of the reader\'s code', async () => {
  const { error } = await py.run('a = 1\ndef f():\n    return 1 / 0\nf()');
  assert.equal(error.name, 'ZeroDivisionError');
  assert.equal(error.line, 3);
  assert.deepEqual(error.trace.map((f) => f.line), [4]);
});

test('a syntax error points at its line', async () => {
  const { error } = await py.run('x = 1\ny = (2\nprint(x)\nfor i in range(3) print(i)');
  assert.equal(error.name, 'SyntaxError');
  assert.ok(error.line >= 2 && error.line <= 4, `line ${error.line}`);
  const second = await py.run('x = 1\n\nif x = 2:\n    pass');
  assert.equal(second.error.name, 'SyntaxError');
  assert.equal(second.error.line, 3);
});

test('knob returns the page\'s value for its label, typed as its default, and the default otherwise', async () => {
  const code = [
    "rho = knob('ρ', 0.9, min=0.5, max=1.5, step=0.01)",
    "init = knob('init', 'orthogonal', options=['orthogonal', 'gaussian'])",
    "clip = knob('clip', True)",
    "steps = knob('steps', 100, min=10, max=1000)",
    "print(repr(rho), repr(init), repr(clip), repr(steps))",
  ].join('\n');
  const defaults = await py.run(code);
  assert.equal(defaults.error, null);
  assert.equal(defaults.output, "0.9 'orthogonal' True 100");
  const chosen = await py.run(code, { knobs: { 'ρ': 1.2, init: 'gaussian', clip: false, steps: 300 } });
  assert.equal(chosen.output, "1.2 'gaussian' False 300");
  // out of range: clamped, as in a JavaScript cell; a value not among the options: the default
  const odd = await py.run(code, { knobs: { 'ρ': 9, init: 'nope', steps: 2.0 } });
  assert.equal(odd.output, "1.5 'orthogonal' True 10");
});

test('a knob declared wrongly raises TypeError with the JavaScript cell\'s message', async () => {
  const { error } = await py.run("knob('ρ', 0.9, min=2, max=1)");
  assert.equal(error.name, 'TypeError');
  assert.match(error.message, /knob\('ρ'\): a slider needs numbers min < max, got min=2, max=1/);
  assert.equal(error.line, 1);
});

test('plot takes dicts, lists, tuples and anything with .tolist(), and normalises as a JavaScript cell does', async () => {
  const { plots, error } = await py.run([
    'class T:',
    '    def tolist(self):',
    '        return [0.5, 0.25, 0.125]',
    "plot({'series': {'loss': [1.0, 0.5, 0.25]}})",
    "plot({'id': 'grads', 'title': 'norms', 'x': (1, 2, 3), 'series': {'a': T(), 'b': [3, 2, 1]}})",
  ].join('\n'));
  assert.equal(error, null);
  assert.equal(plots.length, 2);
  assert.deepEqual(plots[0].series.map((s) => [s.name, s.values]), [['loss', [1, 0.5, 0.25]]]);
  assert.deepEqual(plots[1].x, [1, 2, 3]);
  assert.deepEqual(plots[1].series.map((s) => [s.name, s.values]), [['a', [0.5, 0.25, 0.125]], ['b', [3, 2, 1]]]);
});

test('plot refuses what it cannot draw, naming it', async () => {
  const { error } = await py.run('plot({"series": {"loss": object()}})');
  assert.equal(error.name, 'TypeError');
  assert.match(error.message, /cannot plot a object/);
});

test('progress(step, total) reaches the page; a bad total is a TypeError naming the values', async () => {
  const ok = await py.run('for i in range(3):\n    progress(i + 1, 3)');
  assert.equal(ok.error, null);
  assert.deepEqual(ok.progress, [[1, 3], [2, 3], [3, 3]]);
  const bad = await py.run('progress(1, 0)');
  assert.equal(bad.error.name, 'TypeError');
  assert.match(bad.error.message, /progress\(1, 0\)/);
});

test('seed is the cell\'s seed', async () => {
  const { output } = await py.run('print(seed)', { seed: 7 });
  assert.equal(output, '7');
});

test('the static knob reader finds Python knob calls with literal arguments, as the JavaScript reader does', () => {
  const python = parsePythonKnobs([
    '# knob("commented", 1)',
    "rho = knob('ρ', 0.9, min=0.5, max=1.5, step=0.01)",
    "s = 'knob(\"in a string\", 2)'",
    "init = knob(\"init\", 'orthogonal',",
    "            options=['orthogonal', 'gaussian'])  # a select",
    'clip = knob("clip", True)',
    'lr = knob("lr", -1e-3)',
    'x = model.knob("method", 3)',
  ].join('\n'));
  const js = parseKnobs([
    "const rho = knob('ρ', 0.9, { min: 0.5, max: 1.5, step: 0.01 });",
    "const init = knob('init', 'orthogonal', { options: ['orthogonal', 'gaussian'] });",
    "const clip = knob('clip', true);",
    "const lr = knob('lr', -1e-3);",
  ].join('\n'));
  const strip = ({ line, ...k }) => k;
  assert.deepEqual(python.problems, []);
  assert.deepEqual(python.knobs.map(strip), js.knobs.map(strip));
  assert.deepEqual(python.knobs.map((k) => k.line), [2, 4, 6, 7]);
});

test('the static knob reader names what it cannot read, with the line', () => {
  const { knobs, problems } = parsePythonKnobs("a = knob('a', n)\nb = knob('b', 1, min=3, max=2)\nc = knob('c', 1, low=0)\nd = knob('d', 1)\ne = knob('d', 2)");
  assert.deepEqual(knobs.map((k) => k.label), ['d']);
  assert.deepEqual(problems.map((p) => p.line), [1, 2, 3, 5]);
  assert.match(problems[0].message, /literal/);
  assert.match(problems[1].message, /min < max/);
  assert.match(problems[2].message, /unknown keyword argument 'low'/);
  assert.match(problems[3].message, /declared twice/);
});

const fence = (info, code) => `\`\`\`${info}\n${code}\n\`\`\`\n\n`;

test('a gradlab-python block right after a JS block with the same id is that cell\'s Python version', () => {
  const { cells, html } = renderMarkdown([
    fence('gradlab id=a title="A" seed=3', 'print(1)'),
    fence('gradlab-python id=a', "print('one')"),
    fence('gradlab-python id=b title="B"', 'print(2)'),
    'Some text.\n\n',
    fence('gradlab id=b', 'print(3)'),
  ].join(''));
  assert.deepEqual(cells.map((c) => [c.id, c.title, c.seed, c.language, Object.keys(c.versions)]), [
    ['a', 'A', 3, 'js', ['js', 'python']],
    ['b', 'B', 0, 'python', ['python']],
    ['b', 'b', 0, 'js', ['js']], // not adjacent: a block of its own (the chapter view keeps the first)
  ]);
  assert.equal(cells[0].code, 'print(1)\n');
  assert.equal(cells[0].versions.python, "print('one')\n");
  assert.equal((html.match(/experiment-slot/g) ?? []).length, 3);
});

test('a share link names the language of a cell with two versions and reads it back', () => {
  const state = { lang: 'en', chapter: 'c', cell: 'a', seed: 0, knobs: {}, code: 'print(2)', originalCode: 'print(1)', language: 'python', languageShown: true };
  const hash = serialiseHash(cellShareState(state));
  assert.match(hash, /&language=python&code=/);
  const back = parseHash(hash);
  assert.equal(back.language, 'python');
  assert.equal(back.code, 'print(2)');
  assert.doesNotMatch(serialiseHash(cellShareState({ ...state, language: 'js', languageShown: false })), /language=/);
  assert.equal(parseHash('#cell=a&language=ruby').language, undefined);
});

test('check-chapters runs a Python version in Node as the page does: prints, plots, knobs, errors at the line', async () => {
  const { runBlock } = await import('../../web/tools/check-chapters.mjs');
  const code = "r = knob('r', 0.5, min=0, max=1)\nprint(f'r = {r}')\nplot({'series': {'r': [r, r * r]}})\nprint(1 / 0)";
  const r = await runBlock({ code, language: 'python', seed: 0 }, { knobs: { r: 0.25 } });
  assert.equal(r.status, 'failed');
  assert.deepEqual(r.prints.map((p) => p.text), ['r = 0.25']);
  assert.deepEqual([...r.plots.values()][0].series[0].values, [0.25, 0.0625]);
  assert.equal(r.error.name, 'ZeroDivisionError');
  assert.equal(r.error.line, 4);
});
