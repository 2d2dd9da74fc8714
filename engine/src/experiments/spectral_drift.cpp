// Claim 4: training moves ρ(W_hh) away from where initialisation put it. A tanh RNN starts at
// W_hh = ρ₀·Q (ρ = 1 exactly) and trains on the adding problem; ρ(W_hh) and every singular
// value of W_hh are recorded every few steps.
#include <algorithm>
#include <cmath>

#include "experiments_internal.h"

namespace gradlab::experiments::detail {

namespace {

Result run_spectral_drift(const Params& p, const Progress& progress) {
  const int64_t T = p.integer("T"), H = p.integer("H"), seed = p.integer("seed");
  manual_seed(uint64_t(seed));
  ModelInit init;
  init.w_hh = p.choice("init");
  init.rho = p.real("rho0");
  SeqModel model(model_from(p.choice("model")), 2, H, 1, init);
  tasks::AddingProblem task(T, uint64_t(seed) + 1);
  tasks::AddingProblem held_task(T, uint64_t(seed) + 2);
  const tasks::Batch held = held_task.batch(256);

  TrainConfig cfg;
  cfg.run = p.choice("model");
  cfg.steps = p.integer("steps");
  cfg.batch = p.integer("batch");
  cfg.optimizer = p.choice("optimizer");
  cfg.lr = p.real("lr");
  cfg.clip = p.real("theta") > 0 ? "norm" : "none";
  cfg.theta = p.real("theta");
  cfg.spectrum_every = p.integer("every");
  cfg.eval_every = std::max<int64_t>(cfg.steps / 10, 1);
  cfg.log_every = std::max<int64_t>(cfg.steps / 100, 1);

  Result r;
  const TrainSummary s = train_regression(model, task, cfg, progress, r, held);
  const std::vector<double> rho = r.find_series("rho").y;  // a copy: r.series grows below
  double max_drift = 0;
  for (double v : rho) max_drift = std::max(max_drift, std::abs(v - rho.front()));
  const Grid sv = *std::find_if(r.grids.begin(), r.grids.end(), [](const Grid& g) { return g.name == "singular_values"; });
  const size_t last = sv.rows.size() - 1;
  Series s_max = make_series("singular_extremes", "σ_max", cfg.run, "training step", "σ(W_hh)", sv.rows, {});
  Series s_min = make_series("singular_extremes", "σ_min", cfg.run, "training step", "σ(W_hh)", sv.rows, {});
  for (size_t k = 0; k < sv.rows.size(); ++k) {
    s_max.y.push_back(sv.values(k, 0));
    s_min.y.push_back(sv.values(k, size_t(H) - 1));
  }
  r.series.push_back(std::move(s_max));
  r.series.push_back(std::move(s_min));

  r.scalar("rho_initial", rho.front());
  r.scalar("rho_final", rho.back());
  r.scalar("rho_max_drift", max_drift);
  r.scalar("sigma_max_initial", sv.values(0, 0));
  r.scalar("sigma_min_initial", sv.values(0, size_t(H) - 1));
  r.scalar("sigma_max_final", sv.values(last, 0));
  r.scalar("sigma_min_final", sv.values(last, size_t(H) - 1));
  r.scalar("final_eval_mse", s.final_eval);
  r.scalar("steps", double(s.steps_done));
  r.check("ρ(W_hh) drifts away from its initial value", max_drift > 0.01,
          "ρ(W_hh) " + fmt(rho.front()) + " → " + fmt(rho.back()) + " after " + std::to_string(s.steps_done) +
              " steps (largest move " + fmt(max_drift) + "); σ range [" + fmt(sv.values(0, size_t(H) - 1)) + ", " +
              fmt(sv.values(0, 0)) + "] → [" + fmt(sv.values(last, size_t(H) - 1)) + ", " + fmt(sv.values(last, 0)) + "]");
  return r;
}

}  // namespace

Experiment spectral_drift() {
  return {"spectral-drift",
          "Training moves ρ(W_hh) away from its initial value: orthogonal init puts it at 1, the "
          "gradient updates do not keep it there.",
          "ρ(W_hh) and the singular values of W_hh against the training step",
          {ParamSpec::choice("model", "rnn", {"rnn", "relu", "irnn"}, "the recurrent layer (tanh, ReLU, IRNN)"),
           ParamSpec::choice("init", "orthogonal", {"orthogonal", "identity", "gaussian", "default"},
                             "W_hh at step 0 (default: PyTorch's U(±1/√H))"),
           ParamSpec::real("rho0", 1.0, 0.0, 4.0, "rescale W_hh to this ρ at step 0 (0: leave it)"),
           ParamSpec::integer("steps", 300, 1, 100000, "training steps"),
           ParamSpec::integer("every", 10, 1, 100000, "record the spectrum every this many steps"),
           ParamSpec::choice("optimizer", "adam", {"adam", "sgd"}, "optimizer"),
           ParamSpec::real("lr", 1e-2, 1e-6, 10.0, "learning rate"),
           ParamSpec::real("theta", 1.0, 0.0, 1e6, "clip the gradient norm at θ (0: no clipping)"),
           ParamSpec::integer("T", 50, 2, 1000, "adding-problem length"),
           ParamSpec::integer("H", 32, 1, 256, "hidden size"),
           ParamSpec::integer("batch", 32, 1, 1024, "batch size"),
           seed_param(0)},
          run_spectral_drift};
}

}  // namespace gradlab::experiments::detail
