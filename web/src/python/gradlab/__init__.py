"""gradlab: the lab's own Python module, separate from torch.

Measurements on torch objects (gradlab/measure.py), loaded on first use so that a cell that
never measures does not import torch:

    loss.backward()
    gradlab.step_grad_norms(rnn)            # ‖∂L/∂h_t‖ for every step t of the last forward
    gradlab.spectrum(rnn.weight_hh_l0)      # {'rho', 'singular_values', 'eigenvalues'}

the engine's tasks with torch tensors (gradlab/tasks.py, also loaded on first use):

    from gradlab.tasks import NumberReading  # or gradlab.tasks.NumberReading after import gradlab

and the runtime's parts: _cell.py (a cell's globals and errors), _imports.py (the answers to
`import numpy` and `from transformers import ...`).
"""
MEASUREMENTS = ('step_grad_norms', 'spectrum', 'spectral_radius', 'power_norms', 'jacobian_norms', 'saturation',
                'lstm_gates', 'forget_gates')


def __getattr__(name):
    if name == 'tasks':
        import importlib
        return importlib.import_module('.tasks', __name__)
    if name in MEASUREMENTS:
        from . import measure
        return getattr(measure, name)
    raise AttributeError(f"module 'gradlab' has no attribute '{name}' (its measurements: {', '.join(MEASUREMENTS)}; "
                         f"its tasks: gradlab.tasks)")


def __dir__():
    return sorted(set(globals()) | set(MEASUREMENTS) | {'tasks'})
