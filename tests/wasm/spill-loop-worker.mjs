// The body of memory.test.mjs's "a synchronous loop's dropped tensors…", in a worker thread of
// its own (see gc-collect-worker.mjs): what stays of the tensors one synchronous loop made and
// dropped, measured inside that same job (no task boundary, so no finalizer has run).
import v8 from 'node:v8';
import vm from 'node:vm';
import { parentPort } from 'node:worker_threads';
import { loadEngine } from './load-engine.mjs';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc');
const MiB = 1 << 20;
const gl = await loadEngine('simd', { spillThreshold: 8 * MiB });
gc();
const before = process.memoryUsage().arrayBuffers;
// One job: 300 tensors of 2 MB each made and dropped (600 MB); gl spills them to JS
// copies every 8-16 MB of wasm heap.
let sum = 0;
for (let i = 0; i < 100; i++) sum += gl.ones([512, 1024]).mul(2).add(1).select(0, 0).sum().item();
// V8 frees the backing stores of dead ArrayBuffers after a collection, on a background thread,
// and a collection first finishes the sweeping of the one before: on a busy machine one gc() read
// 24-42 MB that a second one showed were already dead. The least of three readings, each after a
// full collection, still in the same job.
let held = Infinity;
for (let k = 0; k < 3; k++) {
  gc();
  held = Math.min(held, process.memoryUsage().arrayBuffers - before);
}
parentPort.postMessage({ held, sum, spills: gl.memory().spills });
