// End-to-end: the seq2seq chapter's files in the page (tutorials/*/08-seq2seq.md). The
// keep-model cell hands its trained weights over as a Save button; the file saved by a click,
// picked in the cell's file knob, loads back into a model that reads every number the same
// without training. The own-pairs cell's text knob: a bad line stops the run with its number.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { foreignRequests, openLab, startLab, waitForRunEnd } from './browser.mjs';

const CHAPTER = '#lang=en&chapter=seq2seq';
let lab;
before(async () => { lab = await startLab(); });
after(async () => { await lab?.close(); });

const cell = (id) => `#cell-${id}`;
/** A cell's console, one line per line. */
const consoleText = (page, sel) => page.$$eval(`${sel} .console-line`, (lines) => lines.map((l) => l.textContent).join('\n'));
/** The lines from the readings on: what the model writes, trained or loaded. */
const readings = (text) => text.slice(text.indexOf('readings right:'));

test('keep-model: Save gives a safetensors file; picked in "start from a saved model" it reads the numbers the same, without training', async () => {
  const { page, pageErrors, requests } = await openLab(lab, CHAPTER);
  const sel = cell('keep-model');
  await page.click(`${sel} [data-action="run"]`);
  assert.equal(await waitForRunEnd(page, 1, 60_000, sel), 'done');
  const trained = await consoleText(page, sel);
  assert.match(trained, /readings right: \d+ of 200 test numbers/);
  assert.match(trained, /encoder\.weight_ih_l0 \[192, 32\]/);

  const button = page.locator(`${sel} .cell-downloads [data-action="save-file"]`);
  assert.equal(await button.count(), 1);
  const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
  assert.equal(download.suggestedFilename(), 'seq2seq.safetensors');
  const bytes = fs.readFileSync(await download.path());
  const header = JSON.parse(bytes.subarray(8, 8 + Number(bytes.readBigUInt64LE(0))).toString('utf8'));
  assert.deepEqual(header['decoder.weight_hh'].shape, [192, 64]);

  await page.setInputFiles(`${sel} input[type="file"][data-knob="start from a saved model"]`,
    { name: 'seq2seq.safetensors', mimeType: 'application/octet-stream', buffer: bytes });
  assert.equal(await waitForRunEnd(page, 2, 60_000, sel), 'done');
  const loaded = await consoleText(page, sel);
  assert.match(loaded, /^loaded seq2seq\.safetensors \(\d+ bytes\), no training$/m);
  assert.equal(readings(loaded), readings(trained));
  assert.deepEqual(pageErrors.map(String), []);
  assert.deepEqual(foreignRequests(requests, lab.url), []);
  await page.close();
});

test('own-pairs: a line without a separator pasted into the pairs stops the run, and the error names the line', async () => {
  const { page, pageErrors } = await openLab(lab, CHAPTER);
  const sel = cell('own-pairs');
  const area = page.locator(`${sel} textarea[data-knob="pairs"]`);
  await area.fill('서울 -> seoul\n부산 -> busan\n대구 daegu\n');
  await area.press('Tab');
  const status = await waitForRunEnd(page, 1, 60_000, sel);
  if (status !== 'failed') { // the knob's change did not start a run: start it
    await page.click(`${sel} [data-action="run"]`);
    assert.equal(await waitForRunEnd(page, 2, 60_000, sel), 'failed');
  }
  assert.match(await consoleText(page, sel), /line 3 has no separator[^\n]*대구 daegu/);
  assert.deepEqual(pageErrors.map(String), []);
  await page.close();
});
