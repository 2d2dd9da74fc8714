// Axis ranges, ticks and number labels shared by the charts. Pure.
//
// Any finite data gets a range a chart can divide and draw (runner/plot-span.js:
// a span wide enough that the ticks inside it are distinct numbers, finite end to
// end), and no call asks for more than a handful of ticks. uPlot's own range code
// rounds 1 ± 1.2e-7 to [1, 1], and its tick loop then adds a step smaller than an
// ulp for seconds: the charts use these functions instead.
import { MAX, finiteSpan, isNumber, spanRange } from '../../runner/plot-span.js';

/** The most ticks any call returns. */
const MAX_TICKS = 50;

const superscript = { '-': '⁻', 0: '⁰', 1: '¹', 2: '²', 3: '³', 4: '⁴', 5: '⁵', 6: '⁶', 7: '⁷', 8: '⁸', 9: '⁹' };

/**
 * 1e-7 -> "10⁻⁷"; other values as short numbers. `extra` adds digits to the
 * plain form (6 significant digits) and to the exponent form (1 decimal).
 */
export function formatTick(v, log, extra = 0) {
  if (v === null || v === undefined) return '';
  if (log && v > 0) {
    const exp = Math.log10(v);
    if (Math.abs(exp - Math.round(exp)) < 1e-9) {
      const e = Math.round(exp);
      if (e >= 0 && e <= 3) return String(10 ** e);
      return `10${String(e).replace(/./g, (c) => superscript[c])}`;
    }
  }
  if (v !== 0 && (Math.abs(v) >= 1e5 || Math.abs(v) < 1e-3)) return v.toExponential(Math.min(20, 1 + extra));
  return String(Number(v.toPrecision(Math.min(21, 6 + extra))));
}

/** Labels for a set of ticks: as short as formatTick makes them, longer only where two would read the same. */
export function tickLabels(ticks, log = false) {
  for (let extra = 0; extra <= 16; extra++) {
    const labels = ticks.map((v) => formatTick(v, log, extra));
    if (new Set(labels).size === labels.length) return labels;
  }
  return ticks.map((v) => String(v));
}

/** A value in a legend or readout: four significant digits. */
export function formatValue(v) {
  if (v === null || v === undefined) return '–';
  if (v !== 0 && (Math.abs(v) >= 1e5 || Math.abs(v) < 1e-3)) return v.toExponential(3);
  return String(Number(v.toPrecision(4)));
}

/**
 * The range of a linear axis for data in [lo, hi]: spanRange plus `pad` of the
 * span on each side, its span finite (plot-span.js finiteSpan); [0, 1] without data.
 */
export function linearRange(lo, hi, pad = 0.05) {
  const r = spanRange(lo, hi);
  if (!r) return [0, 1];
  if (pad === 0) return finiteSpan(r[0], r[1]);
  const margin = (r[1] / 2 - r[0] / 2) * 2 * pad;
  return finiteSpan(Math.max(r[0] - margin, -MAX), Math.min(r[1] + margin, MAX));
}

/** The range of a log axis for positive data in [lo, hi]: whole decades, at least two; [1, 10] without data. */
export function logRange(lo, hi) {
  const ok = (v) => isNumber(v) && v > 0;
  if (!ok(lo) && !ok(hi)) return [1, 10];
  if (!ok(lo)) lo = hi;
  if (!ok(hi)) hi = lo;
  let a = Math.floor(Math.log10(Math.min(lo, hi)));
  let b = Math.ceil(Math.log10(Math.max(lo, hi)));
  if (a === b) {
    a -= 1;
    b += 1;
  }
  return [decade(Math.max(a, -323)), decade(Math.min(b, 308))]; // 1e-323 and 1e308: the ends of float64
}

const decade = (e) => Number(`1e${e}`); // exact, unlike 10 ** e

/** About `count` round values (1, 2, 5 × 10^k apart) in [lo, hi]; at most MAX_TICKS, [lo, hi] when no round step fits. */
export function niceTicks(lo, hi, count = 5) {
  if (!(isNumber(lo) && isNumber(hi))) return [];
  if (!(hi > lo)) return [lo];
  const n = Math.min(MAX_TICKS - 2, Math.max(2, Math.round(count)));
  const raw = ((hi / 2 - lo / 2) / n) * 2;
  const mag = isNumber(raw) && raw > 0 ? 10 ** Math.floor(Math.log10(raw)) : 0;
  if (!(mag > 0) || !Number.isFinite(mag)) return [lo, hi];
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw);
  const first = Math.ceil(lo / step);
  const out = [];
  const slack = step * 1e-6;
  for (let i = 0; i < MAX_TICKS; i++) {
    const v = Number(((first + i) * step).toPrecision(15));
    if (v > hi + slack) break;
    if (v >= lo - slack && v <= hi + slack) out.push(v);
  }
  // A step below the values' resolution gives repeated ticks: show the ends instead.
  for (let i = 1; i < out.length; i++) if (!(out[i] > out[i - 1])) return [lo, hi];
  return out.length >= 2 ? out : [lo, hi];
}

/** Powers of ten in [lo, hi] (positive), thinned to at most about `count`. */
export function decadeTicks(lo, hi, count = 6) {
  if (!(isNumber(lo) && isNumber(hi) && lo > 0 && hi >= lo)) return [];
  const a = Math.floor(Math.log10(lo));
  const b = Math.ceil(Math.log10(hi));
  const step = Math.max(1, Math.ceil((b - a) / Math.max(1, count)));
  const out = [];
  for (let e = Math.ceil(a / step) * step; e <= b && out.length < MAX_TICKS; e += step) {
    const v = decade(e);
    if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) out.push(v);
  }
  return out;
}

/** Ticks for a log axis over [lo, hi]: decades, or round values when fewer than two decades fall inside (a zoomed-in axis). */
export function logTicks(lo, hi, count = 6) {
  const decades = decadeTicks(lo, hi, count);
  if (decades.length >= 2) return decades;
  return niceTicks(lo, hi, Math.min(count, 4)).filter((v) => v > 0);
}
