// Runs the experiment blocks of a chapter in Node, the way the lab's worker runs them: the
// code is an async function body with gl, knob, plot, progress and print in scope. Knobs
// return their default unless `knobs` overrides them by label; plots are kept by title (the
// last spec wins, as on the page) and printed lines are collected.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The ```gradlab blocks of tutorials/<lang>/<file>: [{ id, title, seed, code }]. */
export function chapterCells(lang, file) {
  const text = fs.readFileSync(path.join(root, 'tutorials', lang, file), 'utf8');
  const cells = [];
  const fence = /^```gradlab([^\n]*)\n([\s\S]*?)^```\s*$/gm;
  for (let m; (m = fence.exec(text)); ) {
    const attrs = {};
    for (const a of m[1].matchAll(/(\w+)=("([^"]*)"|\S+)/g)) attrs[a[1]] = a[3] ?? a[2];
    cells.push({ ...attrs, seed: Number(attrs.seed ?? 0), code: m[2] });
  }
  return cells;
}

const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor;

/** Runs one cell; resolves to { lines, plots, knobs } (plots: title -> last spec). */
export async function runCell(gl, cell, knobs = {}) {
  const lines = [], plots = {}, seen = {};
  const knob = (label, value) => {
    seen[label] = value;
    return label in knobs ? knobs[label] : value;
  };
  const show = (v) => (v && typeof v.toArray === 'function' ? String(v) : typeof v === 'number' ? String(v) : String(v));
  const print = (...a) => lines.push(a.map(show).join(' '));
  const plot = (spec) => { plots[spec.id ?? spec.title] = spec; };
  const progress = () => {};
  const console = { log: print, warn: print, error: print, info: print };
  gl.manualSeed(cell.seed);
  await new AsyncFunction('gl', 'knob', 'plot', 'progress', 'print', 'console', cell.code)(
    gl, knob, plot, progress, print, console);
  return { lines, plots, knobs: seen };
}

/** The number after `label` in the printed lines, e.g. number(lines, 'rho_eff =') */
export function printed(lines, label) {
  for (const l of lines) {
    const i = l.indexOf(label);
    if (i >= 0) {
      const m = l.slice(i + label.length).match(/^\s*(-?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?|NaN|-?Infinity)/i);
      if (m) return Number(m[1]);
    }
  }
  throw new Error(`no line with '${label}' followed by a number in:\n${lines.join('\n')}`);
}
