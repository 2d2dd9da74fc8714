// One command, one run, one table: ms per training step for gradlab (native, and wasm in
// Node through the same JS API the page uses) beside TensorFlow.js in Node (wasm and cpu
// backends), and the sgemm GFLOP/s of gradlab's kernels.
//   node bench/run.mjs [--quick]      (--quick: fewer configurations, for a smoke test)
// Not run by CI. Numbers are noisy (±15-30% on a shared machine): read the ratios.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { loadEngine } from '../tests/wasm/load-engine.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const quick = process.argv.includes('--quick');
const WARMUP = 3, STEPS = quick ? 5 : 10;
const CONFIGS = [
  { model: 'lstm', B: 32, T: 100, D: 32, H: 128 },
  { model: 'gru', B: 32, T: 100, D: 32, H: 128 },
  { model: 'rnn', B: 32, T: 100, D: 32, H: 128 },
  { model: 'lstm', B: 32, T: 50, D: 10, H: 20 }, // the article's LSTM cell size
].slice(0, quick ? 1 : 4);

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const log = (...a) => console.error('[bench]', ...a);

function build() {
  const env = { ...process.env, NODE_PATH: '/usr/share/nodejs' };
  log('building the native and wasm bench programs');
  execFileSync('cmake', ['--build', 'build/native', '--target', 'gradlab_bench'], { cwd: root, env, stdio: 'ignore' });
  execFileSync('cmake', ['--build', 'build/wasm', '--target', 'gradlab_bench'], { cwd: root, env, stdio: 'ignore' });
}
function jsonLines(cmd, args) {
  try {
    return execFileSync(cmd, args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
      .trim().split('\n').map((l) => JSON.parse(l));
  } catch (e) {
    throw new Error(`${path.basename(args.find((a) => a.includes('gradlab-bench')) ?? cmd)} ${args.filter((a) => !a.includes('/') && !a.startsWith('--')).join(' ')} failed: ${String(e.stderr ?? e.message).slice(-400)}`);
  }
}
const native = (...args) => jsonLines(path.join(root, 'build/native/gradlab-bench'), args);
// Emscripten 3.1.6's loader would fetch() the .wasm by file path under Node 20 (see TOOLCHAIN notes in README)
const wasmCli = (...args) =>
  jsonLines(process.execPath, ['--no-experimental-fetch', path.join(root, 'build/wasm/gradlab-bench.cjs'), ...args]);

// gradlab wasm in Node, through gl (what the page runs)
async function glStep(gl, { model, B, T, D, H }) {
  gl.manualSeed(0);
  const Layer = { lstm: gl.nn.LSTM, gru: gl.nn.GRU, rnn: gl.nn.RNN }[model];
  const layer = new Layer(D, H), head = new gl.nn.Linear(H, 1);
  const opt = new gl.optim.Adam([...layer.parameters(), ...head.parameters()], { lr: 1e-3 });
  const x = gl.randn([B, T, D]), y = gl.randn([B, 1]);
  const times = [];
  for (let s = 0; s < WARMUP + STEPS; s++) {
    const t0 = performance.now();
    gl.tidy(() => {
      opt.zeroGrad();
      const [out] = layer.forward(x);
      const loss = gl.nn.functional.mseLoss(head.forward(out.select(1, T - 1)), y);
      loss.backward();
      opt.step();
    });
    if (s >= WARMUP) times.push(performance.now() - t0);
  }
  return median(times);
}

// TensorFlow.js: the same model, one model.trainOnBatch per step
async function tfStep(backend, { model, B, T, D, H }) {
  await tf.setBackend(backend);
  await tf.ready();
  tf.randomNormal([1]).dispose();
  const rnnLayer = {
    lstm: () => tf.layers.lstm({ units: H, recurrentActivation: 'sigmoid', inputShape: [T, D] }),
    gru: () => tf.layers.gru({ units: H, recurrentActivation: 'sigmoid', inputShape: [T, D] }),
    rnn: () => tf.layers.simpleRNN({ units: H, activation: 'tanh', inputShape: [T, D] }),
  }[model]();
  const net = tf.sequential({ layers: [rnnLayer, tf.layers.dense({ units: 1 })] });
  net.compile({ optimizer: tf.train.adam(1e-3), loss: 'meanSquaredError' });
  const x = tf.randomNormal([B, T, D]), y = tf.randomNormal([B, 1]);
  const times = [];
  for (let s = 0; s < WARMUP + STEPS; s++) {
    const t0 = performance.now();
    await net.trainOnBatch(x, y);
    if (s >= WARMUP) times.push(performance.now() - t0);
  }
  net.dispose();
  x.dispose();
  y.dispose();
  return median(times);
}

build();
const gl = await loadEngine();
const rows = [];
for (const c of CONFIGS) {
  const label = `${c.model.toUpperCase()} B=${c.B} T=${c.T} D=${c.D} H=${c.H}`;
  log(label);
  const nat = native('step', c.model, c.B, c.T, c.D, c.H)[0];
  const wasmCpp = wasmCli('step', c.model, c.B, c.T, c.D, c.H)[0];
  const wasmGl = await glStep(gl, c);
  const tfWasm = await tfStep('wasm', c);
  const tfCpu = await tfStep('cpu', c);
  rows.push({ label, nat, wasmCpp, wasmGl, tfWasm, tfCpu });
}
const gemmNative = native('gemm');
const gemmWasm = wasmCli('gemm');

const f = (ms) => (ms >= 100 ? ms.toFixed(0) : ms.toFixed(1));
const r = (a, b) => (b / a).toFixed(1);
console.log(`\nms per training step (median of ${STEPS}, after ${WARMUP} warm-up): recurrent layer -> Dense(1) on the last h -> MSE -> backward -> Adam`);
console.log('\n| model | gradlab native | gradlab wasm (Node) | TF.js wasm | TF.js cpu | TF.js wasm ÷ gradlab wasm |');
console.log('|---|---:|---:|---:|---:|---:|');
for (const x of rows) console.log(`| ${x.label} | ${f(x.nat.ms)} | ${f(x.wasmGl)} | ${f(x.tfWasm)} | ${f(x.tfCpu)} | ${r(x.wasmGl, x.tfWasm)}× |`);
console.log('\nforward vs backward + Adam, ms (gradlab C++ bench; the backward does about 2x the forward\'s flops,');
console.log('so backward ÷ forward below 2 means the backward is not slower per flop)');
console.log('\n| model | native fwd | native bwd | bwd ÷ fwd | wasm fwd | wasm bwd | bwd ÷ fwd |');
console.log('|---|---:|---:|---:|---:|---:|---:|');
for (const { label, nat: n, wasmCpp: w } of rows) {
  console.log(`| ${label} | ${f(n.forward_ms)} | ${f(n.backward_ms)} | ${(n.backward_ms / n.forward_ms).toFixed(2)} | ` +
    `${f(w.forward_ms)} | ${f(w.backward_ms)} | ${(w.backward_ms / w.forward_ms).toFixed(2)} |`);
}
console.log('\nsgemm GFLOP/s, gradlab kernels (Eigen), single thread');
console.log('\n| product | native | wasm (Node) |');
console.log('|---|---:|---:|');
for (let i = 0; i < gemmWasm.length; i++) console.log(`| ${gemmWasm[i].label} | ${gemmNative[i].gflops.toFixed(1)} | ${gemmWasm[i].gflops.toFixed(1)} |`);
console.log(`\nNode ${process.version}, TF.js ${tf.version.tfjs}, ${new Date().toISOString().slice(0, 10)}`);
