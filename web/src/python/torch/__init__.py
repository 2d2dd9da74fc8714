"""torch for the lab: PyTorch's API on gradlab's engine (issue 12).

Pure Python over the engine's JS API (gl, web/src/api/gl.js): tensors, autograd, printing and
errors as PyTorch's. What the lab does not have raises NotImplementedError naming it.
The engine computes in float32: int64 and bool tensors are exact for whole numbers up to 2**24.
"""
from . import _functions
from ._functions import *  # noqa: F401,F403 - torch.tensor, torch.zeros, ...
from ._functions import (abs, all, any, max, min, pow, round, sum, device)  # noqa: A004,F401 - torch's names
from ._tensor import (Size, Tensor, dtype, enable_grad, float32, int64, is_grad_enabled, no_grad,  # noqa: F401
                      set_grad_enabled, _not_available)
from ._tensor import bool  # noqa: A004,F401 - torch.bool

inference_mode = no_grad
float = float32  # noqa: A001
long = int64
FloatTensor = Tensor
LongTensor = Tensor
BoolTensor = Tensor
inf = __builtins__['float']('inf') if isinstance(__builtins__, dict) else __builtins__.float('inf')
nan = inf - inf
pi = 3.141592653589793
e = 2.718281828459045
__version__ = '2.5.0+gradlab'

from . import linalg  # noqa: E402
from . import autograd  # noqa: E402
from . import nn, optim, utils  # noqa: E402 - `import torch` brings these, as in PyTorch


class _Cuda:
    """torch.cuda: the lab has no GPU."""

    @staticmethod
    def is_available():
        return False

    @staticmethod
    def device_count():
        return 0

    @staticmethod
    def manual_seed(seed):
        return None

    manual_seed_all = manual_seed

    def __getattr__(self, name):
        raise _not_available(f'torch.cuda.{name}', 'the lab has no GPU: torch.cuda.is_available() is False')


cuda = _Cuda()


class _Backends:
    class mps:
        @staticmethod
        def is_available():
            return False

    class cudnn:
        deterministic = True
        benchmark = False


backends = _Backends()

_NUMPY_TYPES = ('float64', 'double', 'float16', 'half', 'bfloat16', 'int32', 'int16', 'short', 'int8', 'uint8',
                'complex64', 'cfloat', 'complex128')


def __getattr__(name):
    if name.startswith('__'):
        raise AttributeError(name)
    if name in _NUMPY_TYPES:
        raise _not_available(f'torch.{name}', 'the engine computes in float32: use torch.float32, torch.int64 or '
                             'torch.bool')
    if name in ('save', 'load'):
        raise _not_available(f'torch.{name}', 'the lab keeps models as safetensors, which PyTorch reads too: '
                             'from safetensors.torch import save, load; '
                             "download('model.safetensors', save(model.state_dict())) / "
                             "model.load_state_dict(load(knob('model', None, kind='file')))")
    if name == 'numpy':
        from ._tensor import _NO_NUMPY
        raise NotImplementedError(f'torch.numpy: {_NO_NUMPY}')
    raise _not_available(f'torch.{name}')
