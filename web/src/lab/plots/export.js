// Saving a plot: its data as CSV (pure) and its picture as PNG (a canvas with
// the title and legend drawn in, on the page's background).
import { canvasFont, canvasFontPending, chartWords } from './text.js';

function csvField(v) {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function csvRows(rows) {
  return rows.map((r) => r.map(csvField).join(',')).join('\n') + '\n';
}

/** The data of a normalised plot (runner/plot-spec.js) as CSV text. */
export function plotToCSV(plot) {
  if (plot.kind === 'heatmap') {
    const corner = `${plot.yLabel || 'y'} \\ ${plot.xLabel || 'x'}`;
    return csvRows([[corner, ...plot.x], ...plot.z.map((row, i) => [plot.y[i], ...row])]);
  }
  if (plot.kind === 'histogram') {
    const head = ['bin_start', 'bin_end', ...plot.series.map((s) => s.name || chartWords().count)];
    const rows = plot.series[0].values.map((_, i) => [plot.edges[i], plot.edges[i + 1], ...plot.series.map((s) => s.values[i])]);
    return csvRows([head, ...rows]);
  }
  return csvRows([[plot.xLabel || 'x', ...plot.series.map((s) => s.name)], ...plot.x.map((x, i) => [x, ...plot.series.map((s) => s.values[i])])]);
}

/** A file name from a plot title: "Loss (log)" -> "loss-log". */
export function fileStem(title, fallback = 'plot') {
  const stem = String(title ?? '')
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return stem || fallback;
}

/** Draws title + chart + legend on one canvas and resolves to a PNG Blob. */
export async function chartToPNG({ title, canvas, legend = [], background, foreground }) {
  // The faces the title and the legend need, loaded before they are drawn (text.js).
  await canvasFontPending(title, 14, 600);
  await canvasFontPending(legend.map((l) => l.name).join(' '));
  const dpr = canvas.width / (parseFloat(canvas.style.width) || canvas.width) || 1;
  const pad = 12 * dpr;
  const titleH = title ? 24 * dpr : 0;
  const legendH = legend.length ? 22 * dpr : 0;
  const out = document.createElement('canvas');
  out.width = canvas.width + 2 * pad;
  out.height = canvas.height + titleH + legendH + 2 * pad;
  const ctx = out.getContext('2d');
  ctx.fillStyle = background;
  ctx.fillRect(0, 0, out.width, out.height);
  ctx.fillStyle = foreground;
  ctx.textBaseline = 'top';
  if (title) {
    ctx.font = canvasFont(14 * dpr, 600);
    ctx.fillText(title, pad, pad);
  }
  ctx.drawImage(canvas, pad, pad + titleH);
  let x = pad;
  const y = pad + titleH + canvas.height + 6 * dpr;
  ctx.font = canvasFont(12 * dpr);
  for (const { name, colour } of legend) {
    ctx.fillStyle = colour;
    ctx.fillRect(x, y + 3 * dpr, 12 * dpr, 8 * dpr);
    ctx.fillStyle = foreground;
    ctx.fillText(name, x + 16 * dpr, y);
    x += (16 + 12) * dpr + ctx.measureText(name).width;
  }
  return new Promise((resolve, reject) => out.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG export failed'))), 'image/png'));
}

/** Offers a Blob to the reader as a file download. */
export function saveBlob(blob, filename) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
