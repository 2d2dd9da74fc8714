// Claim 2: with tanh, even ρ(W_hh) = 1 vanishes once the pre-activations grow. The slope
// tanh'(z) = 1 − tanh²(z) shrinks as |z| grows, so the recurrence runs at the effective radius
// ρ_eff = ρ(W_hh) · E[σ'(z)] < 1, measured on a batch, and ‖∂h_T/∂h_0‖ decays like ρ_eff^T.
// The input scale is the knob that grows |z|; a sweep over it shows the slide.
#include <cmath>

#include "experiments_internal.h"

namespace gradlab::experiments::detail {

namespace {

struct Measured {
  analysis::Saturation sat;
  analysis::JacobianProducts jac;
  xt::xtensor<double, 1> step_grad_norms;  // ‖∂L/∂h_t‖, t = 1..T
  double rate = 0;                          // ‖∂h_T/∂h_0‖^(1/T): the measured decay per step
};

// A tanh RNN with W_hh = ρ·Q and W_ih scaled so that each unit's input has std input_scale,
// run on x; L = mean over the batch of ⟨v, h_T⟩.
Measured measure(const Tensor& w_hh, const Tensor& w_ih_unit, double input_scale, const Tensor& x,
                 const Tensor& v, int64_t bins) {
  const int64_t H = w_hh.size(0), D = w_ih_unit.size(1);
  const int64_t B = x.size(0), T = x.size(1);
  nn::RecurrentOptions o;
  o.bias = false;
  auto sink = std::make_shared<nn::StepGrads>();
  Tensor w_ih = Tensor::from(w_ih_unit.vec(), {H, D});
  for (float& w : w_ih.vec()) w *= float(input_scale);
  Tensor x_leaf = x;  // no grad needed; the weights carry none either
  Tensor h0 = Tensor::zeros({1, B, H}, true);  // a leaf that wants a grad, so backward runs
  nn::RecurrentOutput out = nn::recurrent(nn::CellKind::RNN, x_leaf, h0, Tensor(), {w_ih, w_hh}, o, sink);
  Tensor loss = div(sum(mul(select(out.h_n, 0, 0), v)), Tensor::scalar(float(B)));
  loss.backward();

  Measured m;
  const xt::xtensor<double, 3> z =
      analysis::rnn_preactivations(x, out.output, Tensor(), w_ih, w_hh, Tensor(), Tensor());
  m.sat = analysis::saturation(w_hh, z, analysis::Activation::Tanh, bins);
  m.jac = analysis::jacobian_products(w_hh, analysis::activation_slopes(z, analysis::Activation::Tanh), 0, 0);
  m.step_grad_norms = analysis::step_norms(sink->dh);
  m.rate = std::pow(m.jac.norms.back(), 1.0 / double(T));
  return m;
}

Result run_tanh_saturation(const Params& p, const Progress& progress) {
  const double rho = p.real("rho"), input_scale = p.real("input_scale");
  const int64_t T = p.integer("T"), H = p.integer("H"), B = p.integer("B"), D = 8;
  manual_seed(uint64_t(p.integer("seed")));
  Tensor w_hh = nn::init::orthogonal_(Tensor::zeros({H, H}), rho);
  Tensor w_ih_unit = nn::init::normal_(Tensor::zeros({H, D}), 0.0, 1.0 / std::sqrt(double(D)));
  Tensor x = Tensor::randn({B, T, D});
  Tensor v = nn::init::normal_(Tensor::zeros({1, H}), 0.0, 1.0 / std::sqrt(double(H)));

  Result r;
  const Measured m = measure(w_hh, w_ih_unit, input_scale, x, v, 40);
  r.scalar("rho", m.sat.rho);
  r.scalar("mean_slope", m.sat.mean_slope);
  r.scalar("rho_eff", m.sat.rho_eff);
  r.scalar("saturated_fraction", m.sat.saturated_fraction);
  r.scalar("mean_abs_z", m.sat.mean_abs_z);
  r.scalar("jacobian_norm_T", m.jac.norms.back());
  r.scalar("decay_rate", m.rate);
  r.scalar("grad_ratio_0_T", m.step_grad_norms(0) / m.step_grad_norms(T - 1));
  r.series.push_back(make_series("jacobian_norm", "‖∂h_t/∂h_0‖", "tanh", "t", "‖∂h_t/∂h_0‖₂",
                                 arange(1, T + 1), m.jac.norms, true));
  std::vector<double> eff, lin;
  for (int64_t t = 1; t <= T; ++t) {
    eff.push_back(std::pow(m.sat.rho_eff, double(t)));
    lin.push_back(std::pow(m.sat.rho, double(t)));
  }
  r.series.push_back(make_series("jacobian_norm", "ρ_eff^t", "ρ_eff", "t", "‖∂h_t/∂h_0‖₂", arange(1, T + 1), eff, true));
  r.series.push_back(make_series("jacobian_norm", "ρ^t", "linear", "t", "‖∂h_t/∂h_0‖₂", arange(1, T + 1), lin, true));
  r.series.push_back(make_series("step_grad_norm", "‖∂L/∂h_t‖", "tanh", "t", "‖∂L/∂h_t‖", arange(1, T + 1),
                                 to_vector(m.step_grad_norms), true));
  r.histograms.push_back({"preactivation", "tanh", "z", m.sat.z});
  r.histograms.push_back({"slope", "tanh", "σ'(z) = 1 − tanh²(z)", m.sat.slope});

  // the slide: the same network at growing input scales
  const std::vector<double> scales = {0.01, 0.1, 0.25, 0.5, 1.0, 1.5, 2.0, 3.0, 4.0};
  Series s_eff = make_series("sweep", "ρ_eff", "sweep", "input scale", "ρ_eff = ρ·E[σ'(z)]", {}, {});
  Series s_rate = make_series("sweep", "‖∂h_T/∂h_0‖^(1/T)", "sweep", "input scale", "per-step rate", {}, {});
  Series s_norm = make_series("sweep_norm", "‖∂h_T/∂h_0‖", "sweep", "input scale", "‖∂h_T/∂h_0‖₂", {}, {}, true);
  for (size_t k = 0; k < scales.size(); ++k) {
    const Measured s = measure(w_hh, w_ih_unit, scales[k], x, v, 10);
    s_eff.x.push_back(scales[k]);
    s_eff.y.push_back(s.sat.rho_eff);
    s_rate.x.push_back(scales[k]);
    s_rate.y.push_back(s.rate);
    s_norm.x.push_back(scales[k]);
    s_norm.y.push_back(s.jac.norms.back());
    if (progress.callback &&
        !progress.callback({"sweep", int64_t(k) + 1, int64_t(scales.size()),
                            {{"input_scale", scales[k]}, {"rho_eff", s.sat.rho_eff}, {"rate", s.rate}}}))
      break;
  }
  r.series.push_back(std::move(s_eff));
  r.series.push_back(std::move(s_rate));
  r.series.push_back(std::move(s_norm));

  r.check("ρ(W_hh) = ρ", std::abs(m.sat.rho - rho) < 1e-4, "ρ(W_hh) = " + fmt(m.sat.rho, 7));
  r.check("ρ_eff < 1", m.sat.rho_eff < 1.0,
          "ρ_eff = " + fmt(m.sat.rho_eff) + " = ρ " + fmt(m.sat.rho) + " × E[σ'(z)] " + fmt(m.sat.mean_slope) +
              "; measured per-step rate " + fmt(m.rate) + ", ‖∂h_T/∂h_0‖ = " + fmt(m.jac.norms.back()));
  return r;
}

}  // namespace

Experiment tanh_saturation() {
  return {"tanh-saturation",
          "With tanh, even ρ(W_hh) = 1 vanishes once the pre-activations grow: the effective radius "
          "ρ_eff = ρ(W_hh)·E[σ'(z)] is below 1.",
          "histograms of z and σ'(z); ‖∂h_t/∂h_0‖ against ρ_eff^t; ρ_eff against the input scale",
          {ParamSpec::real("rho", 1.0, 0.01, 4.0, "spectral radius of W_hh = ρ·Q"),
           ParamSpec::real("input_scale", 1.0, 0.0, 20.0, "std of each unit's input x_t W_ihᵀ"),
           ParamSpec::integer("T", 100, 2, 500, "time steps"),
           ParamSpec::integer("H", 64, 1, 128, "hidden size"),
           ParamSpec::integer("B", 32, 1, 256, "batch the expectation E[σ'(z)] is taken over"),
           seed_param(0)},
          run_tanh_saturation};
}

}  // namespace gradlab::experiments::detail
