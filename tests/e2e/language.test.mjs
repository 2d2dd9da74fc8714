// The page speaks the reader's language past the chapter text (issue 11, points 8, 11, 12):
// an engine error in a Korean page is a Korean sentence with the English original under it,
// durations say 초, Python in a JavaScript cell says so in the page's language and links to
// the gl API page, and that page exists in both languages.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CELL, openLab, setCode, startLab, waitForRunEnd } from './browser.mjs';

let lab;
before(async () => { lab = await startLab(); });
after(async () => { await lab?.close(); });

const KO_CELL = '#lang=ko&chapter=lstm-cell';
const PYTHON = 'import torch\nx = torch.zeros(3)\nprint(x)';

test('a wrong-shape call in a Korean page shows Korean text, the English original, and 초', async () => {
  const { page, pageErrors } = await openLab(lab, KO_CELL);
  await setCode(page, 'const lin = new gl.nn.Linear(10, 4);\nprint("ok");\nlin.forward(gl.randn([32, 12]));');
  await page.click(`${CELL} [data-action="run"]`);
  assert.equal(await waitForRunEnd(page, 1), 'failed');
  const error = page.locator(`${CELL} .console-line[data-level="error"]`);
  const text = await error.textContent();
  assert.match(text, /Linear: 입력의 모양이 맞지 않습니다\. 필요한 모양: \(\*, 10\), 받은 모양: \(32, 12\)/);
  assert.equal(await error.locator('.console-original').getAttribute('lang'), 'en');
  assert.match(await error.locator('.console-original').textContent(), /^Error: Linear: expected input \(\*, 10\), got \(32, 12\)$/);
  assert.equal(await error.locator('.console-goto').textContent(), '(3번째 줄, 5열)');
  assert.match(await page.textContent(`${CELL} .status`), /\(3번째 줄\)\. 콘솔을 보세요\./);

  await setCode(page, 'print(1)');
  await page.click(`${CELL} [data-action="run"]`);
  assert.equal(await waitForRunEnd(page, 2), 'done');
  assert.match(await page.textContent(`${CELL} .status`), /^[\d.]+초 만에 완료\.$/);
  assert.deepEqual(pageErrors, []);
});

for (const [lang, words, reference] of [
  ['ko', /자바스크립트 셀인데, 'import torch'은\(는\) 파이썬 코드입니다/, 'gl API 참조'],
  ['en', /this is a JavaScript cell, and 'import torch' is Python/, 'The gl API'],
]) {
  test(`Python in a JavaScript cell says so in ${lang} and links to the gl API page`, async () => {
    const { page, pageErrors } = await openLab(lab, `#lang=${lang}&chapter=lstm-cell`);
    await setCode(page, PYTHON);
    await page.click(`${CELL} [data-action="run"]`);
    assert.equal(await waitForRunEnd(page, 1), 'failed');
    const error = page.locator(`${CELL} .console-line[data-level="error"]`);
    assert.match(await error.textContent(), words);
    assert.doesNotMatch(await error.textContent(), /'import' and 'export'/);
    const link = error.locator('.console-help a');
    const href = await link.getAttribute('href');
    assert.ok(href.endsWith(`#lang=${lang}&chapter=api`), href);

    // The page it links to: every group of the reference, in the page's language.
    await page.goto(href);
    await page.waitForSelector('#chapter table');
    assert.equal(await page.textContent('#chapter h1'), reference);
    const text = await page.textContent('#chapter');
    for (const name of ['gl.nn.LSTM', 'gl.nn.utils.clipGradNorm', 'x.select(dim, i)', 'knob(label']) assert.ok(text.includes(name), `${lang}: ${name}`);
    assert.ok(await page.locator('#toc a').count() >= 8, 'the contents list the groups');
    assert.deepEqual(pageErrors, []);
  });
}
