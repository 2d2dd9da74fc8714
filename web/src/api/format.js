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
