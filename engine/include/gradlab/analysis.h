// Measuring gradient flow through a recurrent network: what article 004 reasons about, as
// numbers. Everything here reads a model's weights, inputs and gradients; nothing trains.
//
//   ‖∂L/∂h_t‖ per step t             step_norms(layer.step_grads().dh)      (and .dc for LSTM)
//   ∂h_t/∂h_k = ∏_{j=k+1..t} J_j     jacobian_products: J_j = diag(σ'(z_j)) W_hh
//   ρ(W_hh), singular values          spectrum(W); SpectralTracker over training
//   ρ_eff = ρ(W_hh) · E[σ'(z)]        saturation(W_hh, z, act): with histograms of z and σ'(z)
//   clipping by norm / by value       clip_and_measure: norms before/after and their cosine
//   LSTM  ∂c_t/∂c_{t-1} = diag(f_t)   lstm_trace (the gates) and lstm_cell_state_jacobian (autograd)
//
// Arrays are xtensor: (B, T, H) views of step gradients, pre-activations and gates, and
// histories that grow a row per logged training step (History). Analysis arithmetic is in
// double; the engine's tensors are float32.
#pragma once
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <xtensor/xtensor.hpp>

#include "gradlab/recurrent.h"
#include "gradlab/tensor.h"

namespace gradlab::analysis {

// The recurrence's nonlinearity σ. Linear is the idealised RNN h' = W_hh h + u of the
// article's first theorem (no such layer in nn::, but the analysis and the experiments use it).
enum class Activation { Linear, Tanh, ReLU };
Activation activation_from(const std::string& name, const char* who);  // "linear" | "tanh" | "relu"
const char* activation_name(Activation act);

// A (B, T, F) or (T, F) tensor's values as an xtensor array (a copy, in double).
xt::xtensor<double, 3> to_btf(const Tensor& t, const char* who);

// ---- gradient flow over time ----------------------------------------------------------------

// ‖d_t‖ for every t: the L2 norm over batch and features of each time slice of d (B, T, F),
// e.g. a layer's step_grads().dh  ->  (T)
xt::xtensor<double, 1> step_norms(const Tensor& d);
xt::xtensor<double, 1> step_norms(const xt::xtensor<double, 3>& d);

// A 2-D history: one row per logged training step, one column per coordinate (time step t,
// singular value index, ...). Rows are appended as training runs.
class History {
 public:
  History(std::string row_label, std::string col_label, std::vector<double> cols);
  void append(double row_coord, const xt::xtensor<double, 1>& row);  // row: (cols)
  const xt::xtensor<double, 2>& values() const { return values_; }   // (rows, cols)
  const std::vector<double>& rows() const { return rows_; }
  const std::vector<double>& cols() const { return cols_; }
  const std::string& row_label() const { return row_label_; }
  const std::string& col_label() const { return col_label_; }

 private:
  std::string row_label_, col_label_;
  std::vector<double> rows_, cols_;
  xt::xtensor<double, 2> values_;
};

// ---- one RNN layer's trajectory ------------------------------------------------------------

// The pre-activations z_t = x_t W_ihᵀ + b_ih + h_{t-1} W_hhᵀ + b_hh of a one-layer RNN, from its
// input x (B, T, D), the h_t it produced (B, T, H) and h0 (B, H) (undefined: zeros). Biases
// may be undefined. Recomputed in double from the weights  ->  (B, T, H)
xt::xtensor<double, 3> rnn_preactivations(const Tensor& x, const Tensor& output, const Tensor& h0,
                                          const Tensor& w_ih, const Tensor& w_hh,
                                          const Tensor& b_ih, const Tensor& b_hh);

// σ'(z) elementwise: 1; 1 − tanh²(z); [z > 0]
xt::xtensor<double, 3> activation_slopes(const xt::xtensor<double, 3>& z, Activation act);

// The Jacobian products P_t = ∂h_t/∂h_k = J_t J_{t-1} ⋯ J_{k+1}, J_j = diag(σ'(z_j)) W_hh, for
// batch element b along the slopes (B, T, H) (slot j - 1 holds step j, so k = 0 is h0).
struct JacobianProducts {
  int64_t k = 0;                    // the earlier step
  std::vector<double> norms;        // ‖P_t‖₂ (largest singular value) for t = k+1 .. T
  xt::xtensor<double, 2> last;      // P_T (H, H)
};
JacobianProducts jacobian_products(const Tensor& w_hh, const xt::xtensor<double, 3>& slopes,
                                   int64_t b = 0, int64_t k = 0);

// ---- spectra --------------------------------------------------------------------------------

struct Spectrum {
  double rho = 0;                          // max |λ|
  std::vector<double> singular_values;     // largest first
  std::vector<double> eig_real, eig_imag;  // the eigenvalues, for a plot against the unit circle
};
Spectrum spectrum(const Tensor& w);

// ‖W^k‖₂ for k = 1..K: 1 at every k for an orthogonal W; a non-normal W can grow first even
// when ρ(W) ≤ 1 (transient growth). K is at most kMaxPowerIterations.
constexpr int64_t kMaxPowerIterations = 10000;
std::vector<double> power_norms(const Tensor& w, int64_t K);

// ρ(W_hh) and the singular values of W_hh every time record() is called during training.
class SpectralTracker {
 public:
  explicit SpectralTracker(int64_t hidden_size);
  void record(double step, const Tensor& w_hh);
  const std::vector<double>& steps() const { return steps_; }
  const std::vector<double>& rho() const { return rho_; }
  const History& singular_values() const { return singular_; }  // (records, H)

 private:
  std::vector<double> steps_, rho_;
  History singular_;
};

// ---- saturation and the effective radius -----------------------------------------------------

struct Histogram {
  double lo = 0, hi = 0;
  std::vector<double> edges;   // bins + 1
  std::vector<double> counts;  // bins; values outside [lo, hi] go to the end bins
};
constexpr int64_t kMaxBins = 100000;  // bins of a histogram (and of saturation's two)
Histogram histogram(const xt::xtensor<double, 3>& values, int64_t bins, double lo, double hi);

struct Saturation {
  double rho = 0;                 // ρ(W_hh)
  double mean_slope = 0;          // E[σ'(z)] over batch, time and units
  double rho_eff = 0;             // ρ · E[σ'(z)]
  double saturated_fraction = 0;  // share of σ'(z) < 0.1 (tanh: |z| > 1.82; ReLU: z ≤ 0)
  double mean_abs_z = 0;
  Histogram z;                    // pre-activations
  Histogram slope;                // σ'(z) on [0, 1]
};
Saturation saturation(const Tensor& w_hh, const xt::xtensor<double, 3>& z, Activation act,
                      int64_t bins = 40);

// ---- clipping -------------------------------------------------------------------------------

enum class ClipMode { Norm, Value };
struct ClipReport {
  double norm_before = 0, norm_after = 0;
  double cosine = 1;            // between the gradient before and after, all parameters as one vector
  double clipped_fraction = 0;  // Value: share of elements clamped; Norm: 1 if scaled, else 0
};
// Clips the parameters' gradients in place with nn::utils::clip_grad_norm / clip_grad_value
// at `threshold`, and measures what that did to the whole gradient vector.
ClipReport clip_and_measure(const std::vector<Tensor>& params, ClipMode mode, double threshold);

// ---- LSTM: the cell-state path ---------------------------------------------------------------

// One LSTM layer's weights: w_ih (4H, D), w_hh (4H, H), biases (4H) or undefined; gates i, f, g, o.
struct LstmWeights {
  Tensor w_ih, w_hh, b_ih, b_hh;
};
LstmWeights lstm_weights(const nn::LSTM& lstm);  // layer 0 (the layer must be batch_first)

// The layer replayed in double from its weights on x (B, T, D) from zero states: gates and states.
struct LstmTrace {
  xt::xtensor<double, 3> i, f, g, o;  // (B, T, H) gate activations at each step
  xt::xtensor<double, 3> c, h;        // (B, T, H) c_t, h_t
};
LstmTrace lstm_trace(const LstmWeights& w, const Tensor& x);
LstmTrace lstm_trace(const nn::LSTM& lstm, const Tensor& x);

// ∂c_t/∂c_{t-1} (H, H) of batch element b by autograd: the engine's LSTM cell op run at step t
// from the replayed (h_{t-1}, c_{t-1}), backward from c_t with one-hot seeds, one per row.
// (With h_{t-1} held fixed; the article's identity is that this is diag(f_t).)
xt::xtensor<double, 2> lstm_cell_state_jacobian(const LstmWeights& w, const Tensor& x,
                                                const LstmTrace& trace, int64_t t, int64_t b);
xt::xtensor<double, 2> lstm_cell_state_jacobian(const nn::LSTM& lstm, const Tensor& x,
                                                const LstmTrace& trace, int64_t t, int64_t b);

// ---- the autograd graph behind a tensor (the page's graph view, gl.graph) --------------------

// A tensor's values in brief: count, extremes, mean, L2 norm and the first ≤ kGraphHead values.
constexpr int64_t kGraphHead = 64;
struct ValueSummary {
  int64_t numel = 0;
  double min = 0, max = 0, mean = 0, norm = 0;
  std::vector<float> head;
};
ValueSummary summarize(const std::vector<float>& values);

struct GraphNode {
  int64_t id = 0;          // index in AutogradGraph::nodes: inputs come before their users
  std::string op;          // "leaf" for a tensor no op made
  std::string name;        // given by the caller for some leaves (parameters, inputs), else ""
  Shape shape;
  bool leaf = false, requires_grad = false;
  ValueSummary value;
  bool has_grad = false;   // traced: the gradient that arrived (leaves: their .grad after backward)
  ValueSummary grad;
};
struct GraphEdge {
  int64_t from = 0, to = 0;  // input -> the node its op made
  int64_t index = 0;         // which input of `to` (its position in the op's arguments)
};
// One node's backward as backward() runs it: the gradient it has received in full, and what it
// added into each of its inputs that require grad.
struct GraphStep {
  int64_t node = 0;
  ValueSummary grad;
  std::vector<int64_t> into;        // input node ids, in argument order (each once)
  std::vector<int64_t> into_index;  // their argument positions
  std::vector<ValueSummary> added;  // the amount added into each (its grad after − before)
};
struct AutogradGraph {
  std::vector<GraphNode> nodes;
  std::vector<GraphEdge> edges;
  std::vector<int64_t> order;  // node ids in the order backward() runs their backward functions
  bool traced = false;
  std::vector<GraphStep> steps;  // traced: one per node of `order` whose backward ran
};
constexpr int64_t kMaxGraphNodes = 2000;

// The graph behind root, without running anything. named: names for some tensors (leaves).
// More than max_nodes nodes, or a graph already freed by backward(), is an error naming `who`.
AutogradGraph capture_graph(const Tensor& root, const std::vector<std::pair<std::string, Tensor>>& named,
                            int64_t max_nodes = kMaxGraphNodes, const char* who = "graph");
// capture_graph, then root.backward() (seed 1: root must be a scalar) with every step recorded.
// Leaves keep their .grad as after a plain backward(); the graph is freed as backward() frees it.
AutogradGraph traced_backward(const Tensor& root, const std::vector<std::pair<std::string, Tensor>>& named,
                              int64_t max_nodes = kMaxGraphNodes, const char* who = "graph");

}  // namespace gradlab::analysis
