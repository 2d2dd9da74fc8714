// Dense kernels behind the ops. Row-major float32 throughout.
#pragma once
#include <cstdint>

namespace gradlab::kernels {

// C (M, N) = beta * C + op(A) · op(B), op(A) is (M, K), op(B) is (K, N).
// trans_a: A is stored (K, M); trans_b: B is stored (N, K). beta is 0 or 1.
void gemm(bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K,
          const float* A, const float* B, float beta, float* C);

// Sets every value of p[0..n) whose magnitude is below float32's smallest normal number
// (1.17549435e-38) to zero: a denormal. Arithmetic on denormals is many times slower on x86,
// and WebAssembly has no flush-to-zero mode (unlike a GPU, or torch.set_flush_denormal(True)
// on a CPU), so a gradient that vanishes over hundreds of steps slows every product it enters.
// The recurrent layers' backward flushes its per-step gradients with this.
void flush_denormals(float* p, int64_t n);

}  // namespace gradlab::kernels
