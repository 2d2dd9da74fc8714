// gl.analysis: measuring gradient flow (engine/analysis), and gl.experiments: article 004's
// experiments by name, the same ones gradlab-cli runs.
//
//   loss.backward();
//   gl.analysis.stepGradNorms(lstm)                 // { dh, dc }: ‖∂L/∂h_t‖, ‖∂L/∂c_t‖ per step t
//   gl.analysis.jacobianNorms(rnn, x).norms         // ‖∂h_t/∂h_0‖ for t = 1..T
//   gl.analysis.saturation(rnn, x).rhoEff           // ρ(W_hh)·E[σ'(z)] on this batch
//   gl.analysis.spectrum(rnn.weight_hh_l0)          // { rho, singularValues, eigReal, eigImag }
//   gl.analysis.clip(model, { mode: 'value', threshold: 0.1 })   // clips, and says what it did
//   gl.analysis.forgetGates(lstm, x)                // f_t, (B, T, H): ∂c_t/∂c_{t-1} = diag(f_t)
//
//   const r = gl.experiments.run('adding-problem', { T: 100, model: 'lstm' },
//     { every: 20, onProgress: (row) => plot(...) });   // return false from onProgress to stop
//
// Arrays of numbers come back as Float64Arrays (experiment results as plain JSON arrays).

import { readerError } from './calls.js';

/** Adds gl.analysis and gl.experiments to kit.gl (see EXTENSIONS in gl.js). */
export function install(kit) {
  const { raw, gl, Tensor, Module, show, wrap } = kit;
  const { numberArg, tensorArg, optionsArg: options } = kit.args;

  // ---- argument checks (integers: the engine's bindings) ------------------------------------
  const live = (who, t) => (t === null || t === undefined ? null : tensorArg(who, 'tensor', t)._live(who));
  function layerArg(who, layer, kinds) {
    const ok = kinds.some((k) => layer instanceof gl.nn[k]);
    if (!ok) throw new TypeError(`${who}: expected a gl.nn.${kinds.join(' or gl.nn.')}, got ${show(layer)}`);
    if (layer.numLayers !== 1) throw new TypeError(`${who}: expects a one-layer ${layer.constructor.name}, got numLayers ${layer.numLayers}`);
    if (!layer.batchFirst) throw new TypeError(`${who}: expects a batchFirst layer (inputs (B, T, D))`);
    return layer;
  }
  const activationArg = (who, v) => {
    if (v !== 'linear' && v !== 'tanh' && v !== 'relu') throw new TypeError(`${who}: activation must be 'linear', 'tanh' or 'relu', got ${show(v)}`);
    return v;
  };
  const toArray = (m) => ({ values: m.values, shape: m.shape }); // a matrix from the engine, row-major

  // one-layer RNN: its output on x (no graph) and its weights
  function rnnRun(who, rnn, x, h0) {
    layerArg(who, rnn, ['RNN']);
    tensorArg(who, 'x', x);
    const [out] = gl.noGrad(() => rnn.forward(x, h0 ?? undefined));
    return { out, wIH: rnn.weight_ih_l0, wHH: rnn.weight_hh_l0, bIH: rnn.bias_ih_l0 ?? null, bHH: rnn.bias_hh_l0 ?? null };
  }
  function preactivations(rnn, x, h0) {
    const who = 'analysis.preactivations';
    const r = rnnRun(who, rnn, x, h0);
    const h0Flat = h0 ? h0.reshape([-1]) : null;
    return wrap(raw.analysisPreactivations(live(who, x), live(who, r.out), live(who, h0Flat), live(who, r.wIH),
      live(who, r.wHH), live(who, r.bIH), live(who, r.bHH)));
  }

  // ---- gradient flow ---------------------------------------------------------------------------
  /**
   * ‖∂L/∂h_t‖ for every t (the L2 norm over batch and units). Given a recurrent layer after
   * backward(): { dh } (and { dc } for an LSTM); given a (B, T, F) tensor: the norms of its steps.
   */
  function stepGradNorms(source) {
    const who = 'analysis.stepGradNorms';
    if (source instanceof Tensor) return raw.analysisStepNorms(source._live(who));
    if (!(source instanceof Module) || typeof source.stepGrads !== 'function') {
      throw new TypeError(`${who}: expected a recurrent layer (gl.nn.RNN, LSTM, GRU) after backward(), or a (B, T, F) tensor, got ${show(source)}`);
    }
    const g = source.stepGrads();
    const bt = (t) => (source.batchFirst === false ? t.transpose(0, 1) : t);
    const out = { dh: raw.analysisStepNorms(bt(g.dh)._live(who)) };
    if (g.dc) out.dc = raw.analysisStepNorms(bt(g.dc)._live(who));
    return out;
  }

  /** σ'(z) elementwise for activation 'linear' | 'tanh' | 'relu'; z (B, T, H). */
  const slopes = (z, activation = 'tanh') =>
    wrap(raw.analysisSlopes(tensorArg('analysis.slopes', 'z', z)._live('analysis.slopes'), activationArg('analysis.slopes', activation)));

  /**
   * The Jacobian products ∂h_t/∂h_k = ∏ diag(σ'(z_j)) W_hh and their norms ‖·‖₂, t = k+1..T.
   *   jacobianNorms(rnn, x, { h0, batchIndex = 0, from = 0 })     a one-layer gl.nn.RNN on x
   *   jacobianNorms(wHH, slopes, { batchIndex = 0, from = 0 })    any W_hh and slopes (B, T, H)
   * -> { from, norms (Float64Array), last: { values, shape } (∂h_T/∂h_k) }
   */
  function jacobianNorms(a, b, o) {
    const who = 'analysis.jacobianNorms';
    let wHH, s;
    let opts;
    if (a instanceof Tensor) {
      opts = options(who, o, { batchIndex: 0, from: 0 });
      wHH = a;
      s = tensorArg(who, 'slopes', b);
    } else {
      opts = options(who, o, { h0: null, batchIndex: 0, from: 0 });
      const z = preactivations(a, b, opts.h0);
      wHH = a.weight_hh_l0;
      s = slopes(z, a.nonlinearity);
    }
    const r = raw.analysisJacobian(wHH._live(who), s._live(who), opts.batchIndex, opts.from);
    return { from: r.from, norms: r.norms, last: toArray(r.last) };
  }

  // ---- spectra and saturation ------------------------------------------------------------------
  /** { rho, singularValues, eigReal, eigImag } of a square matrix. */
  const spectrum = (w) => raw.analysisSpectrum(tensorArg('analysis.spectrum', 'W', w)._live('analysis.spectrum'));
  /** ‖W^k‖₂ for k = 1..K (Float64Array). */
  const powerNorms = (w, K = 50) =>
    raw.analysisPowerNorms(tensorArg('analysis.powerNorms', 'W', w)._live('analysis.powerNorms'), K);

  /** ρ(W_hh) and the singular values of W_hh, recorded as training runs: tracker.record(step, W). */
  class SpectralTracker {
    constructor() { this.steps = []; this.rho = []; this.singularValues = []; }
    record(step, w) {
      const s = spectrum(w);
      this.steps.push(numberArg('SpectralTracker.record', 'step', step));
      this.rho.push(s.rho);
      this.singularValues.push(s.singularValues);
      return s;
    }
  }

  /**
   * Saturation and the effective radius ρ_eff = ρ(W_hh)·E[σ'(z)]:
   *   saturation(rnn, x, { h0, bins = 40 })                       a one-layer gl.nn.RNN on x
   *   saturation(wHH, z, { activation = 'tanh', bins = 40 })      any W_hh and pre-activations
   * -> { rho, meanSlope, rhoEff, saturatedFraction, meanAbsZ, z: histogram, slope: histogram }
   */
  function saturation(a, b, o) {
    const who = 'analysis.saturation';
    let wHH, z, act, bins;
    if (a instanceof Tensor) {
      const opts = options(who, o, { activation: 'tanh', bins: 40 });
      wHH = a;
      z = tensorArg(who, 'z', b);
      act = activationArg(who, opts.activation);
      bins = opts.bins;
    } else {
      const opts = options(who, o, { h0: null, bins: 40 });
      z = preactivations(a, b, opts.h0);
      wHH = a.weight_hh_l0;
      act = a.nonlinearity;
      bins = opts.bins;
    }
    return raw.analysisSaturation(wHH._live(who), z._live(who), act, bins);
  }

  /** Counts of a tensor's values in `bins` equal bins on [lo, hi] (outside: the end bins). */
  function histogram(t, o) {
    const who = 'analysis.histogram';
    tensorArg(who, 'input', t);
    const opts = options(who, o, { bins: 40, lo: undefined, hi: undefined });
    let { lo, hi } = opts;
    if (lo === undefined || hi === undefined) {
      const v = t.toArray();
      let mn = Infinity, mx = -Infinity;
      for (const x of v) if (Number.isFinite(x)) { mn = Math.min(mn, x); mx = Math.max(mx, x); }
      if (!(mn < mx)) { mn = (Number.isFinite(mn) ? mn : 0) - 0.5; mx = mn + 1; }
      lo ??= mn;
      hi ??= mx;
    }
    return raw.analysisHistogram(t._live(who), opts.bins, numberArg(who, 'lo', lo), numberArg(who, 'hi', hi));
  }

  /**
   * Clips the gradients of params in place, by norm (clip_grad_norm) or by value
   * (clip_grad_value), and reports { normBefore, normAfter, cosine, clippedFraction }.
   */
  function clip(params, o) {
    const who = 'analysis.clip';
    const opts = options(who, o, { mode: 'norm', threshold: 1 });
    if (opts.mode !== 'norm' && opts.mode !== 'value') throw new TypeError(`${who}: mode must be 'norm' or 'value', got ${show(opts.mode)}`);
    if (params instanceof Module) params = params.parameters();
    if (!Array.isArray(params) || params.length === 0) throw new TypeError(`${who}: expected a Module or a non-empty array of parameters, got ${show(params)}`);
    const handles = params.map((p, i) => tensorArg(who, `params[${i}]`, p)._live(who));
    return raw.analysisClip(handles, opts.mode, numberArg(who, 'threshold', opts.threshold));
  }

  // ---- LSTM ------------------------------------------------------------------------------------
  function lstmWeights(who, lstm) {
    layerArg(who, lstm, ['LSTM']);
    const p = (n) => lstm[`${n}_l0`] ?? null;
    return [p('weight_ih'), p('weight_hh'), p('bias_ih'), p('bias_hh')].map((t) => live(who, t));
  }
  /** The LSTM (layer 0) replayed on x from zero states: { i, f, g, o, c, h }, each (B, T, H). */
  function lstmTrace(lstm, x) {
    const who = 'analysis.lstmTrace';
    const t = raw.analysisLstmTrace(lstmWeights(who, lstm), tensorArg(who, 'x', x)._live(who));
    return { i: wrap(t.i), f: wrap(t.f), g: wrap(t.g), o: wrap(t.o), c: wrap(t.c), h: wrap(t.h) };
  }
  /** f_t (B, T, H): the forget gates, which are ∂c_t/∂c_{t-1} (element-wise). */
  const forgetGates = (lstm, x) => lstmTrace(lstm, x).f;
  /** ∂c_t/∂c_{t-1} (H, H) by the engine's autograd, batch element batchIndex: { values, shape }. */
  function cellStateJacobian(lstm, x, t, o) {
    const who = 'analysis.cellStateJacobian';
    const opts = options(who, o, { batchIndex: 0 });
    return toArray(raw.analysisCellStateJacobian(lstmWeights(who, lstm), tensorArg(who, 'x', x)._live(who), t, opts.batchIndex));
  }

  gl.analysis = {
    stepGradNorms, preactivations, slopes, jacobianNorms, spectrum, powerNorms, SpectralTracker,
    saturation, histogram, clip, lstmTrace, forgetGates, cellStateJacobian,
  };

  // ---- experiments -----------------------------------------------------------------------------
  let specs = null;
  /** Every experiment: [{ name, claim, figure, params: [{ name, type, default, min, max, choices, help }] }] */
  function list() {
    specs ??= JSON.parse(raw.experimentsList());
    return structuredClone(specs);
  }

  /**
   * Runs an experiment: run(name, { param: value, ... }, { onProgress, every = 10 }).
   * Training experiments call onProgress(row) every `every` steps, row = { run, step, total,
   * values: { loss, grad_norm, ... }, history } (history: every row so far, per run, as arrays);
   * onProgress returning false stops the run (the result says where). Returns the result:
   * { experiment, params, scalars, series, grids, histograms, checks, notes, timing }.
   */
  function run(name, params, o) {
    const who = 'experiments.run';
    if (typeof name !== 'string') throw new TypeError(`${who}: the experiment name must be a string, got ${show(name)}`);
    if (params === undefined || params === null) params = {};
    if (typeof params !== 'object' || Array.isArray(params)) {
      throw new TypeError(`${who}: experiment '${name}': params must be an object like { rho: 1.1 }, got ${show(params)}`);
    }
    const sets = {};
    for (const [key, v] of Object.entries(params)) {
      if (v === undefined) continue;
      if (typeof v !== 'number' && typeof v !== 'string' && typeof v !== 'boolean') {
        throw new TypeError(`experiment '${name}': parameter '${key}' must be a number, a string or a boolean, got ${show(v)}`);
      }
      sets[key] = String(v);
    }
    const opts = options(who, o, { onProgress: null, every: 10 });
    if (opts.onProgress !== null && typeof opts.onProgress !== 'function') {
      throw new TypeError(`${who}: onProgress must be a function, got ${show(opts.onProgress)}`);
    }
    let thrown = null;
    let callback = null;
    if (opts.onProgress) {
      const history = {};
      callback = (row) => {
        if (thrown) return false;
        const h = (history[row.run] ??= { step: [] });
        h.step.push(row.step);
        for (const [k, v] of Object.entries(row.values)) (h[k] ??= []).push(v);
        try {
          return opts.onProgress({ ...row, history }) !== false;
        } catch (e) {
          thrown = e; // stop the run, then rethrow the caller's error as it was
          return false;
        }
      };
    }
    const json = raw.experimentsRun(name, sets, callback, opts.every);
    if (thrown) throw readerError(thrown);
    return JSON.parse(json);
  }

  gl.experiments = { list, run };
}
