// GEMM through Eigen: Eigen's blocked kernels vectorise to SSE/AVX natively and, with the
// build flags in CMakeLists.txt, to wasm simd128.
#include <Eigen/Core>
#include <utility>
#include <cmath>
#include <limits>

#include "gradlab/kernels.h"
#include "gradlab/threads.h"

namespace gradlab::kernels {

namespace {
using RowMat = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using Map = Eigen::Map<RowMat>;

// C (M, N) = beta C + op(A) op(B); `view` makes the Eigen maps of A (M or K rows) and B
template <class View>
void gemm_with(bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K, View view,
               float beta, float* C) {
  Map c(C, M, N);
  if (beta == 0.f) c.setZero();
  if (K == 0) return;
  const auto [a, b] = view();
  if (!trans_a && !trans_b) c.noalias() += a * b;
  else if (!trans_a && trans_b) c.noalias() += a * b.transpose();
  else if (trans_a && !trans_b) c.noalias() += a.transpose() * b;
  else c.noalias() += a.transpose() * b.transpose();
}
}  // namespace

void gemm(bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K, const float* A,
          const float* B, float beta, float* C) {
  if (M == 0 || N == 0) return;
  using ConstMap = Eigen::Map<const RowMat>;
  // The rows of C split between threads (gradlab/threads.h), each part a multiple of 4 rows
  // (the last takes the rest). Eigen sees row-major C as column-major Cᵀ, so a part is a run of
  // its 4-column panels: each element is summed over K in the same order as in one call, and
  // the same bits come out (tests/engine/test_threads.cpp). Not split: a product Eigen would
  // compute as a matrix-vector product (N = 1) or coefficient by coefficient (K + N + 4 < 20),
  // whose order depends on the shape.
  const int parts = GRADLAB_HAS_THREADS && N >= 2 && K + N + 4 >= 20 ? threads::parts_for(M, 4, N * K) : 1;
  if (parts == 1) {
    return gemm_with(trans_a, trans_b, M, N, K, [&] {
      return std::pair{ConstMap(A, trans_a ? K : M, trans_a ? M : K), ConstMap(B, trans_b ? N : K, trans_b ? K : N)};
    }, beta, C);
  }
#if GRADLAB_HAS_THREADS  // (a build without threads never gets here: no second set of Eigen's kernels)
  using StridedMap = Eigen::Map<const RowMat, 0, Eigen::OuterStride<>>;
  threads::run(parts, [&](int part) {
    const threads::Rows rows = threads::part_rows(part, parts, M, 4);
    const int64_t m = rows.count;
    // op(A)'s rows [first, first + m): A's rows, or (transposed) its columns, M apart
    const float* a = A + rows.first * (trans_a ? 1 : K);
    gemm_with(trans_a, trans_b, m, N, K, [&] {
      return std::pair{StridedMap(a, trans_a ? K : m, trans_a ? m : K, Eigen::OuterStride<>(trans_a ? M : K)),
                       ConstMap(B, trans_b ? N : K, trans_b ? K : N)};
    }, beta, C + rows.first * N);
  });
#endif
}

void flush_denormals(float* p, int64_t n) {
  // A plain loop the compiler vectorises (a compare and a select per lane, simd128 in wasm).
  constexpr float kSmallest = std::numeric_limits<float>::min();
  for (int64_t k = 0; k < n; ++k) p[k] = std::fabs(p[k]) < kSmallest ? 0.f : p[k];
}

}  // namespace gradlab::kernels
