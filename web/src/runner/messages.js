// The page reads what an experiment worker sends through here, and nothing
// else: a worker runs code from a shared link, so its messages are checked
// like any other input. A message of an unknown type, a field of the wrong
// type or output past the limits the worker's outbox keeps (outbox.js) is
// refused with a description, and the run ends with that error. Pure: no DOM.
import { LIMITS } from './outbox.js';
import { DOWNLOAD_LIMITS, DOWNLOAD_TYPES, sanitizeFileName } from './downloads.js';

const LEVELS = new Set(['log', 'info', 'warn', 'error', 'note']);
const PLOT_KINDS = new Set(['line', 'heatmap', 'histogram', 'graph']);
const HINTS = new Set(['storage', 'site', 'network', 'python']); // why the sandbox refused (worker.js), or Python in a JS cell (source.js)

function malformed(what) {
  throw new Error(`the experiment's worker sent a malformed message (${what}); the run was ended`);
}

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const isCount = (v) => Number.isInteger(v) && v >= 0;

function text(v, what, max = LIMITS.lineChars + 200) {
  if (typeof v !== 'string') malformed(`${what} is not a string`);
  if (v.length > max) malformed(`${what} has ${v.length} characters`);
  return v;
}

function finite(v, what) {
  if (typeof v !== 'number' || !Number.isFinite(v)) malformed(`${what} is not a finite number`);
  return v;
}

// Numbers or gaps (null); counts them against the plot's budget.
function values(v, what, budget) {
  if (!Array.isArray(v)) malformed(`${what} is not an array`);
  budget.left -= v.length;
  if (budget.left < 0) malformed(`a plot holds more than ${LIMITS.plotValues} values`);
  for (const n of v) if (n !== null && typeof n !== 'number') malformed(`${what} holds a ${typeof n}`);
  return v;
}

function series(list, length, budget) {
  if (!Array.isArray(list) || list.length === 0) malformed('a plot has no series');
  for (const s of list) {
    if (!isObject(s)) malformed('a series is not an object');
    text(s.name, 'a series name');
    values(s.values, `series "${s.name}"`, budget);
    if (s.values.length !== length) malformed(`series "${s.name}" has ${s.values.length} values for ${length} places`);
  }
}

// The autograd graph view's data (plot-spec.js normaliseGraph): ids in range, values counted.
const GRAPH_MAX_NODES = 2000;
function graphPlot(g, budget) {
  if (!isObject(g) || !Array.isArray(g.nodes) || !Array.isArray(g.edges) || !Array.isArray(g.order)) malformed('a graph plot without nodes, edges and order');
  const n = g.nodes.length;
  if (n > GRAPH_MAX_NODES) malformed(`a graph of ${n} nodes`);
  const id = (v, what) => (Number.isInteger(v) && v >= 0 && v < n ? v : malformed(`${what} is not a node id`));
  const summary = (s, what) => {
    if (s === null) return;
    if (!isObject(s)) malformed(`${what} is not an object`);
    for (const k of ['min', 'max', 'mean', 'norm']) if (s[k] !== null && typeof s[k] !== 'number') malformed(`${what}.${k}`);
    if (!isCount(s.numel)) malformed(`${what}.numel`);
    values(s.values, `${what}.values`, budget);
    if (s.values.length > 64) malformed(`${what} has more than 64 values`);
  };
  g.nodes.forEach((node, i) => {
    if (!isObject(node) || node.id !== i) malformed(`graph node ${i}`);
    text(node.op, 'a graph node\'s op', 200);
    text(node.name, 'a graph node\'s name', 200);
    values(node.shape, 'a graph node\'s shape', budget);
    if (typeof node.leaf !== 'boolean' || typeof node.requiresGrad !== 'boolean') malformed(`graph node ${i}'s flags`);
    summary(node.value, `graph node ${i}'s value`);
    summary(node.grad, `graph node ${i}'s grad`);
  });
  budget.left -= g.edges.length * 3 + g.order.length;
  if (budget.left < 0) malformed(`a plot holds more than ${LIMITS.plotValues} values`);
  g.edges.forEach((e, i) => {
    if (!isObject(e) || !isCount(e.index)) malformed(`graph edge ${i}`);
    id(e.from, `graph edge ${i}'s from`);
    id(e.to, `graph edge ${i}'s to`);
  });
  g.order.forEach((v, i) => id(v, `graph order[${i}]`));
  if (g.steps === null) return;
  if (!Array.isArray(g.steps)) malformed('a graph\'s steps');
  g.steps.forEach((st, i) => {
    if (!isObject(st) || !Array.isArray(st.into)) malformed(`graph step ${i}`);
    id(st.node, `graph step ${i}'s node`);
    summary(st.grad, `graph step ${i}'s grad`);
    st.into.forEach((t, k) => {
      if (!isObject(t) || !isCount(t.index)) malformed(`graph step ${i}'s input ${k}`);
      id(t.node, `graph step ${i}'s input ${k}`);
      summary(t.added, `graph step ${i}'s input ${k}'s added`);
    });
  });
}

function plot(p) {
  if (!isObject(p)) malformed('a plot is not an object');
  if (!PLOT_KINDS.has(p.kind)) malformed(`plot kind ${String(p.kind).slice(0, 40)}`);
  for (const field of ['id', 'title', 'xLabel', 'yLabel']) text(p[field], `a plot's ${field}`);
  if (!isCount(p.dropped)) malformed('a plot\'s count of dropped values');
  const budget = { left: LIMITS.plotValues };
  if (p.kind === 'line') {
    values(p.x, 'x', budget);
    series(p.series, p.x.length, budget);
  } else if (p.kind === 'graph') {
    graphPlot(p.graph, budget);
  } else if (p.kind === 'histogram') {
    values(p.edges, 'edges', budget);
    series(p.series, p.edges.length - 1, budget);
  } else {
    if (!Array.isArray(p.z) || p.z.length === 0) malformed('a heatmap has no rows');
    const columns = Array.isArray(p.z[0]) ? p.z[0].length : -1;
    p.z.forEach((row, i) => {
      values(row, `z[${i}]`, budget);
      if (row.length !== columns) malformed(`heatmap row ${i} has ${row.length} values for ${columns} columns`);
    });
    values(p.x, 'x', budget);
    values(p.y, 'y', budget);
    if (p.x.length !== columns || p.y.length !== p.z.length) malformed('heatmap labels do not fit z');
    text(p.zLabel, 'a heatmap\'s zLabel');
    if (p.zRange !== null && !(Array.isArray(p.zRange) && p.zRange.length === 2 && p.zRange.every(Number.isFinite))) {
      malformed('a heatmap\'s zRange');
    }
  }
  return p;
}

function item(it) {
  if (!isObject(it)) malformed('an output item is not an object');
  switch (it.kind) {
    case 'print':
      if (!LEVELS.has(it.level)) malformed(`print level ${String(it.level).slice(0, 40)}`);
      text(it.text, 'a printed line', LIMITS.lineChars);
      if (it.more !== undefined && !isCount(it.more)) malformed('a count of characters cut');
      return it;
    case 'skipped':
      if (!isCount(it.count)) malformed('a count of skipped lines');
      return it;
    case 'progress':
      finite(it.step, 'progress step');
      if (finite(it.total, 'progress total') <= 0) malformed('progress total <= 0');
      return it;
    case 'plot':
      plot(it.plot);
      return it;
    case 'download':
      text(it.name, 'a file name', DOWNLOAD_LIMITS.nameChars * 2);
      if (!DOWNLOAD_TYPES.includes(it.type)) malformed(`file type ${String(it.type).slice(0, 40)}`);
      if (!(it.bytes instanceof Uint8Array)) malformed('a file without bytes');
      if (it.bytes.length > DOWNLOAD_LIMITS.bytes) malformed(`a file of ${it.bytes.length} bytes`);
      it.name = sanitizeFileName(it.name);
      return it;
    default:
      return malformed(`output kind ${String(it.kind).slice(0, 40)}`);
  }
}

function error(e) {
  if (!isObject(e)) malformed('a failure without an error');
  const line = (v) => (v === null || v === undefined ? null : isCount(v) ? v : malformed('an error line'));
  return {
    name: text(e.name ?? 'Error', 'an error name', 200),
    message: text(e.message ?? '', 'an error message', 20_000),
    line: line(e.line),
    column: line(e.column),
    hint: e.hint === undefined || e.hint === null ? undefined : HINTS.has(e.hint) ? e.hint : malformed('an error hint'),
    trace: Array.isArray(e.trace)
      ? e.trace.slice(0, 50).map((f) => ({ fn: typeof f?.fn === 'string' ? f.fn.slice(0, 200) : null, line: line(f?.line), column: line(f?.column) }))
      : [],
  };
}

/** The message, checked; throws an Error that says what was wrong with it. */
export function readWorkerMessage(data) {
  if (!isObject(data)) return malformed('not an object');
  switch (data.type) {
    case 'ready':
      return { type: 'ready', ms: finite(data.ms, 'ready time') };
    case 'init-failed':
      return { type: 'init-failed', message: text(data.message, 'a start-up error', 2000) };
    case 'output': {
      if (!Array.isArray(data.items)) malformed('output without items');
      if (data.items.length > LIMITS.itemsPerBatch + 2) malformed(`${data.items.length} output items at once`);
      let chars = 0;
      for (const it of data.items) {
        item(it);
        if (it.kind === 'print') chars += it.text.length;
      }
      if (chars > LIMITS.batchChars + LIMITS.lineChars) malformed(`${chars} printed characters at once`);
      return { type: 'output', items: data.items };
    }
    case 'done':
      return { type: 'done', ms: finite(data.ms, 'run time') };
    case 'failed':
      return { type: 'failed', ms: finite(data.ms, 'run time'), error: error(data.error) };
    default:
      return malformed(`type ${String(data.type).slice(0, 40)}`);
  }
}
