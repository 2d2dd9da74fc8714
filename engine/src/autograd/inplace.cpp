// copy_: the one in-place write. It records no graph; the version it bumps lets backward()
// refuse a graph that saved the old values (backward.cpp).
#include "broadcast.h"
#include "gradlab/check.h"
#include "gradlab/grad_mode.h"
#include "gradlab/ops.h"

namespace gradlab {

Tensor& copy_(Tensor& x, const Tensor& src) {
  if (grad_enabled()) {
    GL_CHECK(!(x.is_leaf() && x.requires_grad()),
             "copy_: a leaf Variable that requires grad is being used in an in-place operation.");
    GL_CHECK(!src.requires_grad(), "copy_: src (made by ", src.op(), ") requires grad, and a copy "
             "passes no gradient back to it; copy src.detach(), or copy under noGrad");
  }
  const Shape &s = x.shape(), &from_shape = src.shape();
  bool fits = from_shape.size() <= s.size();  // src's dims, aligned right, are 1 or x's
  for (size_t k = 0; fits && k < from_shape.size(); ++k) {
    const int64_t d = from_shape[from_shape.size() - 1 - k];
    fits = d == 1 || d == s[s.size() - 1 - k];
  }
  GL_CHECK(fits, "copy_: src of shape ", shape_str(from_shape), " cannot be broadcast to the shape ",
           shape_str(s), " of the tensor written to");
  const broadcast::Operand from = broadcast::operand_for(src.shape(), s);
  const int64_t n = x.numel();
  if (x.ptr() == src.ptr()) return x;  // x.copy_(x): nothing changes
  const float* ps = src.data();
  float* px = x.data();
  for (int64_t i = 0; i < n; ++i) px[i] = ps[from(i)];
  ++x.node().version;
  return x;
}

}  // namespace gradlab
