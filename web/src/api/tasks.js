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

  gl.tasks = { AddingProblem, CopyTask };
}
