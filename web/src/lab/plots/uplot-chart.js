// Line charts and histograms, drawn by uPlot. A view over one normalised spec
// (runner/plot-spec.js): update() with a new spec of the same structure only
// swaps the data, so a live training curve redraws cheaply.
import uPlot from 'uplot';
import { formatValue, linearRange, logRange, logTicks, niceTicks, tickLabels } from './ticks.js';
import { canvasFont, chartWords } from './text.js';

const HEIGHT = 260;
const LOG_FLOOR = 0.5; // the bottom of a histogram's log axis: counts are whole numbers

// Ranges, ticks and labels come from ticks.js, never from uPlot's own range and tick
// code: that code treats a span of a few ulps as [v, v] and then loops for seconds
// adding a step smaller than an ulp (issue 11). `incrs` hands uPlot one huge step so
// its own search has nothing to do; the splits below place the ticks.
const NO_INCRS = () => [Number.MAX_VALUE];

// How many ticks fit: one per 80 px across (labels can be long), one per 30 px up.
function tickCount(u, axisIdx) {
  const horizontal = axisIdx === 0;
  const pixels = (horizontal ? u.bbox.width : u.bbox.height) / devicePixelRatio;
  return Math.max(2, Math.floor(pixels / (horizontal ? 80 : 30)));
}

// The y axis is as wide as its longest label (10 digits do not fit in a fixed 60 px).
function axisWidth(u, values, axisIdx) {
  const axis = u.axes[axisIdx];
  if (!values || !values.length) return 50;
  u.ctx.font = axis.font[0];
  const widest = Math.max(...values.map((v) => u.ctx.measureText(String(v ?? '')).width)) / devicePixelRatio;
  return Math.min(140, Math.max(50, Math.ceil(widest) + 24));
}

/** Rebuild (not just new data) when this changes. */
export function structureKey(plot) {
  return JSON.stringify([plot.kind, plot.logX, plot.logY, plot.xLabel, plot.yLabel, plot.series.map((s) => s.name)]);
}

function withAlpha(colour, alpha) {
  const m = /^#([0-9a-f]{6})$/i.exec(colour);
  if (!m) return colour;
  const n = parseInt(m[1], 16);
  return `rgba(${n >> 16}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}

function data(plot) {
  if (plot.kind === 'histogram') {
    // Stepped lines through the bin edges: the last count is repeated to close the last bin.
    // On a log axis (no 0) an empty bin lies on the axis' floor, below a count of 1.
    const count = plot.logY ? (n) => (n > 0 ? n : LOG_FLOOR) : (n) => n;
    return [plot.edges, ...plot.series.map((s) => [...s.values, s.values[s.values.length - 1]].map(count))];
  }
  return [plot.x, ...plot.series.map((s) => s.values)];
}

function options(plot, width, colours) {
  const histogram = plot.kind === 'histogram';
  const words = chartWords();
  const font = canvasFont(12);
  const axis = (label, log) => ({
    label: label || undefined,
    incrs: NO_INCRS,
    splits: (u, axisIdx, min, max) => (log ? logTicks : niceTicks)(min, max, tickCount(u, axisIdx)),
    filter: (u, splits) => splits, // uPlot hides some log labels by default
    stroke: colours.fg,
    grid: { stroke: colours.grid, width: 1 },
    ticks: { stroke: colours.grid, width: 1 },
    values: (u, splits) => tickLabels(splits, log),
    font,
    labelFont: font,
  });
  // One x value: uPlot has already widened it to its own guess ([0, 100] for 0): centre the point.
  const xRange = (u, min, max) => {
    const xs = u.data[0];
    if (xs.length === 1) [min, max] = [xs[0], xs[0]];
    return plot.logX ? logRange(min, max) : linearRange(min, max, 0);
  };
  const yRange = (u, min, max) => {
    if (histogram) return plot.logY ? [LOG_FLOOR, logRange(1, max)[1]] : [0, Math.max(1, (max ?? 0) * 1.05)];
    return plot.logY ? logRange(min, max) : linearRange(min, max);
  };
  const countValue = (u, v) => formatValue(histogram && v === LOG_FLOOR ? 0 : v);
  const stepped = histogram ? uPlot.paths.stepped({ align: 1 }) : undefined;
  return {
    width,
    height: HEIGHT,
    scales: {
      x: { time: false, distr: plot.logX ? 3 : 1, range: xRange },
      y: { distr: plot.logY ? 3 : 1, range: yRange },
    },
    axes: [axis(plot.xLabel, plot.logX), { ...axis(plot.yLabel || (histogram ? words.count : ''), plot.logY), size: axisWidth }],
    series: [
      { label: plot.xLabel || (histogram ? words.binStart : 'x'), value: (u, v) => formatValue(v) },
      ...plot.series.map((s, i) => {
        const colour = colours.series[i % colours.series.length];
        return {
          label: s.name || words.count, // '' is a histogram's one unnamed series
          stroke: colour,
          width: histogram ? 1.5 : 2,
          spanGaps: false,
          fill: histogram ? withAlpha(colour, 0.25) : undefined,
          paths: stepped,
          points: { show: !histogram && plot.x.length <= 60, size: 4 },
          value: countValue,
        };
      }),
    ],
    legend: { live: true },
    cursor: { drag: { x: true, y: false } },
  };
}

export class UPlotChart {
  #box;
  #chart;
  #key;

  constructor(box, plot, colours) {
    this.#box = box;
    this.#key = structureKey(plot);
    this.#chart = new uPlot(options(plot, this.#width(), colours), data(plot), box);
  }

  #width() {
    return Math.max(this.#box.clientWidth, 200);
  }

  /** False when the spec's structure changed: the caller builds a new chart. */
  update(plot) {
    if (structureKey(plot) !== this.#key) return false;
    this.#chart.setData(data(plot));
    return true;
  }

  resize() {
    const width = this.#width();
    if (this.#chart.width !== width) this.#chart.setSize({ width, height: HEIGHT });
  }

  destroy() {
    this.#chart.destroy();
  }

  get canvas() {
    return this.#chart.ctx.canvas;
  }

  /** Series names and colours, for the legend of an exported PNG. */
  get legend() {
    return this.#chart.series.slice(1).map((s) => ({ name: s.label, colour: typeof s.stroke === 'function' ? s.stroke(this.#chart, 1) : s.stroke }));
  }
}
