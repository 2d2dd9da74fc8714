// Initialisers (torch.nn.init's formulas) and the spectrum helpers.
#include <catch2/catch.hpp>

#include <cmath>
#include <complex>
#include <functional>
#include <vector>

#include "gradlab/gradlab.h"

using namespace gradlab;
using Catch::Matchers::Contains;

namespace {
struct Moments {
  double mean, var, maxabs;
};
Moments moments(const Tensor& t) {
  double s = 0, s2 = 0, m = 0;
  for (float v : t.vec()) { s += v; s2 += double(v) * v; m = std::max(m, double(std::abs(v))); }
  const double n = double(t.numel());
  return {s / n, s2 / n - (s / n) * (s / n), m};
}
double max_dev_from_one(const std::vector<double>& sv) {
  double d = 0;
  for (double s : sv) d = std::max(d, std::abs(s - 1.0));
  return d;
}
}  // namespace

TEST_CASE("calculate_gain and fans follow torch.nn.init", "[init]") {
  using nn::init::calculate_gain;
  CHECK(calculate_gain("linear") == 1.0);
  CHECK(calculate_gain("sigmoid") == 1.0);
  CHECK(calculate_gain("conv2d") == 1.0);
  CHECK(calculate_gain("tanh") == Approx(5.0 / 3.0));
  CHECK(calculate_gain("relu") == Approx(std::sqrt(2.0)));
  CHECK(calculate_gain("leaky_relu") == Approx(std::sqrt(2.0 / (1 + 0.01 * 0.01))));
  CHECK(calculate_gain("leaky_relu", 0.2) == Approx(std::sqrt(2.0 / 1.04)));
  CHECK(calculate_gain("selu") == 0.75);
  REQUIRE_THROWS_WITH(calculate_gain("gelu"), Contains("calculate_gain") && Contains("'gelu'"));
  nn::init::Fans f = nn::init::calculate_fans(Tensor::empty({20, 30}));
  CHECK((f.fan_in == 30 && f.fan_out == 20));
  f = nn::init::calculate_fans(Tensor::empty({8, 4, 3, 3}));  // conv weight: receptive field 9
  CHECK((f.fan_in == 36 && f.fan_out == 72));
  REQUIRE_THROWS_WITH(nn::init::xavier_uniform_(Tensor::empty({7})),
                      Contains("xavier_uniform") && Contains("at least 2 dimensions") && Contains("(7,)"));
}

TEST_CASE("xavier and kaiming sample variances match their formulas", "[init]") {
  const int64_t out = 256, in = 384;
  const double n_fan = double(in + out);
  struct Case { const char* name; std::function<void(const Tensor&)> init; double var; double bound; };
  const double g = 5.0 / 3.0;
  std::vector<Case> cases{
      {"xavier_uniform", [](const Tensor& t) { nn::init::xavier_uniform_(t); }, 2.0 / n_fan, std::sqrt(6.0 / n_fan)},
      {"xavier_uniform gain", [&](const Tensor& t) { nn::init::xavier_uniform_(t, g); }, g * g * 2.0 / n_fan, g * std::sqrt(6.0 / n_fan)},
      {"xavier_normal", [](const Tensor& t) { nn::init::xavier_normal_(t); }, 2.0 / n_fan, 0},
      {"kaiming_uniform", [](const Tensor& t) { nn::init::kaiming_uniform_(t); }, 2.0 / in, std::sqrt(6.0 / in)},
      {"kaiming_uniform fan_out tanh", [](const Tensor& t) { nn::init::kaiming_uniform_(t, 0, "fan_out", "tanh"); },
       (25.0 / 9.0) / out, std::sqrt(3.0) * (5.0 / 3.0) / std::sqrt(double(out))},
      {"kaiming_normal relu", [](const Tensor& t) { nn::init::kaiming_normal_(t, 0, "fan_in", "relu"); }, 2.0 / in, 0},
      {"kaiming_normal fan_out linear", [](const Tensor& t) { nn::init::kaiming_normal_(t, 0, "fan_out", "linear"); }, 1.0 / out, 0},
      {"kaiming_normal leaky 0.2", [](const Tensor& t) { nn::init::kaiming_normal_(t, 0.2); }, 2.0 / 1.04 / in, 0},
  };
  manual_seed(1);
  for (const Case& c : cases) {
    Tensor w = Tensor::empty({out, in});
    c.init(w);
    Moments m = moments(w);
    INFO(c.name << ": sample variance " << m.var << ", formula " << c.var << ", mean " << m.mean
                << ", max |w| " << m.maxabs << ", bound " << c.bound);
    CHECK(std::abs(m.var / c.var - 1.0) < 0.03);
    CHECK(std::abs(m.mean) < 3.0 * std::sqrt(c.var / double(out * in)) + 1e-9);
    if (c.bound > 0) {
      CHECK(m.maxabs <= c.bound);
      CHECK(m.maxabs > 0.99 * c.bound);
    }
  }
  REQUIRE_THROWS_WITH(nn::init::kaiming_normal_(Tensor::empty({3, 3}), 0, "fanin"),
                      Contains("kaiming_normal: mode") && Contains("'fanin'"));
}

TEST_CASE("orthogonal: QᵀQ = I for square, tall, wide and 3-D shapes, times the gain", "[init]") {
  manual_seed(2);
  for (Shape s : {Shape{32, 32}, Shape{40, 12}, Shape{12, 40}, Shape{6, 2, 5}}) {
    Tensor w = Tensor::empty(s);
    nn::init::orthogonal_(w);
    const int64_t rows = s[0], cols = w.numel() / rows;
    std::vector<double> sv = linalg::singular_values(reshape(w, {rows, cols}));
    INFO("shape " << shape_str(s) << ": max |σ − 1| " << max_dev_from_one(sv));
    CHECK(int64_t(sv.size()) == std::min(rows, cols));
    CHECK(max_dev_from_one(sv) < 1e-5);
  }
  Tensor w = Tensor::empty({16, 16});
  nn::init::orthogonal_(w, 0.5);
  for (double s : linalg::singular_values(w)) CHECK(s == Approx(0.5).epsilon(1e-5));
  CHECK(linalg::spectral_radius(w) == Approx(0.5).epsilon(1e-5));  // normal: |λ| = σ = 0.5

  REQUIRE_THROWS_WITH(nn::init::orthogonal_(Tensor::empty({5})),
                      Contains("orthogonal") && Contains("at least 2 dimensions") && Contains("(5,)"));
}

TEST_CASE("orthogonal: the sign fix makes Q Haar (diagonal mean ≈ 0) - without it Q is biased", "[init]") {
  const int n = 4, samples = 600;
  double diag_fixed = 0, diag_raw = 0, q00_raw = 0;
  for (int seed = 0; seed < samples; ++seed) {
    Rng a(seed), b(seed);
    std::vector<double> fixed = nn::init::detail::orthogonal_matrix(n, n, a, true);
    std::vector<double> raw = nn::init::detail::orthogonal_matrix(n, n, b, false);
    for (int i = 0; i < n; ++i) {
      diag_fixed += fixed[size_t(i * n + i)];
      diag_raw += raw[size_t(i * n + i)];
    }
    q00_raw += raw[0];
  }
  diag_fixed /= samples * n;
  diag_raw /= samples * n;
  q00_raw /= samples;
  // Haar: each Q_ii has mean 0 and std 1/√n = 0.5, so the mean of 2400 is within ±0.04 (4σ)
  INFO("mean diag with the sign fix " << diag_fixed << ", without " << diag_raw << ", mean Q_00 without " << q00_raw);
  CHECK(std::abs(diag_fixed) < 0.04);
  CHECK(diag_raw < -0.1);
  CHECK(q00_raw < -0.3);  // Householder: R_00 = −sign(a_00)·‖a_0‖, so Q_00 = −|a_00|/‖a_0‖ < 0
}

TEST_CASE("spectral-radius init hits ρ - ρ(W), eigenvalues and singular values of known matrices", "[init][linalg]") {
  manual_seed(3);
  for (int64_t n : {2, 16, 64}) {
    for (double rho : {0.5, 1.0, 1.5}) {
      Tensor w = Tensor::empty({n, n});
      nn::init::spectral_radius_(w, rho);
      INFO("n " << n << ", target ρ " << rho << ", got " << linalg::spectral_radius(w));
      CHECK(std::abs(linalg::spectral_radius(w) - rho) < 1e-4);
    }
  }
  // a rotation by 60° scaled by 2: eigenvalues 2·e^{±iπ/3}, ρ = 2, σ = (2, 2)
  const float c = float(std::cos(M_PI / 3)), s = float(std::sin(M_PI / 3));
  Tensor r = Tensor::from({2 * c, -2 * s, 2 * s, 2 * c}, {2, 2});
  CHECK(linalg::spectral_radius(r) == Approx(2.0).epsilon(1e-6));
  std::vector<std::complex<double>> ev = linalg::eigenvalues(r);
  REQUIRE(ev.size() == 2);
  CHECK(std::abs(ev[0].imag()) == Approx(2 * s).epsilon(1e-6));
  CHECK(ev[0].real() == Approx(1.0).epsilon(1e-6));
  // nilpotent: ρ = 0 but σ_max = 1 (transient growth the eigenvalues do not show)
  Tensor nil = Tensor::from({0, 1, 0, 0}, {2, 2});
  CHECK(linalg::spectral_radius(nil) == Approx(0.0).margin(1e-12));
  CHECK(linalg::singular_values(nil) == std::vector<double>{1.0, 0.0});
  REQUIRE_THROWS_WITH(nn::init::scale_spectral_radius_(nil, 1.0), Contains("spectral radius 0"));
  // rectangular singular values, largest first
  Tensor d = Tensor::from({0, 3, 0, -2, 0, 0}, {2, 3});
  std::vector<double> sv = linalg::singular_values(d);
  REQUIRE(sv.size() == 2);
  CHECK(sv[0] == Approx(3.0));
  CHECK(sv[1] == Approx(2.0));
  // keep the structure, set ρ: an orthogonal W scaled to 0.9 stays normal
  Tensor q = Tensor::empty({8, 8});
  nn::init::orthogonal_(q);
  nn::init::scale_spectral_radius_(q, 0.9);
  CHECK(linalg::spectral_radius(q) == Approx(0.9).epsilon(1e-5));
  CHECK(max_dev_from_one(linalg::singular_values(q)) == Approx(0.1).epsilon(1e-4));
}

TEST_CASE("spectrum and init errors name the function and the values", "[init][linalg][errors]") {
  REQUIRE_THROWS_WITH(linalg::spectral_radius(Tensor::randn({3, 4})),
                      Contains("spectral_radius: expected a square matrix") && Contains("(3, 4)"));
  REQUIRE_THROWS_WITH(linalg::eigenvalues(Tensor::randn({3})), Contains("eigenvalues: expected a 2-D matrix") && Contains("(3,)"));
  REQUIRE_THROWS_WITH(nn::init::spectral_radius_(Tensor::empty({2, 3}), 1.0), Contains("square") && Contains("(2, 3)"));
  REQUIRE_THROWS_WITH(nn::init::spectral_radius_(Tensor::empty({3, 3}), -1.0), Contains("rho") && Contains("-1"));
  Tensor bad = Tensor::from({1, NAN, 0, 1}, {2, 2});
  REQUIRE_THROWS_WITH(linalg::spectral_radius(bad), Contains("non-finite") && Contains("nan") && Contains("(0, 1)"));
  REQUIRE_THROWS_WITH(linalg::singular_values(Tensor::empty({0, 3})), Contains("singular_values") && Contains("empty"));
  REQUIRE_THROWS_WITH(nn::init::uniform_(Tensor::empty({2}), 1.0, 0.0), Contains("uniform: expected a <= b"));
  REQUIRE_THROWS_WITH(nn::init::normal_(Tensor::empty({2}), 0.0, -1.0), Contains("normal: std") && Contains("-1"));
  REQUIRE_THROWS_WITH(nn::init::eye_(Tensor::empty({2, 2, 2})), Contains("eye: expected a 2-D tensor"));
  Tensor x = Tensor::randn({3, 3}, true);
  REQUIRE_THROWS_WITH(nn::init::zeros_(tanh(x)), Contains("zeros") && Contains("tanh") && Contains("part of a graph"));
}

TEST_CASE("eye (IRNN), constant, zeros, uniform, normal, and fill_slice for a forget-gate bias", "[init]") {
  Tensor w = Tensor::randn({3, 4});
  nn::init::eye_(w, 0.5);
  CHECK(w.vec() == std::vector<float>{0.5f, 0, 0, 0, 0, 0.5f, 0, 0, 0, 0, 0.5f, 0});
  Tensor sq = Tensor::empty({5, 5});
  nn::init::eye_(sq);
  CHECK(linalg::spectral_radius(sq) == Approx(1.0));

  const int64_t H = 4;
  Tensor b = Tensor::randn({4 * H});
  nn::init::zeros_(b);
  nn::init::fill_slice_(b, H, H, 1.0);  // gates (i, f, g, o): forget bias = 1
  for (int64_t i = 0; i < 4 * H; ++i) CHECK(b.data()[i] == (i >= H && i < 2 * H ? 1.f : 0.f));
  REQUIRE_THROWS_WITH(nn::init::fill_slice_(b, 3 * H, H + 1, 1.0),
                      Contains("fill_slice: elements [12, 17) are out of range") && Contains("16 elements"));
  REQUIRE_THROWS_WITH(nn::init::fill_slice_(b, -1, 2, 1.0), Contains("fill_slice") && Contains("[-1, 1)"));

  nn::init::constant_(b, 0.25);
  for (float v : b.vec()) CHECK(v == 0.25f);
  manual_seed(5);
  Tensor u = Tensor::empty({20000});
  nn::init::uniform_(u, -0.1, 0.3);
  Moments m = moments(u);
  CHECK(m.mean == Approx(0.1).margin(0.005));
  CHECK(m.var == Approx(0.16 / 12).epsilon(0.03));
  for (float v : u.vec()) CHECK((v >= -0.1f && v <= 0.3f));
  nn::init::normal_(u, 2.0, 0.5);
  m = moments(u);
  CHECK(m.mean == Approx(2.0).margin(0.02));
  CHECK(m.var == Approx(0.25).epsilon(0.03));
}

TEST_CASE("initialisers draw from the global generator: the same seed gives the same weights", "[init][determinism]") {
  auto draw = [](uint64_t seed) {
    manual_seed(seed);
    Tensor a = Tensor::empty({6, 6}), b = Tensor::empty({6, 6}), c = Tensor::empty({6, 6});
    nn::init::orthogonal_(a);
    nn::init::xavier_uniform_(b);
    nn::init::spectral_radius_(c, 1.1);
    std::vector<float> all = a.vec();
    all.insert(all.end(), b.vec().begin(), b.vec().end());
    all.insert(all.end(), c.vec().begin(), c.vec().end());
    return all;
  };
  CHECK(draw(7) == draw(7));
  CHECK(draw(7) != draw(8));
}
