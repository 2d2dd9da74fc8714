// End-to-end: the site around the cells. Chapters and languages, knobs that
// rerun, share links, embedding from another origin, offline use, downloads,
// the engine pick and the cold load, in headless Chromium.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer } from '../../web/tools/serve.mjs';
import { CELL, consoleText, foreignRequests, newPage, openLab, runCount, setCode, startLab, waitForRunEnd } from './browser.mjs';

const TOUR = '#lang=en&chapter=tour';
const TOUR_CELL = '#cell-remember-a-bit';
const LSTM = '#cell-lstm-cell';

let lab;
before(async () => {
  lab = await startLab();
});
after(async () => {
  await lab?.close();
});

/** Waits until the cell has started at least `n` runs, the last one ended and no rerun waits; returns its state. */
async function settle(page, sel, n, timeout = 30_000) {
  await page.waitForFunction(
    ([s, runs]) => {
      const cell = document.querySelector(s);
      return cell && Number(cell.dataset.runs) >= runs && cell.dataset.pending !== 'true' && !['running', 'none'].includes(cell.dataset.run);
    },
    [sel, n],
    { timeout },
  );
  return page.getAttribute(sel, 'data-run');
}

const plotValues = (page, cell, plotId) =>
  page.evaluate(([c, p]) => window.gradlab.cells[c].plotData(p), [cell, plotId]);

test('chapters: list, contents, math, and a language switch that is remembered', async () => {
  const { page, requests, pageErrors } = await newPage(lab);
  await page.goto(`${lab.url}#chapter=tour`); // no language: Korean, the default
  await page.waitForSelector('#chapter h1');
  const koTitle = await page.textContent('#chapter h1');
  assert.equal(await page.getAttribute('html', 'lang'), 'ko');
  assert.ok(await page.locator('#chapter-list a').count() >= 2, 'the chapters are listed');
  assert.ok(await page.locator('#toc a').count() >= 3, 'the chapter has a table of contents');
  assert.ok(await page.locator('#chapter .katex').count() > 3, 'math is typeset by KaTeX');

  await page.click('.lang-switch button[data-lang="en"]');
  await page.waitForFunction((ko) => document.querySelector('#chapter h1')?.textContent !== ko, koTitle);
  assert.equal(await page.textContent('#chapter h1'), 'A tour of the lab');
  assert.match(await page.textContent(`${TOUR_CELL} [data-action="run"]`), /Run/);

  // A table-of-contents link moves to its section without leaving the page.
  const runsBefore = await page.evaluate(() => Object.keys(window.gradlab.cells).length);
  await page.locator('#toc a', { hasText: 'Reading the plots' }).click();
  await page.waitForFunction(() => {
    const top = document.getElementById('reading-the-plots').getBoundingClientRect().top;
    return scrollY > 0 && top >= 0 && top < innerHeight;
  });
  assert.equal(await page.evaluate(() => Object.keys(window.gradlab.cells).length), runsBefore);

  // The choice is remembered: a link without a language now opens in English.
  await page.goto(`${lab.url}#chapter=lstm-cell`);
  await page.reload();
  await page.waitForSelector('#chapter h1');
  assert.equal(await page.textContent('#chapter h1'), 'An LSTM cell by hand');
  assert.equal(await page.getAttribute('html', 'lang'), 'en');

  // The reference page has its own route, in both languages.
  await page.click('#nav-reference');
  await page.waitForFunction(() => location.hash.includes('chapter=reference') && document.querySelector('#chapter h2'));
  const enRef = await page.textContent('#chapter h1');
  await page.click('.lang-switch button[data-lang="ko"]');
  await page.waitForFunction((en) => document.querySelector('#chapter h1')?.textContent !== en, enRef);
  assert.match(page.url(), /lang=ko&chapter=reference/);

  assert.deepEqual(pageErrors.map(String), []);
  assert.deepEqual(foreignRequests(requests, lab.url), []);
  await page.close();
});

/**
 * For each selector, the Hangul in its first element and how many glyphs a Korean-capable font
 * drew there (Chromium's own record of the fonts it used): the site's font, or a system one.
 * Fewer glyphs than Hangul characters means empty boxes on screen.
 */
async function koreanCoverage(page, selectors) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('DOM.enable');
  await cdp.send('CSS.enable');
  const { root } = await cdp.send('DOM.getDocument', { depth: -1 });
  const out = {};
  for (const selector of selectors) {
    const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector });
    assert.ok(nodeId, `${selector} is on the page`);
    const text = await page.locator(selector).first().evaluate((el) => el.textContent);
    const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
    const korean = fonts.filter((f) => f.isCustomFont || /KR|Korean|CJK|Gothic|Nanum/i.test(f.familyName));
    out[selector] = {
      hangul: [...text].filter((c) => /[\uac00-\ud7a3]/.test(c)).length,
      drawnInKorean: korean.reduce((n, f) => n + f.glyphCount, 0),
      fonts: fonts.map((f) => `${f.familyName}${f.isCustomFont ? ' (site)' : ''}: ${f.glyphCount}`).join(', '),
    };
  }
  await cdp.detach();
  return out;
}

// The four articles the lab is about, titled as the articles are (tutorials/<lang>/index.md).
const ARTICLES = {
  '004': 'RNN의 Vanishing Gradient는 왜 피할 수 없는가',
  '000': '그라디언트 증발 문제와 LSTM 및 LLM에서의 해결 방안',
  '001': '7. 오차 역전파법',
  '002': 'Transformer1: RNN-based Seq2seq model',
};

test('the landing page lists the four articles with what the lab has for each and what is still to come; a chapter names the article it treats', async () => {
  const { page, pageErrors, requests } = await newPage(lab);
  for (const lang of ['ko', 'en']) {
    await page.goto(`${lab.url}#lang=${lang}`);
    await page.waitForSelector('.article-list .article');
    const articles = await page.$$eval('.article-list .article', (items) => items.map((li) => ({
      id: li.dataset.article,
      title: li.querySelector('h3 cite').textContent,
      titleLang: li.querySelector('h3 cite').lang,
      chapters: [...li.querySelectorAll('.article-chapters a')].map((a) => new URL(a.href).hash),
      todo: li.querySelector('.article-todo').textContent,
    })));
    assert.deepEqual(Object.fromEntries(articles.map((a) => [a.id, a.title])), Object.fromEntries(Object.entries(ARTICLES).map(([id, t]) => [id, `«${t}»`])), lang);
    assert.ok(articles.every((a) => a.titleLang === 'ko' && a.todo.length > 10), `${lang}: every title is marked Korean and every article says what is still to come`);
    const byId = Object.fromEntries(articles.map((a) => [a.id, a]));
    assert.deepEqual(byId['004'].chapters, [`#lang=${lang}&chapter=vanishing-gradients`], `${lang}: article 004 is the vanishing-gradients chapter`);
    assert.ok(byId['000'].chapters.includes(`#lang=${lang}&chapter=lstm-cell`), `${lang}: the LSTM cell chapter is article 000's section 2`);
    for (const slug of ['lstm-cell', 'gradient-paths', 'attention', 'lstm-vs-transformer', 'context-prediction']) {
      assert.ok(byId['000'].chapters.includes(`#lang=${lang}&chapter=${slug}`), `${lang}: article 000 lists ${slug}: ${byId['000'].chapters}`);
    }
    assert.ok(byId['001'].chapters.includes(`#lang=${lang}&chapter=gradient-paths`), `${lang}: residual connections and LayerNorm of article 001`);
    assert.ok(byId['001'].chapters.includes(`#lang=${lang}&chapter=backprop`), `${lang}: article 001's chapter`);
    for (const slug of ['rnn-lstm-gru', 'seq2seq']) {
      assert.ok(byId['002'].chapters.includes(`#lang=${lang}&chapter=${slug}`), `${lang}: article 002 lists ${slug}: ${byId['002'].chapters}`);
    }
    // A chapter page says which article and which sections it treats.
    await page.click(`.article[data-article="004"] .article-chapters a`);
    await page.waitForSelector('#chapter .chapter-articles');
    const note = await page.textContent('#chapter .chapter-articles');
    assert.ok(note.includes(`«${ARTICLES['004']}»`) && /Edge of Chaos|edge of chaos/.test(note), `${lang}: ${note}`);
    assert.ok(await page.evaluate(() => document.querySelector('#chapter h1').nextElementSibling.classList.contains('chapter-articles')), 'right under the title');
  }
  assert.deepEqual(pageErrors.map(String), []);
  assert.deepEqual(foreignRequests(requests, lab.url), []);
  await page.close();
});

test('Korean is drawn in a Korean font, the site\'s own where the system has none, also after a language switch', async () => {
  const { page, requests } = await newPage(lab);
  await page.goto(`${lab.url}#lang=en&chapter=vanishing-gradients`);
  await page.waitForSelector('#chapter h2');
  await page.click('.lang-switch button[data-lang="ko"]');
  await page.waitForFunction(() => document.documentElement.lang === 'ko' && /기울기 소실/.test(document.querySelector('#chapter h1')?.textContent));
  await page.waitForSelector('#cell-rho-power .cm-line');
  await page.evaluate(() => document.fonts.ready);
  // The current chapter's link (weight 600), headings, body text, a cell's title and a Korean
  // comment in its code (monospace): every weight and family the page sets Hangul in.
  const selectors = ['#chapter-list a[aria-current="page"]', '#chapter h1', '#chapter h2', '#chapter p', '#cell-rho-power .cell-title', '#cell-rho-power .cm-line'];
  const coverage = await koreanCoverage(page, selectors);
  for (const [selector, c] of Object.entries(coverage)) {
    assert.ok(c.hangul > 0, `${selector} holds Korean`);
    assert.ok(c.drawnInKorean >= c.hangul, `${selector}: ${c.hangul} Hangul characters, drawn by ${c.fonts}`);
  }
  // The site's font came from the site (Noto Sans KR's subsets, each fetched when a character of its range is drawn).
  assert.ok(requests.some((u) => /assets\/noto-sans-kr-\d+-400-normal-[\w-]+\.woff2$/.test(u)), 'the regular weight was fetched from the site');
  assert.ok(requests.some((u) => /assets\/noto-sans-kr-\d+-700-normal-[\w-]+\.woff2$/.test(u)), 'the bold weight was fetched from the site');
  assert.deepEqual(foreignRequests(requests, lab.url), []);
  await page.close();
});

test('an English page draws its few Korean words (an article\'s title, 한국어) in the site\'s font without fetching a Korean font file', async () => {
  // They come from the small chrome faces inlined in korean.css (korean-chrome-font.py). Before,
  // a first visit to this page fetched 30 split files (303 KB gzipped) on a machine without a
  // Korean font, such as this one, partly for the Korean interface's strings the page never shows.
  const { page } = await newPage(lab);
  await page.goto(`${lab.url}#lang=en&chapter=lstm-cell`);
  await page.waitForSelector(`${LSTM}[data-engine="ready"]`);
  await page.evaluate(() => document.fonts.ready);
  // The page's own fetches (the service worker's precaching, also under way, is not the page's).
  const fetched = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name));
  assert.ok(fetched.some((u) => /gradlab-engine[\w-]*\.wasm$/.test(u)), `the page's fetches are seen: ${fetched}`);
  const coverage = await koreanCoverage(page, ['#chapter .chapter-articles cite', '.lang-switch button[data-lang="ko"]']);
  for (const [selector, c] of Object.entries(coverage)) {
    assert.ok(c.hangul >= 3, `${selector} holds Korean`);
    assert.ok(c.drawnInKorean >= c.hangul, `${selector}: ${c.hangul} Hangul characters, drawn by ${c.fonts}`);
  }
  assert.deepEqual(fetched.filter((u) => /noto-sans-kr/.test(u)), [], 'no Korean font file was fetched');
  await page.close();
});

test('on a phone the header fits on one row, nothing scrolls sideways, and the chapter starts on the first screen', async () => {
  const { page } = await newPage(lab, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  await page.goto(`${lab.url}#lang=ko&chapter=vanishing-gradients`);
  await page.waitForSelector('#chapter h1');
  await page.waitForSelector('.cell');
  const layout = await page.evaluate(() => {
    const box = (el) => el.getBoundingClientRect();
    const buttons = [...document.querySelectorAll('.lang-switch button, #nav-reference')].map((b) => box(b).height);
    return {
      overflow: document.documentElement.scrollWidth - innerWidth,
      headerHeight: box(document.querySelector('.site-header')).height,
      buttons,
      tocOpen: document.querySelector('#toc details').open,
      chaptersOpen: document.querySelector('#chapters-fold').open,
      titleTop: box(document.querySelector('#chapter h1')).top,
    };
  });
  assert.ok(layout.overflow <= 0, `the page is ${layout.overflow} px wider than the screen`);
  assert.ok(layout.headerHeight < 80, `header ${layout.headerHeight} px tall`);
  assert.ok(layout.buttons.every((h) => h < 40), `header links and buttons on one line: ${layout.buttons} px tall`);
  assert.equal(layout.tocOpen, false, 'the contents start folded on a narrow screen');
  assert.equal(layout.chaptersOpen, false, 'so does the chapter list');
  assert.ok(layout.titleTop < 844 / 2, `the chapter title starts at ${layout.titleTop} px`);
  // The fold opens and leads to a section.
  await page.click('#toc summary');
  await page.locator('#toc a').first().click();
  await page.waitForFunction(() => location.hash.includes('section='));
  await page.close();
});

// Every frame the page draws during a run is CPU the run needs (a long chapter's frame costs
// ~20 ms of the page's thread and as much in the compositor): the status clock ticks once a
// second, the progress line is drawn at most four times a second, and nothing is animated. A
// pulsing dot and a ten-per-second clock drew ~27 frames a second during the recipe cell.
test('while a cell runs the page stays still: nothing animates, the clock ticks once a second, the progress line is drawn at most four times a second', async () => {
  const { page, pageErrors } = await openLab(lab);
  const RUN_MS = 3500;
  await setCode(page, `const t0 = Date.now();
let i = 0;
while (Date.now() - t0 < ${RUN_MS}) {
  i++;
  if (i % 500 === 0) progress(Math.min(i / 500, 10000), 10000);
}
progress(10000, 10000);
print('loops', i);`);
  await page.evaluate((sel) => {
    const cell = document.querySelector(sel);
    const seen = (window.__seen = { clock: 0, progress: 0, animations: 0, reports: 0 });
    const count = (el, key) => new MutationObserver((list) => { seen[key] += list.length; }).observe(el, { childList: true, characterData: true, subtree: true });
    count(cell.querySelector('.status-elapsed'), 'clock');
    count(cell.querySelector('.progress-text'), 'progress');
    new MutationObserver(() => { seen.reports++; }).observe(cell.querySelector('.progress'), { attributes: true, attributeFilter: ['data-step'] });
    const look = setInterval(() => {
      // a button's 120 ms transition as Run and Stop swap is fine; a lasting animation is not
      const lasting = document.getAnimations().filter((a) => { const t = a.effect?.getComputedTiming(); return t && t.activeDuration > 500; });
      if (cell.dataset.run === 'running') seen.animations = Math.max(seen.animations, lasting.length);
      else if (seen.reports) clearInterval(look);
    }, 100);
  }, CELL);
  const t0 = Date.now();
  await page.click(`${CELL} [data-action="run"]`);
  assert.equal(await waitForRunEnd(page, 1, 30_000), 'done', await consoleText(page));
  const seconds = (Date.now() - t0) / 1000;
  const seen = await page.evaluate(() => window.__seen);
  assert.ok(seen.reports >= 20, `the loop's progress reached the page ${seen.reports} times (the test needs many)`);
  assert.ok(seen.clock <= Math.ceil(seconds) + 1, `the clock changed ${seen.clock} times in ${seconds.toFixed(1)} s`);
  assert.ok(seen.progress <= Math.ceil(seconds * 4) + 2, `the progress line was drawn ${seen.progress} times in ${seconds.toFixed(1)} s (${seen.reports} reports)`);
  assert.equal(seen.animations, 0, 'an animation (longer than half a second) ran during the run');
  assert.match(await page.textContent(`${CELL} .progress-text`), /10000 \/ 10000/, 'the last report is drawn');
  assert.deepEqual(pageErrors.map((e) => e.message), []);
  await page.close();
});

test('a knob change reruns the cell with the new value and keeps the code', async () => {
  const { page, requests, pageErrors } = await openLab(lab, TOUR);
  const knobs = await page.$$eval(`${TOUR_CELL} .cell-knobs [data-knob]`, (els) => els.map((e) => `${e.dataset.knob}:${e.type}`));
  assert.deepEqual(knobs, ['ρ:range', 'init:select-one', 'T:range', 'log scale:checkbox', 'seed:number']);
  const code = await page.evaluate(() => window.gradlab.cells['remember-a-bit'].editor.getCode());

  await page.click(`${TOUR_CELL} [data-action="run"]`);
  // The plots and the progress bar move during the run, not only at its end.
  const live = await page.waitForFunction((sel) => {
    const cell = document.querySelector(sel);
    const figure = cell.querySelector('.plot[data-plot-id="Training"]');
    const points = figure ? JSON.parse(figure.dataset.series).loss : 0;
    const step = Number(cell.querySelector('.progress').dataset.step);
    return cell.dataset.run === 'running' && points > 0 && points < 120 && step > 0 && step < 120 && { points, step };
  }, TOUR_CELL, { timeout: 20_000 });
  const during = await live.jsonValue();
  assert.ok(during.points < 120 && during.step < 120, `seen while running: ${JSON.stringify(during)}`);
  assert.match(await page.textContent(`${TOUR_CELL} .progress-text`), /step \d+ \/ 120/);
  assert.equal(await settle(page, TOUR_CELL, 1), 'done');
  const before = await plotValues(page, 'remember-a-bit', 'Training');
  assert.equal(before.series[0].values.length, 120);
  assert.equal((await plotValues(page, 'remember-a-bit', '||dL/dh_t|| during training')).z[0].length, 30);

  // Like a reader dragging the slider: several input events, one rerun after the debounce.
  const slider = page.locator(`${TOUR_CELL} input[data-knob="ρ"]`);
  for (const v of ['0.95', '1.0', '1.05']) await slider.fill(v);
  await page.locator(`${TOUR_CELL} input[data-knob="T"]`).fill('12');
  assert.equal(await settle(page, TOUR_CELL, 2), 'done');
  assert.equal(await runCount(page, TOUR_CELL), 2, 'the knob changes were debounced into one run');
  assert.equal(await page.textContent(`${TOUR_CELL} .knob-value`), '1.05');
  const after = await plotValues(page, 'remember-a-bit', 'Training');
  assert.notDeepEqual(after.series[0].values, before.series[0].values, 'the loss curve changed');
  const heat = await plotValues(page, 'remember-a-bit', '||dL/dh_t|| during training');
  assert.equal(heat.z[0].length, 12, 'the heatmap has one column per time step, T = 12');
  assert.deepEqual(await page.evaluate(() => window.gradlab.cells['remember-a-bit'].knobs()), {
    ρ: 1.05,
    init: 'identity',
    T: 12,
    'log scale': true,
  });
  assert.equal(await page.evaluate(() => window.gradlab.cells['remember-a-bit'].editor.getCode()), code, 'the code is unchanged');
  // The progress bar reached the end and says so.
  assert.equal(await page.getAttribute(`${TOUR_CELL} .progress`, 'data-step'), '120');
  assert.match(await page.textContent(`${TOUR_CELL} .progress-text`), /step 120 \/ 120/);
  assert.equal(await page.getAttribute(`${TOUR_CELL} .plot[data-plot-id="Hidden values h_t in the last batch"]`, 'data-kind'), 'histogram');

  assert.deepEqual(pageErrors.map(String), []);
  assert.deepEqual(foreignRequests(requests, lab.url), []);
  await page.close();
});

test('a share link restores code, knobs, seed and output in a fresh browser', async () => {
  const { page, requests } = await openLab(lab, TOUR);
  const cell = 'remember-a-bit';
  const original = await page.evaluate((c) => window.gradlab.cells[c].editor.getCode(), cell);
  const edited = original.replace('const trainingSteps = 120;', 'const trainingSteps = 30;') + 'print("shared run");\n';
  await setCode(page, edited, cell);
  await page.selectOption(`${TOUR_CELL} select[data-knob="init"]`, 'gaussian');
  assert.equal(await settle(page, TOUR_CELL, 1), 'done');
  await page.fill(`${TOUR_CELL} input[data-knob="seed"]`, '11');
  await page.press(`${TOUR_CELL} input[data-knob="seed"]`, 'Enter'); // a number input commits its value
  assert.equal(await settle(page, TOUR_CELL, 2), 'done');
  const expected = await plotValues(page, cell, 'Training');
  const out = await consoleText(page, TOUR_CELL);

  await page.click(`${TOUR_CELL} [data-action="share"]`);
  const url = await page.inputValue(`${TOUR_CELL} .share-url`);
  assert.ok(url.startsWith(lab.url), `the link points at the site: ${url}`);
  assert.match(url, /#lang=en&chapter=tour&cell=remember-a-bit&seed=11&knobs\.init=gaussian&code=/);
  await page.close();

  const fresh = await newPage(lab);
  await fresh.page.goto(url);
  assert.equal(await settle(fresh.page, TOUR_CELL, 1), 'done', 'the shared state runs on opening');
  assert.equal(await fresh.page.evaluate((c) => window.gradlab.cells[c].editor.getCode(), cell), edited);
  assert.equal(await fresh.page.inputValue(`${TOUR_CELL} select[data-knob="init"]`), 'gaussian');
  assert.equal(await fresh.page.inputValue(`${TOUR_CELL} input[data-knob="seed"]`), '11');
  assert.equal(await consoleText(fresh.page, TOUR_CELL), out);
  assert.match(out, /shared run/);
  assert.deepEqual(await plotValues(fresh.page, cell, 'Training'), expected, 'the same seed gives the same curves');

  // The link's state became the reader's own edit: a reload keeps it, Reset drops it.
  assert.doesNotMatch(fresh.page.url(), /code=/, 'the address no longer carries the link state');
  await fresh.page.reload();
  await fresh.page.waitForSelector(`${TOUR_CELL}[data-engine="ready"]`);
  assert.equal(await fresh.page.evaluate((c) => window.gradlab.cells[c].editor.getCode(), cell), edited);
  assert.equal(await fresh.page.getAttribute(TOUR_CELL, 'data-edited'), 'true');
  await fresh.page.click(`${TOUR_CELL} [data-action="reset"]`);
  assert.equal(await fresh.page.evaluate((c) => window.gradlab.cells[c].editor.getCode(), cell), original);
  assert.equal(await fresh.page.inputValue(`${TOUR_CELL} input[data-knob="seed"]`), '7');
  await fresh.page.reload();
  await fresh.page.waitForSelector(`${TOUR_CELL}[data-engine="ready"]`);
  assert.equal(await fresh.page.evaluate((c) => window.gradlab.cells[c].editor.getCode(), cell), original);
  assert.equal(await fresh.page.getAttribute(TOUR_CELL, 'data-edited'), 'false');

  assert.deepEqual(foreignRequests([...requests, ...fresh.requests], lab.url), []);
  await fresh.page.close();
});

test('an edit survives a reload, even one made just before it', async () => {
  const { page } = await openLab(lab);
  await setCode(page, 'print("kept");\n');
  await page.reload(); // at once: before the edit's debounced save
  await page.waitForSelector(`${LSTM}[data-engine="ready"]`);
  assert.equal(await page.evaluate(() => window.gradlab.cells['lstm-cell'].editor.getCode()), 'print("kept");\n');
  assert.equal(await page.isVisible(`${LSTM} [data-role="edited"]`), true, 'the cell says it is edited');
  await page.close();
});

test('an experiment embedded in a page on another origin runs there, isolated', async () => {
  const hostDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gradlab-host-'));
  fs.writeFileSync(
    path.join(hostDir, 'index.html'),
    `<!doctype html><html><head><meta charset="utf-8"><title>A course page</title></head><body>
<h1>Week 3: vanishing gradients</h1>
<script type="module" src="${lab.url}gradlab-embed.js"></script>
<gradlab-experiment lang="en" chapter="lstm-cell" cell="lstm-cell"></gradlab-experiment>
<iframe id="plain" src="${lab.url}embed.html#lang=en&chapter=tour&cell=remember-a-bit" title="gradlab" width="100%" height="700"
  style="border:0" sandbox="allow-scripts allow-same-origin allow-downloads allow-popups"></iframe>
</body></html>`,
  );
  const host = await startServer({ root: hostDir, port: 0 });
  lab.allowOrigin(host.url);
  try {
    assert.notEqual(new URL(host.url).origin, new URL(lab.url).origin);
    const { page, requests, pageErrors } = await newPage(lab);
    await page.goto(host.url);
    const frameFor = async (part) => {
      for (let i = 0; i < 200; i++) {
        const frame = page.frames().find((f) => f.url().includes(part));
        if (frame) return frame;
        await page.waitForTimeout(100);
      }
      throw new Error(`no frame with ${part}`);
    };
    const element = await frameFor('chapter=lstm-cell');
    await element.waitForSelector(`${LSTM}[data-engine="ready"]`, { timeout: 20_000 });
    assert.equal(await element.locator('.cell').count(), 1, 'the embed shows just that cell');
    await element.click(`${LSTM} [data-action="run"]`);
    assert.equal(await waitForRunEnd(element, 1), 'done');
    assert.match(await consoleText(element), /h: \[32, 20\] {2}c: \[32, 20\]/);

    const plain = await frameFor('chapter=tour');
    await plain.waitForSelector(`${TOUR_CELL}[data-engine="ready"]`, { timeout: 20_000 });
    assert.match(await plain.textContent(`${TOUR_CELL} .cell-title`), /Remembering one bit/);

    // The host cannot reach into the experiment (another origin)...
    const reach = await page.evaluate(() => {
      const frame = document.querySelector('gradlab-experiment').shadowRoot.querySelector('iframe');
      try {
        return frame.contentDocument === null ? 'blocked' : 'reachable';
      } catch {
        return 'blocked';
      }
    });
    assert.equal(reach, 'blocked');
    // ...and the element fitted the frame to the cell.
    const height = await page.evaluate(() => document.querySelector('gradlab-experiment').shadowRoot.querySelector('iframe').style.height);
    assert.notEqual(height, '760px', 'the frame was resized to its content');

    const origins = new Set(requests.map((u) => new URL(u).origin));
    origins.delete(new URL(host.url).origin);
    origins.delete(new URL(lab.url).origin);
    origins.delete('null');
    assert.deepEqual([...origins], [], 'only the host and gradlab were asked for anything');
    assert.deepEqual(pageErrors.map(String), []);
    await page.close();
  } finally {
    await host.close();
    fs.rmSync(hostDir, { recursive: true, force: true });
  }
});

test('after a first visit the site loads and runs with the network off', async () => {
  const { page, context, requests } = await newPage(lab, { serviceWorkers: 'allow' });
  await page.goto(lab.url + TOUR);
  await page.waitForSelector(`${TOUR_CELL}[data-engine="ready"]`, { timeout: 20_000 });
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 20_000 });
  assert.equal(await page.getAttribute('html', 'data-offline'), 'true');
  assert.equal(await page.isVisible('#footer-offline'), true);

  await context.setOffline(true);
  try {
    await page.reload();
    await page.waitForSelector(`${TOUR_CELL}[data-engine="ready"]`, { timeout: 20_000 });
    // Another chapter, never opened before, comes from the cache too.
    await page.goto(`${lab.url}#lang=en&chapter=lstm-cell`);
    await page.waitForSelector(`${LSTM}[data-engine="ready"]`, { timeout: 20_000 });
    await page.click(`${LSTM} [data-action="run"]`);
    assert.equal(await waitForRunEnd(page, 1), 'done');
    assert.match(await consoleText(page), /h: \[32, 20\]/);
    assert.ok(await page.locator('#chapter .katex').count() > 0);
    // The math fonts are there: KaTeX's main font is usable offline.
    assert.equal(await page.evaluate(() => document.fonts.check('16px KaTeX_Main')), true);
  } finally {
    await context.setOffline(false);
  }
  assert.deepEqual(foreignRequests(requests, lab.url), []);
  await page.close();
});

test('plots download as PNG and CSV', async () => {
  const { page } = await openLab(lab, TOUR);
  await page.locator(`${TOUR_CELL} input[data-knob="T"]`).fill('8');
  assert.equal(await settle(page, TOUR_CELL, 1), 'done');

  const training = `${TOUR_CELL} .plot[data-plot-id="Training"]`;
  const [png] = await Promise.all([page.waitForEvent('download'), page.click(`${training} [data-action="download-png"]`)]);
  assert.equal(png.suggestedFilename(), 'training.png');
  const pngBytes = fs.readFileSync(await png.path());
  assert.deepEqual([...pngBytes.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47], 'a PNG file');
  assert.ok(pngBytes.length > 2000);

  const heat = `${TOUR_CELL} .plot[data-kind="heatmap"]`;
  const [csv] = await Promise.all([page.waitForEvent('download'), page.click(`${heat} [data-action="download-csv"]`)]);
  assert.equal(csv.suggestedFilename(), 'dl-dh-t-during-training.csv');
  const lines = fs.readFileSync(await csv.path(), 'utf8').trim().split('\n');
  assert.equal(lines.length, 121, 'a header and one row per training step');
  assert.equal(lines[0].split(',').length, 9, 'the row label and T = 8 columns');

  const [heatPng] = await Promise.all([page.waitForEvent('download'), page.click(`${heat} [data-action="download-png"]`)]);
  assert.ok(fs.readFileSync(await heatPng.path()).length > 2000);
  await page.close();
});

test('light and dark themes follow the system; the keyboard reaches Run with a visible focus and runs it', async () => {
  const luminance = (rgb) => {
    const [r, g, b] = rgb.match(/\d+(\.\d+)?/g).map(Number);
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const background = {};
  for (const scheme of ['light', 'dark']) {
    const { page } = await openLab(lab, '#lang=en&chapter=lstm-cell', { colorScheme: scheme });
    background[scheme] = await page.evaluate(() => {
      const page = [document.body, document.documentElement].map((e) => getComputedStyle(e).backgroundColor).find((c) => c !== 'rgba(0, 0, 0, 0)');
      return [page, getComputedStyle(document.querySelector('.cell')).backgroundColor];
    });
    if (scheme === 'dark') {
      // Tab from the top of the page to the cell's Run button.
      let reached = false;
      for (let i = 0; i < 60 && !reached; i++) {
        await page.keyboard.press('Tab');
        reached = await page.evaluate(() => document.activeElement?.dataset.action === 'run');
      }
      assert.ok(reached, 'Tab reaches the Run button');
      const ring = await page.evaluate(() => {
        const style = getComputedStyle(document.activeElement);
        return { style: style.outlineStyle, width: parseFloat(style.outlineWidth) };
      });
      assert.notEqual(ring.style, 'none', 'the focused button shows a focus ring');
      assert.ok(ring.width >= 1);
      assert.equal(await page.locator(':focus').ariaSnapshot(), '- button "Run"');
      await page.keyboard.press('Enter');
      assert.equal(await waitForRunEnd(page, 1), 'done');
      // Every button in the cell says what it does.
      const unlabelled = await page.$$eval('.cell button', (els) => els.filter((b) => !(b.getAttribute('aria-label') || b.textContent.trim())).length);
      assert.equal(unlabelled, 0);
    }
    await page.close();
  }
  assert.ok(luminance(background.dark[0]) < 80 && luminance(background.light[0]) > 180, `page backgrounds: ${JSON.stringify(background)}`);
  assert.ok(luminance(background.dark[1]) < luminance(background.light[1]), 'cells follow the theme too');
});

test('the engine build is picked by feature detection and named in the footer', async () => {
  const { page } = await openLab(lab);
  await page.waitForFunction(() => document.getElementById('footer-engine').textContent !== '');
  assert.equal(await page.textContent('#footer-engine'), 'engine: wasm SIMD');
  assert.equal(await page.getAttribute('#footer-engine', 'data-flavour'), 'simd');
  await page.close();

  // A browser without wasm SIMD (simulated: it fails to validate SIMD code, as such a browser
  // does) gets the baseline build by itself, and runs the cell with it.
  const old = await newPage(lab);
  await old.context.addInitScript(() => {
    // 0xfd prefixes every SIMD instruction; the page validates only its small probe module.
    const validate = WebAssembly.validate;
    WebAssembly.validate = (bytes) => !new Uint8Array(bytes.buffer ?? bytes).includes(0xfd) && validate(bytes);
  });
  await old.page.goto(`${lab.url}#lang=en&chapter=lstm-cell`);
  await old.page.waitForSelector(`${LSTM}[data-engine="ready"]`, { timeout: 20_000 });
  await old.page.click(`${LSTM} [data-action="run"]`);
  assert.equal(await waitForRunEnd(old.page, 1), 'done');
  assert.match(await consoleText(old.page), /h: \[32, 20\]/);
  assert.equal(await old.page.getAttribute('#footer-engine', 'data-flavour'), 'baseline');
  assert.equal(await old.page.textContent('#footer-engine'), 'engine: wasm baseline');
  assert.ok(old.requests.some((u) => u.endsWith('/engine/gradlab-engine-baseline.wasm')), 'the baseline engine was fetched');
  await old.page.close();

  // ?engine=baseline forces that build in any browser.
  const forced = await newPage(lab);
  await forced.page.goto(`${lab.url}?engine=baseline#lang=en&chapter=lstm-cell`);
  await forced.page.waitForSelector(`${LSTM}[data-engine="ready"]`, { timeout: 20_000 });
  await forced.page.click(`${LSTM} [data-action="run"]`);
  assert.equal(await waitForRunEnd(forced.page, 1), 'done');
  assert.equal(await forced.page.getAttribute('#footer-engine', 'data-flavour'), 'baseline');
  await forced.page.close();
});

test('a cold load gets the first experiment ready to run, and the page records when', async (t) => {
  const { page, requests } = await newPage(lab);
  await page.goto(lab.url + '#lang=en&chapter=lstm-cell');
  await page.waitForSelector(`${LSTM}[data-engine="ready"]`, { timeout: 20_000 });
  // Measured by the page itself, from the navigation's start to the cell's first ready state.
  // How fast that is is a measurement (bench/cold-load.mjs, README), not a pass/fail bound.
  const readyAt = Number(await page.getAttribute(LSTM, 'data-ready-at'));
  t.diagnostic(`cold load to a ready cell: ${readyAt} ms`);
  assert.ok(Number.isFinite(readyAt) && readyAt > 0, `data-ready-at = ${readyAt}`);
  // A cold load fetched the engine and the worker from the site (nothing was cached).
  assert.ok(requests.some((u) => /gradlab-engine(-baseline)?\.wasm$/.test(u)), 'the engine was fetched');
  await page.close();
});

// Last in the file: every request of every test above, not only those a test checked.
test('no request left the sites the tests served, and the pages\' policy refused nothing, in any test of this file', () => {
  assert.deepEqual(lab.foreignRequests(), []);
  assert.deepEqual(lab.refusedByPolicy(), []);
});
