"""torch.autograd: grad mode switches (the graph itself lives in the engine)."""
from ._tensor import _not_available, enable_grad, no_grad, set_grad_enabled  # noqa: F401


def grad(*args, **kwargs):
    raise _not_available('torch.autograd.grad', 'call loss.backward() and read each tensor\'s .grad')


def __getattr__(name):
    if name.startswith('__'):
        raise AttributeError(name)
    raise _not_available(f'torch.autograd.{name}')
