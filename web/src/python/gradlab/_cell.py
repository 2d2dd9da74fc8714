"""Runs a reader's Python cell: its globals (print, knob, plot, progress, download, seed) and its errors.

Called by runtime.js. Each run is a fresh module namespace; the engine (and so every tensor)
is fresh per run too, since a worker runs one cell once. The globals call the JavaScript cell
globals (runner/cell-globals.js) through `_gradlab_js.cell`, so that a knob's checks and a
plot's normalisation have one home, shared with JavaScript cells.
"""
import builtins
import sys
import traceback

import _gradlab_js
from pyodide.ffi import JsException, to_js
from js import Object

from . import _imports

_js_cell = _gradlab_js.cell
# `import numpy`, `from transformers import ...`: an answer in the page's language, not a bare
# ModuleNotFoundError.
_imports.install()


class _ConsoleStream:
    """sys.stdout / sys.stderr of a run: whole lines go to the cell's console."""

    def __init__(self, level):
        self._level = level
        self._pending = ''

    def write(self, text):
        if not isinstance(text, str):
            raise TypeError(f'write() argument must be str, not {type(text).__name__}')
        *lines, self._pending = (self._pending + text).split('\n')
        for line in lines:
            self._emit(line)
        return len(text)

    def _emit(self, line):
        if self._level == 'log':
            _js_cell.print(line)
        else:
            _js_cell.console.error(line)

    def flush(self):
        pass

    def close_line(self):
        """At the end of a run: text printed with end='' still shows."""
        if self._pending:
            self._emit(self._pending)
            self._pending = ''

    def isatty(self):
        return False

    def writable(self):
        return True


def _js(value):
    """A Python value as JavaScript: dicts become objects, tuples lists, tensors (anything with
    .tolist()) nested lists of numbers."""
    return to_js(_plain(value), dict_converter=Object.fromEntries)


def _plain(value):
    if isinstance(value, (str, bool, int, float)) or value is None:
        return value
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, range)):
        return [_plain(v) for v in value]
    tolist = getattr(value, 'tolist', None)
    if callable(tolist):
        return _plain(tolist())
    raise TypeError(f'plot: cannot plot a {type(value).__name__}; give numbers, lists, tuples, dicts or tensors')


def _call(name, fn, *args):
    """Calls a JavaScript cell global; its TypeError arrives as a Python TypeError."""
    try:
        return fn(*args)
    except JsException as exc:
        message = str(exc)
        for prefix in ('TypeError: ', 'Error: '):
            if message.startswith(prefix):
                message = message[len(prefix):]
        raise TypeError(message) from None


class KnobFile:
    """A file the reader picked for a file knob: name, size, bytes, and text() (UTF-8)."""

    __slots__ = ('name', 'size', 'bytes')

    def __init__(self, name, size, data):
        self.name = name
        self.size = size
        self.bytes = data

    def text(self, encoding='utf-8'):
        return self.bytes.decode(encoding)

    def __repr__(self):
        return f'KnobFile(name={self.name!r}, size={self.size})'


def knob(label, value, *, min=None, max=None, step=None, options=None, kind=None, rows=None, accept=None):
    """A control the page shows above the cell; returns the reader's value (or `value`).

    knob('ρ', 0.9, min=0.5, max=1.5, step=0.01)    a slider
    knob('init', 'orthogonal', options=['orthogonal', 'gaussian'])    a choice
    knob('clip', True)    a checkbox
    knob('pairs', 'one 1\ntwo 2', kind='text', rows=6)    a text area
    knob('model', None, kind='file', accept='.safetensors')    a file: None, or a KnobFile
    """
    opts = {k: v for k, v in (('min', min), ('max', max), ('step', step), ('options', options), ('kind', kind),
                              ('rows', rows), ('accept', accept)) if v is not None}
    if isinstance(options, tuple):
        opts['options'] = list(options)
    chosen = _call('knob', _js_cell.knob, label, _js(value), _js(opts))
    if kind == 'file':
        if chosen is None or getattr(chosen, 'bytes', None) is None:
            return None
        return KnobFile(chosen.name, int(chosen.size), chosen.bytes.to_bytes())
    if isinstance(value, bool):
        return bool(chosen)
    if isinstance(value, float):
        return float(chosen)
    if isinstance(value, int) and isinstance(chosen, float) and chosen.is_integer():
        return int(chosen)
    return chosen


def plot(spec):
    """Draws a plot: plot({'loss': losses}) or a dict with 'series', 'x', 'title' ... as in a
    JavaScript cell; values may be lists, tuples or tensors."""
    _call('plot', _js_cell.plot, _js(spec))


def progress(step, total):
    """Shows a progress bar: progress(step, total)."""
    try:
        step, total = float(step), float(total)
    except (TypeError, ValueError):
        raise TypeError(f'progress: expected progress(step, total) with numbers, got progress({step!r}, {total!r})') from None
    _call('progress', _js_cell.progress, step, total)


def download(name, data, type=None):  # noqa: A002 - the JavaScript cell's option name
    """Puts a "Save: name (size)" button in the cell's output; the reader's click saves the file.

    data: bytes (safetensors.torch.save(model.state_dict()) gives them) or a str (saved as UTF-8).
    """
    if isinstance(data, (bytes, bytearray, memoryview)):
        data = to_js(bytes(data))
    elif not isinstance(data, str):
        raise TypeError(f'download({name!r}): the data must be bytes or a str, got {builtins.type(data).__name__}')
    opts = {} if type is None else {'type': type}
    info = _call('download', _js_cell.download, name, data, _js(opts))
    return info.name


def _globals():
    return {
        '__name__': '__main__',
        '__builtins__': __builtins__,
        'knob': knob,
        'plot': plot,
        'progress': progress,
        'download': download,
        'seed': _js_cell.seed,
    }


def run(code, filename):
    """Runs code; returns None, or a dict describing the error in the reader's terms."""
    out, err = _ConsoleStream('log'), _ConsoleStream('error')
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = out, err
    try:
        compiled = compile(code, filename, 'exec')
        exec(compiled, _globals())
        return None
    except BaseException as exc:  # noqa: BLE001 - everything the reader's code raises is shown
        frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == filename]
        line = getattr(exc, 'lineno', None) if isinstance(exc, SyntaxError) else (frames[-1].lineno if frames else None)
        message = exc.msg if isinstance(exc, SyntaxError) and exc.msg else str(exc)
        return {
            'name': type(exc).__name__,
            'message': message,
            'line': line,
            'trace': [{'fn': None if f.name == '<module>' else f.name, 'line': f.lineno, 'column': None} for f in frames[:-1]],
        }
    finally:
        out.close_line()
        err.close_line()
        sys.stdout, sys.stderr = saved
