// End-to-end: Korean typography as a reader meets it, in headless Chromium. Lines break between
// Korean words, never inside one (word-break: keep-all), on every page at phone and desktop
// size; nothing is clipped sideways (display math scrolls in its own box, reachable by keyboard).
// And Hangul a reader types is drawn in the site's own font (this machine has no Korean font),
// in the editor, console, knobs and plots, also offline after one visit.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { newPage, setCode, startLab, waitForRunEnd } from './browser.mjs';
import { koreanSubsets } from '../../web/tools/korean-font-plugin.mjs';

const VIEWPORTS = [
  { width: 390, height: 844 },
  { width: 1366, height: 900 },
];

let lab;
before(async () => {
  lab = await startLab();
});
after(async () => {
  await lab?.close();
});

/**
 * In the page: every place where a line starts inside a run of Hangul letters (a word broken in
 * two), found by the position of each letter on screen (Range.getClientRects), within one block;
 * and every element whose content is cut off sideways, or that scrolls sideways without being
 * reachable by keyboard. `root` is a selector.
 */
function layoutProblems(root) {
  const HANGUL = /[\u1100-\u11ff\u3131-\u318e\uac00-\ud7a3]/;
  const blockOf = (node) => {
    let el = node.parentElement;
    while (el && /^(inline|contents)$/.test(getComputedStyle(el).display)) el = el.parentElement;
    return el;
  };
  const range = document.createRange();
  const rectOf = (node, i) => {
    range.setStart(node, i);
    range.setEnd(node, i + 1);
    return [...range.getClientRects()].find((r) => r.width > 0) ?? null;
  };
  const broken = [];
  const walker = document.createTreeWalker(document.querySelector(root), NodeFilter.SHOW_TEXT, {
    acceptNode: (n) => (n.parentElement.closest('script, style, .katex-mathml') ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
  });
  let prev = null; // { block, rect, text } of the letter before, when it is Hangul
  const nodeRange = document.createRange();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const block = blockOf(node);
    const s = node.data;
    // A text node drawn on one line breaks no word inside itself: only its first letter is
    // compared with the letter before it (the node's last letter carries on to the next node).
    // A node over several lines is checked letter by letter.
    nodeRange.selectNodeContents(node);
    const oneLine = new Set([...nodeRange.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top))).size <= 1;
    for (let i = 0; i < s.length; i++) {
      if (!HANGUL.test(s[i])) {
        prev = null;
        continue;
      }
      if (oneLine && prev?.block === block && i > 0 && i < s.length - 1 && HANGUL.test(s[i + 1])) {
        prev.text = (prev.text + s[i]).slice(-6); // the same line as the letter before
        continue;
      }
      const rect = rectOf(node, i);
      if (rect && prev && prev.block === block && rect.top > prev.rect.top + prev.rect.height / 2) {
        const where = block.closest('[id]')?.id ?? block.className ?? block.tagName;
        broken.push(`${JSON.stringify(`${prev.text}/${s.slice(i, i + 6)}`)} (in ${block.tagName.toLowerCase()}, #${where})`);
      }
      prev = rect ? { block, rect, text: (prev?.block === block ? prev.text : '').slice(-5) + s[i] } : null;
    }
  }
  const clipped = [];
  const unreachable = [];
  for (const el of document.querySelector(root).querySelectorAll('*')) {
    if (el.scrollWidth <= el.clientWidth + 1 || el.clientWidth <= 1) continue;
    const { overflowX } = getComputedStyle(el);
    const name = `${el.tagName.toLowerCase()}.${[...el.classList].join('.')} (${el.scrollWidth} > ${el.clientWidth} px)`;
    if (overflowX === 'hidden' || overflowX === 'clip') clipped.push(name);
    else if (el.matches('.math-block') && !(el.tabIndex >= 0 && el.getAttribute('aria-label'))) unreachable.push(name);
  }
  const sideways = document.documentElement.scrollWidth > innerWidth + 1 ? [`page ${document.documentElement.scrollWidth} > ${innerWidth} px`] : [];
  return { broken, clipped: [...clipped, ...sideways], unreachable };
}

async function showPage(page, hash) {
  const changed = await page.evaluate((h) => {
    if (location.hash === h) return false;
    window.shownBefore = document.querySelector('#chapter h1');
    location.hash = h;
    return true;
  }, hash);
  // The page's heading is a new one (route() replaced the page), its cells are placed, the fonts are in.
  if (changed) await page.waitForFunction(() => document.querySelector('#chapter h1') && document.querySelector('#chapter h1') !== window.shownBefore);
  await page.waitForFunction(() => document.querySelectorAll('#chapter .experiment-slot').length === document.querySelectorAll('#chapter .experiment-slot .cell').length);
  await page.evaluate(() => document.fonts.ready);
}

test('Korean lines break between words, never inside one, and nothing is cut off sideways, on every page at phone and desktop size', async () => {
  for (const viewport of VIEWPORTS) {
    const { page, pageErrors } = await newPage(lab, { viewport });
    await page.goto(`${lab.url}#lang=ko`);
    await page.waitForSelector('#chapter h1');
    const hashes = ['#lang=ko', ...(await page.$$eval('#chapter-list a, #nav-reference', (as) => as.map((a) => new URL(a.href).hash)))];
    assert.ok(hashes.length >= 5, `the landing page, the chapters and the reference: ${hashes}`);
    const problems = [];
    for (const hash of hashes) {
      await showPage(page, hash);
      assert.equal(await page.evaluate(() => document.documentElement.lang), 'ko');
      const found = await page.evaluate(layoutProblems, 'body');
      for (const [kind, list] of Object.entries(found)) for (const p of list) problems.push(`${viewport.width}px ${hash} ${kind}: ${p}`);
    }
    assert.deepEqual(problems.slice(0, 40), [], `${problems.length} problems`);
    // The probe sees a broken word when there is one: with keep-all undone, the last page's
    // Korean prose breaks inside words at this width.
    await page.evaluate(() => {
      window.__breakAll = new CSSStyleSheet();
      window.__breakAll.replaceSync('#chapter p { word-break: break-all !important; }');
      document.adoptedStyleSheets = [...document.adoptedStyleSheets, window.__breakAll];
    });
    const undone = (await page.evaluate(layoutProblems, '#chapter')).broken.length;
    await page.evaluate(() => { document.adoptedStyleSheets = document.adoptedStyleSheets.filter((s) => s !== window.__breakAll); });
    assert.ok(undone > 0, `with word-break: break-all, ${undone} broken words found`);
    assert.deepEqual(pageErrors, []);
    await page.close();
  }
});

test('on a phone, Korean in a cell keeps its words whole: console, plot legend, knobs and status', async () => {
  const { page } = await newPage(lab, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  await page.goto(`${lab.url}#lang=ko&chapter=tour`);
  const cell = '#cell-remember-a-bit';
  await page.waitForSelector(`${cell}[data-engine="ready"]`, { timeout: 20_000 });
  const words = '기울기가 시간을 거슬러 가며 사라지는지 폭발하는지 직접 확인하고 결과를 누르세요';
  await setCode(
    page,
    [
      `const a = knob('학습 중에 바꿔 보는 아주 긴 이름의 노브입니다', 0.5, { min: 0, max: 1, step: 0.1 });`,
      `const b = knob('초기화 방법을 고르는 메뉴', '직교 초기화', { options: ['직교 초기화', '가우시안 초기화'] });`,
      `print(${JSON.stringify(`${words} `.repeat(3))});`,
      `plot({ title: '학습 손실과 검증 손실을 함께 그린 그림', x: [0, 1, 2], series: { '학습 중에 측정한 훈련 손실의 이동 평균': [1, 2, 3], '검증 손실': [3, 2, 1] } });`,
    ].join('\n'),
    'remember-a-bit',
  );
  await page.click(`${cell} [data-action="run"]`);
  assert.equal(await waitForRunEnd(page, 1, 20_000, cell), 'done');
  await page.evaluate(() => document.fonts.ready);
  const found = await page.evaluate(layoutProblems, cell);
  assert.deepEqual(found, { broken: [], clipped: [], unreachable: [] });
  await page.close();
});

// ---------------------------------------------------------------------------------------------
// The site's Korean font covers what a reader types, everywhere the lab shows it, offline too.

const TYPED = '훈련 손실 뷁';
const RARE = '뷁'; // in no chapter and no string of the site: its file is fetched only when drawn
// An axis label that only the plot's canvas shows (the code spells it by char codes), so that no
// text on the page has loaded its faces before the canvas draws it: "똠햏".
const CANVAS_ONLY = String.fromCharCode(0xb620, 0xd58f);

/** The built file names of the font subset(s) holding `ch` (one per weight), from the package's ranges. */
function subsetFiles(ch) {
  const code = ch.codePointAt(0);
  const s = koreanSubsets().find((x) => x.ranges.some(([lo, hi]) => code >= lo && code <= hi));
  assert.ok(s, `a subset holds ${ch}`);
  return [400, 700].map((w) => new RegExp(`/assets/noto-sans-kr-${s.id}-${w}-normal-[\\w-]+\\.woff2$`));
}

/**
 * Runs in the page before its scripts: records every fillText of a canvas with whether the
 * faces its text needs were loaded at that moment (a canvas never redraws by itself).
 */
function recordCanvasText() {
  window.canvasText = [];
  const fillText = CanvasRenderingContext2D.prototype.fillText;
  CanvasRenderingContext2D.prototype.fillText = function (text, ...rest) {
    window.canvasText.push({ text: String(text), loaded: document.fonts.check(this.font, String(text)) });
    return fillText.call(this, text, ...rest);
  };
}

/**
 * For each part of the cell (a selector under it), how many Hangul letters the element showing
 * TYPED holds and how many glyphs the site's font drew there (Chromium's record, over CDP).
 */
async function drawnBySiteFont(page, cell, parts) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('DOM.enable');
  await cdp.send('CSS.enable');
  const out = {};
  for (const part of parts) {
    const found = await page.evaluate(
      ([sel, typed]) => {
        const root = document.querySelector(sel);
        const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
        for (let n = walker.nextNode(); n; n = walker.nextNode()) {
          if (!n.data.includes(typed)) continue;
          document.querySelectorAll('[data-probe]').forEach((e) => e.removeAttribute('data-probe'));
          n.parentElement.dataset.probe = '';
          return [...n.parentElement.textContent].filter((c) => /[\uac00-\ud7a3]/.test(c)).length;
        }
        return 0;
      },
      [`${cell} ${part}`, TYPED],
    );
    assert.ok(found > 0, `${part} shows ${TYPED}`);
    const { root } = await cdp.send('DOM.getDocument', { depth: -1 });
    const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector: '[data-probe]' });
    const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
    out[part] = { hangul: found, bySiteFont: fonts.filter((f) => f.isCustomFont).reduce((n, f) => n + f.glyphCount, 0) };
  }
  await cdp.detach();
  return out;
}

async function runTyped(page, cell) {
  const runs = Number(await page.getAttribute(cell, 'data-runs'));
  await page.click(`${cell} [data-action="run"]`);
  assert.equal(await waitForRunEnd(page, runs + 1, 30_000, cell), 'done');
  await page.evaluate(() => document.fonts.ready);
  await page.waitForTimeout(300); // the redraw after the faces came in is one animation frame later
}

async function checkDrawn(page, cell, when) {
  const drawn = await drawnBySiteFont(page, cell, ['.cm-content', '.console', '.knob-list', '.u-legend']);
  for (const [part, d] of Object.entries(drawn)) assert.ok(d.bySiteFont >= d.hangul, `${when}, ${part}: ${d.hangul} Hangul letters, ${d.bySiteFont} drawn by the site's font`);
  const labels = await page.evaluate((text) => window.canvasText.filter((t) => t.text === text), CANVAS_ONLY);
  assert.ok(labels.length > 0, `${when}: the plot's axis labels were drawn on its canvas`);
  assert.equal(labels.at(-1).loaded, true, `${when}: the canvas drew ${CANVAS_ONLY} last with its faces loaded (${JSON.stringify(labels)})`);
}

test('Hangul a reader types is drawn in the site\'s font in the editor, console, knobs and plots, and offline after one visit', async () => {
  const { page, context, requests } = await newPage(lab, { serviceWorkers: 'allow' });
  await page.addInitScript(recordCanvasText);
  const cell = '#cell-remember-a-bit';
  await page.goto(`${lab.url}#lang=ko&chapter=tour`);
  await page.waitForSelector(`${cell}[data-engine="ready"]`, { timeout: 20_000 });
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 20_000 });
  const rareFiles = subsetFiles(RARE);
  assert.equal(requests.filter((u) => rareFiles.some((re) => re.test(u))).length, 0, `no file for ${RARE} before it is drawn (if the site's own text now uses a syllable of its file, that file is precached: pick another rare syllable)`);

  await setCode(
    page,
    [
      `const lr = knob('${TYPED}', 0.5, { min: 0, max: 1, step: 0.1 });`,
      `// ${TYPED}`,
      `print('${TYPED}');`,
      `const label = String.fromCharCode(${[...CANVAS_ONLY].map((c) => `0x${c.charCodeAt(0).toString(16)}`).join(', ')});`,
      `plot({ title: '${TYPED}', x: [0, 1, 2], xLabel: label, yLabel: label, series: { '${TYPED}': [1, 2, 3] } });`,
    ].join('\n'),
    'remember-a-bit',
  );
  await runTyped(page, cell);
  await checkDrawn(page, cell, 'online');
  assert.ok(requests.some((u) => rareFiles[0].test(u)), `the regular file holding ${RARE} was fetched`);
  // The PNG download draws the title (bold) and the legend on a canvas too.
  await page.evaluate(() => (window.canvasText.length = 0));
  await Promise.all([page.waitForEvent('download'), page.click(`${cell} .plot [data-action="download-png"]`)]);
  const png = await page.evaluate((typed) => window.canvasText.filter((t) => t.text.includes(typed)), TYPED);
  assert.ok(png.length >= 2 && png.every((t) => t.loaded), `the PNG's title and legend drawn with their faces loaded: ${JSON.stringify(png)}`);
  assert.ok(requests.some((u) => rareFiles[1].test(u)), `the bold file holding ${RARE} was fetched`);

  // The service worker kept the files it served, checked against the build's SHA-256.
  const rareURL = requests.find((u) => rareFiles[0].test(u));
  await page.waitForFunction(async (url) => Boolean(await caches.match(url)), rareURL, { timeout: 10_000 });

  await context.setOffline(true);
  try {
    await page.reload();
    await page.waitForSelector(`${cell}[data-engine="ready"]`, { timeout: 20_000 });
    assert.match(await page.textContent(`${cell} .cm-content`), new RegExp(TYPED), 'the edit survived the reload');
    await runTyped(page, cell);
    await checkDrawn(page, cell, 'offline');

    // A cached font file that no longer matches the build is not served.
    await page.evaluate(async (url) => {
      const cache = await caches.open((await caches.keys()).find((k) => k.startsWith('gradlab-')));
      await cache.put(url, new Response(new Uint8Array([1, 2, 3]), { headers: { 'Content-Type': 'font/woff2' } }));
    }, rareURL);
    await page.reload();
    await page.waitForSelector(`${cell}[data-engine="ready"]`, { timeout: 20_000 });
    const status = await page.evaluate(async (rare) => {
      await document.fonts.load('400 16px "gradlab Korean"', rare).catch(() => {});
      return document.fonts.check('400 16px "gradlab Korean"', rare);
    }, RARE);
    assert.equal(status, false, 'the altered file was refused');
  } finally {
    await context.setOffline(false);
  }
  await page.close();
});

/**
 * Every visible element of the page whose own text holds Hangul, with how many Hangul letters it
 * holds and how many glyphs the site's font drew there (Chromium's record, over CDP).
 */
async function hangulNotDrawnBySiteFont(page) {
  // The elements are found in the page and handed to CDP as objects: marking them with an
  // attribute would not do, as CodeMirror redraws a line of its editor whose DOM another
  // script touched (the attribute was gone again on some loads).
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('DOM.enable');
  await cdp.send('CSS.enable');
  await cdp.send('DOM.getDocument', { depth: -1 });
  const found = await cdp.send('Runtime.evaluate', {
    returnByValue: true,
    expression: `(() => {
      const probes = [];
      for (const el of document.body.querySelectorAll('*')) {
        const own = [...el.childNodes].filter((c) => c.nodeType === Node.TEXT_NODE).map((c) => c.data).join('');
        const hangul = [...own].filter((c) => /[\uac00-\ud7a3]/.test(c)).length;
        if (!hangul || !el.getClientRects().length || getComputedStyle(el).visibility !== 'visible') continue;
        if (el.closest('script, style, .katex-mathml, .sr-only')) continue;
        probes.push([el, hangul]);
      }
      window.__hangulProbes = probes;
      return probes.length;
    })()`,
  });
  const count = found.result.value;
  // One round trip for the elements, then every element's fonts asked for at once (CDP answers
  // them in turn; asked one after another, a long chapter's 400 elements took seconds).
  const elements = await cdp.send('Runtime.evaluate', { expression: 'window.__hangulProbes.map((p) => p[0])' });
  const letters = (await cdp.send('Runtime.evaluate', { expression: 'window.__hangulProbes.map((p) => p[1])', returnByValue: true })).result.value;
  const { result: props } = await cdp.send('Runtime.getProperties', { objectId: elements.result.objectId, ownProperties: true });
  const objectIds = [];
  for (const p of props) if (/^\d+$/.test(p.name)) objectIds[Number(p.name)] = p.value.objectId;
  assert.equal(objectIds.length, count, 'every probed element reached CDP');
  const missing = (await Promise.all(objectIds.map(async (objectId, i) => {
    const { nodeId } = await cdp.send('DOM.requestNode', { objectId });
    const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
    const bySite = fonts.filter((f) => f.isCustomFont).reduce((n, f) => n + f.glyphCount, 0);
    if (bySite >= letters[i]) return null;
    const { outerHTML } = await cdp.send('DOM.getOuterHTML', { nodeId });
    return `${outerHTML.slice(0, 120)}: ${letters[i]} Hangul letters, ${bySite} by the site's font`;
  }))).filter(Boolean);
  await page.evaluate(() => delete window.__hangulProbes);
  await cdp.detach();
  assert.ok(count > 0, `probed ${count} elements`);
  return missing;
}

test('on a first visit, every Korean word of the interface and the chapter is drawn in the site\'s font (no boxes)', async () => {
  // The faces are loaded before any Korean is drawn (korean-font.js); without that, Chromium
  // kept a few labels (Run, the language switch, the footer) in boxes on some loads.
  for (const hash of ['#lang=ko', '#lang=ko&chapter=tour', '#lang=ko&chapter=vanishing-gradients', '#lang=en&chapter=tour']) {
    for (let load = 0; load < 2; load++) {
      const { page, context } = await newPage(lab, { viewport: VIEWPORTS[1] });
      try {
        await page.goto(`${lab.url}${hash}`);
        await page.waitForSelector('#chapter h1');
        await page.waitForFunction(() => document.querySelectorAll('#chapter .experiment-slot').length === document.querySelectorAll('#chapter .experiment-slot .cell').length);
        await page.evaluate(() => document.fonts.ready);
        // The chapter's prose is drawn only near the screen (content-visibility: auto in
        // site.css): a reader scrolling meets every block drawn then. Drawn all at once here,
        // every block must already have the site's font for its Hangul.
        await page.evaluate(() => {
          const sheet = new CSSStyleSheet();
          sheet.replaceSync('.chapter > * { content-visibility: visible !important; }');
          document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
          return new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
        });
        await page.waitForTimeout(200);
        assert.deepEqual(await hangulNotDrawnBySiteFont(page), [], `${hash}, load ${load + 1}`);
      } finally {
        await context.close();
      }
    }
  }
});
