// Training tools for gl, with PyTorch's names in JS style:
//   gl.optim.{SGD, Adam, AdamW, RMSprop}            torch.optim
//   gl.nn.utils.{clipGradNorm, clipGradValue}        torch.nn.utils.clip_grad_norm_ / _value_
//   gl.nn.utils.{gradNorm, l1Penalty, l2Penalty}
//   gl.nn.init.*                                     torch.nn.init (in place, returns the tensor)
//   gl.linalg.{spectralRadius, singularValues, eigvals}
//   gl.utils.EarlyStopping
// Options are one object with camelCase names ({ weightDecay }, { normType }); the init
// functions also take PyTorch's positional order: gl.nn.init.uniform(w, -0.1, 0.1).

/** Adds the training API to kit.gl (see EXTENSIONS in gl.js). */
export function install(kit) {
  const { raw, gl, Tensor, Module, show } = kit;
  const { numberArg, tensorArg, boolArg, optionsArg: options } = kit.args;
  const release = (h) => { if (!h.isDeleted()) h.delete(); };
  const handles = new FinalizationRegistry(release); // optimisers and early stoppers

  // ---- argument checks ----------------------------------------------------------------
  // f(t, x, y) or f(t, { x, y }): PyTorch's positional order or one options object.
  function positional(who, rest, defaults) {
    const only = rest.length === 1 ? rest[0] : undefined;
    if (only !== null && typeof only === 'object' && !Array.isArray(only) && !(only instanceof Tensor)) {
      return options(who, only, defaults);
    }
    const names = Object.keys(defaults);
    if (rest.length > names.length) throw new TypeError(`${who}: expected at most ${names.length + 1} arguments (tensor, ${names.join(', ')}), got ${rest.length + 1}`);
    const o = {};
    rest.forEach((v, i) => { o[names[i]] = v; });
    return options(who, o, defaults);
  }
  function stringArg(who, name, v, allowed) {
    if (typeof v !== 'string' || !(v in allowed)) {
      throw new TypeError(`${who}: ${name} must be one of ${Object.keys(allowed).map((a) => `'${a}'`).join(', ')}, got ${show(v)}`);
    }
    return allowed[v];
  }
  // Infinity or 'inf' for the max-norm, else a number.
  function normTypeArg(who, v) {
    if (v === 'inf' || v === 'Infinity') return Infinity;
    return numberArg(who, 'normType', v);
  }
  // A Module, an array or any iterable of tensors, or one tensor -> the parameters as Tensors.
  function paramList(who, params) {
    if (params instanceof Module) params = params.parameters();
    else if (params instanceof Tensor) params = [params];
    else if (params && typeof params !== 'string' && !Array.isArray(params) && typeof params[Symbol.iterator] === 'function') params = [...params];
    if (!Array.isArray(params) || params.length === 0) throw new TypeError(`${who}: expected a non-empty array of parameters (or a Module), got ${show(params)}`);
    params.forEach((p, i) => tensorArg(who, `params[${i}]`, p));
    return params;
  }
  const live = (who, params) => params.map((p) => p._live(who));

  // ---- optimisers ---------------------------------------------------------------------
  class Optimizer {
    constructor(who, params, make) {
      this.params = paramList(who, params);
      this._h = make(live(who, this.params));
      handles.register(this, this._h);
    }
    /** One update from the parameters' .grad (those without a grad are skipped). */
    step() { this._h.step(); }
    zeroGrad() { this._h.zeroGrad(); }
    /** The learning rate; may be changed between steps (a schedule). */
    get lr() { return this._h.lr; }
    set lr(v) { this._h.lr = numberArg(this.constructor.name, 'lr', v); }
    /** step() calls so far. */
    get steps() { return this._h.steps(); }
    /** PyTorch's optimizer.param_groups (one group): opt.paramGroups[0].lr = 0.01 works. */
    get paramGroups() {
      const self = this;
      return [{ params: this.params, get lr() { return self.lr; }, set lr(v) { self.lr = v; } }];
    }
    toString() { return `${this.constructor.name}(${JSON.stringify({ ...this.defaults, lr: this.lr })})`; }
  }

  const SGD_DEFAULTS = { lr: undefined, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false };
  class SGD extends Optimizer {
    /** torch.optim.SGD: new gl.optim.SGD(params, { lr, momentum, dampening, weightDecay, nesterov, maximize }) */
    constructor(params, opts) {
      const o = options('SGD', opts, SGD_DEFAULTS);
      const n = (k) => numberArg('SGD', k, o[k]);
      const args = [n('lr'), n('momentum'), n('dampening'), n('weightDecay'), boolArg('SGD', 'nesterov', o.nesterov), boolArg('SGD', 'maximize', o.maximize)];
      super('SGD', params, (h) => new raw.SGD(h, ...args));
      this.defaults = o;
    }
  }

  function adamArgs(who, o) {
    if (!Array.isArray(o.betas) || o.betas.length !== 2) throw new TypeError(`${who}: betas must be [beta1, beta2], got ${show(o.betas)}`);
    return [numberArg(who, 'lr', o.lr), numberArg(who, 'betas[0]', o.betas[0]), numberArg(who, 'betas[1]', o.betas[1]),
      numberArg(who, 'eps', o.eps), numberArg(who, 'weightDecay', o.weightDecay), boolArg(who, 'amsgrad', o.amsgrad),
      boolArg(who, 'maximize', o.maximize)];
  }
  const ADAM_DEFAULTS = { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false };
  class Adam extends Optimizer {
    /** torch.optim.Adam (weightDecay as L2 in the gradient): { lr, betas, eps, weightDecay, amsgrad, maximize } */
    constructor(params, opts) {
      const o = options('Adam', opts, ADAM_DEFAULTS);
      const args = adamArgs('Adam', o);
      super('Adam', params, (h) => new raw.Adam(h, ...args));
      this.defaults = o;
    }
  }
  class AdamW extends Optimizer {
    /** torch.optim.AdamW (decoupled weight decay, default 1e-2): same options as Adam */
    constructor(params, opts) {
      const o = options('AdamW', opts, { ...ADAM_DEFAULTS, weightDecay: 1e-2 });
      const args = adamArgs('AdamW', o);
      super('AdamW', params, (h) => new raw.AdamW(h, ...args));
      this.defaults = o;
    }
  }
  class RMSprop extends Optimizer {
    /** torch.optim.RMSprop: { lr = 1e-2, alpha = 0.99, eps = 1e-8, weightDecay, momentum, centered, maximize } */
    constructor(params, opts) {
      const o = options('RMSprop', opts, { lr: 1e-2, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false, maximize: false });
      const n = (k) => numberArg('RMSprop', k, o[k]);
      const args = [n('lr'), n('alpha'), n('eps'), n('weightDecay'), n('momentum'), boolArg('RMSprop', 'centered', o.centered), boolArg('RMSprop', 'maximize', o.maximize)];
      super('RMSprop', params, (h) => new raw.RMSprop(h, ...args));
      this.defaults = o;
    }
  }

  // ---- clipping and penalties ---------------------------------------------------------
  /**
   * torch.nn.utils.clip_grad_norm_: scales all grads by min(1, maxNorm / (total + 1e-6)).
   * Returns the total norm before clipping (Infinity or NaN if a gradient is; then, as in
   * PyTorch, the grads are scaled by the resulting 0/NaN unless errorIfNonfinite).
   * clipGradNorm(params, maxNorm, { normType = 2, errorIfNonfinite = false }) or (params, maxNorm, normType)
   */
  function clipGradNorm(params, maxNorm, opts) {
    const who = 'clipGradNorm';
    const o = typeof opts === 'number' || typeof opts === 'string' ? { normType: opts } : options(who, opts, { normType: 2, errorIfNonfinite: false });
    const ps = paramList(who, params);
    return raw.clipGradNorm(live(who, ps), numberArg(who, 'maxNorm', maxNorm), normTypeArg(who, o.normType ?? 2),
      boolArg(who, 'errorIfNonfinite', o.errorIfNonfinite ?? false));
  }
  /** The total gradient norm clipGradNorm would return, changing nothing. */
  function gradNorm(params, opts) {
    const o = typeof opts === 'number' || typeof opts === 'string' ? { normType: opts } : options('gradNorm', opts, { normType: 2 });
    return raw.gradNorm(live('gradNorm', paramList('gradNorm', params)), normTypeArg('gradNorm', o.normType));
  }
  /** torch.nn.utils.clip_grad_value_: clamps every grad element into [-clipValue, clipValue]. */
  function clipGradValue(params, clipValue) {
    const ps = paramList('clipGradValue', params);
    raw.clipGradValue(live('clipGradValue', ps), numberArg('clipGradValue', 'clipValue', clipValue));
  }
  /** weight · Σ|p| over the parameters, a scalar Tensor to add to the loss. */
  const l1Penalty = (params, weight = 1) =>
    kit.wrap(raw.l1Penalty(live('l1Penalty', paramList('l1Penalty', params)), numberArg('l1Penalty', 'weight', weight)));
  /** weight · Σp² (weightDecay λ in SGD is l2Penalty with weight λ/2). */
  const l2Penalty = (params, weight = 1) =>
    kit.wrap(raw.l2Penalty(live('l2Penalty', paramList('l2Penalty', params)), numberArg('l2Penalty', 'weight', weight)));

  // ---- init ---------------------------------------------------------------------------
  const MODES = { fan_in: 'fan_in', fan_out: 'fan_out', fanIn: 'fan_in', fanOut: 'fan_out' };
  const NONLINEARITIES = Object.fromEntries(
    ['linear', 'identity', 'sigmoid', 'tanh', 'relu', 'leaky_relu', 'selu', 'conv1d', 'conv2d', 'conv3d',
      'conv_transpose1d', 'conv_transpose2d', 'conv_transpose3d'].map((n) => [n, n]));
  NONLINEARITIES.leakyRelu = 'leaky_relu';

  // Runs the raw in-place initialiser on t's handle and returns t.
  const inPlace = (who, t, fn) => { fn(tensorArg(who, 'tensor', t)._live(who)); return t; };
  const kaiming = (who, rawFn) => (t, ...rest) => {
    const o = positional(who, rest, { a: 0, mode: 'fan_in', nonlinearity: 'leaky_relu' });
    const mode = stringArg(who, 'mode', o.mode, MODES);
    const nl = stringArg(who, 'nonlinearity', o.nonlinearity, NONLINEARITIES);
    return inPlace(who, t, (h) => rawFn(h, numberArg(who, 'a', o.a), mode, nl));
  };
  const withGain = (who, rawFn) => (t, ...rest) => {
    const { gain } = positional(who, rest, { gain: 1 });
    return inPlace(who, t, (h) => rawFn(h, numberArg(who, 'gain', gain)));
  };

  const init = {
    /** torch.nn.init.calculate_gain(nonlinearity, param) */
    calculateGain(nonlinearity, param) {
      const nl = stringArg('calculateGain', 'nonlinearity', nonlinearity, NONLINEARITIES);
      return raw.calculateGain(nl, param === undefined || param === null ? NaN : numberArg('calculateGain', 'param', param));
    },
    /** U(a, b): uniform(t, a = 0, b = 1) */
    uniform(t, ...rest) {
      const o = positional('uniform', rest, { a: 0, b: 1 });
      return inPlace('uniform', t, (h) => raw.initUniform(h, numberArg('uniform', 'a', o.a), numberArg('uniform', 'b', o.b)));
    },
    /** N(mean, std²): normal(t, mean = 0, std = 1) */
    normal(t, ...rest) {
      const o = positional('normal', rest, { mean: 0, std: 1 });
      return inPlace('normal', t, (h) => raw.initNormal(h, numberArg('normal', 'mean', o.mean), numberArg('normal', 'std', o.std)));
    },
    constant(t, ...rest) {
      const { val } = positional('constant', rest, { val: undefined });
      return inPlace('constant', t, (h) => raw.initConstant(h, numberArg('constant', 'val', val)));
    },
    zeros: (t) => inPlace('zeros', t, (h) => raw.initZeros(h)),
    ones: (t) => inPlace('ones', t, (h) => raw.initOnes(h)),
    /**
     * Sets the flat elements [start, start + length) to value. An LSTM's forget-gate bias
     * (gates i, f, g, o in a (4H) bias): gl.nn.init.fillSlice(bias, H, H, 1).
     */
    fillSlice(t, start, length, value) {
      const who = 'fillSlice';
      return inPlace(who, t, (h) => raw.initFillSlice(h, start, length, numberArg(who, 'value', value)));
    },
    /** gain · I (2-D): IRNN's W_hh. eye(t, gain = 1) */
    eye: withGain('eye', raw.initEye),
    /** U(±gain·√(6/(fanIn + fanOut))): xavierUniform(t, gain = 1) */
    xavierUniform: withGain('xavierUniform', raw.initXavierUniform),
    /** N(0, gain²·2/(fanIn + fanOut)): xavierNormal(t, gain = 1) */
    xavierNormal: withGain('xavierNormal', raw.initXavierNormal),
    /** U(±√3·gain/√fan): kaimingUniform(t, a = 0, mode = 'fan_in', nonlinearity = 'leaky_relu') */
    kaimingUniform: kaiming('kaimingUniform', raw.initKaimingUniform),
    /** N(0, gain²/fan): kaimingNormal(t, a = 0, mode = 'fan_in', nonlinearity = 'leaky_relu') */
    kaimingNormal: kaiming('kaimingNormal', raw.initKaimingNormal),
    /** gain · a Haar-random orthogonal matrix (QR of a Gaussian, sign-fixed): orthogonal(t, gain = 1) */
    orthogonal: withGain('orthogonal', raw.initOrthogonal),
    /** Square W ~ N(0, 1) rescaled to spectral radius rho: spectralRadius(W, rho = 1) */
    spectralRadius(t, ...rest) {
      const { rho } = positional('spectralRadius', rest, { rho: 1 });
      return inPlace('spectralRadius', t, (h) => raw.initSpectralRadius(h, numberArg('spectralRadius', 'rho', rho)));
    },
    /** Rescales the W already there to spectral radius rho (its structure kept). */
    scaleSpectralRadius(t, ...rest) {
      const { rho } = positional('scaleSpectralRadius', rest, { rho: undefined });
      return inPlace('scaleSpectralRadius', t, (h) => raw.scaleSpectralRadius(h, numberArg('scaleSpectralRadius', 'rho', rho)));
    },
  };
  // PyTorch's in-place spellings, so ported code runs: gl.nn.init.orthogonal_(W)
  for (const [name, fn] of Object.entries(init)) {
    if (name !== 'calculateGain') init[name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`) + '_'] = fn;
  }

  // ---- linalg -------------------------------------------------------------------------
  const matrix = (who, W) => tensorArg(who, 'W', W)._live(who);
  const linalg = {
    /** ρ(W) = max |λ| of a square matrix. */
    spectralRadius: (W) => raw.spectralRadius(matrix('spectralRadius', W)),
    /** Singular values of a 2-D matrix, largest first (Float64Array). */
    singularValues: (W) => raw.singularValues(matrix('singularValues', W)),
    /** Eigenvalues of a square matrix: { real, imag } (Float64Arrays). */
    eigvals: (W) => raw.eigenvalues(matrix('eigvals', W)),
  };

  // ---- early stopping -----------------------------------------------------------------
  const MODE_NAMES = { min: 'min', max: 'max' };
  class EarlyStopping {
    /**
     * Stops when the validation metric has not improved by more than minDelta for `patience`
     * evaluations in a row (mode 'min': lower is better; 'max': higher), or at once on a
     * NaN/infinite metric (checkFinite).
     * new gl.utils.EarlyStopping({ patience = 5, minDelta = 0, mode = 'min', checkFinite = true })
     */
    constructor(opts) {
      const who = 'EarlyStopping';
      const o = options(who, opts, { patience: 5, minDelta: 0, mode: 'min', checkFinite: true });
      this._h = new raw.EarlyStopping(o.patience, numberArg(who, 'minDelta', o.minDelta),
        stringArg(who, 'mode', o.mode, MODE_NAMES), boolArg(who, 'checkFinite', o.checkFinite));
      this.mode = o.mode;
      this.patience = o.patience;
      this.minDelta = o.minDelta;
      handles.register(this, this._h);
    }
    /**
     * Records one evaluation (a number, or a one-element Tensor); true once training should stop.
     * `at` labels it (a step or epoch number); by default the evaluations count 0, 1, 2, ...
     */
    step(metric, at) {
      const who = 'EarlyStopping.step';
      if (metric instanceof Tensor) metric = metric.item();
      if (typeof metric !== 'number') throw new TypeError(`${who}: metric must be a number or a one-element Tensor, got ${show(metric)}`);
      return at === undefined ? this._h.step(metric) : this._h.stepAt(metric, at);
    }
    reset() { this._h.reset(); }
    get shouldStop() { return this._h.shouldStop(); }
    /** The best metric so far (±Infinity before the first). */
    get best() { return this._h.best(); }
    /** Where the best metric was seen, or null. */
    get bestStep() { const s = this._h.bestStep(); return Number.isNaN(s) ? null : s; }
    get numBadSteps() { return this._h.numBadSteps(); }
    get numSteps() { return this._h.numSteps(); }
    /** Where it stopped, or null while running. */
    get stoppedStep() { const s = this._h.stoppedStep(); return Number.isNaN(s) ? null : s; }
    /** Why it stopped ('' while running). */
    get reason() { return this._h.reason(); }
  }

  // ---- registration -------------------------------------------------------------------
  Object.assign(gl.optim, { Optimizer, SGD, Adam, AdamW, RMSprop });
  gl.nn.utils = Object.assign(gl.nn.utils ?? {}, { clipGradNorm, clipGradValue, gradNorm, l1Penalty, l2Penalty });
  gl.nn.init = Object.assign(gl.nn.init ?? {}, init);
  gl.linalg = Object.assign(gl.linalg ?? {}, linalg);
  gl.utils = Object.assign(gl.utils ?? {}, { EarlyStopping });
  kit.Optimizer = Optimizer;
}
