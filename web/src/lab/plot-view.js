// The plot area of a cell: one uPlot chart per plot id. A view: it draws the
// normalised specs it is given (see runner/plot-spec.js) and nothing else.
//
// Repeated show() calls for one id update that chart; drawing waits for the
// next animation frame, so a stream of updates costs one redraw per frame.
// Each <figure> carries data-plot-id and data-series ({"name": length, ...})
// so tests and tools can read what is drawn.
import uPlot from 'uplot';

const HEIGHT = 260;
const SERIES_COLOURS = 6;

function cssVar(name) {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}

function theme() {
  return {
    fg: cssVar('--plot-fg'),
    grid: cssVar('--plot-grid'),
    series: Array.from({ length: SERIES_COLOURS }, (_, i) => cssVar(`--series-${i + 1}`)),
  };
}

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

function formatValue(v) {
  if (v === null || v === undefined) return '–';
  if (v !== 0 && (Math.abs(v) >= 1e5 || Math.abs(v) < 1e-3)) return v.toExponential(3);
  return String(Number(v.toPrecision(4)));
}

// Charts are rebuilt (not just given new data) when these change.
function structureKey(plot) {
  return JSON.stringify([plot.kind, plot.logX, plot.logY, plot.xLabel, plot.yLabel, plot.series.map((s) => s.name)]);
}

// On a log axis: one tick per decade, or per few decades when there are many
// (vanishing gradients easily span 15 decades), and no minor grid lines.
function decadeSplits(u, axisIdx, min, max) {
  const lo = Math.floor(Math.log10(min));
  const hi = Math.ceil(Math.log10(max));
  const horizontal = axisIdx === 0;
  const pixels = (horizontal ? u.bbox.width : u.bbox.height) / devicePixelRatio;
  const fit = Math.max(2, Math.floor(pixels / (horizontal ? 60 : 28)));
  const step = Math.max(1, Math.ceil((hi - lo) / fit));
  const splits = [];
  for (let e = Math.ceil(lo / step) * step; e <= hi; e += step) {
    const v = 10 ** e;
    if (v >= min * (1 - 1e-9) && v <= max * (1 + 1e-9)) splits.push(v);
  }
  return splits;
}

function chartOptions(plot, width, colours) {
  const axis = (label, log) => ({
    label: label || undefined,
    splits: log ? decadeSplits : undefined,
    filter: log ? (u, splits) => splits : undefined, // uPlot hides some log labels by default
    stroke: colours.fg,
    grid: { stroke: colours.grid, width: 1 },
    ticks: { stroke: colours.grid, width: 1 },
    values: (u, splits) => splits.map((v) => formatTick(v, log)),
    font: '12px system-ui, sans-serif',
    labelFont: '12px system-ui, sans-serif',
  });
  return {
    width,
    height: HEIGHT,
    scales: {
      x: { time: false, distr: plot.logX ? 3 : 1 },
      y: { distr: plot.logY ? 3 : 1 },
    },
    axes: [axis(plot.xLabel, plot.logX), { ...axis(plot.yLabel, plot.logY), size: 60 }],
    series: [
      { label: plot.xLabel || 'x', value: (u, v) => formatValue(v) },
      ...plot.series.map((s, i) => ({
        label: s.name,
        stroke: colours.series[i % colours.series.length],
        width: 2,
        spanGaps: false,
        points: { show: plot.x.length <= 60, size: 4 },
        value: (u, v) => formatValue(v),
      })),
    ],
    legend: { live: true },
    cursor: { drag: { x: true, y: false } },
  };
}

export class PlotView {
  #root;
  #charts = new Map(); // id -> { figure, canvasBox, note, chart, key, plot }
  #pending = new Map(); // id -> plot waiting for the next frame
  #frame = 0;
  #resizeObserver;

  constructor(root) {
    this.#root = root;
    this.#resizeObserver = new ResizeObserver(() => this.#resize());
    this.#resizeObserver.observe(root);
    // A new colour scheme needs charts drawn with the new colours.
    matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => this.#redrawAll());
  }

  clear() {
    for (const entry of this.#charts.values()) entry.chart?.destroy();
    this.#charts.clear();
    this.#pending.clear();
    this.#root.replaceChildren();
  }

  /**
   * A new run starts: its plots replace the current ones in place (no
   * flicker); plots it does not draw again are dimmed, then removed by endRun().
   */
  beginRun() {
    for (const entry of this.#charts.values()) entry.figure.classList.add('plot-stale');
  }

  endRun() {
    for (const [id, entry] of this.#charts) {
      if (!entry.figure.classList.contains('plot-stale')) continue;
      entry.chart?.destroy();
      entry.figure.remove();
      this.#charts.delete(id);
      this.#pending.delete(id);
    }
  }

  /** Shows or updates the plot with plot.id. */
  show(plot) {
    let entry = this.#charts.get(plot.id);
    if (!entry) {
      entry = this.#createFigure(plot);
      this.#charts.set(plot.id, entry);
    }
    entry.plot = plot;
    entry.figure.classList.remove('plot-stale');
    entry.title.textContent = plot.title;
    entry.title.hidden = !plot.title;
    entry.figure.dataset.series = JSON.stringify(Object.fromEntries(plot.series.map((s) => [s.name, s.values.length])));
    entry.note.textContent = plot.dropped
      ? `${plot.dropped} value${plot.dropped === 1 ? '' : 's'} not drawn (${plot.logY ? 'zero, negative, ' : ''}infinite or NaN).`
      : '';
    entry.note.hidden = !plot.dropped;
    this.#pending.set(plot.id, plot);
    this.#frame ||= requestAnimationFrame(() => this.#drawPending());
  }

  #createFigure(plot) {
    const figure = document.createElement('figure');
    figure.className = 'plot';
    figure.dataset.plotId = plot.id;
    const title = document.createElement('figcaption');
    title.className = 'plot-title';
    const canvasBox = document.createElement('div');
    canvasBox.className = 'plot-canvas';
    const note = document.createElement('p');
    note.className = 'plot-note';
    figure.append(title, canvasBox, note);
    this.#root.append(figure);
    return { figure, title, canvasBox, note, chart: null, key: null, plot };
  }

  #drawPending() {
    this.#frame = 0;
    const colours = theme();
    for (const [id, plot] of this.#pending) {
      const entry = this.#charts.get(id);
      if (entry) this.#draw(entry, plot, colours);
    }
    this.#pending.clear();
  }

  #draw(entry, plot, colours) {
    const data = [plot.x, ...plot.series.map((s) => s.values)];
    const key = structureKey(plot);
    if (entry.chart && entry.key === key) {
      entry.chart.setData(data);
      return;
    }
    entry.chart?.destroy();
    const width = Math.max(entry.canvasBox.clientWidth, 200);
    entry.chart = new uPlot(chartOptions(plot, width, colours), data, entry.canvasBox);
    entry.key = key;
  }

  #resize() {
    for (const entry of this.#charts.values()) {
      const width = Math.max(entry.canvasBox.clientWidth, 200);
      if (entry.chart && entry.chart.width !== width) entry.chart.setSize({ width, height: HEIGHT });
    }
  }

  #redrawAll() {
    for (const entry of this.#charts.values()) {
      entry.chart?.destroy();
      entry.chart = null;
      entry.key = null;
      this.#pending.set(entry.plot.id, entry.plot);
    }
    this.#frame ||= requestAnimationFrame(() => this.#drawPending());
  }
}
