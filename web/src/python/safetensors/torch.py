"""safetensors.torch: PyTorch's functions for the safetensors format, on the lab's engine.

  save(tensors, metadata=None) -> bytes       {name: tensor} -> the file's bytes
  load(data) -> {name: tensor}                 bytes (or a file knob's value) -> tensors
  save_file(tensors, filename, metadata=None)  writes the bytes to `filename` in this run's memory
  load_file(filename, device='cpu')            reads them back (or a file knob's value)

A cell has no disk: save_file writes into the run's in-memory file system, which ends with the
run. To keep a file, hand it to the reader: download('model.safetensors', save(model.state_dict())).
To load one, let the reader pick it: f = knob('model', None, kind='file'); load(f.bytes).
Dtypes: float32, int64 and bool (F32, I64, BOOL); the engine computes in float32.
"""
import _gradlab_js
from js import Object
from pyodide.ffi import JsException, to_js

from torch._tensor import Tensor, _wrap, bool as _bool, float32, int64

from . import SafetensorError

_codec = _gradlab_js.safetensors
_gl = _gradlab_js.gl
_DTYPES = {'float32': 'F32', 'int64': 'I64', 'bool': 'BOOL'}
_TORCH = {'F32': float32, 'I64': int64, 'BOOL': _bool}

__all__ = ['save', 'load', 'save_file', 'load_file']


def _raise(exc):
    message = getattr(exc, 'message', None) or str(exc)
    for prefix in ('SafetensorsError: ', 'TypeError: ', 'Error: '):
        if message.startswith(prefix):
            message = message[len(prefix):]
    raise SafetensorError(message) from None


def _entries(who, tensors):
    if not isinstance(tensors, dict):
        raise TypeError(f'{who}: expected a dict of name -> tensor (model.state_dict()), got {type(tensors).__name__}')
    out = []
    for name, t in tensors.items():
        if not isinstance(name, str):
            raise TypeError(f'{who}: names must be str, got {type(name).__name__}')
        if not isinstance(t, Tensor):
            raise TypeError(f'{who}: {name!r} must be a torch.Tensor, got {type(t).__name__}')
        dtype = _DTYPES.get(t.dtype._name)
        if dtype is None:
            raise SafetensorError(f'{who}: {name!r} has dtype {t.dtype}, which the lab does not save')
        d = t.detach()  # its gl tensor lives as long as d does
        out.append([name, {'dtype': dtype, 'shape': list(d._gl.shape), 'data': d._gl.toArray()}])
    return out


def save(tensors, metadata=None):
    """The safetensors bytes of {name: tensor} (model.state_dict())."""
    if metadata is not None and not (isinstance(metadata, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in metadata.items())):
        raise TypeError('save: metadata must be a dict of str -> str')
    entries = to_js(_entries('save', tensors), dict_converter=Object.fromEntries)
    meta = to_js(metadata, dict_converter=Object.fromEntries) if metadata is not None else None
    try:
        data = _codec.encode(entries, meta, 'save')
    except JsException as exc:
        _raise(exc)
    return data.to_bytes()


def _bytes_of(who, data):
    if hasattr(data, 'bytes') and hasattr(data, 'name'):  # a file knob's value
        data = data.bytes
    if isinstance(data, (bytearray, memoryview)):
        data = bytes(data)
    if not isinstance(data, bytes):
        raise TypeError(f'{who}: expected the bytes of a safetensors file (or a file knob\'s value), got {type(data).__name__}')
    return data


def load(data):
    """{name: tensor} from the bytes of a safetensors file (or a file knob's value)."""
    raw = _bytes_of('load', data)
    try:
        decoded = _codec.decode(to_js(raw), 'load')
    except JsException as exc:
        _raise(exc)
    out = {}
    for entry in decoded.tensors:
        name, info = entry[0], entry[1]
        g = _gl.tensor(info.data, info.shape)
        out[name] = _wrap(g, _TORCH[info.dtype])
    return out


def save_file(tensors, filename, metadata=None):
    """Writes save(tensors, metadata) to `filename` in this run's in-memory file system."""
    data = save(tensors, metadata)
    with open(filename, 'wb') as f:
        f.write(data)


def load_file(filename, device='cpu'):
    """load() of a file written by save_file in this run, or of a file knob's value."""
    if str(device) != 'cpu':
        raise ValueError(f"load_file: the lab has one device, 'cpu', got {device!r}")
    if hasattr(filename, 'bytes') and hasattr(filename, 'name'):
        return load(filename)
    with open(filename, 'rb') as f:
        return load(f.read())
