// The plot area of a cell: one chart per plot id, each with PNG and CSV
// downloads. A view: it draws the normalised specs it is given (see
// runner/plot-spec.js) and nothing else; line charts and histograms go to
// uPlot, heatmaps to a canvas of their own.
//
// Repeated show() calls for one id update that chart; drawing waits for the
// next animation frame, so a stream of updates costs one redraw per frame, and
// a frame draws for at most FRAME_BUDGET_MS (many plots at once are spread over
// frames, so the page never stalls on them). drawn() says when all is on screen.
// Each <figure> carries data-plot-id, data-kind and data-series
// ({"name": length, ...}; for a heatmap {"rows": r, "columns": c}) so tests
// and tools can read what is drawn.
import { UPlotChart } from './plots/uplot-chart.js';
import { HeatmapChart } from './plots/heatmap-chart.js';
// The graph view (and dagre, its layout) loads only when a cell draws a graph.
let graphModule = null;
let graphLoading = null;
const loadGraphModule = () => (graphLoading ??= import('./plots/graph-chart.js').then((m) => { graphModule = m; }));
import { chartToPNG, fileStem, plotToCSV, saveBlob } from './plots/export.js';
import { canvasFontPending, chartWords } from './plots/text.js';
import { formatValue } from './plots/ticks.js';

const SERIES_COLOURS = 6;
let figures = 0; // for the ids that name each figure
const FRAME_BUDGET_MS = 40;
const HIDDEN_TAB_MS = 250; // a hidden tab gets no animation frames: draw on a timer then

function cssVar(name) {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}

function theme() {
  return {
    fg: cssVar('--plot-fg'),
    bg: cssVar('--surface'),
    grid: cssVar('--plot-grid'),
    series: Array.from({ length: SERIES_COLOURS }, (_, i) => cssVar(`--series-${i + 1}`)),
  };
}

const ICON_DOWNLOAD = '<svg class="button-icon" viewBox="0 0 12 12" aria-hidden="true"><path d="M6 1v7M3 5l3 3 3-3M1.5 10.5h9" fill="none" stroke="currentColor" stroke-width="1.4"/></svg>';

/**
 * What a chart shows, in words (the canvas's text alternative): its kind and title, the x
 * range, and per series its length, first and last values and extremes (a histogram: its
 * fullest bin; a heatmap: its size and value range). `words` is strings.plotAlt.
 */
export function describePlot(plot, words, countName = 'count') {
  const v = formatValue;
  const finite = (values) => values.filter((n) => n !== null && Number.isFinite(n));
  // Not Math.min(...values): a plot may hold more numbers than a call takes arguments.
  const min = (values) => values.reduce((a, b) => (b < a ? b : a));
  const max = (values) => values.reduce((a, b) => (b > a ? b : a));
  const parts = [];
  if (plot.kind === 'graph') return words.graph(plot.title, plot.graph.nodes.length, plot.graph.order.length);
  if (plot.kind === 'heatmap') {
    const all = finite(plot.z.flat());
    parts.push(words.heatmap(plot.title, plot.z.length, plot.z[0].length));
    if (all.length) parts.push(words.values(plot.zLabel, v(min(all)), v(max(all))));
    return parts.join(' ');
  }
  if (plot.kind === 'histogram') {
    const { edges } = plot;
    parts.push(words.histogram(plot.title, edges.length - 1, v(edges[0]), v(edges.at(-1))));
    for (const s of plot.series) {
      const total = s.values.reduce((a, b) => a + b, 0);
      const top = s.values.indexOf(max(s.values));
      parts.push(total ? words.bins(s.name || countName, total, v(edges[top]), v(edges[top + 1]), s.values[top]) : words.nothing(s.name || countName));
    }
    return parts.join(' ');
  }
  parts.push(words.line(plot.title));
  if (plot.x.length) parts.push(words.x(plot.xLabel, v(plot.x[0]), v(plot.x.at(-1))));
  for (const s of plot.series) {
    const ok = finite(s.values);
    parts.push(ok.length
      ? words.series(s.name, ok.length, v(ok[0]), v(ok.at(-1)), v(min(ok)), v(max(ok)))
      : words.nothing(s.name));
  }
  return parts.join(' ');
}

function summary(plot) {
  if (plot.kind === 'graph') return { nodes: plot.graph.nodes.length, edges: plot.graph.edges.length, steps: plot.graph.order.length };
  if (plot.kind === 'heatmap') return { rows: plot.z.length, columns: plot.z[0].length };
  return Object.fromEntries(plot.series.map((s) => [s.name, s.values.length]));
}

export class PlotView {
  #root;
  #strings;
  #charts = new Map(); // id -> { figure, title, box, note, readout, chart, plot }
  #pending = new Map(); // id -> plot waiting for the next frame
  #frame = null; // { raf, timer } while a draw is scheduled
  #waiting = []; // drawn() promises' resolvers
  #waits = 0; // drawings still to come: a graph module or layout on its way, a canvas whose labels' font faces were not in

  /** strings: { png, csv, pngLabel(title), csvLabel(title), notDrawn(n, log) } */
  constructor(root, strings) {
    this.#root = root;
    this.#strings = strings;
    new ResizeObserver(() => this.#resize()).observe(root);
    // A new colour scheme needs charts drawn with the new colours.
    matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => this.#redrawAll());
  }

  clear() {
    for (const entry of this.#charts.values()) entry.chart?.destroy();
    this.#charts.clear();
    this.#pending.clear();
    this.#root.replaceChildren();
    this.#settle();
  }

  /** Resolves when every plot shown so far is drawn. */
  drawn() {
    if (this.#pending.size === 0 && this.#waits === 0) return Promise.resolve();
    return new Promise((resolve) => this.#waiting.push(resolve));
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
    this.#settle();
  }

  /** The latest spec shown under `id` (tests and tools). */
  data(id) {
    return this.#charts.get(id)?.plot ?? null;
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
    entry.figure.dataset.kind = plot.kind;
    entry.title.textContent = plot.title;
    entry.figure.dataset.series = JSON.stringify(summary(plot));
    entry.note.textContent = plot.dropped ? this.#strings.notDrawn(plot.dropped, plot.logY || plot.logZ) : '';
    entry.note.hidden = !plot.dropped;
    entry.buttons.png.hidden = plot.kind === 'graph'; // SVG, no canvas: its data is the CSV
    for (const [kind, button] of Object.entries(entry.buttons)) {
      const label = this.#strings[`${kind}Label`](plot.title || plot.id);
      button.setAttribute('aria-label', label);
      button.title = label;
    }
    this.#pending.set(plot.id, plot);
    this.#schedule();
  }

  #schedule() {
    if (this.#frame) return;
    const go = () => {
      cancelAnimationFrame(this.#frame.raf);
      clearTimeout(this.#frame.timer);
      this.#frame = null;
      this.#drawPending();
    };
    this.#frame = { raf: requestAnimationFrame(go), timer: setTimeout(go, HIDDEN_TAB_MS) };
  }

  #settle() {
    if (this.#pending.size || this.#waits) return;
    for (const resolve of this.#waiting.splice(0)) resolve();
  }

  #createFigure(plot) {
    const figure = document.createElement('figure');
    figure.className = 'plot';
    figure.dataset.plotId = plot.id;
    const head = document.createElement('div');
    head.className = 'plot-head';
    const title = document.createElement('figcaption');
    title.className = 'plot-title';
    const tools = document.createElement('div');
    tools.className = 'plot-tools';
    const buttons = {};
    for (const kind of ['png', 'csv']) {
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'button button-small';
      b.dataset.action = `download-${kind}`;
      b.innerHTML = `${ICON_DOWNLOAD}<span>${this.#strings[kind]}</span>`;
      b.addEventListener('click', () => this.#download(plot.id, kind));
      buttons[kind] = b;
      tools.append(b);
    }
    title.id = `plot-title-${++figures}`;
    figure.setAttribute('aria-labelledby', title.id);
    head.append(title, tools);
    const box = document.createElement('div');
    box.className = 'plot-canvas';
    const readout = document.createElement('p');
    readout.className = 'plot-readout';
    readout.setAttribute('aria-live', 'off');
    const note = document.createElement('p');
    note.className = 'plot-note';
    figure.append(head, box, readout, note);
    this.#root.append(figure);
    return { figure, title, box, note, readout, buttons, chart: null, plot };
  }

  #drawPending(only = null) {
    const start = performance.now();
    const colours = theme();
    for (const [id, plot] of this.#pending) {
      if (only !== null && id !== only) continue;
      if (only === null && performance.now() - start > FRAME_BUDGET_MS) break; // the rest next frame
      this.#pending.delete(id);
      const entry = this.#charts.get(id);
      if (entry) this.#draw(entry, plot, colours);
    }
    if (this.#pending.size) this.#schedule();
    this.#settle();
  }

  #draw(entry, plot, colours) {
    if (plot.kind === 'graph' && !graphModule) {
      // Not drawn for drawn() until it is: "Done in" counts the wait.
      this.#waits++;
      loadGraphModule().finally(() => {
        this.#waits--;
        if (this.#charts.get(plot.id) === entry) {
          this.#pending.set(plot.id, entry.plot);
          this.#schedule();
        }
        this.#settle();
      });
      return;
    }
    if (!(entry.chart && entry.chartKind === plot.kind && entry.chart.update(plot) !== false)) {
      entry.chart?.destroy();
      entry.box.replaceChildren();
      entry.chart = plot.kind === 'graph'
        ? new graphModule.GraphChart(entry.box, entry.readout, plot, colours, this.#strings.graph)
        : plot.kind === 'heatmap'
          ? new HeatmapChart(entry.box, entry.readout, plot, colours)
          : new UPlotChart(entry.box, plot, colours);
      entry.chartKind = plot.kind;
      if (plot.kind !== 'graph') this.#redrawOnceFontsLoad(entry, plot);
    }
    if (plot.kind === 'graph') {
      entry.figure.setAttribute('aria-description', describePlot(plot, this.#strings.plotAlt));
      // Laid out in a worker: not drawn for drawn() until it is on screen.
      this.#waits++;
      entry.chart.ready.finally(() => {
        this.#waits--;
        this.#settle();
      });
      return;
    }
    this.#describe(entry, plot);
  }

  // Axis labels are drawn on the canvas: once their font's faces are in, draw them again. Until
  // then the plot is not drawn for drawn(): "Done in" counts the second drawing.
  #redrawOnceFontsLoad(entry, plot) {
    const pending = canvasFontPending([plot.xLabel, plot.yLabel, chartWords().count].join(' '));
    if (!pending) return;
    this.#waits++;
    pending.then(() => {
      this.#waits--;
      if (this.#charts.get(plot.id) === entry) {
        entry.chart?.destroy();
        entry.chart = null;
        this.#pending.set(plot.id, entry.plot);
        this.#schedule();
      }
      this.#settle();
    });
  }

  /** The canvas is a picture: it gets a text alternative that says what it shows. */
  #describe(entry, plot) {
    const canvas = entry.chart?.canvas;
    if (!canvas) return;
    canvas.setAttribute('role', 'img');
    canvas.setAttribute('aria-label', describePlot(plot, this.#strings.plotAlt, this.#strings.chart.count));
  }

  #resize() {
    for (const entry of this.#charts.values()) entry.chart?.resize();
  }

  #redrawAll() {
    for (const entry of this.#charts.values()) {
      entry.chart?.destroy();
      entry.chart = null;
      this.#pending.set(entry.plot.id, entry.plot);
    }
    this.#schedule();
  }

  async #download(id, kind) {
    const entry = this.#charts.get(id);
    if (!entry) return;
    const stem = fileStem(entry.plot.title || entry.plot.id);
    if (kind === 'csv' && entry.plot.kind === 'graph') {
      const csv = graphModule.graphRows(entry.plot.graph).map((r) => r.map((x) => (/[",\n]/.test(String(x)) ? `"${String(x).replace(/"/g, '""')}"` : String(x))).join(',')).join('\n') + '\n';
      saveBlob(new Blob([csv], { type: 'text/csv;charset=utf-8' }), `${stem}.csv`);
      return;
    }
    if (kind === 'csv') {
      saveBlob(new Blob([plotToCSV(entry.plot)], { type: 'text/csv;charset=utf-8' }), `${stem}.csv`);
      return;
    }
    if (this.#pending.has(id)) this.#drawPending(id); // draw what the reader sees now
    const colours = theme();
    const blob = await chartToPNG({
      title: entry.plot.title,
      canvas: entry.chart.canvas,
      legend: entry.chart.legend ?? [],
      background: colours.bg,
      foreground: colours.fg,
    });
    saveBlob(blob, `${stem}.png`);
  }
}
