"""torch.utils for the lab: torch.utils.data."""
from ..nn._bridge import module_getattr
from . import data

__getattr__ = module_getattr('torch.utils')

__all__ = ['data']
