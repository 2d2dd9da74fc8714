// What the experiments share: the models they build, the training loop, result helpers.
#include <chrono>
#include <cmath>
#include "gradlab/text.h"

#include "experiments_internal.h"

namespace gradlab::experiments::detail {

ParamSpec seed_param(int64_t def) {
  return ParamSpec::integer("seed", def, 0, 4294967295LL, "random seed: weights, inputs and data");
}

// ---- models ------------------------------------------------------------------------------------
ModelKind model_from(const std::string& name) {
  if (name == "rnn") return ModelKind::Rnn;
  if (name == "relu") return ModelKind::Relu;
  if (name == "irnn") return ModelKind::Irnn;
  if (name == "lstm") return ModelKind::Lstm;
  if (name == "gru") return ModelKind::Gru;
  GL_FAIL("experiments: unknown model '", name, "' (expected rnn, relu, irnn, lstm or gru)");
}

const char* model_name(ModelKind kind) {
  switch (kind) {
    case ModelKind::Rnn: return "rnn";
    case ModelKind::Relu: return "relu";
    case ModelKind::Irnn: return "irnn";
    case ModelKind::Lstm: return "lstm";
    case ModelKind::Gru: return "gru";
  }
  return "?";
}

namespace {
// Applies `fill` to each (H, H) gate block of W_hh (G·H, H) in place (the whole W_hh for an RNN).
template <class Fill>
void per_gate_block(const Tensor& w_hh, Fill fill) {
  const int64_t H = w_hh.size(1), G = w_hh.size(0) / H;
  float* w = const_cast<Tensor&>(w_hh).data();
  for (int64_t k = 0; k < G; ++k) {
    Tensor block = Tensor::from(std::vector<float>(w + k * H * H, w + (k + 1) * H * H), {H, H});
    fill(block);
    std::copy_n(block.data(), H * H, w + k * H * H);
  }
}
}  // namespace

SeqModel::SeqModel(ModelKind kind, int64_t input_size, int64_t hidden_size, int64_t out,
                   const ModelInit& init)
    : kind_(kind) {
  nn::RecurrentOptions o;
  if (kind == ModelKind::Relu || kind == ModelKind::Irnn) o.nonlinearity = nn::Nonlinearity::ReLU;
  if (kind == ModelKind::Lstm) o.forget_bias = init.forget_bias;
  switch (kind) {
    case ModelKind::Rnn:
    case ModelKind::Relu:
    case ModelKind::Irnn: layer_ = std::make_unique<nn::RNN>(input_size, hidden_size, o); break;
    case ModelKind::Lstm: layer_ = std::make_unique<nn::LSTM>(input_size, hidden_size, o); break;
    case ModelKind::Gru: layer_ = std::make_unique<nn::GRU>(input_size, hidden_size, o); break;
  }
  head_ = std::make_unique<nn::Linear>(hidden_size, out);

  const Tensor& w_hh = layer_->weight_hh(0);
  std::string w = init.w_hh;
  if (kind == ModelKind::Irnn) {
    // Le et al.: W_hh = I, W_ih ~ N(0, 0.001²), zero biases
    if (w == "default") w = "identity";
    nn::init::normal_(layer_->weight_ih(0), 0.0, init.irnn_input_std);
    nn::init::zeros_(layer_->bias_ih(0));
    nn::init::zeros_(layer_->bias_hh(0));
  }
  if (w == "orthogonal") per_gate_block(w_hh, [](Tensor& b) { nn::init::orthogonal_(b); });
  else if (w == "identity") per_gate_block(w_hh, [](Tensor& b) { nn::init::eye_(b); });
  else if (w == "gaussian")
    per_gate_block(w_hh, [&](Tensor& b) { nn::init::normal_(b, 0.0, 1.0 / std::sqrt(double(hidden_size))); });
  else GL_CHECK(w == "default", "experiments: unknown W_hh init '", w, "'");
  if (init.rho > 0)  // an LSTM's or GRU's gate blocks each get spectral radius ρ
    per_gate_block(w_hh, [&](Tensor& b) { nn::init::scale_spectral_radius_(b, init.rho); });
}

Tensor SeqModel::forward(const Tensor& x) {
  nn::RecurrentOutput out;
  switch (kind_) {
    case ModelKind::Lstm: out = static_cast<nn::LSTM&>(*layer_).forward(x); break;
    case ModelKind::Gru: out = static_cast<nn::GRU&>(*layer_).forward(x); break;
    default: out = static_cast<nn::RNN&>(*layer_).forward(x); break;
  }
  last_output_ = out.output;
  return head_->forward(select(out.h_n, 0, 0));  // (B, H) -> (B, out)
}

std::vector<Tensor> SeqModel::parameters() const {
  std::vector<Tensor> p = layer_->parameters();
  for (const Tensor& t : head_->parameters()) p.push_back(t);
  return p;
}

int64_t SeqModel::num_parameters() const { return layer_->num_parameters() + head_->num_parameters(); }

// ---- training --------------------------------------------------------------------------------
namespace {
bool all_finite(const std::vector<Tensor>& params) {
  for (const Tensor& p : params)
    for (float v : p.vec())
      if (!std::isfinite(v)) return false;
  return true;
}

double eval_mse(SeqModel& model, const tasks::Batch& held_out) {
  NoGradGuard no_grad;
  return double(mse_loss(model.forward(held_out.x), held_out.y).item());
}
}  // namespace

TrainSummary train_regression(SeqModel& model, tasks::AddingProblem& task, const TrainConfig& cfg,
                              const Progress& progress, Result& r, const tasks::Batch& held_out) {
  const auto start = std::chrono::steady_clock::now();
  const std::vector<Tensor> params = model.parameters();
  std::unique_ptr<optim::Optimizer> opt;
  if (cfg.optimizer == "adam") opt = std::make_unique<optim::Adam>(params, cfg.lr);
  else if (cfg.optimizer == "sgd") opt = std::make_unique<optim::SGD>(params, cfg.lr);
  else GL_FAIL("experiments: unknown optimizer '", cfg.optimizer, "' (expected adam or sgd)");
  GL_CHECK(cfg.clip == "none" || cfg.clip == "norm" || cfg.clip == "value",
           "experiments: clip must be none, norm or value, got '", cfg.clip, "'");

  Series loss = make_series("loss", "loss", cfg.run, "training step", "MSE", {}, {}, true);
  Series grad = make_series("grad_norm", "grad_norm", cfg.run, "training step", "‖∇L‖ before clipping", {}, {}, true);
  Series eval = make_series("eval_mse", "eval_mse", cfg.run, "training step", "held-out MSE", {}, {}, true);
  Series rho = make_series("rho", "rho", cfg.run, "training step", "ρ(W_hh)", {}, {});
  const bool square = model.w_hh().size(0) == model.w_hh().size(1);
  const int64_t T = task.length(), H = model.w_hh().size(1);
  analysis::History flow("training step", "t", arange(1, T + 1));
  analysis::SpectralTracker spectra(H);

  TrainSummary s;
  s.best_eval = eval_mse(model, held_out);
  eval.x.push_back(0);
  eval.y.push_back(s.best_eval);
  s.final_eval = s.best_eval;
  double window_loss = 0, window_grad = 0;
  int64_t window = 0;
  auto record_spectrum = [&](int64_t step) {
    if (cfg.spectrum_every > 0 && square && all_finite({model.w_hh()})) {
      spectra.record(double(step), model.w_hh());
      rho.x.push_back(double(step));
      rho.y.push_back(spectra.rho().back());
    }
  };
  record_spectrum(0);

  for (int64_t step = 1; step <= cfg.steps; ++step) {
    if (!all_finite(params)) {  // the last update overflowed: the loss would be NaN from here on
      s.diverged_step = step;
      s.diverged_reason = "the parameters overflowed to inf/NaN in the update of step " +
                          std::to_string(step - 1) + ", so the loss is NaN from step " + std::to_string(step);
      loss.x.push_back(double(step));
      loss.y.push_back(std::nan(""));
      break;
    }
    if (cfg.lr_drop > 0 && step == int64_t(std::ceil(cfg.lr_drop * double(cfg.steps))) + 1)
      opt->set_lr(cfg.lr / 10);
    tasks::Batch batch = task.batch(cfg.batch);
    opt->zero_grad();
    Tensor l = mse_loss(model.forward(batch.x), batch.y);
    const double lv = double(l.item());
    if (!std::isfinite(lv)) {
      s.diverged_step = step;
      s.diverged_reason = std::string("the loss overflowed to ") + (std::isnan(lv) ? "NaN" : "inf") +
                          " at step " + std::to_string(step);
      loss.x.push_back(double(step));
      loss.y.push_back(lv);
      break;
    }
    l.backward();
    double gn;
    if (cfg.clip == "norm") gn = nn::utils::clip_grad_norm(params, cfg.theta);
    else gn = nn::utils::grad_norm(params);
    if (cfg.clip == "value") nn::utils::clip_grad_value(params, cfg.theta);
    if (cfg.step_grads_every > 0 && (step == 1 || step % cfg.step_grads_every == 0))
      flow.append(double(step), analysis::step_norms(model.step_grads().dh));
    opt->step();
    s.steps_done = step;
    s.last_loss = lv;
    window_loss += lv;
    window_grad += gn;
    ++window;
    if (step % cfg.log_every == 0 || step == cfg.steps) {
      loss.x.push_back(double(step));
      loss.y.push_back(window_loss / double(window));
      grad.x.push_back(double(step));
      grad.y.push_back(window_grad / double(window));
      window_loss = window_grad = 0;
      window = 0;
    }
    if (cfg.spectrum_every > 0 && step % cfg.spectrum_every == 0) record_spectrum(step);
    const bool last = step == cfg.steps;
    if ((step % cfg.eval_every == 0 || last) && all_finite(params)) {
      s.final_eval = eval_mse(model, held_out);
      s.best_eval = std::min(s.best_eval, s.final_eval);
      eval.x.push_back(double(step));
      eval.y.push_back(s.final_eval);
    }
    if (progress.callback && (step % std::max<int64_t>(1, progress.every) == 0 || last)) {
      ProgressRow row{cfg.run, step, cfg.steps, {{"loss", lv}, {"grad_norm", gn}}};
      if (!eval.y.empty()) row.values.push_back({"eval_mse", eval.y.back()});
      if (!rho.y.empty()) row.values.push_back({"rho", rho.y.back()});
      if (!progress.callback(row)) {
        s.stopped = true;
        r.notes.push_back(cfg.run + ": stopped by the caller after step " + std::to_string(step));
        break;
      }
    }
  }
  if (s.diverged_step < 0 && s.steps_done > 0 && all_finite(params)) {
    if (eval.x.back() != double(s.steps_done)) {
      s.final_eval = eval_mse(model, held_out);
      s.best_eval = std::min(s.best_eval, s.final_eval);
      eval.x.push_back(double(s.steps_done));
      eval.y.push_back(s.final_eval);
    }
  } else if (s.diverged_step >= 0) {
    s.final_eval = std::nan("");
    r.notes.push_back(cfg.run + ": " + s.diverged_reason);
  }
  r.series.push_back(std::move(loss));
  r.series.push_back(std::move(grad));
  r.series.push_back(std::move(eval));
  if (cfg.spectrum_every > 0 && square) {
    r.series.push_back(std::move(rho));
    const analysis::History& sv = spectra.singular_values();
    r.grids.push_back({"singular_values", cfg.run, sv.row_label(), sv.col_label(), "σ_i(W_hh)", false,
                       sv.rows(), sv.cols(), sv.values()});
  }
  if (cfg.step_grads_every > 0 && !flow.rows().empty())
    r.grids.push_back({"step_grad_norms", cfg.run, flow.row_label(), flow.col_label(), "‖∂L/∂h_t‖", true,
                       flow.rows(), flow.cols(), flow.values()});
  s.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return s;
}

// ---- result helpers ----------------------------------------------------------------------------
std::vector<double> arange(int64_t from, int64_t to) {
  std::vector<double> v;
  for (int64_t k = from; k < to; ++k) v.push_back(double(k));
  return v;
}

std::vector<double> to_vector(const xt::xtensor<double, 1>& v) { return std::vector<double>(v.begin(), v.end()); }

Series make_series(std::string plot, std::string name, std::string run, std::string x_label,
                   std::string y_label, std::vector<double> x, std::vector<double> y, bool log_y) {
  Series s;
  s.plot = std::move(plot);
  s.name = std::move(name);
  s.run = std::move(run);
  s.x_label = std::move(x_label);
  s.y_label = std::move(y_label);
  s.log_y = log_y;
  s.x = std::move(x);
  s.y = std::move(y);
  return s;
}

std::string fmt(double v, int precision) {
  Text os;
  os.precision(precision);
  os << v;
  return os.str();
}

}  // namespace gradlab::experiments::detail
