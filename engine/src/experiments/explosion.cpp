// Claim 6: without clipping, a ρ = 1.1 network's loss overflows to inf/NaN, and the run says at
// which step; with clip_grad_norm(θ = 1) and Adam the same network on the same data stays
// finite. Both runs start from the same weights and see the same batches.
#include <cmath>
#include <limits>

#include "experiments_internal.h"

namespace gradlab::experiments::detail {

namespace {

double max_of(const std::vector<double>& v) {
  double m = 0;
  for (double x : v) m = std::isfinite(x) ? std::max(m, x) : std::numeric_limits<double>::infinity();
  return m;
}

Result run_explosion(const Params& p, const Progress& progress) {
  const int64_t T = p.integer("T"), H = p.integer("H"), seed = p.integer("seed");
  ModelInit init;
  init.w_hh = p.choice("init");
  init.rho = p.real("rho");
  const ModelKind kind = model_from(p.choice("model"));

  TrainConfig base;
  base.steps = p.integer("steps");
  base.batch = p.integer("batch");
  base.eval_every = std::max<int64_t>(base.steps / 10, 1);
  base.log_every = 1;
  TrainConfig plain = base, guarded = base;
  plain.run = "no clipping";
  plain.optimizer = p.choice("optimizer");
  plain.lr = p.real("lr");
  guarded.run = "clipping + adam";
  guarded.optimizer = "adam";
  guarded.lr = p.real("adam_lr");
  guarded.clip = "norm";
  guarded.theta = p.real("theta");

  Result r;
  TrainSummary sums[2];
  const TrainConfig* cfgs[2] = {&plain, &guarded};
  for (int k = 0; k < 2; ++k) {
    manual_seed(uint64_t(seed));  // the same initial weights and batches for both runs
    SeqModel model(kind, 2, H, 1, init);
    tasks::AddingProblem task(T, uint64_t(seed) + 1);
    tasks::AddingProblem held_task(T, uint64_t(seed) + 2);
    const tasks::Batch held = held_task.batch(256);
    if (k == 0) r.scalar("rho", linalg::spectral_radius(model.w_hh()));
    sums[k] = train_regression(model, task, *cfgs[k], progress, r, held);
    if (sums[k].stopped) break;
  }
  const TrainSummary& a = sums[0];
  const TrainSummary& b = sums[1];
  const double nan = std::nan("");
  r.scalar("unclipped_diverged_step", a.diverged_step >= 0 ? double(a.diverged_step) : nan);
  r.scalar("unclipped_max_grad_norm", max_of(r.find_series("grad_norm", plain.run).y));
  r.scalar("clipped_diverged_step", b.diverged_step >= 0 ? double(b.diverged_step) : nan);
  r.scalar("clipped_steps", double(b.steps_done));
  r.scalar("clipped_final_loss", b.last_loss);
  r.scalar("clipped_max_loss", b.steps_done ? max_of(r.find_series("loss", guarded.run).y) : nan);
  r.scalar("clipped_max_grad_norm", b.steps_done ? max_of(r.find_series("grad_norm", guarded.run).y) : nan);
  r.check("without clipping the loss overflows", a.diverged_step >= 0,
          a.diverged_step >= 0 ? a.diverged_reason : "no overflow in " + std::to_string(a.steps_done) + " steps");
  r.check("with clipping and Adam it stays finite", b.diverged_step < 0 && b.steps_done == guarded.steps,
          b.diverged_step < 0 ? "finite for all " + std::to_string(b.steps_done) + " steps; largest loss " +
                                    fmt(r.scalar("clipped_max_loss")) + ", final " + fmt(b.last_loss)
                              : b.diverged_reason);
  return r;
}

}  // namespace

Experiment explosion() {
  return {"explosion",
          "Without clipping, a ρ = 1.1 network's loss overflows to inf/NaN (the run says at which step); "
          "with clip_grad_norm(θ = 1) and Adam the same run stays finite.",
          "loss and gradient norm per step, both runs, on a log axis",
          {ParamSpec::choice("model", "relu", {"rnn", "relu", "irnn"}, "the recurrent layer"),
           ParamSpec::choice("init", "identity", {"identity", "orthogonal", "gaussian", "default"}, "W_hh before ρ scales it"),
           ParamSpec::real("rho", 1.1, 0.0, 4.0, "ρ(W_hh) at step 0 (0: leave the init's)"),
           ParamSpec::choice("optimizer", "sgd", {"sgd", "adam"}, "the optimizer of the run without clipping"),
           ParamSpec::real("lr", 0.01, 1e-6, 10.0, "its learning rate"),
           ParamSpec::real("theta", 1.0, 1e-6, 1e6, "the clipped run's max norm θ"),
           ParamSpec::real("adam_lr", 1e-3, 1e-6, 1.0, "the clipped run's Adam learning rate"),
           ParamSpec::integer("steps", 100, 1, 100000, "training steps per run"),
           ParamSpec::integer("T", 100, 2, 1000, "adding-problem length"),
           ParamSpec::integer("H", 32, 1, 256, "hidden size"),
           ParamSpec::integer("batch", 32, 1, 1024, "batch size"),
           seed_param(0)},
          run_explosion};
}

}  // namespace gradlab::experiments::detail
