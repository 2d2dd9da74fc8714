"""torch.nn.utils: gradient clipping (the engine's clipGradNorm / clipGradValue)."""
from torch._tensor import Tensor

from .._bridge import call, gl, is_null, js_list, js_obj, module_getattr, wrap


def _params(who, parameters):
    if isinstance(parameters, Tensor):
        parameters = [parameters]
    params = list(parameters)
    for i, p in enumerate(params):
        if not isinstance(p, Tensor):
            raise TypeError(f'{who}: parameters[{i}] must be a Tensor, got {type(p).__name__}')
    return [p for p in params if not is_null(p._gl.grad)]


def clip_grad_norm_(parameters, max_norm, norm_type=2.0, error_if_nonfinite=False, foreach=None):
    """Scales all grads by min(1, max_norm / (total_norm + 1e-6)); returns total_norm (before), a tensor."""
    params = _params('clip_grad_norm_', parameters)
    if not params:
        return wrap(gl.tensor(0.0))
    norm_type = float(norm_type)
    options = js_obj(normType='inf' if norm_type == float('inf') else norm_type, errorIfNonfinite=bool(error_if_nonfinite))
    total = call('clip_grad_norm_', gl.nn.utils.clipGradNorm, js_list([p._gl for p in params]), float(max_norm), options)
    return wrap(gl.tensor(float(total)))


def clip_grad_value_(parameters, clip_value, foreach=None):
    """Clamps every grad element into [-clip_value, clip_value]."""
    params = _params('clip_grad_value_', parameters)
    if params:
        call('clip_grad_value_', gl.nn.utils.clipGradValue, js_list([p._gl for p in params]), float(clip_value))


from . import rnn  # noqa: E402

__getattr__ = module_getattr('torch.nn.utils')

__all__ = ['clip_grad_norm_', 'clip_grad_value_', 'rnn']
