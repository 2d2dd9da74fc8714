// Claim 3: ReLU keeps the gradient on active units (σ' = 1 there) but, with an unbounded state,
// lets ‖h_t‖ grow exponentially when ρ > 1; tanh bounds the state (‖h_t‖ ≤ √H) and pays with
// saturation. Both layers get the same W_hh = ρ·I (IRNN scaled) or ρ·Q, inputs and h_0.
#include <cmath>
#include <xtensor/xview.hpp>

#include "experiments_internal.h"

namespace gradlab::experiments::detail {

namespace {

struct Run {
  std::vector<double> state_norm;            // mean over the batch of ‖h_t‖, t = 0..T
  analysis::JacobianProducts jac;            // batch element 0
  xt::xtensor<double, 1> step_grad_norms;    // ‖∂L/∂h_t‖, t = 1..T
  xt::xtensor<double, 3> slopes;             // (B, T, H)
};

Run run_layer(nn::Nonlinearity nl, const Tensor& w_ih, const Tensor& w_hh, const Tensor& x,
              const Tensor& h0, const Tensor& v) {
  const int64_t B = x.size(0), H = w_hh.size(0);
  nn::RecurrentOptions o;
  o.bias = false;
  o.nonlinearity = nl;
  auto sink = std::make_shared<nn::StepGrads>();
  Tensor h0_leaf = Tensor::from(h0.vec(), {1, B, H}, true);
  nn::RecurrentOutput out = nn::recurrent(nn::CellKind::RNN, x, h0_leaf, Tensor(), {w_ih, w_hh}, o, sink);
  sum(mul(select(out.h_n, 0, 0), v)).backward();  // L = Σ_b ⟨v, h_T⟩

  Run r;
  const xt::xtensor<double, 3> h = analysis::to_btf(out.output, "relu-growth");
  const xt::xtensor<double, 3> h0v = analysis::to_btf(reshape(h0, {B, 1, H}), "relu-growth");
  r.state_norm.push_back(xt::mean(xt::sqrt(xt::sum(xt::square(h0v), {2})))());
  const xt::xtensor<double, 2> norms = xt::sqrt(xt::sum(xt::square(h), {2}));  // (B, T)
  const xt::xtensor<double, 1> mean_norm = xt::mean(norms, {0});
  for (double n : mean_norm) r.state_norm.push_back(n);
  const auto act = nl == nn::Nonlinearity::ReLU ? analysis::Activation::ReLU : analysis::Activation::Tanh;
  const xt::xtensor<double, 3> z =
      analysis::rnn_preactivations(x, out.output, reshape(h0, {B, H}), w_ih, w_hh, Tensor(), Tensor());
  r.slopes = analysis::activation_slopes(z, act);
  r.jac = analysis::jacobian_products(w_hh, r.slopes, 0, 0);
  r.step_grad_norms = analysis::step_norms(sink->dh);
  return r;
}

Result run_relu_growth(const Params& p, const Progress& progress) {
  const double rho = p.real("rho"), input_scale = p.real("input_scale");
  const int64_t T = p.integer("T"), H = p.integer("H"), B = p.integer("B"), D = 8;
  const std::string init = p.choice("init");
  manual_seed(uint64_t(p.integer("seed")));
  Tensor w_hh = Tensor::zeros({H, H});
  if (init == "identity") nn::init::eye_(w_hh, rho);
  else nn::init::orthogonal_(w_hh, rho);
  Tensor w_ih = nn::init::normal_(Tensor::zeros({H, D}), 0.0, input_scale / std::sqrt(double(D)));
  Tensor x = Tensor::randn({B, T, D});
  Tensor h0 = Tensor::randn({1, B, H});
  for (float& h : h0.vec()) h = std::abs(h) / std::sqrt(float(H));  // positive: every unit starts active
  Tensor v = nn::init::normal_(Tensor::zeros({1, H}), 0.0, 1.0 / std::sqrt(double(H)));

  const Run relu = run_layer(nn::Nonlinearity::ReLU, w_ih, w_hh, x, h0, v);
  if (progress.callback) progress.callback({"relu", 1, 2, {{"state_norm_T", relu.state_norm.back()}}});
  const Run th = run_layer(nn::Nonlinearity::Tanh, w_ih, w_hh, x, h0, v);
  if (progress.callback) progress.callback({"tanh", 2, 2, {{"state_norm_T", th.state_norm.back()}}});

  Result r;
  const int64_t half = T / 2;
  const double growth = std::pow(relu.state_norm[size_t(T)] / relu.state_norm[size_t(half)], 1.0 / double(T - half));
  // units of sequence 0 active at every step: on them ∂h_T/∂h_0 is (ρ·I)^T restricted, = ρ^T
  double gain_sum = 0;
  int64_t always_active = 0;
  for (int64_t j = 0; j < H; ++j) {
    bool active = true;
    for (int64_t t = 0; t < T && active; ++t) active = relu.slopes(0, t, j) > 0;
    if (!active) continue;
    ++always_active;
    gain_sum += relu.jac.last(j, j);
  }
  const double power = std::pow(rho, double(T));
  r.scalar("rho", linalg::spectral_radius(w_hh));
  r.scalar("relu_state_norm_0", relu.state_norm.front());
  r.scalar("relu_state_norm_T", relu.state_norm.back());
  r.scalar("relu_growth_rate", growth);
  r.scalar("relu_active_fraction", xt::mean(relu.slopes)());
  r.scalar("relu_jacobian_norm_T", relu.jac.norms.back());
  r.scalar("relu_always_active_units", double(always_active));
  r.scalar("relu_active_unit_gain", always_active ? gain_sum / double(always_active) / power : std::nan(""));
  r.scalar("tanh_state_norm_T", th.state_norm.back());
  r.scalar("tanh_state_norm_max", *std::max_element(th.state_norm.begin(), th.state_norm.end()));
  r.scalar("tanh_jacobian_norm_T", th.jac.norms.back());
  r.scalar("rho_power_T", power);

  r.series.push_back(make_series("state_norm", "‖h_t‖", "relu", "t", "mean ‖h_t‖", arange(0, T + 1), relu.state_norm, true));
  r.series.push_back(make_series("state_norm", "‖h_t‖", "tanh", "t", "mean ‖h_t‖", arange(0, T + 1), th.state_norm, true));
  r.series.push_back(make_series("jacobian_norm", "‖∂h_t/∂h_0‖", "relu", "t", "‖∂h_t/∂h_0‖₂", arange(1, T + 1), relu.jac.norms, true));
  r.series.push_back(make_series("jacobian_norm", "‖∂h_t/∂h_0‖", "tanh", "t", "‖∂h_t/∂h_0‖₂", arange(1, T + 1), th.jac.norms, true));
  r.series.push_back(make_series("step_grad_norm", "‖∂L/∂h_t‖", "relu", "t", "‖∂L/∂h_t‖", arange(1, T + 1), to_vector(relu.step_grad_norms), true));
  r.series.push_back(make_series("step_grad_norm", "‖∂L/∂h_t‖", "tanh", "t", "‖∂L/∂h_t‖", arange(1, T + 1), to_vector(th.step_grad_norms), true));

  if (rho > 1)
    r.check("ReLU: ‖h_t‖ grows like ρ^t", std::abs(growth - rho) < 0.02 * rho,
            "per-step growth of ‖h_t‖ over the second half " + fmt(growth) + ", ρ = " + fmt(rho) +
                "; ‖h_T‖/‖h_0‖ = " + fmt(relu.state_norm.back() / relu.state_norm.front()));
  if (init == "identity")
    r.check("ReLU keeps the gradient on active units", always_active > 0 && std::abs(gain_sum / double(always_active) / power - 1) < 1e-3,
            std::to_string(always_active) + " of " + std::to_string(H) + " units active at every step; their ∂h_T/∂h_0 = " +
                fmt(always_active ? gain_sum / double(always_active) : 0) + " vs ρ^T = " + fmt(power));
  r.check("tanh keeps ‖h_t‖ ≤ √H", th.state_norm.back() <= std::sqrt(double(H)),
          "tanh ‖h_T‖ = " + fmt(th.state_norm.back()) + ", √H = " + fmt(std::sqrt(double(H))));
  return r;
}

}  // namespace

Experiment relu_growth() {
  return {"relu-growth",
          "ReLU keeps the gradient on active units but lets ‖h_t‖ grow exponentially when ρ > 1; "
          "tanh keeps the state bounded.",
          "‖h_t‖ and ‖∂h_t/∂h_0‖ against t for ReLU and tanh with the same W_hh",
          {ParamSpec::real("rho", 1.1, 0.01, 4.0, "W_hh = ρ·I (identity) or ρ·Q (orthogonal)"),
           ParamSpec::choice("init", "identity", {"identity", "orthogonal"}, "the W_hh that ρ scales"),
           ParamSpec::integer("T", 100, 2, 1000, "time steps"),
           ParamSpec::integer("H", 32, 1, 128, "hidden size"),
           ParamSpec::integer("B", 16, 1, 256, "batch"),
           ParamSpec::real("input_scale", 0.1, 0.0, 20.0, "std of each unit's input x_t W_ihᵀ"),
           seed_param(0)},
          run_relu_growth};
}

}  // namespace gradlab::experiments::detail
