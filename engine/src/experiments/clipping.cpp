// Claim 5: clipping by norm, g ← g·min(1, θ/‖g‖), rescales and so keeps the direction
// (cosine 1) while capping ‖g‖ at θ; clipping by value clamps each component and turns the
// gradient (cosine < 1). One real gradient (a ρ = 1.1 network on an adding-problem batch) is
// clipped both ways, at the chosen thresholds and along a sweep of them.
#include <cmath>

#include "experiments_internal.h"

namespace gradlab::experiments::detail {

namespace {

using Grads = std::vector<std::vector<float>>;

Grads save(const std::vector<Tensor>& params) {
  Grads g;
  for (const Tensor& p : params) g.push_back(p.grad().vec());
  return g;
}
void restore(const std::vector<Tensor>& params, const Grads& g) {
  for (size_t k = 0; k < params.size(); ++k) params[k].grad().vec() = g[k];
}

Result run_clipping(const Params& p, const Progress& progress) {
  const int64_t T = p.integer("T"), H = p.integer("H"), seed = p.integer("seed");
  const double theta = p.real("theta"), clip_value = p.real("clip_value");
  manual_seed(uint64_t(seed));
  ModelInit init;
  init.w_hh = p.choice("init");
  init.rho = p.real("rho");
  SeqModel model(model_from(p.choice("model")), 2, H, 1, init);
  tasks::AddingProblem task(T, uint64_t(seed) + 1);
  const tasks::Batch batch = task.batch(p.integer("batch"));
  const std::vector<Tensor> params = model.parameters();
  mse_loss(model.forward(batch.x), batch.y).backward();
  const Grads g0 = save(params);
  double max_abs = 0;
  for (const auto& g : g0)
    for (float v : g) max_abs = std::max(max_abs, double(std::abs(v)));

  Result r;
  const analysis::ClipReport by_norm = analysis::clip_and_measure(params, analysis::ClipMode::Norm, theta);
  restore(params, g0);
  const analysis::ClipReport by_value = analysis::clip_and_measure(params, analysis::ClipMode::Value, clip_value);
  restore(params, g0);
  r.scalar("norm_before", by_norm.norm_before);
  r.scalar("max_abs_grad", max_abs);
  r.scalar("norm_clip_norm_after", by_norm.norm_after);
  r.scalar("norm_clip_cosine", by_norm.cosine);
  r.scalar("value_clip_norm_after", by_value.norm_after);
  r.scalar("value_clip_cosine", by_value.cosine);
  r.scalar("value_clip_clamped_fraction", by_value.clipped_fraction);

  // the sweep: thresholds from 1e-4 to 1 of the gradient's own scale (‖g‖ for the norm,
  // max |g_i| for the value), 25 per method
  Series cos_n = make_series("cosine", "by norm", "norm", "threshold / scale", "cos(g, clip(g))", {}, {});
  Series cos_v = make_series("cosine", "by value", "value", "threshold / scale", "cos(g, clip(g))", {}, {});
  Series norm_n = make_series("norm_after", "by norm", "norm", "threshold / scale", "‖clip(g)‖", {}, {}, true);
  Series norm_v = make_series("norm_after", "by value", "value", "threshold / scale", "‖clip(g)‖", {}, {}, true);
  const int points = 25;
  for (int k = 0; k < points; ++k) {
    const double frac = std::pow(10.0, -4.0 + 4.0 * double(k) / double(points - 1));
    const analysis::ClipReport n = analysis::clip_and_measure(params, analysis::ClipMode::Norm, frac * by_norm.norm_before);
    restore(params, g0);
    const analysis::ClipReport v = analysis::clip_and_measure(params, analysis::ClipMode::Value, frac * max_abs);
    restore(params, g0);
    cos_n.x.push_back(frac);
    cos_n.y.push_back(n.cosine);
    cos_v.x.push_back(frac);
    cos_v.y.push_back(v.cosine);
    norm_n.x.push_back(frac);
    norm_n.y.push_back(n.norm_after);
    norm_v.x.push_back(frac);
    norm_v.y.push_back(v.norm_after);
  }
  r.series.push_back(std::move(cos_n));
  r.series.push_back(std::move(cos_v));
  r.series.push_back(std::move(norm_n));
  r.series.push_back(std::move(norm_v));
  if (progress.callback) progress.callback({"sweep", 1, 1, {{"norm_before", by_norm.norm_before}}});

  r.check("by norm: the norm is capped at θ", by_norm.norm_before > theta && std::abs(by_norm.norm_after - theta) <= 1e-4 * theta,
          "‖g‖ " + fmt(by_norm.norm_before) + " → " + fmt(by_norm.norm_after, 7) + " at θ = " + fmt(theta));
  r.check("by norm: the direction is kept (cosine 1)", by_norm.cosine > 1 - 1e-6, "cosine " + fmt(by_norm.cosine, 9));
  r.check("by value: the direction changes (cosine < 1)", by_value.cosine < 1 - 1e-3,
          "cosine " + fmt(by_value.cosine, 6) + " with " + fmt(100 * by_value.clipped_fraction, 3) +
              "% of the components clamped at ±" + fmt(clip_value));
  return r;
}

}  // namespace

Experiment clipping() {
  return {"clipping",
          "Clipping by norm keeps the gradient's direction (cosine 1) and caps its norm at θ; "
          "clipping by value changes the direction (cosine < 1).",
          "cosine between the gradient and its clipped self, and the clipped norm, against the threshold",
          {ParamSpec::real("theta", 1.0, 1e-9, 1e9, "clip_grad_norm's max_norm θ"),
           ParamSpec::real("clip_value", 0.1, 1e-9, 1e9, "clip_grad_value's bound"),
           ParamSpec::choice("model", "rnn", {"rnn", "relu", "irnn", "lstm", "gru"}, "the network whose gradient is clipped"),
           ParamSpec::choice("init", "orthogonal", {"orthogonal", "identity", "gaussian", "default"}, "W_hh before ρ scales it"),
           ParamSpec::real("rho", 1.1, 0.0, 4.0, "rescale W_hh to this ρ (RNN kinds; 0: leave it)"),
           ParamSpec::integer("T", 50, 2, 1000, "adding-problem length"),
           ParamSpec::integer("H", 32, 1, 256, "hidden size"),
           ParamSpec::integer("batch", 32, 1, 1024, "batch size"),
           seed_param(0)},
          run_clipping};
}

}  // namespace gradlab::experiments::detail
