"""safetensors for the lab: `from safetensors.torch import save, load, save_file, load_file`.

The bytes are made and read by one JavaScript module (web/src/api/safetensors.js), the one
gl.save and gl.load use, so a file saved in a JavaScript cell loads in a Python cell and
the other way round, and PyTorch reads both.
"""


class SafetensorError(Exception):
    """A file that is not a safetensors file the lab can read: the message says what is wrong."""
