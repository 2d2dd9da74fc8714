// engine/analysis: every measurement against an independent computation. Where a value is a
// derivative (Jacobian products, ∂c_t/∂c_{t-1}) it is checked against the engine's autograd and
// against central differences of the forward pass.
#include <catch2/catch.hpp>

#include <cmath>
#include <numeric>
#include <tuple>
#include <vector>
#include <xtensor/xview.hpp>

#include "gradlab/analysis.h"
#include "gradlab/gradlab.h"

using namespace gradlab;
using Catch::Matchers::Contains;

namespace {

Tensor random_tensor(const Shape& shape, double std, uint64_t seed) {
  manual_seed(seed);
  Tensor t = Tensor::randn(shape);
  for (float& v : t.vec()) v *= float(std);
  return t;
}

// ∂h_T/∂h_0 (H, H) of sequence 0 by autograd through the fused RNN layer: h_0 repeated H times
// as a batch, backward from h_T seeded with the identity, so row i of h_0's grad is row i of
// the Jacobian.
std::vector<double> rnn_jacobian_autograd(nn::Nonlinearity nl, const Tensor& x0, const Tensor& h0,
                                          const Tensor& w_ih, const Tensor& w_hh, const Tensor& b_ih,
                                          const Tensor& b_hh) {
  const int64_t T = x0.size(1), D = x0.size(2), H = w_hh.size(0);
  std::vector<float> xs, hs;
  for (int64_t i = 0; i < H; ++i) {
    xs.insert(xs.end(), x0.vec().begin(), x0.vec().end());
    hs.insert(hs.end(), h0.vec().begin(), h0.vec().end());
  }
  Tensor x = Tensor::from(xs, {H, T, D});
  Tensor h = Tensor::from(hs, {1, H, H}, true);
  nn::RecurrentOptions o;
  o.nonlinearity = nl;
  nn::RecurrentOutput out = nn::recurrent(nn::CellKind::RNN, x, h, Tensor(), {w_ih, w_hh, b_ih, b_hh}, o);
  out.h_n.backward(reshape(nn::init::eye_(Tensor::zeros({H, H})), {1, H, H}));
  return std::vector<double>(h.grad().vec().begin(), h.grad().vec().end());
}

// the same Jacobian by central differences of the forward pass, column j from h_0 ± eps e_j
std::vector<double> rnn_jacobian_fd(nn::Nonlinearity nl, const Tensor& x0, const Tensor& h0,
                                    const Tensor& w_ih, const Tensor& w_hh, const Tensor& b_ih,
                                    const Tensor& b_hh, float eps) {
  const int64_t H = w_hh.size(0);
  nn::RecurrentOptions o;
  o.nonlinearity = nl;
  NoGradGuard no_grad;
  std::vector<double> J(size_t(H * H));
  for (int64_t j = 0; j < H; ++j) {
    Tensor up = h0.clone(), down = h0.clone();
    up.data()[j] += eps;
    down.data()[j] -= eps;
    Tensor hu = nn::recurrent(nn::CellKind::RNN, x0, reshape(up, {1, 1, H}), Tensor(), {w_ih, w_hh, b_ih, b_hh}, o).h_n;
    Tensor hd = nn::recurrent(nn::CellKind::RNN, x0, reshape(down, {1, 1, H}), Tensor(), {w_ih, w_hh, b_ih, b_hh}, o).h_n;
    for (int64_t i = 0; i < H; ++i) J[size_t(i * H + j)] = (double(hu.data()[i]) - double(hd.data()[i])) / (2.0 * eps);
  }
  return J;
}

}  // namespace

TEST_CASE("step_norms: the L2 norm over batch and features of each time step", "[analysis]") {
  // d (B=2, T=3, F=2)
  Tensor d = Tensor::from({1, 2, 0, 0, 3, 4,   //
                           2, 0, 0, 1, 0, 0},  //
                          {2, 3, 2});
  const xt::xtensor<double, 1> n = analysis::step_norms(d);
  REQUIRE(n.size() == 3);
  CHECK(n(0) == Approx(3.0));            // √(1 + 4 + 4)
  CHECK(n(1) == Approx(1.0));            // √(0 + 1)
  CHECK(n(2) == Approx(5.0));            // √(9 + 16)
  CHECK_THROWS_WITH(analysis::step_norms(Tensor::zeros({2})), Contains("expected a (B, T, F) or (T, F) tensor, got (2,)"));
}

TEST_CASE("History grows one row per record and refuses a row of the wrong length", "[analysis]") {
  analysis::History h("training step", "t", {1, 2, 3});
  CHECK(h.values().shape()[0] == 0);
  h.append(10, xt::xtensor<double, 1>{1, 2, 3});
  h.append(20, xt::xtensor<double, 1>{4, 5, 6});
  REQUIRE(h.values().shape()[0] == 2);
  REQUIRE(h.values().shape()[1] == 3);
  CHECK(h.values()(1, 2) == 6);
  CHECK(h.rows() == std::vector<double>{10, 20});
  CHECK_THROWS_WITH(h.append(30, xt::xtensor<double, 1>{1, 2}), Contains("a row of 2 values, expected 3"));
}

TEST_CASE("rnn_preactivations: σ(z) is the layer's own output, for tanh and ReLU", "[analysis]") {
  const int64_t B = 3, T = 7, D = 4, H = 5;
  for (auto nl : {nn::Nonlinearity::Tanh, nn::Nonlinearity::ReLU}) {
    manual_seed(11);
    nn::RecurrentOptions o;
    o.nonlinearity = nl;
    nn::RNN rnn(D, H, o);
    Tensor x = random_tensor({B, T, D}, 1.0, 12);
    Tensor h0 = random_tensor({1, B, H}, 0.5, 13);
    nn::RecurrentOutput out = rnn.forward(x, h0);
    const xt::xtensor<double, 3> z = analysis::rnn_preactivations(x, out.output, reshape(h0, {B, H}), rnn.weight_ih(0),
                                                                  rnn.weight_hh(0), rnn.bias_ih(0), rnn.bias_hh(0));
    double worst = 0;
    for (int64_t k = 0; k < B * T * H; ++k) {
      const double zk = z.data()[k];
      const double expected = nl == nn::Nonlinearity::Tanh ? std::tanh(zk) : std::max(zk, 0.0);
      worst = std::max(worst, std::abs(expected - double(out.output.data()[k])));
    }
    INFO(nn::nonlinearity_name(nl) << ": B=3 T=7 D=4 H=5, seed 11");
    CHECK(worst < 1e-5);
  }
}

TEST_CASE("activation_slopes are σ'(z): central differences for tanh, the step for ReLU", "[analysis]") {
  xt::xtensor<double, 3> z = {{{-3.0, -0.5, 0.25, 1.0, 2.5}}};
  const auto tanh_slope = analysis::activation_slopes(z, analysis::Activation::Tanh);
  for (size_t j = 0; j < 5; ++j) {
    const double h = 1e-5, v = z(0, 0, j);
    CHECK(tanh_slope(0, 0, j) == Approx((std::tanh(v + h) - std::tanh(v - h)) / (2 * h)).epsilon(1e-6));
  }
  const auto relu_slope = analysis::activation_slopes(z, analysis::Activation::ReLU);
  CHECK(relu_slope(0, 0, 0) == 0);
  CHECK(relu_slope(0, 0, 2) == 1);
  const auto linear_slope = analysis::activation_slopes(z, analysis::Activation::Linear);
  CHECK(xt::amin(linear_slope)() == 1);
  CHECK_THROWS_WITH(analysis::activation_from("gelu", "test"), Contains("'linear', 'tanh' or 'relu', got 'gelu'"));
}

TEST_CASE("jacobian_products: ∂h_T/∂h_0 equals autograd's and central differences (tanh, ReLU)", "[analysis][gradcheck]") {
  const int64_t T = 12, D = 3, H = 6;
  for (auto nl : {nn::Nonlinearity::Tanh, nn::Nonlinearity::ReLU}) {
    // W_hh = 1.3·Q and small inputs: a Jacobian of order 1 after T steps, worth comparing
    const Tensor w_ih = random_tensor({H, D}, 0.3, 21);
    manual_seed(22);
    const Tensor w_hh = nn::init::orthogonal_(Tensor::zeros({H, H}), 1.3);
    const Tensor b_ih = random_tensor({H}, 0.1, 23), b_hh = random_tensor({H}, 0.1, 24);
    const Tensor x = random_tensor({1, T, D}, 0.5, 25), h0 = random_tensor({1, H}, 0.3, 26);
    Tensor out;
    {
      nn::RecurrentOptions o;
      o.nonlinearity = nl;
      out = nn::recurrent(nn::CellKind::RNN, x, reshape(h0, {1, 1, H}), Tensor(), {w_ih, w_hh, b_ih, b_hh}, o).output;
    }
    const auto act = nl == nn::Nonlinearity::Tanh ? analysis::Activation::Tanh : analysis::Activation::ReLU;
    const auto z = analysis::rnn_preactivations(x, out, h0, w_ih, w_hh, b_ih, b_hh);
    const analysis::JacobianProducts J = analysis::jacobian_products(w_hh, analysis::activation_slopes(z, act), 0, 0);
    REQUIRE(J.norms.size() == size_t(T));

    const std::vector<double> ag = rnn_jacobian_autograd(nl, x, h0, w_ih, w_hh, b_ih, b_hh);
    const std::vector<double> fd = rnn_jacobian_fd(nl, x, h0, w_ih, w_hh, b_ih, b_hh, 1e-2f);
    double err_ag = 0, err_fd = 0, scale = 0;
    for (int64_t k = 0; k < H * H; ++k) {
      scale = std::max(scale, std::abs(J.last.data()[k]));
      err_ag = std::max(err_ag, std::abs(J.last.data()[k] - ag[size_t(k)]));
      err_fd = std::max(err_fd, std::abs(J.last.data()[k] - fd[size_t(k)]));
    }
    INFO(nn::nonlinearity_name(nl) << ": T=12 D=3 H=6, weights seeds 21-26; largest entry " << scale
                                   << ", |analysis − autograd| " << err_ag << ", |analysis − fd| " << err_fd);
    CHECK(scale > 0.05);  // a Jacobian worth comparing
    CHECK(err_ag <= 1e-5 + 1e-4 * scale);
    CHECK(err_fd <= 1e-4 + 2e-2 * scale);
    // its norm is the largest singular value of the product
    CHECK(J.norms.back() >= scale - 1e-12);
  }
}

TEST_CASE("jacobian_products of a linear RNN with W = ρ·Q is ρ^t at every t", "[analysis]") {
  const int64_t T = 40, H = 8;
  manual_seed(3);
  for (double rho : {0.9, 1.0, 1.1}) {
    Tensor w = nn::init::orthogonal_(Tensor::zeros({H, H}), rho);
    xt::xtensor<double, 3> slopes = xt::ones<double>({size_t(1), size_t(T), size_t(H)});
    const auto J = analysis::jacobian_products(w, slopes, 0, 0);
    for (int64_t t = 1; t <= T; t += 13) CHECK(J.norms[size_t(t - 1)] == Approx(std::pow(rho, double(t))).epsilon(1e-5));
    const auto from10 = analysis::jacobian_products(w, slopes, 0, 10);
    CHECK(from10.norms.size() == size_t(T - 10));
    CHECK(from10.norms.back() == Approx(std::pow(rho, double(T - 10))).epsilon(1e-5));
  }
  Tensor w = Tensor::zeros({H, H});
  xt::xtensor<double, 3> slopes = xt::ones<double>({size_t(2), size_t(T), size_t(H)});
  CHECK_THROWS_WITH(analysis::jacobian_products(w, slopes, 2, 0), Contains("batch element 2 is out of range for batch size 2"));
  CHECK_THROWS_WITH(analysis::jacobian_products(Tensor::zeros({H, H + 1}), slopes), Contains("expected weight_hh of shape (8, 8)"));
}

TEST_CASE("spectrum, power_norms and the tracker: known matrices", "[analysis]") {
  // a rotation by 90° scaled by 0.5: eigenvalues ±0.5i, singular values 0.5, 0.5
  Tensor r = Tensor::from({0, -0.5f, 0.5f, 0}, {2, 2});
  const analysis::Spectrum s = analysis::spectrum(r);
  CHECK(s.rho == Approx(0.5));
  CHECK(s.singular_values == std::vector<double>{0.5, 0.5});
  CHECK(std::abs(s.eig_real[0]) < 1e-12);
  CHECK(std::abs(s.eig_imag[0]) == Approx(0.5));
  // non-normal: ρ = 0.8 but W^k = [[0.8^k, 10·k·0.8^(k-1)], [0, 0.8^k]]: the norm grows
  // for a few powers before ρ^k wins
  Tensor n = Tensor::from({0.8f, 10, 0, 0.8f}, {2, 2});
  const std::vector<double> p = analysis::power_norms(n, 100);
  CHECK(analysis::spectrum(n).rho == Approx(0.8));
  CHECK(p[0] > 10);
  CHECK(p[3] > p[1]);
  CHECK(p[1] > p[0]);
  CHECK(p[99] < 1e-5);
  analysis::SpectralTracker tracker(2);
  tracker.record(0, r);
  tracker.record(5, n);
  REQUIRE(tracker.rho().size() == 2);
  CHECK(tracker.rho()[0] == Approx(0.5));
  CHECK(tracker.rho()[1] == Approx(0.8));
  CHECK(tracker.singular_values().values().shape()[0] == 2);
  CHECK(tracker.singular_values().values()(1, 0) == Approx(p[0]));
  CHECK_THROWS_WITH(analysis::spectrum(Tensor::zeros({2, 3})), Contains("expected a square matrix, got (2, 3)"));
}

TEST_CASE("histogram and saturation: counts, end bins, the effective radius", "[analysis]") {
  xt::xtensor<double, 3> v = {{{-10, -1, -0.5, 0, 0.5, 1, 10}}};
  const analysis::Histogram h = analysis::histogram(v, 4, -2, 2);
  CHECK(h.edges.size() == 5);
  CHECK(h.counts == std::vector<double>{1, 2, 2, 2});  // [-2,-1) [-1,0) [0,1) [1,2]: -10 and 10 go to the end bins
  CHECK_THROWS_WITH(analysis::histogram(v, 0, 0, 1), Contains("bins must be positive"));

  const int64_t H = 8;
  manual_seed(5);
  Tensor q = nn::init::orthogonal_(Tensor::zeros({H, H}));
  xt::xtensor<double, 3> small = xt::zeros<double>({size_t(2), size_t(3), size_t(H)});
  const analysis::Saturation s0 = analysis::saturation(q, small, analysis::Activation::Tanh);
  CHECK(s0.rho == Approx(1.0).epsilon(1e-6));
  CHECK(s0.mean_slope == Approx(1.0));
  CHECK(s0.rho_eff == Approx(1.0).epsilon(1e-6));
  CHECK(s0.saturated_fraction == 0);
  xt::xtensor<double, 3> big = xt::ones<double>({size_t(2), size_t(3), size_t(H)}) * 3.0;
  const analysis::Saturation s1 = analysis::saturation(q, big, analysis::Activation::Tanh);
  const double slope = 1 - std::tanh(3.0) * std::tanh(3.0);
  CHECK(s1.mean_slope == Approx(slope));
  CHECK(s1.rho_eff == Approx(slope).epsilon(1e-6));
  CHECK(s1.saturated_fraction == 1);
  CHECK(std::accumulate(s1.z.counts.begin(), s1.z.counts.end(), 0.0) == 2 * 3 * H);
}

TEST_CASE("clip_and_measure: by norm keeps the direction and caps the norm, by value turns it", "[analysis]") {
  Tensor a = Tensor::zeros({2}, true), b = Tensor::zeros({2}, true);
  auto set_grads = [&] {
    a.zero_grad();
    b.zero_grad();
    sum(mul(a, Tensor::from({3, 0.1f}, {2}))).backward();
    sum(mul(b, Tensor::from({-4, 0.2f}, {2}))).backward();
  };
  set_grads();  // g = (3, 0.1, -4, 0.2), ‖g‖ ≈ 5.006
  const double norm = std::sqrt(9 + 0.01 + 16 + 0.04);
  const analysis::ClipReport n = analysis::clip_and_measure({a, b}, analysis::ClipMode::Norm, 1.0);
  CHECK(n.norm_before == Approx(norm));
  CHECK(n.norm_after == Approx(1.0).epsilon(1e-5));
  CHECK(n.cosine == Approx(1.0).epsilon(1e-9));
  CHECK(n.clipped_fraction == 1);

  set_grads();
  const analysis::ClipReport v = analysis::clip_and_measure({a, b}, analysis::ClipMode::Value, 0.5);
  // after: (0.5, 0.1, -0.5, 0.2); cosine = g·c / (‖g‖‖c‖)
  const double dot = 1.5 + 0.01 + 2 + 0.04, nc = std::sqrt(0.25 + 0.01 + 0.25 + 0.04);
  CHECK(v.norm_after == Approx(nc).epsilon(1e-6));
  CHECK(v.cosine == Approx(dot / (norm * nc)).epsilon(1e-6));
  CHECK(v.cosine < 0.99);
  CHECK(v.clipped_fraction == Approx(0.5));

  set_grads();
  const analysis::ClipReport none = analysis::clip_and_measure({a, b}, analysis::ClipMode::Value, 10);
  CHECK(none.cosine == Approx(1.0));
  CHECK(none.clipped_fraction == 0);
  Tensor fresh = Tensor::zeros({2}, true);
  CHECK_THROWS_WITH(analysis::clip_and_measure({fresh}, analysis::ClipMode::Norm, 1), Contains("no parameter has a gradient"));
  CHECK_THROWS_WITH(analysis::clip_and_measure({a}, analysis::ClipMode::Norm, -1), Contains("threshold must be a finite number > 0, got -1"));
}

TEST_CASE("lstm_trace replays the engine's LSTM, ∂c_t/∂c_{t-1} by autograd is diag(f_t) and matches central differences",
          "[analysis][gradcheck]") {
  const int64_t B = 2, T = 6, D = 3, H = 5;
  manual_seed(31);
  nn::RecurrentOptions o;
  o.forget_bias = 1.f;
  nn::LSTM lstm(D, H, o);
  Tensor x = random_tensor({B, T, D}, 1.0, 32);
  nn::RecurrentOutput out = lstm.forward(x);
  const analysis::LstmTrace tr = analysis::lstm_trace(lstm, x);
  const auto engine_h = analysis::to_btf(out.output, "test");
  CHECK(xt::amax(xt::abs(engine_h - tr.h))() < 1e-5);
  const auto engine_c = analysis::to_btf(reshape(out.c_n, {B, 1, H}), "test");
  CHECK(xt::amax(xt::abs(xt::view(engine_c, xt::all(), 0, xt::all()) - xt::view(tr.c, xt::all(), T - 1, xt::all())))() < 1e-5);

  for (int64_t t : {int64_t(0), int64_t(3), T - 1}) {
    const xt::xtensor<double, 2> J = analysis::lstm_cell_state_jacobian(lstm, x, tr, t, 1);
    // central differences of c_t in c_{t-1} through the engine's cell, h_{t-1} held fixed
    std::vector<float> h_prev(size_t(H), 0.f), c_prev(size_t(H), 0.f), x_t(size_t(D), 0.f);
    for (int64_t j = 0; j < H && t > 0; ++j) {
      h_prev[size_t(j)] = float(tr.h(1, t - 1, j));
      c_prev[size_t(j)] = float(tr.c(1, t - 1, j));
    }
    for (int64_t d = 0; d < D; ++d) x_t[size_t(d)] = x.data()[(1 * T + t) * D + d];
    const float eps = 1e-2f;
    for (int64_t j = 0; j < H; ++j) {
      std::vector<float> up = c_prev, down = c_prev;
      up[size_t(j)] += eps;
      down[size_t(j)] -= eps;
      NoGradGuard no_grad;
      auto cu = nn::lstm_cell(Tensor::from(x_t, {1, D}), Tensor::from(h_prev, {1, H}), Tensor::from(up, {1, H}),
                              lstm.weight_ih(0), lstm.weight_hh(0), lstm.bias_ih(0), lstm.bias_hh(0)).second;
      auto cd = nn::lstm_cell(Tensor::from(x_t, {1, D}), Tensor::from(h_prev, {1, H}), Tensor::from(down, {1, H}),
                              lstm.weight_ih(0), lstm.weight_hh(0), lstm.bias_ih(0), lstm.bias_hh(0)).second;
      for (int64_t i = 0; i < H; ++i) {
        const double fd = (double(cu.data()[i]) - double(cd.data()[i])) / (2.0 * eps);
        INFO("t=" << t << " row " << i << " col " << j << ", seed 31");
        CHECK(J(i, j) == Approx(fd).margin(1e-4));
        CHECK(J(i, j) == Approx(i == j ? tr.f(1, t, i) : 0.0).margin(1e-6));
      }
    }
  }
  // the parameters got no gradient from the analysis
  for (const Tensor& p : lstm.parameters()) CHECK_FALSE(p.grad().defined());
  CHECK_THROWS_WITH(analysis::lstm_trace(lstm, Tensor::zeros({B, T, D + 1})), Contains("expected x of shape (B, T, 3), got (2, 6, 4)"));
  CHECK_THROWS_WITH(analysis::lstm_cell_state_jacobian(lstm, x, tr, T, 0), Contains("step t must be in [0, 6), got 6"));
}

TEST_CASE("step_norms of every recurrent kind's step_grads equal the norms of retain_grad'ed states", "[analysis]") {
  const int64_t B = 3, T = 5, D = 2, H = 4;
  for (auto kind : {nn::CellKind::RNN, nn::CellKind::LSTM, nn::CellKind::GRU}) {
    manual_seed(41);
    nn::RNNCell rnn_cell(D, H);
    nn::LSTMCell lstm_cell(D, H);
    nn::GRUCell gru_cell(D, H);
    Tensor x = random_tensor({B, T, D}, 1.0, 42);
    // the cell stepped by hand with retain_grad on every h_t
    std::vector<Tensor> hs;
    Tensor h = Tensor::zeros({B, H}), c = Tensor::zeros({B, H});
    for (int64_t t = 0; t < T; ++t) {
      Tensor xt_ = select(x, 1, t);
      if (kind == nn::CellKind::RNN) h = rnn_cell.forward(xt_, h);
      else if (kind == nn::CellKind::GRU) h = gru_cell.forward(xt_, h);
      else std::tie(h, c) = lstm_cell.forward(xt_, h, c);
      h.retain_grad();
      hs.push_back(h);
    }
    Tensor loss = sum(square(h));
    loss.backward();
    // the fused layer with the cell's weights
    const nn::CellBase& cell = kind == nn::CellKind::RNN ? static_cast<const nn::CellBase&>(rnn_cell)
                               : kind == nn::CellKind::GRU ? static_cast<const nn::CellBase&>(gru_cell)
                                                           : static_cast<const nn::CellBase&>(lstm_cell);
    auto sink = std::make_shared<nn::StepGrads>();
    nn::RecurrentOutput out = nn::recurrent(kind, x, Tensor(), Tensor(),
                                            {cell.weight_ih.detach(), cell.weight_hh.detach(), cell.bias_ih.detach(),
                                             cell.bias_hh.detach().set_requires_grad(true)},
                                            {}, sink);
    sum(square(select(out.h_n, 0, 0))).backward();
    const xt::xtensor<double, 1> n = analysis::step_norms(sink->dh);
    for (int64_t t = 0; t < T; ++t) {
      double ref = 0;
      for (float g : hs[size_t(t)].grad().vec()) ref += double(g) * g;
      INFO(nn::kind_name(kind) << " t=" << t);
      CHECK(n(size_t(t)) == Approx(std::sqrt(ref)).epsilon(1e-4));
    }
  }
}
