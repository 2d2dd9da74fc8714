// The gradlab Python module (the lab's measurements on torch objects) equals gl.analysis on the
// same layers, and the import finder's answers to numpy and transformers, in English and Korean.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { loadPython } from './python-harness.mjs';
import { runPy, pyError, assertClose } from './torch-nn-helpers.mjs';

let py;
let gl;
before(async () => { py = await loadPython(); gl = py.gl; });

const flat = (a) => [a].flat(Infinity);

test('step_grad_norms after backward equals gl.analysis.stepGradNorms for RNN, GRU and LSTM (h and c)', async () => {
  for (const kind of ['RNN', 'GRU', 'LSTM']) {
    const [x, dh, dc] = await runPy(py, `
import gradlab
layer = nn.${kind}(3, 4)
x = torch.randn(6, 2, 3)
out, _ = layer(x)
out[-1].sum().backward()
emit(x.tolist()); emit(gradlab.step_grad_norms(layer))
emit(gradlab.step_grad_norms(layer, 'c') if '${kind}' == 'LSTM' else None)
`, { seed: 4 });
    gl.manualSeed(4);
    const ref = new gl.nn[kind](3, 4, { batchFirst: false });
    const [out] = ref.forward(gl.tensor(x));
    out.select(0, 5).sum().backward();
    const norms = gl.analysis.stepGradNorms(ref);
    assert.equal(dh.length, 6);
    assertClose(dh, [...norms.dh], 1e-5, `${kind} dh`);
    if (kind === 'LSTM') assertClose(dc, [...norms.dc], 1e-5, 'LSTM dc');
    assert.ok(dh[5] > dh[0], `${kind}: the last step's gradient is largest before vanishing backwards`);
  }
});

test('spectrum and spectral_radius: an orthogonal init has singular values 1; ρ of a diagonal matrix by hand', async () => {
  const [sv, rho, eig] = await runPy(py, `
import gradlab
rnn = nn.RNN(4, 6)
nn.init.orthogonal_(rnn.weight_hh_l0)
emit(gradlab.spectrum(rnn.weight_hh_l0)['singular_values'])
W = torch.tensor([[0.5, 0.0], [0.0, -1.5]])
emit(gradlab.spectral_radius(W))
emit(sorted(abs(e) for e in gradlab.spectrum(W)['eigenvalues']))
`);
  assertClose(sv, [1, 1, 1, 1, 1, 1], 1e-5);
  assertClose(rho, 1.5, 1e-6);
  assertClose(eig, [0.5, 1.5], 1e-6);
});

test('jacobian_norms and saturation on an nn.RNN in (T, B, D) layout equal gl.analysis on the same weights', async () => {
  const [x, jac, sat] = await runPy(py, `
import gradlab
rnn = nn.RNN(3, 5)
x = torch.randn(7, 2, 3)
emit(x.tolist()); emit(gradlab.jacobian_norms(rnn, x)); emit(gradlab.saturation(rnn, x))
`, { seed: 9 });
  gl.manualSeed(9);
  const ref = new gl.nn.RNN(3, 5);               // batch first: (B, T, D)
  const xb = gl.tensor(x).transpose(0, 1);
  assertClose(jac, [...gl.analysis.jacobianNorms(ref, xb).norms], 1e-5, 'jacobian norms');
  const s = gl.analysis.saturation(ref, xb);
  assertClose([sat.rho, sat.mean_slope, sat.rho_eff], [s.rho, s.meanSlope, s.rhoEff], 1e-5, 'saturation');
});

test('lstm_gates: gates laid out as the input, forget gate equals σ of its pre-activation by hand at t = 0', async () => {
  const [shape, f0, manual] = await runPy(py, `
import gradlab
lstm = nn.LSTM(3, 2)
x = torch.randn(4, 1, 3)
g = gradlab.lstm_gates(lstm, x)
emit(list(g['f'].shape))
emit(g['f'][0, 0].tolist())
H = 2
z = x[0, 0] @ lstm.weight_ih_l0[H:2*H].T + lstm.bias_ih_l0[H:2*H] + lstm.bias_hh_l0[H:2*H]
emit(torch.sigmoid(z).tolist())
`);
  assert.deepEqual(shape, [4, 1, 2]);
  assertClose(f0, manual, 1e-5);
});

test('gradlab names the layer it needs', async () => {
  const e = await pyError(py, 'import gradlab\ngradlab.jacobian_norms(nn.LSTM(2, 2), torch.randn(3, 1, 2))');
  assert.equal(e.name, 'TypeError');
  assert.match(e.message, /gradlab.jacobian_norms: expected an nn.RNN, got LSTM/);
});

test('import numpy and from transformers import ... explain what the lab offers instead (English, Korean)', async () => {
  const install = 'from gradlab._imports import install\ninstall()\n';
  let e = await pyError(py, `${install}import numpy as np`);
  assert.equal(e.name, 'ModuleNotFoundError');
  assert.match(e.message, /no NumPy/);
  assert.match(e.message, /\.tolist\(\)/);
  e = await pyError(py, `${install}from transformers import AutoModelForSeq2SeqLM, AutoTokenizer`);
  assert.equal(e.name, 'ModuleNotFoundError');
  assert.match(e.message, /pretrained model/);
  assert.match(e.message, /offline/);
  // and points to the chapter that trains a small language model (which must exist)
  const slug = /#chapter=([\w-]+)/.exec(e.message)?.[1];
  assert.ok(slug && fs.readdirSync(new URL('../../tutorials/en/', import.meta.url)).some((f) => f.endsWith(`-${slug}.md`)), e.message);
  const ko = await loadPython({ lang: 'ko' });
  const r = await ko.run(`${install}from transformers import AutoTokenizer`);
  assert.equal(r.error.name, 'ModuleNotFoundError');
  assert.match(r.error.message, /사전 학습 모델/);
  assert.match(r.error.message, /오프라인/);
  assert.ok(r.error.message.includes(`#chapter=${slug}`), r.error.message);
  const [ok] = await runPy(py, `${install}import math, json\nemit(math.sqrt(4))`);
  assert.equal(ok, 2);
});

test('plotting and other packages are refused with what to use instead; refused names are not cached', async () => {
  const install = 'from gradlab._imports import install\ninstall()\n';
  let e = await pyError(py, `${install}import matplotlib.pyplot as plt`);
  assert.equal(e.name, 'ModuleNotFoundError');
  assert.match(e.message, /The lab has no matplotlib: draw with the cell's plot\(\{\.\.\.\}\)/);
  e = await pyError(py, `${install}import sklearn`);
  assert.match(e.message, /The lab has no sklearn/);
  e = await pyError(py, `${install}${install}import numpy`);
  assert.match(e.message, /no NumPy/, 'install() twice is harmless');
});

test('step_grad_norms of a hand-written loop (retain_grad on each state) equals the fused RNN on the same weights', async () => {
  const [byHand, fused] = await runPy(py, `
import gradlab
rnn = nn.RNN(3, 4)
x = torch.randn(5, 2, 3)
out, _ = rnn(x)
out[-1].sum().backward()
fused = gradlab.step_grad_norms(rnn)
h = torch.zeros(2, 4)
hs = []
for t in range(5):
    h = torch.tanh(x[t] @ rnn.weight_ih_l0.T + rnn.bias_ih_l0 + h @ rnn.weight_hh_l0.T + rnn.bias_hh_l0)
    h.retain_grad()
    hs.append(h)
hs[-1].sum().backward()
emit(gradlab.step_grad_norms(hs)); emit(fused)
`);
  assertClose(byHand, fused, 1e-4, '‖∂L/∂h_t‖');
  const e = await pyError(py, 'import gradlab\nh = torch.ones(2, requires_grad=True) * 2\nh.sum().backward()\ngradlab.step_grad_norms([h])');
  assert.match(e.message, /retain_grad/);
});
