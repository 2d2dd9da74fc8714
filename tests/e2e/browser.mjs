// Shared set-up for the browser tests: serve the built site (web/dist) and
// drive Debian's Chromium, headless, through playwright-core.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer } from '../../web/tools/serve.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const distDir = path.join(repoRoot, 'web/dist');
const chromiumPath = process.env.GRADLAB_CHROMIUM ?? '/usr/bin/chromium';

// Flags that keep Debian's Chromium quiet and offline when run as root in a container.
const CHROMIUM_ARGS = [
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
export function checkPrerequisites() {
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
    missing.push(`${chromiumPath}: install Chromium (apt-get install chromium) or set GRADLAB_CHROMIUM`);
  }
  if (missing.length) throw new Error(`The browser tests cannot run; missing:\n  ${missing.join('\n  ')}`);
}

/**
 * Starts the static server and a headless Chromium with a fresh profile.
 * Returns { url, context, close() }.
 */
export async function startLab() {
  checkPrerequisites();
  const server = await startServer({ root: distDir, port: 0 });
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'gradlab-e2e-'));
  let context;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: chromiumPath,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1280, height: 900 },
    });
  } catch (err) {
    await server.close();
    fs.rmSync(profile, { recursive: true, force: true });
    throw err;
  }
  return {
    url: server.url,
    context,
    async close() {
      await context.close();
      await server.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Opens the lab in a new tab and waits until its engine is ready. Records
 * every request and page error, so tests can check them at the end.
 */
export async function openLab(lab) {
  const page = await lab.context.newPage();
  const requests = [];
  const pageErrors = [];
  page.on('request', (request) => requests.push(request.url()));
  page.on('pageerror', (error) => pageErrors.push(error));
  await page.goto(lab.url);
  await page.waitForSelector('.cell[data-engine="ready"]', { timeout: 20_000 });
  return { page, requests, pageErrors };
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

/** Replaces the cell's code through the editor (a CodeMirror transaction). */
export async function setCode(page, code) {
  await page.evaluate((text) => window.gradlab.cells['lstm-cell'].editor.setCode(text), code);
}

/** Number of runs the cell has started. */
export async function runCount(page) {
  return Number(await page.getAttribute(CELL, 'data-runs'));
}

/** Waits until run number `n` has finished; returns its data-run state. */
export async function waitForRunEnd(page, n, timeout = 20_000) {
  await page.waitForFunction(
    ([sel, runs]) => {
      const cell = document.querySelector(sel);
      return Number(cell.dataset.runs) >= runs && !['running', 'none'].includes(cell.dataset.run);
    },
    [CELL, n],
    { timeout },
  );
  return page.getAttribute(CELL, 'data-run');
}

export async function consoleText(page) {
  return page.textContent(`${CELL} .console`);
}
