// The engine built with threads, in the page: a first visit (not cross-origin isolated) runs the
// SIMD engine; once the site's service worker controls the page it sends the isolation headers,
// and the next visit runs the threaded engine, in the same opaque-origin sandbox, with the same
// results, both cores busy during one large op, and Stop ending its threads too.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CELL, LSTM_CHAPTER, chromiumCpuSeconds, newPage, runCode, setCode, startLab, waitForRunEnd } from './browser.mjs';

let lab;
before(async () => {
  lab = await startLab();
});
after(async () => {
  await lab?.close();
});

const run = async (page, code) => {
  const { state, text } = await runCode(page, code, 30_000);
  return { state, text: text.trim() };
};

const WHERE = "print(self.origin, typeof caches, typeof localStorage, typeof SharedArrayBuffer, gl.maxThreads(), gl.getNumThreads());";
// Three Adam steps of an LSTM big enough to be split between threads; its last loss, every bit.
const TRAIN = `gl.manualSeed(4);
const lstm = new gl.nn.LSTM(8, 64), head = new gl.nn.Linear(64, 1);
const opt = new gl.optim.Adam([...lstm.parameters(), ...head.parameters()], { lr: 1e-2 });
let loss;
for (let step = 0; step < 3; step++) {
  const x = gl.randn([32, 80, 8]), y = gl.randn([32, 1]);
  loss = gl.nn.functional.mseLoss(head.forward(lstm.forward(x)[0].select(1, 79)), y);
  opt.zeroGrad(); loss.backward(); opt.step();
}
print('loss', loss.item());`;

test('a first visit runs the SIMD engine; once the service worker sends the isolation headers the threaded one runs, in the sandbox, with the same results', async () => {
  const { page, pageErrors } = await newPage(lab, { serviceWorkers: 'allow' });
  await page.goto(lab.url + LSTM_CHAPTER);
  await page.waitForSelector(`${CELL}[data-engine="ready"]`, { timeout: 20_000 });
  assert.equal(await page.evaluate(() => crossOriginIsolated), false);
  assert.equal(await page.getAttribute('#footer-engine', 'data-flavour'), 'simd');
  assert.equal((await run(page, WHERE)).text, 'null undefined undefined undefined 1 1');
  const simd = await run(page, TRAIN);
  assert.equal(simd.state, 'done', simd.text);

  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 20_000 });
  await page.reload();
  await page.waitForSelector(`${CELL}[data-engine="ready"]`, { timeout: 30_000 });
  assert.equal(await page.evaluate(() => crossOriginIsolated), true);
  assert.equal(await page.getAttribute('#footer-engine', 'data-flavour'), 'threads');
  // reader code: still the opaque origin, no caches or storage, now with shared memory
  // one thread per core, at most 8 (sandbox-frame.js)
  const threads = await page.evaluate(() => Math.min(8, Math.max(2, navigator.hardwareConcurrency)));
  assert.equal((await run(page, WHERE)).text, `null undefined undefined function ${threads} ${threads}`);
  const threaded = await run(page, TRAIN);
  assert.equal(threaded.state, 'done', threaded.text);
  assert.match(threaded.text, /^loss \d/);
  assert.equal(threaded.text, simd.text, 'the same loss to the last bit');
  // parallel()'s workers take one core each already: one engine thread apiece
  assert.equal((await run(page, 'print(gl.getNumThreads(), await parallel([1, 2], () => gl.getNumThreads()))')).text, `${threads} [1, 1]`);
  assert.deepEqual(pageErrors.map(String), []);
  await page.close();
});

test('the threaded engine keeps both cores busy in one large op, and Stop ends its threads', async () => {
  const { page, pageErrors } = await newPage(lab, { serviceWorkers: 'allow' });
  await page.goto(lab.url + LSTM_CHAPTER);
  await page.waitForSelector(`${CELL}[data-engine="ready"]`, { timeout: 20_000 });
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 20_000 });
  await page.reload();
  await page.waitForSelector(`${CELL}[data-engine="ready"]`, { timeout: 30_000 });
  assert.equal(await page.getAttribute('#footer-engine', 'data-flavour'), 'threads');

  // One large product after another: every one is split between the two threads.
  const n = Number(await page.getAttribute(CELL, 'data-runs')) + 1;
  await setCode(page, 'const a = gl.randn([768, 768]);\nfor (;;) gl.tidy(() => a.matmul(a));');
  await page.click(`${CELL} [data-action="run"]`);
  await page.waitForTimeout(1500);
  let c0 = chromiumCpuSeconds();
  await page.waitForTimeout(2000);
  const running = chromiumCpuSeconds() - c0;
  await page.click(`${CELL} [data-action="stop"]`);
  assert.equal(await waitForRunEnd(page, n, 5000), 'stopped');
  await page.waitForTimeout(3000); // Chromium's delay before it ends a worker caught in a loop
  c0 = chromiumCpuSeconds();
  await page.waitForTimeout(2000);
  const stopped = chromiumCpuSeconds() - c0;
  assert.ok(running > 2.6, `one cell's products keep both cores busy: ${running.toFixed(2)} CPU-s in 2 s`);
  assert.ok(stopped < 0.6, `after Stop nothing keeps running: ${stopped.toFixed(2)} CPU-s in 2 s`);
  assert.equal((await run(page, 'print(gl.ones([3]).sum().item())')).text, '3');
  assert.deepEqual(pageErrors.map(String), []);
  await page.close();
});
