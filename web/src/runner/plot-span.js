// The span rules of a plot's numbers, shared by the worker (histogram bins,
// runner/plot-spec.js) and the page (axis ranges, lab/plots/ticks.js). Pure.
// Arithmetic on the ends goes through halves, so ends near ±Number.MAX_VALUE
// never overflow to Infinity.

export const MAX = Number.MAX_VALUE;
/** A span below this fraction of the values' size is drawn as flat (float32 resolves 6e-8). */
const FLAT = 1e-9;
/** The smallest span drawn, whatever the values' size. */
const TINY = 1e-300;

export const isNumber = (v) => typeof v === 'number' && Number.isFinite(v);

/**
 * [lo, hi] of finite data made divisible: lo < hi with a span of at least a
 * billionth of the values' size; a flat range (one value, a constant, or a few
 * ulps apart) becomes value ± 10 %. Null ends (no data) give null. No padding.
 */
export function spanRange(lo, hi) {
  if (!isNumber(lo) && !isNumber(hi)) return null;
  if (!isNumber(lo)) lo = hi;
  if (!isNumber(hi)) hi = lo;
  if (lo > hi) [lo, hi] = [hi, lo];
  const size = Math.max(Math.abs(lo), Math.abs(hi));
  if (hi / 2 - lo / 2 <= Math.max(size * FLAT, TINY) / 2) {
    const mid = lo / 2 + hi / 2;
    const half = Math.max(Math.abs(mid) * 0.1, mid === 0 ? 1 : TINY);
    lo = mid - half;
    hi = mid + half;
  }
  return [Math.max(lo, -MAX), Math.min(hi, MAX)];
}

/**
 * An axis needs max - min finite, which fails only for ends of opposite signs
 * beyond ±MAX / 2: such an axis stops there (values past it lie off the chart).
 */
export function finiteSpan(lo, hi) {
  if (Number.isFinite(hi - lo)) return [lo, hi];
  return [Math.max(lo, -MAX / 2), Math.min(hi, MAX / 2)];
}

/** The point t in [0, 1] of the way from lo to hi (t = 0 at lo), without overflowing for ends near ±MAX. */
export function lerp(lo, hi, t) {
  return lo * (1 - t) + hi * t;
}

/** Where v sits between lo and hi, as a fraction (0 at lo, 1 at hi), without overflowing. */
export function fraction(v, lo, hi) {
  return (v / 2 - lo / 2) / (hi / 2 - lo / 2);
}
