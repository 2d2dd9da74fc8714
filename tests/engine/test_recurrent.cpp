// RNN (tanh, ReLU), LSTM and GRU: cells and fused layers against central differences, against
// the same model stepped with the fine-grained ops, per-step gradients against retain_grad,
// PyTorch's parameter counts, error messages, and an LSTM that learns the adding problem.
#include <chrono>
#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <tuple>
#include <vector>

#include "../../engine/src/nn/cells.h"  // step_gemm, the per-step product kernel
#include "gradcheck.h"
#include "gradlab/kernels.h"

using namespace gradlab;
using gradlab::testing::check_gradients;
using gradlab::testing::GradCheck;
using nn::CellKind;
using nn::Nonlinearity;
using Catch::Matchers::Contains;

namespace {

const char* kind_str(CellKind kind, Nonlinearity nl) {
  if (kind == CellKind::RNN) return nl == Nonlinearity::Tanh ? "RNN(tanh)" : "RNN(relu)";
  return nn::kind_name(kind);
}

nn::RecurrentOptions options(int64_t layers, Nonlinearity nl = Nonlinearity::Tanh, bool bias = true,
                             bool batch_first = true) {
  nn::RecurrentOptions o;
  o.num_layers = layers;
  o.nonlinearity = nl;
  o.bias = bias;
  o.batch_first = batch_first;
  return o;
}

// Flattens a layer's outputs into one tensor, so one check covers output, h_n and c_n.
Tensor flat(const nn::RecurrentOutput& r) {
  std::vector<Tensor> parts{reshape(r.output, {-1}), reshape(r.h_n, {-1})};
  if (r.c_n.defined()) parts.push_back(reshape(r.c_n, {-1}));
  return cat(parts, 0);
}

// ---- the reference: the same model stepped with the fine-grained ops (matmul, add, σ, ...) ----
// Gate k's rows of a stacked (G·H, in) weight or (G·H) bias.
Tensor gate_rows(const Tensor& w, int64_t G, int64_t k) {
  Shape s{G, w.size(0) / G};
  if (w.dim() == 2) s.push_back(w.size(1));
  return select(reshape(w, s), 0, k);
}
// x Wᵀ + b with gate k's rows
Tensor affine(const Tensor& x, const Tensor& w, const Tensor& b, int64_t G, int64_t k) {
  Tensor y = matmul(x, transpose(gate_rows(w, G, k)));
  return b.defined() ? add(y, gate_rows(b, G, k)) : y;
}
// pre-activation of gate k: (x W_ihᵀ + b_ih) + (h W_hhᵀ + b_hh)
Tensor gate(const Tensor& x, const Tensor& h, const std::vector<Tensor>& p, int64_t G, int64_t k) {
  Tensor b_ih = p.size() > 2 ? p[2] : Tensor(), b_hh = p.size() > 2 ? p[3] : Tensor();
  return add(affine(x, p[0], b_ih, G, k), affine(h, p[1], b_hh, G, k));
}

struct RefState {
  Tensor h, c;
};

// One step by hand. p = {W_ih, W_hh[, b_ih, b_hh]}.
RefState ref_step(CellKind kind, Nonlinearity nl, const Tensor& x, const RefState& s,
                  const std::vector<Tensor>& p) {
  switch (kind) {
    case CellKind::RNN: {
      Tensor pre = gate(x, s.h, p, 1, 0);
      return {nl == Nonlinearity::Tanh ? tanh(pre) : relu(pre), Tensor()};
    }
    case CellKind::LSTM: {
      Tensor i = sigmoid(gate(x, s.h, p, 4, 0));
      Tensor f = sigmoid(gate(x, s.h, p, 4, 1));
      Tensor g = tanh(gate(x, s.h, p, 4, 2));
      Tensor o = sigmoid(gate(x, s.h, p, 4, 3));
      Tensor c = add(mul(f, s.c), mul(i, g));
      return {mul(o, tanh(c)), c};
    }
    case CellKind::GRU: {
      Tensor b_ih = p.size() > 2 ? p[2] : Tensor(), b_hh = p.size() > 2 ? p[3] : Tensor();
      Tensor r = sigmoid(gate(x, s.h, p, 3, 0));
      Tensor z = sigmoid(gate(x, s.h, p, 3, 1));
      Tensor n = tanh(add(affine(x, p[0], b_ih, 3, 2), mul(r, affine(s.h, p[1], b_hh, 3, 2))));
      return {add(mul(sub(Tensor::scalar(1.f), z), n), mul(z, s.h)), Tensor()};
    }
  }
  return {};
}

struct RefOutput {
  nn::RecurrentOutput out;
  std::vector<Tensor> h_top, c_top;  // the last layer's h_t, c_t (retained)
};

// The whole multi-layer sequence, batch_first, stepped by hand.
RefOutput ref_sequence(CellKind kind, Nonlinearity nl, const Tensor& x, const Tensor& h0,
                       const Tensor& c0, const std::vector<Tensor>& params, int64_t L) {
  const int64_t T = x.size(1), per = int64_t(params.size()) / L;
  std::vector<Tensor> inputs;
  for (int64_t t = 0; t < T; ++t) inputs.push_back(select(x, 1, t));
  RefOutput r;
  std::vector<Tensor> h_n, c_n;
  for (int64_t l = 0; l < L; ++l) {
    std::vector<Tensor> p(params.begin() + l * per, params.begin() + (l + 1) * per);
    RefState s{select(h0, 0, l), c0.defined() ? select(c0, 0, l) : Tensor()};
    std::vector<Tensor> outs;
    for (int64_t t = 0; t < T; ++t) {
      s = ref_step(kind, nl, inputs[size_t(t)], s, p);
      outs.push_back(s.h);
      if (l == L - 1) {
        s.h.retain_grad();
        r.h_top.push_back(s.h);
        if (s.c.defined()) {
          s.c.retain_grad();
          r.c_top.push_back(s.c);
        }
      }
    }
    h_n.push_back(reshape(s.h, {1, s.h.size(0), s.h.size(1)}));
    if (s.c.defined()) c_n.push_back(reshape(s.c, {1, s.c.size(0), s.c.size(1)}));
    inputs = outs;
  }
  std::vector<Tensor> steps;
  for (const Tensor& h : inputs) steps.push_back(reshape(h, {h.size(0), 1, h.size(1)}));
  r.out.output = cat(steps, 1);
  r.out.h_n = cat(h_n, 0);
  if (!c_n.empty()) r.out.c_n = cat(c_n, 0);
  return r;
}

// Σ w ⊙ y with fixed random weights: a loss that gives every output element its own gradient
Tensor weighted(const Tensor& y, uint64_t seed) {
  Rng rng(seed);
  std::vector<float> w(size_t(y.numel()));
  for (float& v : w) v = rng.uniform(-1.f, 1.f);
  return sum(mul(y, Tensor::from(w, y.shape())));
}

float max_abs_diff(const Tensor& a, const Tensor& b) {
  REQUIRE(a.shape() == b.shape());
  float m = 0;
  for (int64_t k = 0; k < a.numel(); ++k) m = std::max(m, std::abs(a.data()[k] - b.data()[k]));
  return m;
}

void zero_grads(const nn::Module& m) {
  for (Tensor p : m.parameters()) p.zero_grad();
}

Tensor grad_copy(const Tensor& t) { return t.grad().defined() ? t.grad().clone() : Tensor(); }

// Values kept away from 0 so ReLU's kink is not inside a finite-difference step
Tensor randn_scaled(const Shape& s, float scale, bool requires_grad = true) {
  Tensor t = Tensor::randn(s);
  for (float& v : t.vec()) v *= scale;
  return t.set_requires_grad(requires_grad);
}

// The smallest |pre-activation| over every unit, step and layer of a ReLU RNN (batch_first
// or time-major input): finite differences are only valid when it exceeds the step.
float relu_margin(const Tensor& x, const Tensor& h0, const std::vector<Tensor>& params, int64_t L,
                  bool batch_first) {
  NoGradGuard no_grad;
  const int64_t per = int64_t(params.size()) / L, T = x.size(batch_first ? 1 : 0);
  std::vector<Tensor> inputs;
  for (int64_t t = 0; t < T; ++t) inputs.push_back(select(x, batch_first ? 1 : 0, t));
  float margin = INFINITY;
  for (int64_t l = 0; l < L; ++l) {
    std::vector<Tensor> p(params.begin() + l * per, params.begin() + (l + 1) * per);
    Tensor h = select(h0, 0, l);
    for (int64_t t = 0; t < T; ++t) {
      Tensor pre = gate(inputs[size_t(t)], h, p, 1, 0);
      for (float v : pre.vec()) margin = std::min(margin, std::abs(v));
      inputs[size_t(t)] = h = relu(pre);
    }
  }
  return margin;
}

}  // namespace

// ---- the per-step product kernel --------------------------------------------------------------
TEST_CASE("step_gemm adds A · B like kernels::gemm, at every tail shape", "[recurrent][kernel]") {
  Rng rng(5);
  for (int64_t M : {1, 3, 4, 5, 8, 33})
    for (int64_t N : {1, 7, 8, 9, 20, 512})
      for (int64_t K : {1, 5, 16, 128}) {
        std::vector<float> A(size_t(M * K)), B(size_t(K * N)), C(size_t(M * N)), ref;
        for (float& v : A) v = rng.uniform(-1.f, 1.f);
        for (float& v : B) v = rng.uniform(-1.f, 1.f);
        for (float& v : C) v = rng.uniform(-1.f, 1.f);
        ref = C;
        kernels::gemm(false, false, M, N, K, A.data(), B.data(), 1.f, ref.data());
        nn::cells::step_gemm(M, N, K, A.data(), B.data(), C.data());
        float err = 0;
        for (size_t i = 0; i < C.size(); ++i) err = std::max(err, std::abs(C[i] - ref[i]));
        INFO("M=" << M << " N=" << N << " K=" << K);
        CHECK(err < 1e-5f * float(K));
      }
}

TEST_CASE("input_side gives kernels::gemm's bits, then the bias added, for every narrow input",
          "[recurrent][kernel]") {
  // The fused layers use it in place of the GEMM for inputs narrower than kInputSideMaxK: the
  // chapters' trained numbers depend on it giving exactly the same values.
  Rng rng(6);
  for (int64_t M : {1, 3, 4, 5, 17, 3200})
    for (int64_t N : {1, 3, 4, 7, 20, 128})
      for (int64_t K = 1; K < nn::cells::kInputSideMaxK; ++K)
        for (bool with_bias : {false, true}) {
          std::vector<float> A(size_t(M * K)), W(size_t(N * K)), bias(static_cast<size_t>(N));
          for (float& v : A) v = rng.normal();
          for (float& v : W) v = rng.normal();
          for (float& v : bias) v = rng.normal();
          std::vector<float> ref(size_t(M * N), 0.f), WT(size_t(K * N)), C(size_t(M * N), -7.f);
          kernels::gemm(false, true, M, N, K, A.data(), W.data(), 1.f, ref.data());
          if (with_bias)
            for (int64_t m = 0; m < M; ++m)
              for (int64_t n = 0; n < N; ++n) ref[size_t(m * N + n)] += bias[size_t(n)];
          for (int64_t n = 0; n < N; ++n)
            for (int64_t k = 0; k < K; ++k) WT[size_t(k * N + n)] = W[size_t(n * K + k)];
          nn::cells::input_side(M, N, K, A.data(), WT.data(), with_bias ? bias.data() : nullptr, C.data());
          INFO("M=" << M << " N=" << N << " K=" << K << " bias=" << with_bias);
          CHECK(std::memcmp(C.data(), ref.data(), C.size() * sizeof(float)) == 0);
        }
}

// ---- the cells' activations, four lanes at a time ---------------------------------------------
TEST_CASE("sigmoid_rows and tanh_rows give the scalar functions' bits in every lane and tail, "
          "and stay within 1e-6 of std::exp and std::tanh", "[recurrent][kernel]") {
  // values across the clamp (-87, 88), both signs, zeros, denormals, huge, infinities and NaN
  std::vector<float> values{0.f, -0.f, 1e-40f, -1e-40f, 1e-7f, 0.5f, -0.5f, 1.f, -1.f, 3.f, -3.f,
                            9.f, -9.f, 20.f, -20.f, 43.5f, -43.5f, 44.f, -44.f, 86.9f, -86.9f,
                            87.f, -87.f, 88.f, -88.f, 89.f, -89.f, 1e30f, -1e30f,
                            std::numeric_limits<float>::infinity(),
                            -std::numeric_limits<float>::infinity(),
                            std::numeric_limits<float>::quiet_NaN()};
  Rng rng(8);
  for (int k = 0; k < 500; ++k) values.push_back(rng.uniform(-12.f, 12.f));
  auto bits = [](float v) {
    uint32_t u;
    std::memcpy(&u, &v, 4);
    return u;
  };
  for (int64_t n : std::vector<int64_t>{1, 3, 4, 5, 7, 8, 33, int64_t(values.size())}) {
    for (size_t start = 0; start + size_t(n) <= values.size(); start += size_t(n)) {
      std::vector<float> s(values.begin() + long(start), values.begin() + long(start) + n), t = s;
      nn::cells::sigmoid_rows(s.data(), n);
      nn::cells::tanh_rows(t.data(), n);
      for (int64_t j = 0; j < n; ++j) {
        const float v = values[start + size_t(j)];
        INFO("n=" << n << " v=" << v);
        CHECK(bits(s[size_t(j)]) == bits(nn::cells::sigmoid(v)));
        CHECK(bits(t[size_t(j)]) == bits(nn::cells::tanh_fast(v)));
        if (std::isnan(v)) {
          CHECK(std::isnan(s[size_t(j)]));
          CHECK(std::isnan(t[size_t(j)]));
        } else {
          CHECK(std::abs(s[size_t(j)] - float(1.0 / (1.0 + std::exp(-double(v))))) < 1e-6f);
          CHECK(std::abs(t[size_t(j)] - float(std::tanh(double(v)))) < 1e-6f);
        }
      }
    }
  }
}

// ---- parameters -------------------------------------------------------------------------------
TEST_CASE("recurrent layers have PyTorch's parameter counts, names, shapes and init", "[recurrent]") {
  manual_seed(0);
  nn::LSTM lstm(10, 20);
  nn::GRU gru(10, 20);
  nn::RNN rnn(10, 20);
  CHECK(lstm.num_parameters() == 4 * (20 * 10 + 20 * 20 + 20 + 20));  // 2560
  CHECK(lstm.num_parameters() == 2560);
  CHECK(gru.num_parameters() == 2560 * 3 / 4);
  CHECK(rnn.num_parameters() == 2560 / 4);
  CHECK(nn::LSTMCell(10, 20).num_parameters() == 2560);
  CHECK(nn::GRUCell(10, 20).num_parameters() == 1920);
  CHECK(nn::RNNCell(10, 20).num_parameters() == 640);
  // a second layer reads the first layer's h: W_ih_l1 is (4H, H)
  nn::LSTM deep(10, 20, options(3));
  CHECK(deep.num_parameters() == 2560 + 2 * 4 * (20 * 20 + 20 * 20 + 20 + 20));
  CHECK(nn::LSTM(10, 20, options(1, Nonlinearity::Tanh, false)).num_parameters() == 4 * (200 + 400));

  auto named = deep.named_parameters();
  REQUIRE(named.size() == 12);
  CHECK(named[0].first == "weight_ih_l0");
  CHECK(named[1].first == "weight_hh_l0");
  CHECK(named[2].first == "bias_ih_l0");
  CHECK(named[3].first == "bias_hh_l0");
  CHECK(named[4].first == "weight_ih_l1");
  CHECK(named[11].first == "bias_hh_l2");
  CHECK(named[0].second.shape() == Shape{80, 10});
  CHECK(named[4].second.shape() == Shape{80, 20});
  CHECK(named[5].second.shape() == Shape{80, 20});
  CHECK(named[6].second.shape() == Shape{80});
  CHECK(gru.weight_ih(0).shape() == Shape{60, 10});
  CHECK(rnn.weight_hh(0).shape() == Shape{20, 20});

  const float bound = 1.f / std::sqrt(20.f);
  for (auto& [name, p] : deep.named_parameters()) {
    float maxabs = 0;
    for (float v : p.vec()) maxabs = std::max(maxabs, std::abs(v));
    INFO(name);
    CHECK(maxabs <= bound);
    CHECK(maxabs > 0.8f * bound);
    CHECK(p.requires_grad());
    CHECK(p.is_leaf());
  }
}

TEST_CASE("LSTM's forget_bias sets the f rows of the biases", "[recurrent]") {
  manual_seed(1);
  nn::RecurrentOptions o = options(2);
  o.forget_bias = 1.f;
  nn::LSTM lstm(3, 5, o);
  for (int64_t l = 0; l < 2; ++l) {
    Tensor b_ih = lstm.bias_ih(l), b_hh = lstm.bias_hh(l);
    for (int64_t j = 0; j < 20; ++j) {
      bool f_row = j >= 5 && j < 10;
      INFO("layer " << l << ", row " << j);
      if (f_row) {
        CHECK(b_ih.data()[j] == 1.f);
        CHECK(b_hh.data()[j] == 0.f);
      } else {
        CHECK(std::abs(b_ih.data()[j]) <= 1.f / std::sqrt(5.f));
      }
    }
  }
}

// ---- finite differences -------------------------------------------------------------------
TEST_CASE("gradcheck: RNNCell (tanh, relu), LSTMCell and GRUCell, every input", "[recurrent][gradcheck]") {
  const int64_t B = 3, D = 4, H = 5;
  for (CellKind kind : {CellKind::RNN, CellKind::LSTM, CellKind::GRU}) {
    for (Nonlinearity nl : {Nonlinearity::Tanh, Nonlinearity::ReLU}) {
      if (kind != CellKind::RNN && nl == Nonlinearity::ReLU) continue;
      manual_seed(21);
      const int64_t GH = nn::gate_count(kind) * H;
      // x (B, D), h (B, H), c (B, H), W_ih, W_hh, b_ih, b_hh
      std::vector<Tensor> in{randn_scaled({B, D}, 1.f), randn_scaled({B, H}, 0.5f),
                             randn_scaled({B, H}, 0.5f), randn_scaled({GH, D}, 0.5f),
                             randn_scaled({GH, H}, 0.5f), randn_scaled({GH}, 0.3f),
                             randn_scaled({GH}, 0.3f)};
      if (kind != CellKind::LSTM) in[2].set_requires_grad(false);
      GradCheck opt;
      if (nl == Nonlinearity::ReLU) opt.eps = 1e-3f;
      check_gradients(kind_str(kind, nl), in, [kind, nl](auto& v) {
        if (kind == CellKind::LSTM) {
          auto [h, c] = nn::lstm_cell(v[0], v[1], v[2], v[3], v[4], v[5], v[6]);
          return cat({h, c}, 0);
        }
        if (kind == CellKind::GRU) return nn::gru_cell(v[0], v[1], v[3], v[4], v[5], v[6]);
        return nn::rnn_cell(v[0], v[1], v[3], v[4], v[5], v[6], nl);
      }, opt);
    }
  }
}

TEST_CASE("gradcheck: fused RNN (tanh, relu), LSTM and GRU, 1 and 2 layers, every input",
          "[recurrent][gradcheck]") {
  const int64_t B = 2, T = 5, D = 3, H = 4;
  for (CellKind kind : {CellKind::RNN, CellKind::LSTM, CellKind::GRU}) {
    for (Nonlinearity nl : {Nonlinearity::Tanh, Nonlinearity::ReLU}) {
      if (kind != CellKind::RNN && nl == Nonlinearity::ReLU) continue;
      for (int64_t L : {1, 2}) {
        for (bool batch_first : {true, false}) {
          const int64_t GH = nn::gate_count(kind) * H;
          nn::RecurrentOptions o = options(L, nl, true, batch_first);
          std::vector<Tensor> in;
          uint64_t seed = uint64_t(100 + L);
          for (;; ++seed) {  // ReLU: the first seed whose pre-activations all clear the kink
            manual_seed(seed);
            in = {randn_scaled(batch_first ? Shape{B, T, D} : Shape{T, B, D}, 1.f),
                  randn_scaled({L, B, H}, 0.5f), Tensor::zeros({1})};  // in[2]: c0 or a placeholder
            if (kind == CellKind::LSTM) in[2] = randn_scaled({L, B, H}, 0.5f);
            for (int64_t l = 0; l < L; ++l) {
              in.push_back(randn_scaled({GH, l == 0 ? D : H}, 0.5f));
              in.push_back(randn_scaled({GH, H}, 0.5f));
              in.push_back(randn_scaled({GH}, 0.3f));
              in.push_back(randn_scaled({GH}, 0.3f));
            }
            if (nl == Nonlinearity::Tanh) break;
            std::vector<Tensor> params(in.begin() + 3, in.end());
            if (relu_margin(in[0], in[1], params, L, batch_first) > 0.05f) break;
            REQUIRE(seed < 200);
          }
          GradCheck opt;
          if (nl == Nonlinearity::ReLU) opt.eps = 1e-3f;  // |pre| > 0.05: no kink within a step
          std::string name = std::string(kind_str(kind, nl)) + " L=" + std::to_string(L) +
                             (batch_first ? " batch_first" : " time-major") + ", input seed " +
                             std::to_string(seed);
          check_gradients(name, in, [kind, o](auto& v) {
            std::vector<Tensor> params(v.begin() + 3, v.end());
            Tensor c0 = kind == CellKind::LSTM ? v[2] : Tensor();
            return flat(nn::recurrent(kind, v[0], v[1], c0, params, o));
          }, opt);
        }
      }
    }
  }
}

TEST_CASE("gradcheck: fused layers without biases and without an initial state", "[recurrent][gradcheck]") {
  for (CellKind kind : {CellKind::RNN, CellKind::LSTM, CellKind::GRU}) {
    manual_seed(7);
    const int64_t GH = nn::gate_count(kind) * 3;
    std::vector<Tensor> in{randn_scaled({2, 4, 2}, 1.f), randn_scaled({GH, 2}, 0.6f),
                           randn_scaled({GH, 3}, 0.6f)};
    nn::RecurrentOptions o = options(1, Nonlinearity::Tanh, false);
    check_gradients(std::string(nn::kind_name(kind)) + " no bias", in, [kind, o](auto& v) {
      return flat(nn::recurrent(kind, v[0], Tensor(), Tensor(), {v[1], v[2]}, o));
    });
  }
}

// ---- fused == stepped by hand -------------------------------------------------------------
TEST_CASE("each fused layer equals the same model stepped with the fine-grained ops: outputs, "
          "all gradients, and step_grads equal retain_grad", "[recurrent]") {
  const int64_t B = 3, T = 7, D = 5, H = 6, L = 2;
  for (CellKind kind : {CellKind::RNN, CellKind::LSTM, CellKind::GRU}) {
    for (Nonlinearity nl : {Nonlinearity::Tanh, Nonlinearity::ReLU}) {
      if (kind != CellKind::RNN && nl == Nonlinearity::ReLU) continue;
      INFO(kind_str(kind, nl) << ", B=" << B << " T=" << T << " D=" << D << " H=" << H
                              << " L=" << L << ", seed 5");
      manual_seed(5);
      const bool lstm = kind == CellKind::LSTM;
      nn::RecurrentOptions o = options(L, nl);
      std::shared_ptr<nn::RecurrentBase> layer;
      if (kind == CellKind::RNN) layer = std::make_shared<nn::RNN>(D, H, o);
      if (kind == CellKind::LSTM) layer = std::make_shared<nn::LSTM>(D, H, o);
      if (kind == CellKind::GRU) layer = std::make_shared<nn::GRU>(D, H, o);
      Tensor x = Tensor::randn({B, T, D}, true);
      Tensor h0 = randn_scaled({L, B, H}, 0.5f);
      Tensor c0 = lstm ? randn_scaled({L, B, H}, 0.5f) : Tensor();
      std::vector<Tensor> params = layer->parameters();
      std::vector<Tensor> all{x, h0};
      if (lstm) all.push_back(c0);
      all.insert(all.end(), params.begin(), params.end());

      // fused
      auto sink = std::make_shared<nn::StepGrads>();
      nn::RecurrentOutput fused = nn::recurrent(kind, x, h0, c0, params, o, sink);
      weighted(flat(fused), 99).backward();
      std::vector<Tensor> fused_grads;
      for (Tensor& t : all) {
        fused_grads.push_back(grad_copy(t));
        t.zero_grad();
      }
      // by hand
      RefOutput ref = ref_sequence(kind, nl, x, h0, c0, params, L);
      weighted(flat(ref.out), 99).backward();

      CHECK(max_abs_diff(fused.output, ref.out.output) < 1e-5f);
      CHECK(max_abs_diff(fused.h_n, ref.out.h_n) < 1e-5f);
      if (lstm) CHECK(max_abs_diff(fused.c_n, ref.out.c_n) < 1e-5f);
      for (size_t k = 0; k < all.size(); ++k) {
        INFO("gradient of input " << k << " " << shape_str(all[k].shape()));
        REQUIRE(fused_grads[k].defined());
        CHECK(max_abs_diff(fused_grads[k], all[k].grad()) < 2e-5f);
      }
      // step_grads: the total ∂L/∂h_t (and ∂L/∂c_t) of the last layer
      REQUIRE(sink->ready());
      CHECK(sink->dh.shape() == Shape{B, T, H});
      for (int64_t t = 0; t < T; ++t) {
        INFO("step " << t);
        CHECK(max_abs_diff(select(sink->dh, 1, t), ref.h_top[size_t(t)].grad()) < 1e-5f);
        if (lstm) CHECK(max_abs_diff(select(sink->dc, 1, t), ref.c_top[size_t(t)].grad()) < 1e-5f);
      }
      CHECK(lstm == sink->dc.defined());
    }
  }
}

TEST_CASE("each cell module equals its step written with the fine-grained ops", "[recurrent]") {
  const int64_t B = 4, D = 3, H = 5;
  for (CellKind kind : {CellKind::RNN, CellKind::LSTM, CellKind::GRU}) {
    for (Nonlinearity nl : {Nonlinearity::Tanh, Nonlinearity::ReLU}) {
      if (kind != CellKind::RNN && nl == Nonlinearity::ReLU) continue;
      INFO(kind_str(kind, nl));
      manual_seed(8);
      std::shared_ptr<nn::CellBase> cell;
      if (kind == CellKind::RNN) cell = std::make_shared<nn::RNNCell>(D, H, true, nl);
      if (kind == CellKind::LSTM) cell = std::make_shared<nn::LSTMCell>(D, H);
      if (kind == CellKind::GRU) cell = std::make_shared<nn::GRUCell>(D, H);
      Tensor x = Tensor::randn({B, D}, true), h = Tensor::randn({B, H}, true),
             c = Tensor::randn({B, H}, true);
      auto step = [&](bool fused) -> RefState {
        if (!fused) return ref_step(kind, nl, x, {h, c}, cell->parameters());
        if (kind == CellKind::LSTM) {
          auto [h1, c1] = static_cast<nn::LSTMCell&>(*cell).forward(x, h, c);
          return {h1, c1};
        }
        if (kind == CellKind::GRU) return {static_cast<nn::GRUCell&>(*cell).forward(x, h), Tensor()};
        return {static_cast<nn::RNNCell&>(*cell).forward(x, h), Tensor()};
      };
      std::vector<Tensor> all{x, h, c};
      for (const Tensor& p : cell->parameters()) all.push_back(p);
      std::vector<Tensor> outs[2], grads[2];
      for (int fused = 0; fused < 2; ++fused) {
        for (Tensor& t : all) t.zero_grad();
        RefState s = step(fused);
        Tensor y = s.c.defined() ? cat({s.h, s.c}, 0) : s.h;
        weighted(y, 3).backward();
        outs[fused].push_back(y);
        for (Tensor& t : all) grads[fused].push_back(t.grad().defined() ? t.grad().clone() : Tensor::zeros(t.shape()));
      }
      CHECK(max_abs_diff(outs[0][0], outs[1][0]) < 1e-5f);
      for (size_t k = 0; k < all.size(); ++k) {
        INFO("gradient of input " << k);
        CHECK(max_abs_diff(grads[0][k], grads[1][k]) < 1e-5f);
      }
    }
  }
}

TEST_CASE("a fused layer equals its cell stepped in a loop, and the module's step_grads equal "
          "retain_grad on that loop", "[recurrent]") {
  const int64_t B = 2, T = 9, D = 3, H = 4;
  manual_seed(12);
  nn::LSTM lstm(D, H);
  nn::LSTMCell cell(D, H);
  // the cell gets the layer's weights
  cell.weight_ih = lstm.weight_ih(0);
  cell.weight_hh = lstm.weight_hh(0);
  cell.bias_ih = lstm.bias_ih(0);
  cell.bias_hh = lstm.bias_hh(0);
  Tensor x = Tensor::randn({B, T, D});

  nn::RecurrentOutput r = lstm.forward(x);
  sum(r.output).backward();  // every step's output feeds the loss
  nn::StepGrads sg = lstm.step_grads();
  Tensor dW_fused = lstm.weight_hh(0).grad().clone();
  zero_grads(lstm);

  Tensor h = Tensor::zeros({B, H}), c = Tensor::zeros({B, H});
  std::vector<Tensor> hs, cs, outs;
  for (int64_t t = 0; t < T; ++t) {
    std::tie(h, c) = cell.forward(select(x, 1, t), h, c);
    h.retain_grad();
    c.retain_grad();
    hs.push_back(h);
    cs.push_back(c);
    outs.push_back(reshape(h, {B, 1, H}));
  }
  Tensor out = cat(outs, 1);
  CHECK(max_abs_diff(out, r.output) < 1e-6f);
  sum(out).backward();
  CHECK(max_abs_diff(lstm.weight_hh(0).grad(), dW_fused) < 1e-5f);
  // ∂L/∂h_t: the total, as retain_grad gives it. (Not so for c_t here: the fused cell keeps
  // h_t = o ⊙ tanh(c_t) inside its node, so c_t's retained grad is only what flows back from
  // step t+1, as in PyTorch. step_grads' dc is the total, checked against the fine-grained
  // unroll in the test above.)
  REQUIRE(sg.dh.shape() == Shape{B, T, H});
  REQUIRE(sg.dc.shape() == Shape{B, T, H});
  for (int64_t t = 0; t < T; ++t) {
    INFO("step " << t);
    CHECK(max_abs_diff(select(sg.dh, 1, t), hs[size_t(t)].grad()) < 1e-6f);
  }
  // the last c feeds nothing but h inside the cell, so the cell loop retains no grad for it
  CHECK_FALSE(cs.back().grad().defined());
  // with loss only on the last step, ‖∂L/∂h_t‖ shrinks going back in time (init weights are small)
  zero_grads(lstm);
  nn::RecurrentOutput r2 = lstm.forward(x);
  sum(select(r2.h_n, 0, 0)).backward();  // only h_n: output unused
  nn::StepGrads sg2 = lstm.step_grads();
  CHECK(norm(select(sg2.dh, 1, T - 1)).item() > norm(select(sg2.dh, 1, 0)).item());
}

TEST_CASE("fused layers record nothing under no_grad and give the same values", "[recurrent]") {
  manual_seed(4);
  nn::GRU gru(3, 4, options(2));
  Tensor x = Tensor::randn({2, 5, 3});
  nn::RecurrentOutput a = gru.forward(x);
  nn::RecurrentOutput b;
  {
    NoGradGuard no_grad;
    b = gru.forward(x);
  }
  CHECK(a.output.requires_grad());
  CHECK_FALSE(b.output.requires_grad());
  CHECK(max_abs_diff(a.output, b.output) == 0.f);
  CHECK(max_abs_diff(a.h_n, b.h_n) == 0.f);
  CHECK(std::string(a.output.op()) == "GRU.output");
  CHECK(std::string(a.h_n.op()) == "GRU.h_n");
}

// ---- errors -----------------------------------------------------------------------------------
TEST_CASE("bad sizes, shapes, states and NaN parameters are named with their values", "[recurrent][errors]") {
  manual_seed(0);
  REQUIRE_THROWS_WITH(nn::LSTM(10, 0), "LSTM: hidden_size must be positive, got 0");
  REQUIRE_THROWS_WITH(nn::GRU(10, -3), "GRU: hidden_size must be positive, got -3");
  REQUIRE_THROWS_WITH(nn::RNN(0, 5), "RNN: input_size must be positive, got 0");
  REQUIRE_THROWS_WITH(nn::LSTM(10, 20, options(0)), "LSTM: num_layers must be positive, got 0");
  REQUIRE_THROWS_WITH(nn::LSTMCell(10, 0), "LSTMCell: hidden_size must be positive, got 0");
  REQUIRE_THROWS_WITH(nn::nonlinearity_from("sigmoid", "RNN"),
                      "RNN: nonlinearity must be 'tanh' or 'relu', got 'sigmoid'");
  REQUIRE_THROWS_WITH(nn::GRU(3, 4, options(1, Nonlinearity::ReLU)),
                      "GRU: only RNN takes a nonlinearity");
  nn::RecurrentOptions fb;
  fb.forget_bias = 1.f;
  REQUIRE_THROWS_WITH(nn::GRU(3, 4, fb), "GRU: only LSTM has a forget gate to set a bias on");

  nn::LSTM lstm(10, 20, options(2));
  REQUIRE_THROWS_WITH(lstm.forward(Tensor::randn({32, 7, 12})),
                      "LSTM: expected input of shape (B, T, 10), got (32, 7, 12)");
  REQUIRE_THROWS_WITH(lstm.forward(Tensor::randn({32, 10})),
                      "LSTM: expected input of shape (B, T, 10), got (32, 10)");
  REQUIRE_THROWS_WITH(lstm.forward(Tensor::randn({32, 0, 10})),
                      "LSTM: the input has no time steps: (32, 0, 10)");
  Tensor x = Tensor::randn({32, 7, 10});
  REQUIRE_THROWS_WITH(lstm.forward(x, Tensor::zeros({1, 32, 20}), Tensor::zeros({2, 32, 20})),
                      "LSTM: expected h0 of shape (2, 32, 20), got (1, 32, 20)");
  REQUIRE_THROWS_WITH(lstm.forward(x, Tensor::zeros({2, 32, 20}), Tensor::zeros({2, 16, 20})),
                      "LSTM: expected c0 of shape (2, 32, 20), got (2, 16, 20)");
  REQUIRE_THROWS_WITH(lstm.forward(x, Tensor::zeros({2, 32, 20})),
                      "LSTM: pass both h0 and c0, or neither");
  nn::RNN rnn(10, 20, options(1, Nonlinearity::Tanh, true, false));
  REQUIRE_THROWS_WITH(rnn.forward(Tensor::randn({7, 32, 11})),
                      "RNN: expected input of shape (T, B, 10) (batch_first is off), got (7, 32, 11)");

  // a NaN in a parameter is caught where it enters, with its position
  Tensor w = lstm.weight_hh(0);
  float keep = w.data()[3 * 20 + 7];
  w.data()[3 * 20 + 7] = std::nanf("");
  REQUIRE_THROWS_WITH(lstm.forward(x), "LSTM: weight_hh_l0 has NaN at (3, 7)");
  w.data()[3 * 20 + 7] = keep;
  lstm.bias_ih(1).data()[5] = INFINITY;
  REQUIRE_THROWS_WITH(lstm.forward(x), "LSTM: bias_ih_l1 has inf at (5)");
  lstm.bias_ih(1).data()[5] = 0.f;
  Tensor xn = x.clone();
  xn.data()[1 * 7 * 10 + 2 * 10 + 4] = std::nanf("");
  REQUIRE_THROWS_WITH(lstm.forward(xn), "LSTM: input has NaN at (1, 2, 4)");
  CHECK(lstm.forward(x).output.shape() == Shape{32, 7, 20});

  // cells
  nn::LSTMCell cell(10, 20);
  REQUIRE_THROWS_WITH(cell.forward(Tensor::randn({32, 12})),
                      "LSTMCell: expected input of shape (B, 10), got (32, 12)");
  REQUIRE_THROWS_WITH(cell.forward(Tensor::randn({32, 10}), Tensor::zeros({32, 21})),
                      "LSTMCell: expected h of shape (32, 20), got (32, 21)");
  nn::GRUCell gcell(4, 3);
  gcell.weight_ih.data()[0] = std::nanf("");
  REQUIRE_THROWS_WITH(gcell.forward(Tensor::randn({2, 4})), "GRUCell: weight_ih has NaN at (0, 0)");

  // the functional form checks the parameter list and shapes
  nn::GRU gru(4, 3);
  std::vector<Tensor> p = gru.parameters();
  REQUIRE_THROWS_WITH(nn::recurrent(CellKind::GRU, Tensor::randn({2, 5, 4}), Tensor(), Tensor(),
                                    {p[0], p[1]}, options(1)),
                      "GRU: expected 4 parameter tensors for 1 layer(s) with biases, got 2");
  p[1] = Tensor::randn({9, 4});
  REQUIRE_THROWS_WITH(nn::recurrent(CellKind::GRU, Tensor::randn({2, 5, 4}), Tensor(), Tensor(), p,
                                    options(1)),
                      "GRU: weight_hh_l0 must have shape (3·H, H), got (9, 4)");

  nn::RNN fresh(3, 4);
  REQUIRE_THROWS_WITH(fresh.step_grads(), Contains("RNN.step_grads: no backward has run"));
}

// ---- learning ---------------------------------------------------------------------------------
// The adding problem (tasks::AddingProblem): two marked values among T, one in each half; the
// target is their sum. Predicting the mean gives MSE 1/6; solving it needs memory across ~T steps.
TEST_CASE("an LSTM learns the adding problem at T = 20", "[recurrent][train]") {
  const int64_t B = 64, T = 20, H = 32;
  manual_seed(2024);
  tasks::AddingProblem task(T, 77);
  nn::LSTM lstm(2, H);
  nn::Linear head(H, 1);
  std::vector<Tensor> params = lstm.parameters();
  for (const Tensor& p : head.parameters()) params.push_back(p);
  optim::Adam adam(params, 1e-2f);
  auto predict = [&](const Tensor& x) { return head.forward(select(lstm.forward(x).h_n, 0, 0)); };

  auto start = std::chrono::steady_clock::now();
  float first = 0, recent = 0;
  const int steps = 400;
  for (int step = 0; step < steps; ++step) {
    tasks::Batch batch = task.batch(B);
    adam.zero_grad();
    Tensor loss = mse_loss(predict(batch.x), batch.y);
    loss.backward();
    adam.step();
    if (step == 0) first = loss.item();
    if (step >= steps - 20) recent += loss.item() / 20.f;
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  tasks::Batch held = task.batch(256);  // never trained on
  float held_out;
  {
    NoGradGuard no_grad;
    held_out = mse_loss(predict(held.x), held.y).item();
  }
  INFO("seed 2024, task seed 77, B=64 T=20 H=32, Adam lr 1e-2, " << steps << " steps in "
       << seconds << " s: loss at step 0 " << first << ", mean of the last 20 " << recent
       << ", held-out batch of 256 " << held_out << " (baseline 1/6)");
  CHECK(first > 0.1f);
  CHECK(recent < 0.01f);
  CHECK(held_out < 0.01f);
  WARN("adding problem T=20: loss " << first << " -> " << recent << " (held-out " << held_out
       << ", baseline " << tasks::AddingProblem::kBaselineMSE << ") in " << steps << " steps, "
       << seconds << " s");
}

TEST_CASE("flush_denormals zeroes exactly the values below float32's smallest normal", "[recurrent][kernel]") {
  const float tiny = std::numeric_limits<float>::min();  // 1.17549435e-38, the smallest normal
  const float sub = std::numeric_limits<float>::denorm_min();
  std::vector<float> v{0.f, tiny, -tiny, tiny / 2, -sub, 1e-39f, -3e-40f, 1.f, -2.5e-30f,
                       INFINITY, -INFINITY, std::nanf("")};
  kernels::flush_denormals(v.data(), int64_t(v.size()));
  CHECK(v[0] == 0.f);
  CHECK(v[1] == tiny);
  CHECK(v[2] == -tiny);
  for (int k : {3, 4, 5, 6}) {
    INFO("value " << k);
    CHECK(v[size_t(k)] == 0.f);
  }
  CHECK(v[7] == 1.f);
  CHECK(v[8] == -2.5e-30f);
  CHECK(v[9] == INFINITY);
  CHECK(v[10] == -INFINITY);
  CHECK(std::isnan(v[11]));
}

TEST_CASE("a gradient that vanishes through time leaves no denormal in any gradient of a fused layer, "
          "and its steps above the normal range equal the fine-grained ops'", "[recurrent]") {
  // Small weights: ∂L/∂h_t shrinks at least about 2-fold a step (the LSTM's and GRU's gates sit
  // near σ(0) = 0.5, the RNN's factor is far smaller), so over T = 200 steps from the last
  // output it crosses float32's normal range (1.2e-38) and then its denormals (down to 1.4e-45)
  // on the way to zero: the fused backward flushes those to zero (kernels::flush_denormals).
  const int64_t B = 2, T = 200, D = 3, H = 4;
  for (CellKind kind : {CellKind::RNN, CellKind::LSTM, CellKind::GRU}) {
    INFO(kind_str(kind, Nonlinearity::Tanh) << ", T = " << T << ", weights ×0.05, seed 11");
    manual_seed(11);
    const bool lstm = kind == CellKind::LSTM;
    nn::RecurrentOptions o = options(1);
    std::shared_ptr<nn::RecurrentBase> layer;
    if (kind == CellKind::RNN) layer = std::make_shared<nn::RNN>(D, H, o);
    if (kind == CellKind::LSTM) layer = std::make_shared<nn::LSTM>(D, H, o);
    if (kind == CellKind::GRU) layer = std::make_shared<nn::GRU>(D, H, o);
    std::vector<Tensor> params = layer->parameters();
    for (Tensor& p : params)
      for (float& v : p.vec()) v *= 0.05f;
    Tensor x = Tensor::randn({B, T, D}, true);
    Tensor h0 = Tensor::zeros({1, B, H});
    Tensor c0 = lstm ? Tensor::zeros({1, B, H}) : Tensor();

    auto sink = std::make_shared<nn::StepGrads>();
    nn::RecurrentOutput fused = nn::recurrent(kind, x, h0, c0, params, o, sink);
    weighted(select(fused.output, 1, T - 1), 3).backward();  // the last step's output alone
    Tensor dx = grad_copy(x);
    std::vector<Tensor> dparams;
    for (Tensor& p : params) {
      dparams.push_back(grad_copy(p));
      p.zero_grad();
    }
    x.zero_grad();
    int64_t subnormal = 0;
    for (const Tensor& g : dparams)
      for (float v : g.vec()) subnormal += std::fpclassify(v) == FP_SUBNORMAL;
    for (float v : dx.vec()) subnormal += std::fpclassify(v) == FP_SUBNORMAL;
    for (float v : sink->dh.vec()) subnormal += std::fpclassify(v) == FP_SUBNORMAL;
    CHECK(subnormal == 0);

    // by hand, with the fine-grained ops (no flushing): the same where the gradient is normal
    RefOutput ref = ref_sequence(kind, Nonlinearity::Tanh, x, h0, c0, params, 1);
    weighted(select(ref.out.output, 1, T - 1), 3).backward();
    int64_t compared = 0, flushed = 0;
    for (int64_t t = 0; t < T; ++t) {
      Tensor mine = select(dx, 1, t), theirs = select(x.grad(), 1, t);
      float scale = 0.f;
      for (float v : theirs.vec()) scale = std::max(scale, std::abs(v));
      if (scale > 1e-30f) {  // normal, well above the range where flushing starts
        INFO("step " << t << ", largest |∂L/∂x_t| " << scale);
        CHECK(max_abs_diff(mine, theirs) <= 1e-4f * scale);
        ++compared;
      }
      if (scale < std::numeric_limits<float>::min()) {
        for (float v : mine.vec()) CHECK(v == 0.f);  // vanished: exactly zero, not a denormal
        ++flushed;
      }
    }
    INFO(compared << " steps compared, " << flushed << " steps below the normal range");
    CHECK(compared >= 10);  // the test sees both regimes
    CHECK(flushed >= 10);
  }
}
