// torch.nn.Module in Python cells: registration, traversal, names, state, modes, devices,
// printing as PyTorch prints, and the errors for names the lab does not have.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { loadPython } from './python-harness.mjs';
import { runPy, pyError, assertClose } from './torch-nn-helpers.mjs';

let py;
before(async () => { py = await loadPython(); });

const MODEL = `
class Classifier(nn.Module):
    def __init__(self, d, h):
        super(Classifier, self).__init__()   # the articles' form
        self.lstm = nn.LSTM(d, h)
        self.fc = nn.Linear(h, 1)
        self.act = nn.Sigmoid()
        self.note = 'not a module'
    def forward(self, x):
        out, (h_n, c_n) = self.lstm(x)
        return self.act(self.fc(h_n[-1]))
`;

test('parameters and submodules register by assignment, with PyTorch names, order and counts', async () => {
  const [names, shapes, children, modules, count, numel, out] = await runPy(py, `${MODEL}
m = Classifier(10, 20)
emit([n for n, _ in m.named_parameters()])
emit([list(p.shape) for p in m.parameters()])
emit([n for n, _ in m.named_children()])
emit([type(x).__name__ for x in m.modules()])
emit(len(list(m.parameters())))
emit(sum(p.numel() for p in m.parameters()))
emit(list(m(torch.randn(7, 3, 10)).shape))
`);
  assert.deepEqual(names, ['lstm.weight_ih_l0', 'lstm.weight_hh_l0', 'lstm.bias_ih_l0', 'lstm.bias_hh_l0', 'fc.weight', 'fc.bias']);
  assert.deepEqual(shapes, [[80, 10], [80, 20], [80], [80], [1, 20], [1]]);
  assert.deepEqual(children, ['lstm', 'fc', 'act']);
  assert.deepEqual(modules, ['Classifier', 'LSTM', 'Linear', 'Sigmoid']);
  assert.equal(count, 6);
  assert.equal(numel, 4 * 20 * (10 + 20 + 2) + 21);
  assert.deepEqual(out, [3, 1]);
});

test('a shared submodule and a reassigned attribute are counted once; del and None unregister', async () => {
  const [shared, afterNone, afterDel, replaced] = await runPy(py, `
class Tied(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = nn.Linear(3, 3)
        self.b = self.a
        self.w = nn.Parameter(torch.zeros(2))
t = Tied()
emit([n for n, _ in t.named_parameters()])
t.b = None
emit([n for n, _ in t.named_children()])
del t.w
emit([n for n, _ in t.named_parameters()])
t.a = nn.Linear(3, 5)
emit([list(p.shape) for p in t.parameters()])
`);
  assert.deepEqual(shared, ['w', 'a.weight', 'a.bias']); // the module's own first, as PyTorch
  assert.deepEqual(afterNone, ['a']);
  assert.deepEqual(afterDel, ['a.weight', 'a.bias']);
  assert.deepEqual(replaced, [[5, 3], [5]]);
});

test('forgetting super().__init__() and assigning a plain tensor to a parameter are PyTorch errors', async () => {
  const e1 = await pyError(py, `
class Bad(nn.Module):
    def __init__(self):
        self.fc = nn.Linear(2, 2)
Bad()`);
  assert.equal(e1.name, 'AttributeError');
  assert.match(e1.message, /cannot assign module before Module.__init__\(\) call/);
  const e2 = await pyError(py, 'lin = nn.Linear(2, 2)\nlin.weight = torch.zeros(2, 2)');
  assert.equal(e2.name, 'TypeError');
  assert.match(e2.message, /cannot assign 'Tensor' as parameter 'weight' \(torch.nn.Parameter or None expected\)/);
  const e3 = await pyError(py, 'class NoForward(nn.Module):\n    pass\nNoForward()(1)');
  assert.equal(e3.name, 'NotImplementedError');
  assert.match(e3.message, /Module \[NoForward\] is missing the required "forward" function/);
});

test('nn.Parameter is a leaf that requires grad; its repr says so', async () => {
  const [leaf, grad, isTensor, repr] = await runPy(py, `
p = nn.Parameter(torch.ones(2) * 3)
emit(p.is_leaf)
emit(p.requires_grad)
emit(isinstance(p, torch.Tensor))
emit(repr(p))
`);
  assert.equal(leaf, true);
  assert.equal(grad, true);
  assert.equal(isTensor, true);
  assert.match(repr, /^Parameter containing:\ntensor\(\[3\., 3\.\], requires_grad=True\)$/);
  const e = await pyError(py, 'nn.Parameter(torch.tensor([1, 2]))');
  assert.match(e.message, /floating point/);
});

test('repr matches PyTorch for layers and nested modules', async () => {
  const [lines] = await runPy(py, `${MODEL}
emit([repr(m) for m in [nn.Linear(30, 20), nn.Linear(3, 1, bias=False), nn.LSTM(10, 20), nn.GRU(4, 8, num_layers=2, batch_first=True),
      nn.RNN(3, 5, nonlinearity='relu'), nn.LSTMCell(3, 4), nn.LayerNorm(512), nn.Dropout(0.1), nn.ReLU(), nn.GELU(),
      nn.Tanh(), nn.Sigmoid(), nn.Softmax(dim=-1), nn.Identity(), nn.Embedding(100, 16), nn.MSELoss(),
      nn.CrossEntropyLoss(), Classifier(10, 20), nn.MultiheadAttention(512, 8), nn.RNN(10, 20, 2, 'relu'),
      nn.LSTM(3, 4, 1, False, True)]])
`);
  assert.deepEqual(lines, [
    'Linear(in_features=30, out_features=20, bias=True)',
    'Linear(in_features=3, out_features=1, bias=False)',
    'LSTM(10, 20)',
    'GRU(4, 8, num_layers=2, batch_first=True)',
    "RNN(3, 5, nonlinearity='relu')",
    'LSTMCell(3, 4)',
    'LayerNorm((512,), eps=1e-05, elementwise_affine=True)',
    'Dropout(p=0.1, inplace=False)',
    'ReLU()',
    "GELU(approximate='none')",
    'Tanh()',
    'Sigmoid()',
    'Softmax(dim=-1)',
    'Identity()',
    'Embedding(100, 16)',
    'MSELoss()',
    'CrossEntropyLoss()',
    'Classifier(\n  (lstm): LSTM(10, 20)\n  (fc): Linear(in_features=20, out_features=1, bias=True)\n  (act): Sigmoid()\n)',
    'MultiheadAttention(\n  (out_proj): NonDynamicallyQuantizableLinear(in_features=512, out_features=512, bias=True)\n)',
    "RNN(10, 20, num_layers=2, nonlinearity='relu')",  // RNN's positional order has nonlinearity 4th
    'LSTM(3, 4, bias=False, batch_first=True)',
  ]);
});

test('Sequential: indexing, negative indices, slices, len, iteration, append, and nested repr', async () => {
  const [len, first, last, sliced, types, out, repr] = await runPy(py, `
seq = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))
emit(len(seq))
emit(repr(seq[0]))
emit(repr(seq[-1]))
emit(len(seq[1:]))
emit([type(m).__name__ for m in seq])
seq.append(nn.Tanh())
y = seq(torch.randn(5, 4))
emit([list(y.shape), max(abs(v) for row in y.tolist() for v in row) <= 1])
emit(repr(nn.Sequential(nn.Linear(1, 2), nn.Sequential(nn.ReLU()))))
`);
  assert.equal(len, 3);
  assert.equal(first, 'Linear(in_features=4, out_features=8, bias=True)');
  assert.equal(last, 'Linear(in_features=8, out_features=2, bias=True)');
  assert.equal(sliced, 2);
  assert.deepEqual(types, ['Linear', 'ReLU', 'Linear']);
  assert.deepEqual(out, [[5, 2], true]);
  assert.equal(repr, 'Sequential(\n  (0): Linear(in_features=1, out_features=2, bias=True)\n  (1): Sequential(\n    (0): ReLU()\n  )\n)');
  const e = await pyError(py, 'nn.Sequential(nn.ReLU())[3]');
  assert.equal(e.name, 'IndexError');
});

test('ModuleList registers its modules: append, index, len, iteration, parameters of the owner', async () => {
  const [names, len, sameObject, iterated] = await runPy(py, `
class Stack(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = nn.ModuleList([nn.Linear(3, 3) for _ in range(2)])
        self.layers.append(nn.Linear(3, 1))
    def forward(self, x):
        for layer in self.layers:
            x = layer(x)
        return x
s = Stack()
emit([n for n, _ in s.named_parameters()])
emit(len(s.layers))
emit(s.layers[-1] is s.layers[2])
emit(list(s(torch.randn(4, 3)).shape))
`);
  assert.deepEqual(names, ['layers.0.weight', 'layers.0.bias', 'layers.1.weight', 'layers.1.bias', 'layers.2.weight', 'layers.2.bias']);
  assert.equal(len, 3);
  assert.equal(sameObject, true);
  assert.deepEqual(iterated, [4, 1]);
});

test('state_dict / load_state_dict: keys, a copy that round-trips, strict errors with PyTorch wording', async () => {
  const [keys, before, after, result] = await runPy(py, `${MODEL}
torch.manual_seed(1)
a = Classifier(3, 4)
a.register_buffer('steps', torch.zeros(1))
torch.manual_seed(2)
b = Classifier(3, 4)
b.register_buffer('steps', torch.ones(1))
x = torch.randn(5, 2, 3)
emit(list(a.state_dict().keys()))
emit(close(a(x), b(x)))
r = b.load_state_dict(a.state_dict())
emit(close(a(x), b(x)) and b.steps.tolist() == [0.0])
emit([r.missing_keys, r.unexpected_keys])
`);
  // a module's own parameters and buffers, then its children's, as PyTorch orders them
  assert.deepEqual(keys, ['steps', 'lstm.weight_ih_l0', 'lstm.weight_hh_l0', 'lstm.bias_ih_l0', 'lstm.bias_hh_l0', 'fc.weight', 'fc.bias']);
  assert.equal(before, false);
  assert.equal(after, true);
  assert.deepEqual(result, [[], []]);
  const missing = await pyError(py, `${MODEL}
m = Classifier(3, 4)
sd = m.state_dict()
del sd['fc.bias']
m.load_state_dict(sd)`);
  assert.equal(missing.name, 'RuntimeError');
  assert.match(missing.message, /Error\(s\) in loading state_dict for Classifier:\n\tMissing key\(s\) in state_dict: "fc.bias"/);
  const size = await pyError(py, `${MODEL}
Classifier(3, 4).load_state_dict(Classifier(3, 5).state_dict())`);
  assert.match(size.message, /size mismatch for lstm.weight_ih_l0: copying a param with shape torch.Size\(\[20, 3\]\) from checkpoint, the shape in current model is torch.Size\(\[16, 3\]\)/);
});

test('train() / eval() reach every submodule; Dropout is the identity in eval', async () => {
  const [modes, evalSame, trainZeros] = await runPy(py, `
m = nn.Sequential(nn.Linear(50, 50), nn.Dropout(0.5))
m.eval()
emit([x.training for x in m.modules()])
x = torch.randn(4, 50)
emit(close(m(x), m[0](x)))
m.train()
emit(sum(1 for v in m(x).reshape(-1).tolist() if v == 0) > 40)
`);
  assert.deepEqual(modes, [false, false, false]);
  assert.equal(evalSame, true);
  assert.equal(trainZeros, true);
});

test('zero_grad sets every parameter\'s gradient to None, as PyTorch 2', async () => {
  const [before, after] = await runPy(py, `
m = nn.Linear(3, 2)
m(torch.randn(4, 3)).sum().backward()
emit(m.weight.grad.pow(2).sum().item() > 0)
m.zero_grad()
emit(all(p.grad is None for p in m.parameters()))
`);
  assert.equal(before, true);
  assert.equal(after, true);
});

test("to('cpu') and cpu() return the module; to('cuda') and cuda() say the lab has no GPU", async () => {
  const [same] = await runPy(py, "m = nn.Linear(2, 2)\nemit([m.to('cpu') is m, m.cpu() is m, m.to(torch.float32) is m])");
  assert.deepEqual(same, [true, true, true]);
  for (const call of ["nn.Linear(2, 2).to('cuda')", 'nn.Linear(2, 2).cuda()', "nn.LSTM(2, 2).to(device='cuda:0')"]) {
    const e = await pyError(py, call);
    assert.equal(e.name, 'RuntimeError', call);
    assert.match(e.message, /no GPU/, call);
  }
});

test('names outside the surface raise NotImplementedError naming them; hasattr() is False', async () => {
  const cases = {
    'nn.Transformer': 'torch.nn.Transformer',
    'nn.Conv2d(1, 1, 3)': 'torch.nn.Conv2d',
    'F.conv1d': 'torch.nn.functional.conv1d',
    'nn.init.sparse_': 'torch.nn.init.sparse_',
    'nn.utils.weight_norm': 'torch.nn.utils.weight_norm',
    'torch.optim.LBFGS': 'torch.optim.LBFGS',
    'torch.optim.lr_scheduler.OneCycleLR': 'torch.optim.lr_scheduler.OneCycleLR',
    'torch.utils.data.IterableDataset': 'torch.utils.data.IterableDataset',
    'nn.LSTM(2, 3, bidirectional=True)': 'nn.LSTM(bidirectional=True)',
  };
  for (const [code, name] of Object.entries(cases)) {
    const e = await pyError(py, `import torch.optim, torch.utils.data\n${code}`);
    assert.equal(e.name, 'NotImplementedError', code);
    assert.ok(e.message.includes(name) && e.message.includes("not available in gradlab's torch"), `${code}: ${e.message}`);
  }
  const [has] = await runPy(py, "from torch.nn import functional, init, utils\nemit([hasattr(nn, 'Linear'), hasattr(F, 'relu'), hasattr(nn, 'Transformer'), getattr(nn.utils.rnn, 'pad_sequence', None)])");
  assert.deepEqual(has, [true, true, false, null]);
});

test('parameters of a model and of its layer are the same tensors the layer computes with', async () => {
  const [changed, grads] = await runPy(py, `
lin = nn.Linear(2, 1)
x = torch.tensor([[1.0, 2.0]])
nn.init.constant_(lin.weight, 0.5)
nn.init.constant_(lin.bias, -1.0)
emit(lin(x).item())
lin.weight = nn.Parameter(torch.tensor([[2.0, 0.0]]))
lin(x).sum().backward()
emit([lin(x).item(), lin.weight.grad.tolist()])
`);
  assertClose(changed, 0.5 * 1 + 0.5 * 2 - 1);
  assertClose(grads, [2 - 1, 1, 2]);
});

test('bad arguments raise a Python exception naming the layer and the value, never an abort', async () => {
  const cases = [
    ['nn.Linear(-1, 3)', 'TypeError', /Linear: in_features must be a positive integer, got -1/],
    ["nn.LSTM(3, 'x')", 'TypeError', /LSTM: hidden_size must be a positive integer, got 'x'/],
    ['nn.MultiheadAttention(10, 3)', 'RuntimeError', /embed_dim 10 is not divisible by num_heads 3/],
    ['nn.Dropout(1.5)', 'ValueError', /dropout probability has to be between 0 and 1, but got 1.5/],
    ['nn.Embedding(5, 2)(torch.tensor([7]))', 'RuntimeError', /index 7 out of range for 5 embeddings/],
    ['F.cross_entropy(torch.randn(2, 3), torch.tensor([0, 5]))', 'RuntimeError', /target 5 out of range for 3 classes/],
    ['nn.LayerNorm(4)(torch.randn(2, 5))', 'RuntimeError', /expected input \(\*, 4\), got \(2, 5\)/],
    ['nn.MultiheadAttention(8, 2)(*[torch.randn(3, 2, 6)] * 3)', 'AssertionError', /was expecting embedding dimension of 8, but got 6/],
    ['nn.RNN(3, 4)(torch.randn(5, 2, 3), torch.randn(1, 3, 4))', 'RuntimeError', /Expected hidden size \(1, 2, 4\), got \[1, 3, 4\]/],
    ['nn.Linear(2, 2)(torch.tensor([[1, 2]]))', 'RuntimeError', /mat1 and mat2 must have the same dtype, but got Long and Float/],
    ['nn.Sequential(nn.ReLU(), 3)', 'TypeError', /int is not a Module subclass/],
  ];
  for (const [code, name, message] of cases) {
    const e = await pyError(py, code);
    assert.equal(e.name, name, code);
    assert.match(e.message, message, code);
  }
  const [ok] = await runPy(py, 'emit(list(nn.Linear(2, 2)(torch.ones(1, 2)).shape))');
  assert.deepEqual(ok, [1, 2], 'the engine still works after the errors');
});

test('copy.deepcopy(model): same outputs, parameters of its own (changing one leaves the other)', async () => {
  const [same, separate, names] = await runPy(py, `
import copy
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.lin = nn.Linear(3, 4)
        self.mha = nn.MultiheadAttention(4, 2)
        self.lstm = nn.LSTM(4, 2)
    def forward(self, x):
        h = self.lin(x)
        return self.lstm(h + self.mha(h, h, h)[0])[0]
a = Net()
b = copy.deepcopy(a)
x = torch.randn(5, 2, 3)
emit(close(a(x), b(x)))
for p in b.parameters():
    nn.init.constant_(p, 0.1)
emit([not close(a(x), b(x)), all(p is not q for p, q in zip(a.parameters(), b.parameters()))])
emit([n for n, _ in b.named_parameters()] == [n for n, _ in a.named_parameters()])
`);
  assert.equal(same, true);
  assert.deepEqual(separate, [true, true]);
  assert.equal(names, true);
});

test('forward hooks see each call, may replace the output, and remove() detaches them', async () => {
  const [seen, replaced, after] = await runPy(py, `
net = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 1))
seen = []
handle = net[1].register_forward_hook(lambda m, args, out: seen.append((type(m).__name__, list(out.shape))))
net(torch.randn(2, 3)); net(torch.randn(5, 3))
emit(seen)
h2 = net[2].register_forward_hook(lambda m, args, out: out * 0)
emit(net(torch.randn(2, 3)).tolist())
handle.remove(); h2.remove()
net(torch.randn(2, 3))
emit(len(seen))
`);
  assert.deepEqual(seen, [['Tanh', [2, 4]], ['Tanh', [5, 4]]]);
  assert.deepEqual(replaced.flat().map(Math.abs), [0, 0]);
  assert.equal(after, 3);
});
