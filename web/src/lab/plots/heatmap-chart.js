// A heatmap drawn on one canvas: cells, axes with labels, and a colour scale.
// Rows are drawn top to bottom (row 0 at the top), as in a matrix or an
// attention map. A view: it draws the normalised spec it is given
// (runner/plot-spec.js) and reports the value under the pointer.
import { viridis } from './colormap.js';
import { formatTick, formatValue, logTicks, niceTicks, tickLabels } from './ticks.js';
import { fraction, spanRange } from '../../runner/plot-span.js';
import { canvasFont, chartWords } from './text.js';

const HEIGHT = 280;
const MARGIN = { left: 62, right: 88, top: 10, bottom: 44 }; // right: at least; wider for long scale labels
const BAR_WIDTH = 14;

// The colour scale's ends: the spec's zRange when it gives one (values
// outside it take the end colours), else the data's own range; either made
// drawable (plot-span.js: a flat or ulps-wide range is widened, the span stays finite).
function range(plot) {
  let lo = Infinity;
  let hi = -Infinity;
  if (plot.zRange) [lo, hi] = plot.zRange;
  else {
    for (const row of plot.z) {
      for (const v of row) {
        if (v === null) continue;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
    }
  }
  if (lo === Infinity) return plot.logZ ? { lo: 1, hi: 10 } : { lo: 0, hi: 1 };
  if (plot.logZ) {
    // A factor of 2 each way when the ends are (nearly) one value.
    if (hi / lo > 1 + 1e-6) return { lo, hi };
    return { lo: Math.max(lo / 2, Number.MIN_VALUE), hi: Math.min(hi * 2, Number.MAX_VALUE) };
  }
  const [a, b] = spanRange(lo, hi);
  return { lo: a, hi: b };
}

// Index ticks: about `count` evenly spread columns (or rows), at round labels when the labels are 0..n-1.
function indexTicks(n, count) {
  if (n <= 1) return [0];
  const ticks = niceTicks(0, n - 1, count).filter((i) => Number.isInteger(i) && i >= 0 && i < n);
  return ticks.length ? ticks : [0, n - 1];
}

export class HeatmapChart {
  #box;
  #canvas;
  #readout;
  #plot;
  #colours;
  #layout = null;

  constructor(box, readout, plot, colours) {
    this.#box = box;
    this.#readout = readout;
    this.#canvas = document.createElement('canvas');
    this.#canvas.className = 'heatmap-canvas';
    box.append(this.#canvas);
    this.#canvas.addEventListener('mousemove', (e) => this.#hover(e));
    this.#canvas.addEventListener('mouseleave', () => (this.#readout.textContent = ''));
    this.#colours = colours;
    this.update(plot);
  }

  update(plot) {
    this.#plot = plot;
    this.draw(); // its text alternative, in the page's language, is the plot view's (plot-view.js)
  }

  resize() {
    this.draw();
  }

  destroy() {
    this.#canvas.remove();
  }

  /** The canvas as drawn (for PNG export). */
  get canvas() {
    return this.#canvas;
  }

  draw() {
    const plot = this.#plot;
    const c = this.#colours;
    const width = Math.max(this.#box.clientWidth, 240);
    const dpr = globalThis.devicePixelRatio || 1;
    const canvas = this.#canvas;
    canvas.width = Math.round(width * dpr);
    canvas.height = Math.round(HEIGHT * dpr);
    canvas.style.width = `${width}px`;
    canvas.style.height = `${HEIGHT}px`;
    const ctx = canvas.getContext('2d');
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, width, HEIGHT);

    const rows = plot.z.length;
    const cols = plot.z[0].length;
    const { lo, hi } = range(plot);
    const toT = plot.logZ
      ? (v) => (Math.log10(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo))
      : (v) => fraction(v, lo, hi);
    // The colour scale's ticks first: the right margin is as wide as their longest label.
    const ticks = plot.logZ ? logTicks(lo, hi, 6) : niceTicks(lo, hi, 5);
    const barTicks = (ticks.length >= 2 ? ticks : [lo, hi]).filter((v) => {
      const t = toT(v);
      return t >= -1e-9 && t <= 1 + 1e-9;
    });
    const labels = tickLabels(barTicks, plot.logZ);
    ctx.font = canvasFont(12);
    const widest = Math.max(0, ...labels.map((l) => ctx.measureText(l).width));
    const right = Math.max(MARGIN.right, Math.ceil(12 + BAR_WIDTH + 5 + widest + (plot.zLabel ? 22 : 6)));
    const area = {
      x: MARGIN.left,
      y: MARGIN.top,
      w: Math.max(20, width - MARGIN.left - right),
      h: HEIGHT - MARGIN.top - MARGIN.bottom,
    };
    this.#layout = { area, rows, cols };

    // The cells: one pixel each, scaled up without smoothing.
    const image = new ImageData(cols, rows);
    for (let r = 0; r < rows; r++) {
      for (let col = 0; col < cols; col++) {
        const v = plot.z[r][col];
        const i = (r * cols + col) * 4;
        if (v === null) continue; // transparent: undrawable
        const [red, green, blue] = viridis(toT(v));
        image.data[i] = red;
        image.data[i + 1] = green;
        image.data[i + 2] = blue;
        image.data[i + 3] = 255;
      }
    }
    const cells = new OffscreenCanvas(cols, rows);
    cells.getContext('2d').putImageData(image, 0, 0);
    ctx.imageSmoothingEnabled = false;
    ctx.fillStyle = c.grid;
    ctx.fillRect(area.x, area.y, area.w, area.h);
    ctx.drawImage(cells, area.x, area.y, area.w, area.h);

    ctx.font = canvasFont(12);
    ctx.fillStyle = c.fg;
    ctx.strokeStyle = c.fg;
    ctx.lineWidth = 1;

    // x axis: column labels under the cell centres.
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    const cw = area.w / cols;
    for (const i of indexTicks(cols, Math.max(2, Math.floor(area.w / 70)))) {
      const x = area.x + (i + 0.5) * cw;
      ctx.beginPath();
      ctx.moveTo(x, area.y + area.h);
      ctx.lineTo(x, area.y + area.h + 4);
      ctx.stroke();
      ctx.fillText(formatTick(plot.x[i], false), x, area.y + area.h + 6);
    }
    if (plot.xLabel) ctx.fillText(plot.xLabel, area.x + area.w / 2, HEIGHT - 16);

    // y axis: row labels beside the cell centres.
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    const rh = area.h / rows;
    for (const i of indexTicks(rows, Math.max(2, Math.floor(area.h / 36)))) {
      const y = area.y + (i + 0.5) * rh;
      ctx.beginPath();
      ctx.moveTo(area.x - 4, y);
      ctx.lineTo(area.x, y);
      ctx.stroke();
      ctx.fillText(formatTick(plot.y[i], false), area.x - 6, y);
    }
    if (plot.yLabel) {
      ctx.save();
      ctx.translate(14, area.y + area.h / 2);
      ctx.rotate(-Math.PI / 2);
      ctx.textAlign = 'center';
      ctx.fillText(plot.yLabel, 0, 0);
      ctx.restore();
    }

    // The colour scale, with its ticks and label.
    const barX = area.x + area.w + 12;
    for (let py = 0; py < area.h; py++) {
      const [red, green, blue] = viridis(1 - py / (area.h - 1));
      ctx.fillStyle = `rgb(${red},${green},${blue})`;
      ctx.fillRect(barX, area.y + py, BAR_WIDTH, 1);
    }
    ctx.fillStyle = c.fg;
    ctx.textAlign = 'left';
    for (const [k, v] of barTicks.entries()) {
      const t = toT(v);
      const y = area.y + (1 - t) * area.h;
      ctx.beginPath();
      ctx.moveTo(barX + BAR_WIDTH, y);
      ctx.lineTo(barX + BAR_WIDTH + 3, y);
      ctx.stroke();
      ctx.fillText(labels[k], barX + BAR_WIDTH + 5, y);
    }
    if (plot.zLabel) {
      ctx.save();
      ctx.translate(width - 8, area.y + area.h / 2);
      ctx.rotate(Math.PI / 2);
      ctx.textAlign = 'center';
      ctx.fillText(plot.zLabel, 0, 0);
      ctx.restore();
    }
  }

  #hover(event) {
    if (!this.#layout) return;
    const { area, rows, cols } = this.#layout;
    const rect = this.#canvas.getBoundingClientRect();
    const x = event.clientX - rect.left - area.x;
    const y = event.clientY - rect.top - area.y;
    if (x < 0 || y < 0 || x >= area.w || y >= area.h) {
      this.#readout.textContent = '';
      return;
    }
    const col = Math.min(cols - 1, Math.floor((x / area.w) * cols));
    const row = Math.min(rows - 1, Math.floor((y / area.h) * rows));
    const p = this.#plot;
    this.#readout.textContent = `${p.xLabel || 'x'} = ${formatTick(p.x[col])}, ${p.yLabel || 'y'} = ${formatTick(p.y[row])}: ${p.zLabel || chartWords().value} ${formatValue(p.z[row][col])}`;
  }
}
