// Reverse-mode sweep: topological order from the root, then each node's backward in reverse.
#include <algorithm>
#include <unordered_set>

#include "gradlab/check.h"
#include "gradlab/grad_mode.h"
#include "gradlab/tensor.h"
#include "trace.h"

namespace gradlab {

namespace autograd {
namespace {
thread_local BackwardObserver* g_observer = nullptr;
}
void set_backward_observer(BackwardObserver* observer) { g_observer = observer; }

std::vector<Node*> topo_order(Node* root) {
  std::vector<Node*> order;
  std::unordered_set<Node*> seen;
  std::vector<std::pair<Node*, size_t>> stack{{root, 0}};
  seen.insert(root);
  while (!stack.empty()) {
    auto& [node, next] = stack.back();
    if (next < node->inputs.size()) {
      Node* in = node->inputs[next++].get();
      if (in->requires_grad && seen.insert(in).second) stack.push_back({in, 0});
    } else {
      order.push_back(node);
      stack.pop_back();
    }
  }
  return order;  // inputs before the nodes that use them
}
}  // namespace autograd

namespace {
thread_local bool g_grad_enabled = true;
using autograd::topo_order;

// A node's backward reads the values its op saw: refuse if copy_ overwrote them since.
void check_versions(const Node& n) {
  if (!n.backward || n.saved_versions.empty()) return;
  for (size_t k = 0; k < n.saved_versions.size(); ++k) {
    const Node& v = k == 0 ? n : *n.inputs[k - 1];
    GL_CHECK(v.version == n.saved_versions[k],
             "backward: one of the variables needed for gradient computation has been modified "
             "by an inplace operation: a tensor of shape ", shape_str(v.shape), " (made by ", v.op,
             ", used by ", n.op, ") was written by copy_ after the graph used it; write after "
             "backward(), or clone() it first");
  }
}
}  // namespace

bool grad_enabled() { return g_grad_enabled; }
NoGradGuard::NoGradGuard() : prev_(g_grad_enabled) { g_grad_enabled = false; }
NoGradGuard::~NoGradGuard() { g_grad_enabled = prev_; }

void Tensor::backward() const {
  GL_CHECK(numel() == 1, "backward: the root must be a scalar to start from 1, got shape ",
           shape_str(shape()), "; call sum() or mean() first, or pass a seed gradient");
  backward(Tensor::ones(shape()));
}

void Tensor::backward(const Tensor& seed) const {
  Node& root = node();
  GL_CHECK(root.requires_grad, "backward: this tensor (made by ", root.op,
           ") does not require grad: no input of the graph has requires_grad");
  GL_CHECK(seed.shape() == root.shape, "backward: seed gradient ", shape_str(seed.shape()),
           " does not match the tensor ", shape_str(root.shape));

  std::vector<Node*> order = topo_order(&root);
  for (Node* n : order) {
    GL_CHECK(!n->graph_freed, "backward: the graph through a tensor made by ", n->op,
             " was already freed by an earlier backward(); detach() tensors that are carried "
             "from one step to the next");
    check_versions(*n);
  }
  float* g = root.grad_data();
  for (size_t i = 0; i < seed.vec().size(); ++i) g[i] += seed.data()[i];

  for (auto it = order.rbegin(); it != order.rend(); ++it) {
    Node* n = *it;
    if (!n->backward) continue;  // a leaf
    if (!n->grad) continue;
    if (autograd::g_observer) autograd::g_observer->before(*n);
    n->backward(*n);
    if (autograd::g_observer) autograd::g_observer->after(*n);
  }
  // Free the graph (like PyTorch without retain_graph) and intermediate grads.
  for (Node* n : order) {
    if (!n->backward) continue;
    n->backward = nullptr;
    n->inputs.clear();
    n->saved_versions.clear();
    n->graph_freed = true;
    if (!n->retains_grad) n->grad.reset();
  }
}

}  // namespace gradlab
