"""What torch.nn, torch.optim, torch.utils.data and gradlab share to call the engine's JS API (gl).

  gl                      the engine's JS API (web/src/api/gl.js), as a JsProxy
  js_obj(**options)       a JS options object ({ batchFirst: false }) for a gl call
  js_list(values)         a Python list of gl tensors or numbers -> a JS array
  call(who, fn, *args)    runs a gl call; a gl error becomes a Python exception naming `who`
  wrap(g, dtype)          a gl.Tensor a call just made -> a torch.Tensor owning it
  is_null(v)              a JS null or undefined
  gl_of(who, name, t)     a torch.Tensor -> its gl.Tensor, or a TypeError naming the call
  zero_grads(who, params) Module.zero_grad and Optimizer.zero_grad
  unsupported(name, why)  the error for a PyTorch name this lab does not have
"""
import re

import js
from pyodide.ffi import JsException, jsnull, to_js  # noqa: F401 - jsnull: JS null (None is undefined)

import _gradlab_js
from torch._tensor import Tensor, _not_available, float32, int64

gl = _gradlab_js.gl


def js_obj(**options):
    return js.Object.fromEntries(to_js([[k, v] for k, v in options.items()]))


def js_list(values):
    return to_js(list(values))


_NAMED = re.compile(r'^[\w.]+: ')

# JS error class -> Python exception class (PyTorch raises RuntimeError for shape mistakes)
_ERRORS = {'TypeError': TypeError, 'RangeError': ValueError}


def call(who, fn, *args):
    try:
        return fn(*args)
    except JsException as e:
        message = getattr(e, 'message', None) or str(e)
        if who and not _NAMED.match(message):  # the engine's messages name their call already
            message = f'{who}: {message}'
        raise _ERRORS.get(getattr(e, 'name', ''), RuntimeError)(message) from None


def is_null(v):
    """A JS null or undefined, as a gl call returns them (Pyodide gives null as jsnull, not None)."""
    return v is None or v is jsnull


def wrap(g, dtype=None):
    """A Tensor that owns g, a gl tensor a call just made (freed with the Tensor): never for a
    tensor a gl object keeps, such as a layer's weight (Parameter._of)."""
    return Tensor._from_gl(g, dtype, own=True)


def zero_grads(who, params, set_to_none=True):
    """Module.zero_grad / Optimizer.zero_grad: as PyTorch 2, set_to_none=True drops each grad
    (p.grad is None, an optimiser step skips the parameter); False fills it with zeros."""
    for p in params:
        call(who, p._gl.clearGrad if set_to_none else p._gl.zeroGrad)


def type_name(v):
    if isinstance(v, Tensor):
        return f'Tensor of shape {tuple(g_shape(v._gl))}'
    return type(v).__name__


def gl_of(who, name, t):
    if not isinstance(t, Tensor):
        raise TypeError(f'{who}: {name} must be a Tensor, got {type_name(t)}')
    return t._gl


def g_shape(g):
    return list(g.shape)


def size_str(shape):
    return f'torch.Size([{", ".join(str(d) for d in shape)}])'


def check_float(who, name, t):
    if t.dtype is not float32:
        raise RuntimeError(f'{who}: expected {name} of dtype torch.float32, got {t.dtype} (use {name}.float())')


def check_long(who, name, t):
    if t.dtype is not int64:
        raise RuntimeError(f"{who}: expected {name} of dtype torch.int64 (class indices), got {t.dtype} (use {name}.long())")


def unsupported(name, why=''):
    """The error for a PyTorch name outside the lab's surface: the core's (a NotImplementedError
    that is also an AttributeError, so hasattr() answers False)."""
    return _not_available(name, why)


def module_getattr(module_name, known_missing=None):
    """A module-level __getattr__ that names the missing PyTorch name (dunder names stay AttributeError)."""
    known_missing = known_missing or {}

    def __getattr__(name):
        if name.startswith('__'):
            raise AttributeError(f"module '{module_name}' has no attribute '{name}'")
        raise unsupported(f'{module_name}.{name}', known_missing.get(name, ''))
    return __getattr__
