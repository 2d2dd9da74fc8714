// The LSTM cell: one step forward and its backward, gate by gate (PyTorch's equations).
//   i = σ(x W_iiᵀ + b_ii + h W_hiᵀ + b_hi)      input gate
//   f = σ(x W_ifᵀ + b_if + h W_hfᵀ + b_hf)      forget gate
//   g = tanh(x W_igᵀ + b_ig + h W_hgᵀ + b_hg)   candidate
//   o = σ(x W_ioᵀ + b_io + h W_hoᵀ + b_ho)      output gate
//   c' = f ⊙ c + i ⊙ g         the additive path: ∂c'/∂c = f, no matrix, no squashing
//   h' = o ⊙ tanh(c')
// Gate rows in W_ih (4H, in), W_hh (4H, H) and the biases: i, f, g, o.
#include <cmath>

#include "cells.h"

namespace gradlab::nn {
namespace cells {

void lstm_step_forward(Step& s, const float* W_hhT, const float* b_hh, int64_t B, int64_t H) {
  const int64_t G = 4 * H;
  // pre (B, 4H) = [x W_ihᵀ + b_ih, already in s.gates] + h_prev W_hhᵀ + b_hh
  step_gemm(B, G, H, s.h_prev, W_hhT, s.gates);
  for (int64_t b = 0; b < B; ++b) {
    float* pre = s.gates + b * G;
    if (b_hh)
      for (int64_t j = 0; j < G; ++j) pre[j] += b_hh[j];
    float *i = pre, *f = pre + H, *g = pre + 2 * H, *o = pre + 3 * H;  // (H) each
    sigmoid_rows(i, 2 * H);  // i, f = σ(pre)
    tanh_rows(g, H);         // g = tanh(pre)
    sigmoid_rows(o, H);      // o = σ(pre)
    const float* c_prev = s.c_prev + b * H;
    float* c = s.c + b * H;
    float* tanh_c = s.tanh_c + b * H;
    float* h = s.h + b * H;
    int64_t j = 0;
    for (; j + 4 <= H; j += 4) {
      const f32x4 cj = load4(f + j) * load4(c_prev + j) + load4(i + j) * load4(g + j);
      const f32x4 tj = tanh_fast4(cj);
      store4(c + j, cj), store4(tanh_c + j, tj), store4(h + j, load4(o + j) * tj);
    }
    for (; j < H; ++j) {
      c[j] = f[j] * c_prev[j] + i[j] * g[j];
      tanh_c[j] = tanh_fast(c[j]);
      h[j] = o[j] * tanh_c[j];
    }
  }
}

void lstm_step_backward(StepGrad& d, const Step& s, const float* W_hh, int64_t B, int64_t H) {
  const int64_t G = 4 * H;
  for (int64_t b = 0; b < B; ++b) {
    const float* gates = s.gates + b * G;
    const float *i = gates, *f = gates + H, *g = gates + 2 * H, *o = gates + 3 * H;
    const float* c_prev = s.c_prev + b * H;
    const float* tanh_c = s.tanh_c + b * H;
    const float* dh = d.dh + b * H;
    float* dc = d.dc + b * H;
    float* dgates = d.dgates_x + b * G;
    float *di = dgates, *df = dgates + H, *dg = dgates + 2 * H, *do_ = dgates + 3 * H;
    float* dc_prev = d.dc_prev ? d.dc_prev + b * H : nullptr;
    // Four lanes at a time, each doing the scalar loop's operations in its order (the same
    // bits); the scalar loop below takes the last H % 4 and states the equations.
    int64_t j = 0;
    const f32x4 one = splat4(1.f);
    for (; j + 4 <= H; j += 4) {
      const f32x4 i4 = load4(i + j), f4 = load4(f + j), g4 = load4(g + j), o4 = load4(o + j);
      const f32x4 t4 = load4(tanh_c + j), dh4 = load4(dh + j);
      const f32x4 dc4 = load4(dc + j) + dh4 * o4 * (one - t4 * t4);
      store4(dc + j, dc4);
      const f32x4 d_o = dh4 * t4;
      const f32x4 d_i = dc4 * g4, d_f = dc4 * load4(c_prev + j), d_g = dc4 * i4;
      if (dc_prev) store4(dc_prev + j, load4(dc_prev + j) + dc4 * f4);
      store4(di + j, load4(di + j) + d_i * i4 * (one - i4));
      store4(df + j, load4(df + j) + d_f * f4 * (one - f4));
      store4(dg + j, load4(dg + j) + d_g * (one - g4 * g4));
      store4(do_ + j, load4(do_ + j) + d_o * o4 * (one - o4));
    }
    for (; j < H; ++j) {
      // forward: h = o * tanh(c)  =>  dc += dh * o * (1 - tanh²c), do = dh * tanh(c)
      dc[j] += dh[j] * o[j] * (1.f - tanh_c[j] * tanh_c[j]);
      float d_o = dh[j] * tanh_c[j];
      // forward: c = f * c_prev + i * g  =>  di = dc g, df = dc c_prev, dg = dc i,
      //                                      dc_prev += dc * f
      float d_i = dc[j] * g[j];
      float d_f = dc[j] * c_prev[j];
      float d_g = dc[j] * i[j];
      if (dc_prev) dc_prev[j] += dc[j] * f[j];
      // forward: i, f, o = σ(pre), g = tanh(pre)  =>  dpre = da σ(1-σ), dg (1-g²)
      di[j] += d_i * i[j] * (1.f - i[j]);
      df[j] += d_f * f[j] * (1.f - f[j]);
      dg[j] += d_g * (1.f - g[j] * g[j]);
      do_[j] += d_o * o[j] * (1.f - o[j]);
    }
  }
  // forward: pre += h_prev W_hhᵀ  =>  dh_prev += dpre W_hh
  if (d.dh_prev) step_gemm(B, H, G, d.dgates_x, W_hh, d.dh_prev);
}

}  // namespace cells

std::pair<Tensor, Tensor> lstm_cell(const Tensor& x, const Tensor& h, const Tensor& c,
                                    const Tensor& w_ih, const Tensor& w_hh, const Tensor& b_ih,
                                    const Tensor& b_hh) {
  return cells::cell_op(CellKind::LSTM, Nonlinearity::Tanh, "LSTMCell", x, h, c, w_ih, w_hh, b_ih,
                        b_hh);
}

LSTMCell::LSTMCell(int64_t input_size, int64_t hidden_size, bool bias)
    : CellBase(CellKind::LSTM, "LSTMCell", input_size, hidden_size, bias) {}

std::pair<Tensor, Tensor> LSTMCell::forward(const Tensor& x, const Tensor& h,
                                            const Tensor& c) const {
  return cells::cell_op(CellKind::LSTM, Nonlinearity::Tanh, name_, x, h, c, weight_ih, weight_hh,
                        bias_ih, bias_hh);
}

}  // namespace gradlab::nn
