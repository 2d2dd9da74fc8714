// A spill (gl's move of tensor values from wasm into JS, see web/src/api/gl.js) must change
// nothing code can observe. Each test runs the same code twice, spilling everything it can
// at every marked point in one run and never in the other, and compares what it saw.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { loadEngine } from './load-engine.mjs';

let gl;
before(async () => { gl = await loadEngine(); });

const errorOf = (fn) => {
  try {
    fn();
    return null;
  } catch (e) {
    return `${e.constructor.name}: ${e.message}`;
  }
};

// Everything a tensor answers. Calls that may change the tensor (retainGrad) come last, and
// both runs make them in the same order.
function observe(t) {
  const grad = t.grad;
  return {
    shape: t.shape,
    values: Array.from(t.toArray()),
    isLeaf: t.isLeaf,
    requiresGrad: t.requiresGrad,
    op: t.op,
    grad: grad && Array.from(grad.toArray()),
    text: t.toString(),
    backward: errorOf(() => (t.numel() === 1 ? t.backward() : t.backward(gl.ones(t.shape)))),
    stopRequiringGrad: errorOf(() => { t.requiresGrad = false; }),
    retainGrad: errorOf(() => t.retainGrad()),
  };
}

// The same code, with spill() at the marked points: gl._spill() in one run, nothing in the other.
function bothRuns(scenario) {
  const runs = [false, true].map((spilling) => {
    const before = gl.memory().spills;
    const result = scenario(spilling ? () => gl._spill() : () => {});
    return { result, spills: gl.memory().spills - before };
  });
  assert.equal(runs[0].spills, 0);
  assert.ok(runs[1].spills > 0, 'the spilling run did not spill');
  return runs.map((r) => r.result);
}

test('after backward and a spill, every tensor answers as without the spill', () => {
  const [plain, spilled] = bothRuns((spill) => {
    gl.manualSeed(3);
    const W = gl.randn([4, 3], { requiresGrad: true });
    const x = gl.randn([2, 4]);                           // a leaf without grad
    const scaled = x.mul(0.5);                            // op mul, yet a leaf: nothing requires grad
    const h = x.matmul(W).tanh();                         // an intermediate that keeps its grad
    h.retainGrad();
    const z = h.mul(2);                                   // an intermediate that does not
    const loss = z.sum();
    const frozen = gl.noGrad(() => x.matmul(W).relu());   // made under noGrad: op relu, a leaf
    loss.backward();
    spill();
    const seen = { x: observe(x), scaled: observe(scaled), h: observe(h), z: observe(z), loss: observe(loss), frozen: observe(frozen) };
    spill();
    seen.W = { grad: Array.from(W.grad.toArray()), isLeaf: W.isLeaf, requiresGrad: W.requiresGrad };
    return seen;
  });
  for (const name of Object.keys(plain)) {
    assert.deepEqual(spilled[name], plain[name], `${name} differs after a spill`);
  }
  // and the run without spills says what PyTorch says
  assert.equal(plain.h.isLeaf, false);
  assert.equal(plain.h.requiresGrad, true);
  assert.match(plain.loss.backward, /already freed by an earlier backward/);
  assert.equal(plain.scaled.op, 'mul');
});

test('zeroGrad on a spilled intermediate zeroes its retained grad', () => {
  const [plain, spilled] = bothRuns((spill) => {
    gl.manualSeed(4);
    const W = gl.randn([3, 3], { requiresGrad: true });
    const h = gl.randn([5, 3]).matmul(W).sigmoid();
    h.retainGrad();
    h.square().mean().backward();
    spill();
    const before = Array.from(h.grad.toArray());
    h.zeroGrad();
    spill();
    return { before, after: Array.from(h.grad.toArray()), again: errorOf(() => h.zeroGrad()) };
  });
  assert.deepEqual(spilled, plain);
  assert.ok(plain.before.some((g) => g !== 0));
  assert.ok(plain.after.every((g) => g === 0));
});

test('clearGrad on a spilled intermediate drops its retained grad', () => {
  const [plain, spilled] = bothRuns((spill) => {
    gl.manualSeed(4);
    const W = gl.randn([3, 3], { requiresGrad: true });
    const h = gl.randn([5, 3]).matmul(W).sigmoid();
    h.retainGrad();
    h.square().mean().backward();
    spill();
    const had = h.grad !== null;
    h.clearGrad();
    spill();
    return { had, after: h.grad };
  });
  assert.deepEqual(spilled, plain);
  assert.deepEqual(plain, { had: true, after: null });
});

test('a second backward through a spilled graph raises the same error', () => {
  const [plain, spilled] = bothRuns((spill) => {
    gl.manualSeed(5);
    const W = gl.randn([3, 3], { requiresGrad: true });
    const loss = gl.randn([2, 3]).matmul(W).tanh().sum();
    loss.backward();
    spill();
    const second = errorOf(() => loss.backward());
    spill();
    return { second, third: errorOf(() => loss.backward()), grad: Array.from(W.grad.toArray()) };
  });
  assert.deepEqual(spilled, plain);
  assert.match(plain.second, /^Error: backward: the graph through a tensor made by sum was already freed/);
});

test('a fused layer\'s h_n, whose graph died with the output\'s backward, answers as before a spill', () => {
  const [plain, spilled] = bothRuns((spill) => {
    gl.manualSeed(6);
    const lstm = new gl.nn.LSTM(2, 4);
    const [out, [hN, cN]] = lstm.forward(gl.randn([3, 5, 2]));
    out.sum().backward(); // h_n's graph shares the node this backward freed
    spill();
    return { hN: observe(hN), cN: observe(cN) };
  });
  assert.deepEqual(spilled, plain);
  assert.equal(plain.hN.isLeaf, false);
  assert.match(plain.hN.backward, /already freed/);
});

test('a spent tensor carried into the next step still refuses backward after a spill', () => {
  // The mistake detach() exists for: h from step 1 feeds step 2. PyTorch refuses step 2's
  // backward; so does gl, spilled or not.
  const [plain, spilled] = bothRuns((spill) => {
    gl.manualSeed(7);
    const W = gl.randn([3, 3], { requiresGrad: true });
    let h = gl.zeros([2, 3]);
    const errors = [];
    for (let step = 0; step < 3; step++) {
      h = gl.randn([2, 3]).add(h.matmul(W)).tanh();
      spill();
      errors.push(errorOf(() => h.sum().backward()));
      spill();
    }
    return { errors, grad: Array.from(W.grad.toArray()), requiresGrad: h.requiresGrad, isLeaf: h.isLeaf };
  });
  assert.equal(plain.errors[0], null);
  assert.match(plain.errors[1], /already freed/);
  assert.deepEqual(spilled.grad, plain.grad);
  assert.equal(spilled.requiresGrad, plain.requiresGrad);
  assert.equal(spilled.isLeaf, plain.isLeaf);
  assert.deepEqual(spilled.errors.map((e) => e?.replace(/made by \w+/, 'made by …')),
    plain.errors.map((e) => e?.replace(/made by \w+/, 'made by …')));
});

test('a spill under noGrad brings tensors back with their graph state', () => {
  const [plain, spilled] = bothRuns((spill) => {
    gl.manualSeed(8);
    const W = gl.randn([2, 2], { requiresGrad: true });
    const h = gl.randn([2, 2]).matmul(W);
    h.sum().backward();
    spill();
    return gl.noGrad(() => ({ h: { isLeaf: h.isLeaf, requiresGrad: h.requiresGrad, op: h.op }, twice: h.mul(2).requiresGrad }));
  });
  assert.deepEqual(spilled, plain);
});

test('makeGL spillThreshold: a low threshold spills on its own, and training gives the same numbers', async () => {
  const train = (g) => {
    g.manualSeed(11);
    const model = new g.nn.Linear(8, 8);
    const opt = new g.optim.SGD(model.parameters(), { lr: 0.1 });
    const x = g.randn([16, 8]), y = g.randn([16, 8]);
    const losses = [];
    for (let step = 0; step < 300; step++) {
      opt.zeroGrad();
      const loss = g.nn.functional.mseLoss(model.forward(x).tanh(), y);
      loss.backward();
      opt.step();
      losses.push(loss.item());
    }
    return { losses, x: Array.from(x.toArray()), spills: g.memory().spills };
  };
  const eager = await loadEngine('simd', { spillThreshold: 1 });
  const a = train(gl), b = train(eager);
  assert.ok(b.spills >= 3, `spillThreshold: 1 spilled ${b.spills} times`);
  assert.deepEqual(b.losses, a.losses);
  assert.deepEqual(b.x, a.x);
});

test('a spill while an op brings its spilled inputs back never frees one of them', async () => {
  // gl.cat revives 600 spilled tensors one after the other: the heap doubles on the way, and
  // the spill that follows must leave the op's inputs alone
  const eager = await loadEngine('simd', { spillThreshold: 1 });
  const xs = Array.from({ length: 600 }, (_, i) => eager.full([10000], i));
  eager._spill();
  const before = eager.memory().spills;
  const values = eager.cat(xs).toArray();
  assert.ok(eager.memory().spills > before, 'no spill during cat');
  for (let i = 0; i < 600; i++) assert.equal(values[i * 10000], i, `input ${i}`);
});

// A layer that makes tensors of its own (MultiheadAttention's (T, B, E) -> (B, T, E) copies) and
// then hands several handles to the engine: making the later copies may spill the earlier ones,
// whose handles were already taken (seen as "Cannot pass deleted object" under noGrad, where
// nothing has a pending graph to keep it).
test('MultiheadAttention (batchFirst false) under noGrad while every few tensors spill', async () => {
  const small = await loadEngine('simd', { spillThreshold: 1 << 16 });
  small.manualSeed(1);
  const mha = new small.nn.MultiheadAttention(10, 2, { batchFirst: false });
  const x = small.randn([50, 200, 10]);
  const want = small.noGrad(() => mha.forward(x, x, x)[0].sum().item());
  for (let i = 0; i < 10; i++) {
    small.noGrad(() => {
      const x2 = x.mul(1); // a fresh tensor each time, as a data loader's batch
      assert.equal(mha.forward(x2, x2, x2)[0].sum().item(), want);
    });
  }
  assert.ok(small.memory().spills > 0, 'the run spilled');
});
