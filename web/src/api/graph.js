// gl.graph: the autograd graph behind a tensor, as plain data for plot({ kind: 'graph' }).
//
//   const g = gl.graph(loss, { names: model });            // the graph as it is now
//   const g = gl.graph(loss, { backward: true, names: { x, W1 } });
//       // captures the graph, then runs loss.backward() (the engine's own) with every step
//       // recorded: the gradient each node received and what it added into each input
//   plot({ kind: 'graph', of: g });     // or plot({ kind: 'graph', of: loss, backward: true })
//
// The engine does the walk (engine/src/analysis/graph.cpp): nodes in an order where inputs come
// before their users, `order` the order backward() runs the nodes' backward functions in (the
// engine's own topological sort), values in brief (numel, min, max, mean, norm, the first 64).

/** Adds gl.graph to kit.gl (see EXTENSIONS in gl.js). */
export function install(kit) {
  const { raw, gl, Tensor, Module, show } = kit;
  const { tensorArg, optionsArg } = kit.args;
  const MAX_NODES = raw.graphMaxNodes ?? 2000;

  // [[name, handle], ...] from a Module (its stateDict names), or { name: Tensor | Module }
  function namesArg(who, names) {
    if (names === undefined || names === null) return [];
    const out = [];
    const add = (prefix, m) => {
      for (const [k, p] of Object.entries(m.stateDict())) out.push([prefix + k, p._live(who)]);
    };
    if (names instanceof Module) { add('', names); return out; }
    if (typeof names !== 'object' || Array.isArray(names) || names instanceof Tensor) {
      throw new TypeError(`${who}: names must be a gl.nn.Module or an object { name: tensor or module }, got ${show(names)}`);
    }
    for (const [k, v] of Object.entries(names)) {
      if (v instanceof Tensor) out.push([k, v._live(who)]);
      else if (v instanceof Module) add(`${k}.`, v);
      else throw new TypeError(`${who}: names.${k} must be a tensor or a gl.nn.Module, got ${show(v)}`);
    }
    return out;
  }

  const summary = (s) => (s === null ? null : { ...s, values: Array.from(s.values) });

  /**
   * The graph behind t: { kind: 'autograd-graph', nodes, edges, order, steps }.
   * options: backward (run t.backward() recorded step by step), names, maxNodes (≤ 2000).
   */
  function graph(t, options) {
    const who = 'graph';
    const root = tensorArg(who, 'tensor', t);
    const o = optionsArg(who, options, { backward: false, names: null, maxNodes: MAX_NODES });
    if (typeof o.backward !== 'boolean') throw new TypeError(`${who}: backward must be true or false, got ${show(o.backward)}`);
    const named = namesArg(who, o.names);
    const r = root._asBefore(() => raw.graphCapture(root._live(who), named, o.maxNodes, o.backward));
    return {
      kind: 'autograd-graph',
      nodes: r.nodes.map((n) => ({ ...n, value: summary(n.value), grad: summary(n.grad) })),
      edges: r.edges,
      order: r.order,
      steps: r.steps === null ? null : r.steps.map((s) => ({
        node: s.node, grad: summary(s.grad), into: s.into.map((i) => ({ node: i.node, index: i.index, added: summary(i.added) })),
      })),
    };
  }

  gl.graph = graph;
  // plot({ kind: 'graph', of: tensor }) reaches the engine through this (runner/plot-spec.js is pure)
  Object.defineProperty(Tensor.prototype, '_autogradGraph', {
    value(options) { return graph(this, options); }, configurable: true, writable: true,
  });
}
