// One time step of each recurrent cell, on raw row-major buffers: the kernels that both the
// one-step cell ops and the fused layers' time loop (recurrent.cpp) call.
//
// The split of the work: the caller computes the input side of all gates, x_t W_ihᵀ + b_ih
// (for a fused layer, for all T steps in one GEMM) and, after the backward steps, turns
// ∂L/∂(x W_ihᵀ + b_ih) and ∂L/∂(h W_hhᵀ + b_hh) into dx, dW_ih, db_ih, dW_hh, db_hh.
// A step does the rest: the recurrent GEMM h_{t-1} W_hhᵀ, the nonlinearities, and in backward
// the gates' gradients and dh_prev (one GEMM with W_hh).
#pragma once
#include <cmath>
#include <cstdint>

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

// W_hh (G·H, H); b_hh (G·H) or null.
void rnn_step_forward(Step& s, const float* W_hh, const float* b_hh, int64_t B, int64_t H,
                      Nonlinearity nl);
void rnn_step_backward(StepGrad& g, const Step& s, const float* W_hh, int64_t B, int64_t H,
                       Nonlinearity nl);

void lstm_step_forward(Step& s, const float* W_hh, const float* b_hh, int64_t B, int64_t H);
void lstm_step_backward(StepGrad& g, const Step& s, const float* W_hh, int64_t B, int64_t H);

void gru_step_forward(Step& s, const float* W_hh, const float* b_hh, int64_t B, int64_t H);
void gru_step_backward(StepGrad& g, const Step& s, const float* W_hh, int64_t B, int64_t H);

// The one table of what the recurrent cells are and how each one steps.
struct CellOps {
  const char* name;          // "LSTM"
  int64_t gates;             // G
  bool has_c;                // carries a cell state c (LSTM)
  bool split_hidden_grad;    // ∂/∂(h W_hhᵀ + b_hh) differs from ∂/∂(x W_ihᵀ + b_ih) (GRU)
  bool keeps_hidden;         // caches h_{t-1} W_hhᵀ + b_hh (GRU)
};
const CellOps& ops_of(CellKind kind);
void step_forward(CellKind kind, Nonlinearity nl, Step& s, const float* W_hh, const float* b_hh,
                  int64_t B, int64_t H);
void step_backward(CellKind kind, Nonlinearity nl, StepGrad& g, const Step& s, const float* W_hh,
                   int64_t B, int64_t H);

// The fused one-step op shared by rnn_cell, lstm_cell and gru_cell: checks, the input GEMM, the
// step, and a backward that ends in dx, dW_ih, dW_hh and the biases. Returns h' (and c').
std::pair<Tensor, Tensor> cell_op(CellKind kind, Nonlinearity nl, const char* who, const Tensor& x,
                                  const Tensor& h, const Tensor& c, const Tensor& w_ih,
                                  const Tensor& w_hh, const Tensor& b_ih, const Tensor& b_hh);

inline float sigmoid(float v) { return 1.f / (1.f + std::exp(-v)); }

}  // namespace gradlab::nn::cells
