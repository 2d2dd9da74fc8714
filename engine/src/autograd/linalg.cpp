// matmul and transpose.
#include "gradlab/check.h"
#include "gradlab/kernels.h"
#include "gradlab/ops.h"
#include "graph.h"

namespace gradlab {

using autograd::input_grad;
using autograd::out_grad;
using autograd::record;

// ---- matmul: y (R, M) = a (R, K) · b (K, M); a may carry leading dims (B, T, K)
Tensor matmul(const Tensor& a, const Tensor& b) {
  GL_CHECK(a.dim() >= 1 && b.dim() == 2, "matmul: expected a (..., K) and b (K, M), got ",
           shape_str(a.shape()), " and ", shape_str(b.shape()));
  int64_t K = a.size(-1), M = b.size(1);
  GL_CHECK(b.size(0) == K, "matmul: inner sizes differ: ", shape_str(a.shape()), " @ ",
           shape_str(b.shape()), " (", K, " != ", b.size(0), ")");
  int64_t R = 1;  // rows: the product of a's leading dims
  for (int64_t i = 0; i + 1 < a.dim(); ++i) R *= a.size(i);
  Shape out_shape = a.shape();
  out_shape.back() = M;
  Tensor y = Tensor::empty(out_shape, "matmul");
  kernels::gemm(false, false, R, M, K, a.data(), b.data(), 0.f, y.data());
  return record("matmul", y, {a, b}, [R, K, M](Node& y) {
    const float* dy = out_grad(y);  // (R, M)
    // forward: y = a · b  =>  da += dy · bᵀ, db += aᵀ · dy
    if (float* da = input_grad(y, 0))
      kernels::gemm(false, true, R, K, M, dy, y.inputs[1]->data.data(), 1.f, da);
    if (float* db = input_grad(y, 1))
      kernels::gemm(true, false, K, M, R, y.inputs[0]->data.data(), dy, 1.f, db);
  });
}

// ---- transpose: y (C, R) = xᵀ, x (R, C)
Tensor transpose(const Tensor& x) {
  GL_CHECK(x.dim() == 2, "transpose: expected a 2-D tensor, got ", shape_str(x.shape()));
  int64_t R = x.size(0), C = x.size(1);
  Tensor y = Tensor::empty({C, R}, "transpose");
  const float* px = x.data();
  float* py = y.data();
  for (int64_t r = 0; r < R; ++r)
    for (int64_t c = 0; c < C; ++c) py[c * R + r] = px[r * C + c];
  return record("transpose", y, {x}, [R, C](Node& y) {
    // forward: y[c, r] = x[r, c]  =>  dx[r, c] += dy[c, r]
    const float* dy = out_grad(y);
    float* dx = input_grad(y, 0);
    for (int64_t r = 0; r < R; ++r)
      for (int64_t c = 0; c < C; ++c) dx[r * C + c] += dy[c * R + r];
  });
}

}  // namespace gradlab
