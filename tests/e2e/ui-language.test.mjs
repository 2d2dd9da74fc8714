// In Node, no browser: how the page words durations in each language, and how the runner
// tells Python given to a JavaScript cell (source.js) from a JavaScript mistake.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { uiStrings } from '../../web/src/site/i18n.js';
import { checkSyntax, compileExperiment, locateError, pythonLine } from '../../web/src/runner/source.js';

test('durations are worded in the page\'s language: 초 and 분 in Korean', () => {
  const ko = uiStrings('ko');
  const en = uiStrings('en');
  const cases = [[482, '0.48초', '482 ms'], [3256, '3.26초', '3.26 s'], [30_400, '30.4초', '30.4 s'], [90_000, '1분 30초', '1 min 30 s'], [120_000, '2분', '2 min 0 s']];
  for (const [ms, k, e] of cases) {
    assert.equal(ko.duration(ms), k);
    assert.equal(en.duration(ms), e);
  }
  assert.equal(ko.done(ko.duration(30_400)), '30.4초 만에 완료.');
  assert.equal(ko.stopped(ko.duration(90_000)), '1분 30초 후 중지됨.');
  assert.doesNotMatch(ko.left(ko.duration(65_000)), /min|\bs\b/);
  // A running cell's clock: whole seconds, rounded down.
  for (const [ms, k, e] of [[1999, '1초', '1 s'], [59_999, '59초', '59 s'], [65_900, '1분 5초', '1 min 5 s'], [120_400, '2분', '2 min 0 s']]) {
    assert.equal(ko.duration(ms, { whole: true }), k);
    assert.equal(en.duration(ms, { whole: true }), e);
  }
});

const PYTHON = {
  'import torch\nx = torch.zeros(3)': 1,
  'import torch.nn as nn': 1,
  'from torch import nn\n': 1,
  'const a = 1;\ndef f(x):\n    return x': 2,
  'for t in range(10):\n    print(t)': 1,
  'class M(nn.Module):\n    pass': 1,
  'if x > 0:\n    y = 1': 1,
};
const JAVASCRIPT_MISTAKES = ['const a = {\n', 'import x from "y"', 'export const a = 1', 'let = ;', 'print(1'];

test('Python given to a JavaScript cell is named as such, at the first Python line', () => {
  for (const [code, line] of Object.entries(PYTHON)) {
    const err = checkSyntax(code);
    assert.equal(err?.hint, 'python', JSON.stringify(code));
    assert.equal(err.line, line, JSON.stringify(code));
    assert.match(err.message, /^this is a JavaScript cell, and '.+' is Python: write it with gl/);
  }
});

test('a JavaScript mistake is not taken for Python, and valid JavaScript is left alone', () => {
  for (const code of JAVASCRIPT_MISTAKES) {
    const err = checkSyntax(code);
    assert.ok(err, JSON.stringify(code));
    assert.notEqual(err.hint, 'python', `${JSON.stringify(code)}: ${err.message}`);
  }
  assert.equal(checkSyntax('x = torch.zeros(3)'), null); // valid JavaScript: it fails when it runs
  assert.equal(pythonLine('const x = a ? b : c;\nswitch (x) { case 1: break; }'), null);
});

test('a Python name met at run time (torch is not defined) carries the Python hint; others do not', async () => {
  const hintOf = async (code) => {
    try {
      await compileExperiment(code)();
    } catch (e) {
      return locateError(e, 2).hint;
    }
    return 'no error';
  };
  assert.equal(await hintOf('x = torch.zeros(3)'), 'python');
  assert.equal(await hintOf('const y = np.ones(3)'), 'python');
  assert.equal(await hintOf('undefinedThing()'), undefined);
});
