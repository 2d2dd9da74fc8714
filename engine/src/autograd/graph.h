// How an op joins the graph. Every op builds its output, then calls record() with its
// inputs and a backward that *adds* into the inputs' grads (never assigns).
#pragma once
#include <initializer_list>
#include <utility>
#include <vector>

#include "gradlab/check.h"
#include "gradlab/grad_mode.h"
#include "gradlab/tensor.h"

namespace gradlab::autograd {

using BackwardFn = std::function<void(Node& out)>;

// Attaches `fn` to `out` if grad mode is on and any input requires grad.
inline Tensor record(const char* op, Tensor out, std::vector<Tensor> inputs, BackwardFn fn) {
  Node& node = out.node();
  node.op = op;
  if (!grad_enabled()) return out;
  bool any = false;
  for (const Tensor& t : inputs) any = any || t.requires_grad();
  if (!any) return out;
  node.requires_grad = true;
  node.inputs.reserve(inputs.size());
  node.saved_versions.reserve(inputs.size() + 1);
  node.saved_versions.push_back(node.version);
  for (const Tensor& t : inputs) {
    node.inputs.push_back(t.ptr());
    node.saved_versions.push_back(t.node().version);
  }
  node.backward = std::move(fn);
  return out;
}

// Grad buffer of input i of `out`, or nullptr when that input needs no gradient.
inline float* input_grad(Node& out, size_t i) {
  Node& in = *out.inputs[i];
  return in.requires_grad ? in.grad_data() : nullptr;
}

inline const float* out_grad(Node& out) { return out.grad->data.data(); }

// A dim in [-ndim, ndim) made non-negative, or an error naming the op, the dim and the shape.
inline int64_t wrap_dim(const char* op, int64_t dim, const Shape& s) {
  const int64_t nd = int64_t(s.size());
  GL_CHECK(dim >= -nd && dim < nd, op, ": dim ", dim, " is out of range for shape ", shape_str(s));
  return dim < 0 ? dim + nd : dim;
}

}  // namespace gradlab::autograd
