// The autograd graph view in the page (plot({ kind: 'graph' }), lab/plots/graph-chart.js): it
// draws the graph of a small network, a click on a node shows its values, the step control
// visits the nodes in the engine's backward order (the worker's gl.graph order, compared with
// what the page highlights), the keyboard works, and a graph of 312 nodes draws without a
// long task. Both page languages.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CELL, LSTM_CHAPTER, consoleText, longTasks, newPage, recordLongTasks, setCode, waitForRunEnd, startLab } from './browser.mjs';

const LONG_TASK_MS = 200;
let lab;
before(async () => { lab = await startLab(); });
after(async () => { await lab?.close(); });

const MLP = `gl.manualSeed(5);
const l1 = new gl.nn.Linear(3, 5), l2 = new gl.nn.Linear(5, 2);
const x = gl.randn([4, 3]), y = gl.randn([4, 2]);
const loss = new gl.nn.MSELoss().forward(l2.forward(l1.forward(x).tanh()), y);
const g = gl.graph(loss, { backward: true, names: { x, y, l1, l2 } });
print('order', JSON.stringify(g.order));
print('W1grad', JSON.stringify(Array.from(l1.weight.grad.toArray()).slice(0, 3)));
plot({ kind: 'graph', title: 'MLP', of: g });`;

const BIG = `gl.manualSeed(1);
const w = gl.randn([4], { requiresGrad: true });
let total = null;
for (let k = 0; k < 26; k++) {
  let h = w.mul(gl.randn([4]));
  for (let i = 0; i < 8; i++) h = h.tanh();
  total = total === null ? h.sum() : total.add(h.sum());
}
plot({ kind: 'graph', title: 'big', of: total, backward: true });`;

const idle = (page) => page.evaluate(() => new Promise((resolve) => requestIdleCallback(() => resolve(performance.now()), { timeout: 3000 })));
const fig = (id) => `${CELL} .plot[data-plot-id="${id}"]`;

async function run(page, code, n) {
  await setCode(page, code);
  await page.click(`${CELL} [data-action="run"]`);
  assert.equal(await waitForRunEnd(page, n), 'done', await consoleText(page));
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

for (const lang of ['en', 'ko']) {
  test(`${lang}: the graph of a 2-layer MLP draws; a click shows values; stepping follows the engine's order`, async () => {
    const { page, pageErrors } = await newPage(lab);
    await recordLongTasks(page);
    await page.goto(lab.url + LSTM_CHAPTER.replace('lang=en', `lang=${lang}`));
    await page.waitForSelector(`${CELL}[data-engine="ready"]`, { timeout: 20_000 });
    const since = await idle(page); // the page's own start is not the graph's to answer for
    await run(page, MLP, 1);
    const printed = await consoleText(page);
    const order = JSON.parse(/order (\[[^\]]*\])/.exec(printed)[1]);
    const W1grad = JSON.parse(/W1grad (\[[^\]]*\])/.exec(printed)[1]);
    assert.equal(order.length, 4);

    // ten boxes, nine edges with arrows; parameters and inputs drawn apart
    assert.equal(await page.locator(`${fig('MLP')} .graph-node`).count(), 10);
    assert.equal(await page.locator(`${fig('MLP')} .graph-edge`).count(), 9);
    assert.equal(await page.locator(`${fig('MLP')} .graph-param`).count(), 4);
    assert.equal(await page.locator(`${fig('MLP')} .graph-input`).count(), 2);
    assert.match(await page.textContent(`${fig('MLP')} [data-node="9"]`), /∇ = 1/, 'the loss box shows its gradient, 1');

    // a click on l1.weight: its values and its gradient, as autograd gave it
    const w1 = page.locator(`${fig('MLP')} .graph-node`, { hasText: 'l1.weight' });
    await w1.click();
    const details = page.locator(`${fig('MLP')} .graph-details`);
    await details.waitFor();
    assert.match(await details.textContent(), /l1\.weight/);
    const tables = details.locator('.graph-table');
    assert.equal(await tables.count(), 3, 'its values, its gradient, and what the last step (the first Linear) added into it');
    assert.equal(await tables.nth(0).locator('td').count(), 15);
    const shown = (await tables.nth(1).locator('td').allTextContents()).slice(0, 3).map(Number);
    shown.forEach((v, i) => assert.ok(Math.abs(v - W1grad[i]) <= 1e-3 * Math.max(1, Math.abs(W1grad[i])), `grad ${i}: ${v} vs ${W1grad[i]}`));

    // stepping: from the start, each step highlights the next node of the engine's order
    const view = page.locator(`${fig('MLP')} .graph-view`);
    await page.click(`${fig('MLP')} [data-action="graph-first"]`);
    assert.equal(await view.getAttribute('data-step'), '0');
    const visited = [];
    for (let k = 1; k <= order.length; k++) {
      await page.click(`${fig('MLP')} [data-action="graph-next"]`);
      assert.equal(await view.getAttribute('data-step'), String(k));
      const node = await page.getAttribute(`${fig('MLP')} .graph-step-current`, 'data-node');
      visited.push(Number(node));
      assert.ok(await page.locator(`${fig('MLP')} .graph-edge-flow`).count() >= 1, `step ${k}: the edges it adds along are marked`);
      assert.ok(await page.locator(`${fig('MLP')} .graph-step-target`).count() >= 1, `step ${k}: the inputs it adds into are marked`);
    }
    assert.deepEqual(visited, order, 'the page visits the nodes in the engine\'s backward order');
    assert.ok(await page.isDisabled(`${fig('MLP')} [data-action="graph-next"]`));
    const status = await page.textContent(`${fig('MLP')} .graph-status`);
    assert.match(status, lang === 'ko' ? /역전파 4단계 중 4단계/ : /Backward step 4 of 4/);

    // the keyboard: the slider moves by arrow keys, a focused box opens with Enter
    await page.focus(`${fig('MLP')} .graph-slider`);
    await page.keyboard.press('Home');
    assert.equal(await view.getAttribute('data-step'), '0');
    await page.keyboard.press('ArrowRight');
    assert.equal(await view.getAttribute('data-step'), '1');
    await page.focus(`${fig('MLP')} [data-node="0"]`);
    await page.keyboard.press('Enter');
    assert.equal(await details.getAttribute('data-node'), '0');

    assert.deepEqual(pageErrors.map((e) => e.message), []);
    const long = (await longTasks(page, since)).filter((t) => t.ms > LONG_TASK_MS);
    assert.deepEqual(long, [], 'no long task');
    await page.close();
  });
}

test('a graph of 312 nodes draws folded, without a long task; a fold opens on click', async () => {
  const { page, pageErrors } = await newPage(lab);
  await recordLongTasks(page);
  await page.goto(lab.url + LSTM_CHAPTER);
  await page.waitForSelector(`${CELL}[data-engine="ready"]`, { timeout: 20_000 });
  const since = await idle(page);
  await run(page, BIG, 1);
  const boxes = Number(await page.getAttribute(`${fig('big')} .graph-view`, 'data-boxes'));
  const timing = async () => page.evaluate((s) => { const v = document.querySelector(s); return `layout ${v.dataset.layoutMs} ms (in the worker), drawing ${v.dataset.drawMs} ms`; }, `${fig('big')} .graph-view`);
  console.log(`# first draw: ${await timing()}`);
  assert.ok(boxes > 20 && boxes <= 120, `${boxes} boxes`);
  const t0 = await page.evaluate(() => performance.now());
  await page.locator(`${fig('big')} .graph-group`).first().click();
  // laid out again in the worker: the new boxes come a moment later
  await page.waitForFunction(([s, n]) => Number(document.querySelector(s).dataset.boxes) > n, [`${fig('big')} .graph-view`, boxes], { timeout: 10_000 }).catch(() => {});
  const opened = Number(await page.getAttribute(`${fig('big')} .graph-view`, 'data-boxes'));
  console.log(`# after opening a fold: ${await timing()}`);
  assert.ok(opened > boxes, `${opened} boxes after opening a fold`);
  const blocked = (await longTasks(page, since)).map((t) => t.ms);
  console.log(`# 312 nodes: ${boxes} boxes, long tasks ${JSON.stringify(blocked)} ms; opened in ${(await page.evaluate(() => performance.now())) - t0} ms`);
  assert.ok(!blocked.some((ms) => ms > LONG_TASK_MS), `long tasks of ${blocked.join(', ')} ms`);
  assert.deepEqual(pageErrors.map((e) => e.message), []);
  await page.close();
});
