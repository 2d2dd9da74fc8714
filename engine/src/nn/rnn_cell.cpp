// The plain (Elman) RNN cell: one step forward and its backward.
//   h' = act(x W_ihᵀ + b_ih + h W_hhᵀ + b_hh),   act = tanh or ReLU
// Backprop through time multiplies by diag(act') W_hh at every step: the product that
// vanishes or explodes over a long sequence.
#include <algorithm>
#include <cmath>

#include "cells.h"

namespace gradlab::nn {
namespace cells {

void rnn_step_forward(Step& s, const float* W_hhT, const float* b_hh, int64_t B, int64_t H,
                      Nonlinearity nl) {
  // pre (B, H) = [x W_ihᵀ + b_ih, already in s.gates] + h_prev W_hhᵀ + b_hh
  step_gemm(B, H, H, s.h_prev, W_hhT, s.gates);
  for (int64_t b = 0; b < B; ++b) {
    float* pre = s.gates + b * H;
    if (b_hh)
      for (int64_t j = 0; j < H; ++j) pre[j] += b_hh[j];
    if (nl == Nonlinearity::Tanh) tanh_rows(pre, H);
    else relu_rows(pre, H);
    std::copy_n(pre, H, s.h + b * H);
  }
}

void rnn_step_backward(StepGrad& d, const Step& s, const float* W_hh, int64_t B, int64_t H,
                       Nonlinearity nl) {
  const int64_t n = B * H;
  for (int64_t k = 0; k < n; ++k) {
    float h = s.h[k];
    // forward: h = tanh(pre)  =>  dpre += dh (1 - h²);   h = relu(pre)  =>  dpre += dh [h > 0]
    float slope = nl == Nonlinearity::Tanh ? 1.f - h * h : (h > 0.f ? 1.f : 0.f);
    d.dgates_x[k] += d.dh[k] * slope;
  }
  // forward: pre += h_prev W_hhᵀ  =>  dh_prev += dpre W_hh
  if (d.dh_prev) step_gemm(B, H, H, d.dgates_x, W_hh, d.dh_prev);
}

}  // namespace cells

Tensor rnn_cell(const Tensor& x, const Tensor& h, const Tensor& w_ih, const Tensor& w_hh,
                const Tensor& b_ih, const Tensor& b_hh, Nonlinearity nl) {
  return cells::cell_op(CellKind::RNN, nl, "RNNCell", x, h, Tensor(), w_ih, w_hh, b_ih, b_hh)
      .first;
}

RNNCell::RNNCell(int64_t input_size, int64_t hidden_size, bool bias, Nonlinearity nonlinearity)
    : CellBase(CellKind::RNN, "RNNCell", input_size, hidden_size, bias),
      nonlinearity(nonlinearity) {}

Tensor RNNCell::forward(const Tensor& x, const Tensor& h) const {
  return cells::cell_op(CellKind::RNN, nonlinearity, name_, x, h, Tensor(), weight_ih, weight_hh,
                        bias_ih, bias_hh)
      .first;
}

}  // namespace gradlab::nn
