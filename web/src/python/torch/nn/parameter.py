"""nn.Parameter: a leaf Tensor that requires grad and that Modules register as theirs."""
from torch._tensor import Tensor, float32

from ._bridge import gl, gl_of, js_list


class Parameter(Tensor):
    """Parameter(data, requires_grad=True): data's values as a leaf that a Module registers.

    As in PyTorch it shares data's storage (the core's Tensor._make_subclass; data in a graph
    is detached first).
    """

    def __new__(cls, data=None, requires_grad=True):
        if data is None:
            data = Tensor._from_gl(gl.zeros(js_list([0])), float32, own=True)
        gl_of('nn.Parameter', 'data', data)
        if requires_grad and not data.dtype.is_floating_point:
            raise RuntimeError(f'nn.Parameter: only Tensors of floating point dtype can require gradients, got {data.dtype}')
        return Tensor._make_subclass(cls, data, bool(requires_grad))

    def __init__(self, data=None, requires_grad=True):
        pass

    @classmethod
    def _of(cls, g):
        """The Parameter for a gl tensor a gl layer made (same storage: the layer computes with it)."""
        return cls._from_gl(g, float32)

    def __repr__(self):
        return 'Parameter containing:\n' + super().__repr__()
