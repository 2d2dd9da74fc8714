// Embind for training: optimisers, clipping, penalties, early stopping, initialisers and the
// spectrum helpers. No logic: argument conversion, every call guarded (GUARD). The friendly API
// is web/src/api/training.js.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "gradlab/gradlab.h"
#include "guard.h"

using emscripten::val;
using namespace gradlab;
using namespace gradlab::bindings;

namespace {

val to_float64_array(const std::vector<double>& v) {
  // a copy: a view would dangle once wasm memory grows
  return val::global("Float64Array").new_(emscripten::typed_memory_view(v.size(), v.data()));
}

val eigenvalues_of(const Tensor& W) {
  std::vector<std::complex<double>> ev = linalg::eigenvalues(W);
  std::vector<double> re, im;
  for (const auto& z : ev) { re.push_back(z.real()); im.push_back(z.imag()); }
  val r = val::object();
  r.set("real", to_float64_array(re));
  r.set("imag", to_float64_array(im));
  return r;
}

// NaN stands for "not given" (torch's param=None)
std::optional<double> maybe(double v) { return std::isnan(v) ? std::nullopt : std::optional<double>(v); }

double or_none(int64_t v) { return v < 0 ? std::nan("") : double(v); }

}  // namespace

EMSCRIPTEN_BINDINGS(gradlab_training) {
  using emscripten::allow_raw_pointers;
  using emscripten::base;
  using emscripten::class_;
  using emscripten::function;
  using emscripten::optional_override;
  using utils::EarlyStopping;

  // ---- optimisers
  class_<optim::Optimizer>("Optimizer")
      .function("step", optional_override([](optim::Optimizer& o) { GUARD((o.step(), 0)); }))
      .function("zeroGrad", optional_override([](optim::Optimizer& o) { GUARD((o.zero_grad(), 0)); }))
      .function("steps", optional_override([](const optim::Optimizer& o) { return double(o.steps()); }))
      .property("lr", optional_override([](const optim::Optimizer& o) { return o.lr(); }),
                optional_override([](optim::Optimizer& o, double lr) { GUARD((o.set_lr(lr), 0)); }));
  class_<optim::SGD, base<optim::Optimizer>>("SGD")
      .constructor(optional_override([](val params, double lr, double momentum, double dampening,
                                        double weight_decay, bool nesterov, bool maximize) {
        return GUARD(new optim::SGD(to_tensors(params), optim::SGDOptions(lr).momentum(momentum).dampening(dampening)
                                    .weight_decay(weight_decay).nesterov(nesterov).maximize(maximize)));
      }), allow_raw_pointers());
  class_<optim::Adam, base<optim::Optimizer>>("Adam")
      .constructor(optional_override([](val params, double lr, double beta1, double beta2, double eps,
                                        double weight_decay, bool amsgrad, bool maximize) {
        return GUARD(new optim::Adam(to_tensors(params), optim::AdamOptions(lr).betas(beta1, beta2).eps(eps)
                                     .weight_decay(weight_decay).amsgrad(amsgrad).maximize(maximize)));
      }), allow_raw_pointers());
  class_<optim::AdamW, base<optim::Adam>>("AdamW")
      .constructor(optional_override([](val params, double lr, double beta1, double beta2, double eps,
                                        double weight_decay, bool amsgrad, bool maximize) {
        return GUARD(new optim::AdamW(to_tensors(params), optim::AdamWOptions(lr).betas(beta1, beta2).eps(eps)
                                      .weight_decay(weight_decay).amsgrad(amsgrad).maximize(maximize)));
      }), allow_raw_pointers());
  class_<optim::RMSprop, base<optim::Optimizer>>("RMSprop")
      .constructor(optional_override([](val params, double lr, double alpha, double eps, double weight_decay,
                                        double momentum, bool centered, bool maximize) {
        return GUARD(new optim::RMSprop(to_tensors(params), optim::RMSpropOptions(lr).alpha(alpha).eps(eps)
                                        .weight_decay(weight_decay).momentum(momentum).centered(centered).maximize(maximize)));
      }), allow_raw_pointers());

  // ---- clipping and penalties
  function("clipGradNorm", optional_override([](val params, double max_norm, double norm_type, bool error_if_nonfinite) {
    return GUARD(nn::utils::clip_grad_norm(to_tensors(params), max_norm, norm_type, error_if_nonfinite));
  }));
  function("gradNorm", optional_override([](val params, double norm_type) {
    return GUARD(nn::utils::grad_norm(to_tensors(params), norm_type));
  }));
  function("clipGradValue", optional_override([](val params, double clip_value) {
    GUARD((nn::utils::clip_grad_value(to_tensors(params), clip_value), 0));
  }));
  function("l1Penalty", optional_override([](val params, double w) { return GUARD(nn::utils::l1_penalty(to_tensors(params), w)); }));
  function("l2Penalty", optional_override([](val params, double w) { return GUARD(nn::utils::l2_penalty(to_tensors(params), w)); }));

  // ---- early stopping
  class_<EarlyStopping>("EarlyStopping")
      .constructor(optional_override([](val patience, double min_delta, std::string mode, bool check_finite) {
        return GUARD(new EarlyStopping(to_size(patience, "EarlyStopping", "patience"), min_delta, EarlyStopping::parse_mode(mode), check_finite));
      }), allow_raw_pointers())
      .function("step", optional_override([](EarlyStopping& e, double metric) { return GUARD(e.step(metric)); }))
      .function("stepAt", optional_override([](EarlyStopping& e, double metric, val at) {
        return GUARD(e.step(metric, to_int(at, "EarlyStopping.step", "at", 0, kMaxSafeInteger)));
      }))
      .function("reset", optional_override([](EarlyStopping& e) { GUARD((e.reset(), 0)); }))
      .function("shouldStop", optional_override([](const EarlyStopping& e) { return e.should_stop(); }))
      .function("best", optional_override([](const EarlyStopping& e) { return e.best(); }))
      .function("bestStep", optional_override([](const EarlyStopping& e) { return or_none(e.best_step()); }))
      .function("numBadSteps", optional_override([](const EarlyStopping& e) { return double(e.num_bad_steps()); }))
      .function("numSteps", optional_override([](const EarlyStopping& e) { return double(e.num_steps()); }))
      .function("stoppedStep", optional_override([](const EarlyStopping& e) { return or_none(e.stopped_step()); }))
      .function("reason", optional_override([](const EarlyStopping& e) { return e.reason(); }));

  // ---- initialisers, in place (the JS side returns its own tensor object)
  function("calculateGain", optional_override([](std::string nl, double param) { return GUARD(nn::init::calculate_gain(nl, maybe(param))); }));
  function("initUniform", optional_override([](const Tensor& t, double a, double b) { GUARD((nn::init::uniform_(t, a, b), 0)); }));
  function("initNormal", optional_override([](const Tensor& t, double mean, double std) { GUARD((nn::init::normal_(t, mean, std), 0)); }));
  function("initConstant", optional_override([](const Tensor& t, double v) { GUARD((nn::init::constant_(t, v), 0)); }));
  function("initZeros", optional_override([](const Tensor& t) { GUARD((nn::init::zeros_(t), 0)); }));
  function("initOnes", optional_override([](const Tensor& t) { GUARD((nn::init::ones_(t), 0)); }));
  function("initFillSlice", optional_override([](const Tensor& t, val start, val length, double v) {
    GUARD((nn::init::fill_slice_(t, to_index(start, "fillSlice", "start"), to_size(length, "fillSlice", "length"), v), 0));
  }));
  function("initEye", optional_override([](const Tensor& t, double gain) { GUARD((nn::init::eye_(t, gain), 0)); }));
  function("initXavierUniform", optional_override([](const Tensor& t, double gain) { GUARD((nn::init::xavier_uniform_(t, gain), 0)); }));
  function("initXavierNormal", optional_override([](const Tensor& t, double gain) { GUARD((nn::init::xavier_normal_(t, gain), 0)); }));
  function("initKaimingUniform", optional_override([](const Tensor& t, double a, std::string mode, std::string nl) {
    GUARD((nn::init::kaiming_uniform_(t, a, mode, nl), 0));
  }));
  function("initKaimingNormal", optional_override([](const Tensor& t, double a, std::string mode, std::string nl) {
    GUARD((nn::init::kaiming_normal_(t, a, mode, nl), 0));
  }));
  function("initOrthogonal", optional_override([](const Tensor& t, double gain) { GUARD((nn::init::orthogonal_(t, gain), 0)); }));
  function("initSpectralRadius", optional_override([](const Tensor& t, double rho) { GUARD((nn::init::spectral_radius_(t, rho), 0)); }));
  function("scaleSpectralRadius", optional_override([](const Tensor& t, double rho) { GUARD((nn::init::scale_spectral_radius_(t, rho), 0)); }));

  // ---- spectrum
  function("spectralRadius", optional_override([](const Tensor& W) { return GUARD(linalg::spectral_radius(W)); }));
  function("singularValues", optional_override([](const Tensor& W) { return GUARD(to_float64_array(linalg::singular_values(W))); }));
  function("eigenvalues", optional_override([](const Tensor& W) { return GUARD(eigenvalues_of(W)); }));
}
