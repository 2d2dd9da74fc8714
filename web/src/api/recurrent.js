// gl.nn.RNN, LSTM, GRU (a whole sequence in the engine, one autograd node, backprop through
// time in C++) and gl.nn.RNNCell, LSTMCell, GRUCell (one step, for loops written by hand).
// PyTorch's signatures in JS style:
//
//   const lstm = new gl.nn.LSTM(10, 20, { numLayers: 2, forgetBias: 1 });
//   const [out, [hN, cN]] = lstm.forward(x);        // x (B, T, 10) -> out (B, T, 20), hN (2, B, 20)
//   loss.backward();
//   const { dh, dc } = lstm.stepGrads();            // ∂L/∂h_t, ∂L/∂c_t of the last layer: (B, T, 20)
//
// Parameters carry PyTorch's names (lstm.weight_ih_l0, cell.bias_hh). The engine makes them
// (PyTorch's init from gl.manualSeed) and each forward passes the current ones in, so a
// parameter replaced from JS is the one used.

export function install(kit) {
  const { raw, gl, Tensor, Module, parameter, show, wrap } = kit;
  const { numberArg, tensorArg, boolArg, optionsArg } = kit.args;
  const release = (h) => { if (!h.isDeleted()) h.delete(); };
  const handles = new FinalizationRegistry((calls) => calls.sinks.forEach(release));

  // ---- argument checks: the layer's name and the value ---------------------------------
  function nonlinearityArg(who, v) {
    if (v !== 'tanh' && v !== 'relu') throw new TypeError(`${who}: nonlinearity must be 'tanh' or 'relu', got ${show(v)}`);
    return v;
  }
  // a Tensor's handle, or null for "not given" (zeros)
  function stateHandle(who, name, v) {
    if (v === undefined || v === null) return null;
    return tensorArg(who, name, v)._live(who);
  }
  // LSTM state: [h, c] or nothing
  function pairArg(who, names, v) {
    if (v === undefined || v === null) return [null, null];
    if (!Array.isArray(v) || v.length !== 2) {
      const got = v instanceof Tensor ? `one Tensor of shape [${v.shape.join(', ')}]` : show(v);
      throw new TypeError(`${who}: the state must be [${names.join(', ')}] (two Tensors), got ${got}`);
    }
    return [stateHandle(who, names[0], v[0]), stateHandle(who, names[1], v[1])];
  }
  // parameters are fields with enumerable names; the engine-side bookkeeping is hidden
  const hidden = (obj, fields) => {
    for (const [k, value] of Object.entries(fields)) Object.defineProperty(obj, k, { value, writable: true, enumerable: false });
  };

  // ---- the fused layers ------------------------------------------------------------------
  const LAYER_OPTIONS = ['numLayers', 'bias', 'batchFirst'];

  class RecurrentLayer extends Module {
    constructor(kind, inputSize, hiddenSize, options, known) {
      super();
      const who = kind;
      const o = optionsArg(who, options, known);
      this.numLayers = o.numLayers ?? 1; // sizes are checked by the engine's bindings
      this.bias = boolArg(who, 'bias', o.bias ?? true);
      this.batchFirst = boolArg(who, 'batchFirst', o.batchFirst ?? true);
      if (kind === 'RNN') this.nonlinearity = nonlinearityArg(who, o.nonlinearity ?? 'tanh');
      if (o.forgetBias !== undefined && o.forgetBias !== null) {
        if (!this.bias) throw new TypeError(`${who}: forgetBias needs bias: true`);
        this.forgetBias = numberArg(who, 'forgetBias', o.forgetBias);
      }
      // _calls: this step's forward calls that built a graph, each with the sink its backward
      // fills with ∂L/∂h_t; backwarded: whether any backward ever reached this layer
      hidden(this, { _kind: kind, _names: [], _calls: { sinks: [], backwarded: false } });
      handles.register(this, this._calls);
      const made = raw.makeRecurrent(kind, inputSize, hiddenSize, this._options());
      this.inputSize = inputSize;
      this.hiddenSize = hiddenSize;
      made.names.forEach((name, i) => {
        this._names.push(name);
        this[name] = parameter(made.params[i]);
      });
    }
    _options() {
      return {
        numLayers: this.numLayers, nonlinearity: this.nonlinearity ?? 'tanh', bias: this.bias,
        batchFirst: this.batchFirst, forgetBias: this.forgetBias ?? null,
      };
    }
    /** [output, hN, cN or null] */
    _run(x, h0, c0) {
      const who = this._kind;
      const input = tensorArg(who, 'input', x)._live(who);
      const params = this._names.map((name) => tensorArg(who, name, this[name])._live(who));
      const sink = new raw.RecurrentStepGrads();
      let made;
      try {
        made = raw.recurrent(this._kind, input, h0, c0, params, this._options(), sink);
      } catch (e) {
        sink.delete();
        throw e;
      }
      const [out, hN, cN] = made;
      if (out.requiresGrad()) this._addCall(sink);
      else sink.delete(); // no graph (noGrad, or nothing requires grad): no backward will fill it
      return [wrap(out), wrap(hN), cN ? wrap(cN) : null];
    }
    /**
     * ∂L/∂h_t of the last layer at every step t (the total: from the output and through the
     * recurrence), from the most recent backward through this layer: { dh } with dh (B, T, H)
     * ((T, B, H) when batchFirst is false); an LSTM adds dc, ∂L/∂c_t.
     * A layer called more than once in a step (two sequences in one loss) has one answer per
     * call: stepGrads({ call: i }) for call i (0 first); stepGrads() then refuses to guess. It
     * also refuses when the last forward has had no backward yet, instead of older values.
     */
    stepGrads(options) {
      const who = `${this._kind}.stepGrads`;
      const { call } = optionsArg(who, options, ['call']);
      const { sinks } = this._calls;
      const ready = sinks.map((s) => s.ready());
      if (ready.some(Boolean)) this._calls.backwarded = true;
      if (!this._calls.backwarded) {
        throw new Error(`${who}: no backward has run through this layer yet; call backward() on a loss computed from its output first`);
      }
      const n = sinks.length;
      const calls = n === 1 ? 'once' : `${n} times (calls 0 to ${n - 1})`;
      let i = call;
      if (i === undefined) {
        const done = ready.flatMap((r, k) => (r ? [k] : []));
        if (done.length > 1) {
          throw new Error(`${who}: this step called the layer ${calls}, and backward() went through calls ${done.join(' and ')}: each has its own ∂L/∂h_t; say which with stepGrads({ call: i })`);
        }
        i = n - 1;
      } else if (!Number.isSafeInteger(i) || i < 0 || i >= n) {
        throw new RangeError(`${who}: call must be an integer from 0 to ${n - 1} (this step called the layer ${calls}), got ${show(i)}`);
      }
      if (!ready[i]) {
        const why = i === n - 1 && call === undefined && n === 1
          ? 'forward() was called after the last backward through this layer, and no backward has run through that call yet: the values from before belong to an earlier forward'
          : `no backward has run through call ${i} of this step (the layer was called ${calls})`;
        throw new Error(`${who}: ${why}; call backward() on a loss computed from its output first`);
      }
      const dh = wrap(sinks[i].dh());
      return this._kind === 'LSTM' ? { dh, dc: wrap(sinks[i].dc()) } : { dh };
    }
    // A forward that built a graph joins this step's calls; one after a backward reached the
    // step's calls starts a new step.
    _addCall(sink) {
      const calls = this._calls;
      if (calls.sinks.some((s) => s.ready())) {
        calls.backwarded = true;
        calls.sinks.forEach(release);
        calls.sinks = [];
      }
      calls.sinks.push(sink);
    }
    /** [[name, parameter], ...] in PyTorch's order */
    namedParameters() { return this._names.map((name) => [name, this[name]]); }
    toString() {
      const extra = [];
      if (this.numLayers !== 1) extra.push(`num_layers=${this.numLayers}`);
      if (this.nonlinearity === 'relu') extra.push("nonlinearity='relu'");
      if (!this.bias) extra.push('bias=false');
      if (!this.batchFirst) extra.push('batch_first=false');
      if (this.forgetBias !== undefined) extra.push(`forget_bias=${this.forgetBias}`);
      return `${this._kind}(${[this.inputSize, this.hiddenSize, ...extra].join(', ')})`;
    }
  }

  class RNN extends RecurrentLayer {
    /** new gl.nn.RNN(inputSize, hiddenSize, { numLayers = 1, nonlinearity = 'tanh', bias = true, batchFirst = true }) */
    constructor(inputSize, hiddenSize, options) {
      super('RNN', inputSize, hiddenSize, options, [...LAYER_OPTIONS, 'nonlinearity']);
    }
    /** forward(x (B, T, in), h0 (L, B, H) = zeros) -> [out (B, T, H), hN (L, B, H)] */
    forward(x, h0) {
      const [out, hN] = this._run(x, stateHandle('RNN', 'h0', h0), null);
      return [out, hN];
    }
  }

  class LSTM extends RecurrentLayer {
    /** new gl.nn.LSTM(inputSize, hiddenSize, { numLayers = 1, bias = true, batchFirst = true, forgetBias }) */
    constructor(inputSize, hiddenSize, options) {
      super('LSTM', inputSize, hiddenSize, options, [...LAYER_OPTIONS, 'forgetBias']);
    }
    /** forward(x (B, T, in), [h0, c0] (L, B, H) = zeros) -> [out (B, T, H), [hN, cN] (L, B, H)] */
    forward(x, state) {
      const [h0, c0] = pairArg('LSTM', ['h0', 'c0'], state);
      const [out, hN, cN] = this._run(x, h0, c0);
      return [out, [hN, cN]];
    }
  }

  class GRU extends RecurrentLayer {
    /** new gl.nn.GRU(inputSize, hiddenSize, { numLayers = 1, bias = true, batchFirst = true }) */
    constructor(inputSize, hiddenSize, options) {
      super('GRU', inputSize, hiddenSize, options, LAYER_OPTIONS);
    }
    /** forward(x (B, T, in), h0 (L, B, H) = zeros) -> [out (B, T, H), hN (L, B, H)] */
    forward(x, h0) {
      const [out, hN] = this._run(x, stateHandle('GRU', 'h0', h0), null);
      return [out, hN];
    }
  }

  // ---- the cells ---------------------------------------------------------------------------
  class RecurrentCell extends Module {
    constructor(kind, inputSize, hiddenSize, options, known) {
      super();
      const who = `${kind}Cell`;
      const o = optionsArg(who, options, known);
      this.bias = boolArg(who, 'bias', o.bias ?? true);
      if (kind === 'RNN') this.nonlinearity = nonlinearityArg(who, o.nonlinearity ?? 'tanh');
      hidden(this, { _kind: kind, _who: who });
      const made = raw.makeCell(kind, inputSize, hiddenSize, this.bias);
      this.inputSize = inputSize;
      this.hiddenSize = hiddenSize;
      this.weight_ih = parameter(made.params[0]);
      this.weight_hh = parameter(made.params[1]);
      this.bias_ih = this.bias ? parameter(made.params[2]) : null;
      this.bias_hh = this.bias ? parameter(made.params[3]) : null;
    }
    /** [h', c' or null] */
    _step(x, h, c) {
      const who = this._who;
      const input = tensorArg(who, 'input', x)._live(who);
      const p = (name) => (this[name] === null ? null : tensorArg(who, name, this[name])._live(who));
      const params = [p('weight_ih'), p('weight_hh'), p('bias_ih'), p('bias_hh')];
      const [hNext, cNext] = raw.recurrentCell(this._kind, input, h, c, params, this.nonlinearity ?? 'tanh');
      return [wrap(hNext), cNext ? wrap(cNext) : null];
    }
    namedParameters() {
      return ['weight_ih', 'weight_hh', 'bias_ih', 'bias_hh'].filter((n) => this[n] !== null).map((n) => [n, this[n]]);
    }
    toString() {
      const extra = [];
      if (!this.bias) extra.push('bias=false');
      if (this.nonlinearity === 'relu') extra.push("nonlinearity='relu'");
      return `${this._who}(${[this.inputSize, this.hiddenSize, ...extra].join(', ')})`;
    }
  }

  class RNNCell extends RecurrentCell {
    /** new gl.nn.RNNCell(inputSize, hiddenSize, { bias = true, nonlinearity = 'tanh' }) */
    constructor(inputSize, hiddenSize, options) { super('RNN', inputSize, hiddenSize, options, ['bias', 'nonlinearity']); }
    /** forward(x (B, in), h (B, H) = zeros) -> h' (B, H) */
    forward(x, h) { return this._step(x, stateHandle('RNNCell', 'h', h), null)[0]; }
  }

  class LSTMCell extends RecurrentCell {
    /** new gl.nn.LSTMCell(inputSize, hiddenSize, { bias = true }) */
    constructor(inputSize, hiddenSize, options) { super('LSTM', inputSize, hiddenSize, options, ['bias']); }
    /** forward(x (B, in), [h, c] (B, H) = zeros) -> [h', c'] */
    forward(x, state) {
      const [h, c] = pairArg('LSTMCell', ['h', 'c'], state);
      return this._step(x, h, c);
    }
  }

  class GRUCell extends RecurrentCell {
    /** new gl.nn.GRUCell(inputSize, hiddenSize, { bias = true }) */
    constructor(inputSize, hiddenSize, options) { super('GRU', inputSize, hiddenSize, options, ['bias']); }
    /** forward(x (B, in), h (B, H) = zeros) -> h' (B, H) */
    forward(x, h) { return this._step(x, stateHandle('GRUCell', 'h', h), null)[0]; }
  }

  Object.assign(gl.nn, { RNN, LSTM, GRU, RNNCell, LSTMCell, GRUCell });
}
