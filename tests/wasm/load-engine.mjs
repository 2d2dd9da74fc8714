// Loads the built engine in Node for the wasm tests.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadGL } from '../../web/src/api/gl.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// GRADLAB_ENGINE_DIR points the tests at another build (a developer's side build).
const engineDir = process.env.GRADLAB_ENGINE_DIR ?? path.join(root, 'web/public/engine');

/**
 * @param {'simd'|'baseline'} variant  the SIMD engine (default) or the one without SIMD
 * @param {object} [options]  for loadGL: { memoryBudget, spillThreshold }
 */
export async function loadEngine(variant = 'simd', options = {}) {
  const enginePath = path.join(engineDir, variant === 'baseline' ? 'gradlab-engine-baseline.mjs' : 'gradlab-engine.mjs');
  if (!fs.existsSync(enginePath)) {
    throw new Error(`no built engine at ${enginePath}: run \`npm run setup\` (or npm test) first`);
  }
  // Emscripten 3.1.6's ES-module output still reaches for CommonJS globals under Node.
  globalThis.require ??= createRequire(import.meta.url);
  globalThis.__dirname ??= path.dirname(enginePath);
  // Hand over the bytes: its own loader would fetch() a file path (TOOLCHAIN.md item 3).
  const wasmBinary = fs.readFileSync(enginePath.replace(/\.mjs$/, '.wasm'));
  return loadGL({ engineURL: pathToFileURL(enginePath), wasmBinary, ...options });
}
