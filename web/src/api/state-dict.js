// Keeping a model: module.stateDict() / module.loadStateDict(dict) with PyTorch's names, and
// gl.save(model) / gl.load(bytes) in the safetensors format (safetensors.js), which PyTorch
// reads with safetensors.torch.load_file and writes with save_file.
//
// Names are PyTorch's state_dict keys: a module's fields in the order they were set, a field's
// camelCase name in snake_case (MultiheadAttention's inProjWeight is 'in_proj_weight', its
// outProj 'out_proj'), nested modules joined by dots ('encoder.weight_ih_l0'), a Sequential's
// modules by their index ('ffn.0.weight'). Only parameters are in it (gl modules have no
// buffers). The values are the module's own parameter tensors, as PyTorch's state_dict shares
// its parameters' storage: save them (gl.save) to keep them.

import { decodeSafetensors, encodeSafetensors } from './safetensors.js';

/** Adds Module.stateDict, Module.loadStateDict, gl.save and gl.load (see EXTENSIONS in gl.js). */
export function install(kit) {
  const { gl, Tensor, Module, show } = kit;
  const { optionsArg } = kit.args;
  const snake = (name) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  const isPlain = (v) => v !== null && typeof v === 'object' && (Array.isArray(v) || Object.getPrototypeOf(v) === Object.prototype);
  const shapeStr = (s) => `[${s.join(', ')}]`;

  // [[name, parameter], ...] of a module: its fields in order, as Module.parameters() finds them.
  function namedParameters(m, prefix = '', out = [], depth = 0) {
    if (depth > 6) return out;
    for (const [key, v] of Object.entries(m)) {
      if (key.startsWith('_') || v === null || typeof v !== 'object') continue;
      const name = `${prefix}${snake(key)}`;
      if (v instanceof Tensor) { if (v._param) out.push([name, v]); }
      else if (v instanceof Module) namedParameters(v, `${name}.`, out, depth + 1);
      else if (isPlain(v)) namedParameters(v, `${name}.`, out, depth + 1);
    }
    return out;
  }

  // { name: Tensor } of what gl.save and gl.load(bytes, into) take: a Module, or a plain object
  // whose values are Tensors (a state dict) or Modules (named by their key: { encoder, decoder }).
  function stateOf(who, what) {
    if (what instanceof Module) return Object.fromEntries(namedParameters(what));
    if (what === null || typeof what !== 'object' || Object.getPrototypeOf(what) !== Object.prototype) {
      throw new TypeError(`${who}: expected a gl.nn.Module, a state dict { name: Tensor } or an object of modules { encoder, decoder }, got ${show(what)}`);
    }
    const out = {};
    for (const [key, v] of Object.entries(what)) {
      if (v instanceof Tensor) out[key] = v;
      else if (v instanceof Module) for (const [name, p] of namedParameters(v)) out[`${key}.${name}`] = p;
      else throw new TypeError(`${who}: '${key}' must be a Tensor or a gl.nn.Module, got ${show(v)}`);
    }
    return out;
  }

  // PyTorch's load_state_dict: every error at once, in its words.
  function loadInto(who, own, dict, strict, owner) {
    if (dict === null || typeof dict !== 'object' || Array.isArray(dict)) {
      throw new TypeError(`${who}: expected a state dict { name: Tensor } (module.stateDict(), gl.load(bytes)), got ${show(dict)}`);
    }
    const missingKeys = Object.keys(own).filter((k) => !Object.hasOwn(dict, k));
    const unexpectedKeys = Object.keys(dict).filter((k) => !Object.hasOwn(own, k));
    const errors = [];
    if (strict) {
      if (unexpectedKeys.length) errors.push(`Unexpected key(s) in state_dict: ${unexpectedKeys.map((k) => `"${k}"`).join(', ')}. `);
      if (missingKeys.length) errors.push(`Missing key(s) in state_dict: ${missingKeys.map((k) => `"${k}"`).join(', ')}. `);
    }
    const copies = [];
    for (const [name, target] of Object.entries(own)) {
      if (!Object.hasOwn(dict, name)) continue;
      const source = dict[name];
      if (!(source instanceof Tensor)) {
        errors.push(`While copying the parameter named "${name}", expected a Tensor in state_dict, got ${show(source)}.`);
        continue;
      }
      const [have, want] = [source.shape, target.shape];
      if (have.length !== want.length || have.some((d, i) => d !== want[i])) {
        errors.push(`size mismatch for ${name}: copying a param with shape ${shapeStr(have)} from checkpoint, the shape in current model is ${shapeStr(want)}.`);
        continue;
      }
      copies.push([target, source]);
    }
    const detail = errors.map((e) => `\n\t${e}`).join('');
    if (errors.length) throw new Error(`${who}: Error(s) in loading state_dict for ${owner}:${detail}`);
    gl.noGrad(() => copies.forEach(([target, source]) => target.copy_(source)));
    return { missingKeys, unexpectedKeys };
  }

  const proto = Module.prototype;
  /** { name: parameter } with PyTorch's names, in the order the fields were set. */
  proto.stateDict = function stateDict() { return Object.fromEntries(namedParameters(this)); };
  /**
   * Copies the values of dict { name: Tensor } into this module's parameters, in place.
   * { strict = true }: missing and unexpected keys are errors (as in PyTorch); shapes must match.
   * Returns { missingKeys, unexpectedKeys }.
   */
  proto.loadStateDict = function loadStateDict(dict, o) {
    const who = `${this.constructor.name}.loadStateDict`;
    const { strict = true } = optionsArg(who, o, ['strict']);
    return loadInto(who, this.stateDict(), dict, strict !== false, this.constructor.name);
  };

  /**
   * gl.save(model, { metadata }) -> Uint8Array: the safetensors bytes of a Module, a state dict
   * { name: Tensor } or an object of modules { encoder, decoder } (names 'encoder.weight_ih_l0').
   */
  function save(what, o) {
    const { metadata } = optionsArg('save', o, ['metadata']);
    const state = stateOf('save', what);
    const entries = Object.entries(state).map(([name, t]) => {
      t._live('save');
      return [name, { dtype: 'F32', shape: t.shape, data: t.toArray() }];
    });
    return encodeSafetensors(entries, metadata ?? { format: 'pt' }, 'save');
  }

  /**
   * gl.load(bytes) -> { name: Tensor }: the tensors of a safetensors file (float32; I64 and
   * BOOL become whole-number floats). gl.load(bytes, into): also loads them into `into` (a
   * Module or an object of modules, strictly, as loadStateDict) and returns the same object.
   */
  function load(bytes, into) {
    const { tensors } = decodeSafetensors(bytes, 'load');
    const dict = {};
    for (const [name, { shape, data }] of tensors) dict[name] = gl.tensor(data, shape);
    if (into !== undefined) {
      const owner = into instanceof Module ? into.constructor.name : 'the given modules';
      loadInto('load', stateOf('load', into), dict, true, owner);
    }
    return dict;
  }

  gl.save = save;
  gl.load = load;
}
