// End-to-end: the built lab page in headless Chromium, against the real engine.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer } from '../../web/tools/serve.mjs';
import {
  CELL,
  LSTM_CHAPTER,
  consoleText,
  distDir,
  foreignRequests,
  newPage,
  openLab,
  runCount,
  setCode,
  startLab,
  waitForRunEnd,
} from './browser.mjs';

let lab;
before(async () => {
  lab = await startLab();
});
after(async () => {
  await lab?.close();
});

test('the LSTM experiment runs after the reader edits hiddenSize to 16', async () => {
  const { page, requests, pageErrors } = await openLab(lab);

  // Edit like a reader: click the line, go to its end, retype the number.
  await page.locator(`${CELL} .cm-line`, { hasText: 'const hiddenSize = 20;' }).click();
  await page.keyboard.press('End');
  for (let i = 0; i < '20;'.length; i++) await page.keyboard.press('Backspace');
  await page.keyboard.type('16;');
  const code = await page.evaluate(() => window.gradlab.cells['lstm-cell'].editor.getCode());
  assert.match(code, /^const hiddenSize = 16;$/m, 'the editor holds the edited line');

  const t0 = Date.now();
  await page.keyboard.press('Control+Enter');
  const state = await waitForRunEnd(page, 1);
  const took = Date.now() - t0;
  const out = await consoleText(page);
  assert.equal(state, 'done', `the run should succeed; console says:\n${out}`);
  assert.match(out, /h: \[32, 16\] {2}c: \[32, 16\]/, `shapes follow hiddenSize; console says:\n${out}`);

  const series = JSON.parse(await page.getAttribute(`${CELL} .plot`, 'data-series'));
  assert.deepEqual(series, { LSTM: 50, 'tanh RNN': 50 }, 'one plot with both curves over t = 0..49');
  assert.equal(await page.locator(`${CELL} .plot canvas`).count() > 0, true, 'uPlot drew on a canvas');

  assert.match(await page.textContent(`${CELL} .status`), /^Done in [\d.]+ (ms|s)\./);
  assert.ok(took < 10_000, `run took ${took} ms`);
  assert.deepEqual(pageErrors.map(String), []);
  assert.deepEqual(foreignRequests(requests, lab.url), [], 'no request left the page\'s origin');
  await page.close();
});

test('a syntax error is reported with the reader\'s line number', async () => {
  const { page, pageErrors } = await openLab(lab);
  await setCode(page, ['const a = 1;', 'const b = 2;', '', 'print(a + b);', '', '// the next line is broken', 'const c = (a +;', ''].join('\n'));
  await page.click(`${CELL} [data-action="run"]`);
  assert.equal(await waitForRunEnd(page, 1), 'failed');
  const out = await consoleText(page);
  assert.match(out, /SyntaxError: Unexpected token \(line 7, col \d+\)/, `console says:\n${out}`);
  assert.doesNotMatch(out, /^3$/m, 'nothing ran: the code is checked before it runs');
  assert.equal(await page.locator(`${CELL} .cm-errorLine`).count(), 1, 'the editor marks the line');
  await page.click(`${CELL} .console-goto`);
  const cursorLine = await page.evaluate(() => {
    const { view } = window.gradlab.cells['lstm-cell'].editor;
    return view.state.doc.lineAt(view.state.selection.main.head).number;
  });
  assert.equal(cursorLine, 7, 'clicking the line in the console puts the cursor there');
  assert.match(await page.textContent(`${CELL} .status`), /SyntaxError on line 7/);
  assert.deepEqual(pageErrors.map(String), []);
  await page.close();
});

test('an engine error at run time points at the reader\'s line', async () => {
  const { page } = await openLab(lab);
  await setCode(page, [
    'print("before");',
    'const layer = new gl.nn.Linear(10, 20);',
    'function apply(x) {',
    '  return layer.forward(x); // line 4',
    '}',
    'apply(gl.randn([32, 12]));',
  ].join('\n'));
  await page.click(`${CELL} [data-action="run"]`);
  assert.equal(await waitForRunEnd(page, 1), 'failed');
  const out = await consoleText(page);
  assert.match(out, /before/);
  assert.match(out, /Linear: expected input \(\*, 10\), got \(32, 12\)/, `console says:\n${out}`);
  assert.match(out, /\(line 4, col \d+\)/, `the error names line 4; console says:\n${out}`);
  assert.match(out, /called from \(line 6\)/, `and the caller on line 6; console says:\n${out}`);
  await page.close();
});

test('Stop ends `while (true) {}` at once, and the next run works', async () => {
  const { page, requests, pageErrors } = await openLab(lab);
  await setCode(page, 'print("looping");\nwhile (true) {}\n');
  await page.click(`${CELL} [data-action="run"]`);
  await page.waitForFunction((sel) => document.querySelector(sel).textContent.includes('looping'), `${CELL} .console`);
  assert.equal(await page.getAttribute(CELL, 'data-run'), 'running');

  // The page thread stays free while the loop spins in the worker.
  const t0 = Date.now();
  assert.equal(await page.evaluate(() => 6 * 7), 42);
  await page.click(`${CELL} [data-action="stop"]`);
  assert.equal(await waitForRunEnd(page, 1, 2_000), 'stopped');
  const stoppedIn = Date.now() - t0;
  assert.ok(stoppedIn < 2_000, `stopping took ${stoppedIn} ms`);
  assert.match(await page.textContent(`${CELL} .status`), /^Stopped after/);

  // A fresh worker takes over: the next run works.
  await setCode(page, 'print("after stop", gl.ones([2, 3]).shape);\n');
  await page.click(`${CELL} [data-action="run"]`);
  assert.equal(await waitForRunEnd(page, 2, 5_000), 'done');
  assert.match(await consoleText(page), /after stop \[2, 3\]/);

  // Escape from the editor stops a run too.
  await setCode(page, 'while (true) {}\n');
  await page.click(`${CELL} .cm-content`);
  await page.keyboard.press('Control+Enter');
  await page.waitForFunction((sel) => document.querySelector(sel).dataset.run === 'running', CELL);
  const runs = await runCount(page);
  await page.keyboard.press('Escape');
  assert.equal(await waitForRunEnd(page, runs, 2_000), 'stopped');

  assert.deepEqual(pageErrors.map(String), []);
  assert.deepEqual(foreignRequests(requests, lab.url), [], 'no request left the page\'s origin');
  await page.close();
});

test('a cell asked to get ready while it runs is ready once the run ends (as a shared link\'s cell is)', async () => {
  // The page starts a shared link's cell and runs it at once; the chapter then starts it again
  // as it scrolls into view. The worker for the next run, made during the run, is ready first.
  const { page } = await openLab(lab);
  await setCode(page, 'const t0 = Date.now();\nwhile (Date.now() - t0 < 1500) {}\nprint("slow");');
  await page.click(`${CELL} [data-action="run"]`);
  await page.waitForSelector(`${CELL}[data-engine="running"]`);
  await page.evaluate(() => window.gradlab.cells['lstm-cell'].start());
  assert.equal(await waitForRunEnd(page, 1), 'done');
  await page.waitForSelector(`${CELL}[data-engine="ready"]`, { timeout: 10_000 });
  await page.close();
});

test('the page and a run ask nothing of any other origin', async () => {
  const { page, requests } = await openLab(lab);
  await page.click(`${CELL} [data-action="run"]`);
  assert.equal(await waitForRunEnd(page, 1), 'done');
  assert.ok(requests.some((u) => u.endsWith('/engine/gradlab-engine.wasm')), 'the engine came from the site itself');
  assert.deepEqual(foreignRequests(requests, lab.url), []);
  await page.close();
});

test('the built site works from a sub-folder', async () => {
  // Serve web/ and open web/dist/ as /dist/: every URL in the site must be relative.
  const server = await startServer({ root: path.dirname(distDir), port: 0 });
  lab.allowOrigin(server.url);
  try {
    const { page, requests } = await newPage(lab);
    await page.goto(`${server.url}dist${LSTM_CHAPTER}`); // no trailing slash: the server redirects
    await page.waitForSelector('.cell[data-engine="ready"]', { timeout: 20_000 });
    await setCode(page, 'print(gl.zeros([4, 2]).shape);');
    await page.click(`${CELL} [data-action="run"]`);
    assert.equal(await waitForRunEnd(page, 1), 'done');
    assert.match(await consoleText(page), /\[4, 2\]/);
    const outside = requests.filter((u) => !u.startsWith(`${server.url}dist`) && !/^(data|blob):/.test(u));
    assert.deepEqual(outside, [], 'everything comes from the sub-folder');
    await page.close();
  } finally {
    await server.close();
  }
});

test('a missing engine is reported instead of hanging', async () => {
  const { page } = await newPage(lab);
  await page.route('**/engine/gradlab-engine.wasm', (route) => route.fulfill({ status: 404, body: 'not here' }));
  await page.goto(lab.url + LSTM_CHAPTER);
  await page.waitForSelector('.cell[data-engine="failed"]', { timeout: 20_000 });
  assert.match(await page.textContent(`${CELL} .status`), /could not be loaded: .*HTTP 404/);
  await page.close();
});

test('an exception in a callback ends the run at its line', async () => {
  const { page } = await openLab(lab);
  await setCode(page, 'await new Promise((resolve) => {\n  setTimeout(() => {\n    null.boom;\n    resolve();\n  }, 10);\n});\n');
  await page.click(`${CELL} [data-action="run"]`);
  assert.equal(await waitForRunEnd(page, 1), 'failed');
  assert.match(await consoleText(page), /TypeError: .*boom.* \(line 3, col \d+\)/);
  await page.close();
});

// What experiment code cannot reach (the network, the site, the page) is tested in
// security.test.mjs.

// Last in the file: every request of every test above, not only those a test checked.
test('the console follows new lines while it is scrolled to its end, and stays where the reader scrolled it', async () => {
  const { page } = await openLab(lab);
  const where = () => page.evaluate((cell) => {
    const el = document.querySelector(`${cell} .console`);
    return { top: Math.round(el.scrollTop), end: el.scrollHeight - el.clientHeight };
  }, CELL);
  const frames = () => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  const slowPrints = (n) => `for (let i = 0; i < ${n}; i++) { print(i); const t = Date.now(); while (Date.now() - t < 10) {} }`;

  await setCode(page, slowPrints(200));
  await page.evaluate(() => window.gradlab.cells['lstm-cell'].run());
  await frames();
  const followed = await where();
  assert.ok(followed.end > 0, 'the lines overflow the console');
  assert.equal(followed.top, followed.end, 'printed over 2 s, the console ends at the last line');

  await setCode(page, slowPrints(400));
  const run = page.evaluate(() => window.gradlab.cells['lstm-cell'].run());
  await page.waitForFunction((cell) => document.querySelectorAll(`${cell} .console .console-line`).length > 50, CELL);
  await page.evaluate((cell) => { document.querySelector(`${cell} .console`).scrollTop = 0; }, CELL);
  await run;
  await frames();
  const stayed = await where();
  assert.equal(stayed.top, 0, 'scrolled up by the reader during the run, it stays there');
  assert.ok(stayed.end > followed.end, 'while more lines arrived below');
});

test('no request left the sites the tests served, and the pages\' policy refused nothing, in any test of this file', () => {
  assert.deepEqual(lab.foreignRequests(), []);
  assert.deepEqual(lab.refusedByPolicy(), []);
});
