// One time step of each recurrent cell, on raw row-major buffers: the kernels that both the
// one-step cell ops and the fused layers' time loop (recurrent.cpp) call.
//
// The split of the work: the caller computes the input side of all gates, x_t W_ihᵀ + b_ih
// (for a fused layer, for all T steps in one GEMM) and, after the backward steps, turns
// ∂L/∂(x W_ihᵀ + b_ih) and ∂L/∂(h W_hhᵀ + b_hh) into dx, dW_ih, db_ih, dW_hh, db_hh.
// A step does the rest: the recurrent product h_{t-1} W_hhᵀ, the nonlinearities, and in
// backward the gates' gradients and dh_prev (one product with W_hh).
#pragma once
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>

#include "gradlab/recurrent.h"
#include "gradlab/tensor.h"

namespace gradlab::nn::cells {

// What one step keeps for its backward: pointers into buffers owned by the caller.
// G is the number of gates (RNN 1, LSTM 4, GRU 3). Unused fields stay null.
struct Step {
  const float* h_prev = nullptr;  // (B, H) h_{t-1}
  float* h = nullptr;             // (B, H) h_t
  float* gates = nullptr;         // (B, G·H) in: x_t W_ihᵀ + b_ih; out: the gate activations
                                  //   RNN act(pre); LSTM i, f, g, o; GRU r, z, n
  const float* c_prev = nullptr;  // (B, H) LSTM: c_{t-1}
  float* c = nullptr;             // (B, H) LSTM: c_t
  float* tanh_c = nullptr;        // (B, H) LSTM: tanh(c_t)
  float* hidden = nullptr;        // (B, 3H) GRU: h_{t-1} W_hhᵀ + b_hh (n's part is gated by r)
};

// One step's gradients. Inputs are totals for step t; outputs are added to (never assigned).
struct StepGrad {
  const float* dh = nullptr;  // (B, H) in: ∂L/∂h_t, from the output and from step t+1
  float* dc = nullptr;        // (B, H) LSTM, in: ∂L/∂c_t from step t+1; out: the total ∂L/∂c_t
  float* dh_prev = nullptr;   // (B, H) += ∂L/∂h_{t-1} (null: not needed)
  float* dc_prev = nullptr;   // (B, H) LSTM: += ∂L/∂c_{t-1} (null: not needed)
  float* dgates_x = nullptr;  // (B, G·H) += ∂L/∂(x_t W_ihᵀ + b_ih)
  float* dgates_h = nullptr;  // (B, G·H) += ∂L/∂(h_{t-1} W_hhᵀ + b_hh); RNN, LSTM: = dgates_x
};

// Forward takes W_hh transposed, W_hhT (H, G·H), backward W_hh (G·H, H): both per-step products
// are then (small B rows) · (row-major matrix), the form step_gemm is fast at. b_hh (G·H) or null.
void rnn_step_forward(Step& s, const float* W_hhT, const float* b_hh, int64_t B, int64_t H,
                      Nonlinearity nl);
void rnn_step_backward(StepGrad& g, const Step& s, const float* W_hh, int64_t B, int64_t H,
                       Nonlinearity nl);

void lstm_step_forward(Step& s, const float* W_hhT, const float* b_hh, int64_t B, int64_t H);
void lstm_step_backward(StepGrad& g, const Step& s, const float* W_hh, int64_t B, int64_t H);

void gru_step_forward(Step& s, const float* W_hhT, const float* b_hh, int64_t B, int64_t H);
void gru_step_backward(StepGrad& g, const Step& s, const float* W_hh, int64_t B, int64_t H);

// C (M, N) += A (M, K) · B (K, N), row-major, for the per-step products (M = batch, small).
void step_gemm(int64_t M, int64_t N, int64_t K, const float* A, const float* B, float* C);
// C (M, N) = A (M, K) · B + bias, B given transposed as BT (K, N), bias (N) or null; K ≥ 1.
// A fused layer's input side, x W_ihᵀ + b_ih over all T·B rows, when the input is narrow
// (K < kInputSideMaxK): one pass that writes C, where a GEMM into a zeroed C and a second pass for
// the bias wrote it three times. The same bits as kernels::gemm then add_row (tested).
constexpr int64_t kInputSideMaxK = 4;
void input_side(int64_t M, int64_t N, int64_t K, const float* A, const float* BT,
                const float* bias, float* C);

// The one table of what the recurrent cells are and how each one steps.
struct CellOps {
  const char* name;          // "LSTM"
  int64_t gates;             // G
  bool has_c;                // carries a cell state c (LSTM)
  bool split_hidden_grad;    // ∂/∂(h W_hhᵀ + b_hh) differs from ∂/∂(x W_ihᵀ + b_ih) (GRU)
  bool keeps_hidden;         // caches h_{t-1} W_hhᵀ + b_hh (GRU)
};
const CellOps& ops_of(CellKind kind);
void step_forward(CellKind kind, Nonlinearity nl, Step& s, const float* W_hhT, const float* b_hh,
                  int64_t B, int64_t H);
void step_backward(CellKind kind, Nonlinearity nl, StepGrad& g, const Step& s, const float* W_hh,
                   int64_t B, int64_t H);

// The fused one-step op shared by rnn_cell, lstm_cell and gru_cell: checks, the input GEMM, the
// step, and a backward that ends in dx, dW_ih, dW_hh and the biases. Returns h' (and c').
std::pair<Tensor, Tensor> cell_op(CellKind kind, Nonlinearity nl, const char* who, const Tensor& x,
                                  const Tensor& h, const Tensor& c, const Tensor& w_ih,
                                  const Tensor& w_hh, const Tensor& b_ih, const Tensor& b_hh);

// ---- activations over whole rows, without libm's expf/tanhf (scalar calls that cost as much
// as the GEMM); sigmoid_rows and tanh_rows below run them four lanes at a time.
// e^x: x = n ln2 + r with |r| <= ln2/2, e^r by Cephes' degree-6 polynomial, 2^n through the
// exponent bits. Relative error ~2e-7; x is clamped to [-87, 88] so nothing overflows.
inline float exp_fast(float x) {
  x = std::min(std::max(x, -87.f), 88.f);
  const float magic = 12582912.f;      // 1.5·2^23: adding it rounds to an integer
  float t = x * 1.44269504f + magic;   // n = round(x / ln2), held in t's low mantissa bits
  float n = t - magic;
  float r = x - n * 0.693359375f + n * 2.12194440e-4f;  // x - n ln2, ln2 in two parts
  float p = 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  float e = p * r * r + r + 1.f;       // e^r
  uint32_t bits;  // unsigned: for a NaN x the shift below would overflow an int (UB)
  std::memcpy(&bits, &t, 4);
  bits = (bits - 0x4B400000u + 127u) << 23;  // 2^n
  float scale;
  std::memcpy(&scale, &bits, 4);
  return e * scale;
}
inline float sigmoid(float v) { return 1.f / (1.f + exp_fast(-v)); }
inline float tanh_fast(float v) { return 2.f / (1.f + exp_fast(-2.f * v)) - 1.f; }

// The same three, four lanes at a time, written with the compilers' vector extensions (SSE
// natively, simd128 in wasm): neither GCC nor Clang vectorises the scalar loops (the clamp and
// the bit casts), and these were a third of a small LSTM's step. Every lane does the scalar
// version's operations in its order (no FMA on either target), so the results are the same bits.
typedef float f32x4 __attribute__((vector_size(16)));
typedef int32_t i32x4 __attribute__((vector_size(16)));
typedef uint32_t u32x4 __attribute__((vector_size(16)));
inline f32x4 load4(const float* p) {
  f32x4 v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
inline void store4(float* p, f32x4 v) { std::memcpy(p, &v, sizeof v); }
inline f32x4 splat4(float s) { return f32x4{s, s, s, s}; }
inline f32x4 exp_fast4(f32x4 x) {
  // std::min(std::max(x, lo), hi), NaN included: max(NaN, lo) is NaN, min(NaN, hi) is NaN
  const f32x4 lo = splat4(-87.f), hi = splat4(88.f);
#if defined(__wasm_simd128__)
  // pmax(a, b) is a < b ? b : a and pmin(a, b) is b < a ? b : a: the two selects below, one
  // instruction each in V8. Written as selects, clang emits f32x4.max and min, which V8 expands
  // to about eight instructions each to follow IEEE's rules for NaN and ±0 (the same values here).
  x = __builtin_wasm_pmin_f32x4(__builtin_wasm_pmax_f32x4(x, lo), hi);
#else
  i32x4 below = x < lo, above = hi < x;
  x = (f32x4)((below & (i32x4)lo) | (~below & (i32x4)x));
  x = (f32x4)((above & (i32x4)hi) | (~above & (i32x4)x));
#endif
  const f32x4 magic = splat4(12582912.f);
  f32x4 t = x * splat4(1.44269504f) + magic;
  f32x4 n = t - magic;
  f32x4 r = x - n * splat4(0.693359375f) + n * splat4(2.12194440e-4f);
  f32x4 p = splat4(1.9875691500e-4f);
  p = p * r + splat4(1.3981999507e-3f);
  p = p * r + splat4(8.3334519073e-3f);
  p = p * r + splat4(4.1665795894e-2f);
  p = p * r + splat4(1.6666665459e-1f);
  p = p * r + splat4(5.0000001201e-1f);
  f32x4 e = p * r * r + r + splat4(1.f);
  u32x4 bits = ((u32x4)t - 0x4B400000u + 127u) << 23;
  return e * (f32x4)bits;
}
inline f32x4 sigmoid4(f32x4 v) { return splat4(1.f) / (splat4(1.f) + exp_fast4(-v)); }
inline f32x4 tanh_fast4(f32x4 v) {
  return splat4(2.f) / (splat4(1.f) + exp_fast4(splat4(-2.f) * v)) - splat4(1.f);
}

// v[0..n) = σ(v), tanh(v), in place
inline void sigmoid_rows(float* v, int64_t n) {
  int64_t k = 0;
  for (; k + 4 <= n; k += 4) store4(v + k, sigmoid4(load4(v + k)));
  for (; k < n; ++k) v[k] = sigmoid(v[k]);
}
inline void tanh_rows(float* v, int64_t n) {
  int64_t k = 0;
  for (; k + 4 <= n; k += 4) store4(v + k, tanh_fast4(load4(v + k)));
  for (; k < n; ++k) v[k] = tanh_fast(v[k]);
}
// v[0..n) = max(v, 0) in place, as std::max(v, 0.f) (a NaN stays; pmax in wasm, as above)
inline void relu_rows(float* v, int64_t n) {
  int64_t k = 0;
#if defined(__wasm_simd128__)
  for (; k + 4 <= n; k += 4) store4(v + k, __builtin_wasm_pmax_f32x4(load4(v + k), splat4(0.f)));
#endif
  for (; k < n; ++k) v[k] = std::max(v[k], 0.f);
}

}  // namespace gradlab::nn::cells
