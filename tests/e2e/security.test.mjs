// What code from a shared link can and cannot do, tried the way an attacker would, in
// headless Chromium with the site's service worker on where it matters:
//  - it runs in a sandbox of its own (origin "null"): the site's caches, storage, cookies
//    and service worker are out of reach, and a later visit runs only the built files;
//  - no route reaches the network (a second server counts what arrives: nothing);
//  - floods of output cannot take the page down, and Stop ends them within 2 s;
//  - parallel()'s workers are in the same sandbox, and Stop ends them too;
//  - a damaged or oversized link shows the chapter with a note.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import LZString from 'lz-string';
import { CELL, LSTM_CHAPTER, chromiumCpuSeconds, consoleText, distDir, newPage, openLab, runCode, setCode, startLab, waitForRunEnd } from './browser.mjs';

let lab;
before(async () => {
  lab = await startLab();
});
after(async () => {
  await lab?.close();
});

/** A server on another port (another origin) that counts every request it gets. */
async function countingServer() {
  let count = 0;
  const server = http.createServer((req, res) => {
    count++;
    res.writeHead(200, { 'Content-Type': 'text/javascript', 'Access-Control-Allow-Origin': '*' });
    res.end('/* counted */');
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    count: () => count,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

test('experiment code runs in an opaque origin: the site\'s storage, caches, cookies and service worker are out of reach, and a later visit runs only the built files', async () => {
  const { page, pageErrors } = await newPage(lab, { serviceWorkers: 'allow' });
  await page.goto(lab.url + LSTM_CHAPTER);
  await page.waitForSelector(`${CELL}[data-engine="ready"]`, { timeout: 20_000 });
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 20_000 });
  await page.evaluate(() => {
    localStorage.setItem('gradlab:probe', 'site');
    document.cookie = 'probe=site';
  });

  const where = await runCode(page, 'print(self.origin, typeof caches, typeof indexedDB, typeof localStorage, typeof document, typeof postMessage);');
  assert.equal(where.state, 'done');
  assert.match(where.text, /^null undefined (undefined|object) undefined undefined undefined/);

  // Each attempt uncaught, so the reader sees how it failed.
  const attempts = {
    caches: "const c = await caches.open('gradlab-x');\nawait c.put('assets/lab.js', new Response('window.owned = 1'));",
    indexedDB: "indexedDB.open('gradlab');",
    localStorage: "localStorage.setItem('gradlab:v1:lang', 'owned');",
    cookie: "document.cookie = 'owned=1';",
    serviceWorker: "await navigator.serviceWorker.register('sw.js');",
    postMessage: "DedicatedWorkerGlobalScope.prototype.postMessage.call(self, { type: 'done', ms: 1 });",
  };
  for (const [name, code] of Object.entries(attempts)) {
    const { state, text } = await runCode(page, `print('trying ${name}');\n${code}`);
    assert.equal(state, 'failed', `${name}: ${text}`);
    assert.match(text, /Error: .* \(line 2, col \d+\)/, `${name} fails at its line with an error`);
    if (name !== 'postMessage') assert.match(text, /sandbox|denied/, `${name}: the error says why: ${text}`);
  }
  assert.deepEqual(
    await page.evaluate(() => [localStorage.getItem('gradlab:probe'), localStorage.getItem('gradlab:v1:lang'), document.cookie]),
    ['site', null, 'probe=site'],
  );

  // Defence in depth: even a changed cache entry is never served. Change the cached copy of
  // every script of the page (as code of the site's own origin could), then visit again.
  const tampered = await page.evaluate(async () => {
    const key = (await caches.keys()).find((k) => k.startsWith('gradlab-'));
    const cache = await caches.open(key);
    const scripts = (await cache.keys()).map((r) => r.url).filter((u) => /\/assets\/.*\.js$/.test(u));
    for (const url of scripts) await cache.put(url, new Response('window.owned = true;', { headers: { 'Content-Type': 'text/javascript' } }));
    return scripts.length;
  });
  assert.ok(tampered > 5, `the cache held the site's scripts (${tampered})`);
  const served = [];
  page.on('response', async (response) => {
    const url = new URL(response.url());
    if (url.origin === new URL(lab.url).origin && /^\/assets\/.*\.js$/.test(url.pathname)) {
      served.push([url.pathname, crypto.createHash('sha256').update(await response.body()).digest('hex')]);
    }
  });
  await page.reload();
  await page.waitForSelector(`${CELL}[data-engine="ready"]`, { timeout: 20_000 });
  assert.equal(await page.evaluate(() => window.owned), undefined, 'no changed script ran');
  assert.equal((await runCode(page, 'print(gl.ones([2]).sum().item())')).state, 'done');
  assert.ok(served.length >= 3, 'the page loaded its scripts');
  for (const [file, hash] of served) {
    const built = crypto.createHash('sha256').update(fs.readFileSync(path.join(distDir, file))).digest('hex');
    assert.equal(hash, built, `${file} is the built file`);
  }
  assert.deepEqual(pageErrors.map(String), []);
  await page.close();
});

test('no route from experiment code reaches another origin: a counting server gets 0 requests', async () => {
  const target = await countingServer();
  try {
    const { page } = await openLab(lab);
    const u = `${target.url}/x.js`;
    const routes = {
      fetch: `await fetch('${u}')`,
      'fetch via the prototype': `await WorkerGlobalScope.prototype.fetch.call(self, '${u}')`,
      'import() via Function': `await new Function('return import("${u}")')()`,
      'import() via eval': `await eval('import("${u}")')`,
      'caches.add': `await (await caches.open('x')).add('${u}')`,
      importScripts: `importScripts('${u}')`,
      XMLHttpRequest: `const x = new XMLHttpRequest(); x.open('GET', '${u}', false); x.send();`,
      WebSocket: `const ws = new WebSocket('${target.url.replace('http', 'ws')}/'); await new Promise((resolve, reject) => { ws.onopen = resolve; ws.onerror = () => reject(new Error('WebSocket refused')); });`,
      EventSource: `const es = new EventSource('${u}'); await new Promise((r) => setTimeout(r, 300)); es.close(); throw new Error('EventSource: state ' + es.readyState);`,
      sendBeacon: `navigator.sendBeacon('${u}', 'x')`,
      'new Worker(url)': `new Worker('${u}')`,
      'a nested blob worker': `const w = new Worker(URL.createObjectURL(new Blob(["fetch('${u}').then(() => postMessage('reached'), (e) => postMessage(String(e)))"]))); const said = await new Promise((r) => { w.onmessage = (e) => r(e.data); }); throw new Error('nested: ' + said);`,
    };
    for (const [name, code] of Object.entries(routes)) {
      const { state, text } = await runCode(page, code);
      assert.equal(state, 'failed', `${name} must fail: ${text}`);
      assert.doesNotMatch(text, /reached/, name);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(target.count(), 0, 'requests that arrived at the other origin');
    // The counter counts: the same URL from the test itself arrives.
    await fetch(u);
    assert.equal(target.count(), 1);
    await page.close();
  } finally {
    await target.close();
  }
});

test('floods of output leave the page usable and Stop ends them within 2 s', async (t) => {
  const { page, pageErrors } = await openLab(lab);
  const floods = {
    'a megabyte a line': "const s = 'x'.repeat(1e6);\nfor (;;) print(s);",
    'many short lines': 'for (let i = 0; ; i++) print(i);',
    progress: 'for (let i = 0; ; i++) progress(i % 100, 100);',
    'one plot redrawn': 'const y = Array.from({ length: 1000 }, Math.random);\nfor (;;) plot({ title: "flood", series: { y } });',
  };
  for (const [name, code] of Object.entries(floods)) {
    const n = Number(await page.getAttribute(CELL, 'data-runs')) + 1;
    await setCode(page, code);
    await page.click(`${CELL} [data-action="run"]`);
    await page.waitForTimeout(2500);
    const t0 = Date.now();
    await page.click(`${CELL} [data-action="stop"]`);
    assert.equal(await waitForRunEnd(page, n, 2000), 'stopped', name);
    const ms = Date.now() - t0;
    assert.ok(ms < 2000, `${name}: Stop took ${ms} ms`);
    t.diagnostic(`${name}: Stop took ${ms} ms`);
    const lines = await page.$$eval(`${CELL} .console-line`, (els) => els.map((e) => e.textContent.length));
    assert.ok(lines.length <= 1001, `${name}: the console keeps at most 1000 lines (${lines.length})`);
    assert.ok(Math.max(0, ...lines) <= 4_100, `${name}: a line is cut at 4000 characters`);
    const heap = await page.evaluate(() => performance.memory?.usedJSHeapSize ?? 0);
    assert.ok(heap < 400e6, `${name}: the page's heap stays small (${(heap / 1e6).toFixed(0)} MB)`);
  }
  const long = await consoleText(page);
  assert.doesNotMatch(long, /x{4001}/);

  const plots = await runCode(page, 'for (let i = 0; ; i++) plot({ id: "p" + i, series: { y: [1, 2] } });');
  assert.equal(plots.state, 'failed');
  assert.match(plots.text, /at most 64 plots/);
  const big = await runCode(page, 'plot({ series: { y: new Float32Array(2e6) } });');
  assert.equal(big.state, 'failed');
  assert.match(big.text, /more than the 1000000 one plot can draw/);
  // And the cell still works.
  assert.equal((await runCode(page, 'print(gl.ones([3]).sum().item())')).text.trim(), '3');
  assert.deepEqual(pageErrors.map(String), []);
  await page.close();
});

test('parallel(): its workers are in the sandbox too (no network, no site, origin null), keep both cores busy, and Stop ends them all', async () => {
  const server = await countingServer();
  const { page, pageErrors } = await openLab(lab);
  try {
    const probe = await runCode(page, `const seen = await parallel([1, 2], async () => {
  const tries = ['origin ' + self.origin, 'localStorage ' + typeof localStorage];
  try { await fetch('${server.url}/a.js'); tries.push('fetch reached'); } catch (e) { tries.push('fetch ' + e.name); }
  try { new Worker('${server.url}/b.js'); tries.push('worker made'); } catch (e) { tries.push('worker ' + e.name); }
  try { importScripts('${server.url}/c.js'); tries.push('importScripts reached'); } catch (e) { tries.push('importScripts ' + e.name); }
  return tries.join(', ');
});
print(seen.join(' / '));`);
    assert.equal(probe.state, 'done', probe.text);
    const each = 'origin null, localStorage undefined, fetch TypeError, worker SecurityError, importScripts NetworkError';
    assert.equal(probe.text.trim(), `${each} / ${each}`);
    await page.waitForTimeout(300);
    assert.equal(server.count(), 0, 'requests that reached the other origin');

    // Three items that never end, two at a time on this 2-core machine.
    const n = Number(await page.getAttribute(CELL, 'data-runs')) + 1;
    await setCode(page, 'await parallel([1, 2, 3], () => { while (true) {} });');
    await page.click(`${CELL} [data-action="run"]`);
    await page.waitForTimeout(2500); // the workers start (each loads the engine)
    let c0 = chromiumCpuSeconds();
    await page.waitForTimeout(2000);
    const running = chromiumCpuSeconds() - c0;
    await page.click(`${CELL} [data-action="stop"]`);
    assert.equal(await waitForRunEnd(page, n, 5000), 'stopped');
    // Chromium ends a worker caught in a loop 2 s after terminate() (its forcible-termination
    // delay: so for every cell, parallel or not); the next run's worker loads its engine meanwhile.
    await page.waitForTimeout(3000);
    c0 = chromiumCpuSeconds();
    await page.waitForTimeout(2000);
    const stopped = chromiumCpuSeconds() - c0;
    assert.ok(running > 2.6, `while two items loop, both cores are busy: ${running.toFixed(2)} CPU-s in 2 s`);
    assert.ok(stopped < 0.6, `after Stop nothing keeps running: ${stopped.toFixed(2)} CPU-s in 2 s`);
    assert.equal((await runCode(page, 'print(await parallel([1, 2], (k) => k + 1))')).text.trim(), '[2, 3]');
    assert.deepEqual(pageErrors.map(String), []);
  } finally {
    await server.close();
    await page.close();
  }
});

test('a damaged or oversized share link shows the chapter (and the embed its cell) with a note', async () => {
  const huge = LZString.compressToEncodedURIComponent(crypto.randomBytes(15_000).toString('base64'));
  assert.ok(huge.length > 12_000, 'a link longer than the cap');
  const links = {
    damaged: '#lang=en&chapter=lstm-cell&cell=lstm-cell&code=y',
    'damaged knobs': '#lang=en&chapter=lstm-cell&cell=lstm-cell&knobs=y&seed=3',
    oversized: `#lang=en&chapter=lstm-cell&cell=lstm-cell&code=${huge}`,
  };
  for (const [name, hash] of Object.entries(links)) {
    for (const pageName of ['', 'embed.html']) {
      const { page, pageErrors } = await newPage(lab);
      const t0 = Date.now();
      await page.goto(lab.url + pageName + hash);
      await page.waitForSelector(`${CELL}[data-engine="ready"]`, { timeout: 20_000 });
      const note = await page.textContent('.link-note');
      assert.match(note, name === 'oversized' ? /longer than a link/ : /damaged or cut short/, `${name} ${pageName}`);
      assert.equal(await page.getAttribute(CELL, 'data-run'), 'none', 'the link\'s code did not run');
      assert.equal(await page.evaluate(() => window.gradlab.cells['lstm-cell'].state().code === window.gradlab.cells['lstm-cell'].state().originalCode), true);
      assert.ok(Date.now() - t0 < 15_000);
      assert.deepEqual(pageErrors.map(String), [], `${name} ${pageName}`);
      await page.close();
    }
  }
  // In Korean too.
  const { page } = await newPage(lab);
  await page.goto(`${lab.url}#lang=ko&chapter=lstm-cell&cell=lstm-cell&code=y`);
  await page.waitForSelector('.link-note');
  assert.match(await page.textContent('.link-note'), /링크가 손상되었거나/);
  assert.equal(await page.evaluate(() => document.querySelector('.link-note').getBoundingClientRect().top >= -1), true, 'the note is on screen');
  // The sandbox's refusal is explained in the page's language.
  await page.waitForSelector(`${CELL}[data-engine="ready"]`, { timeout: 20_000 });
  const { state, text } = await runCode(page, "await fetch('http://127.0.0.1:9/');");
  assert.equal(state, 'failed');
  assert.match(text, /실험 코드는 네트워크 없이 실행됩니다/);
  await page.close();
});

test('an embed on a page of the lab\'s own origin runs its code in the sandbox too', async () => {
  const { page } = await newPage(lab);
  await page.goto(`${lab.url}#lang=en&chapter=lstm-cell`);
  await page.evaluate(() => {
    localStorage.setItem('gradlab:probe', 'host');
    const frame = document.createElement('iframe');
    frame.id = 'embedded';
    frame.src = 'embed.html#lang=en&chapter=lstm-cell&cell=lstm-cell';
    frame.style.height = '900px';
    document.body.append(frame);
  });
  const frame = await (await page.waitForSelector('#embedded')).contentFrame();
  await frame.waitForSelector(`${CELL}[data-engine="ready"]`, { timeout: 20_000 });
  await frame.evaluate(() => window.gradlab.cells['lstm-cell'].editor.setCode("print(self.origin, typeof caches, typeof localStorage);\nlocalStorage.setItem('gradlab:probe', 'owned');"));
  await frame.click(`${CELL} [data-action="run"]`);
  await frame.waitForFunction((sel) => document.querySelector(sel).dataset.run === 'failed', CELL, { timeout: 20_000 });
  assert.match(await frame.textContent(`${CELL} .console`), /^null undefined undefined/);
  assert.equal(await page.evaluate(() => localStorage.getItem('gradlab:probe')), 'host');
  await page.close();
});
