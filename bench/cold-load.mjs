// The cold load, measured: from navigation to the first experiment cell ready to run (its
// engine instantiated in a worker), in headless Chromium with a fresh profile and an empty
// cache, on the built site (web/dist) served from localhost. Prints each load, the median
// and the best, and the sizes of the files a first visit fetches. bench/run.mjs calls coldLoad().
//   node bench/cold-load.mjs [--runs N] [--engine baseline] [--lang ko|en]
// Needs the built site (`npm run setup`, or any `npm test`). Not run by CI: the number depends
// on the machine and its load, so it lives here and in README, not in a test's assertion.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { distDir, newPage, startLab } from '../tests/e2e/browser.mjs';

const CELL = '#cell-lstm-cell';

/**
 * `runs` cold loads of the LSTM-cell chapter: { loads (ms each), median, best, worst, files:
 * [{ rel, raw, gz }] fetched by the first load, raw, gz (their totals, bytes) }.
 */
export async function coldLoad({ runs = 7, engine = '', lang = 'en' } = {}) {
  const query = engine ? `?engine=${encodeURIComponent(engine)}` : '';
  const lab = await startLab({ browser: 'chromium' }); // the whole browser, as a reader has it
  const loads = [];
  const fetched = new Map(); // path -> bytes, from the first load
  try {
    for (let i = 0; i < runs; i++) {
      const { page, requests } = await newPage(lab);
      await page.goto(`${lab.url}${query}#lang=${lang}&chapter=lstm-cell`);
      await page.waitForSelector(`${CELL}[data-engine="ready"]`, { timeout: 30_000 });
      // The page records the time itself (navigation start to the cell's first ready state),
      // so the driver's polling does not count.
      loads.push(Number(await page.getAttribute(CELL, 'data-ready-at')));
      if (i === 0) {
        for (const url of requests) {
          const rel = decodeURIComponent(new URL(url).pathname).replace(/^\/+/, '') || 'index.html';
          const file = path.join(distDir, rel);
          if (fs.existsSync(file) && fs.statSync(file).isFile()) fetched.set(rel, fs.readFileSync(file));
        }
      }
      await page.close();
    }
  } finally {
    await lab.close();
  }
  const sorted = [...loads].sort((a, b) => a - b);
  const median = sorted.length % 2 ? sorted[(sorted.length - 1) / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
  const files = [...fetched].map(([rel, bytes]) => ({ rel, raw: bytes.length, gz: zlib.gzipSync(bytes).length }));
  return {
    loads, median, best: sorted[0], worst: sorted.at(-1), files,
    raw: files.reduce((n, f) => n + f.raw, 0), gz: files.reduce((n, f) => n + f.gz, 0),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const arg = (name, fallback) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? process.argv[i + 1] : fallback;
  };
  const RUNS = Number(arg('--runs', 7));
  const ENGINE = arg('--engine', '');
  const LANG = arg('--lang', 'en');
  if (!['ko', 'en'].includes(LANG)) {
    console.error(`cold-load: --lang must be ko or en, got ${LANG}`);
    process.exit(2);
  }
  if (!Number.isInteger(RUNS) || RUNS < 1 || RUNS > 100) {
    console.error(`cold-load: --runs must be an integer in [1, 100], got ${arg('--runs')}`);
    process.exit(2);
  }
  const r = await coldLoad({ runs: RUNS, engine: ENGINE, lang: LANG });
  const kb = (n) => `${(n / 1024).toFixed(0)} KB`;
  console.log(`cold load to a ready cell (${LANG}, ${ENGINE || 'engine picked by the page'}), ${RUNS} loads: ${r.loads.join(', ')} ms`);
  console.log(`median ${r.median} ms, best ${r.best} ms, worst ${r.worst} ms\n`);
  console.log('| fetched by the first load | size | gzipped |\n|---|---|---|');
  console.log(r.files.map((f) => `| \`${f.rel}\` | ${kb(f.raw)} | ${kb(f.gz)} |`).join('\n'));
  console.log(`| **total** | ${kb(r.raw)} | ${kb(r.gz)} |`);
}
