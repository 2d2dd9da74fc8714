"""torch.optim on the engine: SGD, Adam, AdamW, RMSprop (gl.optim), with PyTorch's defaults."""
from ..nn._bridge import gl, module_getattr
from . import lr_scheduler
from .optimizer import Optimizer


def _check(who, **values):
    for name, v in values.items():
        if v < 0:
            raise ValueError(f'Invalid {name} value: {v}')


class SGD(Optimizer):
    _gl_class = gl.optim.SGD
    _fixed = ('momentum', 'dampening', 'weight_decay', 'nesterov', 'maximize')

    def __init__(self, params, lr=1e-3, momentum=0, dampening=0, weight_decay=0, nesterov=False, *, maximize=False,
                 foreach=None, differentiable=False, fused=None):
        _check('SGD', learning_rate=lr, momentum=momentum, weight_decay=weight_decay)
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError('Nesterov momentum requires a momentum and zero dampening')
        super().__init__(params, dict(lr=lr, momentum=momentum, dampening=dampening, weight_decay=weight_decay,
                                      nesterov=nesterov, maximize=maximize))

    @staticmethod
    def _options(g):
        return dict(lr=float(g['lr']), momentum=float(g['momentum']), dampening=float(g['dampening']),
                    weightDecay=float(g['weight_decay']), nesterov=bool(g['nesterov']), maximize=bool(g['maximize']))


class Adam(Optimizer):
    _gl_class = gl.optim.Adam
    _fixed = ('betas', 'eps', 'weight_decay', 'amsgrad', 'maximize')
    _default_decay = 0

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=None, amsgrad=False, *,
                 maximize=False, foreach=None, capturable=False, differentiable=False, fused=None):
        if weight_decay is None:
            weight_decay = self._default_decay
        _check(type(self).__name__, learning_rate=lr, epsilon=eps, weight_decay=weight_decay)
        if not 0.0 <= betas[0] < 1.0 or not 0.0 <= betas[1] < 1.0:
            raise ValueError(f'Invalid beta parameter: {betas}')
        super().__init__(params, dict(lr=lr, betas=tuple(betas), eps=eps, weight_decay=weight_decay,
                                      amsgrad=amsgrad, maximize=maximize))

    @staticmethod
    def _options(g):
        return dict(lr=float(g['lr']), betas=[float(b) for b in g['betas']], eps=float(g['eps']),
                    weightDecay=float(g['weight_decay']), amsgrad=bool(g['amsgrad']), maximize=bool(g['maximize']))


class AdamW(Adam):
    """Adam with decoupled weight decay (default 1e-2, as PyTorch)."""
    _gl_class = gl.optim.AdamW
    _default_decay = 1e-2


class RMSprop(Optimizer):
    _gl_class = gl.optim.RMSprop
    _fixed = ('alpha', 'eps', 'weight_decay', 'momentum', 'centered', 'maximize')

    def __init__(self, params, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0, centered=False,
                 capturable=False, foreach=None, maximize=False, differentiable=False):
        _check('RMSprop', learning_rate=lr, epsilon=eps, momentum=momentum, weight_decay=weight_decay, alpha=alpha)
        super().__init__(params, dict(lr=lr, alpha=alpha, eps=eps, weight_decay=weight_decay, momentum=momentum,
                                      centered=centered, maximize=maximize))

    @staticmethod
    def _options(g):
        return dict(lr=float(g['lr']), alpha=float(g['alpha']), eps=float(g['eps']), weightDecay=float(g['weight_decay']),
                    momentum=float(g['momentum']), centered=bool(g['centered']), maximize=bool(g['maximize']))


__getattr__ = module_getattr('torch.optim', {'Adagrad': 'use Adam or RMSprop', 'LBFGS': 'use Adam'})

__all__ = ['Optimizer', 'SGD', 'Adam', 'AdamW', 'RMSprop', 'lr_scheduler']
