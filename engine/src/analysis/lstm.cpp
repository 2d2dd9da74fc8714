// The LSTM's cell-state path. Its step c_t = f_t ⊙ c_{t-1} + i_t ⊙ g_t has the Jacobian
// ∂c_t/∂c_{t-1} = diag(f_t): a gate per unit, no W_hh product, no squashing. lstm_trace replays
// the layer in double from its weights (an implementation independent of the engine's cell
// kernel); lstm_cell_state_jacobian asks the engine's autograd for the same derivative.
#include <cmath>
#include <xtensor/xview.hpp>

#include "analysis_internal.h"
#include "gradlab/analysis.h"
#include "gradlab/grad_mode.h"
#include "gradlab/ops.h"

namespace gradlab::analysis {

namespace {
double sigmoid(double v) { return 1.0 / (1.0 + std::exp(-v)); }

// checks the weights against each other and x (B, T, D); returns H
int64_t check_shapes(const LstmWeights& w, const Tensor& x, const char* who) {
  GL_CHECK(w.w_hh.defined() && w.w_hh.dim() == 2 && w.w_hh.size(0) == 4 * w.w_hh.size(1), who,
           ": expected weight_hh of shape (4H, H), got ", w.w_hh.defined() ? shape_str(w.w_hh.shape()) : "undefined");
  const int64_t H = w.w_hh.size(1);
  GL_CHECK(w.w_ih.defined() && w.w_ih.dim() == 2 && w.w_ih.size(0) == 4 * H, who, ": expected weight_ih of shape (",
           4 * H, ", D), got ", w.w_ih.defined() ? shape_str(w.w_ih.shape()) : "undefined");
  GL_CHECK(w.b_ih.defined() == w.b_hh.defined(), who, ": pass both biases or neither");
  GL_CHECK(!w.b_ih.defined() || (w.b_ih.numel() == 4 * H && w.b_hh.numel() == 4 * H), who,
           ": expected biases of ", 4 * H, " values");
  GL_CHECK(x.defined() && x.dim() == 3 && x.size(2) == w.w_ih.size(1), who, ": expected x of shape (B, T, ",
           w.w_ih.size(1), "), got ", x.defined() ? shape_str(x.shape()) : "undefined");
  return H;
}
}  // namespace

LstmWeights lstm_weights(const nn::LSTM& lstm) {
  GL_CHECK(lstm.options.batch_first, "lstm analysis: expected a batch_first LSTM");
  return {lstm.weight_ih(0), lstm.weight_hh(0), lstm.bias_ih(0), lstm.bias_hh(0)};
}

LstmTrace lstm_trace(const nn::LSTM& lstm, const Tensor& x) { return lstm_trace(lstm_weights(lstm), x); }

xt::xtensor<double, 2> lstm_cell_state_jacobian(const nn::LSTM& lstm, const Tensor& x,
                                                const LstmTrace& trace, int64_t t, int64_t b) {
  return lstm_cell_state_jacobian(lstm_weights(lstm), x, trace, t, b);
}

LstmTrace lstm_trace(const LstmWeights& w, const Tensor& x) {
  const char* who = "lstm_trace";
  const int64_t H = check_shapes(w, x, who);
  const int64_t B = x.size(0), T = x.size(1);
  const detail::RowMajor W_ih = detail::to_eigen(w.w_ih);  // (4H, D)
  const detail::RowMajor W_hh = detail::to_eigen(w.w_hh);  // (4H, H)
  Eigen::VectorXd bias = Eigen::VectorXd::Zero(4 * H);
  if (w.b_ih.defined()) {
    bias += detail::to_eigen(reshape(w.b_ih, {4 * H, 1}));
    bias += detail::to_eigen(reshape(w.b_hh, {4 * H, 1}));
  }
  const xt::xtensor<double, 3> xs = to_btf(x, who);
  const std::array<size_t, 3> shape{size_t(B), size_t(T), size_t(H)};
  LstmTrace r;
  r.i = r.f = r.g = r.o = r.c = r.h = xt::zeros<double>(shape);
  for (int64_t b = 0; b < B; ++b) {
    Eigen::VectorXd h = Eigen::VectorXd::Zero(H), c = Eigen::VectorXd::Zero(H);
    for (int64_t t = 0; t < T; ++t) {
      Eigen::VectorXd x_t(xs.shape()[2]);
      for (size_t d = 0; d < xs.shape()[2]; ++d) x_t(Eigen::Index(d)) = xs(b, t, d);
      // pre (4H) = W_ih x_t + W_hh h_{t-1} + b;  rows i, f, g, o
      const Eigen::VectorXd pre = W_ih * x_t + W_hh * h + bias;
      for (int64_t j = 0; j < H; ++j) {
        const double i = sigmoid(pre(j)), f = sigmoid(pre(H + j));
        const double g = std::tanh(pre(2 * H + j)), o = sigmoid(pre(3 * H + j));
        c(j) = f * c(j) + i * g;  // c_t = f ⊙ c_{t-1} + i ⊙ g
        h(j) = o * std::tanh(c(j));  // h_t = o ⊙ tanh(c_t); h_{t-1} was used above already
        r.i(b, t, j) = i;
        r.f(b, t, j) = f;
        r.g(b, t, j) = g;
        r.o(b, t, j) = o;
        r.c(b, t, j) = c(j);
        r.h(b, t, j) = h(j);
      }
    }
  }
  return r;
}

xt::xtensor<double, 2> lstm_cell_state_jacobian(const LstmWeights& w, const Tensor& x,
                                                const LstmTrace& trace, int64_t t, int64_t b) {
  const char* who = "lstm_cell_state_jacobian";
  const int64_t H = check_shapes(w, x, who);
  const int64_t B = x.size(0), T = x.size(1), D = x.size(2);
  GL_CHECK(t >= 0 && t < T, who, ": step t must be in [0, ", T, "), got ", t);
  GL_CHECK(b >= 0 && b < B, who, ": batch element b must be in [0, ", B, "), got ", b);
  GL_CHECK(trace.c.shape()[0] == size_t(B) && trace.c.shape()[1] == size_t(T) && trace.c.shape()[2] == size_t(H),
           who, ": the trace is not of this input");

  // the cell's inputs at step t, as leaves; the weights detached so no parameter gets a grad
  std::vector<float> h_prev(size_t(H), 0.f), c_prev(size_t(H), 0.f), x_t(size_t(D), 0.f);
  for (int64_t j = 0; j < H && t > 0; ++j) {
    h_prev[size_t(j)] = float(trace.h(b, t - 1, j));
    c_prev[size_t(j)] = float(trace.c(b, t - 1, j));
  }
  for (int64_t d = 0; d < D; ++d) x_t[size_t(d)] = x.data()[(b * T + t) * D + d];
  const Tensor w_ih = w.w_ih.detach(), w_hh = w.w_hh.detach();
  const Tensor b_ih = w.b_ih.defined() ? w.b_ih.detach() : Tensor();
  const Tensor b_hh = w.b_hh.defined() ? w.b_hh.detach() : Tensor();

  xt::xtensor<double, 2> J = xt::zeros<double>({size_t(H), size_t(H)});
  for (int64_t i = 0; i < H; ++i) {  // row i: ∂c_t[i]/∂c_{t-1}, from a backward seeded with e_i
    Tensor c_leaf = Tensor::from(c_prev, {1, H}, /*requires_grad=*/true);
    auto [h_t, c_t] = nn::lstm_cell(Tensor::from(x_t, {1, D}), Tensor::from(h_prev, {1, H}), c_leaf,
                                    w_ih, w_hh, b_ih, b_hh);
    std::vector<float> seed(size_t(H), 0.f);
    seed[size_t(i)] = 1.f;
    c_t.backward(Tensor::from(seed, {1, H}));
    const float* dc_prev = c_leaf.grad().data();
    for (int64_t j = 0; j < H; ++j) J(i, j) = dc_prev[j];
  }
  return J;
}

}  // namespace gradlab::analysis
