// The autograd graph behind a tensor, as data for the page's graph view (gl.graph): its nodes
// (op, shape, values in brief), its edges, and the order backward() runs the nodes in, which is
// the engine's own (autograd::topo_order, the one backward() uses). traced_backward runs the
// engine's backward() with an observer that records, node by node, the gradient each received
// and what it added into each input.
#include <algorithm>
#include <cmath>
#include <limits>
#include <unordered_map>

#include "../autograd/trace.h"
#include "gradlab/analysis.h"
#include "gradlab/check.h"

namespace gradlab::analysis {

ValueSummary summarize(const std::vector<float>& values) {
  ValueSummary s;
  s.numel = int64_t(values.size());
  if (values.empty()) return s;
  double lo = std::numeric_limits<double>::infinity(), hi = -lo, sum = 0, sq = 0;
  for (float f : values) {
    const double v = f;
    lo = std::min(lo, v);
    hi = std::max(hi, v);
    sum += v;
    sq += v * v;
  }
  // std::min/max skip a NaN that is not first: say NaN when there is one anywhere.
  if (std::isnan(sum)) lo = hi = std::numeric_limits<double>::quiet_NaN();
  s.min = lo;
  s.max = hi;
  s.mean = sum / double(values.size());
  s.norm = std::sqrt(sq);
  s.head.assign(values.begin(), values.begin() + std::min<int64_t>(s.numel, kGraphHead));
  return s;
}

namespace {

struct Capture {
  AutogradGraph graph;
  std::unordered_map<const Node*, int64_t> ids;
  std::vector<NodePtr> keep;  // every node, alive while the trace runs (backward() drops inputs)
};

void freed_error(const char* who, const Node& n) {
  GL_CHECK(false, who, ": the graph through a tensor made by ", n.op, " was already freed by backward(); ",
           "capture it before backward(): gl.graph(t) then t.backward(), or gl.graph(t, { backward: true }) ",
           "to run backward() and record each step");
}

Capture capture(const Tensor& root, const std::vector<std::pair<std::string, Tensor>>& named,
                int64_t max_nodes, const char* who) {
  GL_CHECK(root.defined(), who, ": expected a tensor");
  GL_CHECK(max_nodes >= 1 && max_nodes <= kMaxGraphNodes, who, ": maxNodes must be in [1, ", kMaxGraphNodes,
           "], got ", max_nodes);
  Capture c;
  std::unordered_map<const Node*, std::string> names;
  for (const auto& [name, t] : named)
    if (t.defined()) names.emplace(&t.node(), name);

  // Post-order over every input (also those that need no grad: x, targets), inputs first.
  std::vector<std::pair<NodePtr, size_t>> stack{{root.ptr(), 0}};
  std::unordered_map<const Node*, bool> seen{{&root.node(), true}};
  while (!stack.empty()) {
    auto& [node, next] = stack.back();
    if (node->graph_freed) freed_error(who, *node);
    if (next < node->inputs.size()) {
      NodePtr in = node->inputs[next++];
      if (seen.emplace(in.get(), true).second) stack.push_back({in, 0});
      continue;
    }
    GL_CHECK(int64_t(c.graph.nodes.size()) < max_nodes, who, ": the graph behind this tensor has more than ",
             max_nodes, " nodes; draw a smaller piece (a shorter sequence, fewer layers), or the loss of one ",
             "batch element");
    GraphNode g;
    g.id = int64_t(c.graph.nodes.size());
    g.op = node->op;
    auto name = names.find(node.get());
    if (name != names.end()) g.name = name->second;
    g.shape = node->shape;
    g.leaf = node->is_leaf();
    g.requires_grad = node->requires_grad;
    g.value = summarize(node->data);
    c.ids.emplace(node.get(), g.id);
    c.graph.nodes.push_back(std::move(g));
    c.keep.push_back(node);
    stack.pop_back();
  }
  for (const NodePtr& n : c.keep) {
    const int64_t to = c.ids.at(n.get());
    for (size_t k = 0; k < n->inputs.size(); ++k)
      c.graph.edges.push_back({c.ids.at(n->inputs[k].get()), to, int64_t(k)});
  }
  // backward()'s order: its topological sort, run from the back; leaves run nothing.
  if (root.requires_grad()) {
    const std::vector<Node*> topo = autograd::topo_order(&root.node());
    for (auto it = topo.rbegin(); it != topo.rend(); ++it)
      if ((*it)->backward) c.graph.order.push_back(c.ids.at(*it));
  }
  return c;
}

// Records each step of backward() into the capture's graph.
class Recorder : public autograd::BackwardObserver {
 public:
  explicit Recorder(Capture& c) : c_(c) { autograd::set_backward_observer(this); }
  ~Recorder() override { autograd::set_backward_observer(nullptr); }

  void before(Node& n) override {
    GraphStep step;
    auto id = c_.ids.find(&n);
    step.node = id == c_.ids.end() ? -1 : id->second;
    step.grad = summarize(n.grad->data);
    before_.clear();
    for (size_t k = 0; k < n.inputs.size(); ++k) {
      Node& in = *n.inputs[k];
      if (!in.requires_grad) continue;
      const int64_t in_id = c_.ids.count(&in) ? c_.ids.at(&in) : -1;
      if (std::find(step.into.begin(), step.into.end(), in_id) != step.into.end()) continue;
      step.into.push_back(in_id);
      step.into_index.push_back(int64_t(k));
      before_.push_back(in.grad ? in.grad->data : std::vector<float>(in.data.size(), 0.0f));
    }
    current_ = std::move(step);
  }

  void after(Node& n) override {
    size_t j = 0;
    for (size_t k = 0; k < n.inputs.size() && j < current_.into.size(); ++k) {
      if (int64_t(k) != current_.into_index[j]) continue;
      const Node& in = *n.inputs[k];
      std::vector<float> delta = before_[j];
      if (in.grad)
        for (size_t i = 0; i < delta.size(); ++i) delta[i] = in.grad->data[i] - delta[i];
      current_.added.push_back(summarize(delta));
      ++j;
    }
    c_.graph.steps.push_back(std::move(current_));
    current_ = GraphStep();
  }

 private:
  Capture& c_;
  GraphStep current_;
  std::vector<std::vector<float>> before_;
};

}  // namespace

AutogradGraph capture_graph(const Tensor& root, const std::vector<std::pair<std::string, Tensor>>& named,
                            int64_t max_nodes, const char* who) {
  return capture(root, named, max_nodes, who).graph;
}

AutogradGraph traced_backward(const Tensor& root, const std::vector<std::pair<std::string, Tensor>>& named,
                              int64_t max_nodes, const char* who) {
  Capture c = capture(root, named, max_nodes, who);
  GL_CHECK(root.requires_grad(), who, ": backward: this tensor (made by ", root.op(),
           ") does not require grad: no input of the graph has requires_grad");
  GL_CHECK(root.numel() == 1, who, ": backward needs a scalar (a loss) to start from 1, got shape ",
           shape_str(root.shape()), "; call sum() or mean() first");
  {
    Recorder recorder(c);
    root.backward();
  }
  c.graph.traced = true;
  for (const GraphStep& s : c.graph.steps) {
    if (s.node < 0) continue;
    c.graph.nodes[size_t(s.node)].has_grad = true;
    c.graph.nodes[size_t(s.node)].grad = s.grad;
  }
  for (size_t i = 0; i < c.keep.size(); ++i) {
    const Node& n = *c.keep[i];
    if (c.graph.nodes[i].leaf && n.grad) {
      c.graph.nodes[i].has_grad = true;
      c.graph.nodes[i].grad = summarize(n.grad->data);
    }
  }
  return c.graph;
}

}  // namespace gradlab::analysis
