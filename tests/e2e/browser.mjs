// Shared set-up for the browser tests: serve the built site (web/dist) and
// drive Debian's Chromium, headless, through playwright-core.
//
// The tests drive chromium-headless-shell: the same Blink and V8 as Debian's chromium (one
// source package, one version), without the browser's own windows. `chromium --headless` makes
// a whole browser window for every context, with its omnibox pop-up page in a renderer of its
// own: measured here, opening the LSTM chapter to a ready cell in a fresh context took 2.5-3.3 s
// and 5.6-7 CPU-s that way, 1.75-1.8 s and 4.5 CPU-s in the shell (bench/*.mjs keep the whole
// browser, which is what a reader has: startLab({ browser: 'chromium' })).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer } from '../../web/tools/serve.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const distDir = path.join(repoRoot, 'web/dist');
export const BROWSERS = {
  'headless-shell': process.env.GRADLAB_CHROMIUM ?? '/usr/bin/chromium-headless-shell',
  chromium: process.env.GRADLAB_CHROMIUM_BROWSER ?? '/usr/bin/chromium',
};

// Flags that keep Debian's Chromium quiet and offline when run as root in a container, and
// give every site its own renderer process, as the whole browser does (the shell shares one).
const CHROMIUM_ARGS = [
  '--site-per-process',
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Fails loudly (never skips) when something the tests need is missing. */
export function checkPrerequisites(chromiumPath = BROWSERS['headless-shell']) {
  const missing = [];
  if (!fs.existsSync(path.join(distDir, 'index.html'))) {
    missing.push(`${distDir}/index.html: build the site with \`npm run build:web\` (after \`npm run setup\`)`);
  }
  if (!fs.existsSync(path.join(distDir, 'engine/gradlab-engine.wasm'))) {
    missing.push(
      `${distDir}/engine/gradlab-engine.wasm: build the engine with \`npm run setup\`, then the site with \`npm run build:web\``,
    );
  }
  if (!fs.existsSync(chromiumPath)) {
    missing.push(`${chromiumPath}: install Chromium (apt-get install chromium chromium-headless-shell) or set GRADLAB_CHROMIUM (the headless shell) and GRADLAB_CHROMIUM_BROWSER (the browser)`);
  }
  if (missing.length) throw new Error(`The browser tests cannot run; missing:\n  ${missing.join('\n  ')}`);
}

/** The LSTM-cell chapter, in English (the default language is Korean). */
export const LSTM_CHAPTER = '#lang=en&chapter=lstm-cell';

/**
 * Starts the static server and a headless Chromium (a fresh profile).
 * Returns { url, browser, newContext(options), close() }. Every context is
 * fresh (no storage, no cache) and, unless asked otherwise, blocks service
 * workers, so that one test's cache or saved edits never leak into another.
 */
export async function startLab({ browser: which = 'headless-shell' } = {}) {
  const chromiumPath = BROWSERS[which];
  checkPrerequisites(chromiumPath);
  const server = await startServer({ root: distDir, port: 0 });
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'gradlab-e2e-')); // downloads and temp files
  let browser;
  try {
    browser = await chromium.launch({
      executablePath: chromiumPath,
      headless: true,
      args: CHROMIUM_ARGS,
      downloadsPath: profile,
    });
  } catch (err) {
    await server.close();
    fs.rmSync(profile, { recursive: true, force: true });
    throw err;
  }
  // Every request of every context, whatever the test checks itself: at the end of a
  // file, assertNoForeignRequests() proves none left the sites the tests served.
  const allowed = new Set([new URL(server.url).origin]);
  const foreign = [];
  // And anything the page's Content-Security-Policy had to refuse (a resource the site
  // itself asks for in a way its own policy forbids).
  const refused = [];
  const watch = (context) => {
    context.on('request', (request) => {
      const { protocol, origin } = new URL(request.url());
      if (protocol === 'data:' || protocol === 'blob:' || allowed.has(origin)) return;
      foreign.push(request.url());
    });
    context.on('console', (message) => {
      if (/Content Security Policy/.test(message.text())) refused.push(message.text().slice(0, 300));
    });
    return context;
  };
  return {
    url: server.url,
    browser,
    newContext: async (options = {}) =>
      watch(await browser.newContext({ viewport: { width: 1280, height: 900 }, serviceWorkers: 'block', acceptDownloads: true, ...options })),
    /** Another server a test starts on purpose (a host page, a sub-folder). */
    allowOrigin: (url) => allowed.add(new URL(url).origin),
    foreignRequests: () => foreign.slice(),
    refusedByPolicy: () => refused.slice(),
    async close() {
      await browser.close();
      await server.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** A new tab in a fresh context, which closes with the tab. Records requests and page errors. */
export async function newPage(lab, options) {
  const context = await lab.newContext(options);
  const page = await context.newPage();
  page.on('close', () => context.close().catch(() => {}));
  const requests = [];
  const pageErrors = [];
  context.on('request', (request) => requests.push(request.url()));
  page.on('pageerror', (error) => pageErrors.push(error));
  // The page's own complaints, for the message of a test that failed (openLab).
  const warnings = [];
  page.on('console', (m) => ['error', 'warning'].includes(m.type()) && warnings.push(m.text().slice(0, 300)));
  return { page, context, requests, pageErrors, warnings };
}

/**
 * Opens the lab (by default the LSTM-cell chapter) in a new tab and waits
 * until its first cell's engine is ready. Records every request and page
 * error, so tests can check them at the end.
 */
export async function openLab(lab, hash = LSTM_CHAPTER, options) {
  const opened = await newPage(lab, options);
  await opened.page.goto(lab.url + hash);
  try {
    await opened.page.waitForSelector('.cell[data-engine="ready"]', { timeout: 20_000 });
  } catch (err) {
    err.message += `\nthe page then: ${await pageState(opened).catch((e) => `(unreadable: ${e.message})`)}`;
    throw err;
  }
  return opened;
}

/** What a page that did not get ready was doing: its cells' states and status lines, the sandbox frame, fonts, errors. */
async function pageState({ page, pageErrors, requests, warnings }) {
  const state = await page.evaluate(() => ({
    url: location.href,
    readyState: document.readyState,
    fonts: document.fonts.status,
    cells: [...document.querySelectorAll('.cell')].map((c) => `${c.id}: engine=${c.dataset.engine} run=${c.dataset.run} runs=${c.dataset.runs} status=${JSON.stringify(c.querySelector('.status')?.textContent?.slice(0, 120) ?? null)}`),
    sandboxFrames: document.querySelectorAll('iframe.sandbox-frame').length,
  }));
  return JSON.stringify({ ...state, pageErrors: pageErrors.map(String), warnings, requests: requests.length, lastRequests: requests.slice(-5) }, null, 1);
}

/** Origins other than the page's own that were asked for anything. */
export function foreignRequests(requests, pageURL) {
  const own = new URL(pageURL).origin;
  return requests.filter((url) => {
    const { protocol, origin } = new URL(url);
    if (protocol === 'data:' || protocol === 'blob:') return false;
    return origin !== own;
  });
}

export const CELL = '#cell-lstm-cell';

/** Replaces a cell's code through the editor (a CodeMirror transaction). */
export async function setCode(page, code, cell = 'lstm-cell') {
  await page.evaluate(([text, id]) => window.gradlab.cells[id].editor.setCode(text), [code, cell]);
}

/** Runs `code` in the LSTM cell as a new run; returns { state, text } once it ended. */
export async function runCode(page, code, timeout = 20_000) {
  const n = Number(await page.getAttribute(CELL, 'data-runs')) + 1;
  await setCode(page, code);
  await page.click(`${CELL} [data-action="run"]`);
  const state = await waitForRunEnd(page, n, timeout);
  return { state, text: await consoleText(page) };
}

/** Number of runs the cell has started. */
export async function runCount(page, sel = CELL) {
  return Number(await page.getAttribute(sel, 'data-runs'));
}

/** Waits until run number `n` has finished; returns its data-run state. */
export async function waitForRunEnd(page, n, timeout = 20_000, sel = CELL) {
  await page.waitForFunction(
    ([s, runs]) => {
      const cell = document.querySelector(s);
      return cell && Number(cell.dataset.runs) >= runs && !['running', 'none'].includes(cell.dataset.run);
    },
    [sel, n],
    { timeout },
  );
  return page.getAttribute(sel, 'data-run');
}

export async function consoleText(page, sel = CELL) {
  return page.textContent(`${sel} .console`);
}

/**
 * Starts recording long tasks (PerformanceObserver 'longtask': over 50 ms on the page's
 * thread) in every document the page opens from now on. longTasks(page, since) returns
 * [{ start, ms }] of those that started at or after `since` (the page's performance.now()).
 */
export async function recordLongTasks(page) {
  await page.addInitScript(() => {
    window.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longTasks.push({ start: Math.round(e.startTime), ms: Math.round(e.duration) });
    }).observe({ type: 'longtask', buffered: true });
  });
}

export async function longTasks(page, since = 0) {
  return page.evaluate((t) => window.__longTasks.filter((e) => e.start + e.ms >= t), since);
}

/**
 * CPU seconds (user + system) that every Chromium process on this machine has used so far, from
 * /proc: tests compare two readings to see how many cores a run keeps busy (the suites run one
 * browser at a time).
 */
export function chromiumCpuSeconds() {
  const ticks = 100; // USER_HZ on Linux
  let total = 0;
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      if (!/chrom/i.test(fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8'))) continue;
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      total += (Number(fields[11]) + Number(fields[12])) / ticks; // utime, stime
    } catch {
      // the process ended while we read
    }
  }
  return total;
}
