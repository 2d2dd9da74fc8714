// The Python `torch` package, core (web/src/python/torch): tensors, operators, dtypes, autograd,
// printing and errors, run in Pyodide on the engine as a Python cell runs them. Expected values
// are worked out by hand (or are PyTorch's documented defaults and printing), and where an op
// exists in gl the values are also compared with gl's own results.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { loadPython } from './python-harness.mjs';

let py;
before(async () => { py = await loadPython(); });

const dedent = (s) => {
  const lines = s.replace(/^\n/, '').split('\n');
  const pad = Math.min(...lines.filter((l) => l.trim()).map((l) => l.match(/^ */)[0].length));
  return lines.map((l) => l.slice(pad)).join('\n');
};
/** Runs code (after `import torch`); fails with the code and its error if it raised. */
async function run(code, options) {
  const src = `import torch\n${dedent(code)}`;
  const r = await py.run(src, options);
  if (r.error) assert.fail(`${r.error.name}: ${r.error.message} (line ${r.error.line})\n--- code ---\n${src}\n--- printed ---\n${r.output}`);
  return r.output;
}
/** The lines printed by code. */
const lines = async (code, options) => (await run(code, options)).split('\n');
/** The error code raises: { name, message }. */
async function raises(code) {
  const src = `import torch\n${dedent(code)}`;
  const r = await py.run(src);
  assert.ok(r.error, `expected an error from:\n${src}\nprinted:\n${r.output}`);
  return r.error;
}
async function expectError(code, name, message) {
  const e = await raises(code);
  assert.equal(e.name, name, `${code}\n-> ${e.name}: ${e.message}`);
  if (message instanceof RegExp) assert.match(e.message, message);
  else assert.equal(e.message, message);
}
const close = (a, b, tol = 1e-5) => Math.abs(a - b) <= tol * Math.max(1, Math.abs(b));
const numbers = (s) => s.split(/[\s,]+/).filter(Boolean).map(Number);

// ---- printing ---------------------------------------------------------------------------
test('tensors print exactly as PyTorch prints them', async () => {
  const out = await lines(`
    print(torch.tensor([0.1, 0.2]))
    print(torch.tensor([1., 2.]))
    print(torch.tensor([1, 2]))
    print(torch.tensor([True, False]))
    print(torch.tensor(3))
    print(torch.tensor(2.5))
    print(torch.tensor([1e-5, 1.0]))
    print(torch.tensor([1.0, 123456789.0]))
    print(torch.tensor([-1.5, 0.0, 2.25]))
    print(torch.zeros(2, 0))
    print(torch.tensor([], dtype=torch.int64))
  `);
  assert.deepEqual(out, [
    'tensor([0.1000, 0.2000])',
    'tensor([1., 2.])',
    'tensor([1, 2])',
    'tensor([ True, False])',
    'tensor(3)',
    'tensor(2.5000)',
    'tensor([1.0000e-05, 1.0000e+00])',
    'tensor([1.0000e+00, 1.2346e+08])',
    'tensor([-1.5000,  0.0000,  2.2500])',
    'tensor([], size=(2, 0))',
    'tensor([], dtype=torch.int64)',
  ]);
});

test('printing: 2-D alignment, grad suffixes, long rows wrapped at 80 columns, summaries past 1000 elements', async () => {
  const out = await run(`
    x = torch.tensor([[1., -2.5], [3., 4.]], requires_grad=True)
    print(x)
    print((x * 2).sum())
    print(torch.tensor([0.6931471805599453], requires_grad=True).mean())
    print(torch.arange(20) / 7)
    print(torch.arange(2000))
    print(torch.ones(3, 400))
  `);
  assert.equal(out, [
    'tensor([[ 1.0000, -2.5000],',
    '        [ 3.0000,  4.0000]], requires_grad=True)',
    'tensor(11., grad_fn=<SumBackward0>)',
    'tensor(0.6931, grad_fn=<MeanBackward0>)',
    'tensor([0.0000, 0.1429, 0.2857, 0.4286, 0.5714, 0.7143, 0.8571, 1.0000, 1.1429,',
    '        1.2857, 1.4286, 1.5714, 1.7143, 1.8571, 2.0000, 2.1429, 2.2857, 2.4286,',
    '        2.5714, 2.7143])',
    'tensor([   0,    1,    2,  ..., 1997, 1998, 1999])',
    'tensor([[1., 1., 1.,  ..., 1., 1., 1.],',
    '        [1., 1., 1.,  ..., 1., 1., 1.],',
    '        [1., 1., 1.,  ..., 1., 1., 1.]])',
  ].join('\n'));
});

test('printing rounds ties to even as Python does (1/32 -> 0.0312), 3-D tensors get blank lines', async () => {
  const out = await run(`
    print(torch.tensor([0.03125, 0.5]))
    print(torch.arange(8).reshape(2, 2, 2))
  `);
  assert.equal(out, 'tensor([0.0312, 0.5000])\ntensor([[[0, 1],\n         [2, 3]],\n\n        [[4, 5],\n         [6, 7]]])');
});

test('torch.Size prints as PyTorch and is a tuple; f-strings format 0-d tensors', async () => {
  const out = await lines(`
    x = torch.randn(32, 20)
    print(x.shape, x.size(), x.size(1), x.size(-1), x.dim(), x.ndim, x.numel(), len(x))
    print(isinstance(x.shape, tuple), x.shape == (32, 20), list(x.shape), x.shape[1:])
    loss = torch.tensor(0.693147)
    print(f'{loss:.3f} {loss.item():.2f} {torch.tensor(2.5)} {torch.tensor([1, 2])}')
  `);
  assert.deepEqual(out, [
    'torch.Size([32, 20]) torch.Size([32, 20]) 20 20 2 2 640 32',
    'True True [32, 20] torch.Size([20])',
    '0.693 0.69 2.5 tensor([1, 2])',
  ]);
});

// ---- creation and defaults --------------------------------------------------------------
test('creation: shapes as varargs, tuples, lists or Size; dtypes as PyTorch infers them', async () => {
  const out = await lines(`
    for t in [torch.zeros(2, 3), torch.zeros((2, 3)), torch.ones([2, 3]), torch.randn(torch.Size([2, 3])), torch.rand(2, 3)]:
        print(tuple(t.shape), t.dtype, t.requires_grad)
    print(torch.tensor([1, 2]).dtype, torch.tensor([1, 2.5]).dtype, torch.tensor([True]).dtype, torch.tensor(3).dtype)
    print(torch.arange(5).dtype, torch.arange(0, 1, 0.25).dtype, torch.full((2,), 7).dtype, torch.full((2,), 0.5).dtype)
    print(torch.randint(0, 10, (3, 4)).dtype, torch.zeros(2, dtype=torch.long).dtype, torch.float is torch.float32)
    print(torch.arange(0, 1, 0.25), torch.arange(2, 11, 3), torch.linspace(0, 1, 5))
    print(torch.eye(3))
    print(torch.full((2, 2), 1.5), torch.zeros_like(torch.arange(3)), torch.ones_like(torch.randn(2)))
    print(torch.randn(3, requires_grad=True).is_leaf, torch.cuda.is_available(), torch.device('cpu'))
  `);
  assert.deepEqual(out, [
    '(2, 3) torch.float32 False', '(2, 3) torch.float32 False', '(2, 3) torch.float32 False',
    '(2, 3) torch.float32 False', '(2, 3) torch.float32 False',
    'torch.int64 torch.float32 torch.bool torch.int64',
    'torch.int64 torch.float32 torch.int64 torch.float32',
    'torch.int64 torch.int64 True',
    'tensor([0.0000, 0.2500, 0.5000, 0.7500]) tensor([2, 5, 8]) tensor([0.0000, 0.2500, 0.5000, 0.7500, 1.0000])',
    'tensor([[1., 0., 0.],', '        [0., 1., 0.],', '        [0., 0., 1.]])',
    'tensor([[1.5000, 1.5000],', '        [1.5000, 1.5000]]) tensor([0, 0, 0]) tensor([1., 1.])',
    "True False cpu",
  ]);
});

test('set_num_threads and get_num_threads: 1 on the engine without threads, more is refused with the reason', async () => {
  assert.deepEqual(await lines(`
    print(torch.get_num_threads())
    torch.set_num_threads(1)
    print(torch.get_num_threads())
  `), ['1', '1']);
  assert.match((await raises('torch.set_num_threads(2)')).message, /n must be in \[1, 1\] \(this engine is built without threads\), got 2/);
  assert.match((await raises('torch.set_num_threads(2.0)')).message, /set_num_threads expected an int, got 2.0/);
});

test('manual_seed reproduces randn, rand, randint and normal_', async () => {
  const out = await lines(`
    def draw():
        torch.manual_seed(7)
        return [torch.randn(3).tolist(), torch.rand(2).tolist(), torch.randint(0, 100, (4,)).tolist(), torch.zeros(2).normal_().tolist()]
    a, b = draw(), draw()
    print(a == b)
    r = torch.randint(3, 6, (1000,))
    print(r.min().item(), r.max().item(), r.dtype)
    u = torch.rand(1000)
    print(0 <= u.min().item(), u.max().item() < 1)
  `);
  assert.deepEqual(out, ['True', '3 5 torch.int64', 'True True']);
});

// ---- operators, broadcasting, promotion --------------------------------------------------
test('operators work both ways round with Python numbers, and broadcast', async () => {
  const out = await lines(`
    x = torch.tensor([1., 2., 4.])
    for r in [x + 1, 1 + x, x - 1, 1 - x, x * 3, 3 * x, x / 2, 2 / x, x ** 2, (2 ** x).round(), -x, x // 3, x % 3, abs(-x)]:
        print(r.tolist())
    m = torch.tensor([[1., 2., 3.], [4., 5., 6.]])
    print((m + torch.tensor([10., 20., 30.])).tolist(), (m * torch.tensor([[2.], [3.]])).tolist())
    print((m @ torch.tensor([[1.], [0.], [-1.]])).tolist(), (torch.tensor([1., 2.]) @ torch.tensor([3., 4.])).item())
  `);
  assert.deepEqual(out, [
    '[2.0, 3.0, 5.0]', '[2.0, 3.0, 5.0]', '[0.0, 1.0, 3.0]', '[0.0, -1.0, -3.0]', '[3.0, 6.0, 12.0]', '[3.0, 6.0, 12.0]',
    '[0.5, 1.0, 2.0]', '[2.0, 1.0, 0.5]', '[1.0, 4.0, 16.0]', '[2.0, 4.0, 16.0]', '[-1.0, -2.0, -4.0]', '[0.0, 0.0, 1.0]',
    '[1.0, 2.0, 1.0]', '[1.0, 2.0, 4.0]',
    '[[11.0, 22.0, 33.0], [14.0, 25.0, 36.0]] [[2.0, 4.0, 6.0], [12.0, 15.0, 18.0]]',
    '[[-2.0], [-2.0]] 11.0',
  ]);
});

test('comparisons give bool tensors; dtype promotion follows PyTorch', async () => {
  const out = await lines(`
    a = torch.tensor([1, 2, 3])
    b = torch.tensor([3, 2, 1])
    print(a < b, a == 2, 2 <= a, (a > b).dtype)
    print((a + b).dtype, (a * 2).dtype, (a / b).dtype, (a // 2).dtype, (a % 2).tolist(), (a + 0.5).dtype, (a * 1.0).dtype)
    print((a + torch.tensor([0.5, 0.5, 0.5])).dtype, (torch.tensor([True]) + 1).dtype, a.float().dtype, a.float())
    print((a / b), (a > 1).float(), (a > 1).long(), torch.tensor([2.7, -2.7]).long())
    print((a > 1) & (a < 3), (a < 2) | (a > 2), ~(a > 1))
  `);
  assert.deepEqual(out, [
    'tensor([ True, False, False]) tensor([False,  True, False]) tensor([False,  True,  True]) torch.bool',
    'torch.int64 torch.int64 torch.float32 torch.int64 [1, 0, 1] torch.float32 torch.float32',
    'torch.float32 torch.int64 torch.float32 tensor([1., 2., 3.])',
    'tensor([0.3333, 1.0000, 3.0000]) tensor([0., 1., 1.]) tensor([0, 1, 1]) tensor([ 2, -2])',
    'tensor([False,  True, False]) tensor([ True, False,  True]) tensor([ True, False, False])',
  ]);
});

test('elementwise functions and reductions give the hand-computed values', async () => {
  const out = await lines(`
    x = torch.tensor([[1., 4.], [9., 16.]])
    print(torch.sqrt(x).tolist(), torch.log(x / x).tolist(), (-x).abs().tolist())
    print(torch.clamp(x, 2, 10).tolist(), x.clamp(min=5).tolist(), x.clamp(max=3).tolist())
    print(x.sum().item(), x.sum(0).tolist(), x.sum(dim=1, keepdim=True).tolist(), x.mean().item(), x.mean(1).tolist())
    print(x.max().item(), x.min().item(), x.argmax().item(), x.argmax(dim=0).tolist(), torch.argmax(x, 1).tolist())
    v, i = x.max(dim=1)
    print(v.tolist(), i.tolist(), i.dtype, x.max(0).values.tolist(), x.min(1, keepdim=True).indices.tolist())
    print(torch.tensor([3., 4.]).norm().item(), x.norm(dim=1).tolist(), torch.norm(torch.tensor([-1., 2.]), p=1).item())
    print(torch.tensor([1., 2., 3., 4.]).var().item(), torch.tensor([2., 4., 4., 4., 5., 5., 7., 9.]).std(unbiased=False).item())
    print(torch.tensor([1, 2, 3]).sum(), torch.tensor([True, True, False]).sum())
    print(torch.relu(torch.tensor([-1., 0., 2.])).tolist(), torch.sigmoid(torch.tensor([0.])).item(), torch.tanh(torch.tensor(0.)).item())
    s = torch.softmax(torch.tensor([[0., 0.], [0., 1000.]]), dim=1)
    print(s.tolist(), torch.log_softmax(torch.tensor([0., 0.]), dim=0).tolist())
  `);
  const ln2 = Math.log(0.5);
  assert.deepEqual(out.slice(0, 9), [
    '[[1.0, 2.0], [3.0, 4.0]] [[0.0, 0.0], [0.0, 0.0]] [[1.0, 4.0], [9.0, 16.0]]',
    '[[2.0, 4.0], [9.0, 10.0]] [[5.0, 5.0], [9.0, 16.0]] [[1.0, 3.0], [3.0, 3.0]]',
    '30.0 [10.0, 20.0] [[5.0], [25.0]] 7.5 [2.5, 12.5]',
    '16.0 1.0 3 [1, 1] [1, 1]',
    '[4.0, 16.0] [1, 1] torch.int64 [9.0, 16.0] [[0], [0]]',
    `5.0 [${Math.fround(Math.sqrt(17))}, ${Math.fround(Math.sqrt(337))}] 3.0`.replace(/(\d)e/, '$1e'),
    `${Math.fround(5 / 3)} 2.0`,
    'tensor(6) tensor(2)',
    '[0.0, 0.0, 2.0] 0.5 0.0',
  ]);
  assert.equal(out[9], `[[0.5, 0.5], [0.0, 1.0]] [${Math.fround(ln2)}, ${Math.fround(ln2)}]`);
});

test('allclose, isnan, isfinite, bmm, to(dtype), torch.max(a, b), where with numbers', async () => {
  const out = await lines(`
    a = torch.tensor([1., 2., 3.])
    print(torch.allclose(a, a + 1e-6), torch.allclose(a, a + 1e-3), torch.allclose(a, a + 0.05, atol=0.1), torch.allclose(a, a * 1.01, rtol=0.02))
    v = torch.tensor([1., float('nan'), float('inf'), -float('inf')])
    print(torch.isnan(v), torch.isfinite(v), v.isinf())
    print(torch.isnan(v).any().item(), torch.isfinite(a).all().item())
    A = torch.arange(12.).reshape(2, 2, 3)
    B = torch.ones(2, 3, 1)
    print(torch.bmm(A, B).tolist(), (A @ B).shape, torch.matmul(A, torch.ones(3)).tolist())
    print(a.to(torch.int64), a.to(torch.int64).dtype, torch.tensor([0, 2]).to(torch.bool), a.to('cpu') is a, a.to(torch.float32) is a)
    print(torch.max(a, torch.tensor([3., 2., 1.])), torch.min(a, torch.tensor([3., 2., 1.])), torch.where(a > 1.5, a, -1.))
  `);
  assert.deepEqual(out, [
    'True False True True',
    'tensor([False,  True, False, False]) tensor([ True, False, False, False]) tensor([False, False,  True,  True])',
    'True True',
    '[[[3.0], [12.0]], [[21.0], [30.0]]] torch.Size([2, 2, 1]) [[3.0, 12.0], [21.0, 30.0]]',
    'tensor([1, 2, 3]) torch.int64 tensor([False,  True]) True True',
    'tensor([3., 2., 3.]) tensor([1., 2., 1.]) tensor([-1.,  2.,  3.])',
  ]);
});

test('nonzero, where(cond), outer, diag, trace and logsumexp, composed from engine ops', async () => {
  const out = await lines(`
    m = torch.tensor([[0., 2.], [3., 0.]])
    print(m.nonzero().tolist(), [t.tolist() for t in torch.where(m > 0)], torch.outer(torch.tensor([1., 2.]), torch.tensor([3., 4., 5.])).tolist())
    print(torch.diag(torch.tensor([1., 2.])).tolist(), m.diag().tolist(), torch.arange(9.).reshape(3, 3).diag(1).tolist(), torch.arange(9.).reshape(3, 3).trace().item())
    x = torch.tensor([[0., 0.], [1000., 1000.]])
    print(x.logsumexp(1).tolist(), torch.logsumexp(torch.zeros(4), 0).item())
  `);
  assert.deepEqual(out, [
    '[[0, 1], [1, 0]] [[0, 1], [1, 0]] [[3.0, 4.0, 5.0], [6.0, 8.0, 10.0]]',
    '[[1.0, 0.0], [0.0, 2.0]] [0.0, 0.0] [1.0, 5.0] 12.0',
    `[${Math.fround(Math.log(2))}, ${Math.fround(1000 + Math.fround(Math.log(2)))}] ${Math.fround(Math.log(4))}`,
  ]);
});

test('values agree with gl\'s own ops on the same tensors', async () => {
  const out = await lines(`
    import _gradlab_js
    gl = _gradlab_js.gl
    T = torch.Tensor._from_gl
    torch.manual_seed(3)
    x = torch.randn(4, 5)
    w = torch.randn(5, 3)
    pairs = [(x.sigmoid(), gl.sigmoid(x._gl)), (x.tanh(), gl.tanh(x._gl)), (x @ w, gl.matmul(x._gl, w._gl)),
             (x.softmax(-1), gl.softmax(x._gl, -1)), (x.sum(1), x._gl.sum(1)), (x.exp(), gl.exp(x._gl))]
    print(max((a - T(b)).abs().max().item() for a, b in pairs))
  `);
  assert.equal(Number(out[0]), 0);
});

// ---- autograd -----------------------------------------------------------------------------
test('backward gives the hand-computed gradients; grad_fn names are PyTorch\'s', async () => {
  const out = await lines(`
    x = torch.tensor([1., 2., 3.], requires_grad=True)
    y = (x * x).sum()
    y.backward()
    print(x.grad.tolist())
    w = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
    b = torch.tensor([0.5, -0.5], requires_grad=True)
    out = (torch.tensor([[1., 1.]]) @ w + b).tanh()
    print(out.grad_fn.name(), (w @ w).grad_fn.name(), (w + 1).grad_fn.name(), (w * 2).grad_fn.name(), (w / 2).grad_fn.name())
    print(w.sum().grad_fn.name(), w.mean().grad_fn.name(), w.sigmoid().grad_fn.name(), w.reshape(4).grad_fn.name(), w.grad_fn)
    print(w.relu().grad_fn.name(), w.exp().grad_fn.name(), (w - 1).grad_fn.name(), torch.cat([w, w]).grad_fn.name(), w.clone().grad_fn.name())
    h = w * 3
    h.retain_grad()
    h.sum().backward()
    print(w.grad.tolist(), h.grad.tolist(), h.is_leaf, w.is_leaf, x.detach().requires_grad)
  `);
  assert.deepEqual(out, [
    '[2.0, 4.0, 6.0]',
    'TanhBackward0 MmBackward0 AddBackward0 MulBackward0 DivBackward0',
    'SumBackward0 MeanBackward0 SigmoidBackward0 ViewBackward0 None',
    'ReluBackward0 ExpBackward0 SubBackward0 CatBackward0 CloneBackward0',
    '[[3.0, 3.0], [3.0, 3.0]] [[1.0, 1.0], [1.0, 1.0]] False True False',
  ]);
});

test('grad_fn names follow PyTorch for views, dim reductions, indexing and composed ops', async () => {
  const out = await run(`
    x = torch.randn(2, 3, requires_grad=True)
    made = [x.sum(1), x.mean(0), x.max(1).values, x.t(), x.T, x.unsqueeze(0), x.reshape(1, 2, 3).squeeze(0),
            torch.stack([x, x]), x[0] @ x[1], x[[0, 1]], x[x > 0], x.masked_fill(x > 0, 0.), x.triu(), x.repeat(2, 1),
            x.var(), x.std(), 1 - x, x[0], x[:, 1:], x.permute(1, 0), x.expand(2, 2, 3), x.abs(), x.sqrt(), x.clamp(-1, 1),
            torch.where(x > 0, x, 0.), x.index_select(1, torch.tensor([0, 2]))]
    print(' '.join(t.grad_fn.name() for t in made))
    print(x.squeeze().grad_fn, (x * 2).squeeze().grad_fn.name())
  `);
  assert.equal(out, [
    'SumBackward1 MeanBackward1 MaxBackward0 TBackward0 PermuteBackward0 UnsqueezeBackward0 SqueezeBackward1',
    'StackBackward0 DotBackward0 IndexBackward0 IndexBackward0 MaskedFillBackward0 TriuBackward0 RepeatBackward0',
    'VarBackward0 StdBackward0 RsubBackward1 SelectBackward0 SliceBackward0 PermuteBackward0 ExpandBackward0 AbsBackward0',
    'SqrtBackward0 ClampBackward1 WhereBackward0 IndexSelectBackward0\nNone MulBackward0',
  ].join(' '));
});

test('no_grad as a block and as a decorator; `p -= lr * p.grad` updates p in place', async () => {
  const out = await lines(`
    p = torch.tensor([1., 2.], requires_grad=True)
    (p * p).sum().backward()
    same = p
    with torch.no_grad():
        p -= 0.1 * p.grad
        q = p * 2
    print(p.tolist(), same is p, p.requires_grad, p.is_leaf, q.requires_grad, torch.is_grad_enabled())
    @torch.no_grad()
    def evaluate(t):
        return t * 3
    print(evaluate(p).requires_grad, (p * 3).requires_grad)
    p.grad.zero_()
    print(p.grad.tolist())
  `);
  assert.deepEqual(out, [
    `[${Math.fround(0.8)}, ${Math.fround(1.6)}] True True True False True`,
    'False True',
    '[0.0, 0.0]',
  ]);
});

test('finite differences through the Python API agree with backward()', async () => {
  // f(x) = sum(tanh(x @ W) * c) + mean(x ** 3) + (sigmoid(x[:, 1:]) / (1 + x[:, :1] ** 2)).sum()
  const out = await lines(`
    torch.manual_seed(1)
    W = torch.randn(3, 4)
    c = torch.randn(2, 4)
    def f(x):
        return (torch.tanh(x @ W) * c).sum() + (x ** 3).mean() + (torch.sigmoid(x[:, 1:]) / (1 + x[:, :1] ** 2)).sum()
    x = torch.randn(2, 3, requires_grad=True)
    f(x).backward()
    analytic = x.grad.tolist()
    eps = 1e-2
    worst = 0.0
    base = x.detach()
    for i in range(2):
        for j in range(3):
            hi = base.clone(); hi[i, j] += eps
            lo = base.clone(); lo[i, j] -= eps
            numeric = (f(hi).item() - f(lo).item()) / (2 * eps)
            worst = max(worst, abs(numeric - analytic[i][j]) / max(1.0, abs(numeric)))
    print(worst)
  `);
  assert.ok(Number(out[0]) < 2e-3, `largest relative difference ${out[0]}`);
});

test('finite differences agree with backward() for the composed ops (sqrt, pow, where, clamp, permute, expand, indexing, std, max, stack, item writes)', async () => {
  // the input sits away from every kink (0 for abs/where/masks, +-0.5 for the clamp, ties for max)
  const out = await run(`
    def gradcheck(f, x, eps=1e-2):
        x = x.detach().requires_grad_()
        f(x).backward()
        analytic = x.grad.reshape(-1).tolist()
        base = x.detach().reshape(-1)
        worst = 0.0
        for k in range(base.numel()):
            hi = base.clone(); hi[k] += eps
            lo = base.clone(); lo[k] -= eps
            numeric = (f(hi.reshape(x.shape)).item() - f(lo.reshape(x.shape)).item()) / (2 * eps)
            worst = max(worst, abs(numeric - analytic[k]) / max(1.0, abs(numeric)))
        return worst
    def item_write(x):
        h = x * 1
        h[0, 1] = h[1, 2] * 3
        return (h ** 2).sum()
    checks = {
        'sqrt abs': lambda x: (x.abs() + 1).sqrt().sum(),
        'pow': lambda x: x.pow(3).mean() + (x ** 2).sum() + (x.abs() ** 0.5).sum(),
        'where': lambda x: torch.where(x > 0, x * 2, x.exp()).sum(),
        'clamp': lambda x: (x.clamp(-0.5, 0.5) * torch.tensor([1., 2., 3.])).sum(),
        'permute softmax': lambda x: x.permute(1, 0).softmax(-1)[:, 0].sum() + x.log_softmax(0)[1].sum(),
        'expand': lambda x: (x.unsqueeze(0).expand(3, 2, 3) * torch.arange(3.).reshape(3, 1, 1)).sum(),
        'index mask': lambda x: x[:, torch.tensor([2, 0, 2])].pow(2).sum() + x[x > 0].sum(),
        'std var norm': lambda x: x.std() + x.var(dim=1).sum() + x.norm(dim=0).sum(),
        'max min': lambda x: x.max(dim=1).values.sum() + x.min(),
        'stack cat': lambda x: torch.stack([x, x * 2]).sum(0).tanh().sum() + torch.cat([x, x.sigmoid()], 1).sum(),
        'item write': item_write,
        'T matmul': lambda x: (x.T @ x).sum() + (x @ x.T).pow(2).sum(),
        'repeat masked_fill': lambda x: (x.repeat(2, 1) * torch.arange(12.).reshape(4, 3)).sum() + x.masked_fill(x > 1, 0.).sum(),
        'strided slice': lambda x: x.flatten()[::2].sum() * x[1, -1],
        'diag logsumexp outer': lambda x: x.diag().sum() * 2 + x.logsumexp(1).sum() + torch.outer(x[0], x[1]).pow(2).sum(),
    }
    x = torch.tensor([[-1.2, 0.3, 0.7], [2.0, -0.15, 0.45]])
    for name, f in checks.items():
        print(name, gradcheck(f, x))
  `);
  for (const line of out.split('\n')) {
    const worst = Number(line.split(' ').pop());
    assert.ok(worst < 5e-3, `${line} (largest relative difference)`);
  }
  assert.equal(out.split('\n').length, 15);
});

test('the new gl ops give the same values from Python as from gl', async () => {
  const out = await lines(`
    import _gradlab_js
    gl = _gradlab_js.gl
    from pyodide.ffi import to_js
    T = torch.Tensor._from_gl
    torch.manual_seed(5)
    x = torch.randn(3, 4)
    c = x > 0
    pairs = [(x.abs().sqrt(), x._gl.abs().sqrt()), (x.pow(3), x._gl.pow(3)), (x.clamp(-0.5, 0.2), x._gl.clamp(-0.5, 0.2)),
             (torch.where(c, x, 0.), gl.where(c._gl, x._gl, 0)), (x.permute(1, 0), x._gl.permute(to_js([1, 0]))),
             (x[:, [3, 1]], x._gl.indexSelect(1, to_js([3, 1]))), (x.floor(), x._gl.floor()),
             (x[None].expand(2, 3, 4), x._gl.reshape(to_js([1, 3, 4])).expand(to_js([2, 3, 4])))]
    print(max((a - T(b)).abs().max().item() for a, b in pairs))
  `);
  assert.equal(Number(out[0]), 0);
});

// ---- shapes -----------------------------------------------------------------------------
test('view, reshape(-1), squeeze, unsqueeze, transpose, permute, T, flatten, expand, repeat', async () => {
  const out = await lines(`
    x = torch.arange(24).reshape(2, 3, 4)
    print(x.view(6, -1).shape, x.reshape(-1).shape, x.view(-1, 2, 2).shape, x.flatten(1).shape, x.flatten().shape)
    print(x.unsqueeze(0).shape, x.unsqueeze(-1).shape, torch.zeros(1, 3, 1).squeeze().shape, torch.zeros(1, 3, 1).squeeze(0).shape)
    print(x.transpose(0, 1).shape, x.transpose(1, 2)[1, 3].tolist(), x.permute(2, 0, 1).shape, x.permute(2, 0, 1)[3, 0].tolist())
    m = torch.tensor([[1, 2, 3], [4, 5, 6]])
    print(m.T.tolist(), m.t().tolist(), x.T.shape, m.contiguous().tolist())
    print(torch.tensor([[1.], [2.]]).expand(2, 3).tolist(), torch.tensor([1, 2]).expand(2, -1).tolist())
    print(torch.tensor([1, 2]).repeat(2, 2).tolist(), m.repeat(1, 2).shape)
  `);
  assert.deepEqual(out, [
    'torch.Size([6, 4]) torch.Size([24]) torch.Size([6, 2, 2]) torch.Size([2, 12]) torch.Size([24])',
    'torch.Size([1, 2, 3, 4]) torch.Size([2, 3, 4, 1]) torch.Size([3]) torch.Size([3, 1])',
    'torch.Size([3, 2, 4]) [15, 19, 23] torch.Size([4, 2, 3]) [3, 7, 11]',
    '[[1, 4], [2, 5], [3, 6]] [[1, 4], [2, 5], [3, 6]] torch.Size([4, 3, 2]) [[1, 2, 3], [4, 5, 6]]',
    '[[1.0, 1.0, 1.0], [2.0, 2.0, 2.0]] [[1, 2], [1, 2]]',
    '[[1, 2, 1, 2], [1, 2, 1, 2]] torch.Size([2, 6])',
  ]);
});

test('cat and stack, with PyTorch\'s checks', async () => {
  const out = await lines(`
    a = torch.tensor([[1, 2]])
    b = torch.tensor([[3, 4]])
    print(torch.cat([a, b]).tolist(), torch.cat((a, b), dim=1).tolist(), torch.stack([a, b]).shape, torch.stack([a, b], dim=-1).shape)
    print(torch.cat([a.float(), b]).dtype)
  `);
  assert.deepEqual(out, ['[[1, 2], [3, 4]] [[1, 2, 3, 4]] torch.Size([2, 1, 2]) torch.Size([1, 2, 2])', 'torch.float32']);
});

// ---- indexing -----------------------------------------------------------------------------
test('indexing: ints, negative ints, slices with steps, ..., None, masks, index tensors and lists', async () => {
  const out = await lines(`
    x = torch.arange(24).reshape(2, 3, 4)
    print(x[:, 1, :].tolist(), x[:, -1, :].shape, x[..., :2].shape, x[1, ..., -1].tolist())
    print(x[0, :, ::2].tolist(), x[0, 1, 1:3].tolist(), x[None].shape, x[:, None, 0].shape, x[1][2][3].item())
    v = torch.tensor([5., -1., 3., -2.])
    print(v[v > 0].tolist(), v[torch.tensor([3, 0])].tolist(), v[[1, 1, 2]].tolist(), v[-2:].tolist(), v[::3].tolist())
    print(x[0][torch.tensor([True, False, True])].tolist())
    rows = torch.arange(3)
    cols = torch.tensor([1, 0, 3])
    print(x[0, rows, cols].tolist(), x[1][rows, cols].tolist())
  `);
  assert.deepEqual(out, [
    '[[4, 5, 6, 7], [16, 17, 18, 19]] torch.Size([2, 4]) torch.Size([2, 3, 2]) [15, 19, 23]',
    '[[0, 2], [4, 6], [8, 10]] [5, 6] torch.Size([1, 2, 3, 4]) torch.Size([2, 1, 4]) 23',
    '[5.0, 3.0] [-2.0, 5.0] [-1.0, -1.0, 3.0] [3.0, -2.0] [5.0, -2.0]',
    '[[0, 1, 2, 3], [8, 9, 10, 11]]',
    '[1, 4, 11] [13, 16, 23]',
  ]);
});

test('indexing is differentiable: gradients land on the picked elements', async () => {
  const out = await lines(`
    x = torch.arange(6.).reshape(2, 3).requires_grad_()
    (x[:, 1] * 2 + x[1, ::2].sum() + x[x > 3].sum()).sum().backward()
    print(x.grad.tolist())
  `);
  // x[:, 1] * 2 -> 2 at (0, 1), (1, 1); the two scalar sums broadcast over 2 rows -> 2 per picked element:
  // x[1, ::2] picks (1, 0), (1, 2); x[x > 3] picks (1, 1), (1, 2)
  assert.deepEqual(out, ['[[0.0, 2.0, 0.0], [2.0, 4.0, 4.0]]']);
});

// ---- in place and .data -------------------------------------------------------------------
test('in-place ops, item assignment and .data writes reach the tensor\'s storage', async () => {
  const out = await lines(`
    H = 2
    b = torch.zeros(4 * H, requires_grad=True)
    b.data[H:2 * H].fill_(1)
    print(b.tolist(), b.requires_grad, b.is_leaf)
    w = torch.zeros(2, 3)
    w[0] = 5
    w[:, -1] = torch.tensor([7., 8.])
    w[w == 0] = -1
    print(w.tolist())
    z = torch.ones(3)
    z.add_(1).mul_(3)
    z.zero_()
    print(z.tolist())
    a = torch.tensor([1., 2., 3.])
    a += 1
    a *= 2
    a.clamp_(max=6)
    a.copy_(a - 1)
    print(a.tolist())
    e = torch.empty(2, 2)
    e.uniform_(-0.1, 0.1)
    print(e.abs().max().item() <= 0.1, torch.zeros(100).normal_(3.0, 0.01).mean().round().item())
    p = torch.ones(2, 2, requires_grad=True)
    d = p.data
    d[0, 1] = 9
    print(p.tolist())
  `);
  assert.deepEqual(out, [
    '[0.0, 0.0, 1.0, 1.0, 0.0, 0.0, 0.0, 0.0] True True',
    '[[5.0, 5.0, 7.0], [-1.0, -1.0, 8.0]]',
    '[0.0, 0.0, 0.0]',
    '[3.0, 5.0, 5.0]',
    'True 3.0',
    '[[1.0, 9.0], [1.0, 1.0]]',
  ]);
});

test('an in-place op on a tensor in a graph is recorded, as PyTorch records it', async () => {
  const out = await lines(`
    w = torch.tensor([1., 2.], requires_grad=True)
    h = w * 2
    h += 1
    h[0] = h[0] * 3
    h.sum().backward()
    print(h.tolist(), w.grad.tolist())
  `);
  assert.deepEqual(out, ['[9.0, 5.0] [6.0, 2.0]']);
});

// ---- values out -----------------------------------------------------------------------------
test('item, tolist, float(), int(), bool() and iteration', async () => {
  const out = await lines(`
    t = torch.tensor([[1, 2], [3, 4]])
    print(t.tolist(), t[0, 1].item(), type(t[0, 1].item()).__name__, float(torch.tensor(2.5)), int(torch.tensor(7)))
    print(bool(torch.tensor(0.)), [r.tolist() for r in t], torch.tensor([True]).item(), torch.tensor(1.5).tolist())
  `);
  assert.deepEqual(out, ['[[1, 2], [3, 4]] 2 int 2.5 7', 'False [[1, 2], [3, 4]] True 1.5']);
});

// ---- errors -------------------------------------------------------------------------------
test('shape mistakes raise RuntimeError with PyTorch\'s wording', async () => {
  await expectError('torch.randn(32, 12) @ torch.randn(10, 20)', 'RuntimeError', 'mat1 and mat2 shapes cannot be multiplied (32x12 and 10x20)');
  await expectError('torch.matmul(torch.randn(4, 32, 12), torch.randn(10, 20))', 'RuntimeError', 'mat1 and mat2 shapes cannot be multiplied (128x12 and 10x20)');
  await expectError('torch.randn(2, 3) + torch.randn(2, 4)', 'RuntimeError', 'The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 1');
  await expectError('torch.arange(12).view(5, -1)', 'RuntimeError', "shape '[5, -1]' is invalid for input of size 12");
  await expectError('torch.zeros(2, 3).sum(2)', 'IndexError', 'Dimension out of range (expected to be in range of [-2, 1], but got 2)');
  await expectError('torch.zeros(3)[5]', 'IndexError', 'index 5 is out of bounds for dimension 0 with size 3');
  await expectError('torch.zeros(3)[torch.tensor([0, 5])]', 'IndexError', 'index 5 is out of bounds for dimension 0 with size 3');
  await expectError('torch.cat([torch.zeros(2, 3), torch.zeros(2, 4)])', 'RuntimeError', 'Sizes of tensors must match except in dimension 0. Expected size 3 but got size 4 for tensor number 1 in the list.');
  await expectError('torch.stack([torch.zeros(2), torch.zeros(3)])', 'RuntimeError', 'stack expects each tensor to be equal size, but got [2] at entry 0 and [3] at entry 1');
  await expectError('torch.bmm(torch.zeros(2, 3, 4), torch.zeros(2, 5, 6))', 'RuntimeError', 'Expected size for first two dimensions of batch2 tensor to be: [2, 4] but got: [2, 5].');
  await expectError('torch.zeros(2, 3)[0, 0, 0]', 'IndexError', 'too many indices for tensor of dimension 2');
  await expectError('torch.randn(3).backward()', 'RuntimeError', 'element 0 of tensors does not require grad and does not have a grad_fn');
  await expectError('(torch.randn(3, requires_grad=True) * 2).backward()', 'RuntimeError', 'grad can be implicitly created only for scalar outputs');
  await expectError('torch.randn(3).item()', 'RuntimeError', 'a Tensor with 3 elements cannot be converted to Scalar');
  await expectError('bool(torch.randn(3))', 'RuntimeError', 'Boolean value of Tensor with more than one value is ambiguous');
  await expectError('torch.arange(3).mean()', 'RuntimeError', 'mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: Long');
  await expectError('w = torch.ones(2, requires_grad=True)\nw += 1', 'RuntimeError', 'a leaf Variable that requires grad is being used in an in-place operation.');
  await expectError('torch.ones(3).expand(2, 4)', 'RuntimeError', /The expanded size of the tensor \(4\) must match the existing size \(3\) at non-singleton dimension 1/);
  await expectError('torch.ones(2, 3).permute(0, 0)', 'RuntimeError', 'permute(): duplicate dims are not allowed.');
});

test('bad input: mixed types, negative sizes, wrong dtypes, huge integers, NaN where it matters', async () => {
  await expectError("torch.tensor([1, 'a'])", 'TypeError', "new(): invalid data type 'str'");
  await expectError('torch.tensor([[1, 2], [3]])', 'ValueError', 'expected sequence of length 2 at dim 1 (got 1)');
  await expectError('torch.zeros(-1, 3)', 'RuntimeError', 'Trying to create tensor with negative dimension -1: [-1, 3]');
  await expectError('torch.randn(2.5)', 'TypeError', "randn(): argument 'size' must be tuple of ints, but found element of type float at pos 0");
  await expectError("torch.zeros(2, dtype='float32')", 'TypeError', /zeros: argument 'dtype' must be torch.dtype, not str/);
  await expectError('torch.zeros(2, dtype=torch.float64)', 'NotImplementedError', /torch.float64 is not available in gradlab's torch/);
  await expectError('torch.tensor([2**30])', 'RuntimeError', /tensor\(\): 1073741824 does not fit an int64 tensor in gradlab.*2\*\*24/);
  await expectError('torch.tensor([1.5]).clamp(min=float("nan"))', 'RuntimeError', 'clamp(): min is nan');
  await expectError('torch.tensor([1, 2], requires_grad=True)', 'RuntimeError', 'Only Tensors of floating point and complex dtype can require gradients');
  await expectError("torch.zeros(2).normal_(0, float('nan'))", 'RuntimeError', 'normal expects std >= 0.0 and a finite mean, but found mean=0, std=nan');
  await expectError('torch.zeros(2).uniform_(1, 0)', 'RuntimeError', 'uniform_ expects to return a [from, to) range, but found from=1 > to=0');
  await expectError('torch.randint(5, 5, (2,))', 'RuntimeError', "random_ expects 'from' to be less than 'to', but got from=5 >= to=5");
  await expectError('x = torch.zeros(2, dtype=torch.long)\nx[0] = 2**30', 'RuntimeError', /does not fit: int64 tensors in gradlab hold whole numbers exactly only up to 2\*\*24/);
  await expectError("torch.zeros(2).to('cuda')", 'RuntimeError', /device 'cuda' is not available: gradlab's lab has no GPU/);
  await expectError('torch.zeros(3)[1.5]', 'IndexError', 'only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are valid indices (got float)');
  await expectError("torch.zeros(3).fill_('a')", 'TypeError', "fill_(): argument 'value' must be Number, not str");
  await expectError('torch.cat([torch.zeros(2), 3])', 'TypeError', 'cat(): expected Tensor as element 1 in argument 0, but got int');
  await expectError('torch.softmax(torch.zeros(2))', 'TypeError', /softmax\(\) missing 1 required positional argument: 'dim'/);
  await expectError("torch.zeros(2) + 'a'", 'TypeError', /unsupported operand type\(s\) for \+: 'Tensor' and 'str'/);
});

test('names outside the surface raise NotImplementedError naming them; .numpy() explains there is no NumPy', async () => {
  await expectError('torch.fft', 'NotImplementedError', /^torch\.fft is not available in gradlab's torch/);
  await expectError('torch.einsum("ij->ji", torch.zeros(2, 2))', 'NotImplementedError', /^torch\.einsum is not available/);
  await expectError('torch.zeros(2).cumsum(0)', 'NotImplementedError', /^Tensor\.cumsum is not available/);
  await expectError('torch.linalg.qr(torch.eye(2))', 'NotImplementedError', /^torch\.linalg\.qr is not available/);
  await expectError('torch.cuda.memory_allocated()', 'NotImplementedError', /torch\.cuda\.memory_allocated is not available.*no GPU/);
  await expectError('torch.zeros(2).numpy()', 'NotImplementedError', /the lab has no NumPy.*\.tolist\(\).*\.item\(\)/);
});

test('hasattr and getattr with a default see unsupported names as missing; an in-place write into a saved tensor fails at backward', async () => {
  const out = await lines(`
    print(hasattr(torch, 'compile'), getattr(torch, 'fft', 'none'), hasattr(torch.zeros(1), 'cumsum'), hasattr(torch, 'tensor'))
    try:
        torch.fft
    except NotImplementedError as e:
        print(type(e).__name__, isinstance(e, AttributeError))
  `);
  assert.deepEqual(out, ['False none False True', 'NotImplementedError True']);
  await expectError(`
    w = torch.ones(2, requires_grad=True)
    h = w * 2
    y = (h * h).sum()
    with torch.no_grad():
        h += 1
    y.backward()
  `, 'RuntimeError', /one of the variables needed for gradient computation has been modified by an inplace operation/);
});

test('backward(retain_graph=True) then a second backward says the engine frees graphs', async () => {
  await expectError(`
    w = torch.tensor([1., 2.], requires_grad=True)
    y = (w * w).sum()
    y.backward(retain_graph=True)
    y.backward()
  `, 'RuntimeError', /already freed by an earlier backward\(\).*retain_graph=True is not available, run the forward pass again/);
});

test('linalg: svdvals, eigvals and norm as the engine computes them', async () => {
  const out = await lines(`
    A = torch.tensor([[3., 0.], [0., -2.]])
    print(torch.linalg.svdvals(A).tolist(), sorted(z.real for z in torch.linalg.eigvals(A)), torch.linalg.eigvals(A).abs().max().item())
    print(torch.linalg.norm(torch.tensor([3., 4.])).item(), torch.linalg.norm(A).item() ** 2)
    R = torch.tensor([[0., -1.], [1., 0.]])
    print(sorted(z.imag for z in torch.linalg.eigvals(R)))
  `);
  assert.deepEqual(out, ['[3.0, 2.0] [-2.0, 3.0] 3.0', `5.0 ${Math.fround(Math.sqrt(13)) ** 2}`, '[-1.0, 1.0]']);
});

// ---- memory and speed -----------------------------------------------------------------------
test('a 10k-op loop from Python does not grow the engine\'s live tensors, nor does a training loop', async () => {
  const out = await lines(`
    import _gradlab_js
    import gc
    gl = _gradlab_js.gl
    w = torch.randn(30, 20, requires_grad=True)
    x = torch.randn(32, 30)
    def step():
        return torch.sigmoid(x @ w).sum()
    def train():
        loss = ((x @ w).tanh() ** 2).mean()
        loss.backward()
        with torch.no_grad():
            w.sub_(0.01 * w.grad)
        w.grad.zero_()
    for _ in range(200):
        step()
        train()
    gc.collect()
    before = gl.memory().tensors
    for _ in range(3400):  # 3 ops a step: 10200 ops
        step()
    gc.collect()
    middle = gl.memory().tensors
    for _ in range(500):
        train()
    gc.collect()
    print(before, middle, gl.memory().tensors)
  `);
  const [before, middle, after] = numbers(out[0]);
  assert.ok(middle <= before + 20, `live tensors grew from ${before} to ${middle} over 10k ops`);
  assert.ok(after <= before + 20, `live tensors grew from ${before} to ${after} over 500 training steps`);
});
