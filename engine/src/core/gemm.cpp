// GEMM through Eigen: Eigen's blocked kernels vectorise to SSE/AVX natively and, with the
// build flags in CMakeLists.txt, to wasm simd128.
#include <Eigen/Core>
#include <cmath>
#include <limits>

#include "gradlab/kernels.h"

namespace gradlab::kernels {

namespace {
using RowMat = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using ConstMap = Eigen::Map<const RowMat>;
using Map = Eigen::Map<RowMat>;
}  // namespace

void gemm(bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K, const float* A,
          const float* B, float beta, float* C) {
  Map c(C, M, N);
  if (M == 0 || N == 0) return;
  if (beta == 0.f) c.setZero();
  if (K == 0) return;
  ConstMap a(A, trans_a ? K : M, trans_a ? M : K);
  ConstMap b(B, trans_b ? N : K, trans_b ? K : N);
  if (!trans_a && !trans_b) c.noalias() += a * b;
  else if (!trans_a && trans_b) c.noalias() += a * b.transpose();
  else if (trans_a && !trans_b) c.noalias() += a.transpose() * b;
  else c.noalias() += a.transpose() * b.transpose();
}

void flush_denormals(float* p, int64_t n) {
  // A plain loop the compiler vectorises (a compare and a select per lane, simd128 in wasm).
  constexpr float kSmallest = std::numeric_limits<float>::min();
  for (int64_t k = 0; k < n; ++k) p[k] = std::fabs(p[k]) < kSmallest ? 0.f : p[k];
}

}  // namespace gradlab::kernels
