"""nn.Parameter: a leaf Tensor that requires grad and that Modules register as theirs."""
from torch._tensor import Tensor, float32

from ._bridge import call, gl, gl_of, js_list


class Parameter(Tensor):
    """Parameter(data, requires_grad=True).

    PyTorch's Parameter shares data's storage; the engine's detach() copies, so here the
    parameter holds a copy of data's values (data itself is unchanged).
    """

    def __new__(cls, data=None, requires_grad=True):
        if data is None:
            g = gl.zeros(js_list([0]))
            dtype = float32
        else:
            g = call('nn.Parameter', gl_of('nn.Parameter', 'data', data).detach)
            dtype = data.dtype
        if requires_grad and not dtype.is_floating_point:
            raise RuntimeError(f'nn.Parameter: only Tensors of floating point dtype can require gradients, got {dtype}')
        g.requiresGrad = bool(requires_grad)
        return cls._from_gl(g, dtype)

    def __init__(self, data=None, requires_grad=True):
        pass

    @classmethod
    def _of(cls, g):
        """The Parameter for a gl tensor a gl layer made (same storage: the layer computes with it)."""
        return cls._from_gl(g, float32)

    def __repr__(self):
        return 'Parameter containing:\n' + super().__repr__()
