// Claim 10: the article's closing recipe for training an LSTM, orthogonal W_hh + forget bias 1
// + gradient clipping + Adam, beside the same run with each piece removed in turn, on the same
// task (the adding problem), from the same seed, with the same batches.
#include <cmath>
#include <limits>

#include "experiments_internal.h"

namespace gradlab::experiments::detail {

namespace {

struct Variant {
  std::string name;
  bool orthogonal, forget_bias, clip, adam;
};

Result run_recipe(const Params& p, const Progress& progress) {
  const int64_t T = p.integer("T"), H = p.integer("H"), seed = p.integer("seed");
  const std::string only = p.choice("variant");
  const std::vector<Variant> variants = {
      {"recipe", true, true, true, true},
      {"no orthogonal init", false, true, true, true},
      {"no forget bias", true, false, true, true},
      {"no clipping", true, true, false, true},
      {"sgd instead of adam", true, true, true, false},
  };

  Result r;
  r.scalar("baseline_mse", tasks::AddingProblem::kBaselineMSE);
  for (const Variant& v : variants) {
    if (only != "all" && only != v.name) continue;
    manual_seed(uint64_t(seed));
    ModelInit init;
    init.w_hh = v.orthogonal ? "orthogonal" : "default";
    init.forget_bias = v.forget_bias ? std::optional<float>(1.0f) : std::nullopt;
    SeqModel model(ModelKind::Lstm, 2, H, 1, init);
    tasks::AddingProblem task(T, uint64_t(seed) + 1);
    tasks::AddingProblem held_task(T, uint64_t(seed) + 2);
    const tasks::Batch held = held_task.batch(p.integer("eval_size"));

    TrainConfig cfg;
    cfg.run = v.name;
    cfg.steps = p.integer("steps");
    cfg.batch = p.integer("batch");
    cfg.optimizer = v.adam ? "adam" : "sgd";
    cfg.lr = v.adam ? p.real("lr") : p.real("sgd_lr");
    cfg.clip = v.clip ? "norm" : "none";
    cfg.theta = p.real("theta");
    cfg.eval_every = p.integer("eval_every");
    cfg.log_every = std::max<int64_t>(cfg.steps / 200, 1);
    const TrainSummary s = train_regression(model, task, cfg, progress, r, held);

    double solved_at = std::numeric_limits<double>::quiet_NaN();
    const Series& eval = r.find_series("eval_mse", v.name);
    for (size_t k = 0; k < eval.y.size(); ++k)
      if (eval.y[k] < 0.01) {
        solved_at = eval.x[k];
        break;
      }
    const std::string key = v.name == "recipe" ? "recipe"
                            : v.name == "no orthogonal init" ? "no_orthogonal"
                            : v.name == "no forget bias" ? "no_forget_bias"
                            : v.name == "no clipping" ? "no_clipping" : "sgd";
    r.scalar(key + "_final_mse", s.final_eval);
    r.scalar(key + "_best_mse", s.best_eval);
    r.scalar(key + "_solved_step", solved_at);
    r.timing.emplace_back(key, s.seconds);
    if (s.stopped) break;
  }
  if (r.has_scalar("recipe_final_mse"))
    r.check("the recipe solves the task", r.scalar("recipe_final_mse") < 0.01,
            "held-out MSE " + fmt(r.scalar("recipe_final_mse")) + " after " + std::to_string(p.integer("steps")) + " steps");
  return r;
}

}  // namespace

Experiment recipe() {
  return {"recipe",
          "The article's closing recipe, orthogonal init + forget bias 1 + gradient clipping + Adam, beside "
          "the same LSTM with each piece removed one at a time, on the same task.",
          "held-out MSE against the training step for the recipe and each ablation",
          {ParamSpec::choice("variant", "all",
                             {"all", "recipe", "no orthogonal init", "no forget bias", "no clipping", "sgd instead of adam"},
                             "run every variant, or one"),
           ParamSpec::integer("T", 100, 2, 1000, "adding-problem length"),
           ParamSpec::integer("H", 16, 1, 256, "LSTM hidden size"),
           ParamSpec::integer("steps", 1500, 1, 1000000, "training steps per variant"),
           ParamSpec::integer("batch", 64, 1, 4096, "batch size"),
           ParamSpec::real("lr", 1e-2, 1e-6, 1.0, "Adam's learning rate"),
           ParamSpec::real("sgd_lr", 0.1, 1e-6, 10.0, "SGD's learning rate (the variant without Adam)"),
           ParamSpec::real("theta", 1.0, 1e-6, 1e6, "clip_grad_norm's θ"),
           ParamSpec::integer("eval_every", 100, 1, 1000000, "held-out MSE every this many steps"),
           ParamSpec::integer("eval_size", 500, 1, 100000, "held-out sequences"),
           seed_param(0)},
          run_recipe};
}

}  // namespace gradlab::experiments::detail
