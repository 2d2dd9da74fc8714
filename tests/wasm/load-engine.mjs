// Loads the built engine in Node for the wasm tests.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadGL } from '../../web/src/api/gl.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// GRADLAB_ENGINE_DIR points the tests at another build (a developer's side build).
const engineDir = process.env.GRADLAB_ENGINE_DIR ?? path.join(root, 'web/public/engine');

const FILES = { simd: 'gradlab-engine.mjs', baseline: 'gradlab-engine-baseline.mjs', threads: 'gradlab-engine-threads.mjs' };

// The threaded engine's pthread worker is a CommonJS script, which Node runs as one only with a
// .cjs name (this repository's package.json says "module"): a copy beside the temp files.
function pthreadWorkerCopy(enginePath) {
  const copy = path.join(os.tmpdir(), `gradlab-${process.pid}-${path.basename(enginePath, '.mjs')}.worker.cjs`);
  if (!fs.existsSync(copy)) fs.copyFileSync(enginePath.replace(/\.mjs$/, '.worker.js'), copy);
  return copy;
}

/**
 * @param {'simd'|'baseline'|'threads'} variant  the SIMD engine (default), the one without
 *   SIMD, or the SIMD engine with threads (a pool of one Worker per core after the first)
 * @param {object} [options]  for loadGL: { memoryBudget, spillThreshold, threads }
 */
export async function loadEngine(variant = 'simd', options = {}) {
  const enginePath = path.join(engineDir, FILES[variant] ?? FILES.simd);
  if (!fs.existsSync(enginePath)) {
    throw new Error(`no built engine at ${enginePath}: run \`npm run setup\` (or npm test) first`);
  }
  // Emscripten 3.1.6's ES-module output still reaches for CommonJS globals under Node.
  globalThis.require ??= createRequire(import.meta.url);
  globalThis.__dirname ??= path.dirname(enginePath);
  // Hand over the bytes: its own loader would fetch() a file path (TOOLCHAIN.md item 3).
  const wasmBinary = fs.readFileSync(enginePath.replace(/\.mjs$/, '.wasm'));
  const threads = variant === 'threads'
    ? { workerURL: pthreadWorkerCopy(enginePath), pool: Math.max(1, os.availableParallelism() - 1) }
    : undefined;
  return loadGL({ engineURL: pathToFileURL(enginePath), wasmBinary, threads, ...options });
}
