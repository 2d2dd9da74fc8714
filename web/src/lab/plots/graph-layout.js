// The autograd graph view's layout (graph-chart.js), run in graph-layout-worker.js: dagre takes
// 30-130 ms for a graph of a hundred boxes, which on the page's thread was a long task of its
// own while a run's plots drew.
import dagre from '@dagrejs/dagre';

/**
 * Lays out boxes and edges top to bottom. spec: { nodes: [[key, width, height]], edges: [[a, b]],
 * fastOrder: skip dagre's crossing-reduction passes (large graphs) }.
 * Returns { width, height, nodes: { key: [x, y, width, height] } (x, y: the centre),
 * edges: [[a, b, [[x, y], ...]]] }. Pure.
 */
export function layoutGraph({ nodes, edges, fastOrder }) {
  const g = new dagre.graphlib.Graph({ multigraph: false });
  g.setGraph({ rankdir: 'TB', nodesep: 14, ranksep: 26, marginx: 8, marginy: 8, ranker: 'tight-tree' });
  g.setDefaultEdgeLabel(() => ({}));
  for (const [key, width, height] of nodes) g.setNode(key, { width, height });
  for (const [a, b] of edges) g.setEdge(a, b);
  dagre.layout(g, { disableOptimalOrderHeuristic: Boolean(fastOrder) });
  const { width, height } = g.graph();
  return {
    width,
    height,
    nodes: Object.fromEntries(nodes.map(([key]) => {
      const n = g.node(key);
      return [key, [n.x, n.y, n.width, n.height]];
    })),
    edges: edges.map(([a, b]) => [a, b, g.edge(a, b).points.map((p) => [p.x, p.y])]),
  };
}
