// The engine's backward sweep, seen from outside: the order it runs node backward functions
// in (one implementation, backward.cpp), and a hook called around each of them, which
// analysis::traced_backward uses to record the gradients as they are accumulated.
#pragma once
#include <vector>

#include "gradlab/tensor.h"

namespace gradlab::autograd {

// Nodes reachable from root through inputs that require grad, inputs before the nodes that use
// them; backward() runs them from the back (root first).
std::vector<Node*> topo_order(Node* root);

// Called by backward() for each node whose backward runs: before(n) when n's grad is complete,
// after(n) once n has added into its inputs' grads. One observer at a time (nullptr: none).
struct BackwardObserver {
  virtual ~BackwardObserver() = default;
  virtual void before(Node& n) = 0;
  virtual void after(Node& n) = 0;
};
void set_backward_observer(BackwardObserver* observer);

}  // namespace gradlab::autograd
