"""torch.nn.functional on the engine: each function is one gl call (or a few composed ops)."""
import js
from pyodide.ffi import JsException

from ._bridge import (call, check_float, check_long, gl, gl_of, js_list, js_obj, jsnull, module_getattr, size_str,
                      unsupported, wrap)

_REDUCTIONS = ('mean', 'sum', 'none')


def _reduction(who, reduction, size_average=None, reduce=None):
    if size_average is not None or reduce is not None:
        raise unsupported(f'{who}(size_average=..., reduce=...)', "these were removed from PyTorch's losses; use reduction='mean', 'sum' or 'none'")
    if reduction not in _REDUCTIONS:
        raise ValueError(f"{reduction} is not a valid value for reduction (use 'mean', 'sum' or 'none')")
    return reduction


def _same_size(who, input, target):
    a, b = list(input._gl.shape), list(target._gl.shape)
    if a != b:
        raise ValueError(f'{who}: Using a target size ({size_str(b)}) that is different to the input size '
                         f'({size_str(a)}) is deprecated. Please ensure they have the same size.')


# ---- activations ---------------------------------------------------------------------
def relu(input, inplace=False):
    return wrap(call('relu', gl_of('relu', 'input', input).relu))


def tanh(input):
    return wrap(call('tanh', gl_of('tanh', 'input', input).tanh))


def sigmoid(input):
    return wrap(call('sigmoid', gl_of('sigmoid', 'input', input).sigmoid))


def gelu(input, approximate='none'):
    if approximate not in ('none', 'tanh'):
        raise RuntimeError(f"gelu: approximate argument must be either none or tanh, got {approximate!r}")
    return wrap(call('gelu', gl.nn.functional.gelu, gl_of('gelu', 'input', input), js_obj(approximate=approximate)))


def _softmax_dim(who, input, dim):
    if dim is None:  # PyTorch's legacy choice, with its warning's advice
        n = len(list(input._gl.shape))
        dim = 0 if n in (0, 1, 3) else 1
    return dim


def softmax(input, dim=None, _stacklevel=3, dtype=None):
    g = gl_of('softmax', 'input', input)
    return wrap(call('softmax', gl.softmax, g, _softmax_dim('softmax', input, dim)))


def log_softmax(input, dim=None, _stacklevel=3, dtype=None):
    g = gl_of('log_softmax', 'input', input)
    return wrap(call('log_softmax', gl.logSoftmax, g, _softmax_dim('log_softmax', input, dim)))


def dropout(input, p=0.5, training=True, inplace=False):
    if not (isinstance(p, (int, float)) and 0 <= p <= 1):
        raise ValueError(f'dropout probability has to be between 0 and 1, but got {p}')
    g = gl_of('dropout', 'input', input)
    if p == 1:  # the engine takes p in [0, 1): every element dropped
        return wrap(call('dropout', g.mul, 0)) if training else input
    return wrap(call('dropout', gl.nn.functional.dropout, g, float(p), bool(training)))


# ---- layers as functions ----------------------------------------------------------------
class _Carrier:
    """One gl layer whose forward runs with the parameters given per call."""

    def __init__(self, make):
        self._make = make
        self._layer = None

    def __call__(self):
        if self._layer is None:
            self._layer = self._make()
        return self._layer


# a gl.nn.Linear made without drawing from the engine's RNG: its prototype and fields only
_linear = _Carrier(lambda: js.Object.create(gl.nn.Linear.prototype))


def linear(input, weight, bias=None):
    """input @ weight.T + bias: the engine's fused linear (input (*, in), weight (out, in))."""
    lin = _linear()
    lin.weight = gl_of('linear', 'weight', weight)
    lin.bias = jsnull if bias is None else gl_of('linear', 'bias', bias)
    x = gl_of('linear', 'input', input)
    if input.dtype is not weight.dtype:
        names = {'float32': 'Float', 'int64': 'Long', 'bool': 'Bool'}
        raise RuntimeError(f'mat1 and mat2 must have the same dtype, but got {names[input.dtype._name]} and '
                           f'{names[weight.dtype._name]} (use .float() on the input)')
    try:
        return wrap(lin.forward(x))
    except JsException:
        pass
    # the error, in PyTorch's words where it has them (shapes are read only when it failed)
    w_shape, x_shape = list(weight._gl.shape), list(x.shape)
    if len(w_shape) == 2 and x_shape and x_shape[-1] != w_shape[1]:
        rows = 1
        for d in x_shape[:-1]:
            rows *= d
        raise RuntimeError(f'mat1 and mat2 shapes cannot be multiplied ({rows}x{x_shape[-1]} and {w_shape[1]}x{w_shape[0]})')
    return wrap(call('linear', lin.forward, x))


def layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-5):
    shape = [normalized_shape] if isinstance(normalized_shape, int) else list(normalized_shape)
    if len(shape) != 1:
        raise unsupported(f'layer_norm over {len(shape)} dims', 'the engine normalises the last dim only')
    options = js_obj(weight=None if weight is None else weight._gl, bias=None if bias is None else bias._gl, eps=float(eps))
    return wrap(call('layer_norm', gl.nn.functional.layerNorm, gl_of('layer_norm', 'input', input), shape[0], options))


def embedding(input, weight, padding_idx=None, max_norm=None, norm_type=2.0, scale_grad_by_freq=False, sparse=False):
    if max_norm is not None or scale_grad_by_freq or sparse:
        raise unsupported('F.embedding(max_norm=..., scale_grad_by_freq=..., sparse=...)')
    check_long('embedding', 'input', input)
    emb = _embedding()
    emb.weight = gl_of('embedding', 'weight', weight)
    return wrap(call('embedding', emb.forward, input._gl))


_embedding = _Carrier(lambda: js.Object.create(gl.nn.Embedding.prototype))


# ---- losses ---------------------------------------------------------------------------------
def _reduce(loss_mean, reduction, n):
    """'mean' is the engine's loss; 'sum' is the mean times the element count."""
    return loss_mean if reduction == 'mean' else wrap(call('loss', loss_mean._gl.mul, float(n)))


def _numel(t):
    return int(t._gl.numel())


def mse_loss(input, target, size_average=None, reduce=None, reduction='mean'):
    r = _reduction('mse_loss', reduction, size_average, reduce)
    _same_size('mse_loss', input, target)
    if r == 'none':
        return wrap(call('mse_loss', input._gl.sub(target._gl).square))
    return _reduce(wrap(call('mse_loss', gl.nn.functional.mseLoss, input._gl, target._gl)), r, _numel(input))


def binary_cross_entropy(input, target, weight=None, size_average=None, reduce=None, reduction='mean'):
    r = _reduction('binary_cross_entropy', reduction, size_average, reduce)
    if weight is not None:
        raise unsupported('binary_cross_entropy(weight=...)')
    gl_of('binary_cross_entropy', 'input', input)
    gl_of('binary_cross_entropy', 'target', target)
    check_float('binary_cross_entropy', 'target', target)
    _same_size('binary_cross_entropy', input, target)
    if r == 'none':
        raise unsupported("binary_cross_entropy(reduction='none')", "use reduction='mean' or 'sum', or "
                          "binary_cross_entropy_with_logits(..., reduction='none') on logits")
    return _reduce(wrap(call('binary_cross_entropy', gl.nn.functional.bceLoss, input._gl, target._gl)), r, _numel(input))


def binary_cross_entropy_with_logits(input, target, weight=None, size_average=None, reduce=None, reduction='mean',
                                     pos_weight=None):
    r = _reduction('binary_cross_entropy_with_logits', reduction, size_average, reduce)
    if weight is not None or pos_weight is not None:
        raise unsupported('binary_cross_entropy_with_logits(weight=..., pos_weight=...)')
    gl_of('binary_cross_entropy_with_logits', 'input', input)
    gl_of('binary_cross_entropy_with_logits', 'target', target)
    check_float('binary_cross_entropy_with_logits', 'target', target)
    _same_size('binary_cross_entropy_with_logits', input, target)
    return wrap(call('binary_cross_entropy_with_logits', gl.nn.functional.bceWithLogits, input._gl, target._gl,
                     js_obj(reduction=r)))


def _class_loss(who, fn, input, target, weight, ignore_index, reduction, size_average, reduce, label_smoothing=0.0):
    r = _reduction(who, reduction, size_average, reduce)
    if weight is not None:
        raise unsupported(f'{who}(weight=...)', 'class weights are not in the engine')
    if label_smoothing:
        raise unsupported(f'{who}(label_smoothing=...)')
    x = gl_of(who, 'input', input)
    gl_of(who, 'target', target)
    x_shape, t_shape = list(x.shape), list(target._gl.shape)
    if target.dtype.is_floating_point:
        if x_shape == t_shape:
            raise unsupported(f'{who} with class probabilities as target', 'give class indices (an int64 tensor of shape (N,))')
        raise RuntimeError(f'{who}: expected scalar type Long but found Float (the target holds class indices: use target.long())')
    spatial = len(x_shape) > 2 and t_shape == x_shape[:1] + x_shape[2:]
    if not spatial and (len(x_shape) != 2 or t_shape != x_shape[:1]):
        raise ValueError(f'{who}: expected input (N, C) and target (N,) (or (N, C, d1, ...) and (N, d1, ...)), '
                         f'got input {size_str(x_shape)} and target {size_str(t_shape)}')
    t = target._gl
    if spatial:  # (N, C, d1, ...) -> rows (N·d1·..., C): the class dim last, then flattened
        order = [0] + list(range(2, len(x_shape))) + [1]
        x = call(who, call(who, x.permute, js_list(order)).reshape, js_list([-1, x_shape[1]]))
        t = call(who, t.reshape, js_list([-1]))
    out = call(who, fn, x, t, js_obj(ignoreIndex=int(ignore_index), reduction=r))
    if spatial and r == 'none':
        out = call(who, out.reshape, js_list(t_shape))
    return wrap(out)


def cross_entropy(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None, reduction='mean',
                  label_smoothing=0.0):
    return _class_loss('cross_entropy', gl.nn.functional.crossEntropy, input, target, weight, ignore_index, reduction,
                       size_average, reduce, label_smoothing)


def nll_loss(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None, reduction='mean'):
    return _class_loss('nll_loss', gl.nn.functional.nllLoss, input, target, weight, ignore_index, reduction,
                       size_average, reduce)


__getattr__ = module_getattr('torch.nn.functional')
