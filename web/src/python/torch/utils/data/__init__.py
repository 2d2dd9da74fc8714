"""torch.utils.data: Dataset, TensorDataset, DataLoader, random_split."""
from .dataloader import DataLoader, default_collate
from .dataset import Dataset, Subset, TensorDataset, random_split
from ...nn._bridge import module_getattr

__getattr__ = module_getattr('torch.utils.data', {
    'IterableDataset': 'use a Dataset with __len__ and __getitem__',
    'WeightedRandomSampler': 'shuffle=True samples uniformly',
})

__all__ = ['DataLoader', 'Dataset', 'Subset', 'TensorDataset', 'default_collate', 'random_split']
