// Pyodide and the lab's Python packages, fetched by the page once, when a Python cell first
// runs (a page of JavaScript cells never asks for them), with the bytes counted as they come
// so that the cell can show how far the download is. The sandbox frame gets the bytes
// (sandbox.js); what the build put where comes from tools/python-plugin.mjs.
import { files as PYTHON_FILES, snapshotKey } from 'virtual:gradlab-python';

/** Bytes a first Python run downloads. */
export const PYTHON_BYTES = PYTHON_FILES.reduce((sum, f) => sum + f.bytes, 0);

const listeners = new Set();
let progress = { loaded: 0, total: PYTHON_BYTES, done: false };

/** listener({ loaded, total, done }) on every step of the download; returns an unsubscribe function. */
export function onPythonDownload(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function report(loaded) {
  progress = { loaded, total: PYTHON_BYTES, done: loaded >= PYTHON_BYTES };
  for (const listener of listeners) listener(progress);
}

async function fetchCounting(url, name, count) {
  let response;
  try {
    response = await fetch(url);
  } catch (err) {
    throw new Error(`could not download ${name} for Python cells (${err.message})`);
  }
  if (!response.ok) throw new Error(`could not download ${name} for Python cells (HTTP ${response.status})`);
  if (!response.body) {
    const bytes = await response.arrayBuffer();
    count(bytes.byteLength);
    return bytes;
  }
  const reader = response.body.getReader();
  const chunks = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
    count(value.byteLength);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return bytes.buffer;
}

/**
 * Resolves to { 'pyodide.mjs': ArrayBuffer, ..., 'lab.json': ArrayBuffer }. The sandbox calls it
 * once per page and hands (transfers) the bytes to its frame. URLs are resolved against baseURI.
 */
export async function loadPythonAssets(baseURI) {
  let loaded = 0;
  report(0);
  const count = (n) => {
    loaded += n;
    report(Math.min(loaded, PYTHON_BYTES));
  };
  const entries = await Promise.all(
    PYTHON_FILES.map(async (f) => [f.name, await fetchCounting(new URL(f.path, baseURI).href, f.path, count)]),
  );
  report(PYTHON_BYTES);
  return Object.fromEntries(entries);
}

// A memory snapshot of Pyodide just started (made in the sandbox by the page's first Python
// worker, before any reader code ran there), kept in the site's Cache Storage, gzipped (31 MB,
// ~7 MB stored), so that the first Python run of a later visit starts from it in a fraction
// of a second instead of seconds. Keyed by the build of Pyodide (python-plugin.mjs); the cache's
// name does not start with 'gradlab-', whose caches the service worker replaces on update.
const SNAPSHOT_CACHE = 'pyodide-snapshot';
const MAX_SNAPSHOT_BYTES = 128 * 1024 * 1024;
const snapshotURL = () => new URL(`./pyodide-snapshot/${snapshotKey}`, location.href).href;

/** The snapshot kept for this build of Pyodide (a Uint8Array), or null. Never throws. */
export async function loadPythonSnapshot() {
  try {
    if (typeof caches === 'undefined' || typeof DecompressionStream === 'undefined') return null;
    const response = await (await caches.open(SNAPSHOT_CACHE)).match(snapshotURL());
    if (!response?.body) return null;
    const bytes = new Uint8Array(await new Response(response.body.pipeThrough(new DecompressionStream('gzip'))).arrayBuffer());
    return bytes.byteLength > 0 && bytes.byteLength <= MAX_SNAPSHOT_BYTES ? bytes : null;
  } catch {
    return null;
  }
}

/** Keeps `bytes` as the snapshot of this build of Pyodide (and drops those of other builds); resolves when done or given up. */
export async function savePythonSnapshot(bytes) {
  try {
    if (typeof caches === 'undefined' || typeof CompressionStream === 'undefined') return;
    if (!(bytes instanceof Uint8Array) || bytes.byteLength === 0 || bytes.byteLength > MAX_SNAPSHOT_BYTES) return;
    const gz = await new Response(new Blob([bytes]).stream().pipeThrough(new CompressionStream('gzip'))).arrayBuffer();
    const cache = await caches.open(SNAPSHOT_CACHE);
    for (const request of await cache.keys()) if (request.url !== snapshotURL()) await cache.delete(request);
    await cache.put(snapshotURL(), new Response(gz, { headers: { 'Content-Type': 'application/gzip' } }));
  } catch {
    // no room, or storage refused: the next visit starts Pyodide from scratch
  }
}
