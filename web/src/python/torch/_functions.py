"""torch's functions: making tensors, and the functional forms of Tensor's methods."""
import builtins
import math

from ._tensor import (INT_LIMIT, Tensor, _bool, _broadcast_shapes, _call, _device_arg, _dim, _dtype_arg,
                      _js, _not_available, _wrap, bool as bool_, float32, gl, int64)


class device:
    """torch.device('cpu'); 'cuda' says the lab has no GPU."""

    def __init__(self, type='cpu', index=None):
        if isinstance(type, device):
            type = type.type
        _device_arg(type)
        self.type = 'cpu'
        self.index = None

    def __repr__(self):
        return "device(type='cpu')"

    def __str__(self):
        return 'cpu'

    def __eq__(self, other):
        return isinstance(other, device) or other == 'cpu'

    def __hash__(self):
        return hash('cpu')


def manual_seed(seed):
    if isinstance(seed, _bool) or not isinstance(seed, int):
        raise TypeError(f'manual_seed expected an int, got {seed!r}')
    _call(gl, 'manualSeed', seed)


def set_num_threads(n):
    """The engine's threads for one op: 1 unless the page runs the threaded engine (gl.setNumThreads)."""
    if isinstance(n, _bool) or not isinstance(n, int):
        raise TypeError(f'set_num_threads expected an int, got {n!r}')
    _call(gl, 'setNumThreads', n)


def get_num_threads():
    return int(_call(gl, 'getNumThreads'))


def _creation_kwargs(who, kwargs, default=float32):
    dt = _dtype_arg(who, kwargs.pop('dtype', None)) or default
    rg = _bool(kwargs.pop('requires_grad', False))
    _device_arg(kwargs.pop('device', None))
    kwargs.pop('layout', None)
    kwargs.pop('pin_memory', None)
    kwargs.pop('generator', None)
    out = kwargs.pop('out', None)
    if out is not None:
        raise _not_available(f'{who}(out=...)')
    if kwargs:
        name = next(iter(kwargs))
        raise TypeError(f"{who}() got an unexpected keyword argument '{name}'")
    if rg and not dt.is_floating_point:
        raise RuntimeError('Only Tensors of floating point and complex dtype can require gradients')
    return dt, rg


def _sizes(who, args, kwargs):
    from ._tensor import _shape_arg
    if 'size' in kwargs:
        args = (kwargs.pop('size'),)
    return _shape_arg(who, args)


def _make(name, sizes, dt, rg, *extra):
    g = _call(gl, name, _js(sizes), *extra, _js({'requiresGrad': rg}))
    t = _wrap(g, dt)
    t._shape = tuple(sizes)
    return t


def randn(*size, **kwargs):
    sizes = _sizes('randn', size, kwargs)
    dt, rg = _creation_kwargs('randn', kwargs)
    if not dt.is_floating_point:
        raise RuntimeError(f'"normal_kernel_cpu" not implemented for \'{"Long" if dt is int64 else "Bool"}\'')
    return _make('randn', sizes, dt, rg)


def rand(*size, **kwargs):
    sizes = _sizes('rand', size, kwargs)
    dt, rg = _creation_kwargs('rand', kwargs)
    if not dt.is_floating_point:
        raise RuntimeError(f'"check_uniform_bounds" not implemented for \'{"Long" if dt is int64 else "Bool"}\'')
    return _make('rand', sizes, dt, rg)


def zeros(*size, **kwargs):
    sizes = _sizes('zeros', size, kwargs)
    dt, rg = _creation_kwargs('zeros', kwargs)
    return _make('zeros', sizes, dt, rg)


def ones(*size, **kwargs):
    sizes = _sizes('ones', size, kwargs)
    dt, rg = _creation_kwargs('ones', kwargs)
    return _make('ones', sizes, dt, rg)


def empty(*size, **kwargs):
    return zeros(*size, **kwargs)


def full(size, fill_value, **kwargs):
    sizes = _sizes('full', (size,) if isinstance(size, int) else tuple(size), kwargs)
    if isinstance(fill_value, Tensor):
        fill_value = fill_value.item()
    if not isinstance(fill_value, (int, float)):
        raise TypeError(f"full(): argument 'fill_value' must be Number, not {type(fill_value).__name__}")
    default = bool_ if isinstance(fill_value, _bool) else int64 if isinstance(fill_value, int) else float32
    dt, rg = _creation_kwargs('full', kwargs, default)
    if dt is int64:
        _check_int('full', fill_value)
    return _make('full', sizes, dt, rg, float(fill_value))


def _like(who, x, kwargs):
    if not isinstance(x, Tensor):
        raise TypeError(f"{who}(): argument 'input' must be Tensor, not {type(x).__name__}")
    kwargs.setdefault('dtype', x.dtype)
    kwargs.pop('memory_format', None)
    return list(x._dims())


def zeros_like(input, **kwargs):
    return zeros(_like('zeros_like', input, kwargs), **kwargs)


def ones_like(input, **kwargs):
    return ones(_like('ones_like', input, kwargs), **kwargs)


def empty_like(input, **kwargs):
    return zeros(_like('empty_like', input, kwargs), **kwargs)


def full_like(input, fill_value, **kwargs):
    return full(_like('full_like', input, kwargs), fill_value, **kwargs)


def randn_like(input, **kwargs):
    return randn(_like('randn_like', input, kwargs), **kwargs)


def rand_like(input, **kwargs):
    return rand(_like('rand_like', input, kwargs), **kwargs)


def _check_int(who, v):
    if builtins.abs(v) > INT_LIMIT:
        raise RuntimeError(f'{who}(): {v} does not fit an int64 tensor in gradlab: the engine is float32 and holds '
                           f'whole numbers exactly only up to 2**24 = {INT_LIMIT}')


def _flatten_data(data):
    """Nested lists/tuples of numbers/bools/one-element tensors -> (flat values, shape, kind)."""
    shape = []
    d = data
    while isinstance(d, (list, tuple)) or (isinstance(d, Tensor) and d.dim() > 0):
        shape.append(len(d))
        if len(d) == 0:
            break
        d = d[0]
    flat = []
    kinds = set()

    def walk(x, depth):
        if depth == len(shape):
            if isinstance(x, Tensor):
                if x.numel() != 1 or x.dim():
                    raise ValueError('only one element tensors can be converted to Python scalars')
                kinds.add(x.dtype)
                flat.append(x.item())
                return
            if isinstance(x, (list, tuple)):
                raise ValueError(f'expected sequence of length {0} at dim {depth} (got {len(x)})')
            if isinstance(x, _bool):
                kinds.add(bool_)
            elif isinstance(x, int):
                kinds.add(int64)
            elif isinstance(x, float):
                kinds.add(float32)
            else:
                raise TypeError(f"new(): invalid data type '{type(x).__name__}'")
            flat.append(x)
            return
        if isinstance(x, Tensor):
            x = x.tolist() if x.dim() else x
        if not isinstance(x, (list, tuple)):
            raise ValueError(f'expected sequence of length {shape[depth]} at dim {depth} (got {type(x).__name__})')
        if len(x) != shape[depth]:
            raise ValueError(f'expected sequence of length {shape[depth]} at dim {depth} (got {len(x)})')
        for v in x:
            walk(v, depth + 1)
    walk(data, 0)
    kind = float32 if float32 in kinds else int64 if int64 in kinds else bool_ if kinds else float32
    return flat, shape, kind


def tensor(data, dtype=None, device=None, requires_grad=False, pin_memory=False):
    dt = _dtype_arg('tensor', dtype)
    _device_arg(device)
    if isinstance(data, Tensor):
        t = data.detach().clone().to(dt or data.dtype)
        return t.requires_grad_(requires_grad) if requires_grad else t
    if isinstance(data, (str, bytes, dict, set)) or data is None:
        raise TypeError(f"new(): invalid data type '{type(data).__name__}'")
    if isinstance(data, range):
        data = list(data)
    flat, shape, kind = _flatten_data(data)
    dt = dt or kind
    if dt is int64:
        for v in flat:
            if isinstance(v, float) and not math.isfinite(v):
                raise RuntimeError(f'tensor(): cannot convert {v} to an int64 tensor')
        flat = [int(v) for v in flat]
        for v in flat:
            _check_int('tensor', v)
    elif dt is bool_:
        flat = [1.0 if v else 0.0 for v in flat]
    if requires_grad and not dt.is_floating_point:
        raise RuntimeError('Only Tensors of floating point and complex dtype can require gradients')
    g = _call(gl, 'tensor', _js([float(v) for v in flat]), _js(shape), _js({'requiresGrad': _bool(requires_grad)}))
    t = _wrap(g, dt)
    t._shape = tuple(shape)
    return t


def as_tensor(data, dtype=None, device=None):
    if isinstance(data, Tensor) and (dtype is None or data.dtype is dtype):
        return data
    return tensor(data, dtype=dtype, device=device)


def from_numpy(*args):
    from ._tensor import _NO_NUMPY
    raise NotImplementedError(f'torch.from_numpy: {_NO_NUMPY}')


def arange(start=0, end=None, step=1, **kwargs):
    if end is None:
        start, end = 0, start
    start, end, step = (v.item() if isinstance(v, Tensor) else v for v in (start, end, step))
    for name, v in (('start', start), ('end', end), ('step', step)):
        if isinstance(v, _bool) or not isinstance(v, (int, float)) or (isinstance(v, float) and not math.isfinite(v)):
            raise TypeError(f"arange(): argument '{name}' must be a finite Number, not {v!r}")
    if step == 0:
        raise RuntimeError('step must be nonzero')
    if (end - start) / step < 0:
        raise RuntimeError('upper bound and larger bound inconsistent with step sign')
    ints = builtins.all(isinstance(v, int) for v in (start, end, step))
    dt, rg = _creation_kwargs('arange', kwargs, int64 if ints else float32)
    n = math.ceil((end - start) / step)
    values = [start + i * step for i in range(n)]
    return tensor(values, dtype=dt, requires_grad=rg)


def linspace(start, end, steps, **kwargs):
    if isinstance(steps, _bool) or not isinstance(steps, int) or steps < 0:
        raise RuntimeError(f'linspace(): number of steps must be non-negative, got {steps!r}')
    dt, rg = _creation_kwargs('linspace', kwargs)
    if steps == 1:
        values = [float(start)]
    else:
        values = [start + (end - start) * i / (steps - 1) for i in range(steps)]
    return tensor(values, dtype=dt, requires_grad=rg)


def eye(n, m=None, **kwargs):
    m = n if m is None else m
    for name, v in (('n', n), ('m', m)):
        if isinstance(v, _bool) or not isinstance(v, int) or v < 0:
            raise RuntimeError(f'eye(): {name} must be greater or equal to 0, got {v!r}')
    dt, rg = _creation_kwargs('eye', kwargs)
    rows = [[1.0 if i == j else 0.0 for j in range(m)] for i in range(n)]
    t = tensor(rows, dtype=dt, requires_grad=rg) if n and m else zeros(n, m, dtype=dt)
    return t


def randint(low=0, high=None, size=None, **kwargs):
    if size is None:  # randint(high, size)
        low, high, size = 0, low, high
    if size is None:
        raise TypeError("randint() missing 1 required positional argument: 'size'")
    for name, v in (('low', low), ('high', high)):
        if isinstance(v, _bool) or not isinstance(v, int):
            raise TypeError(f"randint(): argument '{name}' must be int, not {type(v).__name__}")
    if high <= low:
        raise RuntimeError(f'random_ expects \'from\' to be less than \'to\', but got from={low} >= to={high}')
    _check_int('randint', builtins.max(builtins.abs(low), builtins.abs(high)))
    sizes = _sizes('randint', (size,) if isinstance(size, int) else tuple(size), {})
    dt, rg = _creation_kwargs('randint', kwargs, int64)
    t = _wrap(_call(gl, 'randint', low, high, _js(sizes)), dt)
    t._shape = tuple(sizes)
    return t


def randperm(n, **kwargs):
    if isinstance(n, _bool) or not isinstance(n, int) or n < 0:
        raise RuntimeError(f'randperm(): n must be non-negative, got {n!r}')
    dt, rg = _creation_kwargs('randperm', kwargs, int64)
    return _wrap(_call(gl, 'randperm', n), dt)


def normal(mean=0.0, std=1.0, size=None, **kwargs):
    if size is None:
        if isinstance(mean, Tensor):
            size = mean.shape
        elif isinstance(std, Tensor):
            size = std.shape
        else:
            raise _not_available('torch.normal without a size')
    return randn(size, **kwargs) * std + mean


# ---- joining ------------------------------------------------------------------------------
def _tensors_arg(who, tensors):
    if isinstance(tensors, Tensor) or not isinstance(tensors, (list, tuple)):
        raise TypeError(f"{who}(): argument 'tensors' must be tuple of Tensors, not {type(tensors).__name__}")
    if not tensors:
        raise RuntimeError(f'{who}(): expected a non-empty list of Tensors')
    for i, t in enumerate(tensors):
        if not isinstance(t, Tensor):
            raise TypeError(f"{who}(): expected Tensor as element {i} in argument 0, but got {type(t).__name__}")
    dt = tensors[0].dtype
    for t in tensors[1:]:
        if t.dtype._rank > dt._rank:
            dt = t.dtype
    return dt


def cat(tensors, dim=0, **kwargs):
    dt = _tensors_arg('cat', tensors)
    n = tensors[0].dim()
    for i, t in enumerate(tensors):
        if not t._dims():
            raise RuntimeError(f'zero-dimensional tensor (at position {i}) cannot be concatenated')
    d = _dim(dim, n)
    first = tensors[0]._dims()
    for i, t in enumerate(tensors):
        s = t._dims()
        if len(s) != n:
            raise RuntimeError(f'Tensors must have same number of dimensions: got {n} and {len(s)}')
        for k in range(n):
            if k != d and s[k] != first[k]:
                raise RuntimeError(f'Sizes of tensors must match except in dimension {d}. Expected size {first[k]} '
                                   f'but got size {s[k]} for tensor number {i} in the list.')
    if len(tensors) == 1:
        return tensors[0]
    live = [t for t in tensors if t._dims()[d]] or [tensors[0]]
    if len(live) == 1:
        return live[0]
    return _wrap(_call(gl, 'cat', _js([t._gl for t in live]), d), dt)


concat = cat
concatenate = cat


def stack(tensors, dim=0, **kwargs):
    _tensors_arg('stack', tensors)
    first = tensors[0]._dims()
    for i, t in enumerate(tensors):
        if t._dims() != first:
            raise RuntimeError(f'stack expects each tensor to be equal size, but got {list(first)} at entry 0 and '
                               f'{list(t._dims())} at entry {i}')
    n = len(first) + 1
    if isinstance(dim, _bool) or not isinstance(dim, int) or dim < -n or dim >= n:
        raise IndexError(f'Dimension out of range (expected to be in range of [{-n}, {n - 1}], but got {dim})')
    d = dim + n if dim < 0 else dim
    from ._tensor import _named
    return _named(cat([t.unsqueeze(d) for t in tensors], d), 'StackBackward0')


def where(condition, input=None, other=None):
    if input is None and other is None:
        return _input('where', condition).nonzero(as_tuple=True)
    if not isinstance(condition, Tensor):
        raise TypeError(f"where(): argument 'condition' must be Tensor, not {type(condition).__name__}")
    ops = []
    dts = []
    for name, v in (('input', input), ('other', other)):
        if isinstance(v, Tensor):
            ops.append(v._gl)
            dts.append(v.dtype)
        elif isinstance(v, (int, float)):
            ops.append(float(v))
            dts.append(bool_ if isinstance(v, _bool) else int64 if isinstance(v, int) else float32)
        else:
            raise TypeError(f"where(): argument '{name}' must be Tensor or Number, not {type(v).__name__}")
    shapes = [condition._dims()] + [v._dims() for v in (input, other) if isinstance(v, Tensor)]
    out = shapes[0]
    for s in shapes[1:]:
        out = _broadcast_shapes(out, s)
    tensors = [v for v in (input, other) if isinstance(v, Tensor)]
    dt = builtins.max(dts, key=lambda d: d._rank) if not tensors else builtins.max((v.dtype for v in tensors), key=lambda d: d._rank)
    if tensors and builtins.any(isinstance(v, float) for v in (input, other)) and not dt.is_floating_point:
        dt = float32
    return _wrap(_call(gl, 'where', condition._gl, *ops), dt)


# ---- functional forms ---------------------------------------------------------------------
def _input(who, x):
    if not isinstance(x, Tensor):
        raise TypeError(f"{who}(): argument 'input' (position 1) must be Tensor, not {type(x).__name__}")
    return x


def _method(name):
    def fn(input, *args, **kwargs):
        return getattr(_input(name, input), name)(*args, **kwargs)
    fn.__name__ = name
    return fn


exp = _method('exp')
log = _method('log')
sqrt = _method('sqrt')
rsqrt = _method('rsqrt')
abs = _method('abs')
sigmoid = _method('sigmoid')
tanh = _method('tanh')
relu = _method('relu')
floor = _method('floor')
ceil = _method('ceil')
round = _method('round')
sign = _method('sign')
square = _method('square')
neg = _method('neg')
pow = _method('pow')
sum = _method('sum')
mean = _method('mean')
std = _method('std')
var = _method('var')
argmax = _method('argmax')
argmin = _method('argmin')
amax = _method('amax')
amin = _method('amin')
norm = _method('norm')
clamp = _method('clamp')
clip = _method('clip')
isnan = _method('isnan')
isfinite = _method('isfinite')
isinf = _method('isinf')
flatten = _method('flatten')
reshape = _method('reshape')
squeeze = _method('squeeze')
unsqueeze = _method('unsqueeze')
transpose = _method('transpose')
permute = _method('permute')
t = _method('t')
narrow = _method('narrow')
select = _method('select')
index_select = _method('index_select')
chunk = _method('chunk')
split = _method('split')
unbind = _method('unbind')
all = _method('all')
any = _method('any')
numel = _method('numel')
clone = _method('clone')
detach = _method('detach')
add = _method('add')
sub = _method('sub')
mul = _method('mul')
div = _method('div')
eq = _method('eq')
ne = _method('ne')
lt = _method('lt')
le = _method('le')
gt = _method('gt')
ge = _method('ge')
equal = _method('equal')


nonzero = _method('nonzero')
logsumexp = _method('logsumexp')
diag = _method('diag')
trace = _method('trace')
triu = _method('triu')
tril = _method('tril')
log1p = _method('log1p')
masked_fill = _method('masked_fill')


def max(input, dim=None, keepdim=False):
    return _input('max', input).max(dim, keepdim)


def min(input, dim=None, keepdim=False):
    return _input('min', input).min(dim, keepdim)


def maximum(input, other):
    return where(_input('maximum', input) >= other, input, other)


def minimum(input, other):
    return where(_input('minimum', input) <= other, input, other)


def _softmax_dim(who, x, dim):
    if dim is None:
        raise TypeError(f"{who}() missing 1 required positional argument: 'dim' (PyTorch's implicit dim choice is "
                        'deprecated; say which dim, e.g. dim=-1)')
    return _dim(dim, x.dim())


def softmax(input, dim=None, dtype=None):
    x = _input('softmax', input)
    return _wrap(_call(gl, 'softmax', x._gl, _softmax_dim('softmax', x, dim)))


def log_softmax(input, dim=None, dtype=None):
    x = _input('log_softmax', input)
    return _wrap(_call(gl, 'logSoftmax', x._gl, _softmax_dim('log_softmax', x, dim)))


def matmul(input, other):
    a, b = _input('matmul', input), other
    if not isinstance(b, Tensor):
        raise TypeError(f"matmul(): argument 'other' (position 2) must be Tensor, not {type(b).__name__}")
    sa, sb = a._dims(), b._dims()
    if len(sa) == 2 and len(sb) == 2 and sa[1] == sb[0] and a.dtype is b.dtype:  # the common case, first
        r = _wrap(_call(a._gl, 'matmul', b._gl), a.dtype)
        r._shape = (sa[0], sb[1])
        return r
    if not sa or not sb:
        raise RuntimeError(f'both arguments to matmul need to be at least 1D, but they are {len(sa)}D and {len(sb)}D')
    dt = a.dtype if a.dtype._rank >= b.dtype._rank else b.dtype
    if len(sa) == 1 and len(sb) == 1:
        if sa[0] != sb[0]:
            raise RuntimeError(f'inconsistent tensor size, expected tensor [{sa[0]}] and src [{sb[0]}] to have the '
                               f'same number of elements, but got {sa[0]} and {sb[0]} elements respectively')
        row, col = a.reshape(1, -1), b.reshape(-1, 1)  # named: a temporary's gl.Tensor is freed with it
        from ._tensor import _named
        return _named(_wrap(_call(row._gl, 'matmul', col._gl), dt).reshape([]), 'DotBackward0')
    if len(sb) == 1:
        if sa[-1] != sb[0]:
            raise RuntimeError(f'size mismatch, got input ({sa[-2] if len(sa) > 1 else 1}x{sa[-1]}), vec ({sb[0]})'
                               if len(sa) == 2 else
                               f'mat1 and mat2 shapes cannot be multiplied ({_rows(sa)}x{sa[-1]} and {sb[0]}x1)')
        return matmul(a, b.unsqueeze(1)).squeeze(-1)
    if len(sa) == 1:
        return matmul(a.unsqueeze(0), b).squeeze(-2)
    if len(sb) == 2:
        if sa[-1] != sb[0]:
            raise RuntimeError(f'mat1 and mat2 shapes cannot be multiplied ({_rows(sa)}x{sa[-1]} and {sb[0]}x{sb[1]})')
        return _wrap(_call(a._gl, 'matmul', b._gl), dt)
    # batched: (..., n, k) @ (..., k, m), batch dims broadcast
    if sa[-1] != sb[-2]:
        raise RuntimeError(f'Expected size for first two dimensions of batch2 tensor to be: [{_rows(sb[:-2])}, {sa[-1]}] '
                           f'but got: [{_rows(sb[:-2])}, {sb[-2]}].')
    batch = _broadcast_shapes(sa[:-2], sb[:-2])
    nb = 1
    for s in batch:
        nb *= s
    a3 = a.expand(*batch, *sa[-2:]).reshape(nb, sa[-2], sa[-1])
    b3 = b.expand(*batch, *sb[-2:]).reshape(nb, sb[-2], sb[-1])
    return _wrap(_call(gl, 'bmm', a3._gl, b3._gl), dt).reshape(*batch, sa[-2], sb[-1])


def _rows(shape):
    n = 1
    for s in shape[:-1] if len(shape) > 1 else shape:
        n *= s
    return n


def outer(input, vec2):
    a, b = _input('outer', input), vec2
    if a.dim() != 1 or not isinstance(b, Tensor) or b.dim() != 1:
        raise RuntimeError('outer: expected two 1-D tensors')
    return a.unsqueeze(1) * b.unsqueeze(0)


ger = outer


def mm(input, mat2):
    return matmul(input, mat2)


def bmm(input, mat2):
    a, b = _input('bmm', input), mat2
    if not isinstance(b, Tensor):
        raise TypeError(f"bmm(): argument 'mat2' (position 2) must be Tensor, not {type(b).__name__}")
    sa, sb = a._dims(), b._dims()
    if len(sa) != 3:
        raise RuntimeError('batch1 must be a 3D tensor')
    if len(sb) != 3:
        raise RuntimeError('batch2 must be a 3D tensor')
    if sb[0] != sa[0] or sb[1] != sa[2]:
        raise RuntimeError(f'Expected size for first two dimensions of batch2 tensor to be: [{sa[0]}, {sa[2]}] but '
                           f'got: [{sb[0]}, {sb[1]}].')
    return _wrap(_call(gl, 'bmm', a._gl, b._gl))


def dot(input, other):
    return matmul(input, other)


def allclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    a, b = _input('allclose', input), other
    if not isinstance(b, Tensor):
        raise TypeError(f"allclose(): argument 'other' (position 2) must be Tensor, not {type(b).__name__}")
    return _bool(isclose(a, b, rtol, atol, equal_nan).all())


def isclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    a, b = input.float(), other.float() if isinstance(other, Tensor) else other
    close = (a - b).abs() <= atol + rtol * (b.abs() if isinstance(b, Tensor) else builtins.abs(b))
    same = a == b  # infinities of one sign
    out = close | same
    if equal_nan:
        out = out | (a.isnan() & (b.isnan() if isinstance(b, Tensor) else _bool(math.isnan(b))))
    return out


def is_tensor(obj):
    return isinstance(obj, Tensor)


def get_default_dtype():
    return float32


def set_default_dtype(d):
    if d is not float32:
        raise _not_available(f'torch.set_default_dtype({d!r})', 'the engine computes in float32 only')


def set_printoptions(*args, **kwargs):
    raise _not_available('torch.set_printoptions', 'tensors print with PyTorch\'s default options')


def is_grad_enabled():
    from ._tensor import is_grad_enabled as on
    return on()


def _install():
    from . import _indexing, _tensor
    _tensor._functions.matmul = matmul
    _tensor._functions.getitem = _indexing.getitem
    _tensor._functions.setitem = _indexing.setitem
    _tensor._functions.assign = _indexing.assign


_install()
