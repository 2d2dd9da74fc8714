"""Datasets: anything with __len__ and __getitem__; TensorDataset indexes tensors along dim 0."""
from torch._tensor import Tensor

from ...nn._bridge import call, size_str, wrap
from .sampling import permutation


class Dataset:
    def __getitem__(self, index):
        raise NotImplementedError(f'{type(self).__name__} must implement __getitem__')

    def __len__(self):
        raise NotImplementedError(f'{type(self).__name__} must implement __len__')


class TensorDataset(Dataset):
    """TensorDataset(X, y): item i is (X[i], y[i]); every tensor has the same size in dim 0."""

    def __init__(self, *tensors):
        for i, t in enumerate(tensors):
            if not isinstance(t, Tensor):
                raise TypeError(f'TensorDataset: argument {i} must be a Tensor, got {type(t).__name__}')
        sizes = [list(t._gl.shape) for t in tensors]
        if any(not s for s in sizes):
            raise ValueError('TensorDataset: every tensor needs a dim 0 (got a 0-d tensor)')
        if any(s[0] != sizes[0][0] for s in sizes):
            raise ValueError('Size mismatch between tensors: ' + ', '.join(size_str(s) for s in sizes))
        self.tensors = tensors

    def __getitem__(self, index):
        n = len(self)
        if not isinstance(index, int):
            raise TypeError(f'TensorDataset indices must be integers, not {type(index).__name__}')
        if not -n <= index < n:
            raise IndexError(f'index {index} is out of range for a dataset of {n} samples')
        return tuple(_row(t, index % n) for t in self.tensors)

    def __len__(self):
        return int(self.tensors[0]._gl.shape[0])


def _row(t, i):
    g = t._gl
    return wrap(call('TensorDataset', g.select, 0, i), t.dtype)


class Subset(Dataset):
    def __init__(self, dataset, indices):
        self.dataset = dataset
        self.indices = list(indices)

    def __getitem__(self, idx):
        return self.dataset[self.indices[idx]]

    def __len__(self):
        return len(self.indices)


def random_split(dataset, lengths, generator=None):
    """Splits into non-overlapping Subsets of the given lengths (or fractions), in the engine's random order."""
    n = len(dataset)
    lengths = list(lengths)
    if lengths and all(isinstance(x, float) and 0 <= x <= 1 for x in lengths) and abs(sum(lengths) - 1) < 1e-6:
        counts = [int(n * f) for f in lengths]
        for i in range(n - sum(counts)):
            counts[i % len(counts)] += 1
        lengths = counts
    if sum(lengths) != n:
        raise ValueError('Sum of input lengths does not equal the length of the input dataset!')
    order = permutation(n)
    out, start = [], 0
    for k in lengths:
        out.append(Subset(dataset, order[start:start + k]))
        start += k
    return out
