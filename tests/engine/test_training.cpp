// Optimisers against hand-written PyTorch update rules (double precision, step by step),
// gradient clipping, the L1/L2 penalties and early stopping.
#include <catch2/catch.hpp>

#include <cmath>
#include <functional>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "gradcheck.h"
#include "gradlab/gradlab.h"

using namespace gradlab;
using Catch::Matchers::Contains;
using Vec = std::vector<double>;

namespace {

// Sets p.grad to exactly g (as if backward had produced it).
void set_grad(const Tensor& p, const Vec& g) {
  float* d = p.node().grad_data();
  for (size_t i = 0; i < g.size(); ++i) d[i] = float(g[i]);
}

Vec values(const Tensor& t) { return Vec(t.vec().begin(), t.vec().end()); }

// The gradient every run below feeds the optimiser at step t (1-based): that of
// L = Σ a_i p_i² / 2 + b_i p_i with a bit of t in it, so each step sees a new gradient.
Vec grad_at(const Vec& p, int t) {
  const Vec a{1.0, 0.5, 2.0, 0.1}, b{0.3, -0.7, 0.05, 1.2};
  Vec g(p.size());
  for (size_t i = 0; i < p.size(); ++i) g[i] = a[i] * p[i] + b[i] + 0.01 * t;
  return g;
}

const Vec p0{0.5, -1.5, 2.0, 0.0};

// Runs `steps` steps of an engine optimiser made by `make` and of the double reference
// `ref(p, g, t)` (which updates p in place), checking the parameters after every step.
void compare(const std::string& name, int steps,
             const std::function<std::unique_ptr<optim::Optimizer>(std::vector<Tensor>)>& make,
             const std::function<void(Vec& p, const Vec& g, int t)>& ref, double tol = 2e-6) {
  Tensor p = Tensor::from(std::vector<float>(p0.begin(), p0.end()), {4}, true);
  std::unique_ptr<optim::Optimizer> opt = make({p});
  Vec expected = p0;
  for (int t = 1; t <= steps; ++t) {
    Vec g = grad_at(values(p), t);  // from the engine's own (float) parameters
    set_grad(p, g);
    opt->step();
    // the reference takes the same gradient (as float, as the engine saw it)
    Vec gf(g.size());
    for (size_t i = 0; i < g.size(); ++i) gf[i] = double(float(g[i]));
    ref(expected, gf, t);
    for (size_t i = 0; i < expected.size(); ++i) {
      INFO(name << ": step " << t << ", element " << i << ": engine " << p.data()[i] << ", expected "
                << expected[i]);
      CHECK(std::abs(double(p.data()[i]) - expected[i]) <= tol * (1.0 + std::abs(expected[i])));
    }
    // continue the reference from the engine's float values, so errors do not compound
    expected = values(p);
  }
}

double dot(const Vec& a, const Vec& b) {
  double s = 0;
  for (size_t i = 0; i < a.size(); ++i) s += a[i] * b[i];
  return s;
}
double cosine(const Vec& a, const Vec& b) { return dot(a, b) / std::sqrt(dot(a, a) * dot(b, b)); }

}  // namespace

// ---- SGD ------------------------------------------------------------------------------

TEST_CASE("SGD: plain, weight decay, momentum with dampening, Nesterov, maximize", "[optim]") {
  struct Case { const char* name; double lr, mu, tau, wd; bool nesterov, maximize; };
  for (Case c : {Case{"plain", 0.1, 0, 0, 0, false, false}, Case{"weight decay", 0.1, 0, 0, 0.05, false, false},
                 Case{"momentum", 0.05, 0.9, 0, 0, false, false}, Case{"dampening", 0.05, 0.9, 0.3, 0.01, false, false},
                 Case{"nesterov", 0.05, 0.9, 0, 0.01, true, false}, Case{"maximize", 0.05, 0.8, 0, 0, false, true}}) {
    Vec buf;
    compare(std::string("SGD ") + c.name, 5,
            [&](std::vector<Tensor> ps) {
              return std::make_unique<optim::SGD>(ps, optim::SGDOptions(c.lr).momentum(c.mu).dampening(c.tau)
                                                          .weight_decay(c.wd).nesterov(c.nesterov).maximize(c.maximize));
            },
            [&](Vec& p, const Vec& grad, int t) {
              for (size_t i = 0; i < p.size(); ++i) {
                double g = c.maximize ? -grad[i] : grad[i];
                g += c.wd * p[i];
                if (c.mu != 0) {
                  if (t == 1) { buf.resize(p.size()); buf[i] = g; }
                  else buf[i] = c.mu * buf[i] + (1 - c.tau) * g;
                  g = c.nesterov ? g + c.mu * buf[i] : buf[i];
                }
                p[i] -= c.lr * g;
              }
            });
  }
}

TEST_CASE("SGD: Nesterov momentum takes different steps from plain momentum", "[optim]") {
  auto run = [](bool nesterov) {
    Tensor p = Tensor::from({1.f, -1.f}, {2}, true);
    optim::SGD opt({p}, optim::SGDOptions(0.1).momentum(0.9).nesterov(nesterov));
    for (int t = 1; t <= 3; ++t) {
      set_grad(p, {2.0 * p.data()[0], 0.5});
      opt.step();
    }
    return values(p);
  };
  Vec plain = run(false), nesterov = run(true);
  INFO("plain (" << plain[0] << ", " << plain[1] << "), Nesterov (" << nesterov[0] << ", " << nesterov[1] << ")");
  // constant gradient 0.5 in element 1: plain moves 0.1·0.5·(1 + 1.9 + 2.71) = 0.2805,
  // Nesterov 0.1·0.5·(1.9 + 2.71 + 3.439) = 0.40245
  CHECK(plain[1] == Approx(-1.0 - 0.2805).epsilon(1e-6));
  CHECK(nesterov[1] == Approx(-1.0 - 0.40245).epsilon(1e-6));
  CHECK(std::abs(plain[0] - nesterov[0]) > 1e-3);
}

// ---- Adam / AdamW ---------------------------------------------------------------------

namespace {
struct AdamRef {
  double lr, b1, b2, eps, wd;
  bool decoupled, amsgrad = false;
  Vec m, v, vmax;
  void operator()(Vec& p, const Vec& grad, int t) {
    if (t == 1) m = v = vmax = Vec(p.size(), 0.0);
    for (size_t i = 0; i < p.size(); ++i) {
      double g = grad[i];
      if (decoupled) p[i] *= 1 - lr * wd;
      else g += wd * p[i];
      m[i] = b1 * m[i] + (1 - b1) * g;
      v[i] = b2 * v[i] + (1 - b2) * g * g;
      vmax[i] = std::max(vmax[i], v[i]);
      double mhat = m[i] / (1 - std::pow(b1, t));
      double vhat = (amsgrad ? vmax[i] : v[i]) / (1 - std::pow(b2, t));
      p[i] -= lr * mhat / (std::sqrt(vhat) + eps);
    }
  }
};
}  // namespace

TEST_CASE("Adam follows torch.optim.Adam: defaults, L2 weight decay, amsgrad", "[optim]") {
  compare("Adam defaults", 6, [](std::vector<Tensor> ps) { return std::make_unique<optim::Adam>(ps); },
          AdamRef{1e-3, 0.9, 0.999, 1e-8, 0, false});
  compare("Adam wd", 6,
          [](std::vector<Tensor> ps) {
            return std::make_unique<optim::Adam>(ps, optim::AdamOptions(0.05).betas(0.8, 0.99).eps(1e-6).weight_decay(0.1));
          },
          AdamRef{0.05, 0.8, 0.99, 1e-6, 0.1, false});
  AdamRef ams{0.05, 0.9, 0.999, 1e-8, 0.0, false};
  ams.amsgrad = true;
  compare("Adam amsgrad", 8,
          [](std::vector<Tensor> ps) { return std::make_unique<optim::Adam>(ps, optim::AdamOptions(0.05).amsgrad(true)); }, ams);
}

TEST_CASE("AdamW follows torch.optim.AdamW (decoupled weight decay, default 1e-2)", "[optim]") {
  Tensor p = Tensor::from({1.f}, {1}, true);
  CHECK(optim::AdamW({p}).options().weight_decay() == 1e-2);
  CHECK(optim::Adam({p}).options().weight_decay() == 0);
  compare("AdamW defaults", 6, [](std::vector<Tensor> ps) { return std::make_unique<optim::AdamW>(ps); },
          AdamRef{1e-3, 0.9, 0.999, 1e-8, 1e-2, true});
  compare("AdamW wd 0.3", 6,
          [](std::vector<Tensor> ps) { return std::make_unique<optim::AdamW>(ps, optim::AdamWOptions(0.02).weight_decay(0.3)); },
          AdamRef{0.02, 0.9, 0.999, 1e-8, 0.3, true});
}

TEST_CASE("AdamW differs from Adam + L2 when weight decay > 0, and equals Adam without it", "[optim]") {
  auto run = [](auto make) {
    Tensor p = Tensor::from({2.f, -3.f, 0.5f}, {3}, true);
    auto opt = make(std::vector<Tensor>{p});
    for (int t = 1; t <= 5; ++t) {
      set_grad(p, {0.1, 4.0, -0.2});
      opt->step();
    }
    return values(p);
  };
  Vec adam_l2 = run([](std::vector<Tensor> ps) { return std::make_unique<optim::Adam>(ps, optim::AdamOptions(0.1).weight_decay(0.5)); });
  Vec adamw = run([](std::vector<Tensor> ps) { return std::make_unique<optim::AdamW>(ps, optim::AdamWOptions(0.1).weight_decay(0.5)); });
  for (size_t i = 0; i < 3; ++i) {
    INFO("element " << i << ": Adam+L2 " << adam_l2[i] << ", AdamW " << adamw[i]);
    CHECK(std::abs(adam_l2[i] - adamw[i]) > 1e-3);
  }
  Vec adam0 = run([](std::vector<Tensor> ps) { return std::make_unique<optim::Adam>(ps, optim::AdamOptions(0.1)); });
  Vec adamw0 = run([](std::vector<Tensor> ps) { return std::make_unique<optim::AdamW>(ps, optim::AdamWOptions(0.1).weight_decay(0)); });
  CHECK(adam0 == adamw0);
}

TEST_CASE("Adam counts steps per parameter: one without a grad is skipped, its state does not advance", "[optim]") {
  Tensor a = Tensor::from({0.f}, {1}, true), b = Tensor::from({0.f}, {1}, true);
  optim::Adam opt({a, b}, optim::AdamOptions(0.01));
  set_grad(a, {1.0});
  opt.step();  // b has no grad yet
  CHECK(b.data()[0] == 0.f);
  CHECK(a.data()[0] == Approx(-0.01).epsilon(1e-5));
  set_grad(a, {1.0});
  set_grad(b, {3.0});
  opt.step();
  // b's first step is bias-corrected with t = 1: exactly −lr·g/(|g| + eps)
  CHECK(b.data()[0] == Approx(-0.01).epsilon(1e-5));
  CHECK(opt.steps() == 2);
}

// ---- RMSprop --------------------------------------------------------------------------

TEST_CASE("RMSprop follows torch.optim.RMSprop: defaults, centered, momentum, weight decay", "[optim]") {
  struct Case { const char* name; double lr, alpha, eps, wd, mu; bool centered; };
  for (Case c : {Case{"defaults", 1e-2, 0.99, 1e-8, 0, 0, false}, Case{"momentum", 1e-2, 0.9, 1e-8, 0, 0.9, false},
                 Case{"centered", 5e-3, 0.95, 1e-6, 0.01, 0, true}, Case{"centered momentum", 5e-3, 0.9, 1e-8, 0.02, 0.5, true}}) {
    Vec sq, ga, buf;
    compare(std::string("RMSprop ") + c.name, 6,
            [&](std::vector<Tensor> ps) {
              return std::make_unique<optim::RMSprop>(ps, optim::RMSpropOptions(c.lr).alpha(c.alpha).eps(c.eps)
                                                             .weight_decay(c.wd).momentum(c.mu).centered(c.centered));
            },
            [&](Vec& p, const Vec& grad, int t) {
              if (t == 1) sq = ga = buf = Vec(p.size(), 0.0);
              for (size_t i = 0; i < p.size(); ++i) {
                double g = grad[i] + c.wd * p[i];
                sq[i] = c.alpha * sq[i] + (1 - c.alpha) * g * g;
                double var = sq[i];
                if (c.centered) {
                  ga[i] = c.alpha * ga[i] + (1 - c.alpha) * g;
                  var -= ga[i] * ga[i];
                }
                double avg = std::sqrt(var) + c.eps;
                if (c.mu > 0) {
                  buf[i] = c.mu * buf[i] + g / avg;
                  p[i] -= c.lr * buf[i];
                } else {
                  p[i] -= c.lr * g / avg;
                }
              }
            },
            // centered: √(s − ḡ²) of nearly equal float numbers loses digits
            c.centered ? 2e-4 : 2e-6);
  }
  Tensor p = Tensor::from({1.f}, {1}, true);
  const optim::RMSpropOptions o = optim::RMSprop({p}).options();  // a copy: the optimizer is a temporary
  CHECK((o.lr() == 1e-2 && o.alpha() == 0.99 && o.eps() == 1e-8 && o.momentum() == 0 && !o.centered()));
}

// ---- learning rate and bad hyperparameters --------------------------------------------

TEST_CASE("the learning rate can be changed between steps", "[optim]") {
  Tensor p = Tensor::from({1.f}, {1}, true);
  optim::SGD opt({p}, 0.1);
  set_grad(p, {1.0});
  opt.step();
  CHECK(p.data()[0] == Approx(0.9f));
  opt.set_lr(0.5);
  CHECK(opt.lr() == 0.5);
  opt.step();
  CHECK(p.data()[0] == Approx(0.4f));
  opt.set_lr(0);
  opt.step();
  CHECK(p.data()[0] == Approx(0.4f));
  REQUIRE_THROWS_WITH(opt.set_lr(std::nan("")), Contains("SGD") && Contains("lr") && Contains("nan"));
  REQUIRE_THROWS_WITH(opt.set_lr(-0.1), Contains("SGD") && Contains("-0.1"));
  CHECK(opt.lr() == 0);  // a refused value changes nothing

  Tensor q = Tensor::from({1.f}, {1}, true);
  optim::Adam adam({q}, optim::AdamOptions(0.01));
  set_grad(q, {1.0});
  adam.step();
  adam.set_lr(0.1);
  adam.step();  // with a constant gradient each early Adam step is ≈ lr
  CHECK(q.data()[0] == Approx(1.0 - 0.01 - 0.1).epsilon(1e-5));
}

TEST_CASE("bad optimiser hyperparameters are refused with the name and the value", "[optim][errors]") {
  Tensor p = Tensor::from({1.f}, {1}, true);
  REQUIRE_THROWS_WITH(optim::SGD({p}, optim::SGDOptions(0.1).nesterov(true)),
                      Contains("SGD: Nesterov") && Contains("momentum 0"));
  REQUIRE_THROWS_WITH(optim::SGD({p}, optim::SGDOptions(0.1).momentum(0.9).dampening(0.1).nesterov(true)),
                      Contains("dampening 0.1"));
  REQUIRE_THROWS_WITH(optim::SGD({p}, optim::SGDOptions(0.1).momentum(-0.5)), Contains("SGD: momentum") && Contains("-0.5"));
  REQUIRE_THROWS_WITH(optim::SGD({p}, optim::SGDOptions(std::nan(""))), Contains("SGD") && Contains("nan"));
  REQUIRE_THROWS_WITH(optim::Adam({p}, optim::AdamOptions(0.1).betas(0.9, 1.0)), Contains("Adam: betas") && Contains("(0.9, 1)"));
  REQUIRE_THROWS_WITH(optim::AdamW({p}, optim::AdamWOptions(0.1).weight_decay(-1)), Contains("AdamW: weight_decay") && Contains("-1"));
  REQUIRE_THROWS_WITH(optim::Adam({p}, optim::AdamOptions(0.1).eps(-1e-8)), Contains("Adam: eps"));
  REQUIRE_THROWS_WITH(optim::RMSprop({p}, optim::RMSpropOptions().alpha(1.5)), Contains("RMSprop: alpha") && Contains("1.5"));
  REQUIRE_THROWS_WITH(optim::SGD({p, p}, 0.1), Contains("SGD: parameter 1") && Contains("twice"));
  REQUIRE_THROWS_WITH(optim::RMSprop({}), Contains("RMSprop: got an empty parameter list"));
}

// ---- clipping -------------------------------------------------------------------------

TEST_CASE("clip_grad_norm returns the norm before clipping, keeps the direction, caps the norm", "[clip]") {
  Tensor a = Tensor::zeros({2}, true), b = Tensor::zeros({1, 1}, true);
  set_grad(a, {3.0, 4.0});
  set_grad(b, {12.0});
  const Vec before{3, 4, 12};
  const double total = nn::utils::clip_grad_norm({a, b}, 1.0);
  CHECK(total == Approx(13.0).epsilon(1e-12));
  Vec after{a.grad().data()[0], a.grad().data()[1], b.grad().data()[0]};
  CHECK(cosine(before, after) == Approx(1.0).epsilon(1e-7));
  const double norm_after = std::sqrt(dot(after, after));
  CHECK(norm_after <= 1.0 + 1e-7);
  CHECK(norm_after == Approx(13.0 / (13.0 + 1e-6)).epsilon(1e-6));  // PyTorch's 1e-6 in the coefficient
  CHECK(after[0] == Approx(3.0 / (13.0 + 1e-6)).epsilon(1e-6));
  CHECK(nn::utils::grad_norm({a, b}) == Approx(norm_after).epsilon(1e-6));
}

TEST_CASE("clip_grad_norm leaves gradients under the cap untouched - norm types 1 and inf", "[clip]") {
  Tensor a = Tensor::zeros({3}, true), none = Tensor::zeros({2}, true);  // `none` has no grad
  set_grad(a, {0.3, -0.4, 0.0});
  CHECK(nn::utils::clip_grad_norm({a, none}, 1.0) == Approx(0.5).epsilon(1e-6));
  CHECK(values(a.grad()) == Vec{0.3f, -0.4f, 0.f});  // bit for bit
  CHECK(!none.grad().defined());

  CHECK(nn::utils::clip_grad_norm({a}, 10.0, 1.0) == Approx(0.7).epsilon(1e-6));
  CHECK(nn::utils::clip_grad_norm({a}, 10.0, 3.0) == Approx(std::cbrt(0.027 + 0.064)).epsilon(1e-6));
  const double inf = std::numeric_limits<double>::infinity();
  CHECK(nn::utils::clip_grad_norm({a}, 0.2, inf) == Approx(0.4).epsilon(1e-6));
  CHECK(a.grad().data()[1] == Approx(-0.2 * 0.4 / (0.4 + 1e-6)).epsilon(1e-6));
  CHECK(nn::utils::clip_grad_norm({none}, 1.0) == 0.0);  // no grads at all: norm 0
  const Vec kept = values(a.grad());
  CHECK(nn::utils::clip_grad_norm({a}, inf) == Approx(nn::utils::grad_norm({a})));  // measure only
  CHECK(values(a.grad()) == kept);
}

TEST_CASE("clip_grad_norm reports non-finite norms instead of crashing", "[clip][errors]") {
  Tensor a = Tensor::zeros({3}, true);
  set_grad(a, {1.0, std::numeric_limits<double>::infinity(), 2.0});
  CHECK(std::isinf(nn::utils::clip_grad_norm({a}, 1.0)));
  set_grad(a, {1.0, std::nan(""), 2.0});
  CHECK(std::isnan(nn::utils::clip_grad_norm({a}, 1.0)));
  set_grad(a, {1.0, std::nan(""), 2.0});
  REQUIRE_THROWS_WITH(nn::utils::clip_grad_norm({a}, 1.0, 2.0, true),
                      Contains("clip_grad_norm") && Contains("nan") && Contains("error_if_nonfinite"));
  CHECK(a.grad().data()[0] == 1.f);  // refused: nothing scaled

  set_grad(a, {1.0, 2.0, 2.0});
  REQUIRE_THROWS_WITH(nn::utils::clip_grad_norm({a}, -1.0), Contains("clip_grad_norm: max_norm") && Contains("-1"));
  REQUIRE_THROWS_WITH(nn::utils::clip_grad_norm({a}, std::nan("")), Contains("max_norm") && Contains("nan"));
  REQUIRE_THROWS_WITH(nn::utils::clip_grad_norm({a}, 1.0, 0.0), Contains("norm_type") && Contains("0"));
  CHECK(a.grad().data()[1] == 2.f);
}

TEST_CASE("clip_grad_value clamps each element and so changes the direction", "[clip]") {
  Tensor a = Tensor::zeros({3}, true);
  const Vec before{0.1, 5.0, -3.0};
  set_grad(a, before);
  nn::utils::clip_grad_value({a}, 1.0);
  Vec after = values(a.grad());
  CHECK(after[0] == Approx(0.1));
  CHECK(after[1] == 1.0);
  CHECK(after[2] == -1.0);
  INFO("cosine " << cosine(before, after));
  CHECK(cosine(before, after) < 0.99);  // 0.969: clamping bent the gradient
  set_grad(a, before);
  nn::utils::clip_grad_norm({a}, 1.0);
  CHECK(cosine(before, values(a.grad())) == Approx(1.0).epsilon(1e-7));  // by norm: it did not
  REQUIRE_THROWS_WITH(nn::utils::clip_grad_value({a}, -0.5), Contains("clip_grad_value") && Contains("-0.5"));
}

// ---- penalties ------------------------------------------------------------------------

TEST_CASE("l1_penalty and l2_penalty: values and finite-difference gradients", "[regularize]") {
  manual_seed(4);
  Tensor w = Tensor::randn({4, 5}, true), b = Tensor::randn({5}, true);
  // keep L1's kink at 0 out of the central differences' reach
  for (Tensor t : {w, b})
    for (float& v : t.vec()) v = v >= 0 ? v + 0.05f : v - 0.05f;
  double l1 = 0, l2 = 0;
  for (Tensor t : {w, b})
    for (float v : t.vec()) { l1 += std::abs(v); l2 += double(v) * v; }
  CHECK(nn::utils::l1_penalty({w, b}).item() == Approx(l1).epsilon(1e-6));
  CHECK(nn::utils::l2_penalty({w, b}, 0.25).item() == Approx(0.25 * l2).epsilon(1e-6));

  testing::GradCheck opt;
  opt.eps = 1e-3f;
  testing::check_gradients("l1_penalty", {w, b}, [](const std::vector<Tensor>& in) {
    return nn::utils::l1_penalty(in, 0.7);
  }, opt);
  testing::check_gradients("l2_penalty", {w, b}, [](const std::vector<Tensor>& in) {
    return nn::utils::l2_penalty(in, 1.3);
  }, opt);
}

TEST_CASE("penalties add to the loss's gradient - l2 with λ/2 equals SGD's weight_decay λ", "[regularize]") {
  Tensor w1 = Tensor::from({0.5f, -2.f}, {2}, true), w2 = Tensor::from({0.5f, -2.f}, {2}, true);
  Tensor x = Tensor::from({1.f, 3.f}, {2});
  const double lambda = 0.1;
  optim::SGD with_penalty({w1}, 0.1), with_decay({w2}, optim::SGDOptions(0.1).weight_decay(lambda));
  for (int t = 0; t < 3; ++t) {
    with_penalty.zero_grad();
    add(sum(mul(w1, x)), nn::utils::l2_penalty({w1}, lambda / 2)).backward();
    with_penalty.step();
    with_decay.zero_grad();
    sum(mul(w2, x)).backward();
    with_decay.step();
  }
  CHECK(w1.data()[0] == Approx(w2.data()[0]).epsilon(1e-6));
  CHECK(w1.data()[1] == Approx(w2.data()[1]).epsilon(1e-6));

  Tensor z = Tensor::from({0.f, 2.f, -1.f}, {3}, true);
  nn::utils::l1_penalty({z}).backward();
  CHECK(values(z.grad()) == Vec{0, 1, -1});  // sign, 0 at 0
  REQUIRE_THROWS_WITH(nn::utils::l2_penalty({}), Contains("l2_penalty: got an empty parameter list"));
}

// ---- early stopping -------------------------------------------------------------------

TEST_CASE("EarlyStopping (min): remembers the best step and stops after `patience` bad ones", "[early]") {
  utils::EarlyStopping es(3);
  const Vec losses{1.0, 0.9, 0.95, 0.91, 0.89, 0.92, 0.93, 0.94, 0.5};
  std::vector<bool> stops;
  for (double l : losses) stops.push_back(es.step(l));
  CHECK(stops == std::vector<bool>{false, false, false, false, false, false, false, true, true});
  CHECK(es.best() == 0.89);
  CHECK(es.best_step() == 4);
  CHECK(es.stopped_step() == 7);
  CHECK(es.num_bad_steps() == 3);
  CHECK(es.num_steps() == 9);
  CHECK_THAT(es.reason(), Contains("0.89") && Contains("step 4"));
  es.reset();
  CHECK(!es.should_stop());
  CHECK(es.best_step() == -1);
  CHECK(!es.step(3.0, 100));
  CHECK(es.best_step() == 100);  // the caller's step label
}

TEST_CASE("EarlyStopping: min_delta, mode max, patience 0 and NaN", "[early]") {
  utils::EarlyStopping delta(2, 0.1);
  CHECK(!delta.step(1.0));
  CHECK(!delta.step(0.95));  // better, but by less than min_delta: a bad step
  CHECK(delta.step(0.92));
  CHECK(delta.best() == 1.0);

  utils::EarlyStopping acc(2, 0.0, utils::EarlyStopping::Mode::Max);
  for (double a : {0.5, 0.6, 0.7, 0.65}) CHECK(!acc.step(a));
  CHECK(acc.best() == 0.7);
  CHECK(acc.best_step() == 2);
  CHECK(acc.step(0.7));  // equal is not better

  utils::EarlyStopping eager(0);
  CHECK(!eager.step(1.0));
  CHECK(eager.step(1.0));

  utils::EarlyStopping nan(10);
  CHECK(!nan.step(1.0));
  CHECK(nan.step(std::nan("")));
  CHECK_THAT(nan.reason(), Contains("nan") && Contains("step 1"));
  utils::EarlyStopping lenient(2, 0, utils::EarlyStopping::Mode::Min, false);
  CHECK(!lenient.step(std::nan("")));

  REQUIRE_THROWS_WITH(utils::EarlyStopping(-1), Contains("EarlyStopping: patience") && Contains("-1"));
  REQUIRE_THROWS_WITH(utils::EarlyStopping(1, -0.5), Contains("min_delta") && Contains("-0.5"));
  REQUIRE_THROWS_WITH(utils::EarlyStopping::parse_mode("minimum"), Contains("'minimum'"));
}

TEST_CASE("clipping and Adam tame an exploding linear RNN - AdamW trains it too", "[train]") {
  // h_t = W h_{t-1} + x_t with ρ(W) = 1.5: ‖∂L/∂W‖ grows like 1.5^T. Clipping keeps every
  // step finite and the loss goes down.
  for (int variant = 0; variant < 2; ++variant) {
    manual_seed(21);
    Tensor W = Tensor::empty({4, 4});
    nn::init::spectral_radius_(W, 1.5);
    W.set_requires_grad(true);
    Tensor x = Tensor::randn({1, 4});
    std::unique_ptr<optim::Optimizer> opt;
    if (variant == 0) opt = std::make_unique<optim::Adam>(std::vector<Tensor>{W}, optim::AdamOptions(0.02));
    else opt = std::make_unique<optim::AdamW>(std::vector<Tensor>{W}, optim::AdamWOptions(0.02));
    double first_norm = 0, first_loss = 0, last_loss = 0;
    for (int step = 0; step < 150; ++step) {
      opt->zero_grad();
      Tensor h = Tensor::zeros({1, 4});
      for (int t = 0; t < 12; ++t) h = add(matmul(h, transpose(W)), x);
      Tensor loss = mean(square(h));
      loss.backward();
      double n = nn::utils::clip_grad_norm({W}, 1.0);
      REQUIRE(std::isfinite(n));
      if (step == 0) { first_norm = n; first_loss = loss.item(); }
      last_loss = loss.item();
      opt->step();
    }
    INFO(opt->name() << ": first grad norm " << first_norm << ", loss " << first_loss << " -> " << last_loss);
    CHECK(first_norm > 100.0);
    CHECK(last_loss < 1e-2 * first_loss);
  }
}
