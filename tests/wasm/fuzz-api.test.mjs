// A fuzzer of the JS API (issue 10 §3): seeded random calls over the whole gl surface with
// hostile integers (2**31, 2**32 + 4, 2**53, 2**63 - 1024, -1, NaN, Infinity, 1.5, '3'), wrong
// types, huge and ragged shapes and extra arguments. Every call must succeed or throw an Error
// whose message names the call; never a wasm trap (WebAssembly.RuntimeError), never a thrown
// non-Error. After every call a known computation must still give its known result, and a
// tensor made at the start must still hold its values (no memory was overwritten).
//
//   node --test tests/wasm/fuzz-api.test.mjs                      ~15 s, seed 1 (npm test)
//   GRADLAB_FUZZ_SECONDS=600 GRADLAB_FUZZ_SEED=7 node --test tests/wasm/fuzz-api.test.mjs
//
// It prints the calls made and every finding (the call, its arguments, what was thrown) and
// fails on any finding.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadEngine } from './load-engine.mjs';

const SECONDS = Number(process.env.GRADLAB_FUZZ_SECONDS ?? 15);
const SEED = Number(process.env.GRADLAB_FUZZ_SEED ?? 1);

/** mulberry32: a small seeded PRNG, so a finding is replayed by its seed. */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Values a reader (or an attacker) can pass where an integer is expected.
const HOSTILE_INTS = [
  -1, -2, 2 ** 31, 2 ** 31 - 1, -(2 ** 31), 2 ** 32, 2 ** 32 + 4, 2 ** 53, 2 ** 53 + 2, 2 ** 63 - 1024, -(2 ** 63),
  2 ** 64, 1e300, NaN, Infinity, -Infinity, 1.5, -0.5, 1e-300, -0, '3', '', null, undefined, {}, [], [3], true,
  false, () => 3, Symbol('x'), 10n, 2 ** 28 + 1, 1000, // 1000: large but allowed, kept modest so memory stays bounded
];
const SMALL_INTS = [0, 1, 2, 3, 4, -1, -2, 5, 8];
const HOSTILE_SHAPES = [
  [2 ** 31], [2 ** 32 + 4, 1], [2 ** 63 - 1024], [1e9, 1e9], [65536, 65536], [2 ** 53], [-1], [3, -1], [1.5],
  ['3'], [null], [[2]], [NaN], [Infinity], {}, '2,3', null, new Array(70).fill(1), [2 ** 16, 2 ** 16, 0],
  [0, 2 ** 40], [2 ** 28, 2], 2 ** 31, -3,
];
const SMALL_SHAPES = [[], [1], [3], [2, 3], [3, 2], [4, 4], [2, 3, 4], [1, 5, 8], [0, 4], [2, 0], [3, 3]];

// A call that succeeded with a wrong result (checked by the targets below): a finding.
class WrongResult extends Error {}
const expect = (ok, what) => { if (!ok) throw new WrongResult(what); };
const numelOf = (shape) => shape.reduce((n, d) => n * d, 1);

/** Every call, with how to make plausible arguments; fuzzing then breaks some of them. */
function targets(gl) {
  const T = (shape = [2, 3], o) => gl.randn(shape, o);
  const w = (fn) => fn; // a readable marker: a call's body
  const list = [];
  const add = (name, names, fn) => list.push({ name, names: [name, ...names], fn });
  const m = gl.nn;

  // factories
  for (const f of ['randn', 'rand', 'zeros', 'ones']) add(f, [], (a) => gl[f](a.shape(), a.opts()));
  add('full', [], (a) => gl.full(a.shape(), a.num(), a.opts()));
  add('tensor', [], (a) => gl.tensor(a.data(), ...a.maybe(a.shape()), ...a.maybe(a.opts())));
  add('manualSeed', [], (a) => {
    const seed = a.int();
    gl.manualSeed(seed);
    expect(Number.isSafeInteger(seed) && seed >= 0, `manualSeed(${String(seed)}) was accepted`);
  });
  add('cat', [], (a) => gl.cat(a.list(() => a.tensor()), a.int()));
  // elementwise and matrix ops
  for (const op of ['add', 'sub', 'mul', 'div']) add(`Tensor.${op}`, [op], (a) => a.self()[op](a.pick([a.tensor(), a.num(), a.any()])));
  for (const op of ['matmul', 'bmm']) add(`Tensor.${op}`, [op], (a) => a.self()[op](a.tensor()));
  for (const op of ['neg', 'sigmoid', 'tanh', 'relu', 'exp', 'log', 'square', 't', 'detach', 'item', 'toArray', 'numel', 'toString']) {
    add(`Tensor.${op}`, [op], (a) => a.self()[op](...a.extra()));
  }
  for (const op of ['sum', 'mean', 'norm', 'max', 'min', 'argmax', 'argmin']) {
    add(`Tensor.${op}`, [op], (a) => {
      const x = a.self(), args = a.maybe(a.int(), a.bool());
      const r = x[op](...args);
      const y = Array.isArray(r) ? r[0] : r;
      if (typeof args[0] === 'number') { // along a dim: that dim is dropped (or kept as 1)
        const want = x.ndim === 0 ? 0 : x.ndim - (args[1] === true ? 0 : 1);
        expect(y.ndim === want, `${op}(${args.map(String)}) on shape [${x.shape}] gave shape [${y.shape}]`);
      }
    });
    add(op, [], (a) => gl[op](a.tensor(), ...a.maybe(a.int(), a.bool())));
  }
  add('Tensor.select', ['select'], (a) => {
    const x = a.self(), r = x.select(a.int(), a.int());
    expect(r.numel() <= x.numel() && r.toArray().length === r.numel(), `select gave ${r.numel()} elements from ${x.numel()}`);
  });
  add('Tensor.narrow', ['narrow'], (a) => {
    const x = a.self(), args = [a.int(), a.int(), a.int()], r = x.narrow(...args);
    expect(r.numel() <= x.numel() && r.toArray().length === numelOf(r.shape), `narrow(${args.map(String)}) gave ${r.numel()} elements from ${x.numel()}`);
  });
  add('narrow', [], (a) => gl.narrow(a.tensor(), a.int(), a.int(), a.int()));
  add('Tensor.reshape', ['reshape'], (a) => a.self().reshape(a.pick([a.shape(), [a.int(), -1], a.int()])));
  add('Tensor.view', ['view', 'reshape'], (a) => a.self().view(a.int(), a.int()));
  add('Tensor.transpose', ['transpose'], (a) => a.self().transpose(...a.maybe(a.int(), a.int())));
  add('Tensor.softmax', ['softmax'], (a) => a.self().softmax(a.int()));
  add('Tensor.logSoftmax', ['logSoftmax'], (a) => a.self().logSoftmax(a.int()));
  add('Tensor.gelu', ['gelu'], (a) => a.self().gelu(...a.maybe(a.opts(['approximate'], [a.pick(['tanh', 'none', 'x'])]))));
  add('Tensor.size', ['size'], (a) => a.self().size(a.int()));
  add('Tensor.backward', ['backward', 'sum'], (a) => {
    const x = T(a.pick(SMALL_SHAPES), { requiresGrad: true });
    x.mul(x).sum(...a.maybe(a.int())).backward(...a.maybe(a.tensor()));
  });
  // losses
  add('nn.functional.mseLoss', ['mseLoss', 'mse_loss'], (a) => m.functional.mseLoss(a.tensor(), a.tensor()));
  add('nn.functional.bceLoss', ['bceLoss', 'bce_loss'], (a) => m.functional.bceLoss(a.self().sigmoid(), a.pick([a.tensor(), T([2, 3]).sigmoid()])));
  for (const f of ['crossEntropy', 'nllLoss']) {
    add(`nn.functional.${f}`, [f], (a) => m.functional[f](a.tensor(), a.pick([a.tensor(), [a.int(), a.int()], [a.int(), 0]]),
      ...a.maybe(a.opts(['ignoreIndex', 'reduction'], [a.int(), a.pick(['mean', 'sum', 'none', 'max'])]))));
  }
  add('nn.functional.bceWithLogits', ['bceWithLogits'], (a) => m.functional.bceWithLogits(a.tensor(), a.tensor()));
  add('nn.functional.dropout', ['dropout'], (a) => m.functional.dropout(a.tensor(), a.pick([0.5, a.num()]), a.pick([true, a.any()])));
  add('nn.functional.layerNorm', ['layerNorm', 'LayerNorm', 'layer_norm'], (a) => m.functional.layerNorm(a.tensor(), a.int()));
  add('nn.positionalEncoding', ['positionalEncoding', 'positional_encoding'], (a) => m.positionalEncoding(a.int(), a.int()));
  // layers: constructors with fuzzed sizes, forward on fuzzed inputs
  const layer = (name, make, forward) => {
    add(name, [], (a) => make(a));
    add(`${name}.forward`, [name], (a) => {
      let mod;
      try { mod = make(a.sane()); } catch { return; } // only forward is fuzzed here
      forward(mod, a);
    });
  };
  layer('Linear', (a) => {
    const l = new m.Linear(a.int(), a.int(), ...a.maybe(a.opts(['bias'], [a.bool()])));
    expect(l.weight.shape.join() === [l.outFeatures, l.inFeatures].join(), `Linear(${l.inFeatures}, ${l.outFeatures}) has a weight of shape [${l.weight.shape}]`);
    return l;
  }, (l, a) => l.forward(a.tensor()));
  layer('LayerNorm', (a) => new m.LayerNorm(a.pick([a.int(), [a.int()]]), ...a.maybe(a.opts(['eps', 'elementwiseAffine'], [a.num(), a.bool()]))), (l, a) => l.forward(a.tensor()));
  layer('Embedding', (a) => new m.Embedding(a.int(), a.int()), (l, a) => l.forward(a.pick([a.tensor(), [a.int(), a.int()], [[a.int()], [a.int(), 1]]])));
  layer('MultiheadAttention', (a) => new m.MultiheadAttention(a.int(), a.int(), ...a.maybe(a.opts(['dropout', 'batchFirst'], [a.num(), a.bool()]))),
    (l, a) => l.forward(a.tensor(), ...a.maybe(a.tensor(), a.tensor())));
  layer('TransformerBlock', (a) => new m.TransformerBlock(a.int(), a.int(), ...a.maybe(a.opts(['dimFeedforward', 'normFirst'], [a.int(), a.bool()]))),
    (l, a) => l.forward(a.tensor(), ...a.maybe(a.opts(['causal'], [a.bool()]))));
  layer('Dropout', (a) => new m.Dropout(a.num()), (l, a) => l.forward(a.tensor()));
  layer('GELU', (a) => new m.GELU(...a.maybe(a.pick(['none', 'tanh', a.any()]))), (l, a) => l.forward(a.tensor()));
  layer('CrossEntropyLoss', (a) => new m.CrossEntropyLoss(...a.maybe(a.opts(['ignoreIndex'], [a.int()]))), (l, a) => l.forward(a.tensor(), a.tensor()));
  for (const kind of ['RNN', 'LSTM', 'GRU']) {
    layer(kind, (a) => new m[kind](a.int(), a.int(), ...a.maybe(a.opts(['numLayers', 'batchFirst'], [a.int(), a.bool()]))),
      (l, a) => l.forward(a.tensor(), ...a.maybe(kind === 'LSTM' ? [a.tensor(), a.tensor()] : a.tensor())));
    layer(`${kind}Cell`, (a) => {
      const c = new m[`${kind}Cell`](a.int(), a.int());
      expect(c.weight_ih.shape[1] === c.inputSize && c.weight_hh.shape[1] === c.hiddenSize, `${kind}Cell(${c.inputSize}, ${c.hiddenSize}) has weights [${c.weight_ih.shape}], [${c.weight_hh.shape}]`);
      return c;
    }, (l, a) => l.forward(a.tensor(), ...a.maybe(kind === 'LSTM' ? [a.tensor(), a.tensor()] : a.tensor())));
  }
  add('Sequential', [], (a) => new m.Sequential(new m.Linear(3, 4), a.pick([new m.ReLU(), a.any()])).forward(a.tensor()));
  // optimisers and training tools
  const params = (a) => a.pick([[T([2, 3], { requiresGrad: true })], [a.tensor()], a.any(), new m.Linear(2, 2)]);
  for (const O of ['SGD', 'Adam', 'AdamW', 'RMSprop']) {
    add(O, ['Optimizer.step'], (a) => {
      const p = T([2, 2], { requiresGrad: true });
      p.mul(p).sum().backward();
      const opt = new gl.optim[O](a.pick([[p], params(a)]), a.opts(['lr', 'weightDecay'], [a.num(), a.num()]));
      opt.step(...a.extra());
    });
  }
  add('nn.utils.clipGradNorm', ['clipGradNorm'], (a) => m.utils.clipGradNorm(params(a), a.num(), ...a.maybe(a.num())));
  add('nn.utils.clipGradValue', ['clipGradValue'], (a) => m.utils.clipGradValue(params(a), a.num()));
  add('nn.utils.gradNorm', ['gradNorm'], (a) => m.utils.gradNorm(params(a), ...a.maybe(a.num())));
  add('nn.utils.l2Penalty', ['l2Penalty'], (a) => m.utils.l2Penalty(params(a), a.num()));
  for (const f of ['uniform', 'normal', 'eye', 'orthogonal', 'xavierUniform', 'kaimingNormal', 'spectralRadius', 'zeros']) {
    add(`nn.init.${f}`, [f], (a) => m.init[f](a.tensor(), ...a.extra(a.num())));
  }
  add('nn.init.fillSlice', ['fillSlice'], (a) => m.init.fillSlice(a.tensor(), a.int(), a.int(), a.num()));
  add('nn.init.calculateGain', ['calculateGain'], (a) => m.init.calculateGain(a.pick(['tanh', 'leaky_relu', a.any()]), a.num()));
  for (const f of ['spectralRadius', 'singularValues', 'eigvals']) add(`linalg.${f}`, [f], (a) => gl.linalg[f](a.tensor()));
  add('EarlyStopping', ['EarlyStopping.step'], (a) => {
    const e = new gl.utils.EarlyStopping(a.opts(['patience', 'mode'], [a.int(), a.pick(['min', 'max', a.any()])]));
    e.step(a.num(), ...a.maybe(a.int()));
  });
  // tasks
  add('AddingProblem', ['AddingProblem.batch'], (a) => new gl.tasks.AddingProblem(a.opts(['T', 'seed'], [a.int(), a.int()])).batch(a.int()));
  add('CopyTask', ['CopyTask.batch'], (a) => new gl.tasks.CopyTask(a.opts(['symbols', 'delay', 'alphabet', 'seed'], [a.int(), a.int(), a.int(), a.int()])).batch(a.int()));
  // analysis
  const A = gl.analysis;
  add('analysis.powerNorms', [], (a) => A.powerNorms(a.tensor(), a.int()));
  add('analysis.spectrum', [], (a) => A.spectrum(a.tensor()));
  add('analysis.histogram', [], (a) => A.histogram(a.tensor(), a.opts(['bins', 'lo', 'hi'], [a.int(), a.num(), a.num()])));
  add('analysis.slopes', [], (a) => A.slopes(a.tensor(), a.pick(['tanh', 'relu', a.any()])));
  add('analysis.stepGradNorms', [], (a) => A.stepGradNorms(a.pick([a.tensor(), a.any()])));
  add('analysis.saturation', [], (a) => A.saturation(a.tensor(), a.tensor(), a.opts(['bins'], [a.int()])));
  add('analysis.jacobianNorms', [], (a) => A.jacobianNorms(a.tensor(), a.tensor(), a.opts(['batchIndex', 'from'], [a.int(), a.int()])));
  add('analysis.cellStateJacobian', [], (a) => A.cellStateJacobian(new m.LSTM(2, 3), a.tensor(), a.int(), a.opts(['batchIndex'], [a.int()])));
  add('analysis.lstmTrace', [], (a) => A.lstmTrace(new m.LSTM(2, 3), a.tensor()));
  add('experiments.list', [], () => gl.experiments.list());
  add('spill', ['*'], (a) => { gl._spill(); a.self().add(a.pick([a.tensor(), 1])); });
  add('Module.train', ['train', 'Linear.train', 'Module.train'], (a) => new m.Linear(2, 2).train(a.bool()));
  add('Tensor.requiresGrad_', ['requiresGrad_', 'backward'], (a) => gl.randn([2]).requiresGrad_(a.bool()).mul(2).sum().backward());
  // tidy, noGrad
  // the reader's fn throws what it throws (gl's errors inside name their own calls): '*'
  add('tidy', ['*'], (a) => gl.tidy(a.pick([() => a.tensor().add(1), a.any()])));
  add('noGrad', ['*'], (a) => gl.noGrad(a.pick([() => a.self().mul(a.any()), () => { throw new Error('inner'); }, a.any()])));
  void w;
  return list;
}

/** Argument makers: plausible values most of the time, hostile ones often. */
function argMaker(gl, rand, hostileRate = 0.3) {
  const pick = (xs) => xs[Math.floor(rand() * xs.length)];
  const hostile = () => rand() < hostileRate;
  const tensors = SMALL_SHAPES.map((s) => gl.randn(s).keep());
  const a = {
    pick,
    int: () => (hostile() ? pick(HOSTILE_INTS) : pick(SMALL_INTS)),
    num: () => (hostile() ? pick([NaN, Infinity, -Infinity, -1, 1e300, '1', null, {}, 2 ** 53]) : pick([0, 0.1, 0.5, 1, 2, -0.5])),
    bool: () => (hostile() ? pick([1, 0, 'true', null, {}]) : pick([true, false])),
    shape: () => (hostile() ? pick(HOSTILE_SHAPES) : pick(SMALL_SHAPES)),
    tensor: () => (hostile() && rand() < 0.3 ? a.any() : pick(tensors)),
    self: () => pick(tensors), // the receiver of a method call
    any: () => pick([...HOSTILE_INTS, 'x', [1, 2], [[1], [2, 3]], gl.randn([2, 2]), new Float32Array(3), { requiresGrad: 1 },
      a.disposed(), a.trap(), a.shifty()]),
    // a tensor already freed: every call must say so, naming itself
    disposed: () => { const t = gl.randn([2, 2]); t.dispose(); return t; },
    // an array whose reads throw, and one whose element changes between two reads
    trap: () => new Proxy([2, 3], { get(target, key) { if (key === 'length' || key === '0') throw new Error('a hostile getter'); return Reflect.get(target, key); } }),
    shifty: () => { let n = 0; const arr = [1, 2]; Object.defineProperty(arr, 1, { get: () => (n++ % 2 ? [5] : 2), enumerable: true }); return arr; },
    data: () => (hostile()
      ? pick([[[1, 2], [3, [4]]], [[1, 2], [3]], [[1, 2], 3], [1, 'a'], [NaN, Infinity], new Array(5).fill([]), {}, 'abc', null,
        new Float64Array(4), [[[]]], [[1], []], new Array(1e5).fill(0.5)])
      : pick([1.5, [1, 2, 3], [[1, 2], [3, 4]], new Float32Array([1, 2, 3, 4])])),
    opts: (keys = ['requiresGrad'], values = [a.bool()]) => {
      if (hostile()) return pick([{ [pick(keys)]: a.any() }, { unknownKey: 1 }, 'opts', [], a.any()]);
      const o = {};
      keys.forEach((k, i) => { if (rand() < 0.5) o[k] = values[i]; });
      return o;
    },
    list: (make) => (hostile() ? pick([[], a.any(), [make(), 'x']]) : [make(), make()]),
    // optional trailing arguments: none, the given ones, or the given ones plus an extra
    maybe: (...xs) => {
      const r = rand();
      if (r < 0.25) return [];
      if (r < 0.9) return xs;
      return [...xs, a.any()];
    },
    extra: (...xs) => (rand() < 0.1 ? [...xs, a.any()] : xs),
    // the same maker without hostility (to build the module whose forward is fuzzed)
    sane: () => Object.assign(Object.create(a), {
      int: () => pick([1, 2, 3, 4]),
      num: () => pick([0, 0.1, 0.5]),
      bool: () => pick([true, false]),
      opts: () => ({}),
      maybe: () => [],
      pick,
    }),
  };
  return a;
}

// canonical names: 'bce_loss', 'bceLoss', 'BCELoss' are one
const canon = (s) => String(s).replace(/[_\s]/g, '').toLowerCase();
// Does the message start by naming call n? 'Tensor.sum: ...' and 'sum: ...' name Tensor.sum,
// 'Linear: ...' names Linear.forward, 'nn.functional.bceLoss: bce_loss: ...' names bceLoss.
function names(message, n) {
  if (n === '*') return true;
  const head = canon(/^([\w.]+):/.exec(message)?.[1] ?? '');
  const [c, last] = [canon(n), canon(n.split('.').pop())];
  return head !== '' && (head === c || head === last || head.endsWith(`.${last}`) || c.startsWith(`${head}.`) || head.startsWith(`${c}.`));
}

/** Runs the fuzzer for `seconds`; returns { calls, thrown, findings }. */
export async function fuzz(gl, { seconds = SECONDS, seed = SEED, log = console.log } = {}) {
  const rand = prng(seed);
  const a = argMaker(gl, rand);
  const list = targets(gl);
  const sentinel = gl.tensor([[1, 2], [3, 4]]).keep();
  const known = () => {
    // (1 2; 3 4) @ (5 6; 7 8) = (19 22; 43 50): sum 134; d/dx of sum(x*x) = 2x
    const y = gl.tensor([[1, 2], [3, 4]]).matmul(gl.tensor([[5, 6], [7, 8]])).sum().item();
    const x = gl.tensor([1, 2, 3], { requiresGrad: true });
    x.mul(x).sum().backward();
    const g = Array.from(x.grad.toArray());
    const s = Array.from(sentinel.toArray());
    const problems = [];
    if (y !== 134) problems.push(`matmul + sum gave ${y}, expected 134`);
    if (g.join() !== '2,4,6') problems.push(`grad of sum(x*x) at [1,2,3] gave [${g}], expected [2,4,6]`);
    if (s.join() !== '1,2,3,4') problems.push(`a tensor made at the start now holds [${s}]`);
    return problems;
  };
  const findings = [];
  const byName = new Map();
  let calls = 0, thrown = 0;
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline && findings.length < 50) {
    // let finalizers free the wasm side of modules made by earlier calls
    if (calls % 200 === 199) await new Promise((resolve) => setImmediate(resolve));
    const t = list[Math.floor(rand() * list.length)];
    const started = Date.now();
    let e = null;
    try {
      gl.tidy(() => { t.fn(a); });
    } catch (caught) {
      e = caught;
    }
    if (e instanceof WrongResult) {
      findings.push({ call: t.name, what: `wrong result: ${e.message}`, seed, call_number: calls + 1 });
      e = null;
    }
    calls++;
    const took = Date.now() - started;
    const stat = byName.get(t.name) ?? { calls: 0, thrown: 0 };
    stat.calls++;
    const report = (what) => findings.push({ call: t.name, what, seed, call_number: calls });
    if (e !== null) {
      thrown++;
      stat.thrown++;
      if (e instanceof WebAssembly.RuntimeError) report(`wasm trap: ${e.message}`);
      else if (!(e instanceof Error)) report(`threw a non-Error: ${typeof e} ${String(e)}`);
      else if (!e.message) report(`an Error without a message (${e.name})`);
      else if (!t.names.some((n) => names(e.message, n))) {
        report(`message does not name the call: ${e.name}: ${e.message.slice(0, 200)}`);
      }
    }
    if (took > 5000) report(`took ${took} ms`);
    byName.set(t.name, stat);
    let problems;
    try { problems = known(); } catch (k) { problems = [`the known computation threw: ${k?.message ?? k}`]; }
    if (problems.length) {
      report(`after this call: ${problems.join('; ')}`);
      break; // the module is broken: later findings would be noise
    }
  }
  log(`fuzz-api: seed ${seed}, ${calls} calls in ${seconds} s over ${list.length} targets, ${thrown} threw (as they should), ${findings.length} findings`);
  const never = list.filter((t) => !byName.has(t.name)).map((t) => t.name);
  if (never.length) log(`fuzz-api: not reached this run: ${never.join(', ')}`);
  for (const f of findings.slice(0, 20)) log(`  FINDING ${f.call} (call ${f.call_number}, seed ${f.seed}): ${f.what}`);
  return { calls, thrown, findings };
}

test(`fuzz the gl API for ${SECONDS} s (seed ${SEED}): only Errors that name the call, the module stays right`, { timeout: (SECONDS + 120) * 1000 }, async () => {
  const gl = await loadEngine();
  const { calls, findings } = await fuzz(gl);
  assert.ok(calls > 1000, `only ${calls} calls were made`);
  assert.deepEqual(findings, [], `${findings.length} findings (printed above)`);
});
