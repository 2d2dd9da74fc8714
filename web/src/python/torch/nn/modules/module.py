"""nn.Module: parameters and submodules registered by attribute assignment, as in PyTorch."""
import copy
from collections import OrderedDict, namedtuple

import js

from torch._tensor import Tensor

from .._bridge import call, gl, size_str, wrap, zero_grads
from ..parameter import Parameter

class _IncompatibleKeys(namedtuple('IncompatibleKeys', ['missing_keys', 'unexpected_keys'])):
    """What load_state_dict returns; printed as PyTorch prints it."""

    __slots__ = ()

    def __repr__(self):
        if not self.missing_keys and not self.unexpected_keys:
            return '<All keys matched successfully>'
        return super().__repr__()

    __str__ = __repr__

NO_GPU = ("gradlab's torch runs on the CPU, in WebAssembly inside your browser: this lab has no GPU. "
          "Use 'cpu' (or leave the .to(...) call out)")


def _device_name(device):
    return str(getattr(device, 'type', device))


def _check_device(who, device):
    name = _device_name(device)
    if name != 'cpu' and not name.startswith('cpu:'):
        raise RuntimeError(f'{who}({name!r}): {NO_GPU}')


def _addindent(text, spaces):
    lines = text.split('\n')
    if len(lines) == 1:
        return text
    return lines[0] + '\n' + '\n'.join(' ' * spaces + line for line in lines[1:])


class _RemovableHandle:
    _next = 0

    def __init__(self, hooks):
        self._hooks = hooks
        self.id = _RemovableHandle._next
        _RemovableHandle._next += 1

    def remove(self):
        self._hooks.pop(self.id, None)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.remove()


class Module:
    """Base class of every layer and model: subclass it, assign layers in __init__, write forward."""

    training: bool

    def __init__(self, *args, **kwargs):
        if args or kwargs:
            raise TypeError(f'{type(self).__name__}.__init__() got unexpected arguments for Module.__init__')
        object.__setattr__(self, 'training', True)
        object.__setattr__(self, '_parameters', OrderedDict())
        object.__setattr__(self, '_buffers', OrderedDict())
        object.__setattr__(self, '_modules', OrderedDict())

    # ---- registration ----------------------------------------------------------------
    def __setattr__(self, name, value):
        params = self.__dict__.get('_parameters')
        modules = self.__dict__.get('_modules')
        buffers = self.__dict__.get('_buffers')
        if isinstance(value, Parameter):
            if params is None:
                raise AttributeError('cannot assign parameters before Module.__init__() call '
                                     f'(add super().__init__() at the start of {type(self).__name__}.__init__)')
            self._forget(name)
            params[name] = value
        elif params is not None and name in params:
            if value is not None and not isinstance(value, Parameter):
                raise TypeError(f"cannot assign '{type(value).__name__}' as parameter '{name}' "
                                '(torch.nn.Parameter or None expected)')
            params[name] = value
        elif isinstance(value, Module):
            if modules is None:
                raise AttributeError('cannot assign module before Module.__init__() call '
                                     f'(add super().__init__() at the start of {type(self).__name__}.__init__)')
            self._forget(name)
            modules[name] = value
        elif modules is not None and name in modules:
            if value is not None:
                raise TypeError(f"cannot assign '{type(value).__name__}' as child module '{name}' "
                                '(torch.nn.Module or None expected)')
            modules[name] = None
        elif buffers is not None and name in buffers:
            if value is not None and not isinstance(value, Tensor):
                raise TypeError(f"cannot assign '{type(value).__name__}' as buffer '{name}' (torch.Tensor or None expected)")
            buffers[name] = value
        else:
            object.__setattr__(self, name, value)

    def _forget(self, name):
        for table in ('_parameters', '_buffers', '_modules'):
            self.__dict__[table].pop(name, None)
        self.__dict__.pop(name, None)

    def __getattr__(self, name):
        d = self.__dict__
        for table in ('_parameters', '_buffers', '_modules'):
            if table in d and name in d[table]:
                return d[table][name]
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def __delattr__(self, name):
        for table in ('_parameters', '_buffers', '_modules'):
            if name in self.__dict__.get(table, ()):
                del self.__dict__[table][name]
                return
        object.__delattr__(self, name)

    def register_parameter(self, name, param):
        if '_parameters' not in self.__dict__:
            raise AttributeError('cannot assign parameter before Module.__init__() call')
        if param is not None and not isinstance(param, Parameter):
            raise TypeError(f"register_parameter: cannot assign '{type(param).__name__}' object to parameter "
                            f"'{name}' (torch.nn.Parameter or None required)")
        self._forget(name)
        self._parameters[name] = param

    def register_buffer(self, name, tensor, persistent=True):
        if '_buffers' not in self.__dict__:
            raise AttributeError('cannot assign buffer before Module.__init__() call')
        if tensor is not None and not isinstance(tensor, Tensor):
            raise TypeError(f"register_buffer: cannot assign '{type(tensor).__name__}' object to buffer "
                            f"'{name}' (torch Tensor or None required)")
        self._forget(name)
        self._buffers[name] = tensor
        if not persistent:
            self.__dict__.setdefault('_non_persistent', set()).add(name)

    def add_module(self, name, module):
        if module is not None and not isinstance(module, Module):
            raise TypeError(f'add_module: {type(module).__name__} is not a Module subclass')
        self._forget(name)
        self._modules[name] = module

    register_module = add_module

    # ---- calling ---------------------------------------------------------------------
    def forward(self, *args, **kwargs):
        raise NotImplementedError(f'Module [{type(self).__name__}] is missing the required "forward" function')

    def __call__(self, *args, **kwargs):
        hooks = self.__dict__.get('_hooks')
        if not hooks:
            return self.forward(*args, **kwargs)
        for kind, hook in list(hooks.values()):
            if kind == 'pre':
                changed = hook(self, args)
                if changed is not None:
                    args = changed if isinstance(changed, tuple) else (changed,)
        out = self.forward(*args, **kwargs)
        for kind, hook in list(hooks.values()):
            if kind == 'post':
                changed = hook(self, args, out)
                if changed is not None:
                    out = changed
        return out

    def _add_hook(self, kind, hook):
        hooks = self.__dict__.setdefault('_hooks', OrderedDict())
        handle = _RemovableHandle(hooks)
        hooks[handle.id] = (kind, hook)
        return handle

    def register_forward_hook(self, hook):
        """hook(module, args, output) after each forward; a returned value replaces the output."""
        return self._add_hook('post', hook)

    def register_forward_pre_hook(self, hook):
        """hook(module, args) before each forward; a returned value replaces the arguments."""
        return self._add_hook('pre', hook)

    # ---- traversal ---------------------------------------------------------------------
    def named_modules(self, memo=None, prefix='', remove_duplicate=True):
        if memo is None:
            memo = set()
        if remove_duplicate:
            if id(self) in memo:
                return
            memo.add(id(self))
        yield prefix, self
        for name, module in self._modules.items():
            if module is None:
                continue
            yield from module.named_modules(memo, prefix + ('.' if prefix else '') + name, remove_duplicate)

    def modules(self):
        for _, m in self.named_modules():
            yield m

    def named_children(self):
        seen = set()
        for name, module in self._modules.items():
            if module is not None and id(module) not in seen:
                seen.add(id(module))
                yield name, module

    def children(self):
        for _, m in self.named_children():
            yield m

    def _named_members(self, table, prefix, recurse, remove_duplicate=True):
        seen = set()
        modules = self.named_modules(prefix=prefix, remove_duplicate=remove_duplicate) if recurse else [(prefix, self)]
        for module_prefix, module in modules:
            for name, v in module.__dict__[table].items():
                if v is None or (remove_duplicate and id(v) in seen):
                    continue
                seen.add(id(v))
                yield module_prefix + ('.' if module_prefix else '') + name, v

    def named_parameters(self, prefix='', recurse=True, remove_duplicate=True):
        yield from self._named_members('_parameters', prefix, recurse, remove_duplicate)

    def parameters(self, recurse=True):
        for _, p in self.named_parameters(recurse=recurse):
            yield p

    def named_buffers(self, prefix='', recurse=True, remove_duplicate=True):
        yield from self._named_members('_buffers', prefix, recurse, remove_duplicate)

    def buffers(self, recurse=True):
        for _, b in self.named_buffers(recurse=recurse):
            yield b

    def apply(self, fn):
        for module in self.children():
            module.apply(fn)
        fn(self)
        return self

    # ---- state -------------------------------------------------------------------------
    def state_dict(self, destination=None, prefix='', keep_vars=False):
        """name -> tensor, in registration order. Values are copies (the engine cannot share storage)."""
        out = OrderedDict() if destination is None else destination
        for module_prefix, module in self.named_modules(prefix=prefix.rstrip('.'), remove_duplicate=False):
            dot = module_prefix + ('.' if module_prefix else '')
            for name, p in module._parameters.items():
                if p is not None:
                    out[dot + name] = p if keep_vars else wrap(p._gl.detach(), p.dtype)
            skip = module.__dict__.get('_non_persistent', ())
            for name, b in module._buffers.items():
                if b is not None and name not in skip:
                    out[dot + name] = b if keep_vars else wrap(b._gl.detach(), b.dtype)
        return out

    def load_state_dict(self, state_dict, strict=True, assign=False):
        """Copies the values into this module's parameters and buffers, in place."""
        own = self.state_dict(keep_vars=True)
        missing = [k for k in own if k not in state_dict]
        unexpected = [k for k in state_dict if k not in own]
        errors = []
        if strict:
            if unexpected:
                errors.append('Unexpected key(s) in state_dict: ' + ', '.join(f'"{k}"' for k in unexpected) + '. ')
            if missing:
                errors.append('Missing key(s) in state_dict: ' + ', '.join(f'"{k}"' for k in missing) + '. ')
        for name, target in own.items():
            if name not in state_dict:
                continue
            source = state_dict[name]
            if not isinstance(source, Tensor):
                errors.append(f'While copying the parameter named "{name}", expected torch.Tensor in state_dict, '
                              f'got {type(source).__name__}.')
                continue
            have, want = list(source._gl.shape), list(target._gl.shape)
            if have != want:
                errors.append(f'size mismatch for {name}: copying a param with shape {size_str(have)} from checkpoint, '
                              f'the shape in current model is {size_str(want)}.')
                continue
            _copy_values(target, source)
        if errors:
            raise RuntimeError(f'Error(s) in loading state_dict for {type(self).__name__}:\n\t' + '\n\t'.join(errors))
        return _IncompatibleKeys(missing, unexpected)

    # ---- modes, grads, devices ------------------------------------------------------------
    def train(self, mode=True):
        if not isinstance(mode, bool):
            raise ValueError('training mode is expected to be boolean')
        for m in self.modules():
            object.__setattr__(m, 'training', mode)
        return self

    def eval(self):
        return self.train(False)

    def requires_grad_(self, requires_grad=True):
        for p in self.parameters():
            p._gl.requiresGrad = bool(requires_grad)
        return self

    def zero_grad(self, set_to_none=True):
        zero_grads(f'{type(self).__name__}.zero_grad', self.parameters(), set_to_none)

    def to(self, *args, **kwargs):
        device = kwargs.get('device', args[0] if args else 'cpu')
        dtype = kwargs.get('dtype')
        if getattr(device, 'is_floating_point', None) is not None:  # .to(torch.float32)
            device, dtype = 'cpu', device
        _check_device(f'{type(self).__name__}.to', device)
        if dtype is not None and getattr(dtype, '_name', None) != 'float32':
            raise TypeError(f'{type(self).__name__}.to: the engine computes in float32 only, got {dtype}')
        return self

    def cuda(self, device=None):
        raise RuntimeError(f'{type(self).__name__}.cuda(): {NO_GPU}')

    def cpu(self):
        return self

    def float(self):
        return self

    def double(self):
        raise TypeError(f'{type(self).__name__}.double(): the engine computes in float32 only (use .float())')

    half = bfloat16 = double

    def type(self, dst_type):
        return self.to(dtype=dst_type)

    # ---- printing --------------------------------------------------------------------------
    def extra_repr(self):
        return ''

    def _get_name(self):
        return type(self).__name__

    def __repr__(self):
        extra = self.extra_repr()
        extra_lines = extra.split('\n') if extra else []
        child_lines = [f'({name}): ' + _addindent(repr(m), 2) for name, m in self._modules.items()]
        lines = extra_lines + child_lines
        text = self._get_name() + '('
        if lines:
            if len(extra_lines) == 1 and not child_lines:
                text += extra_lines[0]
            else:
                text += '\n  ' + '\n  '.join(lines) + '\n'
        return text + ')'

    def __deepcopy__(self, memo):
        """copy.deepcopy(model): new parameters with the same values (the best model so far, a target net)."""
        new = object.__new__(type(self))
        memo[id(self)] = new
        for key, value in self.__dict__.items():
            if key == '_twin':  # gradlab's batch-first view of the old layer: made again on use
                continue
            if key == '_layer':  # the gl layer: a copy of the JS object; forward hands it new's parameters
                value = _clone_layer(value)
            else:
                value = copy.deepcopy(value, memo)
            object.__setattr__(new, key, value)
        return new

    def __dir__(self):
        names = set(dir(type(self))) | set(self.__dict__)
        for table in ('_parameters', '_buffers', '_modules'):
            names |= set(self.__dict__.get(table, ()))
        return sorted(n for n in names if not n[:1].isdigit())


_clone_js = js.Function.new('layer', """
  const copy = Object.create(Object.getPrototypeOf(layer), Object.getOwnPropertyDescriptors(layer));
  if (layer._calls) copy._calls = { sinks: [], backwarded: false };  // a recurrent layer's backward record
  if (layer.outProj) copy.outProj = Object.assign(Object.create(Object.getPrototypeOf(layer.outProj)), layer.outProj);
  return copy;
""")


def _clone_layer(layer):
    """A gl layer object with the same fields (no new engine parameters: the torch module's
    Parameters, deep-copied, are handed to it on every forward)."""
    return _clone_js(layer)


def _copy_values(target, source):
    """target's values := source's, in place (an optimiser holding target keeps working)."""
    g, values = target._gl, source._gl
    call('load_state_dict', gl.noGrad, lambda: g.copy_(values))
