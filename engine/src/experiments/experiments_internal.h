// Shared by the experiment files: the table's entries, a scope that keeps the caller's random
// stream, the models the experiments train, one training loop, and result helpers.
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "gradlab/experiments.h"
#include "gradlab/gradlab.h"

namespace gradlab::experiments::detail {

// one function per experiment, each in its own file (the experiment's name, dashes as _)
Experiment rho_power();
Experiment tanh_saturation();
Experiment relu_growth();
Experiment spectral_drift();
Experiment clipping();
Experiment explosion();
Experiment orthogonal_init();
Experiment adding_problem();
Experiment lstm_cell_state();
Experiment recipe();
Experiment gradient_flow();

// Saves the global generator on entry and puts it back on exit: an experiment seeds its own
// stream and the caller's gl.manualSeed sequence carries on as if nothing had run.
class SeedScope {
 public:
  SeedScope() : saved_(global_rng()) {}
  ~SeedScope() { global_rng() = saved_; }
  SeedScope(const SeedScope&) = delete;
  SeedScope& operator=(const SeedScope&) = delete;

 private:
  Rng saved_;
};

// ---- the specs every experiment shares -------------------------------------------------------
ParamSpec seed_param(int64_t def = 0);

// ---- models ----------------------------------------------------------------------------------
// "rnn" (tanh), "relu" (ReLU RNN, PyTorch's init), "irnn" (ReLU, W_hh = I, small W_ih, zero
// biases: Le et al. 2015), "lstm", "gru"
enum class ModelKind { Rnn, Relu, Irnn, Lstm, Gru };
ModelKind model_from(const std::string& name);
const char* model_name(ModelKind kind);

struct ModelInit {
  std::string w_hh = "default";  // "default" (PyTorch's U(±1/√H)), "orthogonal", "identity", "gaussian"
  double rho = 0;                // > 0: rescale W_hh (an LSTM's/GRU's every gate block) to this ρ
  std::optional<float> forget_bias;  // LSTM
  double irnn_input_std = 1e-3;      // IRNN: W_ih ~ N(0, std²) (Le et al. use 0.001)
};

// A one-layer recurrent network with a linear read-out of its last hidden state: x (B, T, D)
// -> prediction (B, out).
class SeqModel {
 public:
  SeqModel(ModelKind kind, int64_t input_size, int64_t hidden_size, int64_t out,
           const ModelInit& init);
  Tensor forward(const Tensor& x);
  std::vector<Tensor> parameters() const;
  int64_t num_parameters() const;
  nn::StepGrads step_grads() const { return layer_->step_grads(); }
  const nn::RecurrentBase& layer() const { return *layer_; }
  const Tensor& w_hh() const { return layer_->weight_hh(0); }
  ModelKind kind() const { return kind_; }
  const Tensor& last_output() const { return last_output_; }  // (B, T, H) of the last forward

 private:
  ModelKind kind_;
  std::unique_ptr<nn::RecurrentBase> layer_;
  std::unique_ptr<nn::Linear> head_;
  Tensor last_output_;
};

// ---- training on a sequence task ---------------------------------------------------------------
struct TrainConfig {
  std::string run;             // the label of this run in the result and the progress rows
  int64_t steps = 1000;
  int64_t batch = 64;
  std::string optimizer = "adam";  // "adam" | "sgd"
  double lr = 1e-2;
  double lr_drop = 0;          // in (0, 1): lr ← lr/10 once this fraction of the steps is done
  std::string clip = "none";   // "none" | "norm" | "value"
  double theta = 1.0;          // the clipping threshold
  int64_t eval_every = 100;    // held-out MSE every this many steps (and at the end)
  int64_t log_every = 10;      // loss and gradient norm into the series every this many steps
  int64_t step_grads_every = 0;  // > 0: ‖∂L/∂h_t‖ for every t into a Grid every this many steps
  int64_t spectrum_every = 0;  // > 0: ρ(W_hh) and singular values (RNN kinds) every this many
};

struct TrainSummary {
  int64_t steps_done = 0;
  double final_eval = 0;           // held-out MSE at the end
  double best_eval = 0;
  double last_loss = 0;
  int64_t diverged_step = -1;      // the first step with a non-finite loss (or parameters), or -1
  std::string diverged_reason;
  bool stopped = false;            // the progress callback asked to stop
  double seconds = 0;
};

// Trains `model` on batches from `task` with MSE; records series ("loss", "grad_norm",
// "eval_mse"), optional grids and spectra into r under cfg.run; reports through progress.
// A non-finite loss or gradient ends the run there (the step is in the summary), as does a
// false from the progress callback.
TrainSummary train_regression(SeqModel& model, tasks::AddingProblem& task, const TrainConfig& cfg,
                              const Progress& progress, Result& r, const tasks::Batch& held_out);

// ---- result helpers --------------------------------------------------------------------------
std::vector<double> arange(int64_t from, int64_t to);  // from, from+1, ..., to-1 as doubles
std::vector<double> to_vector(const xt::xtensor<double, 1>& v);
Series make_series(std::string plot, std::string name, std::string run, std::string x_label,
                   std::string y_label, std::vector<double> x, std::vector<double> y, bool log_y = false);
std::string fmt(double v, int precision = 4);  // for check details: "2.656e-05", "0.612"

}  // namespace gradlab::experiments::detail
