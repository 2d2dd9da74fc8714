// Shared by the torch-nn*, torch-optim* and gradlab-py* tests: run Python in the harness and
// read back what it emitted. Python code calls emit(value): one JSON line, read by emitted().
import assert from 'node:assert/strict';

export const PRELUDE = `
import json, math
import torch
import torch.nn as nn
import torch.nn.functional as F
def emit(value):
    print('@' + json.dumps(value))
def close(a, b, tol=1e-5):
    fa, fb = a.reshape(-1).tolist(), b.reshape(-1).tolist()
    return len(fa) == len(fb) and all(abs(x - y) <= tol * (1 + abs(y)) for x, y in zip(fa, fb))
`;

/** The line of the reader's code n is line PRELUDE_LINES + n of the cell. */
export const PRELUDE_LINES = PRELUDE.split('\n').length - 1;

/** Runs code (after PRELUDE); fails with the Python error and the code; returns the emitted values. */
export async function runPy(py, code, options = {}) {
  const r = await py.run(PRELUDE + code, options);
  if (r.error) {
    const line = r.error.line === null ? '' : ` (line ${r.error.line - PRELUDE_LINES} of the test's code)`;
    throw new Error(`${r.error.name}: ${r.error.message}${line}\n--- code ---\n${code}`);
  }
  return r.lines.filter((l) => l.startsWith('@')).map((l) => JSON.parse(l.slice(1)));
}

/** Runs code that must fail; returns the error ({ name, message, line }). */
export async function pyError(py, code) {
  const r = await py.run(PRELUDE + code);
  assert.ok(r.error, `expected an error from:\n${code}\nprinted:\n${r.output}`);
  return r.error;
}

export function assertClose(actual, expected, tol = 1e-5, what = '') {
  const values = (v) => (ArrayBuffer.isView(v) ? [...v] : [v].flat(Infinity));
  const a = values(actual), e = values(expected);
  assert.equal(a.length, e.length, `${what}: ${a.length} values, expected ${e.length}`);
  for (let i = 0; i < e.length; i++) {
    assert.ok(Math.abs(a[i] - e[i]) <= tol * (1 + Math.abs(e[i])), `${what}[${i}]: ${a[i]} vs ${e[i]} (tol ${tol})`);
  }
}

/** Python: fd_check(f, shapes) compares autograd with central differences for each input of f. */
export const FD = `
def fd_check(name, f, inputs, eps=1e-2, tol=3e-2, ids=None):
    """f(*tensors) -> scalar tensor. inputs: lists of floats with shapes, [(values, shape), ...]."""
    def make(i, values, grad):
        t = torch.tensor(values).reshape(inputs[i][1])
        return t.requires_grad_(True) if grad else t
    ts = [make(i, v, True) for i, (v, s) in enumerate(inputs)]
    f(*ts).backward()
    worst = 0.0
    for i, (values, shape) in enumerate(inputs):
        analytic = ts[i].grad.reshape(-1).tolist()
        for k in range(len(values)):
            def at(delta):
                vs = list(values); vs[k] += delta
                args = [make(j, vs if j == i else inputs[j][0], False) for j in range(len(inputs))]
                return f(*args).item()
            numeric = (at(eps) - at(-eps)) / (2 * eps)
            err = abs(numeric - analytic[k]) / (1 + abs(numeric))
            worst = max(worst, err)
            if err > tol:
                raise AssertionError(f'{name}: d/d input{i}[{k}]: autograd {analytic[k]:.6f}, finite difference {numeric:.6f} (shapes {[s for _, s in inputs]})')
    return worst
`;
