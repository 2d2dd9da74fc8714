// gl: the JavaScript API over the gradlab engine (WebAssembly). No DOM here: the same
// module runs in the page's worker, in Node tests and in benchmarks.
//
// Names follow PyTorch in JS style: gl.randn([32, 10]), gl.cat([a, b], 1), x.sigmoid(),
// new gl.nn.Linear(30, 20), loss.backward(), new gl.optim.Adam(model.parameters()).
//
// Memory: every tensor's values live in wasm memory behind a small JS object. Code never has
// to free anything. JS's garbage collector cannot see wasm memory, and inside one synchronous
// loop it cannot even tell us which objects died (finalizers run only between tasks), so:
//  1. spill: when the engine's heap passes a threshold, every tensor made since the last
//     spill that is not a parameter and not part of a graph still waiting for backward() has
//     its values copied into a JS Float32Array (memory the GC does see) and its wasm memory
//     freed. Using such a tensor again copies it back, transparently. Wasm memory stays
//     bounded by about twice the working set of one step, however long the loop runs.
//  2. A FinalizationRegistry frees the wasm side of objects the GC collected (between tasks).
//  3. gl.tidy(fn) and t.dispose() free at once, for code that wants to.

import { install as installAnalysis } from './analysis.js';
import { formatTensor } from './format.js';
import { install as installLayers } from './layers.js';
import { install as installRecurrent } from './recurrent.js';
import { install as installTasks } from './tasks.js';
import { install as installTraining } from './training.js';

// Each adds its part of the API to gl through the kit made in makeGL: install(kit).
// training.js first: it provides kit.Optimizer for the others.
const EXTENSIONS = [installTraining, installTasks, installLayers, installRecurrent, installAnalysis];

/**
 * Loads the engine and returns the API.
 * @param {object} o
 * @param {string|URL} o.engineURL   URL of gradlab-engine.mjs
 * @param {WebAssembly.Module} [o.wasmModule]  an already compiled engine (fast restarts)
 * @param {ArrayBuffer|Uint8Array} [o.wasmBinary]  the engine's bytes (Node)
 */
export async function loadGL({ engineURL, wasmModule, wasmBinary } = {}) {
  if (!engineURL) throw new Error('loadGL: engineURL is required');
  const { default: createEngine } = await import(/* @vite-ignore */ String(engineURL));
  const options = {};
  let failed; // Emscripten's hook has no way to report a failed instantiation: race it
  const instantiateFailed = new Promise((_, reject) => { failed = reject; });
  if (wasmModule) {
    options.instantiateWasm = (imports, receive) => {
      WebAssembly.instantiate(wasmModule, imports).then(
        (instance) => receive(instance, wasmModule),
        (e) => failed(new Error(`loadGL: the engine's wasm does not fit its JS loader (${e.message}); rebuild the engine`)),
      );
      return {};
    };
  }
  if (wasmBinary) options.wasmBinary = wasmBinary;
  const raw = await Promise.race([createEngine(options), instantiateFailed]);
  return makeGL(raw);
}

/** Builds the API over an instantiated engine module. */
export function makeGL(raw) {
  // ---- handle lifetime (see the note at the top) ------------------------------------
  const live = { tensors: 0, spills: 0 };
  const release = (handle) => {
    if (!handle.isDeleted()) handle.delete();
  };
  const registry = new FinalizationRegistry((handle) => {
    live.tensors--;
    release(handle);
  });
  const scopes = []; // gl.tidy: each scope is the list of tensors made inside it

  const SPILL_CHECK_EVERY = 256;    // tensors made between two looks at the heap
  const SPILL_MIN_BYTES = 64 << 20; // never spill below this heap size
  const PENDING_ROUNDS = 3;         // a graph never backwarded is left to the GC after this
  let spillAt = SPILL_MIN_BYTES;
  let madeSinceCheck = 0;
  let recent = []; // tensors whose wasm handle was made since the last spill

  function adopt(t) {
    live.tensors++;
    registry.register(t, t._h, t);
    recent.push(t);
    if (++madeSinceCheck >= SPILL_CHECK_EVERY) {
      madeSinceCheck = 0;
      if (raw.heapInUse() > spillAt) spill();
    }
  }
  function spill() {
    const stay = [];
    for (const t of recent) {
      const h = t._h;
      if (!h) continue; // disposed, or spilled already
      if (h.hasPendingGraph()) {
        if (++t._rounds < PENDING_ROUNDS) stay.push(t);
        continue;
      }
      if (t._param || (h.isLeaf() && h.requiresGrad())) continue; // parameters keep their identity
      t._spillOut();
    }
    recent = stay;
    live.spills++;
    spillAt = Math.max(SPILL_MIN_BYTES, 2 * raw.heapInUse());
  }
  function forget(t) {
    registry.unregister(t);
    live.tensors--;
    release(t._h);
    t._h = null;
  }

  // ---- argument checks: JS type errors name the call and the value --------------------
  const show = (v) => {
    if (typeof v === 'string') return `'${v}'`;
    if (Array.isArray(v)) return `[${v.map(show).join(', ')}]`;
    if (v instanceof Tensor) return v.toString();
    if (v && typeof v === 'object') return v.constructor?.name ?? 'object';
    return String(v);
  };
  const isIndex = (v) => Number.isInteger(v);
  function shapeArg(who, shape) {
    if (typeof shape === 'number') shape = [shape];
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
      throw new TypeError(`${who}: shape must be an array of non-negative integers, got ${show(shape)}`);
    }
    return shape;
  }
  function intArg(who, name, v, { min = -Infinity } = {}) {
    if (!isIndex(v) || v < min) {
      const what = min === 1 ? 'a positive integer' : min === 0 ? 'a non-negative integer'
        : min === -Infinity ? 'an integer' : `an integer >= ${min}`;
      throw new TypeError(`${who}: ${name} must be ${what}, got ${show(v)}`);
    }
    return v;
  }
  function numberArg(who, name, v) {
    if (typeof v !== 'number' || Number.isNaN(v)) throw new TypeError(`${who}: ${name} must be a number, got ${show(v)}`);
    return v;
  }
  function tensorArg(who, name, v) {
    if (v instanceof Tensor) return v;
    throw new TypeError(`${who}: ${name} must be a Tensor, got ${show(v)}`);
  }
  // A Tensor or a plain number (made into a 0-D tensor for the call).
  function withOperand(who, v, fn) {
    if (v instanceof Tensor) return fn(v._live(who));
    if (typeof v === 'number') {
      const s = raw.full([], v, false);
      try { return fn(s); } finally { s.delete(); }
    }
    throw new TypeError(`${who}: expected a Tensor or a number, got ${show(v)}`);
  }

  // ---- Tensor -------------------------------------------------------------------------
  class Tensor {
    constructor(handle) {
      this._h = handle;
      this._shape = null;
      this._keep = false;     // survives gl.tidy
      this._param = false;    // a Module's parameter: never spilled
      this._rounds = 0;       // spills survived with a pending graph
      this._spilled = null;   // Float32Array of the values while spilled
      this._spilledGrad = null;
      adopt(this);
      if (scopes.length) scopes[scopes.length - 1].push(this);
    }
    _live(who = 'tensor') {
      if (this._h) return this._h;
      if (this._spilled) { // copy back into wasm memory
        this._h = raw.fromArray(this._spilled, this._shape, false);
        this._spilled = null;
        this._rounds = 0;
        adopt(this);
        return this._h;
      }
      throw new Error(`${who}: this tensor was disposed (by dispose() or gl.tidy); keep() it or return it from tidy to use it later`);
    }
    _spillOut() {
      const h = this._h;
      this._shape ??= h.shape();
      this._spilled = h.toArray();
      const g = h.grad();
      if (g) {
        this._spilledGrad = g.toArray();
        g.delete();
      }
      forget(this);
    }
    /** Frees the tensor's memory now. Using it afterwards is an error. */
    dispose() {
      this._spilled = this._spilledGrad = null;
      if (this._h) forget(this);
    }
    /** Exempts the tensor from the enclosing gl.tidy. */
    keep() { this._keep = true; return this; }
    get isDisposed() { return this._h === null && this._spilled === null; }

    get shape() { return (this._shape ??= this._live('shape').shape()).slice(); }
    get ndim() { return this.shape.length; }
    size(dim) {
      const s = this.shape;
      if (dim === undefined) return s;
      intArg('size', 'dim', dim);
      if (dim < -s.length || dim >= s.length) throw new RangeError(`size: dim ${dim} is out of range for shape [${s.join(', ')}]`);
      return s[dim < 0 ? dim + s.length : dim];
    }
    numel() { return this._live('numel').numel(); }
    get requiresGrad() { return this._live('requiresGrad').requiresGrad(); }
    set requiresGrad(on) { this._live('requiresGrad').setRequiresGrad(!!on); }
    requiresGrad_(on = true) { this.requiresGrad = on; return this; }
    get isLeaf() { return this._live('isLeaf').isLeaf(); }
    /** Name of the op that made this tensor ('leaf' for inputs and parameters). */
    get op() { return this._live('op').op(); }
    /** ∂L/∂this after backward(), or null. */
    get grad() {
      const g = this._live('grad').grad();
      if (g !== null) return new Tensor(g);
      return this._spilledGrad ? new Tensor(raw.fromArray(this._spilledGrad, this._shape, false)) : null;
    }
    zeroGrad() { this._live('zeroGrad').zeroGrad(); }
    retainGrad() { this._live('retainGrad').retainGrad(); return this; }
    /** Backpropagates from this scalar, or from any tensor given a gradient of its shape. */
    backward(gradient) {
      const h = this._live('backward');
      if (gradient === undefined) h.backward();
      else h.backwardWith(tensorArg('backward', 'gradient', gradient)._live('backward'));
    }
    detach() { return new Tensor(this._live('detach').detach()); }
    item() { return this._live('item').item(); }
    /** A copy of the values, row-major. */
    toArray() { return this._live('toArray').toArray(); }
    /** PyTorch-style print of the values: tensor([[0.1, ...]], requiresGrad). */
    toString() {
      if (this.isDisposed) return 'Tensor(disposed)';
      const h = this._live('toString');
      const suffix = h.isLeaf() ? (h.requiresGrad() ? ', requiresGrad' : '') : `, op=${h.op()}`;
      return formatTensor(h.toArray(), this.shape, suffix);
    }
    [Symbol.for('nodejs.util.inspect.custom')]() { return this.toString(); }

    add(o) { return withOperand('add', o, (b) => new Tensor(raw.add(this._live('add'), b))); }
    sub(o) { return withOperand('sub', o, (b) => new Tensor(raw.sub(this._live('sub'), b))); }
    mul(o) { return withOperand('mul', o, (b) => new Tensor(raw.mul(this._live('mul'), b))); }
    div(o) { return withOperand('div', o, (b) => new Tensor(raw.div(this._live('div'), b))); }
    matmul(o) { return new Tensor(raw.matmul(this._live('matmul'), tensorArg('matmul', 'other', o)._live('matmul'))); }
    neg() { return new Tensor(raw.neg(this._live('neg'))); }
    sigmoid() { return new Tensor(raw.sigmoid(this._live('sigmoid'))); }
    tanh() { return new Tensor(raw.tanh(this._live('tanh'))); }
    relu() { return new Tensor(raw.relu(this._live('relu'))); }
    exp() { return new Tensor(raw.exp(this._live('exp'))); }
    log() { return new Tensor(raw.log(this._live('log'))); }
    square() { return new Tensor(raw.square(this._live('square'))); }
    sum() { return new Tensor(raw.sum(this._live('sum'))); }
    mean() { return new Tensor(raw.mean(this._live('mean'))); }
    /** L2 norm of all elements (Frobenius for a matrix). */
    norm() { return new Tensor(raw.norm(this._live('norm'))); }
    /** 2-D transpose. */
    t() { return new Tensor(raw.transpose(this._live('t'))); }
    transpose() { return this.t(); }
    get T() { return this.t(); }
    /** Drops `dim` by taking position `index`: x.select(1, t) is PyTorch's x[:, t]. */
    select(dim, index) {
      intArg('select', 'dim', dim);
      intArg('select', 'index', index);
      return new Tensor(raw.select(this._live('select'), dim, index));
    }
    reshape(...shape) {
      if (shape.length === 1 && Array.isArray(shape[0])) shape = shape[0];
      if (!shape.every((d) => Number.isInteger(d) && d >= -1)) throw new TypeError(`reshape: sizes must be integers (one may be -1), got ${show(shape)}`);
      return new Tensor(raw.reshape(this._live('reshape'), shape));
    }
    view(...shape) { return this.reshape(...shape); }
  }

  const opts = (who, o = {}) => {
    if (o === null || typeof o !== 'object') throw new TypeError(`${who}: options must be an object, got ${show(o)}`);
    return !!o.requiresGrad;
  };

  // ---- creation -----------------------------------------------------------------------
  const randn = (shape, o) => new Tensor(raw.randn(shapeArg('randn', shape), opts('randn', o)));
  const rand = (shape, o) => new Tensor(raw.rand(shapeArg('rand', shape), opts('rand', o)));
  const full = (shape, value, o) => new Tensor(raw.full(shapeArg('full', shape), numberArg('full', 'value', value), opts('full', o)));
  const zeros = (shape, o) => new Tensor(raw.full(shapeArg('zeros', shape), 0, opts('zeros', o)));
  const ones = (shape, o) => new Tensor(raw.full(shapeArg('ones', shape), 1, opts('ones', o)));

  // gl.tensor(3.5), gl.tensor([1, 2, 3]), gl.tensor([[1, 2], [3, 4]]), gl.tensor(float32Array, [2, 2])
  function tensor(data, shape, o) {
    if (shape !== undefined && !Array.isArray(shape)) { o = shape; shape = undefined; }
    let flat;
    if (typeof data === 'number') {
      flat = [data];
      shape ??= [];
    } else if (ArrayBuffer.isView(data)) {
      flat = Array.from(data);
      shape ??= [data.length];
    } else if (Array.isArray(data)) {
      const inferred = [];
      for (let d = data; Array.isArray(d); d = d[0]) inferred.push(d.length);
      flat = data.flat(Infinity);
      shape ??= inferred;
    } else {
      throw new TypeError(`tensor: data must be a number, an array or a typed array, got ${show(data)}`);
    }
    const bad = flat.findIndex((v) => typeof v !== 'number');
    if (bad >= 0) throw new TypeError(`tensor: element ${bad} is not a number: ${show(flat[bad])}`);
    return new Tensor(raw.fromArray(Float32Array.from(flat), shapeArg('tensor', shape), opts('tensor', o)));
  }

  // ---- functions ----------------------------------------------------------------------
  function cat(tensors, dim = 0) {
    if (!Array.isArray(tensors) || tensors.length === 0) throw new TypeError(`cat: expected a non-empty array of Tensors, got ${show(tensors)}`);
    const handles = tensors.map((t, i) => tensorArg('cat', `tensors[${i}]`, t)._live('cat'));
    return new Tensor(raw.cat(handles, intArg('cat', 'dim', dim)));
  }
  const unaryFn = (name) => (x) => tensorArg(name, 'input', x)[name]();

  function tidy(fn) {
    if (typeof fn !== 'function') throw new TypeError(`tidy: expected a function, got ${show(fn)}`);
    const scope = [];
    scopes.push(scope);
    let result;
    try {
      result = fn();
      if (result && typeof result.then === 'function') throw new Error('tidy: fn must be synchronous (it returned a Promise)');
    } finally {
      scopes.pop();
      const kept = new Set();
      collectTensors(result, kept);
      for (const t of scope) {
        if (kept.has(t) || t._keep) {
          if (scopes.length) scopes[scopes.length - 1].push(t); // belongs to the outer scope now
        } else {
          t.dispose();
        }
      }
    }
    return result;
  }
  function collectTensors(v, out, depth = 0) {
    if (v instanceof Tensor) out.add(v);
    else if (depth < 4 && Array.isArray(v)) v.forEach((x) => collectTensors(x, out, depth + 1));
    else if (depth < 4 && v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
      Object.values(v).forEach((x) => collectTensors(x, out, depth + 1));
    } else if (v instanceof Module) v.parameters().forEach((p) => out.add(p));
  }

  let noGradDepth = 0;
  function noGrad(fn) {
    if (noGradDepth++ === 0) raw.setGradEnabled(false);
    try { return fn(); } finally { if (--noGradDepth === 0) raw.setGradEnabled(true); }
  }

  // ---- nn -----------------------------------------------------------------------------
  class Module {
    /** Every parameter of this module and of the modules in its fields, once each. */
    parameters() {
      const out = new Set();
      const visit = (v, depth) => {
        if (depth > 6 || v === null || typeof v !== 'object') return;
        if (v instanceof Tensor) { if (v._param) out.add(v); return; }
        if (v instanceof Module && depth > 0) { v.parameters().forEach((p) => out.add(p)); return; }
        if (Array.isArray(v) || v === this || Object.getPrototypeOf(v) === Object.prototype) {
          Object.values(v).forEach((x) => visit(x, depth + 1));
        }
      };
      visit(this, 0);
      return [...out];
    }
    numParameters() { return this.parameters().reduce((n, p) => n + p.numel(), 0); }
    zeroGrad() { this.parameters().forEach((p) => p.zeroGrad()); }
    forward() { throw new Error(`${this.constructor.name}: forward() is not implemented`); }
  }
  const parameter = (handle) => {
    const p = new Tensor(handle);
    p._param = true;
    p._keep = true;
    return p;
  };

  class Linear extends Module {
    constructor(inFeatures, outFeatures, { bias = true } = {}) {
      super();
      this.inFeatures = intArg('Linear', 'in_features', inFeatures, { min: 1 });
      this.outFeatures = intArg('Linear', 'out_features', outFeatures, { min: 1 });
      const made = raw.makeLinear(inFeatures, outFeatures, !!bias);
      this.weight = parameter(made.weight);
      this.bias = made.bias ? parameter(made.bias) : null;
    }
    forward(x) {
      const h = tensorArg('Linear', 'input', x)._live('Linear');
      return new Tensor(raw.linear(h, this.weight._live('Linear'), this.bias ? this.bias._live('Linear') : null));
    }
    toString() { return `Linear(in_features=${this.inFeatures}, out_features=${this.outFeatures}, bias=${!!this.bias})`; }
  }

  const mseLoss = (pred, target) => new Tensor(raw.mseLoss(tensorArg('mseLoss', 'input', pred)._live('mseLoss'), tensorArg('mseLoss', 'target', target)._live('mseLoss')));
  const bceLoss = (prob, target) => new Tensor(raw.bceLoss(tensorArg('bceLoss', 'input', prob)._live('bceLoss'), tensorArg('bceLoss', 'target', target)._live('bceLoss')));
  class MSELoss extends Module { forward(p, t) { return mseLoss(p, t); } }
  class BCELoss extends Module { forward(p, t) { return bceLoss(p, t); } }

  // ---- optim --------------------------------------------------------------------------
  function paramHandles(who, params) {
    if (params instanceof Module) params = params.parameters();
    if (!Array.isArray(params) || params.length === 0) throw new TypeError(`${who}: expected a non-empty array of parameters, got ${show(params)}`);
    return params.map((p, i) => tensorArg(who, `params[${i}]`, p)._live(who));
  }

  const gl = {
    Tensor,
    manualSeed: (seed) => raw.manualSeed(intArg('manualSeed', 'seed', seed, { min: 0 })),
    randn, rand, zeros, ones, full, tensor, cat,
    sigmoid: unaryFn('sigmoid'), tanh: unaryFn('tanh'), relu: unaryFn('relu'),
    exp: unaryFn('exp'), log: unaryFn('log'), sum: unaryFn('sum'), mean: unaryFn('mean'), norm: unaryFn('norm'),
    matmul: (a, b) => tensorArg('matmul', 'input', a).matmul(b),
    tidy, noGrad,
    /** Live tensor handles, spills so far, and wasm memory in bytes (tests and the curious). */
    memory: () => ({ tensors: live.tensors, spills: live.spills, heapInUse: raw.heapInUse(), wasmBytes: raw.HEAP8.length }),
    /** Forces a spill now (tests; normal code never needs it). */
    _spill: () => spill(),
    nn: {
      Module, Linear, MSELoss, BCELoss,
      functional: { mseLoss, bceLoss, sigmoid: unaryFn('sigmoid'), tanh: unaryFn('tanh'), relu: unaryFn('relu') },
    },
    optim: {}, // training.js: SGD, Adam, AdamW, RMSprop, Optimizer
  };
  // What the other files of the API (layers, optimisers, analysis) build on.
  // training.js adds kit.Optimizer.
  const kit = {
    raw, gl, Tensor, Module, parameter, show,
    wrap: (handle) => new Tensor(handle),
    args: { shapeArg, intArg, numberArg, tensorArg, paramHandles },
  };
  for (const install of EXTENSIONS) install(kit);
  return gl;
}
