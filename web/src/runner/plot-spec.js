// Checks and normalises what the reader passes to plot(spec), in the worker,
// so that a mistake is reported at the reader's plot() line and the page only
// ever receives clean, cloneable data. Pure; no DOM, no engine.
//
// A spec (only `series` is required):
//   { title, id, kind: 'line', x: number[], series: { name: number[] },
//     logX, logY, xLabel, yLabel }
// Calls with the same id (or, without one, the same title) update one plot,
// which is how live training curves redraw. Values may be arrays, typed
// arrays or tensors (anything with toArray()).
//
//   { kind: 'heatmap', z: number[][] or a 2-D tensor (rows drawn top to bottom),
//     x, y (labels of the columns and rows, optional), xLabel, yLabel, zLabel, logZ,
//     zRange: [lo, hi] (the colour scale's ends; default: the data's range) }
//   { kind: 'histogram', values: number[] or { name: number[] }, bins (30),
//     range: [lo, hi], logY, xLabel }  (binned here: the page gets counts only)
//   { kind: 'graph', of: a tensor or gl.graph(t, ...)'s result, backward, names }
//     (the autograd graph behind a tensor; with a tensor, backward and names go to gl.graph)

import { LIMITS } from './outbox.js';
import { fraction, lerp, spanRange } from './plot-span.js';

const MAX_LABEL = 1000; // characters of a title, label or series name

function toNumbers(value, what) {
  let v = value;
  if (v && typeof v.toArray === 'function') v = v.toArray(); // a Tensor
  if (ArrayBuffer.isView(v)) v = Array.from(v);
  if (!Array.isArray(v)) {
    throw new TypeError(`plot: ${what} must be an array of numbers, got ${describe(value)}`);
  }
  return v.map((n, i) => {
    if (n === null || n === undefined) return null;
    if (typeof n !== 'number') {
      throw new TypeError(`plot: ${what}[${i}] is ${describe(n)}, not a number`);
    }
    return n;
  });
}

function describe(value) {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return value.constructor?.name ? `a ${value.constructor.name}` : 'an object';
  return `${typeof value} ${String(value).slice(0, 40)}`;
}

function optionalString(spec, field) {
  const v = spec[field];
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string' && typeof v !== 'number') {
    throw new TypeError(`plot: ${field} must be a string, got ${describe(v)}`);
  }
  return String(v).slice(0, MAX_LABEL);
}

// Non-finite values (an exploded gradient) and, on a log axis, values <= 0
// cannot be drawn: they become gaps, and the plot says how many.
function drawable(values, log) {
  let dropped = 0;
  const out = values.map((n) => {
    if (n === null) return null;
    if (!Number.isFinite(n) || (log && n <= 0)) {
      dropped++;
      return null;
    }
    return n;
  });
  return { values: out, dropped };
}

function normaliseLine(spec) {
  if (spec.series === undefined) throw new TypeError('plot: spec.series is required, e.g. { series: { loss: [...] } }');
  const entries = Array.isArray(spec.series)
    ? spec.series.map((s, i) => [s?.name ?? `series ${i + 1}`, s?.values])
    : Object.entries(spec.series ?? {});
  if (entries.length === 0) throw new TypeError('plot: spec.series has no series in it');

  const logX = Boolean(spec.logX);
  const logY = Boolean(spec.logY);
  const series = [];
  let dropped = 0;
  for (const [name, raw] of entries) {
    const checked = drawable(toNumbers(raw, `series "${name}"`), logY);
    dropped += checked.dropped;
    series.push({ name: String(name).slice(0, MAX_LABEL), values: checked.values });
  }

  const length = series[0].values.length;
  let x;
  if (spec.x === undefined || spec.x === null) {
    x = Array.from({ length }, (_, i) => i);
  } else {
    x = toNumbers(spec.x, 'x');
    if (x.some((n) => n === null || !Number.isFinite(n))) throw new TypeError('plot: x must hold finite numbers only');
    for (let i = 1; i < x.length; i++) {
      if (x[i] < x[i - 1]) throw new TypeError(`plot: x must be increasing, but x[${i}] = ${x[i]} < x[${i - 1}] = ${x[i - 1]}`);
    }
    if (logX && x.some((n) => n <= 0)) throw new TypeError('plot: logX needs x values > 0');
  }
  for (const s of series) {
    if (s.values.length !== x.length) {
      throw new TypeError(`plot: series "${s.name}" has ${s.values.length} values but x has ${x.length}`);
    }
  }
  return { x, series, logX, logY, dropped };
}

function normaliseHeatmap(spec) {
  let rows;
  const z = spec.z;
  if (z && typeof z.toArray === 'function' && Array.isArray(z.shape)) {
    if (z.shape.length !== 2) throw new TypeError(`plot: a heatmap's z must be 2-D, got a tensor of shape [${z.shape.join(', ')}]`);
    const flat = Array.from(z.toArray());
    const [r, c] = z.shape;
    rows = Array.from({ length: r }, (_, i) => flat.slice(i * c, (i + 1) * c));
  } else if (Array.isArray(z)) {
    rows = z.map((row, i) => toNumbers(row, `z[${i}]`));
  } else {
    throw new TypeError('plot: a heatmap needs z, an array of rows (number[][]) or a 2-D tensor');
  }
  if (rows.length === 0) throw new TypeError('plot: a heatmap\'s z has no rows');
  const cols = rows[0].length;
  rows.forEach((row, i) => {
    if (row.length !== cols) throw new TypeError(`plot: heatmap row z[${i}] has ${row.length} values but z[0] has ${cols}`);
  });
  const logZ = Boolean(spec.logZ);
  let dropped = 0;
  const values = rows.map((row) => {
    const checked = drawable(row, logZ);
    dropped += checked.dropped;
    return checked.values;
  });
  const labels = (field, n) => {
    if (spec[field] === undefined || spec[field] === null) return Array.from({ length: n }, (_, i) => i);
    const v = toNumbers(spec[field], field);
    if (v.length !== n) throw new TypeError(`plot: a heatmap's ${field} has ${v.length} values but z has ${n} ${field === 'x' ? 'columns' : 'rows'}`);
    return v;
  };
  let zRange = null;
  if (spec.zRange !== undefined && spec.zRange !== null) {
    zRange = toNumbers(spec.zRange, 'zRange');
    if (zRange.length !== 2 || !zRange.every(Number.isFinite) || !(zRange[0] < zRange[1])) {
      throw new TypeError(`plot: zRange must be [lo, hi] with lo < hi, got [${zRange.join(', ')}]`);
    }
    if (logZ && zRange[0] <= 0) throw new TypeError(`plot: with logZ, zRange must be above 0, got [${zRange.join(', ')}]`);
  }
  return { z: values, x: labels('x', cols), y: labels('y', rows.length), logZ, zRange, zLabel: optionalString(spec, 'zLabel'), dropped };
}

function normaliseHistogram(spec) {
  if (spec.values === undefined) throw new TypeError('plot: a histogram needs values, e.g. { kind: \'histogram\', values: [...] }');
  const isSeriesObject = spec.values && typeof spec.values === 'object' && !Array.isArray(spec.values) &&
    !ArrayBuffer.isView(spec.values) && typeof spec.values.toArray !== 'function';
  // A bare array of values is one unnamed series (name ''): the page calls it "count" in its language.
  const entries = isSeriesObject ? Object.entries(spec.values) : [['', spec.values]];
  if (entries.length === 0) throw new TypeError('plot: a histogram\'s values has no series in it');
  const data = entries.map(([name, v]) => [String(name).slice(0, MAX_LABEL), toNumbers(v, name === '' ? 'values' : `values "${name}"`)]);
  const bins = spec.bins ?? 30;
  if (!Number.isInteger(bins) || bins < 1 || bins > 1000) throw new TypeError(`plot: bins must be an integer from 1 to 1000, got ${bins}`);
  let dropped = 0;
  let lo = Infinity;
  let hi = -Infinity;
  if (spec.range !== undefined) {
    const r = toNumbers(spec.range, 'range');
    if (r.length !== 2 || !r.every(Number.isFinite) || !(r[0] < r[1])) throw new TypeError('plot: range must be [lo, hi], two finite numbers with lo < hi');
    [lo, hi] = r;
  } else {
    for (const [, v] of data) for (const n of v) if (Number.isFinite(n)) { lo = Math.min(lo, n); hi = Math.max(hi, n); }
  }
  // One value, a constant or a few ulps get bins around them (± 10 %); no data, bins on [0, 1].
  [lo, hi] = spanRange(lo, hi) ?? [0, 1];
  const edges = Array.from({ length: bins + 1 }, (_, i) => (i === bins ? hi : lerp(lo, hi, i / bins)));
  const series = data.map(([name, v]) => {
    const counts = new Array(bins).fill(0);
    for (const n of v) {
      if (n === null || !Number.isFinite(n) || n < lo || n > hi) { dropped++; continue; }
      counts[Math.min(bins - 1, Math.max(0, Math.floor(fraction(n, lo, hi) * bins)))]++;
    }
    return { name, values: counts };
  });
  return { edges, series, logY: Boolean(spec.logY), dropped };
}

function summaryOf(s, what) {
  if (s === null || s === undefined) return null;
  if (typeof s !== 'object') throw new TypeError(`plot: ${what} must be a summary object, got ${describe(s)}`);
  const n = (k) => (typeof s[k] === 'number' ? s[k] : null);
  return { numel: n('numel') ?? 0, min: n('min'), max: n('max'), mean: n('mean'), norm: n('norm'), values: toNumbers(s.values ?? [], `${what}.values`).slice(0, 64) };
}

const MAX_GRAPH_NODES = 2000;

function normaliseGraph(spec) {
  let g = spec.of;
  if (g && typeof g._autogradGraph === 'function') {
    g = g._autogradGraph({ backward: Boolean(spec.backward), names: spec.names ?? null });
  } else if (spec.backward !== undefined || spec.names !== undefined) {
    throw new TypeError('plot: backward and names go with of: a tensor; gl.graph(t, { backward, names }) takes them otherwise');
  }
  if (!g || g.kind !== 'autograd-graph' || !Array.isArray(g.nodes)) {
    throw new TypeError(`plot: a graph needs of: a tensor or what gl.graph(t) returns, got ${describe(spec.of)}`);
  }
  if (g.nodes.length > MAX_GRAPH_NODES) throw new RangeError(`plot: a graph of ${g.nodes.length} nodes; at most ${MAX_GRAPH_NODES} can be drawn`);
  const n = g.nodes.length;
  const id = (v, what) => {
    if (!Number.isInteger(v) || v < 0 || v >= n) throw new TypeError(`plot: ${what} is not a node id (0 to ${n - 1}): ${describe(v)}`);
    return v;
  };
  const nodes = g.nodes.map((node, i) => ({
    id: i,
    op: String(node.op ?? '').slice(0, 80),
    name: String(node.name ?? '').slice(0, 80),
    shape: toNumbers(node.shape ?? [], `nodes[${i}].shape`).slice(0, 8),
    leaf: Boolean(node.leaf),
    requiresGrad: Boolean(node.requiresGrad),
    value: summaryOf(node.value, `nodes[${i}].value`) ?? { numel: 0, min: null, max: null, mean: null, norm: null, values: [] },
    grad: summaryOf(node.grad, `nodes[${i}].grad`),
  }));
  const edges = (g.edges ?? []).map((e, i) => ({ from: id(e.from, `edges[${i}].from`), to: id(e.to, `edges[${i}].to`), index: Number.isInteger(e.index) ? e.index : 0 }));
  const order = (g.order ?? []).map((v, i) => id(v, `order[${i}]`));
  const steps = g.steps === null || g.steps === undefined ? null : g.steps.map((st, i) => ({
    node: id(st.node, `steps[${i}].node`),
    grad: summaryOf(st.grad, `steps[${i}].grad`),
    into: (st.into ?? []).map((t, k) => ({ node: id(t.node, `steps[${i}].into[${k}].node`), index: Number.isInteger(t.index) ? t.index : 0, added: summaryOf(t.added, `steps[${i}].into[${k}].added`) })),
  }));
  return { graph: { nodes, edges, order, steps }, dropped: 0 };
}

const KINDS = { line: normaliseLine, heatmap: normaliseHeatmap, histogram: normaliseHistogram, graph: normaliseGraph };

function graphValues(g) {
  const sum = (s) => (s ? s.values.length + 5 : 0);
  let n = g.edges.length * 3 + g.order.length;
  for (const node of g.nodes) n += sum(node.value) + sum(node.grad) + node.shape.length + 3;
  for (const st of g.steps ?? []) n += sum(st.grad) + 1 + st.into.reduce((a, t) => a + 2 + sum(t.added), 0);
  return n;
}

// What the page receives: every number of the normalised plot.
function countValues(p) {
  if (p.kind === 'graph') return graphValues(p.graph);
  if (p.kind === 'heatmap') return p.z.length * (p.z[0].length + 1) + p.x.length;
  const along = p.kind === 'line' ? p.x.length : p.edges.length;
  return along * (p.series.length + 1);
}

/** Returns a cloneable, validated plot description, or throws a TypeError. */
export function normalisePlotSpec(spec) {
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) {
    throw new TypeError('plot: expected a spec object, e.g. plot({ title, x, series: { name: values } })');
  }
  const kind = spec.kind ?? 'line';
  const normalise = KINDS[kind];
  if (!normalise) {
    throw new TypeError(`plot: kind "${kind}" is not supported (supported: ${Object.keys(KINDS).join(', ')})`);
  }
  const title = optionalString(spec, 'title');
  const id = optionalString(spec, 'id') || title || 'plot';
  const plot = {
    id,
    kind,
    title,
    xLabel: optionalString(spec, 'xLabel'),
    yLabel: optionalString(spec, 'yLabel'),
    ...normalise(spec),
  };
  const n = countValues(plot);
  if (n > LIMITS.plotValues) {
    throw new RangeError(`plot: this plot has ${n} values, more than the ${LIMITS.plotValues} one plot can draw; plot every k-th point`);
  }
  return plot;
}
