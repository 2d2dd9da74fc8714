// Gradient flow over time: per-step gradient norms, the pre-activations of an RNN layer
// replayed from its weights, and the Jacobian products ∂h_t/∂h_k whose norm the article's
// first theorem bounds by (ρ(W_hh) · max σ')^(t-k).
#include <Eigen/Dense>
#include <cmath>
#include <xtensor/xadapt.hpp>
#include <xtensor/xbuilder.hpp>
#include <xtensor/xmanipulation.hpp>
#include <xtensor/xmath.hpp>
#include <xtensor/xview.hpp>

#include "analysis_internal.h"
#include "gradlab/analysis.h"
#include "gradlab/check.h"
#include "gradlab/ops.h"

namespace gradlab::analysis {

Activation activation_from(const std::string& name, const char* who) {
  if (name == "linear") return Activation::Linear;
  if (name == "tanh") return Activation::Tanh;
  if (name == "relu") return Activation::ReLU;
  GL_FAIL(who, ": activation must be 'linear', 'tanh' or 'relu', got '", name, "'");
}

const char* activation_name(Activation act) {
  switch (act) {
    case Activation::Linear: return "linear";
    case Activation::Tanh: return "tanh";
    case Activation::ReLU: return "relu";
  }
  return "?";
}

xt::xtensor<double, 3> to_btf(const Tensor& t, const char* who) {
  GL_CHECK(t.defined(), who, ": got an undefined tensor");
  GL_CHECK(t.dim() == 3 || t.dim() == 2, who, ": expected a (B, T, F) or (T, F) tensor, got ",
           shape_str(t.shape()));
  const Shape& s = t.shape();
  std::array<size_t, 3> shape = t.dim() == 3
      ? std::array<size_t, 3>{size_t(s[0]), size_t(s[1]), size_t(s[2])}
      : std::array<size_t, 3>{1, size_t(s[0]), size_t(s[1])};
  auto view = xt::adapt(t.data(), size_t(t.numel()), xt::no_ownership(), shape);
  return xt::cast<double>(view);
}

xt::xtensor<double, 1> step_norms(const xt::xtensor<double, 3>& d) {
  // ‖d_t‖ = √(Σ_{b, j} d[b, t, j]²): a reduction over the batch and feature axes
  return xt::sqrt(xt::sum(xt::square(d), {0, 2}));
}

xt::xtensor<double, 1> step_norms(const Tensor& d) { return step_norms(to_btf(d, "step_norms")); }

History::History(std::string row_label, std::string col_label, std::vector<double> cols)
    : row_label_(std::move(row_label)), col_label_(std::move(col_label)), cols_(std::move(cols)),
      values_(xt::xtensor<double, 2>::shape_type{0, cols_.size()}) {}

void History::append(double row_coord, const xt::xtensor<double, 1>& row) {
  GL_CHECK(row.size() == cols_.size(), "History(", row_label_, " x ", col_label_, "): a row of ",
           row.size(), " values, expected ", cols_.size());
  rows_.push_back(row_coord);
  values_ = xt::concatenate(xt::xtuple(values_, xt::view(row, xt::newaxis(), xt::all())), 0);
}

xt::xtensor<double, 3> rnn_preactivations(const Tensor& x, const Tensor& output, const Tensor& h0,
                                          const Tensor& w_ih, const Tensor& w_hh,
                                          const Tensor& b_ih, const Tensor& b_hh) {
  const char* who = "rnn_preactivations";
  GL_CHECK(x.defined() && x.dim() == 3, who, ": expected x of shape (B, T, D), got ",
           x.defined() ? shape_str(x.shape()) : "undefined");
  const int64_t B = x.size(0), T = x.size(1), D = x.size(2);
  GL_CHECK(w_hh.defined() && w_hh.dim() == 2 && w_hh.size(0) == w_hh.size(1), who,
           ": expected a square weight_hh, got ", w_hh.defined() ? shape_str(w_hh.shape()) : "undefined");
  const int64_t H = w_hh.size(0);
  GL_CHECK(w_ih.defined() && w_ih.shape() == Shape({H, D}), who, ": expected weight_ih of shape ",
           shape_str({H, D}), ", got ", w_ih.defined() ? shape_str(w_ih.shape()) : "undefined");
  GL_CHECK(output.defined() && output.shape() == Shape({B, T, H}), who,
           ": expected the layer's output of shape ", shape_str({B, T, H}), ", got ",
           output.defined() ? shape_str(output.shape()) : "undefined");
  GL_CHECK(!h0.defined() || h0.numel() == B * H, who, ": expected h0 with ", B * H,
           " values (B, H), got ", shape_str(h0.shape()));

  // every step at once: Z (B·T, H) = X (B·T, D) W_ihᵀ + H_prev (B·T, H) W_hhᵀ + b_ih + b_hh,
  // where H_prev's row (b, t) is h_{t-1} of sequence b (h0 at t = 0)
  xt::xtensor<double, 3> h_prev = xt::zeros<double>({size_t(B), size_t(T), size_t(H)});
  xt::xtensor<double, 3> out = to_btf(output, who);
  xt::view(h_prev, xt::all(), xt::range(1, T), xt::all()) = xt::view(out, xt::all(), xt::range(0, T - 1), xt::all());
  if (h0.defined()) {
    auto h0v = xt::adapt(h0.data(), size_t(B * H), xt::no_ownership(), std::array<size_t, 2>{size_t(B), size_t(H)});
    xt::view(h_prev, xt::all(), 0, xt::all()) = xt::cast<double>(h0v);
  }
  xt::xtensor<double, 3> xs = to_btf(x, who);
  xt::xtensor<double, 3> z = xt::zeros<double>({size_t(B), size_t(T), size_t(H)});

  using RowMajor = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  Eigen::Map<const RowMajor> X(xs.data(), B * T, D), Hp(h_prev.data(), B * T, H);
  Eigen::Map<RowMajor> Z(z.data(), B * T, H);
  const RowMajor W_ih = detail::to_eigen(w_ih), W_hh = detail::to_eigen(w_hh);
  Z.noalias() = X * W_ih.transpose();
  Z.noalias() += Hp * W_hh.transpose();
  Eigen::RowVectorXd bias = Eigen::RowVectorXd::Zero(H);
  if (b_ih.defined()) bias += detail::to_eigen(reshape(b_ih, {1, H}));
  if (b_hh.defined()) bias += detail::to_eigen(reshape(b_hh, {1, H}));
  Z.rowwise() += bias;
  return z;
}

xt::xtensor<double, 3> activation_slopes(const xt::xtensor<double, 3>& z, Activation act) {
  switch (act) {
    case Activation::Linear: return xt::ones_like(z);
    case Activation::Tanh: return 1.0 - xt::square(xt::tanh(z));  // tanh' = 1 − tanh²
    case Activation::ReLU: return xt::cast<double>(z > 0.0);     // relu' = [z > 0]
  }
  return z;
}

JacobianProducts jacobian_products(const Tensor& w_hh, const xt::xtensor<double, 3>& slopes,
                                   int64_t b, int64_t k) {
  const char* who = "jacobian_products";
  const auto& s = slopes.shape();
  const int64_t B = int64_t(s[0]), T = int64_t(s[1]), H = int64_t(s[2]);
  GL_CHECK(w_hh.defined() && w_hh.shape() == Shape({H, H}), who, ": expected weight_hh of shape ",
           shape_str({H, H}), " for slopes of shape ", shape_str({B, T, H}), ", got ",
           w_hh.defined() ? shape_str(w_hh.shape()) : "undefined");
  GL_CHECK(b >= 0 && b < B, who, ": batch element ", b, " is out of range for batch size ", B);
  GL_CHECK(k >= 0 && k < T, who, ": the earlier step k must be in [0, ", T, "), got ", k);

  const Eigen::MatrixXd W = detail::to_eigen(w_hh);
  Eigen::MatrixXd P = Eigen::MatrixXd::Identity(H, H);
  JacobianProducts r;
  r.k = k;
  for (int64_t t = k + 1; t <= T; ++t) {
    // J_t = ∂h_t/∂h_{t-1} = diag(σ'(z_t)) W_hh   (h_t = σ(W_hh h_{t-1} + ...));  P ← J_t P
    auto slope = xt::view(slopes, b, t - 1, xt::all());
    Eigen::VectorXd d(H);
    for (int64_t j = 0; j < H; ++j) d(j) = slope(j);
    P = d.asDiagonal() * (W * P);
    r.norms.push_back(detail::spectral_norm(P));
  }
  r.last = xt::zeros<double>({size_t(H), size_t(H)});
  for (int64_t i = 0; i < H; ++i)
    for (int64_t j = 0; j < H; ++j) r.last(i, j) = P(i, j);
  return r;
}

}  // namespace gradlab::analysis
