// Dense kernels behind the ops. Row-major float32 throughout.
#pragma once
#include <cstdint>

namespace gradlab::kernels {

// C (M, N) = beta * C + op(A) · op(B), op(A) is (M, K), op(B) is (K, N).
// trans_a: A is stored (K, M); trans_b: B is stored (N, K). beta is 0 or 1.
void gemm(bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K,
          const float* A, const float* B, float beta, float* C);

}  // namespace gradlab::kernels
