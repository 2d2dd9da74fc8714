// Claim 1: in a linear RNN with W_hh = ρ·Q (Q orthogonal), ‖∂h_T/∂h_0‖ = ρ^T exactly:
// 0.9^100 ≈ 2.66e-5 (vanishes), 1.1^100 ≈ 1.38e4 (explodes).
//
// Measured twice: by the analysis (the Jacobian product ∏ diag(σ'(z_j)) W_hh in double) and
// by the engine's autograd (h_0 batched H times, backward seeded with the identity on h_T, so
// row i of ∂h_T/∂h_0 lands in row i of h_0's gradient), each then reduced to its largest
// singular value.
#include <cmath>

#include "../analysis/analysis_internal.h"
#include "experiments_internal.h"

namespace gradlab::experiments::detail {

namespace {

Tensor activate(const Tensor& z, analysis::Activation act) {
  switch (act) {
    case analysis::Activation::Linear: return z;
    case analysis::Activation::Tanh: return tanh(z);
    case analysis::Activation::ReLU: return relu(z);
  }
  return z;
}

Result run_rho_power(const Params& p, const Progress& progress) {
  const double rho = p.real("rho");
  const int64_t T = p.integer("T"), H = p.integer("H");
  const auto act = analysis::activation_from(p.choice("activation"), "rho-power");
  const double input_scale = p.real("input_scale");
  manual_seed(uint64_t(p.integer("seed")));

  // W_hh = ρ·Q; h_0 ~ N(0, 1/H) (unit norm on average); inputs u_t ~ N(0, input_scale²) added
  // to the pre-activation (W_ih = I): they move z, so they matter for tanh and ReLU only.
  Tensor w_hh = nn::init::orthogonal_(Tensor::zeros({H, H}), rho);
  Tensor h0 = nn::init::normal_(Tensor::zeros({1, H}), 0.0, 1.0 / std::sqrt(double(H)));
  Tensor u = nn::init::normal_(Tensor::zeros({1, T, H}), 0.0, input_scale);

  // the trajectory, once, by hand: z_t = h_{t-1} W_hhᵀ + u_t, h_t = σ(z_t)
  Tensor h = h0;
  std::vector<Tensor> hs;
  {
    NoGradGuard no_grad;
    for (int64_t t = 0; t < T; ++t) {
      h = activate(add(matmul(h, transpose(w_hh)), select(u, 1, t)), act);
      hs.push_back(reshape(h, {1, 1, H}));
    }
  }
  const Tensor output = cat(hs, 1);  // (1, T, H)
  const xt::xtensor<double, 3> z =
      analysis::rnn_preactivations(u, output, h0, nn::init::eye_(Tensor::zeros({H, H})), w_hh, Tensor(), Tensor());
  const analysis::JacobianProducts J =
      analysis::jacobian_products(w_hh, analysis::activation_slopes(z, act), 0, 0);
  if (progress.callback) progress.callback({"analysis", 1, 2, {{"jacobian_norm", J.norms.back()}}});

  // the same by autograd: H copies of h_0, backward from h_T with the identity as seed
  Tensor h0_rows = Tensor::from(std::vector<float>(size_t(H * H)), {H, H}, false);
  for (int64_t i = 0; i < H; ++i) std::copy_n(h0.data(), H, h0_rows.data() + i * H);
  h0_rows.set_requires_grad(true);
  Tensor hh = h0_rows;
  for (int64_t t = 0; t < T; ++t) hh = activate(add(matmul(hh, transpose(w_hh)), select(u, 1, t)), act);
  hh.backward(nn::init::eye_(Tensor::zeros({H, H})));
  analysis::detail::RowMajor jac = analysis::detail::to_eigen(h0_rows.grad());
  const double autograd_norm = analysis::detail::spectral_norm(jac);

  Result r;
  const double power = std::pow(rho, double(T));
  const double measured = J.norms.back();
  r.scalar("rho", linalg::spectral_radius(w_hh));
  r.scalar("rho_power_T", power);
  r.scalar("jacobian_norm_T", measured);
  r.scalar("jacobian_norm_T_autograd", autograd_norm);
  r.scalar("relative_error", std::abs(measured - power) / power);
  r.scalar("autograd_relative_error", std::abs(autograd_norm - measured) / measured);

  std::vector<double> powers;
  for (int64_t t = 1; t <= T; ++t) powers.push_back(std::pow(rho, double(t)));
  r.series.push_back(make_series("jacobian_norm", "‖∂h_t/∂h_0‖", analysis::activation_name(act), "t",
                                 "‖∂h_t/∂h_0‖₂", arange(1, T + 1), J.norms, true));
  r.series.push_back(make_series("jacobian_norm", "ρ^t", "theory", "t", "‖∂h_t/∂h_0‖₂", arange(1, T + 1),
                                 powers, true));
  if (act == analysis::Activation::Linear)
    r.check("‖∂h_T/∂h_0‖ = ρ^T within 1%", std::abs(measured - power) <= 0.01 * power,
            "‖∂h_" + std::to_string(T) + "/∂h_0‖ = " + fmt(measured) + ", ρ^T = " + fmt(power) +
                " (autograd: " + fmt(autograd_norm) + ")");
  else
    r.notes.push_back(std::string("with ") + analysis::activation_name(act) +
                      " the slopes σ'(z) < 1 pull the norm below ρ^T: " + fmt(measured) + " vs " + fmt(power));
  if (progress.callback) progress.callback({"autograd", 2, 2, {{"jacobian_norm_autograd", autograd_norm}}});
  return r;
}

}  // namespace

Experiment rho_power() {
  return {"rho-power",
          "In a linear RNN with W_hh = ρ·Q (Q orthogonal) the gradient norm over T steps is ρ^T: "
          "0.9^100 = 2.66e-5 vanishes, 1.1^100 = 1.38e4 explodes.",
          "‖∂h_t/∂h_0‖ against t on a log axis, measured and ρ^t",
          {ParamSpec::real("rho", 0.9, 0.01, 4.0, "spectral radius of W_hh = ρ·Q"),
           ParamSpec::integer("T", 100, 1, 1000, "time steps"),
           ParamSpec::integer("H", 32, 1, 128, "hidden size"),
           ParamSpec::choice("activation", "linear", {"linear", "tanh", "relu"},
                             "σ in h_t = σ(W_hh h_{t-1} + u_t)"),
           ParamSpec::real("input_scale", 1.0, 0.0, 100.0, "std of the inputs u_t (moot for linear)"),
           seed_param(0)},
          run_rho_power};
}

}  // namespace gradlab::experiments::detail
