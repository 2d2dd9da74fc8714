"""DataLoader(dataset, batch_size=1, shuffle=False, drop_last=False): batches as PyTorch's default collate
makes them (a tuple of samples -> a tuple of stacked tensors; numbers -> a tensor). A TensorDataset
is batched by slicing its tensors whole (one engine call per tensor and batch)."""
import math

from torch._tensor import Tensor, float32, int64

from ...nn._bridge import call, gl, js_list, unsupported, wrap
from .dataset import TensorDataset
from .sampling import permutation


def _stack(who, tensors):
    gs = []
    for t in tensors:
        shape = [int(d) for d in t._gl.shape]
        gs.append(call(who, t._gl.reshape, js_list([1] + shape)))
    return wrap(call(who, gl.cat, js_list(gs), 0), tensors[0].dtype)


def default_collate(batch):
    """Stacks a list of samples: tensors along a new dim 0, numbers into a tensor, tuples (as a list) and dicts field by field."""
    first = batch[0]
    if isinstance(first, Tensor):
        return _stack('default_collate', batch)
    if isinstance(first, bool) or isinstance(first, int):
        return wrap(call('default_collate', gl.tensor, js_list([float(x) for x in batch])), int64)
    if isinstance(first, float):
        return wrap(call('default_collate', gl.tensor, js_list([float(x) for x in batch])), float32)
    if isinstance(first, str):
        return list(batch)
    if isinstance(first, dict):
        return {key: default_collate([d[key] for d in batch]) for key in first}
    if isinstance(first, (tuple, list)):
        if any(len(s) != len(first) for s in batch):
            raise RuntimeError('each element in list of batch should be of equal size')
        return [default_collate(list(f)) for f in zip(*batch)]  # a list for tuples too, as PyTorch
    raise TypeError(f'default_collate: batch must contain tensors, numbers, dicts or lists; found {type(first).__name__}')


def _rows(t, indices):
    """Rows `indices` of t along dim 0, as one tensor."""
    g = t._gl
    start = indices[0]
    if indices == list(range(start, start + len(indices))):
        return wrap(call('DataLoader', gl.narrow, g, 0, start, len(indices)), t.dtype)
    return wrap(call('DataLoader', g.indexSelect, 0, js_list(indices)), t.dtype)


class DataLoader:
    def __init__(self, dataset, batch_size=1, shuffle=False, sampler=None, batch_sampler=None, num_workers=0,
                 collate_fn=None, pin_memory=False, drop_last=False, timeout=0, worker_init_fn=None,
                 generator=None, prefetch_factor=None, persistent_workers=False, pin_memory_device=''):
        if sampler is not None or batch_sampler is not None:
            raise unsupported('DataLoader(sampler=..., batch_sampler=...)', 'use shuffle=True or a Subset')
        if batch_size is not None and (not isinstance(batch_size, int) or isinstance(batch_size, bool) or batch_size <= 0):
            raise ValueError(f'batch_size should be a positive integer value, but got batch_size={batch_size}')
        if not hasattr(dataset, '__len__') or not hasattr(dataset, '__getitem__'):
            raise TypeError(f'DataLoader: the dataset must have __len__ and __getitem__, got {type(dataset).__name__}')
        self.dataset = dataset
        self.batch_size = batch_size
        self.shuffle = bool(shuffle)
        self.drop_last = drop_last
        self.num_workers = num_workers
        self.collate_fn = collate_fn

    def __len__(self):
        n = len(self.dataset)
        if self.batch_size is None:
            return n
        return n // self.batch_size if self.drop_last else math.ceil(n / self.batch_size)

    def __iter__(self):
        n = len(self.dataset)
        order = permutation(n) if self.shuffle else list(range(n))
        if self.batch_size is None:  # no batching: samples one by one
            for i in order:
                yield self.dataset[i]
            return
        fast = isinstance(self.dataset, TensorDataset) and self.collate_fn is None
        for b in range(len(self)):
            indices = order[b * self.batch_size:(b + 1) * self.batch_size]
            if fast:
                yield [_rows(t, indices) for t in self.dataset.tensors]
            else:
                samples = [self.dataset[i] for i in indices]
                yield (self.collate_fn or default_collate)(samples)
