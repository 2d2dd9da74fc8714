// The GRU cell: one step forward and its backward (PyTorch's formulation, gates r, z, n).
//   r = σ(x W_irᵀ + b_ir + h W_hrᵀ + b_hr)              reset gate
//   z = σ(x W_izᵀ + b_iz + h W_hzᵀ + b_hz)              update gate
//   n = tanh(x W_inᵀ + b_in + r ⊙ (h W_hnᵀ + b_hn))      candidate
//   h' = (1 − z) ⊙ n + z ⊙ h     the additive path: ∂h'/∂h ∋ diag(z)
// r multiplies the hidden part of n after the GEMM, so its gradient with respect to
// h W_hnᵀ + b_hn differs from the one with respect to x W_inᵀ + b_in: two gradient buffers.
#include <cmath>

#include "cells.h"

namespace gradlab::nn {
namespace cells {

void gru_step_forward(Step& s, const float* W_hhT, const float* b_hh, int64_t B, int64_t H) {
  const int64_t G = 3 * H;
  // hidden (B, 3H) = b_hh + h_prev W_hhᵀ, kept: n needs its own part apart
  for (int64_t b = 0; b < B; ++b)
    for (int64_t j = 0; j < G; ++j) s.hidden[b * G + j] = b_hh ? b_hh[j] : 0.f;
  step_gemm(B, G, H, s.h_prev, W_hhT, s.hidden);
  for (int64_t b = 0; b < B; ++b) {
    const float* hid = s.hidden + b * G;
    float* gates = s.gates + b * G;  // in: x W_ihᵀ + b_ih
    float *r = gates, *z = gates + H, *n = gates + 2 * H;
    const float *hid_r = hid, *hid_n = hid + 2 * H;  // rows r, z are adjacent: hid_r spans both
    const float* h_prev = s.h_prev + b * H;
    float* h = s.h + b * H;
    for (int64_t j = 0; j < 2 * H; ++j) r[j] += hid_r[j];  // r and z rows: x part + h part
    sigmoid_rows(r, 2 * H);                                  // r, z = σ(pre)
    for (int64_t j = 0; j < H; ++j) n[j] += r[j] * hid_n[j];
    tanh_rows(n, H);                                         // n = tanh(x_n + r ⊙ hid_n)
    for (int64_t j = 0; j < H; ++j) h[j] = (1.f - z[j]) * n[j] + z[j] * h_prev[j];
  }
}

void gru_step_backward(StepGrad& d, const Step& s, const float* W_hh, int64_t B, int64_t H) {
  const int64_t G = 3 * H;
  for (int64_t b = 0; b < B; ++b) {
    const float* gates = s.gates + b * G;
    const float *r = gates, *z = gates + H, *n = gates + 2 * H;
    const float* hid_n = s.hidden + b * G + 2 * H;
    const float* h_prev = s.h_prev + b * H;
    const float* dh = d.dh + b * H;
    float* dgx = d.dgates_x + b * G;  // ∂/∂(x W_ihᵀ + b_ih): rows r, z, n
    float* dgh = d.dgates_h + b * G;  // ∂/∂(h W_hhᵀ + b_hh): rows r, z, n
    float* dh_prev = d.dh_prev ? d.dh_prev + b * H : nullptr;
    for (int64_t j = 0; j < H; ++j) {
      // forward: h = (1 - z) n + z h_prev  =>  dn = dh (1 - z), dz = dh (h_prev - n),
      //                                       dh_prev += dh z
      float dn = dh[j] * (1.f - z[j]);
      float dz = dh[j] * (h_prev[j] - n[j]);
      if (dh_prev) dh_prev[j] += dh[j] * z[j];
      // forward: n = tanh(pre_n), pre_n = xn + r hid_n  =>  dpre_n = dn (1 - n²),
      //          dxn += dpre_n, dhid_n += dpre_n r, dr = dpre_n hid_n
      float dpre_n = dn * (1.f - n[j] * n[j]);
      float dr = dpre_n * hid_n[j];
      // forward: r, z = σ(x part + hidden part)  =>  both parts get dσ = da σ(1-σ)
      float dpre_r = dr * r[j] * (1.f - r[j]);
      float dpre_z = dz * z[j] * (1.f - z[j]);
      dgx[j] += dpre_r;
      dgx[H + j] += dpre_z;
      dgx[2 * H + j] += dpre_n;
      dgh[j] += dpre_r;
      dgh[H + j] += dpre_z;
      dgh[2 * H + j] += dpre_n * r[j];
    }
  }
  // forward: hidden = h_prev W_hhᵀ + b_hh  =>  dh_prev += dhidden W_hh
  if (d.dh_prev) step_gemm(B, H, G, d.dgates_h, W_hh, d.dh_prev);
}

}  // namespace cells

Tensor gru_cell(const Tensor& x, const Tensor& h, const Tensor& w_ih, const Tensor& w_hh,
                const Tensor& b_ih, const Tensor& b_hh) {
  return cells::cell_op(CellKind::GRU, Nonlinearity::Tanh, "GRUCell", x, h, Tensor(), w_ih, w_hh,
                        b_ih, b_hh)
      .first;
}

GRUCell::GRUCell(int64_t input_size, int64_t hidden_size, bool bias)
    : CellBase(CellKind::GRU, "GRUCell", input_size, hidden_size, bias) {}

Tensor GRUCell::forward(const Tensor& x, const Tensor& h) const {
  return cells::cell_op(CellKind::GRU, Nonlinearity::Tanh, name_, x, h, Tensor(), weight_ih,
                        weight_hh, bias_ih, bias_hh)
      .first;
}

}  // namespace gradlab::nn
