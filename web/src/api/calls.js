// How every public function of gl is called: one wrapper, applied from one table (SURFACE in
// gl.js), instead of argument-count and error-naming code in each function.
//  - A call with more positional arguments than the function takes is an error naming the
//    call (trailing undefineds count as absent, like omitted arguments).
//  - An Error from inside (the engine, a helper, a module it calls) that does not already
//    name the call gets the call's name in front: "MultiheadAttention: randn: shape ... is too
//    large" says which line of the reader's code failed, and keeps the inner message.
//  - Anything thrown that is not an Error becomes one. A WebAssembly trap passes untouched:
//    it is a bug in the engine, and the fuzzer (tests/wasm/fuzz-api.test.mjs) looks for it.
//  - After an error the engine's shadow stack pointer is put back where it was when the
//    reader's call began: a JS exception out of C++ skips the code that pops it, and the
//    fuzzer found that ~130,000 errors overflowed the stack into the heap.

export const STRICT = Symbol('gradlab.strict'); // marks wrapped functions and classes

// Errors thrown by the reader's own code (a gl.tidy fn, an onProgress callback) reach the
// reader as they were.
const readers = new WeakSet();
/** Marks e as the reader's own error: nameError leaves it alone. Returns e. */
export function readerError(e) {
  if (e !== null && (typeof e === 'object' || typeof e === 'function')) readers.add(e);
  return e;
}

// 'bce_loss', 'bceLoss', 'BCELoss' are one name
const canonical = (name) => name.replace(/[_\s]/g, '').toLowerCase();

/** Refuses arguments past the `max` a call takes. */
export function checkArity(who, args, max) {
  let n = args.length;
  while (n > 0 && args[n - 1] === undefined) n--;
  if (n > max) {
    const takes = max === 0 ? 'no arguments' : max === 1 ? '1 argument' : `at most ${max} arguments`;
    throw new TypeError(`${who}: takes ${takes}, got ${n} (argument ${max + 1} is not known)`);
  }
}

/** e, with its message naming `who` (see the note at the top). */
export function nameError(who, e) {
  if (e instanceof WebAssembly.RuntimeError || readers.has(e)) return e;
  if (!(e instanceof Error)) return new Error(`${who}: ${typeof e === 'number' ? `engine error (code ${e})` : String(e)}`);
  const head = /^([\w.]+):/.exec(e.message)?.[1];
  const [want, got] = [canonical(who), head ? canonical(head) : ''];
  const named = head && (got === want || got.startsWith(`${want}.`) || want.endsWith(`.${got}`)
    || (/^[A-Z]/.test(head) && want.startsWith(`${got}.`))); // a class names its methods' errors: Linear for Linear.forward
  if (!named) {
    try { e.message = `${who}: ${e.message || e.name}`; } catch { return new Error(`${who}: ${e.message}`); }
  }
  return e;
}

/**
 * fn(), with the engine's stack pointer put back if it throws (stack: { save, restore } or
 * null). Every call saves it, nested ones too: a reader's loop inside gl.tidy that catches
 * its own errors must not leak either.
 */
export function withStack(stack, fn) {
  if (!stack) return fn();
  const sp = stack.save();
  try {
    return fn();
  } catch (e) {
    stack.restore(sp);
    throw e;
  }
}

/** fn, refusing more than `max` arguments and naming `who` in its errors. Keeps `this`. */
export function strictFunction(who, max, fn, stack = null) {
  if (fn[STRICT]) return fn;
  const wrapped = function (...args) {
    checkArity(who, args, max);
    try {
      return withStack(stack, () => fn.apply(this, args));
    } catch (e) {
      throw nameError(who, e);
    }
  };
  Object.defineProperty(wrapped, 'name', { value: fn.name || who });
  wrapped[STRICT] = true;
  return wrapped;
}

/**
 * A class whose constructor refuses more than `max` arguments and names `who` in its errors.
 * A Proxy, so `instanceof`, static fields and subclassing (`class M extends gl.nn.Module`)
 * work as on the class itself. methods: { name: max } wraps those prototype methods too.
 * made: the class is not for readers to construct; `new` says how its objects are made.
 */
export function strictClass(who, max, C, methods = {}, made = null, stack = null) {
  if (C[STRICT]) return C;
  for (const [name, n] of Object.entries(methods)) {
    // The method may come from a base class (stepGrads of RNN, LSTM and GRU): each class gets
    // its own wrapped copy, named after it.
    let desc;
    for (let p = C.prototype; p && !desc; p = Object.getPrototypeOf(p)) desc = Object.getOwnPropertyDescriptor(p, name);
    if (!desc || typeof desc.value !== 'function') throw new Error(`gl surface table: ${who}.${name} is not a method`);
    Object.defineProperty(C.prototype, name, { ...desc, value: strictFunction(`${who}.${name}`, n, desc.value, stack) });
  }
  return new Proxy(C, {
    construct(target, args, newTarget) {
      if (made) throw new TypeError(`${who}: ${made}`); // made by the API only (a Tensor wraps an engine handle)
      checkArity(who, args, max);
      try {
        return withStack(stack, () => Reflect.construct(target, args, newTarget));
      } catch (e) {
        throw nameError(who, e);
      }
    },
    get(target, key, receiver) {
      return key === STRICT ? true : Reflect.get(target, key, receiver);
    },
  });
}

/**
 * Wraps obj's functions and classes in place from a table shaped like obj (stack: the
 * engine's { save, restore } of its stack pointer):
 * { randn: 2, nn: { Linear: [3, { forward: 1 }], functional: { relu: 1 } } }.
 * A number is a function's (or a class constructor's) maximum argument count; [n, methods]
 * or [n, methods, how its objects are made] a class's; a nested object a namespace. Functions are named by their path without 'gl.'
 * (randn, nn.init.uniform), classes by their own name (Linear), methods as Linear.forward.
 */
export function applySurface(obj, table, stack = null, prefix = '') {
  for (const [name, spec] of Object.entries(table)) {
    const who = prefix + name;
    const v = obj[name];
    if (v === undefined) throw new Error(`gl surface table: ${who} does not exist`);
    if (spec !== null && typeof spec === 'object' && !Array.isArray(spec)) {
      applySurface(v, spec, stack, `${who}.`);
    } else if (isClass(v)) {
      const [max, methods, made] = Array.isArray(spec) ? spec : [spec, {}];
      obj[name] = strictClass(name, max, v, methods, made, stack);
    } else {
      obj[name] = strictFunction(who, spec, v, stack);
    }
  }
}

const isClass = (v) => typeof v === 'function' && /^class\b/.test(Function.prototype.toString.call(v));

/** Every function or class reachable from obj (depth 3) that applySurface did not wrap. */
export function unwrapped(obj, prefix = 'gl', depth = 0, out = []) {
  for (const [name, v] of Object.entries(obj)) {
    if (name.startsWith('_')) continue;
    if (typeof v === 'function') {
      if (!v[STRICT]) out.push(`${prefix}.${name}`);
    } else if (v && typeof v === 'object' && depth < 3 && Object.getPrototypeOf(v) === Object.prototype) {
      unwrapped(v, `${prefix}.${name}`, depth + 1, out);
    }
  }
  return out;
}
