"""Filled in by the torch.nn/optim/utils work (issue 12)."""
