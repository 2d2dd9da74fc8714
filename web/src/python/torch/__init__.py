"""torch for the lab: PyTorch's API on gradlab's engine."""
from ._tensor import Tensor, dtype, float32, int64, bool  # noqa: A004
