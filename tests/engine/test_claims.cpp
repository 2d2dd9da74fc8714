// Article 004's ten claims, each reproduced by its experiment with a fixed seed and checked
// against the article's numbers with tolerances that fail if the engine stops reproducing it.
// These read the experiments' measured scalars and series, not the experiments' own verdicts.
// The long runs (claims 8 and 10) use the chapter's defaults; gradlab-cli runs the same.
#include <catch2/catch.hpp>

#include <cmath>
#include <map>
#include <string>

#include "gradlab/experiments.h"

using namespace gradlab;
namespace ex = gradlab::experiments;

namespace {

ex::Result run(const std::string& name, const std::map<std::string, std::string>& sets = {}) {
  const ex::Experiment& e = ex::find(name);
  return e.run(e.parse(sets));
}

// "rho-power rho=1.1 T=100 ...": printed with every failed check
std::string config(const ex::Result& r) {
  std::string s = r.experiment;
  for (const auto& [name, value] : r.params.all()) s += " " + name + "=" + ex::value_text(value);
  return s;
}

double rel_err(double measured, double expected) { return std::abs(measured - expected) / std::abs(expected); }

}  // namespace

TEST_CASE("claim 1: a linear RNN with W_hh = ρ·Q has ‖∂h_100/∂h_0‖ = ρ^100 (0.9: 2.66e-5, 1.1: 1.38e4)", "[claims]") {
  const std::pair<double, double> cases[] = {{0.9, 2.66e-5}, {1.1, 1.38e4}};
  for (const auto& [rho, article] : cases) {
    const ex::Result r = run("rho-power", {{"rho", std::to_string(rho)}, {"T", "100"}});
    INFO(config(r) << ": analysis " << r.scalar("jacobian_norm_T") << ", autograd " << r.scalar("jacobian_norm_T_autograd"));
    CHECK(rel_err(r.scalar("jacobian_norm_T"), article) < 0.01);
    CHECK(rel_err(r.scalar("jacobian_norm_T_autograd"), article) < 0.01);
    CHECK(rel_err(r.scalar("jacobian_norm_T"), std::pow(rho, 100)) < 1e-4);  // and exactly ρ^T, not just near it
  }
}

TEST_CASE("claim 2: with tanh, ρ(W_hh) = 1 still vanishes once pre-activations grow: ρ_eff < 1", "[claims]") {
  const ex::Result r = run("tanh-saturation", {{"rho", "1"}, {"input_scale", "1"}});
  INFO(config(r) << ": ρ " << r.scalar("rho") << ", E[σ'] " << r.scalar("mean_slope") << ", ρ_eff " << r.scalar("rho_eff")
                 << ", ‖∂h_T/∂h_0‖ " << r.scalar("jacobian_norm_T"));
  CHECK(std::abs(r.scalar("rho") - 1.0) < 1e-4);
  CHECK(r.scalar("rho_eff") < 0.8);                // measured 0.55
  CHECK(r.scalar("decay_rate") < 0.9);             // measured 0.64 per step
  CHECK(r.scalar("jacobian_norm_T") < 1e-6);       // measured 2.8e-20 over 100 steps
  CHECK(r.scalar("grad_ratio_0_T") < 1e-6);        // ‖∂L/∂h_1‖ / ‖∂L/∂h_T‖ from the layer's backward
  // it is the growth of z that does it: with tiny inputs the same W_hh keeps ρ_eff ≈ 1
  const ex::Series& sweep = r.find_series("ρ_eff", "sweep");
  REQUIRE(sweep.x.front() == 0.01);
  CHECK(sweep.y.front() > 0.99);
  for (size_t k = 1; k < sweep.y.size(); ++k) CHECK(sweep.y[k] < sweep.y[k - 1]);  // monotone in the input scale
}

TEST_CASE("claim 3: ReLU keeps the gradient on active units but ‖h_t‖ grows exponentially when ρ > 1", "[claims]") {
  const ex::Result r = run("relu-growth", {{"rho", "1.1"}, {"init", "identity"}});
  INFO(config(r) << ": growth " << r.scalar("relu_growth_rate") << ", ‖h_T‖ " << r.scalar("relu_state_norm_T")
                 << ", active-unit gain " << r.scalar("relu_active_unit_gain"));
  CHECK(rel_err(r.scalar("relu_growth_rate"), 1.1) < 0.01);
  CHECK(r.scalar("relu_state_norm_T") / r.scalar("relu_state_norm_0") > 1e3);
  CHECK(r.scalar("relu_always_active_units") >= 8);
  CHECK(std::abs(r.scalar("relu_active_unit_gain") - 1.0) < 1e-3);  // ∂h_T/∂h_0 = ρ^T exactly on them
  CHECK(r.scalar("tanh_state_norm_max") <= std::sqrt(32.0));         // tanh stays bounded
  // at ρ = 1 the active units pass the gradient unchanged: IRNN's point
  const ex::Result one = run("relu-growth", {{"rho", "1"}});
  INFO(config(one));
  CHECK(std::abs(one.scalar("relu_active_unit_gain") - 1.0) < 1e-3);
  CHECK(std::abs(one.scalar("relu_jacobian_norm_T") - 1.0) < 1e-3);
}

TEST_CASE("claim 4: training moves ρ(W_hh) away from its initial value", "[claims]") {
  const ex::Result r = run("spectral-drift");  // tanh RNN, orthogonal ρ = 1, Adam 1e-2, 300 steps, T = 50
  INFO(config(r) << ": ρ " << r.scalar("rho_initial") << " -> " << r.scalar("rho_final") << ", largest move "
                 << r.scalar("rho_max_drift"));
  CHECK(std::abs(r.scalar("rho_initial") - 1.0) < 1e-5);
  CHECK(r.scalar("rho_max_drift") > 0.2);           // measured 0.79
  CHECK(std::abs(r.scalar("sigma_max_initial") - 1.0) < 1e-5);
  CHECK(r.scalar("sigma_max_final") - r.scalar("sigma_min_final") > 0.5);  // the singular values spread out
  CHECK(r.find_series("rho").x.size() == 31);       // recorded every 10 steps, step 0 included
}

TEST_CASE("claim 5: clipping by norm keeps the direction and caps the norm, by value it turns the gradient", "[claims]") {
  const ex::Result r = run("clipping", {{"theta", "1"}, {"clip_value", "0.1"}});
  INFO(config(r) << ": ‖g‖ " << r.scalar("norm_before") << ", by norm -> " << r.scalar("norm_clip_norm_after") << " cos "
                 << r.scalar("norm_clip_cosine") << "; by value cos " << r.scalar("value_clip_cosine"));
  CHECK(r.scalar("norm_before") > 1.0);
  CHECK(std::abs(r.scalar("norm_clip_norm_after") - 1.0) < 1e-5);
  CHECK(r.scalar("norm_clip_cosine") > 1 - 1e-6);
  CHECK(r.scalar("value_clip_cosine") < 0.99);      // measured 0.66
  for (double c : r.find_series("by norm", "norm").y) CHECK(c > 1 - 1e-6);  // at every threshold
}

TEST_CASE("claim 6: without clipping a ρ = 1.1 network's loss overflows at a named step, with clipping + Adam it stays finite", "[claims]") {
  const ex::Result r = run("explosion");
  INFO(config(r) << ": diverged at " << r.scalar("unclipped_diverged_step") << "; clipped max loss " << r.scalar("clipped_max_loss"));
  CHECK(std::abs(r.scalar("rho") - 1.1) < 1e-5);
  const double step = r.scalar("unclipped_diverged_step");
  CHECK(std::isfinite(step));
  CHECK(step >= 1);
  CHECK(std::isnan(r.scalar("clipped_diverged_step")));
  CHECK(r.scalar("clipped_steps") == 100);
  for (double l : r.find_series("loss", "clipping + adam").y) CHECK(std::isfinite(l));
  bool named = false;
  for (const std::string& n : r.notes) named |= n.find("at step " + std::to_string(int64_t(step))) != std::string::npos ||
                                                n.find("from step " + std::to_string(int64_t(step))) != std::string::npos;
  CHECK(named);
}

TEST_CASE("claim 7: orthogonal init has every singular value 1 and ρ = 1, a Gaussian of the same scale spreads them", "[claims]") {
  const ex::Result r = run("orthogonal-init", {{"H", "64"}});
  INFO(config(r));
  CHECK(r.scalar("orthogonal_max_abs_sigma_minus_1") < 1e-5);
  CHECK(std::abs(r.scalar("orthogonal_rho") - 1.0) < 1e-5);
  CHECK(std::abs(r.scalar("orthogonal_power_norm_max") - 1.0) < 1e-4);  // ‖W^k‖ = 1 for every k
  CHECK(r.scalar("gaussian_sigma_max") > 1.5);
  CHECK(r.scalar("gaussian_sigma_min") < 0.2);
  CHECK(std::abs(r.scalar("gaussian_rho") - 1.0) < 0.2);
}

TEST_CASE("claim 8: adding problem T = 100: tanh RNN at the 1/6 baseline, LSTM (forget bias 1) and IRNN below 0.01, "
          "IRNN with about a quarter of LSTM's parameters", "[claims][train]") {
  const ex::Result r = run("adding-problem");  // the chapter's defaults: H = 16, 2000 (rnn, lstm) / 3000 (irnn) steps of 64
  INFO(config(r) << ": rnn " << r.scalar("rnn_final_mse") << ", lstm " << r.scalar("lstm_final_mse") << ", irnn "
                 << r.scalar("irnn_final_mse"));
  CHECK(std::abs(r.scalar("rnn_final_mse") - 1.0 / 6.0) < 0.02);
  CHECK(r.scalar("lstm_final_mse") < 0.01);
  CHECK(r.scalar("irnn_final_mse") < 0.01);
  CHECK(r.scalar("lstm_params") == 1297);  // 4·(16·2 + 16·16 + 16 + 16) + 17
  CHECK(r.scalar("irnn_params") == 337);   // 16·2 + 16·16 + 16 + 16 + 17
  CHECK(std::abs(r.scalar("irnn_lstm_param_ratio") - 0.25) < 0.02);
  std::string times;
  for (const auto& [model, seconds] : r.timing) times += " " + model + " " + std::to_string(seconds) + " s";
  WARN("adding problem T=100: rnn " << r.scalar("rnn_final_mse") << ", lstm " << r.scalar("lstm_final_mse") << ", irnn "
       << r.scalar("irnn_final_mse") << ";" << times);
}

TEST_CASE("claim 9: in an LSTM ∂c_t/∂c_{t-1} = f_t element-wise (analysis equals autograd)", "[claims]") {
  const ex::Result r = run("lstm-cell-state");
  INFO(config(r) << ": max |autograd − f_t| " << r.scalar("max_abs_diff"));
  CHECK(r.scalar("max_abs_diff") < 1e-6);
  CHECK(r.scalar("max_offdiag") == 0);          // no matrix: nothing off the diagonal
  CHECK(r.scalar("replay_error") < 1e-5);       // the replayed gates are the engine's
  CHECK(r.scalar("mean_forget") > r.scalar("mean_forget_bias0") + 0.15);  // forget bias 1: f ≈ σ(1) = 0.73
}

TEST_CASE("claim 10: the recipe (orthogonal + forget bias 1 + clipping + Adam) beside each piece removed", "[claims][train]") {
  const ex::Result r = run("recipe", {{"T", "50"}});  // T = 50 to keep it short: the recipe is below 0.01 by step ~900 of 1500
  INFO(config(r));
  for (const char* v : {"recipe", "no_orthogonal", "no_forget_bias", "no_clipping", "sgd"})
    INFO(v << ": final MSE " << r.scalar(std::string(v) + "_final_mse") << ", below 0.01 from step "
           << r.scalar(std::string(v) + "_solved_step"));
  CHECK(r.scalar("recipe_final_mse") < 0.01);
  CHECK(r.scalar("sgd_final_mse") > 0.1);        // without Adam the same budget does not leave the baseline
  for (const char* v : {"no_orthogonal", "no_forget_bias", "no_clipping"})
    CHECK(std::isfinite(r.scalar(std::string(v) + "_final_mse")));
  CHECK(r.find_series("eval_mse", "recipe").x.back() == 1500);
}
