// Batched matmul and the two shape ops attention code needs: transpose of any two dims,
// and narrow (a slice along one dim).
#include <algorithm>

#include "gradlab/check.h"
#include "gradlab/kernels.h"
#include "gradlab/layers.h"
#include "graph.h"

namespace gradlab {

using autograd::input_grad;
using autograd::out_grad;
using autograd::record;
using autograd::wrap_dim;

namespace {
int64_t prod(const Shape& s, int64_t from, int64_t to) {
  int64_t n = 1;
  for (int64_t k = from; k < to; ++k) n *= s[size_t(k)];
  return n;
}
}  // namespace

// ---- bmm: y (B, N, M) = a (B, N, K) · b (B, K, M), batch by batch
Tensor bmm(const Tensor& a, const Tensor& b) {
  GL_CHECK(a.dim() == 3 && b.dim() == 3, "bmm: expected a (B, N, K) and b (B, K, M), got ",
           shape_str(a.shape()), " and ", shape_str(b.shape()));
  int64_t B = a.size(0), N = a.size(1), K = a.size(2), M = b.size(2);
  GL_CHECK(b.size(0) == B, "bmm: batch sizes differ: ", shape_str(a.shape()), " and ",
           shape_str(b.shape()), " (", B, " != ", b.size(0), ")");
  GL_CHECK(b.size(1) == K, "bmm: inner sizes differ: ", shape_str(a.shape()), " @ ",
           shape_str(b.shape()), " (", K, " != ", b.size(1), ")");
  Tensor y = Tensor::empty({B, N, M}, "bmm");
  for (int64_t i = 0; i < B; ++i)
    kernels::gemm(false, false, N, M, K, a.data() + i * N * K, b.data() + i * K * M, 0.f,
                  y.data() + i * N * M);
  return record("bmm", y, {a, b}, [B, N, K, M](Node& y) {
    const float* dy = out_grad(y);  // (B, N, M)
    const float* a = y.inputs[0]->data.data();
    const float* b = y.inputs[1]->data.data();
    float* da = input_grad(y, 0);
    float* db = input_grad(y, 1);
    // forward: y_i = a_i · b_i  =>  da_i += dy_i · b_iᵀ, db_i += a_iᵀ · dy_i
    for (int64_t i = 0; i < B; ++i) {
      if (da) kernels::gemm(false, true, N, K, M, dy + i * N * M, b + i * K * M, 1.f, da + i * N * K);
      if (db) kernels::gemm(true, false, K, M, N, a + i * N * K, dy + i * N * M, 1.f, db + i * K * M);
    }
  });
}

// ---- transpose(x, d0, d1): x seen as (A, n0, Bm, n1, C), y as (A, n1, Bm, n0, C)
Tensor transpose(const Tensor& x, int64_t dim0, int64_t dim1) {
  const Shape& s = x.shape();
  int64_t d0 = wrap_dim("transpose", dim0, s), d1 = wrap_dim("transpose", dim1, s);
  if (d0 > d1) std::swap(d0, d1);
  Shape out_shape = s;
  if (d0 == d1) {
    Tensor y = Tensor::from(x.vec(), s);
    return record("transpose", y, {x}, [](Node& y) {
      // forward: y = x  =>  dx += dy
      const float* dy = out_grad(y);
      float* dx = input_grad(y, 0);
      for (size_t k = 0; k < y.data.size(); ++k) dx[k] += dy[k];
    });
  }
  std::swap(out_shape[size_t(d0)], out_shape[size_t(d1)]);
  int64_t A = prod(s, 0, d0), n0 = s[size_t(d0)], Bm = prod(s, d0 + 1, d1), n1 = s[size_t(d1)],
          C = prod(s, d1 + 1, int64_t(s.size()));
  // offset of x[a, i, b, j, c] and of y[a, j, b, i, c]
  auto xi = [=](int64_t a, int64_t i, int64_t b, int64_t j) { return (((a * n0 + i) * Bm + b) * n1 + j) * C; };
  auto yi = [=](int64_t a, int64_t i, int64_t b, int64_t j) { return (((a * n1 + j) * Bm + b) * n0 + i) * C; };
  Tensor y = Tensor::empty(out_shape, "transpose");
  const float* px = x.data();
  float* py = y.data();
  for (int64_t a = 0; a < A; ++a)
    for (int64_t i = 0; i < n0; ++i)
      for (int64_t b = 0; b < Bm; ++b)
        for (int64_t j = 0; j < n1; ++j) std::copy_n(px + xi(a, i, b, j), C, py + yi(a, i, b, j));
  return record("transpose", y, {x}, [=](Node& y) {
    // forward: y[a, j, b, i, c] = x[a, i, b, j, c]  =>  dx[a, i, b, j, c] += dy[a, j, b, i, c]
    const float* dy = out_grad(y);
    float* dx = input_grad(y, 0);
    for (int64_t a = 0; a < A; ++a)
      for (int64_t i = 0; i < n0; ++i)
        for (int64_t b = 0; b < Bm; ++b)
          for (int64_t j = 0; j < n1; ++j)
            for (int64_t c = 0; c < C; ++c) dx[xi(a, i, b, j) + c] += dy[yi(a, i, b, j) + c];
  });
}

// ---- narrow: y = x[..., start : start + length, ...] along `dim`
Tensor narrow(const Tensor& x, int64_t dim, int64_t start, int64_t length) {
  const Shape& s = x.shape();
  int64_t d = wrap_dim("narrow", dim, s);
  int64_t n = s[size_t(d)];
  // start + length may overflow int64 (start = 2^63 - 1024): compare without adding
  GL_CHECK(length >= 0 && start >= 0 && start <= n && length <= n - start, "narrow: start ", start,
           " and length ", length, " do not fit in dim ", d, " of size ", n, " in shape ",
           shape_str(s));
  int64_t outer = prod(s, 0, d), inner = prod(s, d + 1, int64_t(s.size()));
  Shape out_shape = s;
  out_shape[size_t(d)] = length;
  Tensor y = Tensor::empty(out_shape, "narrow");
  for (int64_t o = 0; o < outer; ++o)
    std::copy_n(x.data() + (o * n + start) * inner, length * inner, y.data() + o * length * inner);
  return record("narrow", y, {x}, [outer, inner, n, start, length](Node& y) {
    // forward: y[o, j] = x[o, start + j]  =>  dx[o, start + j] += dy[o, j]
    const float* dy = out_grad(y);
    float* dx = input_grad(y, 0);
    for (int64_t o = 0; o < outer; ++o)
      for (int64_t k = 0; k < length * inner; ++k)
        dx[(o * n + start) * inner + k] += dy[o * length * inner + k];
  });
}

}  // namespace gradlab
