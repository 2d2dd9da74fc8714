// End-to-end: Korean typography as a reader meets it, in headless Chromium. Lines break between
// Korean words, never inside one (word-break: keep-all), on every page at phone and desktop
// size; nothing is clipped sideways (display math scrolls in its own box, reachable by keyboard).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { newPage, setCode, startLab, waitForRunEnd } from './browser.mjs';

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
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const block = blockOf(node);
    const s = node.data;
    for (let i = 0; i < s.length; i++) {
      if (!HANGUL.test(s[i])) {
        prev = null;
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
