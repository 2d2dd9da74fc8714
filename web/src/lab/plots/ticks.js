// Axis ticks and number labels shared by the charts. Pure.

const superscript = { '-': '⁻', 0: '⁰', 1: '¹', 2: '²', 3: '³', 4: '⁴', 5: '⁵', 6: '⁶', 7: '⁷', 8: '⁸', 9: '⁹' };

/** 1e-7 -> "10⁻⁷"; other values as short numbers. */
export function formatTick(v, log) {
  if (v === null || v === undefined) return '';
  if (log) {
    const exp = Math.log10(v);
    if (Math.abs(exp - Math.round(exp)) < 1e-9) {
      const e = Math.round(exp);
      if (e >= 0 && e <= 3) return String(10 ** e);
      return `10${String(e).replace(/./g, (c) => superscript[c])}`;
    }
  }
  if (v !== 0 && (Math.abs(v) >= 1e5 || Math.abs(v) < 1e-3)) return v.toExponential(1);
  return String(Number(v.toPrecision(6)));
}

/** A value in a legend or readout: four significant digits. */
export function formatValue(v) {
  if (v === null || v === undefined) return '–';
  if (v !== 0 && (Math.abs(v) >= 1e5 || Math.abs(v) < 1e-3)) return v.toExponential(3);
  return String(Number(v.toPrecision(4)));
}

/** About `count` round values (1, 2, 5 × 10^k apart) covering [lo, hi]. */
export function niceTicks(lo, hi, count = 5) {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

/** Powers of ten in [lo, hi] (positive), thinned to at most `count`. */
export function decadeTicks(lo, hi, count = 6) {
  const a = Math.floor(Math.log10(lo));
  const b = Math.ceil(Math.log10(hi));
  const step = Math.max(1, Math.ceil((b - a) / count));
  const out = [];
  for (let e = Math.ceil(a / step) * step; e <= b; e += step) {
    const v = 10 ** e;
    if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) out.push(v);
  }
  return out;
}
