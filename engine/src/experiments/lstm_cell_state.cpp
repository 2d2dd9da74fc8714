// Claim 9: an LSTM's cell state passes its gradient back through ∂c_t/∂c_{t-1} = diag(f_t),
// an element-wise gate and no matrix product. The gates are replayed in double from the
// weights (analysis::lstm_trace); the Jacobian comes from the engine's autograd through its
// LSTM cell (analysis::lstm_cell_state_jacobian) at every step; they must agree entry by entry.
#include <cmath>
#include <xtensor/xview.hpp>

#include "experiments_internal.h"

namespace gradlab::experiments::detail {

namespace {

// mean over batch and units of ∏_{j=t+1..T} f_j, for t = 0..T: the cell path's gain ∂c_T/∂c_t
std::vector<double> cell_path_gain(const xt::xtensor<double, 3>& f) {
  const size_t B = f.shape()[0], T = f.shape()[1], H = f.shape()[2];
  std::vector<double> gain(T + 1, 0.0);
  for (size_t b = 0; b < B; ++b)
    for (size_t j = 0; j < H; ++j) {
      double g = 1;
      gain[T] += 1;
      for (size_t t = T; t-- > 0;) {
        g *= f(b, t, j);
        gain[t] += g;
      }
    }
  for (double& g : gain) g /= double(B * H);
  return gain;
}

Result run_lstm_cell_state(const Params& p, const Progress& progress) {
  const int64_t H = p.integer("H"), T = p.integer("T"), B = p.integer("B"), D = 4;
  const double forget_bias = p.real("forget_bias");
  manual_seed(uint64_t(p.integer("seed")));
  nn::RecurrentOptions o;
  o.forget_bias = float(forget_bias);
  nn::LSTM lstm(D, H, o);
  Tensor x = Tensor::randn({B, T, D});
  Tensor v = nn::init::normal_(Tensor::zeros({1, H}), 0.0, 1.0 / std::sqrt(double(H)));

  // the fused layer and its per-step gradients, L = Σ_b ⟨v, h_T⟩
  nn::RecurrentOutput out = lstm.forward(x);
  sum(mul(select(out.h_n, 0, 0), v)).backward();
  const nn::StepGrads grads = lstm.step_grads();
  const xt::xtensor<double, 1> dh = analysis::step_norms(grads.dh), dc = analysis::step_norms(grads.dc);

  const analysis::LstmTrace trace = analysis::lstm_trace(lstm, x);
  const xt::xtensor<double, 3> engine_h = analysis::to_btf(out.output, "lstm-cell-state");
  const double replay_error = xt::amax(xt::abs(engine_h - trace.h))();

  // autograd's ∂c_t/∂c_{t-1} against diag(f_t), at every step of sequence 0
  double max_diff = 0, max_offdiag = 0;
  Series diag_err = make_series("jacobian_error", "max |J_t − diag(f_t)|", "autograd", "t", "max abs difference", {}, {}, true);
  for (int64_t t = 0; t < T; ++t) {
    const xt::xtensor<double, 2> J = analysis::lstm_cell_state_jacobian(lstm, x, trace, t, 0);
    double step_max = 0;
    for (int64_t i = 0; i < H; ++i)
      for (int64_t j = 0; j < H; ++j) {
        const double expected = i == j ? trace.f(0, t, i) : 0.0;
        const double d = std::abs(J(i, j) - expected);
        step_max = std::max(step_max, d);
        if (i != j) max_offdiag = std::max(max_offdiag, std::abs(J(i, j)));
      }
    max_diff = std::max(max_diff, step_max);
    diag_err.x.push_back(double(t + 1));
    diag_err.y.push_back(std::max(step_max, 1e-12));
    if (progress.callback && (t + 1) % std::max<int64_t>(1, progress.every) == 0 &&
        !progress.callback({"autograd", t + 1, T, {{"max_abs_diff", max_diff}}}))
      break;
  }

  // the same weights with the forget bias at 0 (same seed), for the gates and the path gain
  nn::RecurrentOptions o0;
  o0.forget_bias = 0.f;
  manual_seed(uint64_t(p.integer("seed")));
  nn::LSTM zero_bias(D, H, o0);
  const analysis::LstmTrace trace0 = analysis::lstm_trace(zero_bias, x);

  Result r;
  const xt::xtensor<double, 1> mean_f = xt::mean(trace.f, {0, 2}), mean_f0 = xt::mean(trace0.f, {0, 2});
  const std::vector<double> gain = cell_path_gain(trace.f), gain0 = cell_path_gain(trace0.f);
  r.scalar("max_abs_diff", max_diff);
  r.scalar("max_offdiag", max_offdiag);
  r.scalar("replay_error", replay_error);
  r.scalar("mean_forget", xt::mean(trace.f)());
  r.scalar("mean_forget_bias0", xt::mean(trace0.f)());
  r.scalar("cell_path_gain_T", gain.front());
  r.scalar("cell_path_gain_T_bias0", gain0.front());
  r.scalar("dc_ratio_0_T", dc(0) / dc(T - 1));
  r.scalar("dh_ratio_0_T", dh(0) / dh(T - 1));
  const std::string fb = "forget bias " + fmt(forget_bias, 3);
  r.series.push_back(make_series("forget_gate", "mean f_t", fb, "t", "mean f_t", arange(1, T + 1), to_vector(mean_f)));
  r.series.push_back(make_series("forget_gate", "mean f_t", "forget bias 0", "t", "mean f_t", arange(1, T + 1), to_vector(mean_f0)));
  r.series.push_back(make_series("cell_path_gain", "∏ f_j (j > t)", fb, "t", "∂c_T/∂c_t along the cell path", arange(0, T + 1), gain, true));
  r.series.push_back(make_series("cell_path_gain", "∏ f_j (j > t)", "forget bias 0", "t", "∂c_T/∂c_t along the cell path", arange(0, T + 1), gain0, true));
  r.series.push_back(make_series("step_grad_norm", "‖∂L/∂c_t‖", "dc", "t", "norm", arange(1, T + 1), to_vector(dc), true));
  r.series.push_back(make_series("step_grad_norm", "‖∂L/∂h_t‖", "dh", "t", "norm", arange(1, T + 1), to_vector(dh), true));
  r.series.push_back(std::move(diag_err));
  r.check("∂c_t/∂c_{t-1} = diag(f_t)", max_diff < 1e-5,
          "max |autograd − diag(f_t)| = " + fmt(max_diff, 3) + " over " + std::to_string(T) + " steps (off-diagonal at most " +
              fmt(max_offdiag, 3) + "); mean f = " + fmt(xt::mean(trace.f)(), 3));
  return r;
}

}  // namespace

Experiment lstm_cell_state() {
  return {"lstm-cell-state",
          "In an LSTM ∂c_t/∂c_{t-1} = f_t element-wise: the cell state's gradient path has no matrix product "
          "(the analysis value equals autograd's).",
          "mean f_t and the cell-path gain ∏ f_j against t for forget bias 1 and 0; ‖∂L/∂c_t‖ and ‖∂L/∂h_t‖",
          {ParamSpec::integer("H", 16, 1, 128, "hidden size"),
           ParamSpec::integer("T", 50, 1, 500, "time steps"),
           ParamSpec::integer("B", 4, 1, 256, "batch"),
           ParamSpec::real("forget_bias", 1.0, -10.0, 10.0, "the forget gate's bias at init"),
           seed_param(0)},
          run_lstm_cell_state};
}

}  // namespace gradlab::experiments::detail
