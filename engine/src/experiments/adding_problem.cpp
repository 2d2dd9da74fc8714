// Claim 8: the adding problem at T = 100 (a knob up to 1000). Predicting the mean scores the
// variance baseline, MSE = 1/6 ≈ 0.167. A tanh RNN stays there; an LSTM with forget bias 1
// gets below 0.01; an IRNN (W_hh = I, ReLU, clipping) solves it too with about a quarter of
// the LSTM's parameters (the same hidden size: one gate instead of four).
#include <cmath>
#include <limits>

#include "experiments_internal.h"

namespace gradlab::experiments::detail {

namespace {

constexpr double kSolved = 0.01;  // the MSE below which a model counts as having solved the task

Result run_adding_problem(const Params& p, const Progress& progress) {
  const int64_t T = p.integer("T"), H = p.integer("H"), seed = p.integer("seed");
  const std::string which = p.choice("model");
  std::vector<std::string> models = {"rnn", "lstm", "irnn"};
  if (which != "all") models = {which};

  Result r;
  r.scalar("baseline_mse", tasks::AddingProblem::kBaselineMSE);
  std::map<std::string, int64_t> params;
  for (const std::string& name : models) {
    manual_seed(uint64_t(seed));
    ModelInit init;
    if (name == "lstm") init.forget_bias = 1.0f;
    init.irnn_input_std = p.real("irnn_input_std");
    SeqModel model(model_from(name), 2, H, 1, init);
    tasks::AddingProblem task(T, uint64_t(seed) + 1);      // the same batches for every model
    tasks::AddingProblem held_task(T, uint64_t(seed) + 2);
    const tasks::Batch held = held_task.batch(p.integer("eval_size"));

    TrainConfig cfg;
    cfg.run = name;
    cfg.steps = name == "irnn" ? p.integer("irnn_steps") : p.integer("steps");
    cfg.batch = p.integer("batch");
    cfg.lr = name == "irnn" ? p.real("irnn_lr") : p.real("lr");
    cfg.lr_drop = p.real("lr_drop");
    cfg.clip = "norm";
    cfg.theta = p.real("theta");
    cfg.eval_every = p.integer("eval_every");
    cfg.log_every = std::max<int64_t>(cfg.steps / 200, 1);
    cfg.step_grads_every = p.integer("grads_every");
    const TrainSummary s = train_regression(model, task, cfg, progress, r, held);

    double solved_at = std::numeric_limits<double>::quiet_NaN();
    const Series& eval = r.find_series("eval_mse", name);
    for (size_t k = 0; k < eval.y.size(); ++k)
      if (eval.y[k] < kSolved) {
        solved_at = eval.x[k];
        break;
      }
    params[name] = model.num_parameters();
    r.scalar(name + "_params", double(model.num_parameters()));
    r.scalar(name + "_final_mse", s.final_eval);
    r.scalar(name + "_best_mse", s.best_eval);
    r.scalar(name + "_solved_step", solved_at);
    r.scalar(name + "_steps", double(s.steps_done));
    r.timing.emplace_back(name, s.seconds);
    const std::string budget = " after " + std::to_string(s.steps_done) + " steps of batch " + std::to_string(cfg.batch);
    if (name == "rnn")
      r.check("tanh RNN stays at the variance baseline", std::abs(s.final_eval - 1.0 / 6.0) < 0.03,
              "held-out MSE " + fmt(s.final_eval) + " vs 1/6 = 0.1667" + budget);
    else
      r.check(name == "lstm" ? "LSTM (forget bias 1) solves it" : "IRNN solves it", s.final_eval < kSolved,
              "held-out MSE " + fmt(s.final_eval) + budget +
                  (std::isnan(solved_at) ? "" : "; below 0.01 from step " + fmt(solved_at, 6)));
    if (s.stopped) break;
  }
  if (params.count("irnn") && params.count("lstm")) {
    const double ratio = double(params["irnn"]) / double(params["lstm"]);
    r.scalar("irnn_lstm_param_ratio", ratio);
    r.check("IRNN has about a quarter of LSTM's parameters", ratio > 0.2 && ratio < 0.3,
            std::to_string(params["irnn"]) + " vs " + std::to_string(params["lstm"]) + " = " + fmt(ratio, 3));
  }
  return r;
}

}  // namespace

Experiment adding_problem() {
  return {"adding-problem",
          "On the adding problem at T = 100 a tanh RNN stays at the variance baseline (MSE ≈ 0.167); an "
          "LSTM with forget bias 1 reaches MSE < 0.01; an IRNN (identity init, ReLU, clipping) solves it "
          "too with about a quarter of the LSTM's parameters.",
          "held-out MSE against the training step for each model, the 1/6 baseline; ‖∂L/∂h_t‖ over t and training",
          {ParamSpec::integer("T", 100, 2, 1000, "sequence length"),
           ParamSpec::choice("model", "all", {"all", "rnn", "lstm", "irnn"}, "which model(s) to train"),
           ParamSpec::integer("H", 16, 1, 256, "hidden size of every model"),
           ParamSpec::integer("steps", 2000, 1, 1000000, "training steps for rnn and lstm"),
           ParamSpec::integer("irnn_steps", 3000, 1, 1000000, "training steps for irnn (about 4x cheaper per step)"),
           ParamSpec::integer("batch", 64, 1, 4096, "batch size"),
           ParamSpec::real("lr", 1e-2, 1e-6, 1.0, "Adam's learning rate for rnn and lstm"),
           ParamSpec::real("irnn_lr", 3e-3, 1e-6, 1.0, "Adam's learning rate for irnn"),
           ParamSpec::real("irnn_input_std", 0.1, 0.0, 10.0,
                           "IRNN's W_ih ~ N(0, std²); Le et al.'s 0.001 needs many more steps here"),
           ParamSpec::real("lr_drop", 0.75, 0.0, 1.0, "divide the learning rate by 10 after this fraction of the steps (0: never)"),
           ParamSpec::real("theta", 1.0, 1e-6, 1e6, "clip_grad_norm's θ (every model)"),
           ParamSpec::integer("eval_every", 100, 1, 1000000, "held-out MSE every this many steps"),
           ParamSpec::integer("eval_size", 500, 1, 100000, "held-out sequences"),
           ParamSpec::integer("grads_every", 100, 0, 1000000, "‖∂L/∂h_t‖ for every t every this many steps (0: never)"),
           seed_param(0)},
          run_adding_problem};
}

}  // namespace gradlab::experiments::detail
