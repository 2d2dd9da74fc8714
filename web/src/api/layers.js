// gl.nn's attention and Transformer part: LayerNorm, Dropout, Embedding, MultiheadAttention,
// TransformerBlock, Sequential, activation modules, the classification losses, their
// functional forms, positional encoding, and train() / eval() on every module.
// The math is in the engine (engine/include/gradlab/layers.h); this file checks JS
// arguments, holds parameters and composes modules the way PyTorch does.
//
// Conventions
// - Integer inputs (token ids for Embedding, class targets for the losses) are Tensors
//   holding whole numbers, e.g. gl.tensor([[3, 1, 4]]); a plain (nested) JS array or typed
//   array of integers is accepted too and made into such a tensor. Values are exact up to
//   2^24; a value that is not a whole number or is out of range is an error naming it.
// - Masks (keyPaddingMask) are Tensors or arrays of 0/1 or booleans; true (nonzero) marks a
//   padding position that attention ignores, as PyTorch's bool masks do.
// - Sequences are batch first, (B, T, E), as everywhere in gl (gl.nn.LSTM too). PyTorch's
//   MultiheadAttention defaults to (T, B, E), as in article 000's example: pass
//   { batchFirst: false } for that layout.
// - GELU is the tanh approximation (PyTorch's approximate='tanh') unless given
//   { approximate: 'none' } (the exact erf form, PyTorch's default).

/** Adds the layers to kit.gl (see EXTENSIONS in gl.js). */
export function install(kit) {
  const { raw, gl, Tensor, Module, parameter, show, wrap } = kit;
  const { intArg, numberArg, tensorArg, boolArg, optionsArg: options } = kit.args;
  const { Linear } = gl.nn;

  // ---- argument helpers -----------------------------------------------------------------
  const live = (who, name, t) => tensorArg(who, name, t)._live(who);
  const liveOrNull = (who, name, t) => (t === null || t === undefined ? null : live(who, name, t));
  // "(2, 5, 16)", as the engine prints shapes
  const shapeStr = (s) => `(${s.join(', ')}${s.length === 1 ? ',' : ''})`;

  function probArg(who, name, p) {
    numberArg(who, name, p);
    if (!(p >= 0 && p < 1)) throw new RangeError(`${who}: ${name} must be in [0, 1), got ${p}`);
    return p;
  }
  const REDUCTIONS = { mean: 0, sum: 1, none: 2 };
  function reductionArg(who, r) {
    if (typeof r !== 'string' || !Object.hasOwn(REDUCTIONS, r)) throw new TypeError(`${who}: reduction must be 'mean', 'sum' or 'none', got ${show(r)}`);
    return REDUCTIONS[r];
  }
  function geluArg(who, a) {
    if (a !== 'tanh' && a !== 'none') throw new TypeError(`${who}: approximate must be 'tanh' or 'none', got ${show(a)}`);
    return a === 'none';
  }
  // A Tensor of whole numbers, or a (nested) array / typed array of numbers or booleans made
  // into one (see the conventions at the top).
  function integerTensor(who, name, v) {
    if (v instanceof Tensor) return v;
    if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return gl.tensor(Float32Array.from(v, Number));
    if (Array.isArray(v)) {
      const numbers = (a) => (Array.isArray(a) ? a.map(numbers) : typeof a === 'boolean' ? Number(a) : a);
      const converted = numbers(v);
      const bad = converted.flat(Infinity).find((x) => typeof x !== 'number');
      if (bad !== undefined) throw new TypeError(`${who}: ${name} must hold numbers, got ${show(bad)} in ${show(v)}`);
      return gl.tensor(converted);
    }
    throw new TypeError(`${who}: ${name} must be a Tensor or an array of integers, got ${show(v)}`);
  }
  const optionalIntegerTensor = (who, name, v) => (v === null || v === undefined ? null : integerTensor(who, name, v));

  // ---- train() / eval() on every Module ------------------------------------------------------
  // `training` defaults to true; train(mode) sets it on the module and on every module in its
  // fields (as PyTorch's Module.train), so Dropout anywhere inside a model obeys it.
  function childModules(m) {
    const out = new Set();
    const visit = (v, depth) => {
      if (depth > 6 || v === null || typeof v !== 'object') return;
      if (v instanceof Module && depth > 0) { out.add(v); return; }
      if (Array.isArray(v) || v === m || Object.getPrototypeOf(v) === Object.prototype) {
        Object.values(v).forEach((x) => visit(x, depth + 1));
      }
    };
    visit(m, 0);
    return [...out];
  }
  const proto = Module.prototype;
  if (!('train' in proto)) {
    Object.defineProperty(proto, 'training', {
      get() { return this._training ?? true; },
      set(on) { this._training = boolArg(this.constructor.name, 'training', on); },
      configurable: true,
    });
    /** Training mode (Dropout active) for this module and every module inside it. */
    proto.train = function train(mode = true) {
      boolArg(`${this.constructor.name}.train`, 'mode', mode);
      this._training = mode;
      childModules(this).forEach((c) => c.train(mode));
      return this;
    };
    /** Evaluation mode: Dropout is the identity. Same as train(false). */
    proto.eval = function evalMode() { return this.train(false); };
  }

  // ---- ops: functional forms and Tensor methods -------------------------------------------------
  /** softmax(x, dim = -1): exp(x) / Σ exp(x) along dim, max-subtracted (never overflows). */
  const softmax = (x, dim = -1) => wrap(raw.softmax(live('softmax', 'input', x), dim));
  /** logSoftmax(x, dim = -1): x - log Σ exp(x) along dim. */
  const logSoftmax = (x, dim = -1) => wrap(raw.logSoftmax(live('logSoftmax', 'input', x), dim));
  /** gelu(x, { approximate = 'tanh' }): 'tanh' is PyTorch's approximate='tanh'; 'none' is exact (erf). */
  function gelu(x, o) {
    const { approximate = 'tanh' } = options('gelu', o, ['approximate']);
    return wrap(raw.gelu(live('gelu', 'input', x), geluArg('gelu', approximate)));
  }
  /**
   * dropout(x, p = 0.5, training = true): zeroes each element with probability p (the engine's
   * seeded RNG: gl.manualSeed) and scales the rest by 1/(1-p); with training false, x itself.
   */
  function dropout(x, p = 0.5, training = true) {
    return wrap(raw.dropout(live('dropout', 'input', x), probArg('dropout', 'p', p), boolArg('dropout', 'training', training)));
  }
  /** bmm(a, b): (B, N, K) @ (B, K, M) -> (B, N, M). */
  const bmm = (a, b) => wrap(raw.bmm(live('bmm', 'input', a), live('bmm', 'mat2', b)));
  /** narrow(x, dim, start, length): positions start .. start+length-1 of dim. */
  const narrow = (x, dim, start, length) => wrap(raw.narrow(live('narrow', 'input', x), dim, start, length));
  /** transpose(x, dim0, dim1): swaps two dims of any tensor, e.g. (B, T, d) -> (B, d, T). */
  const transpose = (x, dim0, dim1) => wrap(raw.transposeDims(live('transpose', 'input', x), dim0, dim1));

  const T = Tensor.prototype;
  const method = (name, fn) => { if (!(name in T)) T[name] = fn; };
  method('softmax', function (dim = -1) { return softmax(this, dim); });
  method('logSoftmax', function (dim = -1) { return logSoftmax(this, dim); });
  method('gelu', function (o) { return gelu(this, o); });
  method('bmm', function (other) { return bmm(this, other); });
  method('narrow', function (dim, start, length) { return narrow(this, dim, start, length); });
  // x.transpose() stays the 2-D transpose; x.transpose(dim0, dim1) swaps any two dims
  const transpose2d = T.transpose;
  T.transpose = function (dim0, dim1) {
    if (dim0 === undefined && dim1 === undefined) return transpose2d.call(this);
    return transpose(this, dim0, dim1);
  };

  // ---- losses ---------------------------------------------------------------------------------
  /**
   * crossEntropy(input, target, { ignoreIndex = -100, reduction = 'mean' }): input (N, C) logits,
   * target (N) class indices (a Tensor of whole numbers or an array). Softmax and NLL fused.
   * 'mean' averages over the targets that are not ignoreIndex (0 if all are).
   */
  function crossEntropy(input, target, o) {
    const { ignoreIndex = -100, reduction = 'mean' } = options('crossEntropy', o, ['ignoreIndex', 'reduction']);
    const t = integerTensor('crossEntropy', 'target', target);
    return wrap(raw.crossEntropy(live('crossEntropy', 'input', input), t._live('crossEntropy'),
      ignoreIndex, reductionArg('crossEntropy', reduction)));
  }
  /** nllLoss(input, target, { ignoreIndex = -100, reduction = 'mean' }): input (N, C) log-probabilities. */
  function nllLoss(input, target, o) {
    const { ignoreIndex = -100, reduction = 'mean' } = options('nllLoss', o, ['ignoreIndex', 'reduction']);
    const t = integerTensor('nllLoss', 'target', target);
    return wrap(raw.nllLoss(live('nllLoss', 'input', input), t._live('nllLoss'),
      ignoreIndex, reductionArg('nllLoss', reduction)));
  }
  /** bceWithLogits(input, target, { reduction = 'mean' }): max(x, 0) - x·t + log(1 + e^-|x|), stable. */
  function bceWithLogits(input, target, o) {
    const { reduction = 'mean' } = options('bceWithLogits', o, ['reduction']);
    return wrap(raw.bceWithLogits(live('bceWithLogits', 'input', input), live('bceWithLogits', 'target', target),
      reductionArg('bceWithLogits', reduction)));
  }

  class CrossEntropyLoss extends Module {
    /** new gl.nn.CrossEntropyLoss({ ignoreIndex = -100, reduction = 'mean' }); forward(input (N, C), target (N)) */
    constructor(o) {
      super();
      const { ignoreIndex = -100, reduction = 'mean' } = options('CrossEntropyLoss', o, ['ignoreIndex', 'reduction']);
      this.ignoreIndex = intArg('CrossEntropyLoss', 'ignoreIndex', ignoreIndex);
      reductionArg('CrossEntropyLoss', reduction);
      this.reduction = reduction;
    }
    forward(input, target) { return crossEntropy(input, target, { ignoreIndex: this.ignoreIndex, reduction: this.reduction }); }
  }
  class NLLLoss extends Module {
    /** new gl.nn.NLLLoss({ ignoreIndex = -100, reduction = 'mean' }); forward(logProbs (N, C), target (N)) */
    constructor(o) {
      super();
      const { ignoreIndex = -100, reduction = 'mean' } = options('NLLLoss', o, ['ignoreIndex', 'reduction']);
      this.ignoreIndex = intArg('NLLLoss', 'ignoreIndex', ignoreIndex);
      reductionArg('NLLLoss', reduction);
      this.reduction = reduction;
    }
    forward(input, target) { return nllLoss(input, target, { ignoreIndex: this.ignoreIndex, reduction: this.reduction }); }
  }
  class BCEWithLogitsLoss extends Module {
    /** new gl.nn.BCEWithLogitsLoss({ reduction = 'mean' }); forward(logits, target) of one shape */
    constructor(o) {
      super();
      const { reduction = 'mean' } = options('BCEWithLogitsLoss', o, ['reduction']);
      reductionArg('BCEWithLogitsLoss', reduction);
      this.reduction = reduction;
    }
    forward(input, target) { return bceWithLogits(input, target, { reduction: this.reduction }); }
  }

  // ---- activation modules ---------------------------------------------------------------------
  class ReLU extends Module {
    forward(x) { return tensorArg('ReLU', 'input', x).relu(); }
    toString() { return 'ReLU()'; }
  }
  class Tanh extends Module {
    forward(x) { return tensorArg('Tanh', 'input', x).tanh(); }
    toString() { return 'Tanh()'; }
  }
  class Sigmoid extends Module {
    forward(x) { return tensorArg('Sigmoid', 'input', x).sigmoid(); }
    toString() { return 'Sigmoid()'; }
  }
  class GELU extends Module {
    /** new gl.nn.GELU() (tanh approximation), new gl.nn.GELU({ approximate: 'none' }) or GELU('none') */
    constructor(o) {
      super();
      const { approximate = 'tanh' } = typeof o === 'string' ? { approximate: o } : options('GELU', o, ['approximate']);
      geluArg('GELU', approximate);
      this.approximate = approximate;
    }
    forward(x) { return gelu(tensorArg('GELU', 'input', x), { approximate: this.approximate }); }
    toString() { return `GELU(approximate='${this.approximate}')`; }
  }

  // ---- layers -----------------------------------------------------------------------------------
  /**
   * layerNorm(x, normalizedShape, { weight, bias, eps = 1e-5 }): PyTorch's F.layer_norm over
   * the last dim (normalizedShape = E or [E]); weight and bias (E) are optional.
   */
  function layerNorm(x, normalizedShape, o) {
    const who = 'layerNorm';
    const { weight = null, bias = null, eps = 1e-5 } = options(who, o, ['weight', 'bias', 'eps']);
    const E = intArg(who, 'normalized_shape', Array.isArray(normalizedShape) && normalizedShape.length === 1 ? normalizedShape[0] : normalizedShape, { min: 1 });
    const h = live(who, 'input', x);
    const s = x.shape;
    if (s.length === 0 || s[s.length - 1] !== E) throw new Error(`LayerNorm: expected input (*, ${E}), got ${shapeStr(s)}`);
    return wrap(raw.layerNorm(h, liveOrNull(who, 'weight', weight), liveOrNull(who, 'bias', bias), numberArg(who, 'eps', eps)));
  }

  class LayerNorm extends Module {
    /**
     * new gl.nn.LayerNorm(normalizedShape, { eps = 1e-5, elementwiseAffine = true }): normalises
     * the last dim (normalizedShape = E or [E]) to mean 0, variance 1, then · weight + bias
     * (ones and zeros at init: 2E parameters).
     */
    constructor(normalizedShape, o) {
      super();
      const { eps = 1e-5, elementwiseAffine = true } = options('LayerNorm', o, ['eps', 'elementwiseAffine']);
      let E = normalizedShape;
      if (Array.isArray(E)) {
        if (E.length !== 1) throw new TypeError(`LayerNorm: only the last dim is normalised, so normalized_shape must be a number or [number], got ${show(normalizedShape)}`);
        E = E[0];
      }
      this.eps = numberArg('LayerNorm', 'eps', eps);
      const made = raw.makeLayerNorm(E, eps, boolArg('LayerNorm', 'elementwiseAffine', elementwiseAffine));
      this.normalizedShape = E;
      this.weight = made.weight ? parameter(made.weight) : null;
      this.bias = made.bias ? parameter(made.bias) : null;
    }
    forward(x) {
      tensorArg('LayerNorm', 'input', x);
      return layerNorm(x, this.normalizedShape, { weight: this.weight, bias: this.bias, eps: this.eps });
    }
    toString() { return `LayerNorm((${this.normalizedShape},), eps=${this.eps}, elementwise_affine=${!!this.weight})`; }
  }

  class Dropout extends Module {
    /** new gl.nn.Dropout(p = 0.5): active in train() mode (the default), the identity in eval(). */
    constructor(p = 0.5) {
      super();
      this.p = probArg('Dropout', 'p', p);
    }
    forward(x) { return wrap(raw.dropout(live('Dropout', 'input', x), this.p, this.training !== false)); }
    toString() { return `Dropout(p=${this.p})`; }
  }

  class Embedding extends Module {
    /**
     * new gl.nn.Embedding(numEmbeddings, embeddingDim): weight (N, E) ~ N(0, 1).
     * forward(ids): ids of any shape (a Tensor of whole numbers or an array) -> (*ids.shape, E).
     */
    constructor(numEmbeddings, embeddingDim) {
      super();
      this.weight = parameter(raw.makeEmbedding(numEmbeddings, embeddingDim));
      this.numEmbeddings = numEmbeddings;
      this.embeddingDim = embeddingDim;
    }
    forward(ids) {
      const t = integerTensor('Embedding', 'input', ids);
      return wrap(raw.embedding(t._live('Embedding'), this.weight._live('Embedding')));
    }
    toString() { return `Embedding(${this.numEmbeddings}, ${this.embeddingDim})`; }
  }

  /** positionalEncoding(T, E): the sinusoidal table (T, E); PE[t, 2i] = sin(t/10000^(2i/E)), PE[t, 2i+1] = cos(...). */
  const positionalEncoding = (T, E) => wrap(raw.positionalEncoding(T, E));

  class Sequential extends Module {
    /** new gl.nn.Sequential(m0, m1, ...) or Sequential([m0, m1, ...]); seq[i] is the i-th module. */
    constructor(...modules) {
      super();
      if (modules.length === 1 && Array.isArray(modules[0])) modules = modules[0];
      Object.defineProperty(this, 'length', { value: 0, writable: true, enumerable: false });
      modules.forEach((m) => this.append(m));
    }
    /** Adds a module at the end. */
    append(m) {
      if (!(m instanceof Module)) throw new TypeError(`Sequential: module ${this.length} must be a gl.nn.Module (Linear, ReLU, ...), got ${show(m)}`);
      this[this.length++] = m;
      return this;
    }
    forward(x) {
      let h = x;
      for (let i = 0; i < this.length; i++) h = this[i].forward(h);
      return h;
    }
    *[Symbol.iterator]() { for (let i = 0; i < this.length; i++) yield this[i]; }
    toString() { return `Sequential(\n${[...this].map((m, i) => `  (${i}): ${m}`).join('\n')}\n)`; }
  }

  // A Linear around existing parameters (MultiheadAttention's out_proj, made by the engine).
  function linearOf(weight, bias) {
    const lin = Object.create(Linear.prototype);
    const [out, inp] = weight.shape;
    return Object.assign(lin, { inFeatures: inp, outFeatures: out, weight, bias });
  }
  // (T, B, E) <-> (B, T, E)
  const swap01 = (x) => transpose(x, 0, 1);

  class MultiheadAttention extends Module {
    /**
     * new gl.nn.MultiheadAttention(embedDim, numHeads, { dropout = 0, bias = true, batchFirst = true })
     * PyTorch's parameters and init: inProjWeight (3E, E) [W_q; W_k; W_v], inProjBias (3E),
     * outProj a Linear(E, E): 4E² + 4E parameters. numHeads must divide embedDim.
     */
    constructor(embedDim, numHeads, o) {
      super();
      const { dropout: p = 0, bias = true, batchFirst = true } = options('MultiheadAttention', o, ['dropout', 'bias', 'batchFirst']);
      this.dropout = probArg('MultiheadAttention', 'dropout', p);
      this.batchFirst = boolArg('MultiheadAttention', 'batchFirst', batchFirst);
      const made = raw.makeMultiheadAttention(embedDim, numHeads, p, boolArg('MultiheadAttention', 'bias', bias));
      this.embedDim = embedDim;
      this.numHeads = numHeads;
      this.headDim = embedDim / numHeads;
      this.inProjWeight = parameter(made.inProjWeight);
      this.inProjBias = made.inProjBias ? parameter(made.inProjBias) : null;
      this.outProj = linearOf(parameter(made.outProjWeight), made.outProjBias ? parameter(made.outProjBias) : null);
    }
    /**
     * forward(query, key = query, value = key, { causal = false, keyPaddingMask = null,
     *         needWeights = true, averageAttnWeights = true }) -> [output, weights]
     * query (B, L, E) and key, value (B, S, E); with batchFirst false (L, B, E) and (S, B, E).
     * output is shaped like query; weights (B, L, S) averaged over heads, (B, H, L, S) with
     * averageAttnWeights false, null with needWeights false. causal: query i attends to keys
     * j <= i. keyPaddingMask (B, S): true/1 marks padding keys, which get weight 0.
     * mha.forward(x, { causal: true }) is self-attention.
     */
    forward(query, key, value, o) {
      if (value === undefined && o === undefined && key !== null && typeof key === 'object' && Object.getPrototypeOf(key) === Object.prototype) {
        o = key; // forward(x, { ...options }): self-attention
        key = undefined;
      }
      key ??= query;
      value ??= key;
      const who = 'MultiheadAttention';
      const { causal = false, keyPaddingMask = null, needWeights = true, averageAttnWeights = true } =
        options(who, o, ['causal', 'keyPaddingMask', 'needWeights', 'averageAttnWeights']);
      const mask = optionalIntegerTensor(who, 'keyPaddingMask', keyPaddingMask);
      const layout = this.batchFirst ? (t) => t : swap01;
      const laid = [['query', query], ['key', key], ['value', value]].map(([name, t]) => {
        tensorArg(who, name, t);
        if (!this.batchFirst && t.ndim !== 3) {
          throw new Error(`${who}: expected ${name} (T, B, ${this.embedDim}) (batchFirst is false), got ${shapeStr(t.shape)}`);
        }
        return layout(t);
      });
      // Handles only once every tensor is made: making one may spill the others, and a spill
      // frees the handle of any tensor not used since the last one was made.
      const [q, k, v] = laid.map((t) => t._live(who));
      const r = raw.multiheadAttention(q, k, v, this.numHeads, this.inProjWeight._live(who),
        this.inProjBias?._live(who) ?? null, this.outProj.weight._live(who), this.outProj.bias?._live(who) ?? null,
        boolArg(who, 'causal', causal), mask?._live(who) ?? null, this.dropout, this.training !== false,
        boolArg(who, 'needWeights', needWeights), boolArg(who, 'averageAttnWeights', averageAttnWeights));
      const out = wrap(r.output);
      return [this.batchFirst ? out : swap01(out), r.weights ? wrap(r.weights) : null];
    }
    toString() { return `MultiheadAttention(embed_dim=${this.embedDim}, num_heads=${this.numHeads}, dropout=${this.dropout}, batch_first=${this.batchFirst})`; }
  }

  // A module of a class around parameters the engine made (no RNG draw of its own).
  const around = (cls, fields) => Object.assign(Object.create(cls.prototype), fields);

  class TransformerBlock extends Module {
    /**
     * new gl.nn.TransformerBlock(embedDim, numHeads, { normFirst = false, residual = true,
     *   activation = 'relu', dimFeedforward = 4 * embedDim, dropout = 0, batchFirst = true })
     * The block of article 000 §3.2, with fields named as there (attention, norm1, ffn, norm2):
     *   post-LN (normFirst false): x = norm1(x + attn(x));  x = norm2(x + ffn(x))
     *   pre-LN  (normFirst true):  x = x + attn(norm1(x));  x = x + ffn(norm2(x))
     * residual false drops both "x +" (block.residual and block.normFirst can be switched later).
     * ffn = Sequential(Linear(E, F), ReLU or GELU, Linear(F, E)). dropout applies to the
     * attention weights and to each sublayer's output (dropout1, dropout2).
     * The block runs in the engine (nn::transformer_block, engine/src/nn/transformer.cpp), its
     * one implementation; the fields are ordinary modules over the same parameter tensors, so
     * block.attention.forward(...) and parameter counts through them work, and a parameter
     * replaced in a field is the one the next forward uses.
     */
    constructor(embedDim, numHeads, o) {
      super();
      const who = 'TransformerBlock';
      const E = intArg(who, 'embed_dim', embedDim, { min: 1 });
      const { normFirst = false, residual = true, activation = 'relu', dimFeedforward = 4 * E, dropout: p = 0, batchFirst = true } =
        options(who, o, ['normFirst', 'residual', 'activation', 'dimFeedforward', 'dropout', 'batchFirst']);
      if (activation !== 'relu' && activation !== 'gelu') throw new TypeError(`${who}: activation must be 'relu' or 'gelu', got ${show(activation)}`);
      const F = intArg(who, 'dim_feedforward', dimFeedforward, { min: 1 });
      probArg(who, 'dropout', p);
      this.normFirst = boolArg(who, 'normFirst', normFirst);
      this.residual = boolArg(who, 'residual', residual);
      this.batchFirst = boolArg(who, 'batchFirst', batchFirst);
      // the engine's block draws its init: attention, norm1, ffn, norm2, in that order
      const made = raw.makeTransformerBlock(E, numHeads, { dimFeedforward: F, activation, dropout: p });
      const param = (name) => (made[name] ? parameter(made[name]) : null);
      this.attention = around(MultiheadAttention, {
        dropout: p, batchFirst: true, embedDim: E, numHeads, headDim: E / numHeads,
        inProjWeight: param('inProjWeight'), inProjBias: param('inProjBias'),
        outProj: linearOf(param('outProjWeight'), param('outProjBias')),
      });
      this.norm1 = around(LayerNorm, { eps: 1e-5, normalizedShape: E, weight: param('norm1Weight'), bias: param('norm1Bias') });
      this.ffn = new Sequential(linearOf(param('linear1Weight'), param('linear1Bias')),
        activation === 'gelu' ? new GELU() : new ReLU(), linearOf(param('linear2Weight'), param('linear2Bias')));
      this.norm2 = around(LayerNorm, { eps: 1e-5, normalizedShape: E, weight: param('norm2Weight'), bias: param('norm2Bias') });
      this.dropout1 = new Dropout(p);
      this.dropout2 = new Dropout(p);
    }
    /**
     * forward(x, { causal = false, keyPaddingMask = null, needWeights = false }): x (B, T, E),
     * or (T, B, E) with batchFirst false; the output is shaped like x. needWeights: returns
     * [output, weights] with the attention weights per head, (B, H, T, T) in either layout
     * (PyTorch's average_attn_weights=False).
     */
    forward(x, o) {
      const who = 'TransformerBlock';
      const { causal = false, keyPaddingMask = null, needWeights = false } = options(who, o, ['causal', 'keyPaddingMask', 'needWeights']);
      const s = tensorArg(who, 'input', x).shape;
      if (s.length !== 3) throw new Error(`${who}: expected input ${this.batchFirst ? '(B, T, E)' : '(T, B, E)'}, got ${shapeStr(s)}`);
      const { attention: a, norm1, ffn, norm2 } = this;
      for (const [name, m, cls] of [['attention', a, MultiheadAttention], ['norm1', norm1, LayerNorm], ['norm2', norm2, LayerNorm]]) {
        if (!(m instanceof cls)) throw new TypeError(`${who}: ${name} must be a gl.nn.${cls.name}, got ${show(m)}`);
      }
      const act = ffn instanceof Sequential && ffn.length === 3 && ffn[0] instanceof Linear && ffn[2] instanceof Linear &&
        (ffn[1] instanceof ReLU ? 'relu' : ffn[1] instanceof GELU && ffn[1].approximate === 'tanh' ? 'gelu' : null);
      if (!act) throw new TypeError(`${who}: expected ffn = Sequential(Linear, ReLU or GELU('tanh'), Linear), got ${show(String(ffn))}`);
      const mask = optionalIntegerTensor(who, 'keyPaddingMask', keyPaddingMask);
      const p = (name, t) => liveOrNull(who, name, t);
      const weights = {
        inProjWeight: p('attention.inProjWeight', a.inProjWeight), inProjBias: p('attention.inProjBias', a.inProjBias),
        outProjWeight: p('attention.outProj.weight', a.outProj.weight), outProjBias: p('attention.outProj.bias', a.outProj.bias),
        norm1Weight: p('norm1.weight', norm1.weight), norm1Bias: p('norm1.bias', norm1.bias), norm1Eps: numberArg(who, 'norm1.eps', norm1.eps),
        linear1Weight: p('ffn[0].weight', ffn[0].weight), linear1Bias: p('ffn[0].bias', ffn[0].bias),
        linear2Weight: p('ffn[2].weight', ffn[2].weight), linear2Bias: p('ffn[2].bias', ffn[2].bias),
        norm2Weight: p('norm2.weight', norm2.weight), norm2Bias: p('norm2.bias', norm2.bias), norm2Eps: numberArg(who, 'norm2.eps', norm2.eps),
      };
      // each dropout obeys its own module's train()/eval(), as when they were called one by one
      const drop = (name, m, q) => (m.training !== false ? probArg(who, name, q) : 0);
      const h = (this.batchFirst ? x : swap01(x))._live(who);
      const r = raw.transformerBlock(h, a.numHeads, weights, {
        normFirst: boolArg(who, 'normFirst', this.normFirst), residual: boolArg(who, 'residual', this.residual), activation: act,
        attentionDropout: drop('attention.dropout', a, a.dropout), dropout1: drop('dropout1.p', this.dropout1, this.dropout1.p),
        dropout2: drop('dropout2.p', this.dropout2, this.dropout2.p), training: true,
        causal: boolArg(who, 'causal', causal), keyPaddingMask: mask?._live(who) ?? null, needWeights: boolArg(who, 'needWeights', needWeights),
      });
      const out = this.batchFirst ? wrap(r.output) : swap01(wrap(r.output));
      return needWeights ? [out, wrap(r.weights)] : out;
    }
    toString() {
      return `TransformerBlock(${this.normFirst ? 'pre-LN' : 'post-LN'}${this.residual ? '' : ', no residual'},\n` +
        `  (attention): ${this.attention}\n  (norm1): ${this.norm1}\n  (ffn): ${String(this.ffn).replace(/\n/g, '\n  ')}\n` +
        `  (norm2): ${this.norm2}\n  (dropout): ${this.dropout1.p}\n)`;
    }
  }

  // ---- register -----------------------------------------------------------------------------------
  const add = (target, entries) => {
    for (const [name, value] of Object.entries(entries)) if (!(name in target)) target[name] = value;
  };
  add(gl, { softmax, logSoftmax, bmm, narrow, transpose });
  add(gl.nn, {
    LayerNorm, Dropout, Embedding, MultiheadAttention, TransformerBlock, Sequential,
    ReLU, GELU, Tanh, Sigmoid, CrossEntropyLoss, NLLLoss, BCEWithLogitsLoss, positionalEncoding,
  });
  add(gl.nn.functional, { softmax, logSoftmax, gelu, dropout, layerNorm, crossEntropy, nllLoss, bceWithLogits });
}
