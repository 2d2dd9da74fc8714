"""torch.utils for the lab: torch.utils.data."""
from ..nn._bridge import module_getattr
from . import data  # noqa: F401

__getattr__ = module_getattr('torch.utils')
