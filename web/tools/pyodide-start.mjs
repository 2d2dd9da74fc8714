// Pyodide's start in Node (the wasm tests, check-chapters.mjs), as the page starts it on a
// later visit (runner/pyodide-loader.js): from a memory snapshot of Pyodide just started (no lab
// file, no reader code). A fresh start takes 4-5 s of CPU here, one from the snapshot 0.4 s; the
// wasm suite starts Python in about twenty processes. The snapshot is kept in
// build/pyodide-snapshot/, named by Pyodide's and Node's versions; the first process to need it
// makes it (written whole, then renamed, so another process never reads half of one), and one
// that does not load is made again.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { loadPyodide } from 'pyodide';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const version = JSON.parse(fs.readFileSync(createRequire(import.meta.url).resolve('pyodide/package.json'), 'utf8')).version;
const file = path.join(root, 'build/pyodide-snapshot', `pyodide-${version}-node-${process.versions.node}.bin`);
let kept = null; // this process's copy

/** A started Pyodide; `options` as loadPyodide's (stdout, stderr, ...). */
export async function startPyodide(options = {}) {
  kept ??= readSnapshot();
  if (kept) {
    try {
      return await loadPyodide({ ...options, _loadSnapshot: kept });
    } catch {
      kept = null; // made by another build of either: made again below
    }
  }
  const pyodide = await loadPyodide({ ...options, _makeSnapshot: true });
  kept = pyodide.makeMemorySnapshot().slice(); // a copy, not a view of the wasm memory
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}`;
    fs.writeFileSync(tmp, kept);
    fs.renameSync(tmp, file);
  } catch {
    // a read-only checkout: every process starts afresh, as before
  }
  return pyodide;
}

function readSnapshot() {
  try {
    return new Uint8Array(fs.readFileSync(file));
  } catch {
    return null;
  }
}
