// gl.tasks: synthetic sequence tasks that need long memory, generated in the engine from
// their own seed (so the data does not depend on how many weights were drawn before).
// Sizes and seeds are checked by the engine's bindings, which name the call.
export function install({ raw, gl, wrap, args }) {
  const { optionsArg } = args;
  const handles = new FinalizationRegistry((h) => { if (!h.isDeleted()) h.delete(); });
  const batchOf = (made) => ({ x: wrap(made.x), y: wrap(made.y) });

  /**
   * The adding problem: x (B, T, 2) holds a value in [0, 1) and a marker per step; two steps
   * are marked, one in each half; y (B, 1) is the sum of the two marked values. Predicting
   * the mean 1 scores MSE = 1/6 (`AddingProblem.baselineMSE`).
   */
  class AddingProblem {
    static baselineMSE = raw.ADDING_BASELINE_MSE;
    constructor(o) {
      const { T, seed } = optionsArg('AddingProblem', o, { T: 100, seed: 0 });
      this._h = new raw.AddingProblem(T, seed);
      this.T = T;
      handles.register(this, this._h);
    }
    /** @returns {{x: Tensor, y: Tensor}} x (B, T, 2), y (B, 1) */
    batch(batchSize) { return batchOf(this._h.batch(batchSize)); }
  }

  /**
   * The copy task: read `symbols` random symbols (ids 1..alphabet), wait `delay` steps, see
   * the marker (id alphabet + 1), write them back. x (B, T, alphabet + 2) one-hot, y (B, T)
   * the id expected at each step (0 = blank), T = delay + 2·symbols.
   */
  class CopyTask {
    constructor(o) {
      const { symbols, delay, alphabet, seed } = optionsArg('CopyTask', o, { symbols: 10, delay: 50, alphabet: 8, seed: 0 });
      this._h = new raw.CopyTask(symbols, delay, alphabet, seed);
      handles.register(this, this._h);
      this.T = this._h.length();
      this.classes = this._h.classes();
      /** cross-entropy of a model that remembers nothing: symbols·ln(alphabet)/T */
      this.baselineCrossEntropy = this._h.baselineCrossEntropy();
    }
    batch(batchSize) { return batchOf(this._h.batch(batchSize)); }
  }

  // ---- sequence-to-sequence tasks ------------------------------------------------------------
  const seqBatch = (b) => ({
    source: wrap(b.source), decoderInput: wrap(b.decoderInput), target: wrap(b.target),
    sourceLengths: wrap(b.sourceLengths), targetLengths: wrap(b.targetLengths),
    sources: b.sources, targets: b.targets,
  });
  const padArg = (who, padSource) => {
    if (padSource !== 'end' && padSource !== 'start') {
      throw new TypeError(`${who}: padSource must be 'end' or 'start', got ${typeof padSource === 'string' ? `'${padSource}'` : String(padSource)}`);
    }
    return padSource === 'start';
  };
  // ids as a Tensor (T) or (B, T), an array of ids or an array of arrays → text or texts
  const decodeWith = (h, method, who, ids) => {
    if (ids instanceof gl.Tensor) {
      const shape = ids.shape, values = Array.from(ids.toArray(), (v) => Math.round(v));
      if (shape.length === 1) return h[method](values);
      if (shape.length !== 2) throw new Error(`${who}: ids must be a tensor (T) or (B, T), got shape [${shape.join(', ')}]`);
      const [B, T] = shape;
      return Array.from({ length: B }, (_, b) => h[method](values.slice(b * T, (b + 1) * T)));
    }
    if (Array.isArray(ids) && ids.length > 0 && Array.isArray(ids[0])) return ids.map((row) => h[method](row));
    return h[method](ArrayBuffer.isView(ids) ? Array.from(ids) : ids);
  };

  /** What NumberReading and PairsTask share: vocabularies, decoding, batches of given pairs. */
  class SeqTask {
    _init(h) {
      this._h = h;
      handles.register(this, h);
      /** the tokens by id: '<pad>', '<bos>', '<eos>', then one character each */
      this.sourceTokens = h.sourceTokens();
      this.targetTokens = h.targetTokens();
      this.sourceVocabSize = this.sourceTokens.length;
      this.targetVocabSize = this.targetTokens.length;
    }
    /** Target ids → text: a Tensor (T) or an array gives a string, a Tensor (B, T) or an array of arrays one per row; stops at EOS, skips PAD and BOS. */
    decode(ids) { return decodeWith(this._h, 'decodeTarget', `${this.constructor.name}.decode`, ids); }
    /** Source ids → text, as decode. */
    decodeSource(ids) { return decodeWith(this._h, 'decodeSource', `${this.constructor.name}.decodeSource`, ids); }
    /** A batch of the given [source, target] pairs (every character must be in the vocabularies). */
    encode(pairs) {
      const who = `${this.constructor.name}.encode`;
      if (!Array.isArray(pairs) || pairs.length === 0 || !pairs.every((p) => Array.isArray(p) && p.length === 2 && typeof p[0] === 'string' && typeof p[1] === 'string')) {
        throw new TypeError(`${who}: pairs must be a non-empty array of [source, target] strings`);
      }
      return seqBatch(this._h.encodePairs(pairs.map((p) => p[0]), pairs.map((p) => p[1])));
    }
  }

  /**
   * Number readings: the digits of a number → its reading, in Korean ('ko': 35000 → 삼만 오천)
   * or English ('en': 1204 → one thousand two hundred four). Numbers of minDigits..maxDigits
   * digits (the count uniform, then the number uniform). Batches: source (B, S), decoderInput
   * (B, T) = BOS + target, target (B, T) = target + EOS, PAD = 0 after (source: before, with
   * padSource 'start'), sourceLengths, targetLengths (B), sources, targets (the texts).
   */
  class NumberReading extends SeqTask {
    constructor(o) {
      super();
      const { language, minDigits, maxDigits, seed, padSource } = optionsArg('NumberReading', o,
        { language: 'ko', minDigits: 1, maxDigits: 5, seed: 0, padSource: 'end' });
      this._init(new raw.NumberReading(language, minDigits, maxDigits, seed, padArg('NumberReading', padSource)));
      Object.assign(this, { language, minDigits, maxDigits });
      /** the longest target (characters, without EOS) among numbers of these lengths */
      this.maxTargetLength = this._h.maxTargetLength();
    }
    batch(batchSize) { return seqBatch(this._h.batch(batchSize)); }
    /** A batch of these numbers, in order. */
    batchOf(numbers) { return seqBatch(this._h.batchOf(numbers)); }
    /** The reading of n as text. */
    reading(n) { return this._h.reading(n); }
  }

  /**
   * The reader's own pairs from text: one per line, source and target separated by a tab or
   * ' -> ' (a line with a tab is cut at the tab); blank lines and lines starting with '#' are
   * skipped, sides trimmed. Errors name the line. Vocabularies: the characters found.
   */
  class PairsTask extends SeqTask {
    constructor(o) {
      super();
      const { text, seed, maxLength, maxPairs, padSource } = optionsArg('PairsTask', o,
        { text: undefined, seed: 0, maxLength: 64, maxPairs: 5000, padSource: 'end' });
      this._init(new raw.PairsTask(text, seed, maxLength, maxPairs, padArg('PairsTask', padSource)));
      this.size = this._h.size();
    }
    /** B pairs drawn uniformly (seeded). */
    batch(batchSize) { return seqBatch(this._h.batch(batchSize)); }
    /** Pairs start .. start + count - 1, in the text's order. */
    slice(start, count) { return seqBatch(this._h.slice(start, count)); }
    /** [{ source, target, line }] in the text's order */
    pairs() { return this._h.pairs().map(([source, target, line]) => ({ source, target, line })); }
  }

  // The special ids, as statics of each task class (gl.tasks.NumberReading.BOS): 0 pads, a
  // decoder's input starts with BOS, a target ends with EOS.
  for (const C of [NumberReading, PairsTask]) Object.assign(C, { PAD: 0, BOS: 1, EOS: 2 });
  gl.tasks = { AddingProblem, CopyTask, NumberReading, PairsTask };
}
