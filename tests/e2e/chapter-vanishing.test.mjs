// The vanishing-gradients chapter in the browser: its experiments run in the page's worker and
// show their claims there too. The full claim checks run in Node (tests/wasm/chapter-vanishing
// .test.mjs, which also runs the adding-problem race to its end; chapters.test.mjs runs its first
// seconds in the page); here: a knob moves ρ across 1 and clipping's cosines.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { consoleText, foreignRequests, openLab, startLab, waitForRunEnd } from './browser.mjs';

const CHAPTER = '#lang=en&chapter=vanishing-gradients';
let lab;
before(async () => { lab = await startLab(); });
after(async () => { await lab?.close(); });

const cell = (id) => `#cell-${id}`;
const number = (text, label) => {
  const i = text.indexOf(label);
  assert.ok(i >= 0, `'${label}' in the console:\n${text}`);
  return Number(text.slice(i + label.length).trim().split(/[\s,]/)[0]);
};

test('ρ^T in the page: 0.9 keeps 2.66e-5 of the gradient after 100 steps, and the ρ knob set to 1.1 gives 1.38e4', async () => {
  const { page, requests, pageErrors } = await openLab(lab, CHAPTER);
  const sel = cell('rho-power');
  await page.click(`${sel} [data-action="run"]`);
  await waitForRunEnd(page, 1, 20_000, sel);
  const first = await consoleText(page, sel);
  assert.ok(Math.abs(number(first, '||dh_T/dh_0|| =') / 2.66e-5 - 1) < 0.01, first);

  await page.locator(`${sel} input[data-knob="ρ"]`).fill('1.1');
  await waitForRunEnd(page, 2, 20_000, sel);
  const second = await consoleText(page, sel);
  assert.ok(Math.abs(number(second, '||dh_T/dh_0|| =') / 1.38e4 - 1) < 0.01, second);
  const plot = await page.evaluate(() => window.gradlab.cells['rho-power'].plotData('What is left of the gradient, steps back from T'));
  assert.equal(plot.series[0].values.length, 101, 'one point per step back, 0..T');

  const clip = cell('clipping');
  await page.click(`${clip} [data-action="run"]`);
  await waitForRunEnd(page, 1, 20_000, clip);
  const text = await consoleText(page, clip);
  assert.match(text, /by norm: +norm = 1\.0000, cosine = 1\.000000/);
  assert.ok(number(text.slice(text.indexOf('by value:')), 'cosine =') < 0.999, text);
  assert.deepEqual(pageErrors, []);
  assert.deepEqual(foreignRequests(requests, lab.url), []);
});
