"""Activation modules (ReLU, GELU, Tanh, Sigmoid, Softmax) and nn.MultiheadAttention."""
from .. import functional as F
from .._bridge import call, gl, gl_of, is_null, js_list, js_obj, jsnull, unsupported, wrap
from ..parameter import Parameter
from .linear import Linear
from .module import Module


class ReLU(Module):
    def __init__(self, inplace=False):
        super().__init__()
        self.inplace = inplace

    def forward(self, input):
        return F.relu(input)

    def extra_repr(self):
        return 'inplace=True' if self.inplace else ''


class Tanh(Module):
    def forward(self, input):
        return F.tanh(input)


class Sigmoid(Module):
    def forward(self, input):
        return F.sigmoid(input)


class GELU(Module):
    def __init__(self, approximate='none'):
        super().__init__()
        if approximate not in ('none', 'tanh'):
            raise RuntimeError(f'GELU: approximate argument must be either none or tanh, got {approximate!r}')
        self.approximate = approximate

    def forward(self, input):
        return F.gelu(input, approximate=self.approximate)

    def extra_repr(self):
        return f"approximate='{self.approximate}'"


class Softmax(Module):
    def __init__(self, dim=None):
        super().__init__()
        self.dim = dim

    def forward(self, input):
        return F.softmax(input, self.dim)

    def extra_repr(self):
        return f'dim={self.dim}'


class LogSoftmax(Softmax):
    def forward(self, input):
        return F.log_softmax(input, self.dim)


class NonDynamicallyQuantizableLinear(Linear):
    """MultiheadAttention's out_proj, named as PyTorch names it."""


def _causal_mask(mask, L, S):
    """Whether attn_mask is the causal mask: a bool mask True above the diagonal, or -inf there."""
    shape = list(mask._gl.shape)
    if shape != [L, S]:
        return False
    values = list(mask._gl.toArray())
    floating = mask.dtype.is_floating_point
    for i in range(L):
        for j in range(S):
            v = values[i * S + j]
            masked = (v == float('-inf')) if floating else bool(v)
            if masked != (j > i) or (floating and not masked and v != 0):
                return False
    return True


class MultiheadAttention(Module):
    """PyTorch's nn.MultiheadAttention: batch_first=False by default, so inputs are (L, N, E)."""

    def __init__(self, embed_dim, num_heads, dropout=0.0, bias=True, add_bias_kv=False, add_zero_attn=False,
                 kdim=None, vdim=None, batch_first=False, device=None, dtype=None):
        super().__init__()
        if add_bias_kv or add_zero_attn or (kdim not in (None, embed_dim)) or (vdim not in (None, embed_dim)):
            raise unsupported('nn.MultiheadAttention(add_bias_kv, add_zero_attn, kdim, vdim)')
        layer = call('nn.MultiheadAttention', gl.nn.MultiheadAttention.new, embed_dim, num_heads,
                     js_obj(dropout=float(dropout), bias=bool(bias), batchFirst=bool(batch_first)))
        object.__setattr__(self, '_layer', layer)
        self.embed_dim = embed_dim
        self.kdim = self.vdim = embed_dim
        self.num_heads = num_heads
        self.dropout = dropout
        self.batch_first = batch_first
        self.head_dim = embed_dim // num_heads
        self.in_proj_weight = Parameter._of(layer.inProjWeight)
        if bias:
            self.in_proj_bias = Parameter._of(layer.inProjBias)
        else:
            self.register_parameter('in_proj_bias', None)
        self.out_proj = NonDynamicallyQuantizableLinear._of(layer.outProj.weight, layer.outProj.bias if bias else None)

    def forward(self, query, key, value, key_padding_mask=None, need_weights=True, attn_mask=None,
                average_attn_weights=True, is_causal=False):
        who = 'MultiheadAttention'
        q, k, v = (gl_of(who, n, t) for n, t in (('query', query), ('key', key), ('value', value)))
        q_shape = [int(d) for d in q.shape]
        if q_shape and q_shape[-1] != self.embed_dim:
            raise AssertionError(f'was expecting embedding dimension of {self.embed_dim}, but got {q_shape[-1]}')
        unbatched = len(q_shape) == 2
        if unbatched:  # (L, E): one sequence, made a batch of one in the layer's layout
            def batch_of_one(g):
                L, E = (int(d) for d in g.shape)
                return call(who, g.reshape, js_list([1, L, E] if self.batch_first else [L, 1, E]))
            q, k, v = (batch_of_one(g) for g in (q, k, v))
        causal = bool(is_causal)
        if attn_mask is not None:
            L = int(q.shape[1 if self.batch_first else 0])
            S = int(k.shape[1 if self.batch_first else 0])
            if not _causal_mask(attn_mask, L, S):
                raise unsupported('MultiheadAttention(attn_mask=...) other than the causal mask',
                                  'the engine masks future positions (is_causal=True) and padding (key_padding_mask)')
            causal = True
        mask = None
        if key_padding_mask is not None:
            mask = gl_of(who, 'key_padding_mask', key_padding_mask)
            if key_padding_mask.dtype.is_floating_point:
                raise unsupported('MultiheadAttention: a float key_padding_mask', 'give a bool mask (True = padding)')
        layer = self._layer
        layer.inProjWeight = self.in_proj_weight._gl
        layer.inProjBias = jsnull if self.in_proj_bias is None else self.in_proj_bias._gl
        layer.outProj.weight = self.out_proj.weight._gl
        layer.outProj.bias = jsnull if self.out_proj.bias is None else self.out_proj.bias._gl
        layer.training = bool(self.training)
        options = js_obj(causal=causal, keyPaddingMask=mask, needWeights=bool(need_weights),
                         averageAttnWeights=bool(average_attn_weights))
        r = call(who, layer.forward, q, k, v, options)
        out, weights = r[0], r[1]
        if unbatched:
            out = call(who, out.reshape, js_list([int(d) for d in query._gl.shape]))
            if not is_null(weights):
                weights = call(who, weights.reshape, js_list([int(d) for d in weights.shape][1:]))
        return wrap(out), (None if is_null(weights) else wrap(weights))
