// Line charts and histograms, drawn by uPlot. A view over one normalised spec
// (runner/plot-spec.js): update() with a new spec of the same structure only
// swaps the data, so a live training curve redraws cheaply.
import uPlot from 'uplot';
import { formatTick, formatValue } from './ticks.js';
import { canvasFont, chartWords } from './text.js';

const HEIGHT = 260;

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
    return [plot.edges, ...plot.series.map((s) => [...s.values, s.values[s.values.length - 1]])];
  }
  return [plot.x, ...plot.series.map((s) => s.values)];
}

function options(plot, width, colours) {
  const histogram = plot.kind === 'histogram';
  const words = chartWords();
  const font = canvasFont(12);
  const axis = (label, log) => ({
    label: label || undefined,
    splits: log ? decadeSplits : undefined,
    filter: log ? (u, splits) => splits : undefined, // uPlot hides some log labels by default
    stroke: colours.fg,
    grid: { stroke: colours.grid, width: 1 },
    ticks: { stroke: colours.grid, width: 1 },
    values: (u, splits) => splits.map((v) => formatTick(v, log)),
    font,
    labelFont: font,
  });
  const stepped = histogram ? uPlot.paths.stepped({ align: 1 }) : undefined;
  return {
    width,
    height: HEIGHT,
    scales: {
      x: { time: false, distr: plot.logX ? 3 : 1 },
      y: { distr: plot.logY ? 3 : 1, ...(histogram && !plot.logY ? { range: (u, min, max) => [0, Math.max(1, max * 1.05)] } : {}) },
    },
    axes: [axis(plot.xLabel, plot.logX), { ...axis(plot.yLabel || (histogram ? words.count : ''), plot.logY), size: 60 }],
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
          value: (u, v) => formatValue(v),
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
