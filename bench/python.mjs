// What Python costs: the same small ops and the same article-sized training run from a Python
// cell (Pyodide + the lab's `torch` package), from JavaScript (gl) and natively (C++), in one
// run; then the training run and a fresh profile's first Python run in Chromium (the built site).
//   node bench/python.mjs [--quick] [--no-browser]
// Needs the built engine and site (`npm run setup`). Not run by CI; numbers are noisy (±15-30%
// on a shared machine): read the ratios.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import LZString from 'lz-string';
import { loadPython } from '../tests/wasm/python-harness.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const quick = process.argv.includes('--quick');
const browser = !process.argv.includes('--no-browser');
const log = (...a) => console.error('[bench]', ...a);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const REPS = quick ? 2000 : 20000;
const EPOCHS = quick ? 1 : 5;

// ---- one small op: native, JS, Python -----------------------------------------------------
function nativeOps() {
  const env = { ...process.env, NODE_PATH: '/usr/share/nodejs' };
  execFileSync('cmake', ['--build', 'build/native', '--target', 'gradlab_bench'], { cwd: root, env, stdio: 'ignore' });
  const out = execFileSync(path.join(root, 'build/native/gradlab-bench'), ['op'], { encoding: 'utf8' });
  return Object.fromEntries(out.trim().split('\n').map((l) => JSON.parse(l)).map((r) => [r.op, r.us]));
}

function jsOps(gl) {
  const a = gl.randn([32, 30]), b = gl.randn([30, 20]), c = gl.randn([32, 20]);
  const perCall = (fn) => median(Array.from({ length: 5 }, () => {
    const t0 = performance.now();
    for (let r = 0; r < REPS; r++) fn();
    return ((performance.now() - t0) * 1000) / REPS;
  }));
  // As a JS loop usually runs (results left to the GC, which JS runs between tasks only, so the
  // engine spills them: gl.js) and as it runs when it frees each result (what Python's
  // reference counting does for the torch package).
  return {
    kept: { 'matmul 32x30 . 30x20': perCall(() => a.matmul(b)), 'sigmoid 32x20': perCall(() => c.sigmoid()) },
    freed: { 'matmul 32x30 . 30x20': perCall(() => a.matmul(b).dispose()), 'sigmoid 32x20': perCall(() => c.sigmoid().dispose()) },
  };
}

const PY_OPS = `
import time, torch
a = torch.randn(32, 30); b = torch.randn(30, 20); c = torch.randn(32, 20)
def per_call(fn, reps=${REPS}):
    rounds = []
    for _ in range(5):
        t0 = time.perf_counter()
        for _ in range(reps):
            fn()
        rounds.append((time.perf_counter() - t0) * 1e6 / reps)
    return sorted(rounds)[2]
print(per_call(lambda: a @ b))
print(per_call(lambda: torch.sigmoid(c)))
`;

// ---- the article-sized run: an LSTM cell unrolled by hand, and the same model fused ----------
// T = 50, batch 32, 1000 samples of random binary labels, EPOCHS epochs, Adam: the shape of the
// articles' classifiers. Prints the seconds of each variant, for Node and for a page alike.
const RUN = `
import time, torch
import torch.nn as nn
torch.manual_seed(0)
N, T, D, H, B = 1000, 50, 10, 20, 32
x = torch.randn(N, T, D)
y = torch.randint(0, 2, (N,)).float()

class HandLSTM(nn.Module):
    def __init__(self):
        super().__init__()
        self.gates = nn.Linear(D + H, 4 * H)
        self.head = nn.Linear(H, 1)
    def forward(self, xs):
        h = torch.zeros(xs.size(0), H)
        c = torch.zeros(xs.size(0), H)
        for t in range(xs.size(1)):
            z = self.gates(torch.cat([xs[:, t, :], h], dim=1))
            i, f, g, o = z.chunk(4, dim=1)
            c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
            h = torch.sigmoid(o) * torch.tanh(c)
        return self.head(h).squeeze(1)

class FusedLSTM(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(D, H, batch_first=True)
        self.head = nn.Linear(H, 1)
    def forward(self, xs):
        out, _ = self.lstm(xs)
        return self.head(out[:, -1, :]).squeeze(1)

for name, model in [('hand', HandLSTM()), ('fused', FusedLSTM())]:
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.BCEWithLogitsLoss()
    t0 = time.perf_counter()
    for epoch in range(${EPOCHS}):
        for s in range(0, N, B):
            opt.zero_grad()
            loss = loss_fn(model(x[s:s + B]), y[s:s + B])
            loss.backward()
            opt.step()
    print(f'{name} {time.perf_counter() - t0:.3f} {loss.item():.4f}')
`;

const parseRun = (text) => Object.fromEntries([...text.matchAll(/(hand|fused) (\d+\.\d+) (\d+\.\d+)/g)].map(([, n, s, l]) => [n, { s: Number(s), loss: Number(l) }]));

log('native ops');
const native = nativeOps();
log('Pyodide in Node');
const t0 = performance.now();
const py = await loadPython();
const pyStartMs = performance.now() - t0;
log('JS ops');
const js = jsOps(py.gl);
log('Python ops');
const opsRun = await py.run(PY_OPS);
if (opsRun.error) throw opsRun.error;
const [pyMatmul, pySigmoid] = opsRun.lines.map(Number);
const python = { 'matmul 32x30 . 30x20': pyMatmul, 'sigmoid 32x20': pySigmoid };
log('the training run in Node');
const nodeRun = await py.run(RUN);
if (nodeRun.error) throw nodeRun.error;
const nodeTimes = parseRun(nodeRun.output);

let page = null;
if (browser) {
  log('the training run and Pyodide start in Chromium');
  const { startLab, newPage, waitForRunEnd, consoleText } = await import('../tests/e2e/browser.mjs');
  const lab = await startLab({ browser: 'chromium' }); // the whole browser, as a reader has it
  try {
    const opened = await newPage(lab);
    const link = (code) => `${lab.url}#lang=en&chapter=lstm-cell&cell=lstm-cell&language=python&code=${LZString.compressToEncodedURIComponent(code)}`;
    const started = Date.now();
    await opened.page.goto(link("print('ready')"));
    if ((await waitForRunEnd(opened.page, 1, 120_000)) !== 'done') throw new Error(await consoleText(opened.page));
    const coldMs = Date.now() - started;
    await opened.page.evaluate((code) => window.gradlab.cells['lstm-cell'].editor.setCode(code), RUN);
    await opened.page.click('#cell-lstm-cell [data-action="run"]');
    if ((await waitForRunEnd(opened.page, 2, 600_000)) !== 'done') throw new Error(await consoleText(opened.page));
    const text = await consoleText(opened.page);
    page = { coldMs, times: parseRun(text) };
  } finally {
    await lab.close();
  }
}

const f = (v, d = 1) => (v == null ? '–' : v.toFixed(d));
console.log(`\nµs per call of one small op on tensors that need no gradient (median of 5 × ${REPS} calls)`);
console.log('\n| op | native C++ | JS (gl, wasm in Node), result left to the GC | JS, result disposed | Python (torch, Pyodide in Node) | Python ÷ JS disposed |');
console.log('|---|---:|---:|---:|---:|---:|');
for (const op of Object.keys(native)) console.log(`| ${op} | ${f(native[op])} | ${f(js.kept[op])} | ${f(js.freed[op])} | ${f(python[op])} | ${f(python[op] / js.freed[op])}× |`);
console.log(`\nAn LSTM classifier, T = 50, batch 32, 1000 samples, ${EPOCHS} epoch(s), Adam, from Python: seconds`);
console.log('\n| model | Node | Chromium |');
console.log('|---|---:|---:|');
for (const [name, label] of [['hand', 'LSTM cell unrolled by hand (nn.Linear gates, torch ops per step)'], ['fused', 'nn.LSTM (one engine call per sequence)']]) {
  console.log(`| ${label} | ${f(nodeTimes[name]?.s, 2)} | ${f(page?.times[name]?.s, 2)} |`);
}
console.log(`\nPyodide + the lab's packages + the engine, ready in Node: ${(pyStartMs / 1000).toFixed(1)} s`);
if (page) console.log(`Chromium, a fresh profile's first Python run (download + start + run): ${(page.coldMs / 1000).toFixed(1)} s; later visits: README, Python cells`);
console.log(`\nNode ${process.version}, ${new Date().toISOString().slice(0, 10)}`);
