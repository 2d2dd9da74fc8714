// Recurrent layers: RNN (tanh or ReLU), LSTM and GRU, each as a one-step cell and as a fused
// layer over a whole sequence. PyTorch's equations, parameter names and layouts, and init:
//
//   RNN   h' = act(x W_ihᵀ + b_ih + h W_hhᵀ + b_hh)                          gates: 1
//   LSTM  i, f, g, o = σ, σ, tanh, σ (x W_ihᵀ + b_ih + h W_hhᵀ + b_hh)       gates: 4
//         c' = f ⊙ c + i ⊙ g,   h' = o ⊙ tanh(c')
//   GRU   r, z = σ(x W_ihᵀ + b_ih + h W_hhᵀ + b_hh)  (their rows)            gates: 3
//         n = tanh(x W_inᵀ + b_in + r ⊙ (h W_hnᵀ + b_hn)),   h' = (1 − z) ⊙ n + z ⊙ h
//
// W_ih is (G·H, in) and W_hh (G·H, H), the gates stacked in the order above (LSTM i, f, g, o;
// GRU r, z, n). Every weight and bias starts U(−1/√H, 1/√H).
//
// The cells (RNNCell, LSTMCell, GRUCell) are one fused autograd op per step, for loops a reader
// writes by hand. The layers (RNN, LSTM, GRU) run all T steps and all layers in C++ and record
// ONE autograd node, whose backward is backprop through time; afterwards step_grads() holds
// ∂L/∂h_t (and ∂L/∂c_t) of the last layer for every t.
// The step kernels are in src/nn/{rnn,lstm,gru}_cell.cpp; the time loop in src/nn/recurrent.cpp.
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "gradlab/nn.h"
#include "gradlab/tensor.h"

namespace gradlab::nn {

enum class CellKind { RNN, LSTM, GRU };
enum class Nonlinearity { Tanh, ReLU };  // RNN's activation

const char* kind_name(CellKind kind);  // "RNN", "LSTM", "GRU"
int64_t gate_count(CellKind kind);     // 1, 4, 3
// "tanh" or "relu", else an error naming `who` and the value
Nonlinearity nonlinearity_from(const std::string& name, const char* who);
const char* nonlinearity_name(Nonlinearity nl);

// ---- one step: the fused ops behind the cells (usable without a Module) -----------------
// x (B, in), h and c (B, H); w_ih (G·H, in), w_hh (G·H, H); b_ih, b_hh (G·H) or undefined.
Tensor rnn_cell(const Tensor& x, const Tensor& h, const Tensor& w_ih, const Tensor& w_hh,
                const Tensor& b_ih, const Tensor& b_hh, Nonlinearity nl = Nonlinearity::Tanh);
std::pair<Tensor, Tensor> lstm_cell(const Tensor& x, const Tensor& h, const Tensor& c,
                                    const Tensor& w_ih, const Tensor& w_hh, const Tensor& b_ih,
                                    const Tensor& b_hh);  // (h', c')
Tensor gru_cell(const Tensor& x, const Tensor& h, const Tensor& w_ih, const Tensor& w_hh,
                const Tensor& b_ih, const Tensor& b_hh);

// Parameters shared by the three cells: weight_ih, weight_hh, bias_ih, bias_hh.
class CellBase : public Module {
 public:
  std::vector<Tensor> parameters() const override;
  std::vector<std::pair<std::string, Tensor>> named_parameters() const;  // PyTorch's order

  CellKind kind;
  int64_t input_size, hidden_size;
  bool bias;
  Tensor weight_ih;  // (G·H, in)
  Tensor weight_hh;  // (G·H, H)
  Tensor bias_ih;    // (G·H), undefined without bias
  Tensor bias_hh;    // (G·H), undefined without bias

 protected:
  CellBase(CellKind kind, const char* name, int64_t input_size, int64_t hidden_size, bool bias);
  const char* name_;  // "LSTMCell", for messages
};

class RNNCell : public CellBase {
 public:
  RNNCell(int64_t input_size, int64_t hidden_size, bool bias = true,
          Nonlinearity nonlinearity = Nonlinearity::Tanh);
  Tensor forward(const Tensor& x, const Tensor& h = Tensor()) const;  // h undefined: zeros
  Nonlinearity nonlinearity;
};

class LSTMCell : public CellBase {
 public:
  LSTMCell(int64_t input_size, int64_t hidden_size, bool bias = true);
  // (h', c'); h and c undefined: zeros
  std::pair<Tensor, Tensor> forward(const Tensor& x, const Tensor& h = Tensor(),
                                    const Tensor& c = Tensor()) const;
};

class GRUCell : public CellBase {
 public:
  GRUCell(int64_t input_size, int64_t hidden_size, bool bias = true);
  Tensor forward(const Tensor& x, const Tensor& h = Tensor()) const;
};

// ---- a whole sequence: the fused layers ---------------------------------------------------
// Most layers a recurrent layer may stack (num_layers): each is a time loop of its own.
constexpr int64_t kMaxLayers = 100;

struct RecurrentOptions {
  int64_t num_layers = 1;
  Nonlinearity nonlinearity = Nonlinearity::Tanh;  // RNN only
  bool bias = true;
  bool batch_first = true;           // input and output (B, T, ·); false: (T, B, ·)
  std::optional<float> forget_bias;  // LSTM: bias_ih's f rows = value, bias_hh's f rows = 0
};

struct RecurrentOutput {
  Tensor output;  // (B, T, H): h_t of the last layer at every step (batch_first)
  Tensor h_n;     // (L, B, H): every layer's h at the last step
  Tensor c_n;     // (L, B, H): LSTM only, undefined otherwise
};

// The total ∂L/∂h_t (from the output and through the recurrence) of the last layer at every
// step, and ∂L/∂c_t for an LSTM, written by the layer's backward: (B, T, H) (batch_first).
struct StepGrads {
  Tensor dh;
  Tensor dc;  // LSTM only
  bool ready() const { return dh.defined(); }
};

// The fused op. params per layer k: weight_ih_l{k}, weight_hh_l{k}[, bias_ih_l{k}, bias_hh_l{k}].
// h0, c0 (L, B, H) or undefined (zeros); c0 only for an LSTM. `step_grads`, if given, receives
// the per-step gradients when backward runs through this call's graph.
RecurrentOutput recurrent(CellKind kind, const Tensor& x, const Tensor& h0, const Tensor& c0,
                          const std::vector<Tensor>& params, const RecurrentOptions& options,
                          const std::shared_ptr<StepGrads>& step_grads = nullptr);

class RecurrentBase : public Module {
 public:
  std::vector<Tensor> parameters() const override;
  std::vector<std::pair<std::string, Tensor>> named_parameters() const;  // PyTorch's order
  // Layer k's parameters: weight_ih(k), weight_hh(k), bias_ih(k), bias_hh(k) (undefined w/o bias)
  const Tensor& weight_ih(int64_t layer) const;
  const Tensor& weight_hh(int64_t layer) const;
  Tensor bias_ih(int64_t layer) const;
  Tensor bias_hh(int64_t layer) const;
  // ∂L/∂h_t (and ∂L/∂c_t) from the most recent backward through this layer; an error before.
  StepGrads step_grads() const;

  CellKind kind;
  int64_t input_size, hidden_size;
  RecurrentOptions options;

 protected:
  RecurrentBase(CellKind kind, int64_t input_size, int64_t hidden_size, RecurrentOptions options);
  RecurrentOutput run(const Tensor& x, const Tensor& h0, const Tensor& c0) const;

  std::vector<Tensor> params_;  // flat, in named_parameters() order
  std::shared_ptr<StepGrads> step_grads_ = std::make_shared<StepGrads>();
};

class RNN : public RecurrentBase {
 public:
  RNN(int64_t input_size, int64_t hidden_size, RecurrentOptions options = {});
  RecurrentOutput forward(const Tensor& x, const Tensor& h0 = Tensor()) const;
};

class LSTM : public RecurrentBase {
 public:
  LSTM(int64_t input_size, int64_t hidden_size, RecurrentOptions options = {});
  RecurrentOutput forward(const Tensor& x, const Tensor& h0 = Tensor(),
                          const Tensor& c0 = Tensor()) const;
};

class GRU : public RecurrentBase {
 public:
  GRU(int64_t input_size, int64_t hidden_size, RecurrentOptions options = {});
  RecurrentOutput forward(const Tensor& x, const Tensor& h0 = Tensor()) const;
};

}  // namespace gradlab::nn
