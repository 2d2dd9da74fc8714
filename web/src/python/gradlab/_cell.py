"""Runs a reader's Python cell: its globals (print, knob, plot, progress, seed) and its errors.

Called by runtime.js. Each run is a fresh module namespace; the engine (and so every tensor)
is fresh per run too, since a worker runs one cell once.
"""
import sys
import traceback

import _gradlab_js

_js_cell = _gradlab_js.cell


_pending = []  # text printed since the last newline (print(..., end=''))


def _print(*args, sep=' ', end='\n', file=None, flush=False):
    text = (' ' if sep is None else sep).join(str(a) for a in args) + ('\n' if end is None else end)
    if file is not None and file not in (sys.stdout, sys.stderr):
        file.write(text)
        return
    *lines, rest = ''.join(_pending + [text]).split('\n')
    _pending[:] = [rest] if rest else []
    for line in lines:
        _js_cell.print(line)


def _flush():
    if _pending:
        _js_cell.print(''.join(_pending))
        _pending.clear()


def _globals():
    return {
        '__name__': '__main__',
        '__builtins__': __builtins__,
        'print': _print,
        'seed': _js_cell.seed,
    }


def run(code, filename):
    """Runs code; returns None, or a dict describing the error in the reader's terms."""
    try:
        compiled = compile(code, filename, 'exec')
        exec(compiled, _globals())
        _flush()
        return None
    except BaseException as exc:  # noqa: BLE001 - everything the reader's code raises is shown
        _flush()
        frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == filename]
        line = getattr(exc, 'lineno', None) if isinstance(exc, SyntaxError) else (frames[-1].lineno if frames else None)
        return {
            'name': type(exc).__name__,
            'message': str(exc),
            'line': line,
            'trace': [{'fn': f.name, 'line': f.lineno, 'column': None} for f in frames[:-1]],
        }
