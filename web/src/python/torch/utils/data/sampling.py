"""Random orders from the engine's RNG, so that torch.manual_seed reproduces a shuffle."""
from ...nn._bridge import call, gl, js_list


def permutation(n):
    """A random permutation of range(n): gl.randperm where the engine has it, else the order of n uniform draws."""
    if n == 0:
        return []
    if hasattr(gl, 'randperm'):
        return [int(i) for i in call('DataLoader', gl.randperm, n).toArray()]
    keys = list(call('DataLoader', gl.rand, js_list([n])).toArray())
    return sorted(range(n), key=keys.__getitem__)
