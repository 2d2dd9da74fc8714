// The per-step products of a recurrence: (B, H) · (H, G·H) forward and (B, G·H) · (G·H, H)
// backward, with B (the batch) small. A general GEMM repacks its right operand on every call,
// which for these shapes costs as much as the arithmetic: in wasm Eigen reaches 10-12 GFLOP/s
// here, this kernel about twice that (natively the two are on par). Clang/GCC vector
// extensions compile to SSE natively and to simd128 in wasm.
#include <cstring>

#include "cells.h"

namespace gradlab::nn::cells {

namespace {
// the vector type and load4 are cells.h's
inline void add_store4(float* p, f32x4 v) { v += load4(p), std::memcpy(p, &v, sizeof v); }
}  // namespace

void step_gemm(int64_t M, int64_t N, int64_t K, const float* A, const float* B, float* C) {
  // blocks of 4 rows of C × 8 columns: 8 accumulators, each B row segment used 4 times
  int64_t m = 0;
  for (; m + 4 <= M; m += 4) {
    const float *a0 = A + m * K, *a1 = a0 + K, *a2 = a1 + K, *a3 = a2 + K;
    int64_t n = 0;
    for (; n + 8 <= N; n += 8) {
      f32x4 c00{}, c01{}, c10{}, c11{}, c20{}, c21{}, c30{}, c31{};
      const float* b = B + n;
      for (int64_t k = 0; k < K; ++k, b += N) {
        f32x4 b0 = load4(b), b1 = load4(b + 4);
        f32x4 s = splat4(a0[k]);
        c00 += s * b0, c01 += s * b1;
        s = splat4(a1[k]);
        c10 += s * b0, c11 += s * b1;
        s = splat4(a2[k]);
        c20 += s * b0, c21 += s * b1;
        s = splat4(a3[k]);
        c30 += s * b0, c31 += s * b1;
      }
      float* c = C + m * N + n;
      add_store4(c, c00), add_store4(c + 4, c01), c += N;
      add_store4(c, c10), add_store4(c + 4, c11), c += N;
      add_store4(c, c20), add_store4(c + 4, c21), c += N;
      add_store4(c, c30), add_store4(c + 4, c31);
    }
    for (; n < N; ++n)  // the last N % 8 columns
      for (int64_t i = m; i < m + 4; ++i) {
        float s = 0.f;
        for (int64_t k = 0; k < K; ++k) s += A[i * K + k] * B[k * N + n];
        C[i * N + n] += s;
      }
  }
  for (; m < M; ++m)  // the last M % 4 rows: C[m, :] += Σ_k A[m, k] B[k, :]
    for (int64_t k = 0; k < K; ++k) {
      const float a = A[m * K + k];
      const float* b = B + k * N;
      float* c = C + m * N;
      for (int64_t n = 0; n < N; ++n) c[n] += a * b[n];
    }
}

void input_side(int64_t M, int64_t N, int64_t K, const float* A, const float* BT,
                const float* bias, float* C) {
  // Each value summed over k in order from k = 0, then the bias added: what Eigen's product
  // for K < 4 (where it takes no vectorised or k-unrolled path) followed by add_row gives, to
  // the bit; from K = 4 on, Eigen's order differs at some shapes (found by the test).
  for (int64_t m = 0; m < M; ++m) {
    const float* a = A + m * K;
    float* c = C + m * N;
    int64_t n = 0;
    for (; n + 4 <= N; n += 4) {
      f32x4 acc = splat4(a[0]) * load4(BT + n);
      for (int64_t k = 1; k < K; ++k) acc = acc + splat4(a[k]) * load4(BT + k * N + n);
      if (bias) acc = acc + load4(bias + n);
      store4(c + n, acc);
    }
    for (; n < N; ++n) {
      float acc = a[0] * BT[n];
      for (int64_t k = 1; k < K; ++k) acc = acc + a[k] * BT[k * N + n];
      c[n] = bias ? acc + bias[n] : acc;
    }
  }
}

}  // namespace gradlab::nn::cells
