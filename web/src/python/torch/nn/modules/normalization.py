"""nn.LayerNorm over the last dim (weight ones, bias zeros, as PyTorch)."""
from .. import functional as F
from .._bridge import call, gl, js_obj, unsupported
from ..parameter import Parameter
from .module import Module


class LayerNorm(Module):
    def __init__(self, normalized_shape, eps=1e-5, elementwise_affine=True, bias=True, device=None, dtype=None):
        super().__init__()
        shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
        if len(shape) != 1:
            raise unsupported(f'nn.LayerNorm({list(shape)})', 'the engine normalises the last dim only: give one size')
        self.normalized_shape = shape
        self.eps = eps
        self.elementwise_affine = elementwise_affine
        made = call('nn.LayerNorm', gl.nn.LayerNorm.new, shape[0], js_obj(eps=float(eps), elementwiseAffine=bool(elementwise_affine)))
        if elementwise_affine:
            self.weight = Parameter._of(made.weight)
            if bias:
                self.bias = Parameter._of(made.bias)
            else:
                self.register_parameter('bias', None)
        else:
            self.register_parameter('weight', None)
            self.register_parameter('bias', None)

    def forward(self, input):
        return F.layer_norm(input, self.normalized_shape, self.weight, self.bias, self.eps)

    def extra_repr(self):
        return f'{self.normalized_shape}, eps={self.eps}, elementwise_affine={self.elementwise_affine}'
