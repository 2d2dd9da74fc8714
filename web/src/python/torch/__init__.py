"""torch for the lab: PyTorch's API on gradlab's engine (see web/src/python/README.md)."""
