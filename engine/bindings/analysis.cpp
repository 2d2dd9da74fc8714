// Embind for engine/analysis and the experiments (gl.analysis and gl.experiments in
// web/src/api/analysis.js). Conversion only: xtensor arrays become Float64Arrays or tensors,
// results become plain objects, and every call is guarded so errors arrive as JS Errors.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <map>
#include <string>

#include "gradlab/analysis.h"
#include "gradlab/check.h"
#include "gradlab/experiments.h"
#include "gradlab/ops.h"
#include "guard.h"

using emscripten::val;
using namespace gradlab;
using namespace gradlab::bindings;

namespace {

val f64(const double* p, size_t n) {
  return val::global("Float64Array").new_(emscripten::typed_memory_view(n, p));  // a copy
}
val f64(const std::vector<double>& v) { return f64(v.data(), v.size()); }

// an (N, M) xtensor as a Float64Array of N·M values and its shape
val matrix(const xt::xtensor<double, 2>& m) {
  val r = val::object();
  r.set("values", f64(m.data(), m.size()));
  r.set("shape", to_js_array({int64_t(m.shape()[0]), int64_t(m.shape()[1])}));
  return r;
}

Tensor to_tensor(const xt::xtensor<double, 3>& a) {
  std::vector<float> v(a.begin(), a.end());
  return Tensor::from(std::move(v), {int64_t(a.shape()[0]), int64_t(a.shape()[1]), int64_t(a.shape()[2])});
}

val histogram_js(const analysis::Histogram& h) {
  val r = val::object();
  r.set("lo", h.lo);
  r.set("hi", h.hi);
  r.set("edges", f64(h.edges));
  r.set("counts", f64(h.counts));
  return r;
}

val step_norms(const Tensor& d) {
  const xt::xtensor<double, 1> n = analysis::step_norms(d);
  return f64(n.data(), n.size());
}

Tensor preactivations(const Tensor& x, const Tensor& output, const val& h0, const Tensor& w_ih,
                      const Tensor& w_hh, const val& b_ih, const val& b_hh) {
  return to_tensor(analysis::rnn_preactivations(x, output, tensor_or_none(h0), w_ih, w_hh,
                                                tensor_or_none(b_ih), tensor_or_none(b_hh)));
}

Tensor slopes(const Tensor& z, const std::string& activation) {
  return to_tensor(analysis::activation_slopes(analysis::to_btf(z, "slopes"),
                                               analysis::activation_from(activation, "slopes")));
}

val jacobian(const Tensor& w_hh, const Tensor& slope, const val& b, const val& k) {
  const char* who = "analysis.jacobianNorms";
  const int64_t batch_index = to_index(b, who, "batchIndex"), from = to_index(k, who, "from");
  const analysis::JacobianProducts J =
      analysis::jacobian_products(w_hh, analysis::to_btf(slope, "jacobianNorms"), batch_index, from);
  val r = val::object();
  r.set("from", double(J.k));
  r.set("norms", f64(J.norms));
  r.set("last", matrix(J.last));
  return r;
}

val spectrum(const Tensor& w) {
  const analysis::Spectrum s = analysis::spectrum(w);
  val r = val::object();
  r.set("rho", s.rho);
  r.set("singularValues", f64(s.singular_values));
  r.set("eigReal", f64(s.eig_real));
  r.set("eigImag", f64(s.eig_imag));
  return r;
}

val saturation(const Tensor& w_hh, const Tensor& z, const std::string& activation, const val& bins) {
  const int64_t n_bins = to_size(bins, "analysis.saturation", "bins", 1);
  const analysis::Saturation s = analysis::saturation(
      w_hh, analysis::to_btf(z, "saturation"), analysis::activation_from(activation, "saturation"), n_bins);
  val r = val::object();
  r.set("rho", s.rho);
  r.set("meanSlope", s.mean_slope);
  r.set("rhoEff", s.rho_eff);
  r.set("saturatedFraction", s.saturated_fraction);
  r.set("meanAbsZ", s.mean_abs_z);
  r.set("z", histogram_js(s.z));
  r.set("slope", histogram_js(s.slope));
  return r;
}

val histogram(const Tensor& values, const val& bins, double lo, double hi) {
  const int64_t n_bins = to_size(bins, "analysis.histogram", "bins", 1);
  return histogram_js(analysis::histogram(analysis::to_btf(reshape(values, {1, 1, -1}), "histogram"), n_bins, lo, hi));
}

val clip(const val& params, const std::string& mode, double threshold) {
  GL_CHECK(mode == "norm" || mode == "value", "analysis.clip: mode must be 'norm' or 'value', got '", mode, "'");
  const analysis::ClipReport c = analysis::clip_and_measure(
      to_tensors(params), mode == "norm" ? analysis::ClipMode::Norm : analysis::ClipMode::Value, threshold);
  val r = val::object();
  r.set("normBefore", c.norm_before);
  r.set("normAfter", c.norm_after);
  r.set("cosine", c.cosine);
  r.set("clippedFraction", c.clipped_fraction);
  return r;
}

analysis::LstmWeights lstm_weights(const val& p) {  // [w_ih, w_hh, b_ih | null, b_hh | null]
  return {p[0].as<Tensor>(), p[1].as<Tensor>(), tensor_or_none(p[2]), tensor_or_none(p[3])};
}

val lstm_trace(const val& weights, const Tensor& x) {
  const analysis::LstmTrace t = analysis::lstm_trace(lstm_weights(weights), x);
  val r = val::object();
  r.set("i", to_tensor(t.i));
  r.set("f", to_tensor(t.f));
  r.set("g", to_tensor(t.g));
  r.set("o", to_tensor(t.o));
  r.set("c", to_tensor(t.c));
  r.set("h", to_tensor(t.h));
  return r;
}

val cell_state_jacobian(const val& weights, const Tensor& x, const val& t, const val& b) {
  const char* who = "analysis.cellStateJacobian";
  const int64_t step = to_index(t, who, "t"), batch_index = to_index(b, who, "batchIndex");
  const analysis::LstmWeights w = lstm_weights(weights);
  return matrix(analysis::lstm_cell_state_jacobian(w, x, analysis::lstm_trace(w, x), step, batch_index));
}

val power_norms(const Tensor& w, const val& K) {
  return f64(analysis::power_norms(w, to_size(K, "analysis.powerNorms", "K", 1)));
}

// sets: { name: "text" } (the JS layer turned values into text). on_progress: a JS function
// receiving { run, step, total, values } and returning false to stop, or null.
std::string run_experiment(const std::string& name, const val& sets, const val& on_progress, const val& every) {
  const experiments::Experiment& e = experiments::find(name);
  std::map<std::string, std::string> m;
  const val keys = val::global("Object").call<val>("keys", sets);
  const unsigned n = keys["length"].as<unsigned>();
  for (unsigned k = 0; k < n; ++k) {
    const std::string key = keys[k].as<std::string>();
    m[key] = sets[key].as<std::string>();
  }
  experiments::Progress progress;
  progress.every = to_size(every, "experiments.run", "every", 1);
  if (!on_progress.isNull() && !on_progress.isUndefined()) {
    progress.callback = [on_progress](const experiments::ProgressRow& row) {
      val values = val::object();
      for (const auto& [key, v] : row.values) values.set(key, v);
      val r = val::object();
      r.set("run", row.run);
      r.set("step", double(row.step));
      r.set("total", double(row.total));
      r.set("values", values);
      return !on_progress(r).isFalse();
    };
  }
  return experiments::to_json(e.run(e.parse(m), progress));
}

}  // namespace

EMSCRIPTEN_BINDINGS(gradlab_analysis) {
  using emscripten::function;
  using emscripten::optional_override;

  function("analysisStepNorms", optional_override([](const Tensor& d) { return GUARD(step_norms(d)); }));
  function("analysisPreactivations", optional_override([](const Tensor& x, const Tensor& out, val h0, const Tensor& w_ih,
                                                          const Tensor& w_hh, val b_ih, val b_hh) {
    return GUARD(preactivations(x, out, h0, w_ih, w_hh, b_ih, b_hh));
  }));
  function("analysisSlopes", optional_override([](const Tensor& z, std::string act) { return GUARD(slopes(z, act)); }));
  function("analysisJacobian", optional_override([](const Tensor& w_hh, const Tensor& s, val b, val k) {
    return GUARD(jacobian(w_hh, s, b, k));
  }));
  function("analysisSpectrum", optional_override([](const Tensor& w) { return GUARD(spectrum(w)); }));
  function("analysisPowerNorms", optional_override([](const Tensor& w, val K) { return GUARD(power_norms(w, K)); }));
  function("analysisSaturation", optional_override([](const Tensor& w_hh, const Tensor& z, std::string act, val bins) {
    return GUARD(saturation(w_hh, z, act, bins));
  }));
  function("analysisHistogram", optional_override([](const Tensor& v, val bins, double lo, double hi) {
    return GUARD(histogram(v, bins, lo, hi));
  }));
  function("analysisClip", optional_override([](val params, std::string mode, double threshold) {
    return GUARD(clip(params, mode, threshold));
  }));
  function("analysisLstmTrace", optional_override([](val w, const Tensor& x) { return GUARD(lstm_trace(w, x)); }));
  function("analysisCellStateJacobian", optional_override([](val w, const Tensor& x, val t, val b) {
    return GUARD(cell_state_jacobian(w, x, t, b));
  }));
  function("experimentsList", optional_override([]() { return GUARD(experiments::list_json()); }));
  function("experimentsRun", optional_override([](std::string name, val sets, val on_progress, val every) {
    return GUARD(run_experiment(name, sets, on_progress, every));
  }));
}
