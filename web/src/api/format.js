// Prints a tensor the way PyTorch does: nested brackets, aligned columns, 4 decimals,
// and long dims cut to their first and last 3 entries.
const EDGE = 3;
const SUMMARIZE_OVER = 1000;

function formatNumber(v, fixed) {
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  return fixed ? v.toFixed(4) : v.toExponential(4);
}

export function formatTensor(values, shape, suffix = '') {
  if (suffix && typeof suffix === 'object') return formatTorch(values, shape, suffix); // the Python package
  if (shape.length === 0) return `tensor(${formatNumber(values[0], true)}${suffix})`;
  const summarize = values.length > SUMMARIZE_OVER;
  const finite = Array.from(values).filter(Number.isFinite).map(Math.abs);
  const big = finite.length ? Math.max(...finite) : 0;
  const small = finite.filter((v) => v > 0).reduce((m, v) => Math.min(m, v), Infinity);
  const fixed = big < 1e5 && (small === Infinity || small >= 1e-4);
  const strides = shape.map((_, d) => shape.slice(d + 1).reduce((a, b) => a * b, 1));
  const cells = [];
  const indices = (n) => (summarize && n > 2 * EDGE
    ? [...Array(EDGE).keys(), null, ...Array.from({ length: EDGE }, (_, k) => n - EDGE + k)]
    : [...Array(n).keys()]);
  // first pass: collect the printed numbers to know the column width
  const walk = (d, offset, visit) => indices(shape[d]).map((i) => (i === null ? null
    : d === shape.length - 1 ? visit(offset + i) : walk(d + 1, offset + i * strides[d], visit)));
  walk(0, 0, (k) => cells.push(formatNumber(values[k], fixed)));
  const width = Math.max(...cells.map((c) => c.length), 1);
  const indent = 'tensor('.length;
  const render = (d, offset) => {
    const parts = indices(shape[d]).map((i) => (i === null ? '...'
      : d === shape.length - 1 ? formatNumber(values[offset + i], fixed).padStart(width)
        : render(d + 1, offset + i * strides[d])));
    if (d === shape.length - 1) return `[${parts.join(', ')}]`;
    const pad = ' '.repeat(indent + d + 1);
    return `[${parts.join(`,${'\n'.repeat(shape.length - d - 1)}${pad}`)}]`;
  };
  return `tensor(${render(0, 0)}${suffix})`;
}

// ---- PyTorch's own printing, for the Python `torch` package ---------------------------------
// formatTorch(values, shape, { dtype, suffixes }) prints as torch/_tensor_str.py does with its
// default options (precision 4, threshold 1000, edgeitems 3, linewidth 80): integer-valued
// floats as `1.`, scientific notation when the largest/smallest nonzero |x| differ by more than
// 1000x (or one is > 1e8 or < 1e-4), int64 and bool as Python prints them, long rows wrapped at
// 80 columns, and the suffixes (`grad_fn=<MulBackward0>`, `requires_grad=True`) after the values.
const TORCH = { precision: 4, threshold: 1000, edgeitems: 3, linewidth: 80 };

// Python's round-half-even of the exact binary value; JS rounds exact ties away from zero.
function isTie(digits) { return /^50*$/.test(digits); }

/** Python's '{:.{d}f}'.format(v). */
export function pyFixed(v, d) {
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  const sign = v < 0 || Object.is(v, -0) ? '-' : '';
  const a = Math.abs(v);
  let s = a.toFixed(d);
  const exact = a.toFixed(Math.min(100, d + 60));
  const dot = exact.indexOf('.');
  if (isTie(exact.slice(dot + 1 + d))) {
    const kept = d ? exact.slice(0, dot + 1 + d) : exact.slice(0, dot);
    if (Number(kept[kept.length - 1]) % 2 === 0) s = kept;
  }
  return sign + s;
}

/** Python's '{:.{d}e}'.format(v): at least two exponent digits. */
export function pySci(v, d) {
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  const sign = v < 0 || Object.is(v, -0) ? '-' : '';
  const a = Math.abs(v);
  let [mantissa, exponent] = a.toExponential(d).split('e');
  if (a !== 0) {
    const e = a.toExponential().split('e')[1]; // shortest form: its exponent is a's own
    const sig = a.toPrecision(100).split('e')[0].replace('.', '').replace(/^0+/, '');
    if (isTie(sig.slice(d + 1)) && Number(sig[d]) % 2 === 0) {
      mantissa = d ? `${sig[0]}.${sig.slice(1, d + 1)}` : sig[0];
      exponent = e;
    }
  }
  const n = Number(exponent);
  return `${sign}${mantissa}e${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(2, '0')}`;
}

// torch's _Formatter over the values it would look at (the summarized ones for a large tensor)
function torchFormatter(values, dtype) {
  if (dtype === 'bool') return { width: Math.max(1, ...values.map((v) => (v ? 4 : 5))), format: (v) => (v ? 'True' : 'False') };
  if (dtype === 'int64') {
    const str = (v) => String(v);
    return { width: Math.max(1, ...values.map((v) => str(v).length)), format: str };
  }
  let intMode = true;
  let sci = false;
  let width = 1;
  const nz = values.filter((v) => Number.isFinite(v) && v !== 0);
  if (nz.length) {
    const abs = nz.map(Math.abs);
    const lo = Math.min(...abs);
    const hi = Math.max(...abs);
    intMode = nz.every((v) => v === Math.ceil(v));
    if (hi / lo > 1000 || hi > 1e8 || (!intMode && lo < 1e-4)) {
      sci = true;
      width = Math.max(width, ...nz.map((v) => pySci(v, TORCH.precision).length));
    } else if (intMode) {
      width = Math.max(width, ...nz.map((v) => pyFixed(v, 0).length + 1));
    } else {
      width = Math.max(width, ...nz.map((v) => pyFixed(v, TORCH.precision).length));
    }
  }
  const format = (v) => {
    if (sci) return pySci(v, TORCH.precision);
    if (intMode) return pyFixed(v, 0) + (Number.isFinite(v) ? '.' : '');
    return pyFixed(v, TORCH.precision);
  };
  return { width, format };
}

const pyTuple = (shape) => (shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`);

export function formatTorch(values, shape, { dtype = 'float32', suffixes = [] } = {}) {
  shape = Array.from(shape);
  values = Array.from(values);
  const numel = shape.reduce((a, b) => a * b, 1);
  const prefix = 'tensor(';
  const indent = prefix.length;
  suffixes = Array.from(suffixes);
  let body;
  if (numel === 0) {
    if (shape.length !== 1) suffixes.unshift(`size=${pyTuple(shape)}`);
    if (dtype !== 'float32') suffixes.splice(shape.length !== 1 ? 1 : 0, 0, `dtype=torch.${dtype}`);
    body = '[]';
  } else {
    const summarize = numel > TORCH.threshold;
    const E = TORCH.edgeitems;
    const strides = shape.map((_, d) => shape.slice(d + 1).reduce((a, b) => a * b, 1));
    const indices = (n) => (summarize && n > 2 * E
      ? [...Array(E).keys(), null, ...Array.from({ length: E }, (_, k) => n - E + k)]
      : [...Array(n).keys()]);
    const seen = [];
    const collect = (d, offset) => {
      if (d === shape.length) { seen.push(values[offset]); return; }
      for (const i of indices(shape[d])) if (i !== null) collect(d + 1, offset + i * strides[d]);
    };
    collect(0, 0);
    const f = torchFormatter(seen, dtype);
    const cell = (v) => f.format(v).padStart(f.width);
    const render = (d, offset, ind) => {
      if (d === shape.length - 1) {
        const perLine = Math.max(1, Math.floor((TORCH.linewidth - ind) / (f.width + 2)));
        const data = indices(shape[d]).map((i) => (i === null ? ' ...' : cell(values[offset + i])));
        const lines = [];
        for (let i = 0; i < data.length; i += perLine) lines.push(data.slice(i, i + perLine).join(', '));
        return `[${lines.join(`,\n${' '.repeat(ind + 1)}`)}]`;
      }
      const parts = indices(shape[d]).map((i) => (i === null ? '...' : render(d + 1, offset + i * strides[d], ind + 1)));
      return `[${parts.join(`,${'\n'.repeat(shape.length - d - 1)}${' '.repeat(ind + 1)}`)}]`;
    };
    body = shape.length === 0 ? cell(values[0]) : render(0, 0, indent);
  }
  // torch's _add_suffixes
  let out = prefix + body;
  let last = out.length - out.lastIndexOf('\n') + 1;
  for (const s of suffixes) {
    if (last + s.length + 2 > TORCH.linewidth) {
      out += `,\n${' '.repeat(indent)}${s}`;
      last = indent + s.length;
    } else {
      out += `, ${s}`;
      last += s.length + 2;
    }
  }
  return `${out})`;
}
