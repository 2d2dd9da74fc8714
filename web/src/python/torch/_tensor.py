"""torch.Tensor over the engine's tensors (gl.Tensor, reached through Pyodide's FFI).

Interface the rest of the package builds on (nn, optim, utils, gradlab):
  Tensor._from_gl(g, dtype=None) -> Tensor   wrap a gl.Tensor (a JsProxy); dtype float32 by default
  t._gl                                     the gl.Tensor behind t
  _js(value)                                a Python list/tuple/dict -> a JS value for gl calls
"""
from pyodide.ffi import to_js

import _gradlab_js

gl = _gradlab_js.gl


def _js(value):
    return to_js(value, dict_converter=_gradlab_js.Object.fromEntries if hasattr(_gradlab_js, 'Object') else None)


class dtype:
    def __init__(self, name, is_floating_point):
        self._name = name
        self.is_floating_point = is_floating_point

    def __repr__(self):
        return f'torch.{self._name}'


float32 = dtype('float32', True)
int64 = dtype('int64', False)
bool = dtype('bool', False)  # noqa: A001 - torch.bool


class Tensor:
    __slots__ = ('_gl', 'dtype', '__weakref__')

    @classmethod
    def _from_gl(cls, g, dtype=None):
        t = object.__new__(cls)
        t._gl = g
        t.dtype = dtype or float32
        return t
