"""torch.nn.init: fills a tensor in place with the engine's initialisers (gl.nn.init), returns it.

Use them on a parameter directly (nn.init.orthogonal_(rnn.weight_hh_l0)) or on its .data.
The values come from the engine's RNG, so torch.manual_seed reproduces them.
"""
from ._bridge import call, gl, gl_of, module_getattr, wrap

_init = gl.nn.init


def _fill(who, fn, tensor, *args):
    """Runs the in-place gl initialiser on tensor's storage. tensor may be p.data (the core's view
    of p: the fill goes to p itself) or a slice of it (the filled values are written back)."""
    gl_of(who, 'tensor', tensor)
    view = getattr(tensor, '_view', None)
    while view is not None and view[1] is None:  # p.data (of p.data ...): p's own storage
        tensor_base = view[0]
        view = getattr(tensor_base, '_view', None)
        if view is None:
            call(who, fn, tensor_base._gl, *args)
            tensor._adopt(wrap(call(who, tensor_base._gl.detach), tensor.dtype))  # the view shows the new values
            return tensor
    call(who, fn, tensor._gl, *args)
    if view is not None:  # a slice: write its new values into the tensor it views
        from torch._indexing import assign
        assign(tensor, wrap(tensor._gl, tensor.dtype))
    return tensor


def calculate_gain(nonlinearity, param=None):
    return call('calculate_gain', _init.calculateGain, nonlinearity, param)


def uniform_(tensor, a=0.0, b=1.0, generator=None):
    return _fill('uniform_', _init.uniform, tensor, float(a), float(b))


def normal_(tensor, mean=0.0, std=1.0, generator=None):
    return _fill('normal_', _init.normal, tensor, float(mean), float(std))


def constant_(tensor, val):
    return _fill('constant_', _init.constant, tensor, float(val))


def zeros_(tensor):
    return _fill('zeros_', _init.zeros, tensor)


def ones_(tensor):
    return _fill('ones_', _init.ones, tensor)


def eye_(tensor):
    return _fill('eye_', _init.eye, tensor, 1.0)


def xavier_uniform_(tensor, gain=1.0, generator=None):
    return _fill('xavier_uniform_', _init.xavierUniform, tensor, float(gain))


def xavier_normal_(tensor, gain=1.0, generator=None):
    return _fill('xavier_normal_', _init.xavierNormal, tensor, float(gain))


def kaiming_uniform_(tensor, a=0, mode='fan_in', nonlinearity='leaky_relu', generator=None):
    return _fill('kaiming_uniform_', _init.kaimingUniform, tensor, float(a), mode, nonlinearity)


def kaiming_normal_(tensor, a=0, mode='fan_in', nonlinearity='leaky_relu', generator=None):
    return _fill('kaiming_normal_', _init.kaimingNormal, tensor, float(a), mode, nonlinearity)


def orthogonal_(tensor, gain=1, generator=None):
    return _fill('orthogonal_', _init.orthogonal, tensor, float(gain))


__getattr__ = module_getattr('torch.nn.init')
