// The autograd graph view (plot({ kind: 'graph', of: loss })): one box per node of the graph
// the engine recorded (op or name, shape, its value in brief and, once known, its gradient),
// laid out with dagre in a worker (graph-layout.js) and drawn as SVG; a click (or Enter) on a
// box shows its values and gradient as a table; a step control walks backward() in the engine's
// order (plot.graph.order, from engine/src/analysis/graph.cpp), marking the node whose backward
// runs, the inputs it adds into and the edges between. A view: it draws the normalised spec
// (runner/plot-spec.js).
//
// Large graphs stay readable and quick to lay out: chains of single-input ops are one box, and
// past VISIBLE nodes the ones farthest from the root are one box; either expands on click.
import { formatValue } from './ticks.js';

const SVG = 'http://www.w3.org/2000/svg';
const BOX_W = 206;
const LINE_H = 15;
const VISIBLE = 120; // boxes laid out at once before the farthest are grouped (dagre: ~60-90 ms)
const CHAIN_AT = 40; // graphs past this many nodes get their long chains folded
const CHAIN_MIN = 4; // ... of at least this many ops
const COPY_AT = 3; // a leaf with more users than this is drawn once beside each

const v = formatValue;
// Drawn, not font glyphs (⏮ and ⏭ are missing from many fonts).
const icon = (d) => `<svg class="button-icon" viewBox="0 0 12 12" aria-hidden="true"><path d="${d}" fill="currentColor"/></svg>`;
const ICONS = {
  first: icon('M2 2h1.6v8H2zM10 2v8L4.2 6z'),
  prev: icon('M9 2v8L3.2 6z'),
  next: icon('M3 2v8l5.8-4z'),
  last: icon('M8.4 2H10v8H8.4zM2 2v8l5.8-4z'),
};
const shapeText = (s) => `[${s.join(', ')}]`;

// One layout worker for the page, started with its first graph. layoutOffThread(spec) resolves
// to { layout, ms } (graph-layout.js's layoutGraph) or rejects with the worker's error.
let layoutWorker = null;
let layouts = 0;
const waitingLayouts = new Map(); // id -> { resolve, reject }
function layoutOffThread(spec) {
  if (!layoutWorker) {
    layoutWorker = new Worker(new URL('./graph-layout-worker.js', import.meta.url), { type: 'module' });
    layoutWorker.onmessage = ({ data }) => {
      const waiting = waitingLayouts.get(data.id);
      waitingLayouts.delete(data.id);
      if (data.error) waiting?.reject(new Error(data.error));
      else waiting?.resolve(data);
    };
    layoutWorker.onerror = (e) => {
      e.preventDefault();
      for (const waiting of waitingLayouts.values()) waiting.reject(new Error(e.message || 'the graph layout worker did not start'));
      waitingLayouts.clear();
      layoutWorker = null; // the next graph starts another
    };
  }
  const id = ++layouts;
  return new Promise((resolve, reject) => {
    waitingLayouts.set(id, { resolve, reject });
    layoutWorker.postMessage({ id, spec });
  });
}

function el(name, attrs = {}, parent = null) {
  const e = document.createElementNS(SVG, name);
  for (const [k, val] of Object.entries(attrs)) e.setAttribute(k, String(val));
  parent?.append(e);
  return e;
}

function briefOf(s) {
  if (!s) return '';
  if (s.numel === 1) return `= ${v(s.values[0] ?? s.mean)}`;
  return `μ ${v(s.mean)} [${v(s.min)}, ${v(s.max)}]`;
}

/** The graph's structure: users, inputs, distance from the root. Pure. */
export function graphStructure(graph) {
  const n = graph.nodes.length;
  const inputs = Array.from({ length: n }, () => []);
  const users = Array.from({ length: n }, () => []);
  for (const e of graph.edges) {
    inputs[e.to].push(e.from);
    users[e.from].push(e.to);
  }
  const root = n - 1; // inputs come before their users: the root is last
  const depth = new Array(n).fill(Infinity);
  depth[root] = 0;
  for (let i = n - 1; i >= 0; i--) { // users have larger ids: one sweep down the ids
    if (depth[i] === Infinity) continue;
    for (const j of inputs[i]) depth[j] = Math.min(depth[j], depth[i] + 1);
  }
  return { inputs, users, depth, root };
}

/**
 * Which box each node is drawn in: its own, a folded chain's or the "farther nodes" box.
 * expanded: set of group keys the reader opened; limit: nodes shown before grouping the rest.
 * Returns { boxOf: key per node, groups: Map key -> { kind, members } }. Pure.
 */
export function groupNodes(graph, { expanded = new Set(), limit = VISIBLE } = {}) {
  const { inputs, users, depth } = graphStructure(graph);
  const n = graph.nodes.length;
  const boxOf = graph.nodes.map((_, i) => `n${i}`);
  const groups = new Map();
  const isOp = (i) => !graph.nodes[i].leaf;
  if (n > CHAIN_AT) {
    // a link u -> w: u is an op used only by w, and u is w's only op input
    const next = new Array(n).fill(-1);
    const prev = new Array(n).fill(-1);
    for (let u = 0; u < n; u++) {
      if (!isOp(u) || users[u].length !== 1) continue;
      const w = users[u][0];
      if (isOp(w) && inputs[w].filter(isOp).length === 1) { next[u] = w; prev[w] = u; }
    }
    for (let s = 0; s < n; s++) {
      if (prev[s] !== -1 || next[s] === -1) continue;
      const chain = [];
      for (let u = s; u !== -1; u = next[u]) chain.push(u);
      if (chain.length < CHAIN_MIN) continue;
      const key = `c${s}`;
      if (expanded.has(key)) continue;
      // the chain's own leaves (used by nothing else) go in with it
      const members = [...chain];
      for (const u of chain) for (const j of inputs[u]) if (!isOp(j) && users[j].every((w) => chain.includes(w))) members.push(j);
      groups.set(key, { kind: 'chain', members, ops: chain });
      for (const m of members) boxOf[m] = key;
    }
  }
  // Past the limit, the nodes farthest from the root share one box.
  const own = [...new Set(boxOf)];
  if (own.length > limit && !expanded.has('far')) {
    const rank = (key) => Math.min(...(groups.get(key)?.members ?? [Number(key.slice(1))]).map((i) => depth[i]));
    const sorted = own.sort((a, b) => rank(a) - rank(b));
    const far = sorted.slice(limit - 1);
    const members = [];
    for (const key of far) {
      const g = groups.get(key);
      if (g) { members.push(...g.members); groups.delete(key); } else members.push(Number(key.slice(1)));
    }
    groups.set('far', { kind: 'far', members });
    for (const m of members) boxOf[m] = 'far';
  }
  return { boxOf, groups };
}

/** One row per node: what the boxes and the details panel show, as CSV rows. Pure. */
export function graphRows(graph) {
  const stats = (s) => (s ? [s.numel, s.min, s.max, s.mean, s.norm] : ['', '', '', '', '']);
  const step = new Map(graph.order.map((id, k) => [id, k + 1]));
  return [
    ['id', 'op', 'name', 'shape', 'leaf', 'requires_grad', 'backward_step', 'numel', 'min', 'max', 'mean', 'norm', 'grad_numel', 'grad_min', 'grad_max', 'grad_mean', 'grad_norm'],
    ...graph.nodes.map((n) => [n.id, n.op, n.name, shapeText(n.shape), n.leaf, n.requiresGrad, step.get(n.id) ?? '', ...stats(n.value), ...stats(n.grad)]),
  ];
}

/** The steps of backward(): from a traced graph its recorded steps, else the order alone. Pure. */
export function backwardSteps(graph) {
  if (graph.steps) return graph.steps;
  const inputsOf = graphStructure(graph).inputs;
  return graph.order.map((node) => ({
    node, grad: null,
    into: inputsOf[node].filter((j, k, a) => graph.nodes[j].requiresGrad && a.indexOf(j) === k).map((j) => ({ node: j, index: 0, added: null })),
  }));
}

export class GraphChart {
  #box;
  #readout;
  #plot;
  #words;
  #root;
  #svgBox;
  #details;
  #status;
  #slider;
  #buttons = {};
  #svg = null;
  #expanded = new Set();
  #limit = VISIBLE;
  #step = 0;
  #selected = null;
  #steps = [];
  #layout = null; // { boxOf, groups, boxes: Map key -> g element, edges: [{from, to, path}] }
  #drawing = 0; // the latest draw(): a layout that comes back for an older one is dropped
  #ready = Promise.resolve(false);

  constructor(box, readout, plot, colours, words) {
    this.#box = box;
    this.#readout = readout;
    this.#words = words;
    this.#root = document.createElement('div');
    this.#root.className = 'graph-view';
    const controls = document.createElement('div');
    controls.className = 'graph-controls';
    const button = (action, text, label) => {
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'button button-small';
      b.dataset.action = action;
      b.innerHTML = ICONS[text];
      b.setAttribute('aria-label', label);
      b.title = label;
      controls.append(b);
      this.#buttons[action] = b;
      return b;
    };
    button('graph-first', 'first', words.first).addEventListener('click', () => this.setStep(0));
    button('graph-prev', 'prev', words.prev).addEventListener('click', () => this.setStep(this.#step - 1));
    this.#slider = document.createElement('input');
    this.#slider.type = 'range';
    this.#slider.className = 'graph-slider';
    this.#slider.min = '0';
    this.#slider.setAttribute('aria-label', words.stepLabel);
    this.#slider.addEventListener('input', () => this.setStep(Number(this.#slider.value)));
    controls.append(this.#slider);
    button('graph-next', 'next', words.next).addEventListener('click', () => this.setStep(this.#step + 1));
    button('graph-last', 'last', words.last).addEventListener('click', () => this.setStep(this.#steps.length));
    this.#status = document.createElement('p');
    this.#status.className = 'graph-status';
    this.#status.setAttribute('aria-live', 'polite');
    this.#svgBox = document.createElement('div');
    this.#svgBox.className = 'graph-scroll';
    this.#details = document.createElement('div');
    this.#details.className = 'graph-details';
    this.#details.hidden = true;
    this.#root.append(controls, this.#status, this.#svgBox, this.#details);
    box.append(this.#root);
    this.update(plot);
  }

  update(plot) {
    const first = !this.#plot;
    this.#plot = plot;
    this.#steps = backwardSteps(plot.graph);
    this.#slider.max = String(this.#steps.length);
    if (first || this.#step > this.#steps.length) this.#step = plot.graph.steps ? this.#steps.length : 0;
    if (this.#selected !== null && this.#selected >= plot.graph.nodes.length) this.#selected = null;
    this.draw();
  }

  resize() {}

  destroy() {
    this.#drawing++;
    this.#root.remove();
  }

  /** Settles when the latest draw() is on screen (true), or was overtaken or failed (false). */
  get ready() {
    return this.#ready;
  }

  /** No canvas: the PNG button has nothing to export (plot-view.js shows CSV only). */
  get canvas() {
    return null;
  }

  get step() {
    return this.#step;
  }

  /** The node ids the steps visit, in order (tests). */
  get order() {
    return this.#steps.map((s) => s.node);
  }

  /** Lays the graph out (in the worker) and draws it; returns this.ready. */
  draw() {
    const graph = this.#plot.graph;
    const { boxOf, groups } = groupNodes(graph, { expanded: this.#expanded, limit: this.#limit });
    // A leaf used by more than COPY_AT boxes (a weight shared by every time step) is drawn beside
    // each user: no edges across the whole graph, which are what makes a layout slow and tangled.
    const base = [...new Set(boxOf)];
    const edgeKeys = new Map(); // drawn edge "a>b" -> [a's node box, b's node box]
    const usersOf = new Map();
    for (const e of graph.edges) {
      const a = boxOf[e.from];
      const b = boxOf[e.to];
      if (a === b) continue;
      if (!usersOf.has(a)) usersOf.set(a, new Set());
      usersOf.get(a).add(b);
    }
    const copied = (key) => !groups.has(key) && graph.nodes[Number(key.slice(1))].leaf && (usersOf.get(key)?.size ?? 0) > COPY_AT;
    const keys = [];
    const baseOf = new Map();
    for (const key of base) {
      if (!copied(key)) { keys.push(key); baseOf.set(key, key); continue; }
      for (const user of usersOf.get(key)) { keys.push(`${key}@${user}`); baseOf.set(`${key}@${user}`, key); }
    }
    const traced = Boolean(graph.steps);
    const nodes = keys.map((key) => [key, BOX_W, (groups.has(key) ? 2 : (traced ? 4 : 3)) * LINE_H + 12]);
    for (const e of graph.edges) {
      let a = boxOf[e.from];
      const b = boxOf[e.to];
      if (a === b) continue;
      if (copied(a)) a = `${a}@${b}`;
      if (!edgeKeys.has(`${a}>${b}`)) edgeKeys.set(`${a}>${b}`, [a, b]);
    }
    const drawing = ++this.#drawing;
    this.#ready = layoutOffThread({ nodes, edges: [...edgeKeys.values()], fastOrder: keys.length > CHAIN_AT }).then(
      ({ layout, ms }) => {
        if (drawing !== this.#drawing) return false;
        this.#root.dataset.layoutMs = String(Math.round(ms));
        this.#build(layout, { keys, baseOf, boxOf, groups, base, traced });
        return true;
      },
      (err) => {
        if (drawing !== this.#drawing) return false;
        this.#status.textContent = String(err.message);
        return false;
      },
    );
    return this.#ready;
  }

  /** The SVG of a layout (layoutGraph's result) for the boxes draw() asked it for. */
  #build(layout, { keys, baseOf, boxOf, groups, base, traced }) {
    const started = performance.now();
    const graph = this.#plot.graph;
    const width = Math.ceil(layout.width);
    const height = Math.ceil(layout.height);
    const svg = el('svg', { class: 'graph-svg', width, height, viewBox: `0 0 ${width} ${height}`, role: 'group', 'aria-label': this.#words.alt(graph.nodes.length, this.#steps.length) });
    const defs = el('defs', {}, svg);
    const marker = el('marker', { id: `graph-arrow-${this.#uid}`, viewBox: '0 0 8 8', refX: 7, refY: 4, markerWidth: 9, markerHeight: 9, markerUnits: 'userSpaceOnUse', orient: 'auto-start-reverse' }, defs);
    el('path', { d: 'M0,0 L8,4 L0,8 z', class: 'graph-arrowhead' }, marker);
    const edgeLayer = el('g', { class: 'graph-edges' }, svg);
    const edges = [];
    for (const [a, b, pts] of layout.edges) {
      const d = pts.map(([x, y], i) => `${i ? 'L' : 'M'}${x.toFixed(1)},${y.toFixed(1)}`).join(' ');
      const path = el('path', { d, class: 'graph-edge', 'marker-end': `url(#graph-arrow-${this.#uid})`, 'data-from': a, 'data-to': b }, edgeLayer);
      edges.push({ from: baseOf.get(a), to: b, path });
    }
    const boxLayer = el('g', { class: 'graph-nodes' }, svg);
    const boxes = new Map();
    for (const key of keys) {
      const [x, y, w, h] = layout.nodes[key];
      const group = groups.get(key);
      const node = group ? null : graph.nodes[Number(baseOf.get(key).slice(1))];
      const kind = group ? 'group' : !node.leaf ? 'op' : node.requiresGrad ? 'param' : 'input';
      const box = el('g', { class: `graph-node graph-${kind}`, transform: `translate(${(x - w / 2).toFixed(1)},${(y - h / 2).toFixed(1)})`, tabindex: 0, role: 'button', 'data-box': key }, boxLayer);
      if (node) box.dataset.node = String(node.id);
      el('rect', { width: w, height: h, rx: group ? 10 : 5 }, box);
      const lines = group ? this.#groupLines(group) : this.#nodeLines(node);
      const texts = lines.map((text, i) => {
        const t = el('text', { x: 8, y: 6 + LINE_H * (i + 0.8), class: i === 0 ? 'graph-node-title' : 'graph-node-line' }, box);
        t.textContent = text;
        return t;
      });
      if (node && traced && node.requiresGrad) box.gradText = texts[3];
      box.setAttribute('aria-label', lines.join(', ') + (group ? `. ${this.#words.expand}` : ''));
      const activate = () => (group ? this.#expand(key) : this.select(node.id));
      box.addEventListener('click', activate);
      box.addEventListener('keydown', (e) => {
        if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); activate(); }
      });
      box.dataset.base = baseOf.get(key);
      boxes.set(key, box);
    }
    this.#svg?.remove();
    this.#svg = svg;
    this.#svgBox.append(svg);
    this.#layout = { boxOf, groups, boxes, edges };
    this.#root.dataset.boxes = String(base.length);
    this.#mark();
    this.#showDetails();
    this.#root.dataset.drawMs = String(Math.round(performance.now() - started));
  }

  // A random-free id for this chart's marker (several graphs on one page).
  get #uid() {
    this.#root.dataset.uid ??= String(++GraphChart.count);
    return this.#root.dataset.uid;
  }

  static count = 0;

  #label(node) {
    if (node.name) return node.leaf ? node.name : `${node.name} (${node.op})`;
    return node.op === 'leaf' ? (node.requiresGrad ? this.#words.param : this.#words.input) : node.op;
  }

  #nodeLines(node) {
    const lines = [this.#label(node), shapeText(node.shape), briefOf(node.value)];
    if (this.#plot.graph.steps && node.requiresGrad) {
      const g = this.#gradAt(node.id);
      lines.push(g ? `∇ ${briefOf(g)}` : '∇ –');
    }
    return lines;
  }

  #groupLines(group) {
    if (group.kind === 'far') return [this.#words.more(group.members.length), this.#words.expand];
    const ops = group.ops.map((i) => this.#plot.graph.nodes[i].op);
    return [`${ops[0]} → … → ${ops.at(-1)}`, this.#words.chain(ops.length)];
  }

  // The gradient a node holds after the first `step` steps: a node's own once its step has
  // come (its backward sees it in full); a leaf's once every step that adds into it has run.
  #gradAt(id) {
    const node = this.#plot.graph.nodes[id];
    if (!node.grad) return null;
    const k = this.#step;
    if (!node.leaf) return this.#steps.slice(0, k).some((s) => s.node === id) ? node.grad : null;
    let last = -1;
    this.#steps.forEach((s, i) => { if (s.into.some((t) => t.node === id)) last = i; });
    return last >= 0 && k > last ? node.grad : null;
  }

  #expand(key) {
    if (key === 'far') this.#limit += VISIBLE;
    const first = this.#layout.groups.get(key)?.members[0];
    this.#expanded.add(key);
    this.draw().then((drawn) => {
      if (!drawn) return;
      const box = [...this.#layout.boxes.values()].find((b) => b.dataset.base === this.#layout.boxOf[first]);
      box?.focus?.();
    });
  }

  /** Shows node id's values and gradient in the details panel. */
  select(id) {
    this.#selected = id;
    for (const box of this.#layout?.boxes.values() ?? []) box.classList.toggle('graph-selected', box.dataset.node === String(id));
    this.#showDetails();
  }

  /** Moves the backward walk to step k (0: before backward; N: all done). */
  setStep(k) {
    this.#step = Math.max(0, Math.min(this.#steps.length, Math.round(k)));
    for (const box of this.#layout?.boxes.values() ?? []) {
      if (!box.gradText) continue;
      const g = this.#gradAt(Number(box.dataset.node));
      box.gradText.textContent = g ? `∇ ${briefOf(g)}` : '∇ –';
    }
    this.#mark();
    this.#showDetails();
  }

  #mark() {
    if (!this.#layout) return; // drawn once its first layout is in
    const { boxOf, boxes, edges } = this.#layout;
    const k = this.#step;
    const n = this.#steps.length;
    this.#slider.value = String(k);
    this.#slider.setAttribute('aria-valuetext', k === 0 ? this.#words.start : this.#words.step(k, n));
    this.#buttons['graph-first'].disabled = this.#buttons['graph-prev'].disabled = k === 0;
    this.#buttons['graph-next'].disabled = this.#buttons['graph-last'].disabled = k === n;
    const current = k > 0 ? this.#steps[k - 1] : null;
    const done = new Set(this.#steps.slice(0, k).map((s) => boxOf[s.node]));
    const from = current ? boxOf[current.node] : null;
    const into = new Set(current ? current.into.map((t) => boxOf[t.node]) : []);
    for (const box of boxes.values()) {
      const key = box.dataset.base;
      box.classList.toggle('graph-step-done', done.has(key) && key !== from);
      box.classList.toggle('graph-step-current', key === from);
      box.classList.toggle('graph-step-target', into.has(key) && key !== from);
      box.classList.toggle('graph-selected', this.#selected !== null && box.dataset.node === String(this.#selected));
    }
    for (const e of edges) e.path.classList.toggle('graph-edge-flow', e.to === from && into.has(e.from));
    this.#root.dataset.step = String(k);
    this.#root.dataset.stepNode = current ? String(current.node) : '';
    if (!current) {
      this.#status.textContent = n === 0 ? this.#words.noSteps : this.#words.before(n);
      return;
    }
    const nodes = this.#plot.graph.nodes;
    const name = (i) => `${this.#label(nodes[i])} ${shapeText(nodes[i].shape)}`;
    const targets = current.into.map((t) => name(t.node));
    const grad = current.grad ? ` (∇ ${briefOf(current.grad)})` : '';
    this.#status.textContent = `${this.#words.step(k, n)}: ${this.#words.runs(name(current.node) + grad, targets)}`;
  }

  #showDetails() {
    const id = this.#selected;
    const d = this.#details;
    if (id === null) { d.hidden = true; d.replaceChildren(); return; }
    const w = this.#words;
    const node = this.#plot.graph.nodes[id];
    d.hidden = false;
    d.replaceChildren();
    d.dataset.node = String(id);
    const head = document.createElement('h4');
    head.className = 'graph-details-title';
    const kind = !node.leaf ? w.op : node.requiresGrad ? w.param : w.input;
    head.textContent = `${this.#label(node)} · ${kind} · ${shapeText(node.shape)}`;
    d.append(head);
    const current = this.#step > 0 ? this.#steps[this.#step - 1] : null;
    const sections = [[w.value, node.value]];
    const grad = this.#gradAt(id);
    if (grad) sections.push([w.grad, grad]);
    if (current?.node === id && current.grad && !grad) sections.push([w.grad, current.grad]);
    const added = current?.into.find((t) => t.node === id)?.added;
    if (added) sections.push([w.added(this.#label(this.#plot.graph.nodes[current.node])), added]);
    if (node.grad === null && this.#plot.graph.steps) {
      const p = document.createElement('p');
      p.className = 'graph-note';
      p.textContent = w.noGrad;
      d.append(p);
    }
    for (const [title, s] of sections) d.append(this.#table(title, s, node.shape));
  }

  // A summary line and the first values, laid out as the tensor's last dimension (a matrix's
  // rows), each cell tinted by its value (a small heatmap).
  #table(title, s, shape) {
    const w = this.#words;
    const wrap = document.createElement('section');
    wrap.className = 'graph-values';
    const h = document.createElement('h5');
    h.textContent = title;
    const stats = document.createElement('p');
    stats.className = 'graph-stats';
    stats.textContent = `${w.stats(s.numel, v(s.min), v(s.max), v(s.mean), v(s.norm))}${s.values.length < s.numel ? ` · ${w.firstOf(s.values.length, s.numel)}` : ''}`;
    wrap.append(h, stats);
    const cols = shape.length >= 2 ? Math.min(shape.at(-1), 16) : Math.min(s.values.length, 8) || 1;
    const table = document.createElement('table');
    table.className = 'graph-table';
    const big = s.values.reduce((m, x) => Math.max(m, Math.abs(x ?? 0)), 0) || 1;
    const perRow = shape.length >= 2 ? shape.at(-1) : cols;
    for (let r = 0; r * perRow < s.values.length; r++) {
      const tr = document.createElement('tr');
      for (let c = 0; c < cols && r * perRow + c < s.values.length; c++) {
        const x = s.values[r * perRow + c];
        const td = document.createElement('td');
        td.textContent = v(x);
        const a = Math.min(1, Math.abs(x ?? 0) / big) * 0.45;
        td.style.background = x >= 0 ? `rgba(47, 95, 208, ${a.toFixed(3)})` : `rgba(209, 73, 91, ${a.toFixed(3)})`;
        tr.append(td);
      }
      table.append(tr);
    }
    wrap.append(table);
    return wrap;
  }
}
