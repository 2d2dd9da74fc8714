// The body of memory-budget.test.mjs's "tensors the GC collected give their bytes back", run in a
// worker thread of its own. There only this code schedules work on the
// thread's event loop: in the test runner's own process Node sometimes skips clearing the objects
// a new WeakRef keeps alive until the end of its job (it does so only when no process.nextTick is
// pending), and gl.js makes a WeakRef per tensor, so nothing was ever collected there (seen in 1
// of 3 runs beside another busy test file).
import v8 from 'node:v8';
import vm from 'node:vm';
import { parentPort, workerData } from 'node:worker_threads';
import { loadEngine } from './load-engine.mjs';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc');
const gl = await loadEngine('simd', { memoryBudget: workerData.budget });
const known = () => gl.tensor([[1, 2], [3, 4]]).matmul(gl.ones([2, 1])).sum().item();
// Collect, then let the finalizers run (between tasks, not all in one): until what is counted is
// under one tensor, or 2000 rounds.
const settle = async () => {
  for (let k = 0; k < 2000 && gl.memory().tensorBytes >= 4e6; k++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};
try {
  for (let i = 0; i < 60; i++) {
    gl.randn([1000, 1000]).sum().item(); // dropped on the floor: 240 MB in all, 16 MB between settles
    if (i % 4 === 3) await settle();
  }
  await settle();
  parentPort.postMessage({ bytes: gl.memory().tensorBytes, known: known() });
} catch (err) {
  parentPort.postMessage({ error: err.message });
}
