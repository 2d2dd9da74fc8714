// End-to-end: text and file knobs and the files a run hands over (download), in the built
// lab page in headless Chromium. A text area's value is a knob value like any other (links,
// saved edits); a file knob's file is read by the page and handed to each run, never put in
// a link; a file the code hands over is saved only when the reader clicks its button.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { CELL, openLab, setCode, waitForRunEnd, startLab } from './browser.mjs';

/** The console's lines, one per line. */
const consoleText = (page) => page.$$eval(`${CELL} .console-line`, (lines) => lines.map((l) => l.textContent).join('\n'));

let lab;
before(async () => {
  lab = await startLab();
});
after(async () => {
  await lab?.close();
});

const TEXT_CODE = [
  "const pairs = knob('pairs', 'one 1\\ntwo 2', { kind: 'text', rows: 4 });",
  "const lines = pairs.split('\\n').filter((l) => l.trim() !== '');",
  "print(lines.length, 'pairs:', lines.join(' | '));",
].join('\n');

test('a text knob is a text area: edit it, the cell reruns, and a share link keeps the text', async () => {
  const { page, pageErrors } = await openLab(lab);
  await setCode(page, TEXT_CODE);
  await page.click(`${CELL} [data-action="run"]`);
  assert.equal(await waitForRunEnd(page, 1), 'done');
  assert.match(await consoleText(page), /^2 pairs: one 1 \| two 2$/m);
  const area = page.locator(`${CELL} textarea[data-knob="pairs"]`);
  assert.equal(await area.getAttribute('rows'), '4');
  assert.equal(await area.inputValue(), 'one 1\ntwo 2');

  // typing does not rerun at every key; leaving the text area does
  await area.fill('하나 1\n둘 2\n셋 3');
  await page.waitForTimeout(600);
  assert.equal(await page.getAttribute(CELL, 'data-runs'), '1', 'no run while typing');
  await area.press('Tab');
  assert.equal(await waitForRunEnd(page, 2), 'done');
  assert.match(await consoleText(page), /^3 pairs: 하나 1 \| 둘 2 \| 셋 3$/m);

  // the edit is kept in this browser: a reload brings the text back
  await page.reload();
  await page.waitForSelector(`${CELL} textarea[data-knob="pairs"]`);
  assert.equal(await page.inputValue(`${CELL} textarea[data-knob="pairs"]`), '하나 1\n둘 2\n셋 3');

  await page.click(`${CELL} [data-action="share"]`);
  const link = await page.inputValue(`${CELL} .share-url`);
  assert.match(link, /knobs\.pairs=/);
  const opened = await openLab(lab, new URL(link).hash);
  const shared = opened.page.locator(`${CELL} textarea[data-knob="pairs"]`);
  await shared.waitFor();
  assert.equal(await shared.inputValue(), '하나 1\n둘 2\n셋 3');
  if ((await opened.page.getAttribute(CELL, 'data-runs')) === '0') await opened.page.click(`${CELL} [data-action="run"]`);
  assert.equal(await waitForRunEnd(opened.page, 1), 'done');
  assert.match(await consoleText(opened.page), /^3 pairs: 하나 1 \| 둘 2 \| 셋 3$/m);
  assert.deepEqual(pageErrors.map(String), []);
  await opened.page.close();
  await page.close();
});

const MODEL_CODE = [
  "const f = knob('model', null, { kind: 'file', accept: '.safetensors,.txt' });",
  'const lin = new gl.nn.Linear(3, 2);',
  'if (f) gl.load(f.bytes, lin);',
  "print('from', f ? f.name : `seed ${seed}`, Array.from(lin.forward(gl.tensor([[1, 2, 3]])).toArray(), (v) => v.toFixed(6)).join(' '));",
  "download('linear.safetensors', gl.save(lin));",
].join('\n');

const numbers = (text) => /^from .* (-?\d+\.\d+ -?\d+\.\d+)$/m.exec(text)?.[1];

test('a file the run hands over is saved by a click only; loading it back through a file knob restores the model', async () => {
  const { page, pageErrors, requests } = await openLab(lab);
  const downloads = [];
  page.on('download', (d) => downloads.push(d));
  await setCode(page, MODEL_CODE);
  await page.click(`${CELL} [data-action="run"]`);
  assert.equal(await waitForRunEnd(page, 1), 'done');
  const first = numbers(await consoleText(page));
  assert.ok(first, await consoleText(page));
  const button = page.locator(`${CELL} .cell-downloads [data-action="save-file"]`);
  assert.equal(await button.count(), 1);
  assert.match(await button.textContent(), /^Save: linear\.safetensors \(\d+ B\)$/);
  assert.equal(await page.textContent(`${CELL} .knob-file-status`), 'no file yet (pick one, or drop it on the cell)');

  // the code ran and handed the file over, but nothing was saved without the reader
  await page.waitForTimeout(1000);
  assert.equal(downloads.length, 0, 'no download before the click');
  const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
  assert.equal(download.suggestedFilename(), 'linear.safetensors');
  const bytes = fs.readFileSync(await download.path());
  const headerLength = Number(bytes.readBigUInt64LE(0));
  const header = JSON.parse(bytes.subarray(8, 8 + headerLength).toString('utf8'));
  assert.deepEqual(header.weight, { dtype: 'F32', shape: [2, 3], data_offsets: [0, 24] });

  // another seed, another model
  await page.fill(`${CELL} [data-knob="seed"]`, '7');
  await page.press(`${CELL} [data-knob="seed"]`, 'Enter');
  assert.equal(await waitForRunEnd(page, 2), 'done');
  const other = numbers(await consoleText(page));
  assert.notEqual(other, first);

  // the saved file, picked in the file knob: the first model's outputs again
  await page.setInputFiles(`${CELL} input[type="file"][data-knob="model"]`, { name: 'linear.safetensors', mimeType: 'application/octet-stream', buffer: bytes });
  assert.equal(await waitForRunEnd(page, 3), 'done');
  const out = await consoleText(page);
  assert.match(out, /^from linear\.safetensors /m);
  assert.equal(numbers(out), first);
  assert.match(await page.textContent(`${CELL} .knob-file-status`), /^linear\.safetensors \(\d+ B\)$/);

  // a file never goes into a link
  await page.click(`${CELL} [data-action="share"]`);
  assert.doesNotMatch(await page.inputValue(`${CELL} .share-url`), /knobs\.model/);

  // too large: said, not loaded, no run
  await page.setInputFiles(`${CELL} input[type="file"][data-knob="model"]`, { name: 'big.txt', mimeType: 'text/plain', buffer: Buffer.alloc(10 * 1024 * 1024 + 1) });
  await page.waitForSelector(`${CELL} .knob-file-status[data-state="error"]`);
  assert.equal(await page.textContent(`${CELL} .knob-file-status`), 'big.txt is 10.0 MB: a file knob reads files up to 10.0 MB. Nothing was loaded.');
  await page.waitForTimeout(500);
  assert.equal(await page.getAttribute(CELL, 'data-runs'), '3');

  // a bad file: the run fails with what is wrong
  await page.setInputFiles(`${CELL} input[type="file"][data-knob="model"]`, { name: 'pairs.txt', mimeType: 'text/plain', buffer: Buffer.from('one 1\ntwo 2\n') });
  assert.equal(await waitForRunEnd(page, 4), 'failed');
  assert.match(await consoleText(page), /load: (this is not a safetensors file|the file is truncated)/);
  assert.equal(downloads.length, 1);
  assert.deepEqual(pageErrors.map(String), []);
  assert.deepEqual(requests.filter((u) => !u.startsWith(lab.url) && !/^(blob|data):/.test(u)), []);
  await page.close();
});

test('Korean: the file knob and the save button speak Korean; code that tries to save by itself cannot', async () => {
  const { page, pageErrors } = await openLab(lab, '#lang=ko&chapter=lstm-cell');
  const downloads = [];
  page.on('download', (d) => downloads.push(d));
  await setCode(page, [
    "const f = knob('쌍', null, { kind: 'file', accept: '.txt' });",
    "print(f ? f.text().trim().split('\\n').length + '줄' : '없음');",
    // what a page would do to save a file: the sandbox has no document, no network
    "try { const a = document.createElement('a'); a.download = 'x'; a.click(); } catch (e) { print('document:', e.name); }",
    "try { await fetch('/x'); } catch (e) { print('fetch:', e.name); }",
    "download('쌍.txt', '하나 1\\n둘 2\\n');",
  ].join('\n'));
  await page.click(`${CELL} [data-action="run"]`);
  assert.equal(await waitForRunEnd(page, 1), 'done');
  const out = await consoleText(page);
  assert.match(out, /^없음$/m);
  assert.match(out, /^document: ReferenceError$/m);
  assert.match(out, /^fetch: TypeError$/m);
  assert.equal(await page.textContent(`${CELL} .knob-file-status`), '아직 파일 없음(파일을 고르거나 셀에 끌어다 놓으세요)');
  const button = page.locator(`${CELL} [data-action="save-file"]`);
  assert.equal(await button.textContent(), '저장: 쌍.txt (15 B)');
  await page.waitForTimeout(800);
  assert.equal(downloads.length, 0);

  await page.setInputFiles(`${CELL} input[type="file"]`, { name: '쌍.txt', mimeType: 'text/plain', buffer: Buffer.from('하나 1\n둘 2\n셋 3\n') });
  assert.equal(await waitForRunEnd(page, 2), 'done');
  assert.match(await consoleText(page), /^3줄$/m);
  const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
  assert.equal(fs.readFileSync(await download.path(), 'utf8'), '하나 1\n둘 2\n');

  // a file dropped on the cell goes to its file knob
  const dropped = await page.evaluateHandle(() => {
    const dt = new DataTransfer();
    dt.items.add(new File(['a 1\nb 2\nc 3\nd 4\n'], '넷.txt', { type: 'text/plain' }));
    return dt;
  });
  await page.dispatchEvent(`${CELL} .cell-output`, 'dragover', { dataTransfer: dropped });
  assert.equal(await page.getAttribute(CELL, 'data-drop'), 'true');
  await page.dispatchEvent(`${CELL} .cell-output`, 'drop', { dataTransfer: dropped });
  assert.equal(await waitForRunEnd(page, 3), 'done');
  assert.match(await consoleText(page), /^4줄$/m);
  assert.equal(await page.textContent(`${CELL} .knob-file-status`), '넷.txt (16 B)');
  assert.deepEqual(pageErrors.map(String), []);
  await page.close();
});
