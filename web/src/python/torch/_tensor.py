"""torch.Tensor over the engine's tensors (gl.Tensor, reached through Pyodide's FFI).

Interface the rest of the package builds on (nn, optim, utils, gradlab):
  Tensor._from_gl(g, dtype=None, own=False)  wrap a gl.Tensor (a JsProxy); dtype float32 by default.
                                            own=True for a fresh op result that nothing else holds:
                                            its wasm memory is freed with the Tensor. Leave it False
                                            for a tensor a gl object keeps (a gl layer's weight).
  Tensor._make_subclass(cls, data, require_grad)  a cls (nn.Parameter) sharing data's values
  t._gl                                     the gl.Tensor behind t
  t._adopt(new)                             t takes new's value (an in-place op on a graph tensor)
  _js(value)                                a Python list/tuple/dict -> a JS value for gl calls
  _call(g, 'name', *args)                   g.name(*args) in the current grad mode (inside
                                            torch.no_grad() through gl.noGrad), engine errors
                                            raised as Python exceptions (RuntimeError, ...)
  _no_grad_call(g, 'name', *args)           the same, always without a graph
  _shape_arg(who, args)                     torch.zeros(2, 3) / zeros((2, 3)) / zeros(Size) -> [2, 3]
  _dim(d, ndim)                             a dim as 0..ndim-1, or PyTorch's IndexError
  _not_available(name, hint)                the NotImplementedError (also an AttributeError) for a
                                            name outside the lab's surface
  is_grad_enabled()                         False inside torch.no_grad()

Memory: a Tensor made by an op owns its gl.Tensor and disposes it when Python drops the Tensor,
so a loop of 10k ops keeps the engine's live tensors flat (JS alone would free them only
between tasks). Keep a temporary in a variable while its _gl is in use: `a.reshape(1, -1)._gl`
frees the gl.Tensor as soon as the expression's Tensor is dropped.

Semantics are PyTorch's, the numerics the engine's: every value is computed by a gl op. The
engine is float32 only: int64 and bool tensors hold whole numbers (0/1 for bool) in float32
with a dtype tag here, exact up to 2**24 = 16777216 (an int64 value beyond it is refused).
"""
import builtins
import math

from pyodide.code import run_js
from pyodide.ffi import JsException, jsnull, to_js

import _gradlab_js

gl = _gradlab_js.gl
_from_entries = run_js('Object.fromEntries')
# gl.noGrad takes a function; torch.no_grad is a block. Ops inside the block go through this
# JS helper, which calls the op by name inside gl.noGrad (no Python callback per op).
_no_grad_call = run_js('(gl) => (obj, name, ...args) => gl.noGrad(() => obj[name](...args))')(gl)

INT_LIMIT = 2 ** 24  # float32 holds every integer up to this exactly


def _js(value):
    return to_js(value, dict_converter=_from_entries)


def _null(v):
    return v is None or v is jsnull


# ---- dtypes -------------------------------------------------------------------------------
class dtype:
    __slots__ = ('_name', 'is_floating_point', '_rank', 'itemsize')

    def __init__(self, name, is_floating_point, rank, itemsize):
        self._name = name
        self.is_floating_point = is_floating_point
        self._rank = rank  # promotion order: bool < int64 < float32
        self.itemsize = itemsize

    is_complex = False

    def __repr__(self):
        return f'torch.{self._name}'

    def __reduce__(self):
        return self._name


float32 = dtype('float32', True, 2, 4)
int64 = dtype('int64', False, 1, 8)
bool = dtype('bool', False, 0, 1)  # noqa: A001 - torch.bool
_bool = builtins.bool
_DTYPE_NAMES = {float32: 'float32', int64: 'int64', bool: 'bool'}


def _dtype_arg(who, d):
    if d is None or isinstance(d, dtype):
        return d
    if d is float:
        return float32
    if d is int:
        return int64
    if d is _bool:
        return bool
    raise TypeError(f"{who}: argument 'dtype' must be torch.dtype, not {type(d).__name__}"
                    + (" (gradlab's torch has torch.float32, torch.int64 and torch.bool)" if isinstance(d, str) else ''))


def _promote(a, b):
    """The dtype of an op on tensor a and b (a Tensor or a Python number), as PyTorch."""
    if isinstance(b, Tensor):
        return a.dtype if a.dtype._rank >= b.dtype._rank else b.dtype
    if isinstance(b, _bool):
        return a.dtype
    if isinstance(b, int):
        return int64 if a.dtype is bool else a.dtype
    return float32


# ---- grad mode ----------------------------------------------------------------------------
_grad_enabled = [True]


def is_grad_enabled():
    return _grad_enabled[0]


class no_grad:
    """with torch.no_grad(): ... or @torch.no_grad(): ops build no graph."""

    def __init__(self, func=None):
        self._func = func
        self._prev = []

    def __enter__(self):
        self._prev.append(_grad_enabled[0])
        _grad_enabled[0] = False
        return self

    def __exit__(self, *exc):
        _grad_enabled[0] = self._prev.pop()
        return False

    def __call__(self, func):
        import functools

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            with no_grad():
                return func(*args, **kwargs)
        return wrapper


class enable_grad(no_grad):
    def __enter__(self):
        self._prev.append(_grad_enabled[0])
        _grad_enabled[0] = True
        return self

    def __call__(self, func):
        import functools

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            with enable_grad():
                return func(*args, **kwargs)
        return wrapper


class set_grad_enabled(no_grad):
    def __init__(self, mode):
        super().__init__()
        self._prev.append(_grad_enabled[0])
        _grad_enabled[0] = _bool(mode)

    def __enter__(self):
        return self


# ---- errors -------------------------------------------------------------------------------
_retain_graph_asked = [False]  # backward(retain_graph=True) was called: a second backward's error says why

_ERROR_CLASSES = {'TypeError': TypeError, 'RangeError': IndexError}


def _error(e, message=None):
    """A Python exception for an engine (JS) error: its message, PyTorch's class."""
    text = message or getattr(e, 'message', None) or str(e)
    return _ERROR_CLASSES.get(getattr(e, 'name', ''), RuntimeError)(text)


def _call(g, name, *args):
    try:
        if _grad_enabled[0]:
            return getattr(g, name)(*args)
        return _no_grad_call(g, name, *args)
    except JsException as e:
        raise _error(e) from None


def _range_error(d, n):
    lo, hi = (-1, 0) if n == 0 else (-n, n - 1)
    return IndexError(f'Dimension out of range (expected to be in range of [{lo}, {hi}], but got {d})')


def _dim(d, n):
    """dim d of an n-dim tensor as 0..n-1, or PyTorch's IndexError."""
    if isinstance(d, _bool) or not isinstance(d, int):
        raise TypeError(f'dim must be an int, got {d!r}')
    m = max(n, 1)
    if d < -m or d >= m:
        raise _range_error(d, n)
    return d + m if d < 0 else d


def _broadcast_shapes(a, b, names=('a', 'b')):
    out = []
    n = max(len(a), len(b))
    for i in range(1, n + 1):
        da = a[-i] if i <= len(a) else 1
        db = b[-i] if i <= len(b) else 1
        if da != db and da != 1 and db != 1:
            raise RuntimeError(f'The size of tensor {names[0]} ({da}) must match the size of tensor {names[1]} ({db}) '
                               f'at non-singleton dimension {n - i}')
        out.append(da if db == 1 else db)
    return tuple(reversed(out))


def _shape_arg(who, args):
    """Sizes given as varargs or as one tuple/list/Size -> a list of ints, checked."""
    if len(args) == 1 and isinstance(args[0], (tuple, list)):
        args = tuple(args[0])
    sizes = []
    for pos, s in enumerate(args):
        if isinstance(s, Tensor) and s.numel() == 1 and not s.dtype.is_floating_point:
            s = s.item()
        if isinstance(s, _bool) or not isinstance(s, int):
            raise TypeError(f"{who}(): argument 'size' must be tuple of ints, but found element of type "
                            f'{type(s).__name__} at pos {pos}')
        sizes.append(s)
    for s in sizes:
        if s < 0:
            raise RuntimeError(f'Trying to create tensor with negative dimension {s}: {sizes}')
    return sizes


def _device_arg(device):
    name = device if isinstance(device, str) else getattr(device, 'type', None)
    if device is None or name == 'cpu':
        return
    if isinstance(name, str) and (name.startswith('cuda') or name in ('mps', 'xla')):
        raise RuntimeError(f"device '{device}' is not available: gradlab's lab has no GPU; "
                           "everything runs on the CPU in WebAssembly (use 'cpu' or leave device out)")
    raise RuntimeError(f'Expected one of cpu, cuda device type at start of device string: {device}')


# ---- grad_fn names: the engine's op names as PyTorch's backward classes ------------------
_GRAD_FN = {
    'add': 'AddBackward0', 'sub': 'SubBackward0', 'mul': 'MulBackward0', 'div': 'DivBackward0',
    'neg': 'NegBackward0', 'matmul': 'MmBackward0', 'bmm': 'BmmBackward0', 'sigmoid': 'SigmoidBackward0',
    'tanh': 'TanhBackward0', 'relu': 'ReluBackward0', 'exp': 'ExpBackward0', 'log': 'LogBackward0',
    'square': 'PowBackward0', 'pow': 'PowBackward0', 'sqrt': 'SqrtBackward0', 'abs': 'AbsBackward0',
    'clamp': 'ClampBackward1', 'where': 'WhereBackward0', 'sum': 'SumBackward0', 'mean': 'MeanBackward0',
    'norm': 'LinalgVectorNormBackward0', 'max': 'MaxBackward1', 'min': 'MinBackward1',
    'transpose': 'TransposeBackward0', 'select': 'SelectBackward0', 'narrow': 'SliceBackward0',
    'reshape': 'ViewBackward0', 'cat': 'CatBackward0', 'softmax': 'SoftmaxBackward0',
    'log_softmax': 'LogSoftmaxBackward0', 'gelu': 'GeluBackward0', 'dropout': 'MulBackward0',
    'Linear': 'AddmmBackward0', 'mse_loss': 'MseLossBackward0', 'bce_loss': 'BinaryCrossEntropyBackward0',
    'bce_with_logits': 'BinaryCrossEntropyWithLogitsBackward0', 'cross_entropy': 'NllLossBackward0',
    'nll_loss': 'NllLossBackward0', 'LayerNorm': 'NativeLayerNormBackward0', 'Embedding': 'EmbeddingBackward0',
    'index_select': 'IndexSelectBackward0', 'indexSelect': 'IndexSelectBackward0', 'permute': 'PermuteBackward0',
    'expand': 'ExpandBackward0', 'copy_': 'CopyBackwards', 'floor': 'FloorBackward0',
}


class _GradFn:
    """What t.grad_fn shows: PyTorch's class name for the op that made t."""
    __slots__ = ('_name',)

    def __init__(self, name):
        self._name = name

    def name(self):
        return self._name

    def __repr__(self):
        return f'<{self._name} object at {hex(id(self))}>'


_GRAD_FN_DIM = {'sum': 'SumBackward1', 'mean': 'MeanBackward1', 'norm': 'LinalgVectorNormBackward0'}


def _named(t, name):
    """t, whose grad_fn PyTorch names `name` (the op that made it here is another one)."""
    if t is not NotImplemented:
        t._op = name
    return t


def _grad_fn_name(op):
    if op in _GRAD_FN:
        return _GRAD_FN[op]
    return ''.join(p[:1].upper() + p[1:] for p in op.replace('-', '_').split('_')) + 'Backward0'


class Size(tuple):
    """torch.Size: a tuple of ints that prints as torch.Size([32, 20])."""

    def __repr__(self):
        return f'torch.Size({list(self)})'

    __str__ = __repr__

    def numel(self):
        return math.prod(self)

    def __getitem__(self, i):
        r = tuple.__getitem__(self, i)
        return Size(r) if isinstance(i, slice) else r


class _ReturnTypes(tuple):
    """torch.return_types.max(values=..., indices=...)."""
    _name = 'max'

    def __new__(cls, name, values, indices):
        t = tuple.__new__(cls, (values, indices))
        t._name = name
        return t

    values = property(lambda self: self[0])
    indices = property(lambda self: self[1])

    def __repr__(self):
        return f'torch.return_types.{self._name}(\nvalues={self[0]!r},\nindices={self[1]!r})'


class _NotAvailable(AttributeError, NotImplementedError):
    """A name outside gradlab's torch: a NotImplementedError that names it, and an AttributeError
    too, so that hasattr(torch, name) and getattr(torch, name, default) answer as Python expects."""


_NotAvailable.__name__ = _NotAvailable.__qualname__ = 'NotImplementedError'


def _not_available(name, hint=''):
    return _NotAvailable(f"{name} is not available in gradlab's torch (the lab implements the part of "
                               f"PyTorch its chapters use{'; ' + hint if hint else ''})")


_NO_NUMPY = ("the lab has no NumPy (it runs PyTorch code on gradlab's engine in the browser): "
             'use .tolist() for the values as Python lists, or .item() for one number')


# ---- the Tensor ---------------------------------------------------------------------------
class _Functions:
    """What torch._functions and torch._indexing provide to Tensor's methods, filled in when they
    are imported (they import this module): matmul, getitem, setitem, assign."""


_functions = _Functions()

def _operand(v):
    """A gl operand for v: a gl.Tensor, a JS number, or None when v is neither."""
    if isinstance(v, Tensor):
        return v._gl
    if isinstance(v, (int, float)):
        return float(v)
    return None


def _wrap(g, dtype=None):
    """A Tensor that owns g, a gl.Tensor an op just made: g is freed when the Tensor is."""
    t = object.__new__(Tensor)
    t._gl = g
    t.dtype = dtype or float32
    t._shape = None
    t._view = None
    t._op = None
    t._owned = True
    return t


class Tensor:
    __slots__ = ('_gl', 'dtype', '_shape', '_view', '_op', '_owned', '__weakref__', '__dict__')

    def __new__(cls, *args, **kwargs):
        from ._functions import tensor, zeros
        if cls is not Tensor:  # a subclass (nn.Parameter) makes its own
            return object.__new__(cls)
        if len(args) == 1 and isinstance(args[0], (list, tuple)) and not kwargs:
            return tensor(args[0], dtype=float32)
        return zeros(*args, **kwargs)

    @classmethod
    def _from_gl(cls, g, dtype=None, own=False):
        """Wraps a gl.Tensor. own=True: nothing else holds g (a fresh op result), so g's wasm
        memory is freed as soon as this Tensor is (without it, JS frees it only between tasks or
        at a spill). Leave own False for a tensor a gl object keeps (a layer's weight)."""
        t = object.__new__(cls)
        t._gl = g
        t.dtype = dtype or float32
        t._shape = None
        t._view = None
        t._op = None
        t._owned = own
        return t

    @staticmethod
    def _make_subclass(cls, data, require_grad=False):
        """A cls (nn.Parameter) over data's values, as PyTorch's Tensor._make_subclass: it shares
        data's gl.Tensor (detached first if data is in a graph) and keeps data alive."""
        if not isinstance(data, Tensor):
            raise TypeError(f'expected a Tensor, got {type(data).__name__}')
        src = data.detach() if data._gl.requiresGrad else data
        t = cls._from_gl(src._gl, src.dtype)
        t._shape = src._shape
        t._source = src  # owns the gl.Tensor; lives as long as t
        if require_grad:
            t.requires_grad_(True)
        return t

    def __del__(self):
        try:
            if self._owned:
                self._gl.dispose()
        except Exception:  # noqa: BLE001 - half-made (no _owned yet), or at exit with the engine gone
            pass

    def _adopt(self, new):
        """self now is new's value (an in-place op on a tensor in a graph): takes over new's gl.Tensor."""
        self._gl = new._gl
        self._op = new._op
        self._owned, new._owned = new._owned, False

    # -- shape ------------------------------------------------------------------------------
    def _dims(self):
        s = self._shape
        if s is None:
            s = self._shape = tuple(self._gl.shape.to_py())
        return s

    @property
    def shape(self):
        return Size(self._dims())

    def size(self, dim=None):
        s = self._dims()
        if dim is None:
            return Size(s)
        return s[_dim(dim, len(s))]

    def dim(self):
        return len(self._dims())

    ndimension = dim

    @property
    def ndim(self):
        return len(self._dims())

    def numel(self):
        n = 1
        for s in self._dims():
            n *= s
        return n

    nelement = numel

    def __len__(self):
        s = self._dims()
        if not s:
            raise TypeError('len() of a 0-d tensor')
        return s[0]

    @property
    def is_cuda(self):
        return False

    @property
    def device(self):
        from ._functions import device
        return device('cpu')

    def is_floating_point(self):
        return self.dtype.is_floating_point

    def element_size(self):
        return self.dtype.itemsize

    # -- autograd ---------------------------------------------------------------------------
    @property
    def requires_grad(self):
        return _bool(self._gl.requiresGrad)

    @requires_grad.setter
    def requires_grad(self, on):
        self.requires_grad_(on)

    def requires_grad_(self, requires_grad=True):
        if requires_grad and not self.dtype.is_floating_point:
            raise RuntimeError('only Tensors of floating point and complex dtype can require gradients')
        if not requires_grad and not self.is_leaf:
            raise RuntimeError('you can only change requires_grad flags of leaf variables. If you want to use a '
                               'computed variable in a subgraph that doesn\'t require differentiation use '
                               'var_no_grad = var.detach().')
        try:
            self._gl.requiresGrad = _bool(requires_grad)
        except JsException as e:
            raise _error(e) from None
        return self

    @property
    def is_leaf(self):
        return _bool(self._gl.isLeaf)

    @property
    def grad_fn(self):
        g = self._gl
        if g.isLeaf:
            return None
        return _GradFn(self._op or _grad_fn_name(g.op))

    @property
    def grad(self):
        g = self._gl.grad
        return None if _null(g) else _wrap(g)

    @grad.setter
    def grad(self, value):
        if value is None:
            self._gl.clearGrad()
            return
        raise _not_available('assigning a tensor to .grad', 'set it with p.grad.copy_(g) or leave it to backward()')

    def retain_grad(self):
        _call(self._gl, 'retainGrad')

    @property
    def retains_grad(self):
        return not self.is_leaf and self.requires_grad

    def backward(self, gradient=None, retain_graph=None, create_graph=False, inputs=None):
        g = self._gl
        if not g.requiresGrad:
            raise RuntimeError('element 0 of tensors does not require grad and does not have a grad_fn')
        if gradient is not None:
            if not isinstance(gradient, Tensor):
                raise TypeError(f"backward(): argument 'gradient' must be Tensor, not {type(gradient).__name__}")
            if gradient._dims() != self._dims():
                raise RuntimeError(f'Mismatch in shape: grad_output[0] has a shape of {gradient.shape} and output[0] '
                                   f'has a shape of {self.shape}.')
        elif self.numel() != 1:
            raise RuntimeError('grad can be implicitly created only for scalar outputs')
        if retain_graph:
            _retain_graph_asked[0] = True
        try:
            _call(g, 'backward', *(() if gradient is None else (gradient._gl,)))
        except RuntimeError as e:
            if _retain_graph_asked[0] and 'already freed' in str(e):
                raise RuntimeError(f"{e} (gradlab's engine frees a graph in backward(): retain_graph=True is not "
                                   'available, run the forward pass again)') from None
            raise

    def detach(self):
        return _wrap(_call(self._gl, 'detach'), self.dtype)

    def detach_(self):
        self._adopt(_wrap(_call(self._gl, 'detach')))
        return self

    @property
    def data(self):
        """The values without autograd; in-place writes to it (and to its slices) reach this tensor."""
        t = _wrap(_call(self._gl, 'detach'), self.dtype)
        t._view = (self, None)
        return t

    @data.setter
    def data(self, value):
        if not isinstance(value, Tensor):
            raise TypeError(f'data must be a Tensor, got {type(value).__name__}')
        if value._dims() != self._dims():
            raise RuntimeError(f'data: expected a tensor of shape {self.shape}, got {value.shape}')
        _no_grad_call(self._gl, 'copy_', value._gl)

    # -- values out -------------------------------------------------------------------------
    def _values(self):
        return self._gl.toArray().to_py().tolist()

    def item(self):
        n = self.numel()
        if n != 1:
            raise RuntimeError(f'a Tensor with {n} elements cannot be converted to Scalar')
        v = self._gl.item()
        if self.dtype is int64:
            return int(v)
        if self.dtype is bool:
            return v != 0
        return float(v)  # a JS number holding a whole number arrives as an int

    def tolist(self):
        flat = self._values()
        if self.dtype is int64:
            flat = [int(v) for v in flat]
        elif self.dtype is bool:
            flat = [v != 0 for v in flat]
        shape = self._dims()
        if not shape:
            return flat[0]

        def nest(offset, d):
            n = shape[d]
            if d == len(shape) - 1:
                return flat[offset:offset + n]
            step = 1
            for s in shape[d + 1:]:
                step *= s
            return [nest(offset + i * step, d + 1) for i in range(n)]
        return nest(0, 0)

    def numpy(self, *args, **kwargs):
        raise NotImplementedError(f'Tensor.numpy(): {_NO_NUMPY}')

    def __array__(self, *args, **kwargs):
        raise NotImplementedError(f'Tensor.__array__: {_NO_NUMPY}')

    def __float__(self):
        return float(self._scalar('float'))

    def __int__(self):
        return int(self._scalar('int'))

    def __index__(self):
        if self.dtype.is_floating_point:
            raise TypeError('only integer tensors of a single element can be converted to an index')
        return int(self._scalar('index'))

    def __bool__(self):
        n = self.numel()
        if n != 1:
            raise RuntimeError(f'Boolean value of Tensor with {"more than one value" if n else "no values"} is ambiguous')
        return self._gl.item() != 0

    def _scalar(self, what):
        if self.numel() != 1:
            raise ValueError('only one element tensors can be converted to Python scalars')
        return self.item()

    def __iter__(self):
        if not self._dims():
            raise TypeError('iteration over a 0-d tensor')
        return (self[i] for i in range(self._dims()[0]))

    def __hash__(self):
        return id(self)

    def __deepcopy__(self, memo):
        if id(self) in memo:
            return memo[id(self)]
        values = _wrap(_no_grad_call(self._gl, 'detach'), self.dtype)
        if type(self) is Tensor:
            copy = values.requires_grad_(True) if self.requires_grad else values
        else:
            copy = Tensor._make_subclass(type(self), values, self.requires_grad)
        memo[id(self)] = copy
        return copy

    def __reduce_ex__(self, protocol):
        raise _not_available('pickling a tensor (torch.save, pickle)', 'keep the values with .tolist()')

    def __repr__(self, *, tensor_contents=None):
        g = self._gl
        suffixes = []
        if not g.isLeaf:
            suffixes.append(f'grad_fn=<{self._op or _grad_fn_name(g.op)}>')
        elif g.requiresGrad:
            suffixes.append('requires_grad=True')
        return _gradlab_js.formatTensor(g.toArray(), g.shape,
                                        _js({'dtype': _DTYPE_NAMES[self.dtype], 'suffixes': suffixes}))

    __str__ = __repr__

    def __format__(self, spec):
        if not self._dims():
            return format(self.item(), spec)
        if spec:
            raise TypeError('unsupported format string passed to Tensor.__format__')
        return repr(self)

    def __getattr__(self, name):
        if name.startswith('_'):
            raise AttributeError(name)
        raise _not_available(f'Tensor.{name}')

    def __dir__(self):
        return sorted(set(object.__dir__(self)))

    # -- conversions ------------------------------------------------------------------------
    def _as(self, dt):
        if dt is self.dtype:
            return self
        g = self._gl
        if dt is bool:
            return _wrap(_call(g, 'ne', 0.0), bool)
        if dt is int64 and self.dtype.is_floating_point:
            big = _no_grad_call(_no_grad_call(g, 'abs'), 'max').item() if self.numel() else 0
            if not math.isfinite(big) or big >= INT_LIMIT:
                raise RuntimeError(f'long(): a value of {big} does not fit: int64 tensors in gradlab hold whole '
                                   f'numbers exactly only up to 2**24 = {INT_LIMIT} (the engine is float32)')
            neg = _no_grad_call(g, 'lt', 0.0)
            down = _no_grad_call(g, 'floor')
            up = _no_grad_call(_no_grad_call(_no_grad_call(g, 'neg'), 'floor'), 'neg')
            return _wrap(_no_grad_call(gl, 'where', neg, up, down), int64)
        return _wrap(_call(g, 'detach'), dt)

    def float(self):
        return self._as(float32)

    def double(self):
        raise _not_available('Tensor.double() (float64)', 'the engine computes in float32: use .float()')

    half = double

    def long(self):
        return self._as(int64)

    int = long

    def bool(self):
        return self._as(bool)

    def type(self, dtype=None):
        if dtype is None:
            return {float32: 'torch.FloatTensor', int64: 'torch.LongTensor', bool: 'torch.BoolTensor'}[self.dtype]
        return self._as(_dtype_arg('type', dtype))

    def to(self, *args, **kwargs):
        dt = kwargs.pop('dtype', None)
        device = kwargs.pop('device', None)
        kwargs.pop('non_blocking', None)
        kwargs.pop('copy', None)
        for a in args:
            if isinstance(a, dtype) or a in (float, int, _bool):
                dt = a
            elif isinstance(a, Tensor):
                dt = a.dtype
            else:
                device = a
        _device_arg(device)
        return self._as(_dtype_arg('to', dt)) if dt is not None else self

    def cpu(self):
        return self

    def cuda(self, *args, **kwargs):
        _device_arg('cuda')

    def contiguous(self, *args, **kwargs):
        return self

    def is_contiguous(self, *args, **kwargs):
        return True

    def clone(self, *args, **kwargs):
        t = _wrap(_call(self._gl, 'mul', 1.0), self.dtype)
        t._op = 'CloneBackward0' if t._gl.requiresGrad else None
        return t

    # -- arithmetic -------------------------------------------------------------------------
    def _binary(self, name, other, dt=None):
        b = _operand(other)
        if b is None:
            return NotImplemented
        try:
            if _grad_enabled[0]:
                g = getattr(self._gl, name)(b)
            else:
                g = _no_grad_call(self._gl, name, b)
        except JsException as e:
            raise self._binary_error(e, other) from None
        return _wrap(g, dt or _promote(self, other))

    def _binary_error(self, e, other):
        if isinstance(other, Tensor):
            try:
                _broadcast_shapes(self._dims(), other._dims())
            except RuntimeError as shape_error:
                return shape_error
        return _error(e)

    def _rbinary(self, name, other):
        """other (a number) op self."""
        if _operand(other) is None or isinstance(other, Tensor):
            return NotImplemented
        a = _wrap(_call(gl, 'full', _js([]), float(other)))
        r = a._binary(name, self)
        r.dtype = _promote(self, other)
        return r

    def __add__(self, other):
        return self._binary('add', other)

    __radd__ = __add__

    def __sub__(self, other):
        return self._binary('sub', other)

    def __rsub__(self, other):
        return _named(self._rbinary('sub', other), 'RsubBackward1')

    def __mul__(self, other):
        return self._binary('mul', other)

    __rmul__ = __mul__

    def __truediv__(self, other):
        return self._binary('div', other, float32)

    def __rtruediv__(self, other):
        r = self._rbinary('div', other)
        if r is not NotImplemented:
            r.dtype = float32
        return r

    def __floordiv__(self, other):
        q = self._binary('div', other)
        return q if q is NotImplemented else q.floor()

    def __rfloordiv__(self, other):
        q = self._rbinary('div', other)
        return q if q is NotImplemented else q.floor()

    def __mod__(self, other):
        if _operand(other) is None:
            return NotImplemented
        return self - (self // other) * other

    def __rmod__(self, other):
        if _operand(other) is None:
            return NotImplemented
        return other - (other // self) * self

    def __pow__(self, exponent):
        return self.pow(exponent)

    def __rpow__(self, base):
        if _operand(base) is None:
            return NotImplemented
        return (self * math.log(base)).exp()

    def __matmul__(self, other):
        if not isinstance(other, Tensor):
            return NotImplemented
        return _functions.matmul(self, other)

    def __rmatmul__(self, other):
        return NotImplemented

    def __neg__(self):
        return _wrap(_call(self._gl, 'neg'), self.dtype)

    def __pos__(self):
        return self

    def __abs__(self):
        return self.abs()

    def __invert__(self):
        if self.dtype is not bool:
            raise TypeError('~ (bitwise not) is only supported on bool tensors in gradlab')
        return _wrap(_call(self._gl, 'eq', 0.0), bool)

    def __and__(self, other):
        return self._logic(other, 'mul')

    def __or__(self, other):
        return self._logic(other, 'add')

    def _logic(self, other, name):
        if not (isinstance(other, (Tensor, _bool))):
            return NotImplemented
        r = self._binary(name, other)
        return r if r is NotImplemented else _wrap(_call(r._gl, 'ne', 0.0), bool)

    __rand__ = __and__
    __ror__ = __or__

    # comparisons give bool tensors
    def _compare(self, name, other):
        b = _operand(other)
        if b is None:
            return NotImplemented
        try:
            g = _no_grad_call(self._gl, name, b)
        except JsException as e:
            raise self._binary_error(e, other) from None
        return _wrap(g, bool)

    def __eq__(self, other):
        return self._compare('eq', other)

    def __ne__(self, other):
        return self._compare('ne', other)

    def __lt__(self, other):
        return self._compare('lt', other)

    def __le__(self, other):
        return self._compare('le', other)

    def __gt__(self, other):
        return self._compare('gt', other)

    def __ge__(self, other):
        return self._compare('ge', other)

    eq = __eq__
    ne = __ne__
    lt = __lt__
    le = __le__
    gt = __gt__
    ge = __ge__

    def equal(self, other):
        return self._dims() == other._dims() and _bool((self == other).all())

    def add(self, other, *, alpha=1):
        return self + (other * alpha if alpha != 1 else other)

    def sub(self, other, *, alpha=1):
        return self - (other * alpha if alpha != 1 else other)

    def mul(self, other):
        return self * other

    def div(self, other, *, rounding_mode=None):
        if rounding_mode == 'floor':
            return self // other
        if rounding_mode == 'trunc':
            q = self / other
            return (q.abs().floor() * q.sign()).to(_promote(self, other))
        return self / other

    multiply = mul
    divide = div
    subtract = sub
    true_divide = __truediv__

    def pow(self, exponent):
        if isinstance(exponent, Tensor):
            return _named((self.log() * exponent).exp(), 'PowBackward1')
        if isinstance(exponent, _bool) or not isinstance(exponent, (int, float)):
            raise TypeError(f"pow(): argument 'exponent' must be Tensor or Number, not {type(exponent).__name__}")
        dt = self.dtype if isinstance(exponent, int) and not self.dtype is bool else float32
        if exponent == 2:
            t = _wrap(_call(self._gl, 'square'), dt)
            t._op = 'PowBackward0' if t._gl.requiresGrad else None
            return t
        return _wrap(_call(self._gl, 'pow', float(exponent)), dt)

    def matmul(self, other):
        return self.__matmul__(other)

    def mm(self, other):
        return self.__matmul__(other)

    def bmm(self, other):
        from ._functions import bmm
        return bmm(self, other)

    def dot(self, other):
        return self.__matmul__(other)

    # -- elementwise functions --------------------------------------------------------------
    def _unary(self, name, dt=float32):
        # dt float32 for sigmoid, exp, ...: PyTorch promotes integer inputs of these to float
        return _wrap(_call(self._gl, name), dt)

    def sigmoid(self):
        return self._unary('sigmoid')

    def tanh(self):
        return self._unary('tanh')

    def relu(self):
        return self._unary('relu', self.dtype)

    def exp(self):
        return self._unary('exp')

    def log(self):
        return self._unary('log')

    def sqrt(self):
        return self._unary('sqrt')

    def rsqrt(self):
        return self.sqrt().pow(-1)

    def abs(self):
        return self._unary('abs', self.dtype)

    def neg(self):
        return -self

    def square(self):
        return self.pow(2)

    def floor(self):
        return _wrap(_call(self._gl, 'floor'), self.dtype)

    def ceil(self):
        return -((-self).floor())

    def round(self):
        return (self + 0.5).floor()

    def sign(self):
        return (self > 0).to(self.dtype) - (self < 0).to(self.dtype)

    def nonzero(self, *, as_tuple=False):
        """Indices of the nonzero elements: (n, ndim) int64, or one index tensor per dim."""
        from ._functions import tensor
        s = self._dims()
        flat = [i for i, v in enumerate(self._values()) if v != 0]
        rows = []
        for k in flat:
            index = []
            for size in reversed(s):
                index.append(k % size)
                k //= size
            rows.append(index[::-1])
        if as_tuple:
            return tuple(tensor([r[d] for r in rows], dtype=int64) for d in range(len(s)))
        return tensor(rows, dtype=int64) if rows else tensor([], dtype=int64).reshape(0, len(s))

    def logsumexp(self, dim, keepdim=False):
        top = self.amax(dim, keepdim=True).detach()
        out = (self - top).exp().sum(dim, keepdim=True).log() + top
        return out if keepdim else out.squeeze(dim)

    def diag(self, diagonal=0):
        s = self._dims()
        if len(s) == 1:
            from ._functions import eye
            if diagonal:
                raise _not_available('Tensor.diag(diagonal != 0) of a vector')
            return _named(eye(s[0], dtype=self.dtype) * self.unsqueeze(0), 'DiagEmbedBackward0')
        if len(s) != 2:
            raise RuntimeError('diag(): Supports 1D or 2D tensors. Got ' + f'{len(s)}D')
        n, m = s
        rows = range(max(0, -diagonal), min(n, m - diagonal))
        picked = self.flatten()[[i * m + i + diagonal for i in rows]]
        return _named(picked, 'DiagonalBackward0')

    def trace(self):
        if self.dim() != 2:
            raise RuntimeError('trace: expected a matrix')
        return _named(self.diag().sum(), 'TraceBackward0')

    def log1p(self):
        return (self + 1).log()

    def masked_fill(self, mask, value):
        from ._functions import where
        if not isinstance(mask, Tensor) or mask.dtype is not bool:
            raise RuntimeError('masked_fill_ only supports boolean masks, but got mask with dtype '
                               f'{getattr(mask, "dtype", type(mask).__name__)}')
        if isinstance(value, Tensor):
            value = value.item()
        r = where(mask, float(value), self)
        r.dtype = self.dtype
        return _named(r, 'MaskedFillBackward0')

    def masked_fill_(self, mask, value):
        return self._inplace(self.masked_fill(mask, value))

    def triu(self, diagonal=0):
        return _named(self * self._band(lambda i, j: j - i >= diagonal), 'TriuBackward0')

    def tril(self, diagonal=0):
        return _named(self * self._band(lambda i, j: j - i <= diagonal), 'TrilBackward0')

    def _band(self, keep):
        from ._functions import tensor
        s = self._dims()
        if len(s) < 2:
            raise RuntimeError('triu/tril: input tensor must have at least 2 dimensions')
        n, m = s[-2], s[-1]
        return tensor([[1 if keep(i, j) else 0 for j in range(m)] for i in range(n)], dtype=self.dtype)

    def new_zeros(self, *size, **kwargs):
        from ._functions import zeros
        kwargs.setdefault('dtype', self.dtype)
        return zeros(*size, **kwargs)

    def new_ones(self, *size, **kwargs):
        from ._functions import ones
        kwargs.setdefault('dtype', self.dtype)
        return ones(*size, **kwargs)

    def new_full(self, size, fill_value, **kwargs):
        from ._functions import full
        kwargs.setdefault('dtype', self.dtype)
        return full(size, fill_value, **kwargs)

    def new_tensor(self, data, **kwargs):
        from ._functions import tensor
        kwargs.setdefault('dtype', self.dtype)
        return tensor(data, **kwargs)

    def isnan(self):
        return _wrap(_no_grad_call(self._gl, 'isnan'), bool)

    def isfinite(self):
        return _wrap(_no_grad_call(self._gl, 'isfinite'), bool)

    def isinf(self):
        return ~(self.isfinite() | self.isnan())

    def clamp(self, min=None, max=None):
        if min is None and max is None:
            raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
        for name, v in (('min', min), ('max', max)):
            if v is not None and (isinstance(v, Tensor) or isinstance(v, _bool) or not isinstance(v, (int, float))):
                raise TypeError(f"clamp(): argument '{name}' must be a number, not {type(v).__name__}")
            if v is not None and math.isnan(v):
                raise RuntimeError(f'clamp(): {name} is nan')
        g = _call(self._gl, 'clamp', jsnull if min is None else float(min), jsnull if max is None else float(max))
        return _wrap(g, self.dtype if all(isinstance(v, int) or v is None for v in (min, max)) else float32)

    clip = clamp

    def softmax(self, dim=None, dtype=None):
        from ._functions import softmax
        return softmax(self, dim)

    def log_softmax(self, dim=None, dtype=None):
        from ._functions import log_softmax
        return log_softmax(self, dim)

    # -- reductions -------------------------------------------------------------------------
    def _reduce(self, name, dim, keepdim, dt):
        if dim is None:
            if keepdim:
                return self._reduce(name, tuple(range(self.dim())), True, dt)
            return _wrap(_call(self._gl, name), dt)
        if isinstance(dim, (tuple, list)):
            n = self.dim()
            dims = sorted({_dim(d, n) for d in dim}, reverse=True)
            if name == 'mean':
                count = 1
                for d in dims:
                    count *= self._dims()[d]
                return self._reduce('sum', dims, keepdim, dt) / count
            t = self
            for d in dims:
                t = t._reduce(name, d, keepdim, dt)
            return t
        d = _dim(dim, self.dim())
        t = _wrap(_call(self._gl, name, d, _bool(keepdim)), dt)
        t._op = _GRAD_FN_DIM.get(name)
        return t

    def sum(self, dim=None, keepdim=False, dtype=None):
        dt = _dtype_arg('sum', dtype) or (self.dtype if self.dtype.is_floating_point else int64)
        return self._reduce('sum', dim, keepdim, dt)

    def mean(self, dim=None, keepdim=False, dtype=None):
        if not self.dtype.is_floating_point and dtype is None:
            name = 'Long' if self.dtype is int64 else 'Bool'
            raise RuntimeError('mean(): could not infer output dtype. Input dtype must be either a floating point '
                               f'or complex dtype. Got: {name}')
        return self._reduce('mean', dim, keepdim, float32)

    def _extreme(self, name, dim, keepdim):
        if dim is None or isinstance(dim, Tensor):
            if isinstance(dim, Tensor):  # torch.max(a, b): elementwise
                from ._functions import maximum, minimum
                return (maximum if name == 'max' else minimum)(self, dim)
            if self.numel() == 0:
                raise RuntimeError(f'{name}(): Expected reduction dim to be specified for input.numel() == 0. '
                                   'Specify the reduction dim with the \'dim\' argument.')
            return _wrap(_call(self._gl, name), self.dtype)
        d = _dim(dim, self.dim())
        r = _call(self._gl, name, d, _bool(keepdim))
        values = _wrap(r[0], self.dtype)
        values._op = 'MaxBackward0' if name == 'max' else 'MinBackward0'
        return _ReturnTypes(name, values, _wrap(r[1], int64))

    def max(self, dim=None, keepdim=False):
        return self._extreme('max', dim, keepdim)

    def min(self, dim=None, keepdim=False):
        return self._extreme('min', dim, keepdim)

    def amax(self, dim=None, keepdim=False):
        return self.max() if dim is None else self.max(dim, keepdim)[0]

    def amin(self, dim=None, keepdim=False):
        return self.min() if dim is None else self.min(dim, keepdim)[0]

    def argmax(self, dim=None, keepdim=False):
        if dim is None:
            return _wrap(_no_grad_call(self._gl, 'argmax'), int64)
        return _wrap(_no_grad_call(self._gl, 'argmax', _dim(dim, self.dim()), _bool(keepdim)), int64)

    def argmin(self, dim=None, keepdim=False):
        return (-self).argmax(dim, keepdim)

    def norm(self, p='fro', dim=None, keepdim=False, dtype=None):
        if p in ('fro', 2, 2.0):
            return self._reduce('norm', dim, keepdim, float32)
        if p in (1, 1.0):
            return self.abs().sum(dim, keepdim)
        if p == math.inf:
            return self.abs().amax(dim, keepdim)
        if isinstance(p, (int, float)) and p > 0:
            return self.abs().pow(p).sum(dim, keepdim).pow(1.0 / p)
        raise _not_available(f'norm with p={p!r}', "use p='fro', 1, 2, inf or a positive number")

    def var(self, dim=None, unbiased=None, keepdim=False, *, correction=None):
        c = 1 if correction is None and unbiased is None else (correction if correction is not None else int(unbiased))
        n = self.numel() if dim is None else (self._dims()[_dim(dim, self.dim())] if isinstance(dim, int)
                                              else math.prod(self._dims()[_dim(d, self.dim())] for d in dim))
        centered = self - (self.mean() if dim is None else self.mean(dim, keepdim=True))
        return _named(centered.square().sum(dim, keepdim) / max(n - c, 0), 'VarBackward0')

    def std(self, dim=None, unbiased=None, keepdim=False, *, correction=None):
        return _named(self.var(dim, unbiased, keepdim, correction=correction).sqrt(), 'StdBackward0')

    def all(self, dim=None, keepdim=False):
        z = _wrap(_no_grad_call(self._gl, 'eq', 0.0), float32)
        zeros = z.sum() if dim is None else z.sum(dim, keepdim)
        return _wrap(_no_grad_call(zeros._gl, 'eq', 0.0), bool)

    def any(self, dim=None, keepdim=False):
        nz = _wrap(_no_grad_call(self._gl, 'ne', 0.0), float32)
        s = nz.sum() if dim is None else nz.sum(dim, keepdim)
        return _wrap(_no_grad_call(s._gl, 'gt', 0.0), bool)

    def prod(self, *args, **kwargs):
        raise _not_available('Tensor.prod')

    # -- shapes -----------------------------------------------------------------------------
    def _reshaped(self, shape, who='view'):
        sizes = list(shape)
        n = self.numel()
        free = [i for i, s in enumerate(sizes) if s == -1]
        known = 1
        for s in sizes:
            if s != -1:
                known *= s
        if len(free) > 1:
            raise RuntimeError('only one dimension can be inferred')
        if any(s < -1 for s in sizes) or (free and (known == 0 or n % known)) or (not free and known != n):
            raise RuntimeError(f"shape '{sizes}' is invalid for input of size {n}")
        if free:
            sizes[free[0]] = n // known
        if tuple(sizes) == self._dims():
            return self
        t = _wrap(_call(self._gl, 'reshape', _js(sizes)), self.dtype)
        t._shape = tuple(sizes)
        return t

    def view(self, *shape):
        if len(shape) == 1 and isinstance(shape[0], dtype):
            raise _not_available('Tensor.view(dtype)')
        return self._reshaped(self._shape_of(shape, 'view'), 'view')

    def reshape(self, *shape):
        return self._reshaped(self._shape_of(shape, 'reshape'), 'reshape')

    @staticmethod
    def _shape_of(args, who):
        if len(args) == 1 and isinstance(args[0], (tuple, list)):
            args = tuple(args[0])
        for pos, s in enumerate(args):
            if isinstance(s, _bool) or not isinstance(s, int):
                raise TypeError(f"{who}(): argument 'shape' must be tuple of ints, but found element of type "
                                f'{type(s).__name__} at pos {pos}')
        return args

    def view_as(self, other):
        return self.view(other.shape)

    reshape_as = view_as

    def flatten(self, start_dim=0, end_dim=-1):
        s = self._dims()
        if not s:
            return self.reshape(1)
        a, b = _dim(start_dim, len(s)), _dim(end_dim, len(s))
        if a > b:
            raise RuntimeError('flatten() has invalid args: start_dim cannot come after end_dim')
        n = 1
        for x in s[a:b + 1]:
            n *= x
        return self.reshape(*s[:a], n, *s[b + 1:])

    def unflatten(self, dim, sizes):
        s = self._dims()
        d = _dim(dim, len(s))
        return self.reshape(*s[:d], *sizes, *s[d + 1:])

    def squeeze(self, dim=None):
        s = self._dims()
        if dim is None:
            kept, name = [x for x in s if x != 1], 'SqueezeBackward0'
        else:
            dims = {_dim(d, len(s)) for d in (dim if isinstance(dim, (tuple, list)) else (dim,))}
            kept, name = [x for i, x in enumerate(s) if not (i in dims and x == 1)], 'SqueezeBackward1'
        return self if len(kept) == len(s) else _named(self.reshape(kept), name)

    def unsqueeze(self, dim):
        s = list(self._dims())
        n = len(s) + 1
        if isinstance(dim, _bool) or not isinstance(dim, int):
            raise TypeError(f'unsqueeze(): argument \'dim\' must be int, not {type(dim).__name__}')
        if dim < -n or dim >= n:
            raise _range_error(dim, n)
        s.insert(dim + n if dim < 0 else dim, 1)
        return _named(self.reshape(s), 'UnsqueezeBackward0')

    def transpose(self, dim0, dim1):
        n = self.dim()
        a, b = _dim(dim0, n), _dim(dim1, n)
        if a == b:
            return self
        return _wrap(_call(self._gl, 'transpose', a, b), self.dtype)

    swapaxes = transpose

    def t(self):
        n = self.dim()
        if n > 2:
            raise RuntimeError(f't() expects a tensor with <= 2 dimensions, but self is {n}D')
        return self if n < 2 else _named(self.transpose(0, 1), 'TBackward0')

    @property
    def T(self):
        n = self.dim()
        return self if n < 2 else _named(self.permute(*reversed(range(n))), 'PermuteBackward0')

    @property
    def mT(self):
        return self.transpose(-2, -1)

    def permute(self, *dims):
        if len(dims) == 1 and isinstance(dims[0], (tuple, list)):
            dims = tuple(dims[0])
        n = self.dim()
        if len(dims) != n:
            raise RuntimeError(f'permute(sparse_coo): number of dimensions in the tensor input does not match the '
                               f'length of the desired ordering of dimensions i.e. input.dim() = {n} is not equal to '
                               f'len(dims) = {len(dims)}')
        norm = [_dim(d, n) for d in dims]
        if len(set(norm)) != n:
            raise RuntimeError('permute(): duplicate dims are not allowed.')
        if norm == list(range(n)):
            return self
        if n == 2:
            return _named(self.transpose(0, 1), 'PermuteBackward0')
        return _wrap(_call(self._gl, 'permute', _js(norm)), self.dtype)

    def expand(self, *sizes):
        sizes = list(self._shape_of(sizes, 'expand'))
        s = self._dims()
        if len(sizes) < len(s):
            raise RuntimeError(f'expand(torch.FloatTensor{{{list(s)}}}, size={sizes}): the number of sizes provided '
                               f'({len(sizes)}) must be greater or equal to the number of dimensions in the tensor ({len(s)})')
        lead = len(sizes) - len(s)
        for i, x in enumerate(s):
            want = sizes[lead + i]
            if want != -1 and x != 1 and want != x:
                raise RuntimeError(f'The expanded size of the tensor ({want}) must match the existing size ({x}) at '
                                   f'non-singleton dimension {lead + i}.  Target sizes: {sizes}.  Tensor sizes: {list(s)}')
        full = [s[i - lead] if (x == -1 and i >= lead) else x for i, x in enumerate(sizes)]
        if tuple(full) == s:
            return self
        return _wrap(_call(self._gl, 'expand', _js(full)), self.dtype)

    def expand_as(self, other):
        return self.expand(other.shape)

    def repeat(self, *sizes):
        sizes = list(self._shape_of(sizes, 'repeat'))
        s = self._dims()
        if len(sizes) < len(s):
            raise RuntimeError('Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor')
        t = self.reshape([1] * (len(sizes) - len(s)) + list(s))
        from ._functions import cat
        for d, r in enumerate(sizes):
            if r != 1:
                t = cat([t] * r, d)
        return _named(t, 'RepeatBackward0') if t is not self else t

    def narrow(self, dim, start, length):
        d = _dim(dim, self.dim())
        return _wrap(_call(self._gl, 'narrow', d, start, length), self.dtype)

    def select(self, dim, index):
        return self[(slice(None),) * _dim(dim, self.dim()) + (index,)]

    def index_select(self, dim, index):
        d = _dim(dim, self.dim())
        idx = index._gl if isinstance(index, Tensor) else _js(list(index))
        return _wrap(_call(self._gl, 'indexSelect', d, idx), self.dtype)

    def chunk(self, chunks, dim=0):
        size = self.size(dim)
        step = -(-size // chunks)
        return self.split(step, dim)

    def split(self, split_size, dim=0):
        d = _dim(dim, self.dim())
        size = self._dims()[d]
        sizes = [split_size] * (size // split_size) + ([size % split_size] if size % split_size else []) \
            if isinstance(split_size, int) else list(split_size)
        out, start = [], 0
        for n in sizes:
            out.append(self.narrow(d, start, n))
            start += n
        return tuple(out)

    def unbind(self, dim=0):
        d = _dim(dim, self.dim())
        return tuple(self.select(d, i) for i in range(self._dims()[d]))

    # -- indexing ---------------------------------------------------------------------------
    def __getitem__(self, key):
        return _functions.getitem(self, key)

    def __setitem__(self, key, value):
        _functions.setitem(self, key, value)

    # -- in place ---------------------------------------------------------------------------
    def _inplace(self, new):
        _functions.assign(self, new)
        return self

    def zero_(self):
        return self._inplace(_wrap(_no_grad_call(gl, 'zeros', _js(list(self._dims()))), self.dtype))

    def fill_(self, value):
        if isinstance(value, Tensor):
            value = value.item()
        if not isinstance(value, (int, float)):
            raise TypeError(f"fill_(): argument 'value' must be Number, not {type(value).__name__}")
        if self.dtype is int64:
            self._check_int(value, 'fill_')
        return self._inplace(_wrap(_no_grad_call(gl, 'full', _js(list(self._dims())), float(value)), self.dtype))

    def _check_int(self, value, who):
        if abs(value) > INT_LIMIT:
            raise RuntimeError(f'{who}: {value} does not fit an int64 tensor in gradlab: the engine is float32 and '
                               f'holds whole numbers exactly only up to 2**24 = {INT_LIMIT}')

    def copy_(self, src, non_blocking=False):
        if not isinstance(src, Tensor):
            raise TypeError(f"copy_(): argument 'src' must be Tensor, not {type(src).__name__}")
        _broadcast_shapes(self._dims(), src._dims())
        if src._dims() != self._dims():
            src = src.expand(self.shape)
        return self._inplace(src if self.dtype is src.dtype or self.dtype is float32 else src.to(self.dtype))

    def add_(self, other, *, alpha=1):
        return self._inplace(self.add(other, alpha=alpha))

    def sub_(self, other, *, alpha=1):
        return self._inplace(self.sub(other, alpha=alpha))

    def mul_(self, other):
        return self._inplace(self * other)

    def div_(self, other):
        return self._inplace(self / other)

    def pow_(self, exponent):
        return self._inplace(self.pow(exponent))

    def clamp_(self, min=None, max=None):
        return self._inplace(self.clamp(min, max))

    clip_ = clamp_

    def neg_(self):
        return self._inplace(-self)

    def abs_(self):
        return self._inplace(self.abs())

    def sqrt_(self):
        return self._inplace(self.sqrt())

    def exp_(self):
        return self._inplace(self.exp())

    def tanh_(self):
        return self._inplace(self.tanh())

    def sigmoid_(self):
        return self._inplace(self.sigmoid())

    def relu_(self):
        return self._inplace(self.relu())

    def normal_(self, mean=0.0, std=1.0, *, generator=None):
        if not (std >= 0.0 and math.isfinite(std)) or not math.isfinite(mean):
            raise RuntimeError(f'normal expects std >= 0.0 and a finite mean, but found mean={mean}, std={std}')
        noise = _wrap(_no_grad_call(gl, 'randn', _js(list(self._dims()))))
        return self._inplace(noise * std + mean)

    def uniform_(self, a=0.0, b=1.0, *, generator=None):
        if not (math.isfinite(a) and math.isfinite(b)):
            raise RuntimeError(f'uniform_ expects finite bounds, but found from={a}, to={b}')
        if a > b:
            raise RuntimeError(f'uniform_ expects to return a [from, to) range, but found from={a} > to={b}')
        noise = _wrap(_no_grad_call(gl, 'rand', _js(list(self._dims()))))
        return self._inplace(noise * (b - a) + a)

    def __iadd__(self, other):
        return self.add_(other)

    def __isub__(self, other):
        return self.sub_(other)

    def __imul__(self, other):
        return self.mul_(other)

    def __itruediv__(self, other):
        return self.div_(other)
