// stepGrads() (∂L/∂h_t of a fused layer per time step) answers for one forward call and its
// backward, or refuses and says why: never the values of another call.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { loadEngine } from './load-engine.mjs';

let gl;
before(async () => { gl = await loadEngine(); });

const close = (a, b, what) => {
  assert.equal(a.length, b.length, what);
  for (let i = 0; i < a.length; i++) {
    assert.ok(Math.abs(a[i] - b[i]) <= 1e-6 + 1e-5 * Math.abs(b[i]), `${what}: element ${i}: ${a[i]} vs ${b[i]}`);
  }
};

for (const kind of ['LSTM', 'GRU', 'RNN']) {
  test(`${kind} called twice in one loss: stepGrads({ call }) gives each call's own ∂L/∂h_t, stepGrads() refuses to guess`, () => {
    gl.manualSeed(21);
    const layer = new gl.nn[kind](3, 4);
    const x1 = gl.randn([2, 5, 3]), x2 = gl.randn([2, 5, 3]);
    const lossOf = (out, w) => out.select(1, 4).mul(w).sum();
    // the reference: each call alone, with its own backward
    layer.zeroGrad();
    lossOf(layer.forward(x1)[0], 1).backward();
    const alone1 = layer.stepGrads();
    lossOf(layer.forward(x2)[0], -2).backward();
    const alone2 = layer.stepGrads();
    // both calls in one loss
    const [out1] = layer.forward(x1);
    const [out2] = layer.forward(x2);
    lossOf(out1, 1).add(lossOf(out2, -2)).backward();
    assert.throws(() => layer.stepGrads(),
      new RegExp(`^Error: ${kind}\\.stepGrads: this step called the layer 2 times \\(calls 0 to 1\\), and backward\\(\\) went through calls 0 and 1: each has its own ∂L/∂h_t; say which with stepGrads\\(\\{ call: i \\}\\)$`));
    const first = layer.stepGrads({ call: 0 }), second = layer.stepGrads({ call: 1 });
    close(first.dh.toArray(), alone1.dh.toArray(), `${kind} call 0 dh`);
    close(second.dh.toArray(), alone2.dh.toArray(), `${kind} call 1 dh`);
    if (kind === 'LSTM') {
      close(first.dc.toArray(), alone1.dc.toArray(), 'LSTM call 0 dc');
      close(second.dc.toArray(), alone2.dc.toArray(), 'LSTM call 1 dc');
    }
    assert.throws(() => layer.stepGrads({ call: 2 }), /stepGrads: call must be an integer from 0 to 1 \(this step called the layer 2 times \(calls 0 to 1\)\), got 2/);
    assert.throws(() => layer.stepGrads({ step: 0 }), /stepGrads: unknown option 'step'/);
  });
}

test('a new forward without backward: stepGrads refuses instead of the previous step\'s values', () => {
  gl.manualSeed(22);
  const lstm = new gl.nn.LSTM(2, 3);
  const x = gl.randn([1, 4, 2]);
  assert.throws(() => lstm.stepGrads(), /^Error: LSTM\.stepGrads: no backward has run through this layer yet/);
  lstm.forward(x)[0].sum().backward();
  const before = lstm.stepGrads().dh.toArray();
  const [out] = lstm.forward(x.mul(3)); // a new step: its backward has not run
  assert.throws(() => lstm.stepGrads(),
    /^Error: LSTM\.stepGrads: forward\(\) was called after the last backward through this layer, and no backward has run through that call yet: the values from before belong to an earlier forward; call backward\(\) on a loss computed from its output first$/);
  out.square().sum().backward();
  const after = lstm.stepGrads().dh.toArray();
  assert.notDeepEqual(Array.from(after), Array.from(before));
});

test('two calls, backward through one: stepGrads names the call without a backward', () => {
  gl.manualSeed(23);
  const gru = new gl.nn.GRU(2, 3);
  const x = gl.randn([2, 3, 2]);
  const [used] = gru.forward(x);
  gru.forward(x.mul(2)); // made, never part of the loss
  used.sum().backward();
  assert.throws(() => gru.stepGrads(), /^Error: GRU\.stepGrads: no backward has run through call 1 of this step \(the layer was called 2 times \(calls 0 to 1\)\); call backward\(\) on a loss computed from its output first$/);
  assert.equal(gru.stepGrads({ call: 0 }).dh.shape.join(), '2,3,3');
});

test('forward calls under noGrad do not count as calls of the step', () => {
  gl.manualSeed(24);
  const rnn = new gl.nn.RNN(2, 3);
  const x = gl.randn([2, 3, 2]);
  rnn.forward(x)[0].sum().backward();
  const trained = rnn.stepGrads().dh.toArray();
  gl.noGrad(() => rnn.forward(x)); // an evaluation between steps
  assert.deepEqual(Array.from(rnn.stepGrads().dh.toArray()), Array.from(trained));
});
