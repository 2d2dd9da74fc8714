"""Random orders from the engine's RNG, so that torch.manual_seed reproduces a shuffle."""
from ...nn._bridge import call, gl


def permutation(n):
    """A random permutation of range(n) from the engine's RNG (gl.randperm)."""
    if n == 0:
        return []
    return [int(i) for i in call('DataLoader', gl.randperm, n).toArray()]
