"""torch.linalg: the engine's eigenvalues, singular values and norms (Eigen)."""
import math

from ._tensor import Tensor, _call, _not_available, _wrap, gl, _js


def _matrix(who, A):
    if not isinstance(A, Tensor):
        raise TypeError(f"linalg.{who}(): argument 'A' (position 1) must be Tensor, not {type(A).__name__}")
    if A.dim() != 2:
        raise RuntimeError(f'linalg.{who}: The input tensor A must have at least 2 dimensions.' if A.dim() < 2 else
                           f"linalg.{who}: gradlab's linalg takes one matrix (2-D), got shape {list(A.shape)}")
    return A


def svdvals(A):
    """The singular values, largest first (no gradient)."""
    values = _call(gl.linalg, 'singularValues', _matrix('svdvals', A)._gl)
    return _wrap(_call(gl, 'tensor', _js(list(values.to_py()))))


def eigvals(A):
    """The eigenvalues of a square matrix, as a complex tensor is not available: a list of Python complex numbers."""
    M = _matrix('eigvals', A)
    n, m = M._dims()
    if n != m:
        raise RuntimeError(f'linalg.eigvals: A must be batches of square matrices, but they are {n} by {m} matrices')
    return _Eigvals(_call(gl.linalg, 'eigvals', M._gl))


class _Eigvals(list):
    """Eigenvalues as Python complex numbers; .abs() gives their moduli as a tensor, .real/.imag too."""

    def __init__(self, js):
        v = js.to_py() if hasattr(js, 'to_py') else js
        if isinstance(v, dict):
            re, im = list(v.get('real', v.get('re'))), list(v.get('imag', v.get('im')))
        else:
            pairs = list(v)
            re = [p[0] if isinstance(p, (list, tuple)) else getattr(p, 'real', p) for p in pairs]
            im = [p[1] if isinstance(p, (list, tuple)) else getattr(p, 'imag', 0.0) for p in pairs]
        super().__init__(complex(a, b) for a, b in zip(re, im))

    def abs(self):
        from ._functions import tensor
        return tensor([abs(z) for z in self])

    @property
    def real(self):
        from ._functions import tensor
        return tensor([z.real for z in self])

    @property
    def imag(self):
        from ._functions import tensor
        return tensor([z.imag for z in self])

    def __repr__(self):
        body = ', '.join(f'{z.real:.4f}{"+" if z.imag >= 0 else "-"}{abs(z.imag):.4f}j' for z in self)
        return f'tensor([{body}])'


def norm(A, ord=None, dim=None, keepdim=False):
    if ord in (None, 'fro', 2) and (dim is None or not isinstance(dim, (tuple, list))):
        if ord == 2 and A.dim() == 2 and dim is None:
            return svdvals(A).max()
        return A.norm(2, dim, keepdim)
    if ord in (None, 'fro') and isinstance(dim, (tuple, list)):
        return A.square().sum(dim, keepdim).sqrt()
    if ord == math.inf:
        return A.abs().amax(dim, keepdim) if dim is not None else A.abs().max()
    if isinstance(ord, (int, float)):
        return A.norm(ord, dim, keepdim)
    raise _not_available(f'torch.linalg.norm(ord={ord!r})')


def vector_norm(x, ord=2, dim=None, keepdim=False):
    return x.norm(ord, dim, keepdim)


def matrix_norm(A, ord='fro', dim=(-2, -1), keepdim=False):
    if ord == 'fro':
        return A.square().sum(dim, keepdim).sqrt()
    if ord == 2 and A.dim() == 2:
        return svdvals(A).max()
    raise _not_available(f'torch.linalg.matrix_norm(ord={ord!r})')


def __getattr__(name):
    if name.startswith('__'):
        raise AttributeError(name)
    raise _not_available(f'torch.linalg.{name}')
