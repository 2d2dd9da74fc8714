"""Indexing (x[...]) and writes (x[...] = v, in-place ops, .data) for torch.Tensor.

Reading maps each index onto a gl op: an int onto select, a slice onto narrow (or indexSelect
with a step), None onto a reshape, a bool mask or an index tensor/list onto indexSelect. Basic
indexing (ints, slices, None, ...) gives a view: writing into it writes into the tensor it came
from, as in PyTorch. A write is a differentiable composition, base * keep + (values placed by
indexSelect), so it also works inside a graph; a tensor's own storage is then updated in place
by gl's copy_ (how `p.data[H:2*H].fill_(1)` reaches a layer's parameter), or, for a tensor in
a graph, the tensor is rebound to the new value (as PyTorch's in-place ops record themselves).
"""
import builtins
import math

from ._tensor import (Tensor, _bool, _call as _call_op, _grad_enabled, _js, _no_grad_call, _wrap,
                      bool as bool_, gl, float32, int64)


def _is_basic(item):
    return item is None or item is Ellipsis or isinstance(item, slice) or (
        isinstance(item, int) and not isinstance(item, _bool))


def _as_index(item):
    """An advanced index (Tensor, list, tuple of ints/bools) -> (kind, Tensor or values, shape)."""
    if isinstance(item, Tensor):
        return item
    if isinstance(item, _bool):
        raise NotImplementedError("indexing with a Python bool (x[True]) is not available in gradlab's torch")
    if not isinstance(item, (list, tuple, range)):
        raise IndexError('only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are valid '
                         f'indices (got {type(item).__name__})')
    from ._functions import tensor
    try:
        return tensor(list(item))
    except (TypeError, ValueError) as e:
        raise IndexError(f'tensors used as indices must be long, int, byte or bool tensors ({e})') from None


def _consumed(item):
    if item is None or item is Ellipsis:
        return 0
    if isinstance(item, Tensor) and item.dtype is bool_:
        return max(item.dim(), 1)
    return 1


def _expand_key(t, key):
    items = list(key) if isinstance(key, tuple) else [key]
    items = [i if _is_basic(i) or isinstance(i, Tensor) else _as_index(i) for i in items]
    n = t.dim()
    used = sum(_consumed(i) for i in items)
    if used > n:
        raise IndexError(f'too many indices for tensor of dimension {n}')
    if items.count(Ellipsis) > 1:
        raise IndexError('an index can only have a single ellipsis (\'...\')')
    if Ellipsis in items:
        k = items.index(Ellipsis)
        items[k:k + 1] = [slice(None)] * (n - used)
    return items


def _index_values(idx, size, dim):
    values = idx.tolist() if idx.dim() else [idx.item()]
    flat = []

    def walk(v):
        if isinstance(v, list):
            for x in v:
                walk(x)
        else:
            if v < -size or v >= size:
                raise IndexError(f'index {v} is out of bounds for dimension {dim} with size {size}')
            flat.append(v + size if v < 0 else v)
    walk(values)
    return flat


def _select_positions(out, d, positions):
    """out.index_select(d, positions), an empty tensor if there are none."""
    if not positions:
        shape = list(out._dims())
        shape[d] = 0
        return _wrap(_no_grad_call(gl, 'zeros', _js(shape)), out.dtype)
    picked = _wrap(_call_op(out._gl, 'indexSelect', d, _js(positions)), out.dtype)
    shape = out._dims()
    picked._shape = shape[:d] + (len(positions),) + shape[d + 1:]
    return picked


def getitem(t, key):
    items = list(key) if type(key) is tuple else [key]
    if all(type(i) is int or type(i) is slice for i in items):  # x[:, t], x[0]: the common case, quickly
        if len(items) > t.dim():
            raise IndexError(f'too many indices for tensor of dimension {t.dim()}')
        advanced = ()
    else:
        items = _expand_key(t, key)
        advanced = [i for i in items if not _is_basic(i)]
        if len(advanced) > 1:
            return _multi_index(t, items)
    out = t
    d = 0
    for item in items:
        shape = out._dims()
        if item is None:
            out = out.unsqueeze(d)
            d += 1
        elif isinstance(item, slice):
            size = shape[d]
            start, stop, step = item.indices(size)
            if item.step is not None and item.step <= 0:
                raise ValueError('step must be greater than zero')
            if (start, stop, step) != (0, size, 1):
                if step == 1:
                    length = max(0, stop - start)
                    if length == 0:
                        out = _select_positions(out, d, [])
                    else:
                        out = _wrap(_call_op(out._gl, 'narrow', d, start, length), out.dtype)
                        out._shape = shape[:d] + (length,) + shape[d + 1:]
                else:
                    out = _select_positions(out, d, list(range(start, stop, step)))
            d += 1
        elif isinstance(item, int):
            size = shape[d]
            if item < -size or item >= size:
                raise IndexError(f'index {item} is out of bounds for dimension {d} with size {size}')
            out = _wrap(_call_op(out._gl, 'select', d, item + size if item < 0 else item), out.dtype)
            out._shape = shape[:d] + shape[d + 1:]
        elif item.dtype is bool_:
            k = max(item.dim(), 1)
            mshape = item._dims() or (1,)
            for j, m in enumerate(mshape):
                if d + j >= len(shape) or shape[d + j] != m:
                    raise IndexError(f'The shape of the mask {list(mshape)} at index {j} does not match the shape of '
                                     f'the indexed tensor {list(shape)} at index {d + j}')
            n = 1
            for m in mshape:
                n *= m
            flat = item.reshape(-1).tolist() if item.dim() else [item.item()]
            positions = [i for i, v in enumerate(flat) if v]
            merged = out.reshape(list(shape[:d]) + [n] + list(shape[d + k:]))
            out = _select_positions(merged, d, positions)
            d += 1
        else:
            if item.dtype.is_floating_point:
                raise IndexError('tensors used as indices must be long, int, byte or bool tensors')
            positions = _index_values(item, shape[d], d)
            picked = _select_positions(out, d, positions)
            ishape = list(item._dims())
            out = picked.reshape(list(shape[:d]) + ishape + list(shape[d + 1:])) if len(ishape) != 1 else picked
            d += len(ishape)
    if out is t:
        out = Tensor._from_gl(t._gl, t.dtype)
    if not advanced:
        out._view = (t, tuple(items))
    else:
        out._op = 'IndexBackward0'
    return out


def _multi_index(t, items):
    """Several advanced indices (x[rows, cols]): adjacent ones, broadcast together, as one flat index."""
    adv = [k for k, i in enumerate(items) if not _is_basic(i)]
    if adv != list(range(adv[0], adv[-1] + 1)) or any(items[k].dtype is bool_ for k in adv):
        raise NotImplementedError("gradlab's torch takes several index tensors only side by side and as integers "
                                  '(x[rows, cols]); use index_select or a loop')
    lead = items[:adv[0]]
    if any(not (isinstance(i, slice) and i == slice(None)) for i in lead):
        t = getitem(t, tuple(lead) + (Ellipsis,))
        lead_dims = sum(1 for i in lead if isinstance(i, slice)) + sum(1 for i in lead if i is None)
    else:
        lead_dims = len(lead)
    shape = t._dims()
    from ._tensor import _broadcast_shapes
    ishape = ()
    for k in adv:
        ishape = _broadcast_shapes(ishape, items[k]._dims(), ('indices', 'indices'))
    flat = [0] * builtins.max(1, _numel(ishape))
    for j, k in enumerate(adv):
        dim = lead_dims + j
        vals = _index_values(items[k].expand(*ishape) if ishape else items[k], shape[dim], dim)
        stride = _numel(shape[dim + 1:lead_dims + len(adv)])
        flat = [f + v * stride for f, v in zip(flat, vals)]
    merged_size = _numel(shape[lead_dims:lead_dims + len(adv)])
    merged = t.reshape(list(shape[:lead_dims]) + [merged_size] + list(shape[lead_dims + len(adv):]))
    out = _select_positions(merged, lead_dims, flat)
    out = out.reshape(list(shape[:lead_dims]) + list(ishape) + list(shape[lead_dims + len(adv):]))
    out._op = 'IndexBackward0'
    rest = items[adv[-1] + 1:]
    if rest:
        out = getitem(out, (slice(None),) * (lead_dims + len(ishape)) + tuple(rest))
    return out


def _numel(shape):
    return math.prod(shape)


def _positions(shape, key):
    """Where each element of x[key] sits in x (flat, row-major), for a write."""
    from ._functions import tensor
    n = _numel(shape)
    index = tensor(list(range(n)), dtype=int64).reshape(list(shape)) if n else None
    return [] if index is None else getitem(index, key).reshape(-1).tolist()


def _scatter(base, key, values):
    """base with base[key] replaced by values (of base[key]'s shape): differentiable in both."""
    from ._functions import cat, tensor, zeros
    n = base.numel()
    positions = _positions(base._dims(), key)
    source = [len(positions)] * n
    keep = [1.0] * n
    for i, p in enumerate(positions):
        source[p] = i
        keep[p] = 0.0
    flat = cat([values.reshape(-1).to(float32), zeros(1)])
    placed = flat.index_select(0, source).reshape(list(base._dims()))
    out = base * tensor(keep).reshape(list(base._dims())) + placed
    out.dtype = base.dtype
    return out


def assign(t, new, through_data=False):
    """Makes t hold new's values (an in-place op's result), as PyTorch's in-place semantics.

    through_data: the write comes through .data, so it never joins a graph.
    """
    if new._dims() != t._dims():
        raise RuntimeError(f"output with shape {list(t._dims())} doesn't match the broadcast shape {list(new._dims())}")
    if new.dtype._rank > t.dtype._rank:
        names = {float32: 'Float', int64: 'Long', bool_: 'Bool'}
        raise RuntimeError(f"result type {names[new.dtype]} can't be cast to the desired output type {names[t.dtype]}")
    if t._view is not None:
        base, key = t._view
        if key is None:
            assign(base, new, True)
        else:
            assign(base, _scatter(base, key, new), through_data)
        t._adopt(new)
        return
    g = t._gl
    if not through_data and _grad_enabled[0] and (g.requiresGrad or new._gl.requiresGrad):
        if g.requiresGrad and g.isLeaf:
            raise RuntimeError('a leaf Variable that requires grad is being used in an in-place operation.')
        t._adopt(new)  # in a graph: t is now the op's result, as PyTorch records it
        return
    from pyodide.ffi import JsException
    from ._tensor import _error
    try:
        _no_grad_call(g, 'copy_', new._gl)
    except JsException as e:
        raise _error(e) from None


def setitem(t, key, value):
    from ._functions import full
    sub = getitem(t, key)
    if isinstance(value, Tensor):
        if value._dims() != sub._dims():
            from ._tensor import _broadcast_shapes
            _broadcast_shapes(sub._dims(), value._dims())
            value = value.expand(*sub._dims())
    elif isinstance(value, (int, float)):
        if t.dtype is int64 and isinstance(value, float) and not value.is_integer():
            value = int(value)
        value = full(list(sub._dims()), float(value))
    else:
        raise TypeError(f"can't assign a {type(value).__name__} to a torch tensor")
    value = value.to(t.dtype) if value.dtype._rank > t.dtype._rank else value
    assign(t, _scatter(t, tuple(_expand_key(t, key)), value))
