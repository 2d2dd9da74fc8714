#!/usr/bin/env node
// Runs the experiment blocks of chapters in Node, the way the lab runs them
// (the same globals, seed and knob defaults, one fresh engine and one worker
// thread per block), and reports what each printed and plotted, or where it
// failed. A cell's Python version (```gradlab-python) runs in Pyodide with the
// lab's Python packages, as the page's worker runs it (python/runtime.js).
// For chapter authors, before opening the site:
//
//   node web/tools/check-chapters.mjs                       every block of every chapter
//   node web/tools/check-chapters.mjs tutorials/en/00-tour.md
//   node web/tools/check-chapters.mjs tutorials/en/00-tour.md --cell remember-a-bit --knob 'ρ=1.05' --knob T=12
//   options: --cell ID (only that block), --language js|python (only that version),
//            --knob LABEL=VALUE (repeatable), --seed N,
//            --timeout SECONDS (default 120), --print (show every printed line),
//            --json (print each block's result as one JSON line: prints, plots, error)
//
// Exits with 1 if a block failed or timed out. The engine must be built
// (web/public/engine/, by `npm run setup`). tests/wasm/chapter-vanishing.test.mjs uses runBlock().
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { renderChapterFile } from '../src/chapters/markdown.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const tutorialsDir = path.join(root, 'tutorials');
const engineDir = process.env.GRADLAB_ENGINE_DIR ?? path.join(root, 'web/public/engine');
// How many items of a parallel() call run at once: the machine's cores, as
// navigator.hardwareConcurrency in the page (GRADLAB_CORES sets it, e.g. to measure 1 against 2).
const GRADLAB_CORES = Number(process.env.GRADLAB_CORES) || os.availableParallelism();

/** Every chapter file under tutorials/ (or the given ones), rendered as the site renders them. */
export function loadChapters(files = null) {
  const list = files ?? fs.readdirSync(tutorialsDir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) => fs.readdirSync(path.join(tutorialsDir, d.name)).sort().map((f) => path.join(tutorialsDir, d.name, f)))
    .filter((f) => f.endsWith('.md'));
  return list
    .map((file) => {
      const rel = path.relative(tutorialsDir, path.resolve(file)).split(path.sep).join('/');
      const chapter = renderChapterFile(rel, fs.readFileSync(file, 'utf8'));
      return chapter && { ...chapter, file };
    })
    .filter(Boolean);
}

/**
 * Runs one block in a worker thread. Resolves to
 * { status: 'done' | 'failed' | 'timeout', ms, prints: [{ level, text }], plots: Map(id -> plot),
 *   progress: { step, total } | null, error: { name, message, line, column, trace } | null }.
 */
/** The number printed after `label` on the first line of `lines` that has it (the tests read claims so). */
export function printed(lines, label) {
  for (const l of lines) {
    const i = l.indexOf(label);
    if (i < 0) continue;
    const m = l.slice(i + label.length).match(/^\s*(-?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?|NaN|-?Infinity)/i);
    if (m) return Number(m[1]);
  }
  throw new Error(`no line with '${label}' followed by a number in:\n${lines.join('\n')}`);
}

export function runBlock(block, { knobs = {}, seed = block.seed, timeoutMs = 120_000 } = {}) {
  return new Promise((resolve) => {
    const result = { status: 'failed', ms: 0, prints: [], plots: new Map(), progress: null, downloads: [], error: null };
    const language = block.language ?? 'js';
    const worker = new Worker(fileURLToPath(import.meta.url), { workerData: { code: block.code, knobs, seed, language } });
    const t0 = performance.now();
    const timer = setTimeout(() => {
      result.status = 'timeout';
      result.ms = performance.now() - t0;
      worker.terminate();
      resolve(result);
    }, timeoutMs);
    worker.on('message', (m) => {
      if (m.type === 'output') {
        for (const item of m.items) {
          if (item.kind === 'print') result.prints.push({ level: item.level, text: item.text });
          else if (item.kind === 'plot') result.plots.set(item.plot.id, item.plot);
          else if (item.kind === 'progress') result.progress = { step: item.step, total: item.total };
          else if (item.kind === 'download') result.downloads.push({ name: item.name, type: item.type, bytes: item.bytes });
        }
      } else if (m.type === 'done' || m.type === 'failed') {
        clearTimeout(timer);
        Object.assign(result, { status: m.type, ms: m.ms, error: m.error ?? null });
        worker.terminate();
        resolve(result);
      }
    });
    worker.on('error', (err) => {
      clearTimeout(timer);
      Object.assign(result, { status: 'failed', ms: performance.now() - t0, error: { name: err.name, message: err.message } });
      resolve(result);
    });
  });
}

// ---- the worker thread: one block, one fresh engine ---------------------------------------
async function workerMain({ code, knobs, seed, language, child = null }) {
  const { loadGL } = await import('../src/api/gl.js');
  const { Outbox } = await import('../src/runner/outbox.js');
  const { makeCellGlobals } = await import('../src/runner/cell-globals.js');
  const { READER_PARAMS, compileExperiment, locateError, wrapperLineOffset } = await import('../src/runner/source.js');
  const { parallelContext } = await import('../src/runner/parallel.js');
  const enginePath = path.join(engineDir, 'gradlab-engine.mjs');
  // Emscripten 3.1.6's ES-module output reaches for CommonJS globals under Node,
  // and its loader would fetch() a file path: hand it the bytes (TOOLCHAIN.md item 3).
  globalThis.require ??= createRequire(import.meta.url);
  globalThis.__dirname ??= engineDir;
  const gl = await loadGL({ engineURL: pathToFileURL(enginePath), wasmBinary: fs.readFileSync(enginePath.replace(/\.mjs$/, '.wasm')) });
  for (const name of ['fetch', 'XMLHttpRequest', 'WebSocket', 'EventSource']) {
    globalThis[name] = () => {
      throw new Error(`${name} is not available in an experiment: gradlab's experiments run without a network`);
    }; // as in the lab's worker
  }
  const outbox = new Outbox((items) => parentPort.postMessage({ type: 'output', items }));
  if (language === 'python') {
    await runPythonBlock({ gl, outbox, code, knobs, seed, makeCellGlobals });
    return;
  }
  const lineOffset = await wrapperLineOffset();
  const t0 = performance.now();
  try {
    const experiment = compileExperiment(code);
    gl.manualSeed(seed);
    // parallel(): a worker thread of this file per item, as the page's worker starts one per item.
    const spawn = (item) => {
      const thread = new Worker(fileURLToPath(import.meta.url), { workerData: { code, knobs, seed, language, child: item } });
      return { on: (type, listener) => thread.on(type, listener), terminate: () => thread.terminate() };
    };
    const context = parallelContext({
      outbox,
      spawn,
      cores: GRADLAB_CORES,
      child: child ? { ...child, post: (m) => parentPort.postMessage(m) } : null,
    });
    const g = makeCellGlobals({ outbox: context.outbox, knobs, seed, parallel: context.parallel });
    await experiment(...READER_PARAMS.map((name) => (name === 'gl' ? gl : g[name])));
    outbox.flush();
    parentPort.postMessage({ type: 'done', ms: performance.now() - t0 });
  } catch (thrown) {
    outbox.flush();
    const e = locateError(thrown, lineOffset);
    parentPort.postMessage({
      type: 'failed',
      ms: performance.now() - t0,
      error: { name: e.name, message: e.message, line: e.line, column: e.column, trace: e.trace },
    });
  }
}

// A Python version: Pyodide (npm) with the lab's .py files, prepared as the page's worker does.
async function runPythonBlock({ gl, outbox, code, knobs, seed, makeCellGlobals }) {
  // from a snapshot of Pyodide just started, as the page on a later visit (pyodide-start.mjs)
  const { startPyodide } = await import('./pyodide-start.mjs');
  const { preparePython, runPython } = await import('../src/python/runtime.js');
  const { labPythonFiles } = await import('./python-plugin.mjs');
  const pyodide = await startPyodide();
  const cell = makeCellGlobals({ outbox, knobs, seed });
  await preparePython(pyodide, { gl, cell, files: labPythonFiles(path.join(root, 'web/src/python')) });
  const t0 = performance.now();
  try {
    gl.manualSeed(seed);
    await runPython(pyodide, code);
    outbox.flush();
    parentPort.postMessage({ type: 'done', ms: performance.now() - t0 });
  } catch (e) {
    outbox.flush();
    parentPort.postMessage({
      type: 'failed',
      ms: performance.now() - t0,
      error: { name: e.name, message: e.message, line: e.line ?? null, column: e.column ?? null, trace: e.trace ?? [] },
    });
  }
}

// ---- the command line ---------------------------------------------------------------------
function parseArgs(argv) {
  const o = { files: [], knobs: {}, cell: null, language: null, seed: null, timeout: 120, print: false, json: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--cell') o.cell = argv[++i];
    else if (a === '--language') o.language = argv[++i];
    else if (a === '--seed') o.seed = Number(argv[++i]);
    else if (a === '--timeout') o.timeout = Number(argv[++i]);
    else if (a === '--print') o.print = true;
    else if (a === '--json') o.json = true;
    else if (a === '--knob') {
      const [label, ...rest] = argv[++i].split('=');
      const text = rest.join('=');
      o.knobs[label] = text === 'true' ? true : text === 'false' ? false : text !== '' && Number.isFinite(Number(text)) ? Number(text) : text;
    } else if (a === '--help' || a === '-h') {
      console.log(fs.readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(1, 19).map((l) => l.replace(/^\/\/ ?/, '')).join('\n'));
      process.exit(0);
    } else o.files.push(a);
  }
  return o;
}

function describePlot(p) {
  if (p.kind === 'heatmap') return `heatmap ${p.z.length}×${p.z[0].length}`;
  if (p.kind === 'histogram') return `histogram of ${p.series.length} series, ${p.edges.length - 1} bins`;
  return `line: ${p.series.map((s) => `${s.name} (${s.values.length})`).join(', ')}${p.logY ? ', log y' : ''}`;
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  if (!fs.existsSync(path.join(engineDir, 'gradlab-engine.wasm'))) {
    console.error(`no built engine in ${engineDir}: run \`npm run setup\` first`);
    process.exit(2);
  }
  let failures = 0;
  for (const chapter of loadChapters(o.files.length ? o.files : null)) {
    for (const block of chapter.cells) {
      if (o.cell && block.id !== o.cell) continue;
      for (const [language, code] of Object.entries(block.versions ?? { js: block.code })) {
        if (o.language && language !== o.language) continue;
        const version = { ...block, code, language };
        failures += await report(chapter, version, o);
      }
    }
  }
  process.exitCode = failures ? 1 : 0; // not exit(): let a piped stdout drain
}

/** Runs one version of a block and prints what it did; returns 1 if it failed, else 0. */
async function report(chapter, block, o) {
  const r = await runBlock(block, { knobs: o.knobs, seed: o.seed ?? block.seed, timeoutMs: o.timeout * 1000 });
  const failed = r.status === 'done' ? 0 : 1;
  if (o.json) {
    console.log(JSON.stringify({ chapter: `${chapter.lang}/${chapter.slug}`, cell: block.id, language: block.language, ...r, plots: Object.fromEntries(r.plots) }));
    return failed;
  }
  const where = `${chapter.lang}/${chapter.slug} #${block.id}${block.language === 'python' ? ' (Python)' : ''}`;
  console.log(`${failed ? 'FAIL' : 'ok  '} ${where}: ${r.status} in ${(r.ms / 1000).toFixed(2)} s`);
  const shown = o.print ? r.prints : r.prints.slice(-3);
  if (!o.print && r.prints.length > 3) console.log(`       … ${r.prints.length - 3} earlier lines`);
  for (const p of shown) console.log(`       ${p.level === 'log' ? '' : `${p.level}: `}${p.text.replace(/\n/g, '\n       ')}`);
  for (const p of r.plots.values()) console.log(`       plot "${p.id}": ${describePlot(p)}${p.dropped ? `, ${p.dropped} values not drawn` : ''}`);
  if (r.error) {
    const at = r.error.line != null ? ` (line ${r.error.line}${r.error.column != null ? `, col ${r.error.column}` : ''})` : '';
    console.log(`       ${r.error.name}: ${r.error.message}${at}`);
  }
  return failed;
}

if (!isMainThread) workerMain(workerData);
else if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
