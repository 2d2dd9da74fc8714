// The charts' ranges, ticks and labels (web/src/lab/plots/ticks.js, runner/plot-span.js) and
// the histogram binning (runner/plot-spec.js), in plain Node: for any finite data a range with
// lo < hi and a finite span, a handful of distinct ticks inside it, labels that tell them apart,
// and all of it quickly. The browser test (plots.test.mjs) draws the same data sets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decadeTicks, linearRange, logRange, logTicks, niceTicks, tickLabels } from '../../web/src/lab/plots/ticks.js';
import { fraction, spanRange } from '../../web/src/runner/plot-span.js';
import { normalisePlotSpec } from '../../web/src/runner/plot-spec.js';

const f32 = (v) => Math.fround(v);
// [lo, hi] of data sets that once broke the charts, or could: the minimal case (1 ± one
// float32 ulp), a constant, one value, ranges of 1e-7 and 1e30, values near ±1e300 and ±MAX.
const LINEAR = {
  'a few ulps around 1': [f32(0.9999998808), f32(1.0000001192)],
  'two float64 ulps': [1, 1 + 2 * Number.EPSILON],
  'constant 1': [1, 1],
  'constant 0': [0, 0],
  'constant -3e-310 (subnormal)': [-3e-310, -3e-310],
  'range 1e-7 around 0': [0, 1e-7],
  'range 1e-7 around 5': [5, 5 + 1e-7],
  'range 1e30': [0, 1e30],
  '1e30 apart at 1e30': [1e30, 2e30],
  'near ±1e300': [-1e300, 1e300],
  'both near 1e300, a few ulps apart': [1e300, 1e300 * (1 + 4 * Number.EPSILON)],
  'the ends of float64': [-Number.MAX_VALUE, Number.MAX_VALUE],
  'constant MAX_VALUE': [Number.MAX_VALUE, Number.MAX_VALUE],
  'large, tiny span': [123456789, 123456789.00000001],
};

function checkTicks(name, lo, hi, ticks, labels) {
  const where = `${name}: range [${lo}, ${hi}], ticks ${JSON.stringify(ticks)}`;
  assert.ok(ticks.length >= 1 && ticks.length <= 50, `${where}: a handful of ticks`);
  for (const [i, v] of ticks.entries()) {
    assert.ok(Number.isFinite(v), `${where}: finite`);
    if (i > 0) assert.ok(v > ticks[i - 1], `${where}: increasing`);
    const t = fraction(v, lo, hi);
    assert.ok(t >= -1e-6 && t <= 1 + 1e-6, `${where}: ${v} inside the range`);
  }
  assert.equal(new Set(labels).size, labels.length, `${where}: labels ${JSON.stringify(labels)} are distinct`);
}

test('linear axes: any finite data gets a drawable range and distinct ticks, fast', () => {
  const t0 = performance.now();
  for (const [name, [a, b]] of Object.entries(LINEAR)) {
    const [lo, hi] = linearRange(a, b);
    const where = `${name} [${a}, ${b}] -> [${lo}, ${hi}]`;
    assert.ok(Number.isFinite(lo) && Number.isFinite(hi) && Number.isFinite(hi - lo), `${where}: finite`);
    // An axis stops at ±MAX / 2 (its span must be finite): only values past that lie off it.
    assert.ok(lo <= Math.max(a, -Number.MAX_VALUE / 2) && hi >= Math.min(b, Number.MAX_VALUE / 2) && lo < hi, `${where}: holds the data`);
    // The ticks must be distinct numbers: a span wider than a few hundred ulps of the values.
    const ulp = Math.max(Math.abs(lo), Math.abs(hi)) * Number.EPSILON;
    assert.ok(hi - lo > 100 * ulp, `${where}: a span of more than a few ulps`);
    for (const count of [2, 5, 9, 30]) {
      const ticks = niceTicks(lo, hi, count);
      checkTicks(`${name}, ${count} ticks`, lo, hi, ticks, tickLabels(ticks));
    }
  }
  assert.ok(performance.now() - t0 < 1000, 'a few hundred ranges and tick sets take well under a second');
});

test('the issue\'s case: 1 ± one float32 ulp is drawn as it is, with labels that tell the ticks apart', () => {
  const [lo, hi] = linearRange(f32(0.9999998808), f32(1.0000001192));
  assert.ok(hi - lo < 1e-6, `not widened to a flat range: [${lo}, ${hi}]`);
  const labels = tickLabels(niceTicks(lo, hi, 5));
  assert.ok(labels.length >= 3, labels.join(' '));
  assert.ok(labels.some((l) => l.startsWith('0.99999')) && labels.some((l) => l.startsWith('1.0000')), labels.join(' '));
  // Round numbers keep their short labels.
  assert.deepEqual(tickLabels(niceTicks(0, 1, 5)), ['0', '0.2', '0.4', '0.6', '0.8', '1']);
  assert.deepEqual(tickLabels(niceTicks(0, 3e30, 3)), ['0', '1.0e+30', '2.0e+30', '3.0e+30']);
});

test('flat data and no data: a range around the value, or a default', () => {
  assert.deepEqual(spanRange(5, 5), [4.5, 5.5]);
  assert.deepEqual(spanRange(0, 0), [-1, 1]);
  assert.equal(spanRange(null, null), null);
  assert.deepEqual(spanRange(null, 2), [1.8, 2.2]);
  assert.deepEqual(linearRange(null, null), [0, 1]);
  assert.deepEqual(logRange(null, null), [1, 10]);
});

test('log axes: whole decades within float64, decade ticks, or round ticks when zoomed inside one decade', () => {
  const cases = {
    'one value': [1, 1],
    'a few ulps': [f32(0.9999998808), f32(1.0000001192)],
    '15 decades': [1e-15, 1],
    'smallest to largest': [Number.MIN_VALUE, Number.MAX_VALUE],
    'near 1e300': [1e300, 1e300],
    'near 1e-320': [1e-320, 2e-320],
  };
  for (const [name, [a, b]] of Object.entries(cases)) {
    const [lo, hi] = logRange(a, b);
    const where = `${name} [${a}, ${b}] -> [${lo}, ${hi}]`;
    assert.ok(lo > 0 && Number.isFinite(hi) && lo < hi, where);
    assert.ok(Math.log10(hi) - Math.log10(lo) >= 1.99 || hi / lo >= 99, `${where}: at least two decades`);
    const ticks = logTicks(lo, hi, 6);
    checkTicks(name, lo, hi, ticks, tickLabels(ticks, true));
    assert.ok(ticks.length >= 2, `${where}: ticks ${ticks}`);
  }
  assert.deepEqual(tickLabels(decadeTicks(1e-7, 1e3, 11), true), ['10⁻⁷', '10⁻⁶', '10⁻⁵', '10⁻⁴', '10⁻³', '10⁻²', '10⁻¹', '1', '10', '100', '1000']);
  const zoomed = logTicks(2, 5, 6); // inside one decade: no power of ten to show
  assert.ok(zoomed.length >= 2 && zoomed.every((v) => v >= 2 && v <= 5), `zoomed: ${zoomed}`);
});

test('ticks never loop: a step below the values\' resolution gives the ends, and a call returns at most 50 ticks', () => {
  assert.deepEqual(niceTicks(1, 1 + Number.EPSILON, 5), [1, 1 + Number.EPSILON]);
  assert.deepEqual(niceTicks(1e20, 1e20 + 16384, 5), [1e20, 1e20 + 16384]);
  assert.ok(niceTicks(0, 1, 1e9).length <= 50);
  assert.ok(decadeTicks(Number.MIN_VALUE, Number.MAX_VALUE, 1e9).length <= 50);
  assert.deepEqual(niceTicks(NaN, 1), []);
  assert.deepEqual(decadeTicks(-1, 1), []);
});

test('histograms bin any finite data: one value, a constant, a few ulps, 1e30, ±1e300, NaN/Inf mixed in', () => {
  const sets = {
    'one value': [1],
    constant: [7, 7, 7],
    'a few ulps': [f32(0.9999998808), 1, f32(1.0000001192)],
    '1e30': [0, 5e29, 1e30],
    '±1e300': [-1e300, 0, 1e300],
    '±MAX': [-Number.MAX_VALUE, Number.MAX_VALUE],
    'NaN and Inf mixed in': [1, NaN, 2, Infinity, -Infinity, 3],
    'only NaN': [NaN, NaN],
  };
  for (const [name, values] of Object.entries(sets)) {
    const p = normalisePlotSpec({ kind: 'histogram', values, bins: 10 });
    const where = `${name}: edges ${p.edges.join(', ')}`;
    assert.ok(p.edges.every(Number.isFinite), `${where}: finite edges`);
    for (let i = 1; i < p.edges.length; i++) assert.ok(p.edges[i] > p.edges[i - 1], `${where}: increasing edges`);
    const finite = values.filter(Number.isFinite).length;
    const counted = p.series[0].values.reduce((a, b) => a + b, 0);
    assert.equal(counted, finite, `${where}: every finite value lands in a bin (${JSON.stringify(p.series[0].values)})`);
    assert.equal(p.dropped, values.length - finite, `${where}: the others are counted as not drawn`);
  }
  assert.throws(() => normalisePlotSpec({ kind: 'histogram', values: [1], range: [0, Infinity] }), /range must be \[lo, hi\], two finite numbers/);
});
