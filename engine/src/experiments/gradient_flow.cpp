// How far back the gradient reaches at initialisation: ‖∂L/∂h_t‖ against t for a tanh RNN, an
// IRNN, an LSTM (and its ‖∂L/∂c_t‖) and a GRU, each reading out its last state on one
// adding-problem batch. The picture behind claims 1-3 and 9 for the networks one trains.
#include <cmath>

#include "experiments_internal.h"

namespace gradlab::experiments::detail {

namespace {

Result run_gradient_flow(const Params& p, const Progress& progress) {
  const int64_t T = p.integer("T"), H = p.integer("H"), seed = p.integer("seed");
  tasks::AddingProblem task(T, uint64_t(seed) + 1);
  const tasks::Batch batch = task.batch(p.integer("batch"));
  Result r;
  const std::vector<std::string> models = {"rnn", "irnn", "lstm", "gru"};
  for (size_t k = 0; k < models.size(); ++k) {
    const std::string& name = models[k];
    manual_seed(uint64_t(seed));
    ModelInit init;
    if (name == "lstm") init.forget_bias = float(p.real("forget_bias"));
    SeqModel model(model_from(name), 2, H, 1, init);
    mse_loss(model.forward(batch.x), batch.y).backward();
    const nn::StepGrads g = model.step_grads();
    const xt::xtensor<double, 1> dh = analysis::step_norms(g.dh);
    r.series.push_back(make_series("step_grad_norm", "‖∂L/∂h_t‖", name, "t", "‖∂L/∂h_t‖", arange(1, T + 1), to_vector(dh), true));
    r.scalar(name + "_ratio_1_T", dh(0) / dh(T - 1));
    if (g.dc.defined()) {
      const xt::xtensor<double, 1> dc = analysis::step_norms(g.dc);
      r.series.push_back(make_series("step_grad_norm", "‖∂L/∂c_t‖", "lstm c", "t", "‖∂L/∂h_t‖", arange(1, T + 1), to_vector(dc), true));
      r.scalar("lstm_c_ratio_1_T", dc(0) / dc(T - 1));
    }
    if (progress.callback && !progress.callback({name, int64_t(k) + 1, int64_t(models.size()), {{"ratio_1_T", dh(0) / dh(T - 1)}}}))
      break;
  }
  return r;
}

}  // namespace

Experiment gradient_flow() {
  return {"gradient-flow",
          "How far back the gradient reaches at initialisation differs by many orders of magnitude between "
          "a tanh RNN, an IRNN, an LSTM (h_t and c_t) and a GRU of the same size.",
          "‖∂L/∂h_t‖ (and the LSTM's ‖∂L/∂c_t‖) against t for each model",
          {ParamSpec::integer("T", 100, 2, 1000, "adding-problem length"),
           ParamSpec::integer("H", 32, 1, 256, "hidden size"),
           ParamSpec::integer("batch", 32, 1, 1024, "batch size"),
           ParamSpec::real("forget_bias", 1.0, -10.0, 10.0, "the LSTM's forget-gate bias"),
           seed_param(0)},
          run_gradient_flow};
}

}  // namespace gradlab::experiments::detail
