"""nn.Linear and nn.Identity."""
from .. import functional as F
from .._bridge import call, gl, js_obj
from ..parameter import Parameter
from .module import Module


class Identity(Module):
    def __init__(self, *args, **kwargs):
        super().__init__()

    def forward(self, input):
        return input


class Linear(Module):
    """y = x Wᵀ + b; weight (out, in) and bias (out) ~ U(±1/√in), PyTorch's init (the engine's)."""

    def __init__(self, in_features, out_features, bias=True, device=None, dtype=None):
        super().__init__()
        made = call('nn.Linear', gl.nn.Linear.new, in_features, out_features, js_obj(bias=bool(bias)))
        self.in_features = in_features
        self.out_features = out_features
        self.weight = Parameter._of(made.weight)
        if bias:
            self.bias = Parameter._of(made.bias)
        else:
            self.register_parameter('bias', None)

    @classmethod
    def _of(cls, weight, bias):
        """A Linear over gl tensors a gl layer made (MultiheadAttention's out_proj)."""
        lin = cls.__new__(cls)
        Module.__init__(lin)
        lin.out_features, lin.in_features = (int(d) for d in weight.shape)
        lin.weight = Parameter._of(weight)
        if bias is None:
            lin.register_parameter('bias', None)
        else:
            lin.bias = Parameter._of(bias)
        return lin

    def forward(self, input):
        return F.linear(input, self.weight, self.bias)

    def extra_repr(self):
        return f'in_features={self.in_features}, out_features={self.out_features}, bias={self.bias is not None}'
