// torch.optim in Python cells: steps equal gl.optim's (same values, same gradients) and the
// hand-computed PyTorch updates; param_groups, zero_grad, StepLR; nn.utils clipping.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { loadPython } from './python-harness.mjs';
import { runPy, pyError, assertClose } from './torch-nn-helpers.mjs';

let py;
let gl;
before(async () => { py = await loadPython(); gl = py.gl; });

const P0 = [0.5, -1.0, 2.0];
const TARGET = [1.0, 1.0, -1.0];

// three steps of loss = sum((p - target)^2) in Python
async function pythonSteps(make) {
  const [trace] = await runPy(py, `
import torch.optim as optim
p = nn.Parameter(torch.tensor(${JSON.stringify(P0)}))
target = torch.tensor(${JSON.stringify(TARGET)})
opt = ${make}
trace = []
for _ in range(3):
    opt.zero_grad()
    ((p - target) ** 2).sum().backward()
    opt.step()
    trace.append(p.tolist())
emit(trace)
`);
  return trace;
}
function glSteps(Opt, options) {
  const p = gl.tensor(P0, { requiresGrad: true });
  const target = gl.tensor(TARGET);
  const opt = new gl.optim[Opt]([p], options);
  const trace = [];
  for (let i = 0; i < 3; i++) {
    opt.zeroGrad();
    p.sub(target).square().sum().backward();
    opt.step();
    trace.push([...p.toArray()]);
  }
  return trace;
}

test('SGD, Adam, AdamW, RMSprop take the steps gl.optim takes with the same hyperparameters', async () => {
  const cases = [
    ['optim.SGD([p], lr=0.1)', 'SGD', { lr: 0.1 }],
    ['optim.SGD([p], lr=0.05, momentum=0.9, nesterov=True, weight_decay=0.01)', 'SGD', { lr: 0.05, momentum: 0.9, nesterov: true, weightDecay: 0.01 }],
    ['optim.Adam([p], lr=0.1)', 'Adam', { lr: 0.1 }],
    ['optim.Adam([p], lr=0.1, betas=(0.8, 0.99), weight_decay=0.1, amsgrad=True)', 'Adam', { lr: 0.1, betas: [0.8, 0.99], weightDecay: 0.1, amsgrad: true }],
    ['optim.AdamW([p], lr=0.1)', 'AdamW', { lr: 0.1 }],
    ['optim.RMSprop([p], lr=0.01, momentum=0.5, centered=True)', 'RMSprop', { lr: 0.01, momentum: 0.5, centered: true }],
  ];
  for (const [make, Opt, options] of cases) {
    assertClose(await pythonSteps(make), glSteps(Opt, options), 1e-6, make);
  }
});

test("first steps equal PyTorch's update rules computed by hand", async () => {
  const g = P0.map((p, i) => 2 * (p - TARGET[i]));
  const [sgd] = await pythonSteps('optim.SGD([p], lr=0.1)');
  assertClose(sgd, P0.map((p, i) => p - 0.1 * g[i]), 1e-6, 'SGD');
  // Adam's first step: m̂ = g, v̂ = g², so p -= lr·g/(|g| + eps)
  const [adam] = await pythonSteps('optim.Adam([p], lr=0.1)');
  assertClose(adam, P0.map((p, i) => p - 0.1 * g[i] / (Math.abs(g[i]) + 1e-8)), 1e-6, 'Adam');
  // AdamW decays first: p·(1 - lr·wd), default wd 0.01
  const [adamw] = await pythonSteps('optim.AdamW([p], lr=0.1)');
  assertClose(adamw, P0.map((p, i) => p * (1 - 0.1 * 0.01) - 0.1 * g[i] / (Math.abs(g[i]) + 1e-8)), 1e-6, 'AdamW');
  // RMSprop: v = (1 - α)g², p -= lr·g/(√v + eps), α = 0.99
  const [rms] = await pythonSteps('optim.RMSprop([p], lr=0.01)');
  assertClose(rms, P0.map((p, i) => p - 0.01 * g[i] / (Math.sqrt(0.01 * g[i] ** 2) + 1e-8)), 1e-5, 'RMSprop');
});

test("PyTorch's defaults: SGD lr 1e-3, Adam (0.9, 0.999) eps 1e-8, AdamW weight_decay 1e-2, RMSprop lr 1e-2 alpha 0.99", async () => {
  const [groups] = await runPy(py, `
import torch.optim as optim
p = [nn.Parameter(torch.zeros(1))]
g = lambda o: {k: v for k, v in o.param_groups[0].items() if k != 'params'}
emit([g(optim.SGD(p)), g(optim.Adam(p)), g(optim.AdamW(p)), g(optim.RMSprop(p))])
`);
  assert.equal(groups[0].lr, 1e-3);
  assert.deepEqual([groups[1].lr, groups[1].betas, groups[1].eps, groups[1].weight_decay], [1e-3, [0.9, 0.999], 1e-8, 0]);
  assert.equal(groups[2].weight_decay, 1e-2);
  assert.deepEqual([groups[3].lr, groups[3].alpha], [1e-2, 0.99]);
});

test("param_groups: changing param_groups[0]['lr'] changes the next step; groups keep their own lr", async () => {
  const [steps, two] = await runPy(py, `
import torch.optim as optim
p = nn.Parameter(torch.tensor([1.0]))
opt = optim.SGD([p], lr=0.1)
steps = []
for lr in (0.1, 0.5):
    opt.param_groups[0]['lr'] = lr
    opt.zero_grad()
    (p * 2).sum().backward()
    opt.step()
    steps.append(p.item())
emit(steps)
a, b = nn.Parameter(torch.tensor([1.0])), nn.Parameter(torch.tensor([1.0]))
opt = optim.SGD([{'params': [a]}, {'params': [b], 'lr': 1.0}], lr=0.1)
(a + b).sum().backward()
opt.step()
emit([a.item(), b.item(), len(opt.param_groups)])
`);
  assertClose(steps, [1 - 0.1 * 2, 1 - 0.2 - 0.5 * 2], 1e-6);
  assertClose(two, [0.9, 0, 2], 1e-6);
});

test('zero_grad sets the grads to None (set_to_none=False: zeros); an optimiser refuses an empty list', async () => {
  const [cleared, zeros] = await runPy(py, `
import torch.optim as optim
m = nn.Linear(3, 1)
opt = optim.Adam(m.parameters())
m(torch.randn(2, 3)).sum().backward()
opt.zero_grad()
emit([p.grad is None for p in m.parameters()])
m(torch.randn(2, 3)).sum().backward()
opt.zero_grad(set_to_none=False)
emit([p.grad is not None and p.grad.abs().sum().item() == 0 for p in m.parameters()])
`);
  assert.deepEqual(cleared, [true, true]);
  assert.deepEqual(zeros, [true, true]);
  const e = await pyError(py, 'import torch.optim as optim\noptim.SGD([], lr=0.1)');
  assert.equal(e.name, 'ValueError');
  assert.match(e.message, /optimizer got an empty parameter list/);
});

test('as in PyTorch, a parameter whose grad is None is skipped by a step, momentum or not; p.grad = None drops one grad', async () => {
  const emitted = await runPy(py, `
import torch.optim as optim
a = nn.Parameter(torch.ones(2))
b = nn.Parameter(torch.ones(2))
opt = optim.Adam([a, b], lr=0.1)
((a + b) * torch.tensor([4.0, 5.0])).sum().backward()
opt.step()  # both move and get momentum
a1, b1 = a.detach().clone(), b.detach().clone()
a.grad = None
emit(a.grad is None)
b.grad.zero_()
opt.step()  # a: no grad, untouched; b: a zero grad, its momentum still moves it
emit([torch.equal(a.detach(), a1), torch.equal(b.detach(), b1)])
(a * 2).sum().backward()
emit(a.grad.tolist())
`);
  assert.deepEqual(emitted, [true, [true, false], [2, 2]]);
});

test('StepLR multiplies lr by gamma every step_size epochs; get_last_lr() reports it', async () => {
  const [lrs] = await runPy(py, `
import torch.optim as optim
opt = optim.SGD([nn.Parameter(torch.zeros(1))], lr=1.0)
sched = optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.5)
lrs = [sched.get_last_lr()[0]]
for _ in range(5):
    opt.step()
    sched.step()
    lrs.append(sched.get_last_lr()[0])
emit(lrs + [opt.param_groups[0]['lr']])
`);
  assert.deepEqual(lrs, [1, 1, 0.5, 0.5, 0.25, 0.25, 0.25]);
});

test('clip_grad_norm_ returns the total norm before clipping, as a tensor, and scales the grads to max_norm', async () => {
  const [total, isTensor, after, value] = await runPy(py, `
a = nn.Parameter(torch.tensor([1.0, 2.0]))
b = nn.Parameter(torch.tensor([[3.0]]))
(a * torch.tensor([3.0, 4.0])).sum().backward()   # grad a = [3, 4]
(b * 12).sum().backward()                          # grad b = [[12]]
n = nn.utils.clip_grad_norm_([a, b], max_norm=1.0)
emit(n.item()); emit(isinstance(n, torch.Tensor))
emit(math.sqrt(sum((p.grad ** 2).sum().item() for p in (a, b))))
c = nn.Parameter(torch.tensor([1.0, 1.0, 1.0]))
(c * torch.tensor([-5.0, 0.05, 2.0])).sum().backward()
nn.utils.clip_grad_value_(c, 0.1)
emit(c.grad.tolist())
`);
  assertClose(total, 13, 1e-6, 'sqrt(9 + 16 + 144)');
  assert.equal(isTensor, true);
  assertClose(after, 1, 1e-5);
  assertClose(value, [-0.1, 0.05, 0.1], 1e-6);
});

test("an optimiser's step changes what a fused layer computes (the layer's own weights are the parameters)", async () => {
  const [changed, moved] = await runPy(py, `
import torch.optim as optim
lstm = nn.LSTM(3, 4)
x = torch.randn(5, 2, 3)
before, _ = lstm(x)
w_before = lstm.weight_hh_l0.tolist()
opt = optim.SGD(lstm.parameters(), lr=0.5)
out, _ = lstm(x)
out.pow(2).sum().backward()
opt.step()
after, _ = lstm(x)
emit(not close(before, after))
g = lstm.weight_hh_l0.grad.tolist()
emit(all(abs(w - 0.5 * d - n) < 1e-5 for rw, rg, rn in zip(w_before, g, lstm.weight_hh_l0.tolist()) for w, d, n in zip(rw, rg, rn)))
`);
  assert.equal(changed, true);
  assert.equal(moved, true);
});

test('ExponentialLR, LambdaLR, CosineAnnealingLR and ReduceLROnPlateau follow their formulas', async () => {
  const [exp, lam, cos, plateau] = await runPy(py, `
import torch.optim as optim
from torch.optim import lr_scheduler as S
def run(make, n=4, metric=None):
    opt = optim.SGD([nn.Parameter(torch.zeros(1))], lr=1.0)
    s = make(opt)
    out = []
    for k in range(n):
        opt.step()
        s.step(metric[k]) if metric else s.step()
        out.append(opt.param_groups[0]['lr'])
    return out
emit(run(lambda o: S.ExponentialLR(o, gamma=0.5)))
emit(run(lambda o: S.LambdaLR(o, lambda e: 1 / (e + 1))))
emit(run(lambda o: S.CosineAnnealingLR(o, T_max=4)))
emit(run(lambda o: S.ReduceLROnPlateau(o, patience=1, factor=0.5), n=6, metric=[1.0, 0.5, 0.6, 0.7, 0.8, 0.4]))
`);
  assertClose(exp, [0.5, 0.25, 0.125, 0.0625], 1e-9);
  assertClose(lam, [1 / 2, 1 / 3, 1 / 4, 1 / 5], 1e-9);
  assertClose(cos, [1, 2, 3, 4].map((e) => (1 + Math.cos(Math.PI * e / 4)) / 2), 1e-9);
  assert.deepEqual(plateau, [1, 1, 1, 0.5, 0.5, 0.5]);
});

test('load_state_dict writes in place: an optimiser made before it still updates the loaded model', async () => {
  const [loaded, stepped] = await runPy(py, `
import torch.optim as optim
a, b = nn.Linear(2, 1), nn.Linear(2, 1)
opt = optim.SGD(b.parameters(), lr=1.0)
b.load_state_dict(a.state_dict())
x = torch.tensor([[1.0, 2.0]])
emit(close(a(x), b(x)))
b(x).sum().backward()
opt.step()
emit(close(b.weight, a.weight - x))
`);
  assert.equal(loaded, true);
  assert.equal(stepped, true);
});
