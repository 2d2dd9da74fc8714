// Checks and normalises what the reader passes to plot(spec), in the worker,
// so that a mistake is reported at the reader's plot() line and the page only
// ever receives clean, cloneable data. Pure; no DOM, no engine.
//
// A spec (only `series` is required):
//   { title, id, kind: 'line', x: number[], series: { name: number[] },
//     logX, logY, xLabel, yLabel }
// Calls with the same id (or, without one, the same title) update one plot,
// which is how live training curves will redraw. Values may be arrays, typed
// arrays or tensors (anything with toArray()). Later kinds ('heatmap',
// 'histogram') get their own normaliser in KINDS.

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
  return String(v);
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
    series.push({ name: String(name), values: checked.values });
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

const KINDS = { line: normaliseLine };

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
  return {
    id,
    kind,
    title,
    xLabel: optionalString(spec, 'xLabel'),
    yLabel: optionalString(spec, 'yLabel'),
    ...normalise(spec),
  };
}
