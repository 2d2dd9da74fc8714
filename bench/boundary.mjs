// The JS ↔ wasm boundary (issue 16, target 5): what one gl call costs on a tiny tensor, and a
// training step of the LSTM-cell chapter's hand-written cell (tutorials/en/01-lstm-cell.md: four
// gl.nn.Linear gates over cat([x, h]), sigmoid/tanh, c = f*c + i*g, h = o*tanh(c), unrolled in a
// JS loop: 15 gl calls per time step) against the fused gl.nn.LSTM at the same size.
// Used by bench/run.mjs; the times are measured, never asserted.

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** µs per call: median of 5 rounds of `reps` calls. */
function perCall(fn, reps) {
  for (let r = 0; r < Math.min(reps, 2000); r++) fn(); // warm up (JIT, the engine's pools)
  return median(Array.from({ length: 5 }, () => {
    const t0 = performance.now();
    for (let r = 0; r < reps; r++) fn();
    return ((performance.now() - t0) * 1000) / reps;
  }));
}

/** µs per gl call on tensors that need no gradient, each result freed at once (as Python does). */
export function opCosts(gl, { reps = 20000 } = {}) {
  const a1 = gl.randn([1, 1]), b1 = gl.randn([1, 1]);
  const a32 = gl.randn([32, 32]), b32 = gl.randn([32, 32]);
  const g1 = gl.randn([1, 1]).requiresGrad_(), g32 = gl.randn([32, 32]).requiresGrad_();
  const rows = [
    ['a.add(b), 1×1, result disposed', () => a1.add(b1).dispose()],
    ['a.add(b), 32×32, result disposed', () => a32.add(b32).dispose()],
    ['gl.tidy(() => a.add(b)), 1×1, one tidy per call', () => gl.tidy(() => { a1.add(b1); })],
    ['a.add(b), 1×1, a requires grad (graph recorded), disposed', () => g1.add(b1).dispose()],
    ['a.sigmoid(), 32×32, result disposed', () => a32.sigmoid().dispose()],
    ['a.matmul(b), 32×32 · 32×32, result disposed', () => a32.matmul(b32).dispose()],
  ].map(([label, fn]) => ({ label, us: perCall(fn, reps) }));
  for (const t of [a1, b1, a32, b32, g1, g32]) t.dispose();
  return rows;
}

/** The chapter's LSTMCell, as written in 01-lstm-cell.md (forgetBias 1). */
function makeHandCell(gl, D, H) {
  class LSTMCell extends gl.nn.Module {
    constructor(inputSize, hiddenSize) {
      super();
      const gate = () => new gl.nn.Linear(inputSize + hiddenSize, hiddenSize);
      this.forgetGate = gate();
      this.inputGate = gate();
      this.candidate = gate();
      this.outputGate = gate();
    }

    forward(x, [h, c]) {
      const xh = gl.cat([x, h], 1);
      const f = this.forgetGate.forward(xh).add(1).sigmoid();
      const i = this.inputGate.forward(xh).sigmoid();
      const g = this.candidate.forward(xh).tanh();
      const o = this.outputGate.forward(xh).sigmoid();
      const cNext = f.mul(c).add(i.mul(g));
      const hNext = o.mul(cNext.tanh());
      return [hNext, cNext];
    }
  }
  return new LSTMCell(D, H);
}

/**
 * ms per training step (recurrent part -> Linear(H, 1) on the last h -> MSE -> backward -> Adam)
 * of the hand-unrolled cell and of gl.nn.LSTM, same B, T, D, H, same data.
 * Returns { hand: { ms, n }, fused: { ms, n }, callsPerStep }.
 */
export async function handVsFused(gl, { B, T, D, H }, timeSteps) {
  gl.manualSeed(0);
  const x = gl.randn([B, T, D]), y = gl.randn([B, 1]);
  const xs = Array.from({ length: T }, (_, t) => x.select(1, t).keep()); // as the chapter's loop reads them
  const cell = makeHandCell(gl, D, H), fused = new gl.nn.LSTM(D, H);
  const heads = [new gl.nn.Linear(H, 1), new gl.nn.Linear(H, 1)];
  const opts = [
    new gl.optim.Adam([...cell.parameters(), ...heads[0].parameters()], { lr: 1e-3 }),
    new gl.optim.Adam([...fused.parameters(), ...heads[1].parameters()], { lr: 1e-3 }),
  ];
  const handStep = () => gl.tidy(() => {
    opts[0].zeroGrad();
    let state = [gl.zeros([B, H]), gl.zeros([B, H])];
    for (let t = 0; t < T; t++) state = cell.forward(xs[t], state);
    gl.nn.functional.mseLoss(heads[0].forward(state[0]), y).backward();
    opts[0].step();
  });
  const fusedStep = () => gl.tidy(() => {
    opts[1].zeroGrad();
    const [out] = fused.forward(x);
    gl.nn.functional.mseLoss(heads[1].forward(out.select(1, T - 1)), y).backward();
    opts[1].step();
  });
  // gl calls of one time step of the hand cell: cat, 4 Linear.forward, add(1), 3 sigmoid,
  // 2 tanh, 3 mul, 1 add = 15 forward calls, each leaving a node for the backward.
  const callsPerStep = 15;
  const hand = await timeSteps(handStep, { warmup: 2, steps: 10, spanMs: 2000, budgetMs: 4000 });
  const fusedT = await timeSteps(fusedStep, { warmup: 3, steps: 10, spanMs: 2000, budgetMs: 4000 });
  for (const t of [x, y, ...xs]) t.dispose();
  return { hand, fused: fusedT, callsPerStep };
}
