// The page against Node (issue 16, target 2: the page's worker ≤ 1.15× Node): the same chapter
// cell, with its defaults and seed, run
//   - in Node by web/tools/check-chapters.mjs runBlock (a worker thread, a fresh engine; its
//     time is the experiment's, from the call to its end, engine start not counted), and
//   - in Chromium on the built site (web/dist) through tests/e2e/browser.mjs: the chapter is
//     opened, the cell's engine started and ready, then cell.run() is timed in the page, from
//     Run to the last output drawn (what the cell's "Done in" shows, engine start excluded
//     because it had started).
//   - and again in a page the service worker has made cross-origin isolated (a second visit),
//     where the engine built with threads runs (runner/engine.js): the same cell, same seed.
//   A cell with `repeat` runs that many times on each side (one page), and the medians count.
//   node bench/page.mjs [--quick] [--no-build]   (standalone; bench/run.mjs calls pageVsNode)
// The site is built first (npx vite build, ~15-30 s) unless --no-build.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadChapters, runBlock } from '../web/tools/check-chapters.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export const PAGE_CELLS = [
  { file: 'tutorials/en/02-vanishing-gradients.md', id: 'recipe' },
  { file: 'tutorials/en/02-vanishing-gradients.md', id: 'adding-problem' },
  // a cell of ~2 s: its ratio swung from 1.05× to 1.61× between single runs, so it is timed 5
  // times on each side and the medians compared
  { file: 'tutorials/en/07-rnn-lstm-gru.md', id: 'gru-vs-lstm', repeat: 5 },
];
// --quick: a cell of about a second, to check the machinery
export const QUICK_CELLS = [{ file: 'tutorials/en/01-lstm-cell.md', id: 'lstm-cell' }];

export function buildSite(log = () => {}) {
  log('building the site (npx vite build)');
  execFileSync('npx', ['vite', 'build', '--config', 'web/vite.config.js', '--logLevel', 'error'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
}

/** The median of a list of numbers (of the middle two when there is an even count). */
export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function inChromium(lab, newPage, { slug, lang, id, repeat }, { isolated = false } = {}) {
  const { page } = await newPage(lab, isolated ? { serviceWorkers: 'allow' } : undefined);
  try {
    await page.goto(`${lab.url}#lang=${lang}&chapter=${slug}`);
    if (isolated) { // a second visit: the service worker's headers make the page isolated
      await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30_000 });
      await page.reload();
      const flavour = await page.waitForSelector('#footer-engine[data-flavour]', { timeout: 30_000 }).then(() => page.evaluate(() => document.querySelector('#footer-engine').dataset.flavour));
      if (flavour !== 'threads') throw new Error(`${slug}/${id}: an isolated page ran the ${flavour} engine, not threads`);
    }
    const sel = `#cell-${id}`;
    await page.waitForSelector(sel, { timeout: 30_000 });
    await page.evaluate((cellId) => window.gradlab.cells[cellId].start(), id);
    await page.waitForSelector(`${sel}[data-engine="ready"]`, { timeout: 60_000 });
    const times = [];
    let r;
    for (let i = 0; i < repeat; i++) {
      r = await page.evaluate(async (cellId) => {
        const cell = window.gradlab.cells[cellId];
        const t0 = performance.now();
        const result = await cell.run();
        return { ms: performance.now() - t0, status: result.status, shown: cell.root.querySelector('.status')?.textContent ?? '' };
      }, id);
      if (r.status !== 'done') throw new Error(`${slug}/${id} in Chromium: ${r.status} (${r.shown})`);
      times.push(r.ms);
    }
    return { ...r, ms: median(times) };
  } finally {
    await page.close();
  }
}

/** [{ label, nodeMs, chromiumMs, shown, threadsMs, threadsShown }] for each cell: Node first, then Chromium, then Chromium isolated. */
export async function pageVsNode({ quick = false, build = true, log = () => {} } = {}) {
  if (build) buildSite(log);
  const { startLab, newPage } = await import('../tests/e2e/browser.mjs');
  const cells = quick ? QUICK_CELLS : PAGE_CELLS;
  const chapters = loadChapters(cells.map((c) => path.join(root, c.file)));
  const rows = [];
  for (const c of cells) {
    const chapter = chapters.find((ch) => ch.file === path.join(root, c.file));
    const block = chapter.cells.find((b) => b.id === c.id && b.language === 'js');
    const repeat = c.repeat ?? 1;
    log(`${chapter.slug}/${c.id} in Node${repeat > 1 ? `, ${repeat} times` : ''}`);
    const times = [];
    for (let i = 0; i < repeat; i++) {
      const node = await runBlock(block, { timeoutMs: 300_000 });
      if (node.status !== 'done') throw new Error(`${chapter.slug}/${c.id} in Node: ${node.status} ${node.error?.message ?? ''}`);
      times.push(node.ms);
    }
    rows.push({ label: `${chapter.slug} / ${c.id}${repeat > 1 ? ` (median of ${repeat})` : ''}`, slug: chapter.slug, lang: chapter.lang, id: c.id, repeat, nodeMs: median(times) });
  }
  const lab = await startLab({ browser: 'chromium' }); // the whole browser, as a reader has it
  try {
    for (const row of rows) {
      log(`${row.label} in Chromium`);
      const r = await inChromium(lab, newPage, row);
      Object.assign(row, { chromiumMs: r.ms, shown: r.shown.trim() });
      log(`${row.label} in Chromium, isolated (the engine with threads)`);
      const t = await inChromium(lab, newPage, row, { isolated: true });
      Object.assign(row, { threadsMs: t.ms, threadsShown: t.shown.trim() });
    }
  } finally {
    await lab.close();
  }
  return rows;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const rows = await pageVsNode({ quick: process.argv.includes('--quick'), build: !process.argv.includes('--no-build'), log: (...a) => console.error('[page]', ...a) });
  for (const r of rows) console.log(`${r.label}: Node ${(r.nodeMs / 1000).toFixed(2)} s, Chromium ${(r.chromiumMs / 1000).toFixed(2)} s (${r.shown}), ${(r.chromiumMs / r.nodeMs).toFixed(2)}×; isolated, threads: ${(r.threadsMs / 1000).toFixed(2)} s (${r.threadsShown})`);
}
