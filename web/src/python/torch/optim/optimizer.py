"""torch.optim.Optimizer over the engine's optimisers (gl.optim): one gl optimiser per param group.

param_groups is a list of dicts as in PyTorch; step() hands each group's current 'lr' to its gl
optimiser, so a schedule (or code that sets param_groups[0]['lr']) changes the next step.
The other hyperparameters (momentum, betas, ...) are the gl optimiser's from its construction:
changing one in a group makes that group's gl optimiser again, whose state (momenta) starts afresh.
"""
from torch._tensor import Tensor

from ..nn._bridge import call, js_list, js_obj, unsupported, zero_grads


class Optimizer:
    _gl_class = None   # gl.optim.SGD, ...
    _fixed = ()        # hyperparameters the gl optimiser takes once, at construction

    def __init__(self, params, defaults):
        self.defaults = dict(defaults)
        self.state = {}
        self.param_groups = []
        self._gl = []      # one gl optimiser per group, made on first step (and after changes)
        if isinstance(params, Tensor):
            raise TypeError('params argument given to the optimizer should be an iterable of Tensors or dicts, '
                            f'but got {type(params).__name__}')
        params = list(params)
        if not params:
            raise ValueError('optimizer got an empty parameter list')
        groups = params if isinstance(params[0], dict) else [{'params': params}]
        for group in groups:
            self.add_param_group(group)

    def add_param_group(self, param_group):
        group = dict(param_group)
        params = group['params']
        group['params'] = [params] if isinstance(params, Tensor) else list(params)
        for i, p in enumerate(group['params']):
            if not isinstance(p, Tensor):
                raise TypeError(f"optimizer can only optimize Tensors, but params[{i}] is a {type(p).__name__}")
            if not p._gl.isLeaf:
                raise ValueError("can't optimize a non-leaf Tensor")
        for key, value in self.defaults.items():
            group.setdefault(key, value)
        seen = {id(p) for g in self.param_groups for p in g['params']}
        if any(id(p) in seen for p in group['params']):
            raise ValueError('some parameters appear in more than one parameter group')
        self.param_groups.append(group)
        self._gl.append(None)

    def _gl_optimizer(self, i):
        group = self.param_groups[i]
        made = self._gl[i]
        fixed = tuple(repr(group[k]) for k in self._fixed)
        handles = [p._gl for p in group['params']]
        if made is None or made[1] != fixed or len(made[2]) != len(handles) or any(a is not b for a, b in zip(made[2], handles)):
            options = js_obj(**self._options(group))
            made = (call(type(self).__name__, self._gl_class.new, js_list(handles), options), fixed, handles)
            self._gl[i] = made
        return made[0]

    def step(self, closure=None):
        loss = None
        if closure is not None:
            loss = closure()
        for i, group in enumerate(self.param_groups):
            opt = self._gl_optimizer(i)
            opt.lr = float(group['lr'])
            call(f'{type(self).__name__}.step', opt.step)
        return loss

    def zero_grad(self, set_to_none=True):
        zero_grads(f'{type(self).__name__}.zero_grad', [p for g in self.param_groups for p in g['params']], set_to_none)

    def state_dict(self):
        raise unsupported(f'{type(self).__name__}.state_dict()', "the optimiser's state lives in the engine")

    def load_state_dict(self, state_dict):
        raise unsupported(f'{type(self).__name__}.load_state_dict()', "the optimiser's state lives in the engine")

    def __repr__(self):
        text = type(self).__name__ + ' ('
        for i, group in enumerate(self.param_groups):
            text += f'\nParameter Group {i}'
            for key in sorted(group):
                if key != 'params':
                    text += f'\n    {key}: {group[key]}'
        return text + '\n)'
