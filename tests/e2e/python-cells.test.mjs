// Python cells in the browser (issue 12): Pyodide served by the site, started in the sandbox's
// worker when a Python cell first runs; knobs, plots, Stop, share links and offline use as for
// a JavaScript cell; a page of JavaScript cells downloads none of it.
// No chapter has a Python cell of its own yet: the tests make one from a share link that gives
// a chapter's cell a Python version (language=python&code=…), which is also how a reader
// shares one. The code here is plain Python, so these tests do not depend on the torch package
// (except the one that only imports it).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import LZString from 'lz-string';
import { startLab, newPage, openLab, waitForRunEnd, consoleText, foreignRequests, CELL } from './browser.mjs';

let lab;
before(async () => { lab = await startLab(); });
after(async () => { assert.deepEqual(lab.foreignRequests(), []); await lab?.close(); });

const PYTHON_START_MS = 90_000; // a first run downloads and starts Pyodide; the machine is shared
const isPythonFile = (url) => /\/python\/|python-editor/.test(new URL(url).pathname);

/** The LSTM chapter's first cell with a Python version from a link. */
function pythonLink(code, { lang = 'en', extra = '' } = {}) {
  return `${lab.url}#lang=${lang}&chapter=lstm-cell&cell=lstm-cell${extra}&language=python&code=${LZString.compressToEncodedURIComponent(code)}`;
}

async function openPython(code, options = {}, pageOptions) {
  const opened = await newPage(lab, pageOptions);
  await opened.page.goto(pythonLink(code, options));
  await opened.page.waitForSelector(`${CELL}[data-language="python"]`);
  return opened;
}

/** Clicks Stop in the page and resolves to the ms until the cell says its run ended (the page's clock). */
function stopAndTime(page) {
  return page.evaluate((sel) => new Promise((resolve, reject) => {
    const cell = document.querySelector(sel);
    const t0 = performance.now();
    const watch = new MutationObserver(() => {
      if (cell.dataset.run === 'running') return;
      watch.disconnect();
      resolve(Math.round(performance.now() - t0));
    });
    watch.observe(cell, { attributes: true, attributeFilter: ['data-run'] });
    setTimeout(() => reject(new Error('the run did not end within 10 s of Stop')), 10_000);
    cell.querySelector('[data-action="stop"]').click();
  }), CELL);
}

const editorCode = (page, id = 'lstm-cell') => page.evaluate((i) => window.gradlab.cells[i].editor.getCode(), id);
const runsSoFar = async (page) => Number(await page.getAttribute(CELL, 'data-runs'));

// The first test's page (a Python cell from a link, run once) is where the next few run their
// code, as a reader edits and reruns one cell: Pyodide starts once for them, not once each.
let shared = null;
async function sharedPythonPage() {
  if (!shared) {
    shared = await openPython(PLOTTING);
    assert.equal(await waitForRunEnd(shared.page, 1, PYTHON_START_MS), 'done', await consoleText(shared.page));
  }
  return shared.page;
}

/** Puts `code` in the shared page's cell and runs it; resolves to how the run ended. */
async function runInSharedPage(code) {
  const page = await sharedPythonPage();
  const runs = await runsSoFar(page);
  await page.evaluate((c) => window.gradlab.cells['lstm-cell'].editor.setCode(c), code);
  await page.click(`${CELL} [data-action="run"]`);
  return waitForRunEnd(page, runs + 1, PYTHON_START_MS);
}

const PLOTTING = [
  "r = knob('ratio', 0.5, min=0.1, max=2.0, step=0.1)",
  'values = [r ** t for t in range(6)]',
  "print(f'last = {values[-1]:.4f}')",
  "plot({'id': 'powers', 'title': 'powers of r', 'series': {'r^t': values}})",
].join('\n');

test('a Python cell from a share link runs, prints and plots; its code and language are restored', async () => {
  await sharedPythonPage();
  const { page, requests, pageErrors } = shared;
  assert.match(await consoleText(page), /last = 0\.0312/);
  assert.equal(await page.locator(`${CELL} .plot[data-plot-id="powers"]`).count(), 1);
  const plotted = await page.evaluate(() => window.gradlab.cells['lstm-cell'].plotData('powers'));
  assert.deepEqual(plotted.series[0].values.map((v) => Math.round(v * 1e4) / 1e4), [1, 0.5, 0.25, 0.125, 0.0625, 0.0313]);
  // The code shown is the link's, as Python; the cell now has two versions and shows the switch.
  assert.equal(await editorCode(page), PLOTTING);
  assert.equal(await page.getAttribute(`${CELL} .cm-content`, 'data-language'), 'python');
  assert.equal(await page.isVisible(`${CELL} .language-switch`), true);
  assert.equal(await page.getAttribute(`${CELL} .language-switch [data-language="python"]`, 'aria-pressed'), 'true');
  // The knob the Python code declares was read before it ran.
  assert.equal(await page.locator(`${CELL} input[data-knob="ratio"]`).count(), 1);
  assert.ok(requests.some((u) => u.endsWith('pyodide.asm.wasm')), 'Pyodide came from the site');
  assert.ok(requests.some((u) => /\/assets\/python-editor-[\w-]+\.js$/.test(u)), 'the editor loaded Python\'s highlighting');
  assert.deepEqual(foreignRequests(requests, lab.url), []);
  assert.deepEqual(pageErrors.map(String), []);
});

test('moving a knob reruns a Python cell with the new value', async () => {
  const page = await sharedPythonPage();
  const runs = await runsSoFar(page);
  const t0 = Date.now();
  await page.locator(`${CELL} input[data-knob="ratio"]`).fill('2');
  assert.equal(await waitForRunEnd(page, runs + 1, PYTHON_START_MS), 'done');
  console.log(`a warm Python rerun (standby worker) took ${Date.now() - t0} ms from the knob`);
  assert.match(await consoleText(page), /last = 32\.0000/);
});

test('Stop ends `while True: pass` within 2 s, and the next run works', async () => {
  const page = await sharedPythonPage();
  const runs = await runsSoFar(page);
  await page.evaluate(() => window.gradlab.cells['lstm-cell'].editor.setCode("print('spinning')\nwhile True:\n    pass"));
  await page.click(`${CELL} [data-action="run"]`);
  await page.waitForFunction((sel) => /spinning/.test(document.querySelector(`${sel} .console`).textContent), CELL, { timeout: PYTHON_START_MS });
  assert.equal(await page.getAttribute(CELL, 'data-run'), 'running');
  const ms = await stopAndTime(page);
  assert.equal(await page.getAttribute(CELL, 'data-run'), 'stopped');
  assert.ok(ms < 2000, `stopped after ${ms} ms`);
  assert.equal(await runsSoFar(page), runs + 1);
  assert.equal(await runInSharedPage("print('after stop', 6 * 7)"), 'done');
  assert.match(await consoleText(page), /after stop 42/);
});

test('a Python error shows its class, message and the reader\'s line, which the editor marks', async () => {
  const page = await sharedPythonPage();
  assert.equal(await runInSharedPage('def f(x):\n    return x / 0\n\nprint(1)\nf(3)'), 'failed');
  const text = await consoleText(page);
  assert.match(text, /ZeroDivisionError: division by zero/);
  assert.match(text, /line 2/);
  assert.match(text, /line 5/, 'the call, from the traceback');
  // The marked line is the one that raised.
  assert.equal(await page.locator(`${CELL} .cm-errorLine`).textContent(), '    return x / 0');
  assert.equal(await runInSharedPage('x = 1\nif x = 2:\n    pass'), 'failed');
  assert.match(await consoleText(page), /SyntaxError[\s\S]*line 2/);
});

test('import torch works in a Python cell (the package ships with the site)', async () => {
  const page = await sharedPythonPage();
  assert.equal(await runInSharedPage('import torch\nprint(torch.float32)'), 'done', await consoleText(page));
  assert.match(await consoleText(page), /torch\.float32/);
  await shared.page.close(); // the last test that uses it
  shared = null;
});

test('while Pyodide downloads and starts, the cell says so, in Korean on a Korean page', async () => {
  const opened = await newPage(lab);
  const { page } = opened;
  // Slow the biggest file down, so that the download is seen part way.
  await page.route('**/pyodide.asm.wasm', async (route) => {
    await new Promise((r) => setTimeout(r, 1500));
    await route.continue();
  });
  await page.addInitScript(() => {
    window.__stages = [];
    new MutationObserver(() => {
      const cell = document.querySelector('#cell-lstm-cell');
      const status = cell?.querySelector('.status')?.textContent ?? '';
      if (cell?.dataset.python) window.__stages.push(`${cell.dataset.python}: ${status}`);
    }).observe(document, { subtree: true, attributes: true, childList: true, characterData: true });
  });
  await page.goto(pythonLink("print('안녕')", { lang: 'ko' }));
  assert.equal(await waitForRunEnd(page, 1, PYTHON_START_MS), 'done');
  const stages = await page.evaluate(() => window.__stages);
  assert.ok(stages.some((s) => /^download: Python 내려받는 중\(처음 한 번만\): [\d.]+ MB 중 [\d.]+ MB/.test(s)), stages.slice(0, 5).join('\n'));
  assert.ok(stages.some((s) => /^start: Python을 시작하는 중/.test(s)), stages.slice(-5).join('\n'));
  assert.match(await consoleText(page), /안녕/);
  await page.close();
});

test('a page of JavaScript cells downloads no Python: neither Pyodide nor Python\'s editor support', async () => {
  // The tour: JavaScript cells only, and no switch on them.
  const tour = '#cell-remember-a-bit';
  const { page, requests } = await openLab(lab, '#lang=en&chapter=tour');
  await page.click(`${tour} [data-action="run"]`);
  assert.equal(await waitForRunEnd(page, 1, undefined, tour), 'done');
  assert.equal(await page.isVisible(`${tour} .language-switch`), false, 'a cell with one version has no switch');
  // The LSTM chapter's cell has a PyTorch version too; shown and run as JavaScript, it fetches no Python.
  await page.goto(`${lab.url}#lang=en&chapter=lstm-cell`);
  await page.waitForSelector(`${CELL}[data-engine="ready"]`);
  assert.equal(await page.getAttribute(CELL, 'data-language'), 'js');
  assert.equal(await page.isVisible(`${CELL} .language-switch`), true);
  await page.click(`${CELL} [data-action="run"]`);
  assert.equal(await waitForRunEnd(page, 1), 'done');
  assert.deepEqual(requests.filter(isPythonFile), []);
  await page.close();
});

test('the switch shows each version with its own code, remembers the choice, and saved edits keep both', async () => {
  const { page } = await openPython("print('py version')");
  assert.equal(await waitForRunEnd(page, 1, PYTHON_START_MS), 'done');
  const python = await editorCode(page);
  await page.click(`${CELL} .language-switch [data-language="js"]`);
  assert.equal(await page.getAttribute(CELL, 'data-language'), 'js');
  const js = await editorCode(page);
  assert.match(js, /gl\./, 'the chapter\'s JavaScript');
  assert.equal(await page.locator(`${CELL} [data-language="python"]`).getAttribute('aria-pressed'), 'false');
  await page.click(`${CELL} .language-switch [data-language="python"]`);
  assert.equal(await editorCode(page), python);
  // The link's state became a saved edit: a reload without the link shows the Python version.
  await page.goto(`${lab.url}#lang=en&chapter=lstm-cell`);
  await page.reload();
  await page.waitForSelector(`${CELL}[data-language]`);
  assert.equal(await page.getAttribute(CELL, 'data-language'), 'python');
  assert.equal(await editorCode(page), python);
  // Share from here: the link names the language and carries the code.
  await page.click(`${CELL} [data-action="share"]`);
  const link = await page.inputValue(`${CELL} .share-url`);
  assert.match(link, /[#&]language=python&code=/);
  // Reset puts back the chapter's own versions (its PyTorch one too) and keeps the language shown.
  await page.click(`${CELL} [data-action="reset"]`);
  assert.equal(await page.getAttribute(CELL, 'data-language'), 'python');
  assert.match(await editorCode(page), /^import torch$/m, 'the chapter\'s PyTorch version');
  assert.notEqual(await editorCode(page), python);
  await page.click(`${CELL} .language-switch [data-language="js"]`);
  assert.equal(await editorCode(page), js);
  await page.close();
});

test('after a first Python run, Python cells work with the network off (service worker cache)', async () => {
  const { page, context } = await newPage(lab, { serviceWorkers: 'allow' });
  await page.goto(`${lab.url}#lang=en&chapter=lstm-cell`);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30_000 });
  await page.goto(pythonLink("print('online', 1 + 1)"));
  assert.equal(await waitForRunEnd(page, 1, PYTHON_START_MS), 'done');
  assert.match(await consoleText(page), /online 2/);
  // The service worker stores each file once fetched (after checking its hash): wait for all.
  await page.waitForFunction(async () => {
    const keys = (await Promise.all((await caches.keys()).map(async (k) => (await caches.open(k)).keys()))).flat();
    return keys.filter((r) => /\/python\//.test(r.url)).length === 6;
  }, null, { timeout: 30_000, polling: 250 });
  await context.setOffline(true);
  try {
    await page.goto('about:blank');
    await page.goto(pythonLink("print('offline', 2 + 2)"));
    assert.equal(await waitForRunEnd(page, 1, PYTHON_START_MS), 'done', await consoleText(page));
    assert.match(await consoleText(page), /offline 4/);
  } finally {
    await context.setOffline(false);
  }
  await page.close();
});

test('PyTorch code pasted into a JavaScript cell is offered to run as Python, and then runs as the cell\'s Python version', async () => {
  const { page } = await openLab(lab);
  await page.evaluate(() => window.gradlab.cells['lstm-cell'].editor.setCode("import math\nprint('pasted', math.floor(2.5))"));
  await page.click(`${CELL} [data-action="run"]`);
  assert.equal(await waitForRunEnd(page, 1), 'failed');
  assert.match(await consoleText(page), /is Python/);
  await page.click(`${CELL} .console-action`);
  assert.equal(await page.getAttribute(CELL, 'data-language'), 'python');
  assert.equal(await waitForRunEnd(page, 2, PYTHON_START_MS), 'done', await consoleText(page));
  assert.match(await consoleText(page), /pasted 2/);
  // The JavaScript version is the chapter's again, one click away.
  await page.click(`${CELL} .language-switch [data-language="js"]`);
  assert.match(await editorCode(page), /gl\./);
  await page.close();
});

test('an embedded Python cell (embed.html with the language in its link) runs', async () => {
  const { page } = await newPage(lab);
  const code = "print('embedded', 3 * 3)";
  await page.goto(`${lab.url}embed.html#lang=en&chapter=lstm-cell&cell=lstm-cell&language=python&code=${LZString.compressToEncodedURIComponent(code)}&run=load`);
  await page.waitForSelector(`${CELL}[data-language="python"]`);
  assert.equal(await waitForRunEnd(page, 1, PYTHON_START_MS), 'done', await consoleText(page));
  assert.match(await consoleText(page), /embedded 9/);
  assert.equal(await editorCode(page), code);
  await page.close();
});

// A browser that has run Python once and kept the snapshot it made: the last two tests start
// from it (the second damages the snapshot the first found good).
let firstVisit = null;
async function firstVisitPage() {
  if (!firstVisit) {
    ({ page: firstVisit } = await openPython("print('first visit')"));
    assert.equal(await waitForRunEnd(firstVisit, 1, PYTHON_START_MS), 'done');
    await firstVisit.waitForSelector('html[data-python-snapshot="made"][data-python-snapshot-saved="true"]', { timeout: 30_000 });
  }
  return firstVisit;
}

test('a later visit starts Python from the snapshot the first one kept, and runs', async () => {
  const page = await firstVisitPage();
  const stored = await page.evaluate(async () => (await (await caches.open('pyodide-snapshot')).keys()).map((r) => r.url));
  assert.equal(stored.length, 1);
  assert.match(stored[0], /pyodide-snapshot\/314\.[\d.]+-[0-9a-f]{12}$/);
  // A new tab of the same browser: the cell (saved as Python) runs from the kept snapshot.
  const second = await page.context().newPage();
  await second.goto(`${lab.url}#lang=en&chapter=lstm-cell`);
  await second.waitForSelector(`${CELL}[data-language="python"]`);
  const t0 = Date.now();
  await second.click(`${CELL} [data-action="run"]`);
  assert.equal(await waitForRunEnd(second, 1, PYTHON_START_MS), 'done', await consoleText(second));
  console.log(`a first Python run from the kept snapshot took ${Date.now() - t0} ms`);
  assert.match(await consoleText(second), /first visit/);
  assert.equal(await second.getAttribute('html', 'data-python-snapshot'), 'loaded', 'no worker had to make a new one');
  await second.close();
});

test('a kept snapshot that does not load is replaced, and Python still runs', async () => {
  const page = await firstVisitPage();
  // Overwrite it with a gzipped megabyte of zeros (under the same key).
  await page.evaluate(async () => {
    const cache = await caches.open('pyodide-snapshot');
    const [request] = await cache.keys();
    const gz = await new Response(new Blob([new Uint8Array(1 << 20)]).stream().pipeThrough(new CompressionStream('gzip'))).arrayBuffer();
    await cache.put(request, new Response(gz));
  });
  const second = await page.context().newPage();
  await second.goto(`${lab.url}#lang=en&chapter=lstm-cell`);
  await second.waitForSelector(`${CELL}[data-language="python"]`);
  await second.click(`${CELL} [data-action="run"]`);
  assert.equal(await waitForRunEnd(second, 1, PYTHON_START_MS), 'done', await consoleText(second));
  assert.match(await consoleText(second), /first visit/);
  await second.waitForSelector('html[data-python-snapshot="made"][data-python-snapshot-saved="true"]', { timeout: 30_000 });
  const size = await second.evaluate(async () => {
    const cache = await caches.open('pyodide-snapshot');
    const [request] = await cache.keys();
    return (await (await cache.match(request)).arrayBuffer()).byteLength;
  });
  assert.ok(size > 1_000_000, `a real snapshot again (${size} bytes gzipped)`);
  await second.close();
  await page.close();
  firstVisit = null;
});

test('Stop while Python is still downloading and starting ends the run at once, and the next run works', async () => {
  const { page } = await newPage(lab);
  await page.route('**/python_stdlib.zip', async (route) => {
    await new Promise((r) => setTimeout(r, 1500));
    await route.continue();
  });
  await page.goto(pythonLink("print('second try')"));
  await page.waitForSelector(`${CELL}[data-python]`);
  const ms = await stopAndTime(page);
  assert.equal(await page.getAttribute(CELL, 'data-run'), 'stopped');
  assert.ok(ms < 2000, `stopped after ${ms} ms`);
  await page.click(`${CELL} [data-action="run"]`);
  assert.equal(await waitForRunEnd(page, 2, PYTHON_START_MS), 'done', await consoleText(page));
  assert.match(await consoleText(page), /second try/);
  await page.close();
});
