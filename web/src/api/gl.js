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
//     freed. Using such a tensor again copies it back, as the same kind of tensor: a spill
//     changes nothing code can observe (isLeaf, requiresGrad, op, grad, zeroGrad, the error of
//     a second backward). Wasm memory stays bounded by about twice the working set of one
//     step, however long the loop runs.
//  2. A FinalizationRegistry frees the wasm side of objects the GC collected (between tasks).
//  3. gl.tidy(fn) and t.dispose() free at once, for code that wants to.
//  4. A budget (memoryBudget, 1 GiB by default) bounds the tensor data a run holds, in wasm
//     and in spilled copies: past it, the call that would allocate fails with a message
//     naming the budget, and the engine stays usable.

import { install as installAnalysis } from './analysis.js';
import { applySurface, readerError } from './calls.js';
import { formatTensor } from './format.js';
import { install as installGraph } from './graph.js';
import { install as installLayers } from './layers.js';
import { install as installRecurrent } from './recurrent.js';
import { install as installStateDict } from './state-dict.js';
import { install as installTasks } from './tasks.js';
import { install as installTraining } from './training.js';

// Each adds its part of the API to gl through the kit made in makeGL: install(kit).
// training.js first: it provides kit.Optimizer for the others.
const EXTENSIONS = [installTraining, installTasks, installLayers, installRecurrent, installAnalysis, installStateDict, installGraph];

/**
 * Loads the engine and returns the API.
 * @param {object} o
 * @param {string|URL} o.engineURL   URL of gradlab-engine.mjs
 * @param {WebAssembly.Module} [o.wasmModule]  an already compiled engine (fast restarts)
 * @param {ArrayBuffer|Uint8Array} [o.wasmBinary]  the engine's bytes (Node)
 * @param {number} [o.memoryBudget]  bytes of tensor data a run may hold (see makeGL)
 * @param {number} [o.spillThreshold]  heap bytes past which tensors are spilled (see makeGL)
 * @param {object} [o.threads]  for the engine built with threads (gradlab-engine-threads.mjs):
 *   { workerURL, pool }, the URL of its pthread worker script (a blob: URL in the sandbox) and
 *   how many Workers to start beside this thread (at least 1); gl.setNumThreads picks how many
 *   of the 1 + pool threads an op uses
 */
export async function loadGL({ engineURL, wasmModule, wasmBinary, memoryBudget, spillThreshold, threads } = {}) {
  if (!engineURL) throw new Error('loadGL: engineURL is required');
  const { default: createEngine } = await import(/* @vite-ignore */ String(engineURL));
  const options = {};
  if (threads) {
    const { workerURL, pool } = threads;
    if (!workerURL || !(Number.isInteger(pool) && pool >= 1)) {
      throw new TypeError(`loadGL: threads must be { workerURL, pool >= 1 }, got workerURL ${workerURL} and pool ${pool}`);
    }
    options.gradlabPoolSize = pool;
    options.mainScriptUrlOrBlob = String(engineURL); // what each pthread Worker imports
    options.locateFile = (file) => (file.endsWith('.worker.js') ? String(workerURL) : file);
  }
  let failed; // Emscripten's hook has no way to report a failed instantiation: race it
  const instantiateFailed = new Promise((_, reject) => { failed = reject; });
  if (wasmModule) {
    // Never fetched; without it the loader resolves its .wasm against its own URL, which
    // in the sandbox is a blob: URL that cannot be a base.
    options.locateFile ??= (file) => file;
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
  return makeGL(raw, { memoryBudget, spillThreshold });
}

// Bytes of tensor data a run may hold (wasm tensors plus the JS copies of spilled ones) unless
// makeGL/loadGL is given memoryBudget. Half of the engine's 2 GB wasm maximum (CMakeLists.txt):
// a run that keeps its tensors then fails with this budget's message, not with an abort when
// wasm memory cannot grow or a tab killed at 8 GB of spilled copies (issue 10, §5).
export const DEFAULT_MEMORY_BUDGET = 2 ** 30;
const SPILL_MIN_BYTES = 64 << 20; // never spill below this heap size, unless told spillThreshold
const ENGINE_MAX_ELEMENTS = 2 ** 28; // kMaxElements (engine/include/gradlab/tensor.h): larger is refused there

const formatBytes = (n) => {
  if (n >= 2 ** 30) return `${+(n / 2 ** 30).toFixed(2)} GiB`;
  if (n >= 2 ** 20) return `${+(n / 2 ** 20).toFixed(2)} MiB`;
  if (n >= 2 ** 10) return `${+(n / 2 ** 10).toFixed(2)} KiB`;
  return `${n} bytes`;
};
const elementCount = (shape) => {
  if (typeof shape === 'number') shape = [shape];
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) return null;
  return shape.reduce((n, d) => n * d, 1);
};

/**
 * Builds the API over an instantiated engine module.
 * @param {object} [o]
 * @param {number} [o.memoryBudget]    bytes of tensor data the run may hold (DEFAULT_MEMORY_BUDGET)
 * @param {number} [o.spillThreshold]  heap bytes past which tensors are spilled (64 MiB; tests lower it)
 */
export function makeGL(raw, { memoryBudget = DEFAULT_MEMORY_BUDGET, spillThreshold = SPILL_MIN_BYTES } = {}) {
  for (const [name, v] of [['memoryBudget', memoryBudget], ['spillThreshold', spillThreshold]]) {
    if (typeof v !== 'number' || !(v > 0)) throw new TypeError(`makeGL: ${name} must be a positive number of bytes, got ${v}`);
  }
  // ---- handle lifetime (see the note at the top) ------------------------------------
  const live = { tensors: 0, spills: 0 };
  // Bytes of tensor values held for the run, counted against memoryBudget: wasm, behind the
  // handles of live Tensors, and js, in the spilled copies of tensors that hold data (made by
  // gl.randn, gl.tensor, detach(), a task's batch: op 'leaf'). Spilled copies of computed
  // tensors (a training step's intermediates, an evaluation under noGrad) are not counted: in
  // one synchronous loop JS cannot learn which objects the code dropped (finalizers run only
  // between tasks), nearly all of these are dropped, and counting them would stop a long
  // training loop that holds nothing (the adding problem's 1500 steps spill ~600 MB of them).
  const bytes = { wasm: 0, js: 0 };
  const release = (handle) => {
    if (!handle.isDeleted()) handle.delete();
  };
  const registry = new FinalizationRegistry((held) => {
    live.tensors--;
    bytes.wasm -= held.bytes;
    release(held.handle);
  });
  const spilledRegistry = new FinalizationRegistry((n) => { bytes.js -= n; });
  const scopes = []; // gl.tidy: each scope is the list of tensors made inside it

  const SPILL_CHECK_EVERY = 256;    // tensors made between two looks at the heap
  const PENDING_ROUNDS = 3;         // a graph never backwarded is left to the GC after this
  let spillAt = spillThreshold;
  let madeSinceCheck = 0;
  let bytesSinceCheck = 0; // of tensors made since the heap was last looked at
  let ops = 0; // tensors an op made so far: a tensor used since the last one is an input of the op under way
  // The tensors whose wasm handle was made since the last spill. Weak (WeakRefs) once the job
  // that made them has ended, so that the GC may collect a dropped tensor and its finalizer free
  // the handle; held strongly until then: a WeakRef keeps its target alive to the end of the job
  // anyway (ECMAScript's KeepDuringJob), so inside one long synchronous loop WeakRefs would keep
  // every tensor the loop made, and every spilled copy of one, until the loop ends (~600 MB for
  // the adding problem's 1500 steps). Held strongly, a tensor the loop dropped is let go at the
  // next spill, and its spilled copy with it.
  let recent = [];
  let strongFrom = -1; // recent[strongFrom..] are Tensors, not yet WeakRefs (-1: none)
  function remember(t) {
    if (strongFrom < 0) {
      strongFrom = recent.length;
      queueMicrotask(weaken); // at the end of this job
    }
    recent.push(t);
  }
  function weaken() {
    if (strongFrom < 0) return;
    for (let i = strongFrom; i < recent.length; i++) recent[i] = new WeakRef(recent[i]);
    strongFrom = -1;
  }

  function budgetError(who, asked, total) {
    const what = asked === null ? '' : `${asked} asks for ${formatBytes(total - bytes.wasm - bytes.js)}; `;
    return new Error(`${who}: ${what}tensors would use ${formatBytes(total)}, more than this lab's budget of ${formatBytes(memoryBudget)}; dispose() or tidy() tensors you no longer need`);
  }
  // Before a creation call allocates: its shape says how much.
  function reserve(who, shape) {
    const n = elementCount(shape);
    if (n === null || n > ENGINE_MAX_ELEMENTS) return; // a bad shape or size: the call's own check says so
    const total = bytes.wasm + bytes.js + 4 * n;
    if (total > memoryBudget) throw budgetError(who, `[${(typeof shape === 'number' ? [shape] : shape).join(', ')}]`, total);
  }
  // fresh: a handle an op just made (false for a spilled tensor coming back, which only moves)
  // A tensor made inside gl.tidy (t._scoped) is held by its scope until the scope ends, which
  // disposes it or hands it on: it needs no finalizer and no WeakRef while it is there (spill()
  // finds it in the scope), and most never leave it. One that leaves gets both then (escape).
  function adopt(t, fresh = true) {
    if (fresh) ops++;
    const n = 4 * t._h.numel();
    t._bytes = n;
    bytes.wasm += n;
    live.tensors++;
    if (!t._scoped) {
      registry.register(t, { handle: t._h, bytes: n }, t);
      remember(t);
    }
    // Look at the heap every SPILL_CHECK_EVERY tensors, or sooner after a few large ones.
    // Not on every tensor: heapInUse() walks the allocator's chunks, and bytes.wasm still
    // counts tensors that died in this loop (their finalizers run between tasks only).
    bytesSinceCheck += n;
    if (++madeSinceCheck >= SPILL_CHECK_EVERY || bytesSinceCheck > spillAt / 4) {
      madeSinceCheck = 0;
      bytesSinceCheck = 0;
      if (raw.heapInUse() > spillAt) spill(t); // t is about to be used: it stays
    }
    if (fresh && bytes.wasm + bytes.js > memoryBudget) {
      spill(t); // computed tensors leave the count once spilled (t itself is what was asked)
      const total = bytes.wasm + bytes.js;
      if (total > memoryBudget) {
        const who = t._ghost?.op ?? t._h.op();
        t.dispose();
        throw budgetError(who === 'leaf' ? 'tensor' : who, null, total);
      }
    }
  }
  // A tensor leaves the last gl.tidy scope alive: from now on the GC may collect it.
  function escape(t) {
    t._scoped = false;
    if (!t._h) return; // spilled or disposed: _live registers it when it comes back
    registry.register(t, { handle: t._h, bytes: t._bytes }, t);
    remember(t);
  }
  // adopting: the tensor being adopted, when an op under way spills; it and the op's inputs stay
  function spill(adopting = null) {
    // true: spill t now; false: it stays (and, in `recent`, is looked at next time)
    const spillable = (t) => {
      const h = t._h;
      if (adopting && (t === adopting || t._usedAt === ops)) return false;
      // A pending graph still needs the handle; a tensor whose values another holder shares
      // (a parameter's grad, a graph that used it) must stay, so that copy_ reaches them all
      // (spilling it would free nothing anyway: the other holder keeps the values).
      if (h.hasPendingGraph() || raw.shareCount(h) > 1) return ++t._rounds >= PENDING_ROUNDS ? null : false;
      return true;
    };
    const stay = [];
    for (const ref of recent) {
      const t = ref instanceof WeakRef ? ref.deref() : ref;
      if (!t?._h) continue; // collected, disposed, or spilled already
      const ok = spillable(t);
      if (ok) t._spillOut();
      else if (ok === false) stay.push(ref);
    }
    recent = stay;
    if (strongFrom >= 0) strongFrom = recent.findIndex((ref) => !(ref instanceof WeakRef));
    for (const scope of scopes) {
      for (const t of scope) if (t._h && t._scoped && spillable(t)) t._spillOut();
    }
    live.spills++;
    spillAt = Math.max(spillThreshold, 2 * raw.heapInUse());
  }
  function forget(t) {
    if (!t._scoped) registry.unregister(t);
    live.tensors--;
    bytes.wasm -= t._bytes;
    release(t._h);
    t._h = null;
  }
  function countSpilled(t, n) { // n bytes of JS copies now held for t (0: none)
    if (t._jsBytes) { bytes.js -= t._jsBytes; spilledRegistry.unregister(t); }
    t._jsBytes = n;
    if (n) { bytes.js += n; spilledRegistry.register(t, n, t); }
  }
  // A spilled tensor whose graph backward() spent comes back as one again: a non-leaf that
  // requires grad and whose backward (or that of anything made from it) raises, as before the
  // spill. The stand-in is reshape's output, spent by a backward with a zero gradient.
  function spentHandle(values, shape) {
    if (noGradDepth > 0) raw.setGradEnabled(true);
    const base = raw.fromArray(values, shape, true);
    try {
      const h = raw.reshape(base, shape);
      const zero = raw.full(shape, 0, false);
      try { h.backwardWith(zero); } finally { zero.delete(); }
      return h;
    } finally {
      base.delete();
      if (noGradDepth > 0) raw.setGradEnabled(false);
    }
  }
  // What backward() says on a tensor with a spent graph, asked before it is spilled (the engine
  // checks the whole graph before it runs anything, so this changes nothing).
  function backwardError(h, shape) {
    const zero = raw.full(shape, 0, false);
    try {
      h.backwardWith(zero);
      return null;
    } catch (e) {
      return e.message;
    } finally {
      zero.delete();
    }
  }

  // ---- argument checks: JS type errors name the call and the value --------------------
  // short: a message shows at most 8 items of an array, 3 levels deep, 60 characters of a string
  const show = (v, depth = 0) => {
    if (typeof v === 'string') return v.length > 60 ? `'${v.slice(0, 60)}...' (${v.length} characters)` : `'${v}'`;
    if (Array.isArray(v)) {
      if (depth >= 3) return `[${v.length} items]`;
      const items = v.slice(0, 8).map((x) => show(x, depth + 1));
      return `[${items.join(', ')}${v.length > 8 ? `, ... (${v.length} items)` : ''}]`;
    }
    if (v instanceof Tensor) return v.toString();
    if (v && typeof v === 'object') return v.constructor?.name ?? 'object';
    return String(v);
  };
  // A shape goes to the engine as given (gl.randn(5) is gl.randn([5])): the bindings check
  // sizes, indices and seeds (engine/bindings/guard.h) and name the call.
  const shapeArg = (shape) => (typeof shape === 'number' ? [shape] : shape);
  // Integers that stay in JS (a dim for size(), sizes a module only hands to other modules).
  function intArg(who, name, v, { min = -Infinity } = {}) {
    if (!Number.isSafeInteger(v) || v < min) {
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
  function boolArg(who, name, v) {
    if (typeof v !== 'boolean') throw new TypeError(`${who}: ${name} must be true or false, got ${show(v)}`);
    return v;
  }
  // The options object over its defaults; an unknown key (or a non-object) is an error naming
  // the call and the key. `defaults` may be a list of names (no defaults).
  const camel = (k) => k.replace(/_([a-z])/g, (_, c) => c.toUpperCase());
  function optionsArg(who, o, defaults) {
    if (Array.isArray(defaults)) defaults = Object.fromEntries(defaults.map((k) => [k, undefined]));
    if (o === undefined || o === null) return { ...defaults };
    if (typeof o !== 'object' || Array.isArray(o) || o instanceof Tensor || ArrayBuffer.isView(o)) {
      throw new TypeError(`${who}: options must be an object like { ${Object.keys(defaults).join(', ')} }, got ${show(o)}`);
    }
    const out = { ...defaults };
    for (const [k, v] of Object.entries(o)) {
      if (!Object.hasOwn(defaults, k)) {
        const hint = Object.hasOwn(defaults, camel(k)) ? ` (did you mean ${camel(k)}?)` : '';
        throw new TypeError(`${who}: unknown option '${k}'${hint}; the options are ${Object.keys(defaults).join(', ') || '(none)'}`);
      }
      if (v !== undefined) out[k] = v;
    }
    return out;
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
      this._bytes = 0;        // bytes of the handle's values, counted against the budget
      this._spilled = null;   // Float32Array of the values while spilled
      this._spilledGrad = null; // a spent non-leaf's retained grad, kept in JS once spilled
      this._jsBytes = 0;      // bytes of JS copies counted against the budget
      this._ghost = null;     // the handle's answers before its first spill: { op, leaf, backwardError }
      this._scoped = scopes.length > 0; // held by a gl.tidy scope (see adopt)
      adopt(this);
      if (scopes.length) scopes[scopes.length - 1].push(this);
    }
    _live(who = 'tensor') {
      this._usedAt = ops;
      if (this._h) return this._h;
      if (this._spilled) { // copy back into wasm memory, as the same kind of tensor
        this._h = this._ghost.leaf ? raw.fromArray(this._spilled, this._shape, false) : spentHandle(this._spilled, this._shape);
        this._spilled = null;
        countSpilled(this, 0);
        this._rounds = 0;
        adopt(this, false);
        return this._h;
      }
      throw new Error(`${who}: this tensor was disposed (by dispose() or gl.tidy); keep() it or return it from tidy to use it later`);
    }
    // Moves the values into JS and frees the wasm side, unless that would show: parameters
    // and leaves that gather gradients keep their identity (an optimizer holds their handles).
    // What a copy of the values does not say by itself (the op, whether backward may run) is
    // kept in _ghost and answered from there.
    _spillOut() {
      const h = this._h;
      const leaf = h.isLeaf();
      if (this._param || (leaf && h.requiresGrad())) return;
      const g = h.grad();
      if (g && leaf) { g.delete(); return; } // the grad of a leaf that stopped requiring it
      this._shape ??= h.shape();
      this._ghost ??= { op: h.op(), leaf, backwardError: leaf ? null : backwardError(h, this._shape) };
      this._spilled = h.toArray();
      if (g) {
        this._spilledGrad = g.toArray();
        g.delete();
      }
      forget(this);
      if (this._ghost.op === 'leaf') countSpilled(this, this._spilled.byteLength);
    }
    // Runs fn on the handle; an engine error then names this tensor as it was before a spill.
    _asBefore(fn) {
      try {
        return fn();
      } catch (e) {
        const g = this._ghost;
        if (g && e instanceof Error) {
          if (g.backwardError && e.message.includes('already freed')) e.message = g.backwardError;
          else e.message = e.message.replace(`made by ${g.leaf ? 'leaf' : 'reshape'}`, `made by ${g.op}`);
        }
        throw e;
      }
    }
    /** Frees the tensor's memory now. Using it afterwards is an error. */
    dispose() {
      this._spilled = this._spilledGrad = null;
      countSpilled(this, 0);
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
    set requiresGrad(on) { this._asBefore(() => this._live('requiresGrad').setRequiresGrad(!!on)); }
    requiresGrad_(on = true) { this.requiresGrad = boolArg('requiresGrad_', 'requiresGrad', on); return this; }
    get isLeaf() { return this._live('isLeaf').isLeaf(); }
    /** Name of the op that made this tensor ('leaf' for inputs and parameters). */
    get op() {
      const h = this._live('op');
      return this._ghost ? this._ghost.op : h.op();
    }
    /** ∂L/∂this after backward(), or null. */
    get grad() {
      const g = this._live('grad').grad();
      if (g !== null) return new Tensor(g);
      return this._spilledGrad ? new Tensor(raw.fromArray(this._spilledGrad, this._shape, false)) : null;
    }
    zeroGrad() {
      this._live('zeroGrad').zeroGrad();
      this._spilledGrad?.fill(0);
    }
    /** Drops the grad (grad becomes null), as PyTorch's p.grad = None; an optimiser then skips it. */
    clearGrad() {
      this._live('clearGrad').clearGrad();
      this._spilledGrad = null;
    }
    retainGrad() {
      this._asBefore(() => this._live('retainGrad').retainGrad());
      return this;
    }
    /** Backpropagates from this scalar, or from any tensor given a gradient of its shape. */
    backward(gradient) {
      const h = this._live('backward');
      const seed = gradient === undefined ? null : tensorArg('backward', 'gradient', gradient)._live('backward');
      this._asBefore(() => (seed ? h.backwardWith(seed) : h.backward()));
    }
    detach() { return new Tensor(this._live('detach').detach()); }
    item() { return this._live('item').item(); }
    /** A copy of the values, row-major. */
    toArray() { return this._live('toArray').toArray(); }
    /** PyTorch-style print of the values: tensor([[0.1, ...]], requiresGrad). */
    toString() {
      if (this.isDisposed) return 'Tensor(disposed)';
      const h = this._live('toString');
      const suffix = h.isLeaf() ? (h.requiresGrad() ? ', requiresGrad' : '') : `, op=${this.op}`;
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
    sqrt() { return new Tensor(raw.sqrt(this._live('sqrt'))); }
    /** |x|; its gradient is sign(x), 0 at 0. */
    abs() { return new Tensor(raw.abs(this._live('abs'))); }
    /** x ** p for a number p; gradient p·x^(p-1). */
    pow(p) { return new Tensor(raw.pow(this._live('pow'), numberArg('pow', 'exponent', p))); }
    /** min <= x <= max; either bound may be null (not both). Gradient 1 inside, bounds included. */
    clamp(min, max) { return new Tensor(raw.clamp(this._live('clamp'), min, max)); }
    /** Rounds down; its gradient is 0. */
    floor() { return new Tensor(raw.floor(this._live('floor'))); }
    // comparisons with a Tensor or a number: 1 where true, 0 where false, no gradient
    eq(o) { return compare('eq', this, o); }
    ne(o) { return compare('ne', this, o); }
    lt(o) { return compare('lt', this, o); }
    le(o) { return compare('le', this, o); }
    gt(o) { return compare('gt', this, o); }
    ge(o) { return compare('ge', this, o); }
    isnan() { return new Tensor(raw.isnan(this._live('isnan'))); }
    isfinite() { return new Tensor(raw.isfinite(this._live('isfinite'))); }
    /** x with dim indexed by index (a 1-D Tensor of whole numbers, or an array): x[:, idx] for dim 1. */
    indexSelect(dim, index) {
      const h = this._live('indexSelect');
      if (index instanceof Tensor) return new Tensor(raw.indexSelect(h, dim, index._live('indexSelect')));
      if (!Array.isArray(index)) throw new TypeError(`indexSelect: index must be a Tensor or an array of whole numbers, got ${show(index)}`);
      index.forEach((v, i) => {
        if (!Number.isInteger(v)) throw new TypeError(`indexSelect: index must hold whole numbers, got ${show(v)} at position ${i}`);
        // past 2^24 a float32 would round it: say here what the engine would say
        if (Math.abs(v) > 2 ** 24) throw new RangeError(`indexSelect: index ${v} is out of range for dim ${dim} of size ${this.size(dim)} in shape (${this.shape.join(', ')}) (at position ${i})`);
      });
      const t = raw.fromArray(Float32Array.from(index), [index.length], false);
      try { return new Tensor(raw.indexSelect(h, dim, t)); } finally { t.delete(); }
    }
    /** Reorders the dims: x.permute([2, 0, 1]) or x.permute(2, 0, 1); negative dims count from the end. */
    permute(...dims) {
      if (dims.length === 1 && Array.isArray(dims[0])) dims = dims[0];
      return new Tensor(raw.permute(this._live('permute'), dims));
    }
    /** PyTorch's expand: size-1 dims repeat, -1 keeps a size, new leading dims; x.expand([3, -1]) or x.expand(3, -1). */
    expand(...shape) {
      if (shape.length === 1 && Array.isArray(shape[0])) shape = shape[0];
      return new Tensor(raw.expand(this._live('expand'), shape));
    }
    /**
     * Writes src (a Tensor broadcast to this shape, or a number) into this tensor's own values
     * and returns it. Not for a leaf that requires grad unless under gl.noGrad (PyTorch's rule).
     */
    copy_(src) {
      const h = this._live('copy_');
      withOperand('copy_', src, (s) => raw.copy_(h, s));
      return this;
    }
    /** Sum of all elements, or along dim (keepdim leaves it as size 1), as torch.sum. */
    sum(dim, keepdim) { return reduce('sum', this, dim, keepdim); }
    mean(dim, keepdim) { return reduce('mean', this, dim, keepdim); }
    /** L2 norm of all elements (Frobenius for a matrix), or along dim. */
    norm(dim, keepdim) { return reduce('norm', this, dim, keepdim); }
    /** The largest element; along dim, PyTorch's (values, indices): [values, indices] with .values, .indices. */
    max(dim, keepdim) { return extreme('max', this, dim, keepdim); }
    min(dim, keepdim) { return extreme('min', this, dim, keepdim); }
    /** Index of the first largest element (flat), or along dim; floats holding whole numbers. */
    argmax(dim, keepdim) { return reduce('argmax', this, dim, keepdim); }
    argmin(dim, keepdim) { return this.neg().argmax(dim, keepdim); } // the first max of -x is the first min of x
    /** 2-D transpose. */
    t() { return new Tensor(raw.transpose(this._live('t'))); }
    transpose() { return this.t(); }
    get T() { return this.t(); }
    /** Drops `dim` by taking position `index`: x.select(1, t) is PyTorch's x[:, t]. */
    select(dim, index) { return new Tensor(raw.select(this._live('select'), dim, index)); }
    reshape(...shape) {
      if (shape.length === 1 && Array.isArray(shape[0])) shape = shape[0];
      return new Tensor(raw.reshape(this._live('reshape'), shape));
    }
    view(...shape) { return this.reshape(...shape); }
  }

  const compare = (name, x, o) => withOperand(name, o, (b) => new Tensor(raw[name](x._live(name), b)));
  /** where(cond, a, b): a where cond is nonzero, b elsewhere; a and b Tensors or numbers, all broadcast. */
  function where(cond, a, b) {
    const c = tensorArg('where', 'condition', cond)._live('where');
    return withOperand('where', a, (ha) => withOperand('where', b, (hb) => new Tensor(raw.where(c, ha, hb))));
  }
  // x.sum(), x.sum(dim), x.sum(dim, keepdim): never a dim ignored
  function reduce(name, x, dim, keepdim) {
    const h = x._live(name);
    if (dim === undefined) {
      if (keepdim !== undefined) throw new TypeError(`${name}: keepdim needs a dim, as in x.${name}(1, true)`);
      return new Tensor(raw[name](h));
    }
    return new Tensor(raw[`${name}Dim`](h, dim, boolArg(name, 'keepdim', keepdim ?? false)));
  }
  // max / min: a scalar, or along dim [values, indices] as PyTorch's (values, indices)
  function extreme(name, x, dim, keepdim) {
    const values = reduce(name, x, dim, keepdim);
    if (dim === undefined) return values;
    const indices = name === 'max' ? x.argmax(dim, keepdim) : x.argmin(dim, keepdim);
    return Object.assign([values, indices], { values, indices });
  }

  const opts = (who, o) => optionsArg(who, o, { requiresGrad: false }).requiresGrad;

  // ---- creation -----------------------------------------------------------------------
  const randn = (shape, o) => new Tensor(raw.randn(shapeArg(shape), opts('randn', o)));
  const rand = (shape, o) => new Tensor(raw.rand(shapeArg(shape), opts('rand', o)));
  const full = (shape, value, o) => new Tensor(raw.full(shapeArg(shape), numberArg('full', 'value', value), opts('full', o)));
  const zeros = (shape, o) => new Tensor(raw.zeros(shapeArg(shape), opts('zeros', o)));
  const ones = (shape, o) => new Tensor(raw.ones(shapeArg(shape), opts('ones', o)));
  /** A random permutation of 0 .. n-1 (whole-number floats), from the seeded generator. */
  const randperm = (n) => new Tensor(raw.randperm(n));
  /** Whole numbers uniform in [low, high), from the seeded generator. */
  const randint = (low, high, shape) => new Tensor(raw.randint(low, high, shapeArg(shape)));

  // The shape of a nested array, or an error naming where the nesting differs:
  // gl.tensor([[1, 2], [3, [4]]]) is not a (2, 2) tensor.
  function nestedShape(who, data) {
    const shape = [];
    for (let d = data; Array.isArray(d); d = d[0]) shape.push(d.length);
    const walk = (a, depth, path) => {
      if (depth === shape.length) {
        if (Array.isArray(a)) throw new TypeError(`${who}: ragged nested array: ${path} is an array, expected a number (as data${'[0]'.repeat(depth)})`);
        return;
      }
      if (!Array.isArray(a)) throw new TypeError(`${who}: ragged nested array: ${path} is ${show(a)}, expected an array of length ${shape[depth]} (as data${'[0]'.repeat(depth)})`);
      if (a.length !== shape[depth]) throw new TypeError(`${who}: ragged nested array: ${path} has length ${a.length}, expected ${shape[depth]} (as data${'[0]'.repeat(depth)})`);
      a.forEach((x, i) => walk(x, depth + 1, `${path}[${i}]`));
    };
    walk(data, 0, 'data');
    return shape;
  }

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
      const inferred = nestedShape('tensor', data);
      flat = data.flat(Infinity);
      shape ??= inferred;
    } else {
      throw new TypeError(`tensor: data must be a number, an array or a typed array, got ${show(data)}`);
    }
    const bad = flat.findIndex((v) => typeof v !== 'number');
    if (bad >= 0) throw new TypeError(`tensor: element ${bad} is not a number: ${show(flat[bad])}`);
    return new Tensor(raw.fromArray(Float32Array.from(flat), shape, opts('tensor', o)));
  }

  // ---- functions ----------------------------------------------------------------------
  function cat(tensors, dim = 0) {
    if (!Array.isArray(tensors) || tensors.length === 0) throw new TypeError(`cat: expected a non-empty array of Tensors, got ${show(tensors)}`);
    const handles = tensors.map((t, i) => tensorArg('cat', `tensors[${i}]`, t)._live('cat'));
    return new Tensor(raw.cat(handles, dim));
  }
  // gl.sum(x, dim, keepdim) is x.sum(dim, keepdim)
  const unaryFn = (name) => (x, ...rest) => tensorArg(name, 'input', x)[name](...rest);

  function tidy(fn) {
    if (typeof fn !== 'function') throw new TypeError(`tidy: expected a function, got ${show(fn)}`);
    const scope = [];
    scopes.push(scope);
    let result;
    try {
      try { result = fn(); } catch (e) { throw readerError(e); }
      if (result && typeof result.then === 'function') throw new Error('tidy: fn must be synchronous (it returned a Promise)');
    } finally {
      scopes.pop();
      const kept = new Set();
      collectTensors(result, kept);
      for (const t of scope) {
        if (kept.has(t) || t._keep) {
          if (scopes.length) scopes[scopes.length - 1].push(t); // belongs to the outer scope now
          else if (t._scoped) escape(t);
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
    if (typeof fn !== 'function') throw new TypeError(`noGrad: expected a function, got ${show(fn)}`);
    if (noGradDepth++ === 0) raw.setGradEnabled(false);
    try {
      return fn();
    } catch (e) {
      throw readerError(e);
    } finally {
      if (--noGradDepth === 0) raw.setGradEnabled(true);
    }
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
    constructor(inFeatures, outFeatures, o) {
      super();
      const { bias } = optionsArg('Linear', o, { bias: true });
      const made = raw.makeLinear(inFeatures, outFeatures, boolArg('Linear', 'bias', bias));
      this.inFeatures = inFeatures;
      this.outFeatures = outFeatures;
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
    manualSeed: (seed) => raw.manualSeed(seed),
    // torch.set_num_threads / get_num_threads: the engine's threads for one op (1 unless the
    // page is cross-origin isolated and runs the engine built with threads); maxThreads, the most
    setNumThreads: (n) => raw.setNumThreads(n),
    getNumThreads: () => raw.getNumThreads(),
    maxThreads: () => raw.maxThreads(),
    randn, rand, zeros, ones, full, tensor, cat, where, randperm, randint,
    sigmoid: unaryFn('sigmoid'), tanh: unaryFn('tanh'), relu: unaryFn('relu'),
    exp: unaryFn('exp'), log: unaryFn('log'), sum: unaryFn('sum'), mean: unaryFn('mean'), norm: unaryFn('norm'),
    max: unaryFn('max'), min: unaryFn('min'), argmax: unaryFn('argmax'), argmin: unaryFn('argmin'),
    matmul: (a, b) => tensorArg('matmul', 'input', a).matmul(b),
    tidy, noGrad,
    /**
     * Live tensor handles, spills so far, wasm memory in bytes, and the bytes of tensor data
     * counted against the budget (tests and the curious).
     */
    memory: () => ({
      tensors: live.tensors, spills: live.spills, heapInUse: raw.heapInUse(), wasmBytes: raw.HEAP8.length,
      tensorBytes: bytes.wasm + bytes.js, spilledBytes: bytes.js, budget: memoryBudget,
    }),
    /** Forces a spill now (tests; normal code never needs it). */
    _spill: () => spill(),
    nn: {
      Module, Linear, MSELoss, BCELoss,
      functional: { mseLoss, bceLoss, sigmoid: unaryFn('sigmoid'), tanh: unaryFn('tanh'), relu: unaryFn('relu') },
    },
    optim: {}, // training.js: SGD, Adam, AdamW, RMSprop, Optimizer
  };
  // A creation call checks the memory budget before the engine allocates: the shape says how much.
  for (const name of ['randn', 'rand', 'zeros', 'ones', 'full']) {
    const make = gl[name];
    gl[name] = (shape, ...rest) => {
      reserve(name, shape);
      return make(shape, ...rest);
    };
  }
  gl.randperm = (n) => { reserve('randperm', [n]); return randperm(n); };
  gl.randint = (low, high, shape) => { reserve('randint', shape); return randint(low, high, shape); };
  // What the other files of the API (layers, optimisers, analysis) build on.
  // training.js adds kit.Optimizer.
  const kit = {
    raw, gl, Tensor, Module, parameter, show,
    wrap: (handle) => new Tensor(handle),
    args: { intArg, numberArg, tensorArg, boolArg, optionsArg, paramHandles },
  };
  for (const install of EXTENSIONS) install(kit);
  applySurface(gl, SURFACE, { save: raw.stackPointer, restore: raw.restoreStackPointer });
  return gl;
}

// Every public function and class of gl with the most arguments it takes (see calls.js):
// more is an error naming the call. A class is [constructor arguments, { method: arguments }].
const MODULE = { parameters: 0, numParameters: 0, zeroGrad: 0, train: 1, eval: 0, forward: Infinity, stateDict: 0, loadStateDict: 2 };
const LAYER = (n, forward, more = {}) => [n, { forward, ...more }];
const RECURRENT = LAYER(3, 2, { namedParameters: 0, stepGrads: 1 });
const INIT = {
  calculateGain: 2, uniform: 3, normal: 3, constant: 2, zeros: 1, ones: 1, fillSlice: 4, eye: 2,
  xavierUniform: 2, xavierNormal: 2, kaimingUniform: 4, kaimingNormal: 4, orthogonal: 2,
  spectralRadius: 2, scaleSpectralRadius: 2,
};
for (const [name, n] of Object.entries(INIT)) { // PyTorch's spellings: orthogonal_
  if (name !== 'calculateGain') INIT[name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`) + '_'] = n;
}
export const SURFACE = {
  Tensor: [1, {
    dispose: 0, keep: 0, size: 1, numel: 0, requiresGrad_: 1, zeroGrad: 0, clearGrad: 0, retainGrad: 0, backward: 1,
    detach: 0, item: 0, toArray: 0, toString: 0, add: 1, sub: 1, mul: 1, div: 1, matmul: 1, neg: 0,
    sigmoid: 0, tanh: 0, relu: 0, exp: 0, log: 0, square: 0, sum: 2, mean: 2, norm: 2, max: 2, min: 2,
    argmax: 2, argmin: 2, t: 0, transpose: 2, select: 2, reshape: Infinity, view: Infinity,
    softmax: 1, logSoftmax: 1, gelu: 1, bmm: 1, narrow: 3,
    sqrt: 0, abs: 0, pow: 1, clamp: 2, floor: 0, eq: 1, ne: 1, lt: 1, le: 1, gt: 1, ge: 1, isnan: 0, isfinite: 0,
    indexSelect: 2, permute: Infinity, expand: Infinity, copy_: 1,
  }, 'tensors are made by gl.tensor, gl.randn, gl.zeros, ... and by ops, not with new'],
  manualSeed: 1, setNumThreads: 1, getNumThreads: 0, maxThreads: 0, randn: 2, rand: 2, zeros: 2, ones: 2, full: 3, tensor: 3, cat: 2, where: 3, randperm: 1, randint: 3,
  sigmoid: 1, tanh: 1, relu: 1, exp: 1, log: 1, sum: 3, mean: 3, norm: 3, max: 3, min: 3, argmax: 3, argmin: 3,
  matmul: 2, tidy: 1, noGrad: 1, memory: 0, save: 2, load: 2, softmax: 2, logSoftmax: 2, bmm: 2, narrow: 4, transpose: 3,
  nn: {
    Module: [0, MODULE],
    Linear: LAYER(3, 1), MSELoss: LAYER(0, 2), BCELoss: LAYER(0, 2), LayerNorm: LAYER(2, 1), Dropout: LAYER(1, 1),
    Embedding: LAYER(2, 1), MultiheadAttention: LAYER(3, 4), TransformerBlock: LAYER(3, 2),
    Sequential: LAYER(Infinity, 1, { append: 1 }), ReLU: LAYER(0, 1), GELU: LAYER(1, 1), Tanh: LAYER(0, 1),
    Sigmoid: LAYER(0, 1), CrossEntropyLoss: LAYER(1, 2), NLLLoss: LAYER(1, 2), BCEWithLogitsLoss: LAYER(1, 2),
    positionalEncoding: 2,
    RNN: RECURRENT, LSTM: RECURRENT, GRU: RECURRENT, RNNCell: LAYER(3, 2), LSTMCell: LAYER(3, 2), GRUCell: LAYER(3, 2),
    functional: {
      mseLoss: 2, bceLoss: 2, sigmoid: 1, tanh: 1, relu: 1, softmax: 2, logSoftmax: 2, gelu: 2, dropout: 3,
      layerNorm: 3, crossEntropy: 3, nllLoss: 3, bceWithLogits: 3,
    },
    utils: { clipGradNorm: 3, clipGradValue: 2, gradNorm: 2, l1Penalty: 2, l2Penalty: 2 },
    init: INIT,
  },
  optim: { Optimizer: [3, { step: 0, zeroGrad: 0 }], SGD: 2, Adam: 2, AdamW: 2, RMSprop: 2 },
  linalg: { spectralRadius: 1, singularValues: 1, eigvals: 1 },
  utils: { EarlyStopping: [1, { step: 2, reset: 0 }] },
  tasks: {
    AddingProblem: [1, { batch: 1 }], CopyTask: [1, { batch: 1 }],
    NumberReading: [1, { batch: 1, batchOf: 1, reading: 1, encode: 1, decode: 1, decodeSource: 1 }],
    PairsTask: [1, { batch: 1, slice: 2, pairs: 0, encode: 1, decode: 1, decodeSource: 1 }],
  },
  analysis: {
    stepGradNorms: 1, preactivations: 3, slopes: 2, jacobianNorms: 3, spectrum: 1, powerNorms: 2,
    SpectralTracker: [0, { record: 2 }], saturation: 3, histogram: 2, clip: 2, lstmTrace: 2, forgetGates: 2,
    cellStateJacobian: 4,
  },
  experiments: { list: 0, run: 3 },
  graph: 2,
};
