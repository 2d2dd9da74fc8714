// End-to-end: one experiment embedded in a course page, as a teacher does it
// (README, "Embedding one experiment in another page"). The course page is on
// another origin, and the gradlab site it embeds from is served by a server
// that sends no CORS header, as many static hosts do.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import LZString from 'lz-string';
import { startServer } from '../../web/tools/serve.mjs';
import { CELL, distDir, newPage, openLab, startLab, waitForRunEnd } from './browser.mjs';

const README = path.join(distDir, '../../README.md');
const README_SITE = 'https://your.host/gradlab/';

let lab; // the lab, where the teacher makes the snippet
let site; // the same built site from a server with no CORS headers: what the course page embeds
let host; // the course page's server, another origin
let hostDir;
before(async () => {
  lab = await startLab();
  site = await startServer({ root: distDir, port: 0, cors: false });
  hostDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gradlab-course-'));
  host = await startServer({ root: hostDir, port: 0, cors: false });
  lab.allowOrigin(site.url);
  lab.allowOrigin(host.url);
});
after(async () => {
  await host?.close();
  await site?.close();
  if (hostDir) fs.rmSync(hostDir, { recursive: true, force: true });
  await lab?.close();
});

/** README's two snippets: the iframe, then the element. */
function readmeSnippets() {
  const readme = fs.readFileSync(README, 'utf8');
  const from = readme.indexOf('### Embedding one experiment in another page');
  const section = readme.slice(from, readme.indexOf('\n### ', from + 10));
  const [iframe, element] = [...section.matchAll(/```html\n([\s\S]*?)\n```/g)].map((m) => m[1]);
  return { iframe, element };
}

/** Opens a cell's Embed dialog, picks the options, and returns the two snippets. */
async function embedDialog(page, sel, { editor = '', run = false } = {}) {
  await page.click(`${sel} [data-action="embed"]`);
  const dialog = `${sel} dialog.embed-dialog[open]`;
  await page.check(`${dialog} input[name="editor"][value="${editor}"]`);
  await page.setChecked(`${dialog} input[name="run"]`, run);
  const snippet = (kind) => page.inputValue(`${dialog} [data-kind="${kind}"] textarea`);
  return { iframe: await snippet('iframe'), element: await snippet('element') };
}

let pages = 0;
/** A course page on the host's origin with `body` in it, opened in a fresh browser. */
async function coursePage(body) {
  const name = `week-${++pages}.html`;
  fs.writeFileSync(
    path.join(hostDir, name),
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Week 3</title></head>
<body style="margin: 0 auto; max-width: 1000px"><h1>Week 3: vanishing gradients</h1>
${body}
<p>After the experiment.</p></body></html>`,
  );
  const opened = await newPage(lab);
  await opened.page.goto(host.url + name);
  return opened;
}

/** The frame of the embed page whose address contains `part`. */
async function frameWith(page, part) {
  for (let i = 0; i < 300; i++) {
    const frame = page.frames().find((f) => f.url().includes('embed.html') && f.url().includes(part));
    if (frame) return frame;
    await page.waitForTimeout(100);
  }
  throw new Error(`no embed frame with ${part}`);
}

/** The course page's iframe at `selector` (Playwright's CSS reaches into the element's shadow root). */
const frameHeight = async (page, selector) => (await page.$(selector)).evaluate((f) => f.getBoundingClientRect().height);

/** In the embed page: the height of what it shows, and the bottom of its lowest plot. */
const contentOf = (frame) =>
  frame.evaluate(() => ({
    height: document.body.getBoundingClientRect().height,
    plotBottom: Math.max(0, ...[...document.querySelectorAll('.plots canvas')].map((c) => c.getBoundingClientRect().bottom)),
  }));

/** Waits until the iframe at `selector` is as tall as what its page shows; returns that height. */
async function fitted(page, selector) {
  const frame = await (await page.$(selector)).contentFrame();
  let seen;
  for (let i = 0; i < 100; i++) {
    seen = [await frameHeight(page, selector), (await contentOf(frame)).height];
    if (Math.abs(seen[0] - seen[1]) <= 2) return seen[0];
    await page.waitForTimeout(100);
  }
  assert.fail(`the frame ${selector} is ${seen[0]} px tall, its content ${seen[1]} px`);
}

test('README\'s snippets are what the Embed button writes, and they embed the cell in a page on another origin from a server without CORS headers; the frame grows to show the plot after Run', async () => {
  const { page: labPage } = await openLab(lab, undefined, { permissions: ['clipboard-read', 'clipboard-write'] });
  const written = await embedDialog(labPage, CELL);
  // Each snippet has its Copy button.
  for (const kind of ['iframe', 'element']) {
    await labPage.click(`${CELL} dialog [data-kind="${kind}"] [data-action="copy"]`);
    await labPage.waitForFunction((k) => document.querySelector(`dialog [data-kind="${k}"] .share-copied`).textContent !== '', kind);
    assert.equal(await labPage.evaluate(() => navigator.clipboard.readText()), written[kind], `${kind} copied`);
  }
  const readme = readmeSnippets();
  assert.equal(written.iframe.replaceAll(lab.url, README_SITE), readme.iframe, 'README\'s iframe snippet is the Embed button\'s');
  assert.equal(written.element.replaceAll(lab.url, README_SITE), readme.element, 'README\'s element snippet is the Embed button\'s');
  assert.match(readme.iframe, /allow="clipboard-write"/, 'Share can copy from inside the frame');
  await labPage.close();

  const script = await fetch(`${site.url}gradlab-embed.js`);
  assert.equal(script.headers.get('access-control-allow-origin'), null, 'the gradlab server sends no CORS header');
  assert.notEqual(new URL(host.url).origin, new URL(site.url).origin);

  const { page, requests, pageErrors } = await coursePage(
    `${readme.iframe.replaceAll(README_SITE, site.url)}\n<p>Between the two.</p>\n${readme.element.replaceAll(README_SITE, site.url)}`,
  );
  await page.locator('gradlab-experiment iframe').scrollIntoViewIfNeeded(); // the frames load lazily
  const plain = await (await page.$('body > iframe')).contentFrame();
  const element = await (await page.$('gradlab-experiment iframe')).contentFrame();
  await plain.waitForSelector(`${CELL}[data-engine="ready"]`, { timeout: 20_000 });
  await element.waitForSelector(`${CELL}[data-engine="ready"]`, { timeout: 20_000 });
  assert.equal(await page.evaluate(() => document.querySelector('gradlab-experiment > p').getClientRects().length), 0, 'the element\'s fallback text is not shown');

  // Before a run, each frame is as tall as its cell (not the height written in the snippet).
  const before = await fitted(page, 'body > iframe');
  await fitted(page, 'gradlab-experiment iframe');
  assert.notEqual(Math.round(before), 1100, 'the iframe was fitted to its cell');

  // After Run the plot is drawn; the frame grows to show all of it.
  await plain.click(`${CELL} [data-action="run"]`);
  assert.equal(await waitForRunEnd(plain, 1), 'done');
  await plain.waitForSelector(`${CELL} .plots canvas`);
  await page.waitForFunction((h) => document.querySelector('body > iframe').getBoundingClientRect().height > h + 50, before, { timeout: 10_000 });
  const after = await fitted(page, 'body > iframe');
  const { plotBottom } = await contentOf(plain);
  assert.ok(plotBottom > before && plotBottom <= after, `the plot (bottom at ${plotBottom} px) is inside the frame (${before} px before Run, ${after} px after)`);

  // A height message from anything but a gradlab frame changes nothing.
  await page.evaluate(() => {
    const other = document.createElement('iframe');
    other.srcdoc = "<script>parent.postMessage({ type: 'gradlab:height', height: 3000 }, '*')</script>";
    document.body.append(other);
    window.postMessage({ type: 'gradlab:height', height: 3000 }, '*');
    return new Promise((resolve) => setTimeout(resolve, 300));
  });
  assert.equal(await frameHeight(page, 'body > iframe'), after);

  const origins = new Set(requests.map((u) => new URL(u).origin));
  for (const own of [host.url, site.url]) origins.delete(new URL(own).origin);
  origins.delete('null');
  assert.deepEqual([...origins], [], 'only the course page and gradlab were asked for anything');
  assert.deepEqual(pageErrors.map(String), []);
  await page.close();
});

test('a teacher\'s embed: code hidden, run on load, the teacher\'s knob value its baseline (no "edited"), a readable link; code folded behind a button', async () => {
  const { page: labPage } = await openLab(lab, '#lang=ko&chapter=lstm-cell');
  await labPage.evaluate(() => {
    const knob = document.querySelector('#cell-lstm-cell input[data-knob="망각 편향"]');
    knob.value = '2';
    knob.dispatchEvent(new Event('input', { bubbles: true }));
  });
  const snippets = await embedDialog(labPage, CELL, { editor: 'hide', run: true });
  const src = snippets.iframe.match(/src="([^"]+)"/)[1];
  assert.match(src, /#lang=ko&chapter=lstm-cell&cell=lstm-cell&seed=42&knobs\.망각\+편향=2&language=js&editor=hide&run=load$/, `a readable link: ${src}`);
  await labPage.close();

  const { page, pageErrors } = await coursePage(snippets.iframe.replaceAll(lab.url, site.url));
  const frame = await frameWith(page, 'editor=hide');
  await frame.waitForSelector(`${CELL}[data-runs="1"]`, { timeout: 20_000 }); // nobody pressed Run
  assert.equal(await waitForRunEnd(frame, 1), 'done');
  assert.equal(await frame.isVisible(`${CELL} .cell-editor`), false, 'the code is hidden');
  assert.equal(await frame.isVisible(`${CELL} .cell-knobs`), true);
  assert.equal(await frame.isVisible(`${CELL} [data-action="run"]`), true);
  assert.equal(await frame.isVisible(`${CELL} .plots canvas`), true);
  const knob = `${CELL} input[data-knob="망각 편향"]`;
  assert.equal(await frame.inputValue(knob), '2');
  assert.equal(await frame.getAttribute(CELL, 'data-edited'), 'false');
  assert.equal(await frame.isVisible(`${CELL} [data-role="edited"]`), false, 'no "수정됨" for the teacher\'s own value');
  // A reader's change is an edit; Reset brings the teacher's value back.
  await frame.evaluate((s) => {
    const input = document.querySelector(s);
    input.value = '3';
    input.dispatchEvent(new Event('input', { bubbles: true }));
  }, knob);
  await frame.waitForSelector(`${CELL} [data-role="edited"]:not([hidden])`);
  await frame.click(`${CELL} [data-action="reset"]`);
  assert.equal(await frame.inputValue(knob), '2');
  assert.equal(await frame.getAttribute(CELL, 'data-edited'), 'false');
  assert.deepEqual(pageErrors.map(String), []);
  await page.close();

  // Folded: a button shows the code, and the frame (here the element's short form) grows to fit it.
  const folded = await coursePage(
    `<script src="${site.url}gradlab-embed.js"></script>\n<gradlab-experiment lang="en" chapter="lstm-cell" cell="lstm-cell" editor="fold"></gradlab-experiment>`,
  );
  const inner = await frameWith(folded.page, 'editor=fold');
  await inner.waitForSelector(`${CELL} .code-toggle`);
  assert.equal(await inner.isVisible(`${CELL} .cell-editor`), false);
  assert.equal(await inner.getAttribute(CELL, 'data-runs'), '0', 'it waits for Run');
  const closed = await fitted(folded.page, 'gradlab-experiment iframe');
  await inner.click(`${CELL} .code-toggle`);
  assert.equal(await inner.isVisible(`${CELL} .cell-editor .cm-content`), true, 'the code is shown');
  assert.equal(await inner.getAttribute(`${CELL} .code-toggle`, 'aria-expanded'), 'true');
  await folded.page.waitForFunction(
    (h) => document.querySelector('gradlab-experiment').shadowRoot.querySelector('iframe').getBoundingClientRect().height > h + 100,
    closed,
    { timeout: 10_000 },
  );
  assert.deepEqual(folded.pageErrors.map(String), []);
  await folded.page.close();
});

// (The Share button writing knobs.init=gaussian is in site.test.mjs, the embed link's knobs in the test above.)
test('a readable link (knobs.ρ=0.93&knobs.log+scale=false) opens with its knob values, and so does a link of the old kind (knobs=<compressed>)', async () => {
  const cell = '#cell-remember-a-bit';
  const readable = `${lab.url}#lang=en&chapter=tour&cell=remember-a-bit&seed=7&knobs.ρ=0.93&knobs.log+scale=false`;
  const old = `${lab.url}#lang=en&chapter=tour&cell=remember-a-bit&seed=7&knobs=${LZString.compressToEncodedURIComponent(JSON.stringify({ ρ: 0.95, 'log scale': false }))}`;
  for (const [link, rho] of [[readable, 0.93], [old, 0.95]]) {
    const { page } = await newPage(lab);
    await page.goto(link);
    await page.waitForSelector(`${cell}[data-runs="1"]`, { timeout: 20_000 }); // a shared cell runs on opening
    const knobs = await page.evaluate(() => window.gradlab.cells['remember-a-bit'].knobs());
    assert.deepEqual(knobs, { ρ: rho, init: 'identity', T: 30, 'log scale': false }, link);
    assert.equal(await page.inputValue(`${cell} input[data-knob="ρ"]`), rho.toFixed(2), link);
    assert.equal(await page.isChecked(`${cell} input[data-knob="log scale"]`), false, link);
    await page.close();
  }
});

test('where gradlab-embed.js cannot be loaded, the element says so in Korean and English and links to the experiment', async () => {
  const readme = readmeSnippets();
  const broken = readme.element.replaceAll(README_SITE, site.url).replace('gradlab-embed.js"', 'moved/gradlab-embed.js"');
  const { page } = await coursePage(broken);
  await page.waitForLoadState('load');
  const fallback = page.locator('gradlab-experiment > p');
  assert.equal(await fallback.isVisible(), true);
  const text = await fallback.textContent();
  assert.match(text, /gradlab-embed\.js를 불러오지 못했습니다/);
  assert.match(text, /gradlab-embed\.js, did not load/);
  assert.equal(await fallback.locator('a').getAttribute('href'), `${site.url}embed.html#lang=en&chapter=lstm-cell&cell=lstm-cell&seed=42&language=js`);
  await page.close();
});

// Last in the file: every request of every test above, not only those a test checked.
test('no request left the sites the tests served, and the pages\' policy refused nothing, in any test of this file', () => {
  assert.deepEqual(lab.foreignRequests(), []);
  assert.deepEqual(lab.refusedByPolicy(), []);
});

test('a frame that told its height before gradlab-embed.js loaded is fitted once the script comes (it asks again)', async () => {
  const readme = readmeSnippets();
  const [iframe, scriptTag] = readme.iframe.replaceAll(README_SITE, site.url).split('\n<script');
  const { page, pageErrors } = await coursePage(iframe);
  const frame = await (await page.$('body > iframe')).contentFrame();
  await frame.waitForSelector(`${CELL}[data-engine="ready"]`, { timeout: 20_000 });
  await page.waitForTimeout(300); // the frame has told its height, and nobody listened
  assert.equal(Math.round(await frameHeight(page, 'body > iframe')), 1100, 'no script yet: the snippet\'s height');
  await page.evaluate((src) => {
    const s = document.createElement('script');
    s.src = src;
    document.body.append(s);
  }, scriptTag.match(/src="([^"]+)"/)[1]);
  assert.notEqual(Math.round(await fitted(page, 'body > iframe')), 1100, 'fitted to its cell after the script asked');
  assert.deepEqual(pageErrors.map(String), []);
  await page.close();
});
