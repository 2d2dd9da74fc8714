// Experiment: an LSTM cell written by hand, and how far back its gradient
// reaches compared with a plain tanh RNN. The code below is what the reader
// sees and edits; it runs in a worker with `gl`, `print` and `plot` in scope.

export const title = 'An LSTM cell by hand, and how far its gradient reaches';

export const description =
  'Four small linear layers make an LSTM cell. Run it, then change hiddenSize and run again. ' +
  'The second half unrolls the cell over 50 steps next to a plain tanh RNN and plots how much ' +
  'gradient from the last step arrives at each earlier one.';

export default `// An LSTM cell, built by hand from four linear layers.
// Change hiddenSize below and press Run (Ctrl+Enter) to see the shapes follow.
gl.manualSeed(42);

const batchSize = 32;
const inputSize = 10;
const hiddenSize = 20;
const forgetBias = 1; // pushes the forget gate open at the start; see part 2

class LSTMCell extends gl.nn.Module {
  constructor(inputSize, hiddenSize) {
    super();
    // Every gate reads the same thing: this step's input next to the previous h.
    const gate = () => new gl.nn.Linear(inputSize + hiddenSize, hiddenSize);
    this.forgetGate = gate(); // f: how much of the old cell state to keep
    this.inputGate = gate(); // i: how much of the candidate to write
    this.candidate = gate(); // g: what could be written
    this.outputGate = gate(); // o: how much of the cell state to show as h
  }

  forward(x, [h, c]) {
    const xh = gl.cat([x, h], 1); // (batch, inputSize + hiddenSize)
    const f = this.forgetGate.forward(xh).add(forgetBias).sigmoid(); // like starting b_f at +forgetBias
    const i = this.inputGate.forward(xh).sigmoid();
    const g = this.candidate.forward(xh).tanh();
    const o = this.outputGate.forward(xh).sigmoid();
    const cNext = f.mul(c).add(i.mul(g)); // c = f*c + i*g: the old state is *added to*
    const hNext = o.mul(cNext.tanh()); // h = o*tanh(c)
    return [hNext, cNext];
  }
}

const lstm = new LSTMCell(inputSize, hiddenSize);
const x = gl.randn([batchSize, inputSize]);
const h0 = gl.zeros([batchSize, hiddenSize]);
const c0 = gl.zeros([batchSize, hiddenSize]);
const [h, c] = lstm.forward(x, [h0, c0]);
print('h:', h.shape, ' c:', c.shape);

// Part 2: how far back does the gradient reach?
// A plain RNN cell of the same size, for comparison: h = tanh(W_x x + W_h h).
// One step back through it multiplies the gradient by W_h and by tanh' <= 1,
// so it shrinks (or grows) geometrically. One step back along the LSTM's cell
// state multiplies it by f alone: with forgetBias = 1, f is about 0.73. Try
// forgetBias = 0 (f about 0.5) and 3 (f about 0.95), and watch the blue line.
class TanhRNNCell extends gl.nn.Module {
  constructor(inputSize, hiddenSize) {
    super();
    this.inputWeights = new gl.nn.Linear(inputSize, hiddenSize); // W_x (and the bias)
    this.hiddenWeights = new gl.nn.Linear(hiddenSize, hiddenSize); // W_h
  }

  forward(x, h) {
    return this.inputWeights.forward(x).add(this.hiddenWeights.forward(h)).tanh();
  }
}
const rnn = new TanhRNNCell(inputSize, hiddenSize);

// One random sequence of T steps: (batch, T, inputSize).
const T = 50;
const xs = gl.randn([batchSize, T, inputSize]);

// Unroll a cell over the sequence, put a loss on the LAST hidden state only,
// and measure the gradient norm ||dL/dh_t|| that reaches every step t.
function gradientNormsThroughTime(step, state) {
  const hs = [];
  for (let t = 0; t < T; t++) {
    state = step(xs.select(1, t), state);
    const ht = Array.isArray(state) ? state[0] : state; // LSTM state is [h, c]
    ht.retainGrad(); // keep dL/dh_t, which autograd would otherwise drop
    hs.push(ht);
  }
  const loss = hs[T - 1].mean();
  loss.backward(); // the only way back to h_0 is through every step in between
  return hs.map((ht) => ht.grad.norm().item());
}

const lstmNorms = gradientNormsThroughTime(
  (xt, state) => lstm.forward(xt, state),
  [gl.zeros([batchSize, hiddenSize]), gl.zeros([batchSize, hiddenSize])],
);
const rnnNorms = gradientNormsThroughTime((xt, h) => rnn.forward(xt, h), gl.zeros([batchSize, hiddenSize]));

plot({
  title: 'Gradient reaching each step from a loss on the last step',
  x: lstmNorms.map((_, t) => t),
  series: { 'LSTM': lstmNorms, 'tanh RNN': rnnNorms },
  logY: true, // vanishing is exponential: a straight line on a log axis
  xLabel: 'time step t',
  yLabel: '||dL/dh_t||',
});

// How much of the gradient at the last step is left at the first one?
const left = (norms) => (norms[0] / norms[T - 1]).toExponential(1);
print('||dL/dh_0|| / ||dL/dh_49||');
print('  LSTM:    ', left(lstmNorms));
print('  tanh RNN:', left(rnnNorms));
`;
