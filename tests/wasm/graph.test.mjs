// gl.graph and plot({ kind: 'graph' }) over the built engine: the graph of a 2-layer MLP (nodes,
// ops, edges, the engine's backward order), the traced backward against autograd's own
// gradients and the chain rule, the plot spec and the page's message check, the caps, and the
// page's grouping of a large graph (lab/plots/graph-chart.js, pure parts).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { loadEngine } from './load-engine.mjs';
import { normalisePlotSpec } from '../../web/src/runner/plot-spec.js';
import { readWorkerMessage } from '../../web/src/runner/messages.js';
import { backwardSteps, graphRows, groupNodes } from '../../web/src/lab/plots/graph-chart.js';

let gl;
before(async () => { gl = await loadEngine(); });

// x (4, 3) -> Linear(3, 5) -> tanh -> Linear(5, 2) -> MSE against y
function mlp(seed = 5) {
  gl.manualSeed(seed);
  const l1 = new gl.nn.Linear(3, 5);
  const l2 = new gl.nn.Linear(5, 2);
  const x = gl.randn([4, 3]);
  const y = gl.randn([4, 2]);
  const lossFn = new gl.nn.MSELoss();
  const loss = () => lossFn.forward(l2.forward(l1.forward(x).tanh()), y);
  return { l1, l2, x, y, loss };
}
const byName = (g, name) => g.nodes.find((n) => n.name === name);
const close = (a, b, tol, what) => {
  assert.equal(a.length, b.length, `${what}: lengths`);
  a.forEach((v, i) => assert.ok(Math.abs(v - b[i]) <= tol, `${what}[${i}]: ${v} vs ${b[i]}`));
};

test('gl.graph of a 2-layer MLP: its nodes, ops, edges and the engine\'s backward order', () => {
  const m = mlp();
  const loss = m.loss();
  const g = gl.graph(loss, { names: { x: m.x, y: m.y, l1: m.l1, l2: m.l2 } });
  assert.equal(g.kind, 'autograd-graph');
  assert.equal(g.nodes.length, 10);
  assert.deepEqual(g.nodes.map((n) => n.id), [...g.nodes.keys()]);
  const root = g.nodes.at(-1);
  assert.equal(root.op, loss.op);
  assert.equal(root.value.numel, 1);
  assert.deepEqual(g.nodes.filter((n) => n.leaf).map((n) => n.name).sort(), ['l1.bias', 'l1.weight', 'l2.bias', 'l2.weight', 'x', 'y']);
  assert.equal(byName(g, 'l1.weight').requiresGrad, true);
  assert.equal(byName(g, 'x').requiresGrad, false);
  close(byName(g, 'l1.weight').value.values, Array.from(m.l1.weight.toArray()), 0, 'W1 values');
  assert.equal(byName(g, 'l1.weight').value.numel, 15);
  // edges: each Linear takes (x, W, b), tanh one input, the loss (prediction, target)
  assert.equal(g.edges.length, 9);
  const inputsOf = (id) => g.edges.filter((e) => e.to === id).sort((a, b) => a.index - b.index).map((e) => e.from);
  const tanhNode = g.nodes.find((n) => n.op === 'tanh');
  const [lin1] = inputsOf(tanhNode.id);
  assert.deepEqual(inputsOf(lin1).map((i) => g.nodes[i].name), ['x', 'l1.weight', 'l1.bias']);
  const [lin2, target] = inputsOf(root.id);
  assert.equal(g.nodes[target].name, 'y');
  assert.deepEqual(inputsOf(lin2).map((i) => g.nodes[i].name || g.nodes[i].op), ['tanh', 'l2.weight', 'l2.bias']);
  // backward runs the loss, the second layer, tanh, the first layer
  assert.deepEqual(g.order, [root.id, lin2, tanhNode.id, lin1]);
  assert.equal(g.steps, null);
  assert.equal(root.grad, null);
  // capturing ran nothing: backward still works, once
  loss.backward();
  assert.ok(m.l1.weight.grad);
});

test('gl.graph(loss, { backward: true }) records the engine\'s steps; its gradients are autograd\'s', () => {
  const plain = mlp();
  plain.loss().backward();
  const want = { W1: Array.from(plain.l1.weight.grad.toArray()), b2: Array.from(plain.l2.bias.grad.toArray()) };

  const m = mlp();
  const before = gl.graph(m.loss());
  const loss = m.loss();
  const g = gl.graph(loss, { backward: true, names: { l1: m.l1, l2: m.l2 } });
  assert.deepEqual(g.steps.map((s) => s.node), g.order, 'the steps are the order, as run');
  assert.deepEqual(g.order, before.order);
  assert.deepEqual(g.steps[0].grad.values, [1], 'the root starts from 1');
  close(byName(g, 'l1.weight').grad.values, want.W1, 1e-7, 'traced dL/dW1');
  close(byName(g, 'l2.bias').grad.values, want.b2, 1e-7, 'traced dL/db2');
  close(Array.from(m.l1.weight.grad.toArray()), want.W1, 1e-7, 'W1.grad after the traced backward');
  assert.throws(() => loss.backward(), /already freed/);

  // the chain rule at the tanh step: what it adds into its input is g ⊙ (1 − tanh²)
  const tanhStep = g.steps.find((s) => g.nodes[s.node].op === 'tanh');
  const t = g.nodes[tanhStep.node].value.values;
  const gin = tanhStep.grad.values;
  assert.equal(tanhStep.into.length, 1);
  close(tanhStep.into[0].added.values, gin.map((gv, i) => gv * (1 - t[i] * t[i])), 1e-6, 'tanh backward');
  // a Linear step adds into x? no: x needs no gradient; into W and b only
  const lin1 = g.steps.at(-1);
  assert.deepEqual(lin1.into.map((i) => g.nodes[i.node].name), ['l1.weight', 'l1.bias']);
  assert.deepEqual(lin1.into.map((i) => i.index), [1, 2]);
});

test('plot({ kind: \'graph\' }): from a tensor or from gl.graph; the page\'s check accepts it', () => {
  const m = mlp();
  const p = normalisePlotSpec({ kind: 'graph', title: 'MLP', of: m.loss(), backward: true, names: m.l1 });
  assert.equal(p.kind, 'graph');
  assert.equal(p.graph.nodes.length, 10);
  assert.equal(p.graph.steps.length, 4);
  assert.ok(m.l1.weight.grad, 'backward: true ran backward');
  const msg = readWorkerMessage({ type: 'output', items: [{ kind: 'plot', plot: structuredClone(p) }] });
  assert.equal(msg.items[0].plot.graph.nodes.length, 10);
  // the same from gl.graph's result
  const q = normalisePlotSpec({ kind: 'graph', of: gl.graph(mlp().loss()) });
  assert.equal(q.graph.steps, null);
  assert.deepEqual(backwardSteps(q.graph).map((s) => s.node), q.graph.order);
  assert.equal(graphRows(q.graph).length, 11);
  // a tampered message is refused
  const bad = structuredClone(p);
  bad.graph.edges[0].from = 99;
  assert.throws(() => readWorkerMessage({ type: 'output', items: [{ kind: 'plot', plot: bad }] }), /malformed message/);
});

test('errors: a freed graph, too many nodes, a non-scalar backward, bad options', () => {
  const m = mlp();
  const loss = m.loss();
  loss.backward();
  assert.throws(() => gl.graph(loss), /^Error: graph: the graph through a tensor made by .* already freed by backward\(\)/);
  assert.throws(() => normalisePlotSpec({ kind: 'graph', of: loss }), /graph: .*already freed/);
  assert.throws(() => gl.graph(mlp().loss(), { maxNodes: 5 }), /^Error: graph: the graph behind this tensor has more than 5 nodes/);
  assert.throws(() => gl.graph(mlp().loss(), { maxNodes: 5000 }), /maxNodes/);
  assert.throws(() => gl.graph(gl.randn([3], { requiresGrad: true }).tanh(), { backward: true }), /^Error: graph: backward needs a scalar/);
  assert.throws(() => gl.graph(mlp().loss(), { backwards: true }), /unknown option 'backwards'/);
  assert.throws(() => gl.graph([1, 2]), /^TypeError: graph: /);
  assert.throws(() => normalisePlotSpec({ kind: 'graph', of: [1, 2] }), /plot: a graph needs of: a tensor/);
});

test('a graph of 312 nodes: chains fold, the farthest nodes share a box, each opens on request', () => {
  // 26 chains (w ⊙ r, 8 tanh, sum) added up: 312 nodes, long chains
  gl.manualSeed(1);
  const w = gl.randn([4], { requiresGrad: true });
  let total = null;
  for (let k = 0; k < 26; k++) {
    let h = w.mul(gl.randn([4]));
    for (let i = 0; i < 8; i++) h = h.tanh();
    total = total === null ? h.sum() : total.add(h.sum());
  }
  const g = normalisePlotSpec({ kind: 'graph', of: total, backward: true }).graph;
  assert.ok(g.nodes.length === 312, `${g.nodes.length} nodes`);
  const { boxOf, groups } = groupNodes(g);
  const boxes = new Set(boxOf).size;
  assert.ok(boxes <= 120, `${boxes} boxes`);
  assert.equal([...groups.values()].filter((x) => x.kind === 'chain').length, 26, 'each tanh chain is one box');
  // past the limit the nodes farthest from the root are one box, which opens by another limit's worth
  const capped = groupNodes(g, { limit: 30 });
  assert.equal(new Set(capped.boxOf).size, 30);
  assert.equal(capped.boxOf[g.nodes.length - 1], `n${g.nodes.length - 1}`, 'the root keeps its box');
  assert.ok(capped.groups.get('far').members.length > 100);
  assert.equal(new Set(groupNodes(g, { limit: 60 }).boxOf).size, boxes);
  // expanding a chain shows its ops again
  const key = [...groups.keys()].find((k) => k !== 'far');
  const open = groupNodes(g, { expanded: new Set([key]) });
  assert.ok(!open.groups.has(key));
  assert.ok(new Set(open.boxOf).size > boxes);
  // every step's gradient of w adds up to w.grad
  const wid = g.nodes.findIndex((n) => n.leaf && n.requiresGrad);
  const sum = [0, 0, 0, 0];
  for (const s of g.steps) for (const t of s.into) if (t.node === wid) t.added.values.forEach((a, i) => { sum[i] += a; });
  close(sum, Array.from(w.grad.toArray()), 1e-5, 'Σ added into w');
});
