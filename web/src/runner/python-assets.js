// Pyodide and the lab's Python packages, fetched by the page once, when a Python cell first
// runs (a page of JavaScript cells never asks for them), with the bytes counted as they come
// so that the cell can show how far the download is. The sandbox frame gets the bytes
// (sandbox.js); what the build put where comes from tools/python-plugin.mjs.
import { files as PYTHON_FILES } from 'virtual:gradlab-python';

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
