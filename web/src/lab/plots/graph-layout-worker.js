// A worker that lays out autograd graphs (graph-layout.js) off the page's thread.
import { layoutGraph } from './graph-layout.js';

self.onmessage = ({ data: { id, spec } }) => {
  const started = performance.now();
  try {
    const layout = layoutGraph(spec);
    self.postMessage({ id, layout, ms: performance.now() - started });
  } catch (err) {
    self.postMessage({ id, error: String(err?.message ?? err) });
  }
};
