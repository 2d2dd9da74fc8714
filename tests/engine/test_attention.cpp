// softmax, GELU, dropout, bmm, LayerNorm, Embedding, positional encoding, multi-head
// attention and the Transformer block: values, masks, parameter counts (PyTorch's), gradients
// against central differences, and a small Transformer that learns to reverse a sequence.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "gradcheck.h"

using namespace gradlab;
using gradlab::testing::check_gradients;
using gradlab::testing::GradCheck;
using gradlab::testing::param;

namespace {
Tensor ids(std::vector<float> v, const Shape& s) { return Tensor::from(std::move(v), s); }
Tensor flat(const Tensor& x) { return reshape(x, {-1}); }

void check_close(const Tensor& a, const Tensor& b, float tol, const std::string& what) {
  REQUIRE(a.shape() == b.shape());
  for (int64_t i = 0; i < a.numel(); ++i) {
    INFO(what << " element " << i << ": " << a.data()[i] << " vs " << b.data()[i]);
    CHECK(std::abs(a.data()[i] - b.data()[i]) <= tol * (1.f + std::abs(b.data()[i])));
  }
}

// Σ over the last dim, one value per row
std::vector<double> row_sums(const Tensor& x) {
  int64_t C = x.size(-1);
  std::vector<double> s(size_t(x.numel() / C), 0.0);
  for (int64_t i = 0; i < x.numel(); ++i) s[size_t(i / C)] += x.data()[i];
  return s;
}

// (B, Tk) key padding mask from 0/1 values
Tensor padding(std::vector<float> v, int64_t B, int64_t Tk) { return Tensor::from(std::move(v), {B, Tk}); }

// Multi-head attention written out with the generic ops (narrow, bmm, transpose, softmax,
// cat), head by head: an independent path to compare the fused ops against.
Tensor mha_by_hand(const Tensor& q, const Tensor& k, const Tensor& v, const nn::MultiheadAttention& m,
                   bool causal) {
  int64_t E = m.embed_dim, H = m.num_heads, d = E / H, Tq = q.size(1), Tk = k.size(1);
  auto proj = [&](const Tensor& x, int64_t part) {
    return nn::linear(x, narrow(m.in_proj_weight, 0, part * E, E), narrow(m.in_proj_bias, 0, part * E, E));
  };
  Tensor Q = proj(q, 0), K = proj(k, 1), V = proj(v, 2);
  Tensor future = Tensor::zeros({Tq, Tk});
  for (int64_t i = 0; i < Tq; ++i)
    for (int64_t j = i + 1; j < Tk; ++j) future.data()[i * Tk + j] = -1e9f;
  std::vector<Tensor> heads;
  for (int64_t h = 0; h < H; ++h) {
    Tensor Qh = narrow(Q, 2, h * d, d), Kh = narrow(K, 2, h * d, d), Vh = narrow(V, 2, h * d, d);
    Tensor S = mul(bmm(Qh, transpose(Kh, 1, 2)), Tensor::scalar(1.f / std::sqrt(float(d))));
    if (causal) S = add(S, future);
    heads.push_back(bmm(softmax(S, -1), Vh));
  }
  return nn::linear(cat(heads, 2), m.out_proj.weight, m.out_proj.bias);
}
}  // namespace

// ---- softmax, log_softmax ---------------------------------------------------------------

TEST_CASE("softmax rows sum to 1, along any dim, even at huge logits", "[softmax]") {
  manual_seed(31);
  Tensor x = Tensor::randn({3, 4, 5});
  for (double s : row_sums(softmax(x))) CHECK(s == Approx(1.0).epsilon(1e-6));
  Tensor p0 = softmax(x, 0);  // columns over dim 0 sum to 1
  for (int64_t r = 0; r < 20; ++r) {
    double s = 0;
    for (int64_t o = 0; o < 3; ++o) s += p0.data()[o * 20 + r];
    CHECK(s == Approx(1.0).epsilon(1e-6));
  }
  Tensor big = Tensor::from({1000.f, 1000.f, -1000.f, 0.f}, {1, 4});
  Tensor p = softmax(big);
  CHECK(p.data()[0] == Approx(0.5));
  CHECK(p.data()[2] == 0.f);
  Tensor lp = log_softmax(big);
  CHECK(lp.data()[0] == Approx(-std::log(2.0)));
  CHECK(lp.data()[2] == Approx(-2000.0 - std::log(2.0)));
  check_close(exp(log_softmax(x, 1)), softmax(x, 1), 1e-6f, "exp(log_softmax) vs softmax");
  CHECK_THROWS_WITH(softmax(x, 3), "softmax: dim 3 is out of range for shape (3, 4, 5)");
}

TEST_CASE("gradcheck: softmax and log_softmax along every dim", "[gradcheck][softmax]") {
  manual_seed(32);
  for (int64_t dim : {0, 1, 2, -1}) {
    INFO("dim " << dim);
    check_gradients("softmax dim " + std::to_string(dim), {param({3, 4, 5})},
                    [dim](auto& v) { return softmax(v[0], dim); });
    check_gradients("log_softmax dim " + std::to_string(dim), {param({3, 4, 5})},
                    [dim](auto& v) { return log_softmax(v[0], dim); });
  }
}

// ---- GELU -------------------------------------------------------------------------------

TEST_CASE("GELU: the tanh approximation and the exact form at known points", "[gelu]") {
  Tensor x = Tensor::from({-3.f, -1.f, 0.f, 0.5f, 1.f, 3.f}, {6});
  // torch.nn.functional.gelu(x, approximate='tanh') and approximate='none'
  std::vector<double> tanh_ref{-0.0036373920, -0.1588080094, 0.0, 0.3457140028, 0.8411919906, 2.9963626080};
  std::vector<double> exact_ref{-0.0040496584, -0.1586552539, 0.0, 0.3457312306, 0.8413447461, 2.9959503416};
  Tensor yt = gelu(x), ye = gelu(x, GeluApprox::Exact);
  for (size_t i = 0; i < 6; ++i) {
    CHECK(yt.data()[i] == Approx(tanh_ref[i]).margin(1e-6));
    CHECK(ye.data()[i] == Approx(exact_ref[i]).margin(1e-6));
  }
  Tensor xg = param({4, 6});
  check_gradients("gelu tanh", {xg}, [](auto& v) { return gelu(v[0]); });
  check_gradients("gelu exact", {xg}, [](auto& v) { return gelu(v[0], GeluApprox::Exact); });
}

// ---- dropout ----------------------------------------------------------------------------

TEST_CASE("dropout keeps the expected value, drops about p, and is the identity in eval", "[dropout]") {
  manual_seed(33);
  const float p = 0.3f;
  Tensor x = Tensor::ones({200000});
  Tensor y = dropout(x, p, true);
  double mean = 0;
  int64_t zeros = 0;
  for (float v : y.vec()) {
    mean += v;
    if (v == 0.f) ++zeros;
    else CHECK(v == Approx(1.0 / (1.0 - p)));
  }
  mean /= double(y.numel());
  CHECK(mean == Approx(1.0).margin(0.01));
  CHECK(double(zeros) / double(y.numel()) == Approx(p).margin(0.01));

  Tensor e = dropout(x, p, false);
  CHECK(e.ptr() == x.ptr());                      // eval: x itself
  CHECK(dropout(x, 0.f, true).ptr() == x.ptr());  // p = 0: x itself

  nn::Dropout layer(0.5f);
  Tensor z = Tensor::randn({64});
  CHECK(layer.forward(z).ptr() != z.ptr());
  layer.eval();
  CHECK(layer.forward(z).ptr() == z.ptr());
  layer.train();
  CHECK(layer.training);

  CHECK_THROWS_WITH(dropout(x, 1.f, true), "dropout: p must be in [0, 1), got 1");
  CHECK_THROWS_WITH(dropout(x, -0.1f, true), "dropout: p must be in [0, 1), got -0.1");
  CHECK_THROWS_WITH(nn::Dropout(1.5f), "Dropout: p must be in [0, 1), got 1.5");
}

TEST_CASE("gradcheck: dropout with a fixed mask (the seed is reset before every forward)", "[gradcheck][dropout]") {
  check_gradients("dropout p=0.4", {param({5, 6})}, [](auto& v) {
    manual_seed(77);
    return dropout(v[0], 0.4f, true);
  });
}

// ---- bmm, transpose, narrow -----------------------------------------------------------------

TEST_CASE("bmm equals one matmul per batch entry, transpose and narrow move the right values", "[bmm]") {
  manual_seed(34);
  Tensor a = Tensor::randn({3, 4, 5}), b = Tensor::randn({3, 5, 2});
  Tensor y = bmm(a, b);
  REQUIRE(y.shape() == Shape{3, 4, 2});
  for (int64_t i = 0; i < 3; ++i) check_close(select(y, 0, i), matmul(select(a, 0, i), select(b, 0, i)), 1e-5f, "bmm");
  Tensor t = transpose(a, 1, 2);
  REQUIRE(t.shape() == Shape{3, 5, 4});
  CHECK(t.data()[(2 * 5 + 3) * 4 + 1] == a.data()[(2 * 4 + 1) * 5 + 3]);
  Tensor n = narrow(a, 2, 1, 3);
  REQUIRE(n.shape() == Shape{3, 4, 3});
  CHECK(n.data()[(1 * 4 + 2) * 3 + 0] == a.data()[(1 * 4 + 2) * 5 + 1]);
  CHECK_THROWS_WITH(bmm(a, Tensor::randn({3, 4, 2})), "bmm: inner sizes differ: (3, 4, 5) @ (3, 4, 2) (5 != 4)");
  CHECK_THROWS_WITH(narrow(a, 2, 4, 2), "narrow: start 4 and length 2 do not fit in dim 2 of size 5 in shape (3, 4, 5)");
}

TEST_CASE("gradcheck: bmm, transpose of any two dims, narrow", "[gradcheck][bmm]") {
  manual_seed(35);
  check_gradients("bmm", {param({2, 3, 4}), param({2, 4, 5})}, [](auto& v) { return bmm(v[0], v[1]); });
  check_gradients("bmm q·kᵀ", {param({2, 3, 4}), param({2, 5, 4})},
                  [](auto& v) { return bmm(v[0], transpose(v[1], 1, 2)); });
  check_gradients("transpose 0,2", {param({2, 3, 4})}, [](auto& v) { return transpose(v[0], 0, 2); });
  check_gradients("transpose -1,-2", {param({2, 3, 4, 2})}, [](auto& v) { return transpose(v[0], -1, -2); });
  check_gradients("narrow", {param({3, 6, 2})}, [](auto& v) { return narrow(v[0], 1, 2, 3); });
}

// ---- LayerNorm ----------------------------------------------------------------------------

TEST_CASE("LayerNorm: each row has mean 0 and variance 1 before γ and β, 2E parameters", "[layernorm]") {
  manual_seed(36);
  nn::LayerNorm ln(16);
  CHECK(ln.num_parameters() == 2 * 16);
  CHECK(ln.weight.vec() == std::vector<float>(16, 1.f));
  CHECK(ln.bias.vec() == std::vector<float>(16, 0.f));
  Tensor x = add(mul(Tensor::randn({2, 3, 16}), Tensor::scalar(5.f)), Tensor::scalar(3.f));
  Tensor y = ln.forward(x);
  for (int64_t r = 0; r < 6; ++r) {
    double m = 0, v = 0;
    for (int64_t c = 0; c < 16; ++c) m += y.data()[r * 16 + c];
    m /= 16;
    for (int64_t c = 0; c < 16; ++c) v += std::pow(y.data()[r * 16 + c] - m, 2);
    CHECK(m == Approx(0.0).margin(1e-5));
    CHECK(v / 16 == Approx(1.0).epsilon(1e-3));  // eps = 1e-5 against a variance of ~25
  }
  CHECK(nn::LayerNorm(8, 1e-5f, false).num_parameters() == 0);
  CHECK_THROWS_WITH(ln.forward(Tensor::randn({4, 12})), "LayerNorm: expected input (*, 16), got (4, 12)");
}

TEST_CASE("gradcheck: LayerNorm with respect to x, γ and β, and without affine", "[gradcheck][layernorm]") {
  manual_seed(37);
  nn::LayerNorm ln(6);
  ln.weight = param({6});  // γ, β away from 1, 0 so every term of the backward matters
  ln.bias = param({6});
  check_gradients("LayerNorm", {param({4, 6}), ln.weight, ln.bias},
                  [](auto& v) { return nn::layer_norm(v[0], v[1], v[2]); });
  check_gradients("LayerNorm 3-D", {param({2, 3, 6}), ln.weight, ln.bias},
                  [](auto& v) { return nn::layer_norm(v[0], v[1], v[2]); });
  check_gradients("LayerNorm no affine", {param({4, 6})},
                  [](auto& v) { return nn::layer_norm(v[0], Tensor(), Tensor()); });
}

// ---- Embedding, positional encoding ---------------------------------------------------------

TEST_CASE("Embedding looks rows up and scatter-adds their gradients", "[embedding]") {
  manual_seed(38);
  nn::Embedding emb(10, 4);
  CHECK(emb.num_parameters() == 40);
  Tensor tok = ids({3, 1, 3, 9, 0, 3}, {2, 3});
  Tensor y = emb.forward(tok);
  REQUIRE(y.shape() == Shape{2, 3, 4});
  for (int e = 0; e < 4; ++e) CHECK(y.data()[3 * 4 + e] == emb.weight.data()[9 * 4 + e]);
  sum(y).backward();
  for (int e = 0; e < 4; ++e) {
    CHECK(emb.weight.grad().data()[3 * 4 + e] == 3.f);  // id 3 used three times
    CHECK(emb.weight.grad().data()[2 * 4 + e] == 0.f);  // id 2 never
  }
  check_gradients("Embedding", {emb.weight}, [&](auto& v) { return nn::embedding(tok, v[0]); });

  Tensor bad = ids(std::vector<float>(12, 1.f), {3, 4});
  bad.data()[2 * 4 + 3] = 57.f;
  nn::Embedding fifty(50, 4);
  CHECK_THROWS_WITH(fifty.forward(bad), "Embedding: index 57 out of range for 50 embeddings at position (2, 3)");
  bad.data()[2 * 4 + 3] = -1.f;
  CHECK_THROWS_WITH(fifty.forward(bad), "Embedding: index -1 out of range for 50 embeddings at position (2, 3)");
  bad.data()[2 * 4 + 3] = 2.5f;
  CHECK_THROWS_WITH(fifty.forward(bad),
                    "Embedding: index 2.5 at position (2, 3) is not a whole number (token ids are integers)");
}

TEST_CASE("positional_encoding is the sinusoidal table", "[embedding]") {
  const int64_t T = 7, E = 6;
  Tensor pe = nn::positional_encoding(T, E);
  REQUIRE(pe.shape() == Shape{T, E});
  for (int64_t e = 0; e < E; ++e) CHECK(pe.data()[e] == (e % 2 == 0 ? 0.f : 1.f));  // t = 0
  for (int64_t t = 0; t < T; ++t) {
    CHECK(pe.data()[t * E + 0] == Approx(std::sin(double(t))).margin(1e-6));
    CHECK(pe.data()[t * E + 1] == Approx(std::cos(double(t))).margin(1e-6));
    double w = std::pow(10000.0, -2.0 / double(E));
    CHECK(pe.data()[t * E + 2] == Approx(std::sin(t * w)).margin(1e-6));
    CHECK(pe.data()[t * E + 3] == Approx(std::cos(t * w)).margin(1e-6));
  }
  CHECK(nn::positional_encoding(3, 5).shape() == Shape{3, 5});  // odd E: the last column is a sin
}

// ---- attention ----------------------------------------------------------------------------

TEST_CASE("attention weights: rows sum to 1, the causal mask zeroes the future, padding zeroes keys", "[attention]") {
  manual_seed(39);
  const int64_t B = 2, T = 5, E = 8, H = 2;
  Tensor q = Tensor::randn({B, T, E}), k = Tensor::randn({B, T, E});
  Tensor P = nn::attention_probs(q, k, H);
  REQUIRE(P.shape() == Shape{B, H, T, T});
  for (double s : row_sums(P)) CHECK(s == Approx(1.0).epsilon(1e-6));

  nn::AttentionMask causal;
  causal.causal = true;
  Tensor Pc = nn::attention_probs(q, k, H, causal);
  for (double s : row_sums(Pc)) CHECK(s == Approx(1.0).epsilon(1e-6));
  for (int64_t bh = 0; bh < B * H; ++bh)
    for (int64_t i = 0; i < T; ++i)
      for (int64_t j = 0; j < T; ++j)
        if (j > i) CHECK(Pc.data()[(bh * T + i) * T + j] == 0.f);
  // the first query sees only the first key
  CHECK(Pc.data()[0] == 1.f);

  nn::AttentionMask pad;
  pad.key_padding_mask = padding({0, 0, 0, 1, 1, 0, 0, 0, 0, 0}, B, T);
  Tensor Pp = nn::attention_probs(q, k, H, pad);
  for (double s : row_sums(Pp)) CHECK(s == Approx(1.0).epsilon(1e-6));
  for (int64_t h = 0; h < H; ++h)
    for (int64_t i = 0; i < T; ++i)
      for (int64_t j : {3, 4}) CHECK(Pp.data()[((0 * H + h) * T + i) * T + j] == 0.f);

  SECTION("a query with no key left gets zero weights, not NaN") {
    nn::AttentionMask both;
    both.causal = true;
    both.key_padding_mask = padding({1, 0, 0, 0, 0, 0, 0, 0, 0, 0}, B, T);
    Tensor Pb = nn::attention_probs(q, k, H, both);
    for (int64_t j = 0; j < T; ++j) CHECK(Pb.data()[j] == 0.f);           // batch 0, head 0, query 0
    CHECK(row_sums(Pb)[1] == Approx(1.0));                                  // query 1 still sees key 1
  }
}

TEST_CASE("MultiheadAttention equals attention written out head by head with bmm and softmax", "[attention]") {
  manual_seed(40);
  const int64_t B = 2, Tq = 4, Tk = 6, E = 12, H = 3;
  nn::MultiheadAttention mha(E, H);
  Tensor q = Tensor::randn({B, Tq, E}), kv = Tensor::randn({B, Tk, E});
  Tensor k = Tensor::randn({B, Tk, E});
  for (bool causal : {false, true}) {
    INFO("causal " << causal);
    nn::AttentionMask mask;
    mask.causal = causal;
    nn::AttentionOutput out = mha.forward(q, k, kv, mask);
    check_close(out.output, mha_by_hand(q, k, kv, mha, causal), 1e-5f, "MHA vs by hand");
    REQUIRE(out.weights.shape() == Shape{B, Tq, Tk});
    for (double s : row_sums(out.weights)) CHECK(s == Approx(1.0).epsilon(1e-6));
    if (causal)
      for (int64_t b = 0; b < B; ++b)
        for (int64_t i = 0; i < Tq; ++i)
          for (int64_t j = i + 1; j < Tk; ++j) CHECK(out.weights.data()[(b * Tq + i) * Tk + j] == 0.f);
  }
  nn::AttentionOutput per_head = mha.forward(q, k, kv, {}, true, false);
  CHECK(per_head.weights.shape() == Shape{B, H, Tq, Tk});
  CHECK_FALSE(mha.forward(q, k, kv, {}, false).weights.defined());
}

TEST_CASE("MultiheadAttention has PyTorch's parameters: 4E² + 4E, zero biases, Xavier in_proj", "[attention]") {
  manual_seed(41);
  for (int64_t E : {8, 16, 512}) {
    nn::MultiheadAttention mha(E, 8 > E ? 1 : 8);
    CHECK(mha.num_parameters() == 4 * E * E + 4 * E);
  }
  nn::MultiheadAttention mha(16, 4);
  CHECK(mha.in_proj_weight.shape() == Shape{48, 16});
  CHECK(mha.in_proj_bias.shape() == Shape{48});
  CHECK(mha.out_proj.weight.shape() == Shape{16, 16});
  CHECK(mha.head_dim == 4);
  float xavier = std::sqrt(6.f / (16 + 48)), maxabs = 0;
  for (float w : mha.in_proj_weight.vec()) maxabs = std::max(maxabs, std::abs(w));
  CHECK(maxabs <= xavier);
  CHECK(maxabs > 0.9f * xavier);
  for (float b : mha.in_proj_bias.vec()) CHECK(b == 0.f);
  for (float b : mha.out_proj.bias.vec()) CHECK(b == 0.f);
  CHECK(nn::MultiheadAttention(16, 4, 0.f, false).num_parameters() == 4 * 16 * 16);
}

TEST_CASE("MultiheadAttention errors name the layer and the values", "[attention][errors]") {
  CHECK_THROWS_WITH(nn::MultiheadAttention(30, 4), "MultiheadAttention: embed_dim 30 is not divisible by num_heads 4");
  CHECK_THROWS_WITH(nn::MultiheadAttention(16, 0), "MultiheadAttention: num_heads must be positive, got 0");
  CHECK_THROWS_WITH(nn::MultiheadAttention(16, 4, 1.f), "MultiheadAttention: dropout must be in [0, 1), got 1");
  nn::MultiheadAttention mha(16, 4);
  Tensor x = Tensor::randn({2, 5, 16});
  CHECK_THROWS_WITH(mha.forward(Tensor::randn({2, 5, 12})),
                    "MultiheadAttention: expected query (B, T, 16) (batch first, E = embed_dim), got (2, 5, 12)");
  CHECK_THROWS_WITH(mha.forward(x, Tensor::randn({3, 5, 16}), Tensor::randn({3, 5, 16})),
                    "MultiheadAttention: expected key (2, S, 16) to match query (2, 5, 16), got (3, 5, 16)");
  CHECK_THROWS_WITH(mha.forward(x, Tensor::randn({2, 7, 16}), Tensor::randn({2, 6, 16})),
                    "MultiheadAttention: value (2, 6, 16) must have the shape of key (2, 7, 16)");
  nn::AttentionMask bad;
  bad.key_padding_mask = Tensor::zeros({2, 4});
  CHECK_THROWS_WITH(mha.forward(x, x, x, bad),
                    "MultiheadAttention: expected key_padding_mask (B, S) = (2, 5), got (2, 4)");
}

TEST_CASE("gradcheck: attention_probs, attention_context, attention_head_mean, masks on and off", "[gradcheck][attention]") {
  manual_seed(42);
  const int64_t B = 2, Tq = 3, Tk = 4, E = 6, H = 2;
  std::vector<std::pair<std::string, nn::AttentionMask>> masks(3);
  masks[0].first = "no mask";
  masks[1].first = "causal";
  masks[1].second.causal = true;
  masks[2].first = "causal + key padding";
  masks[2].second.causal = true;
  masks[2].second.key_padding_mask = padding({0, 0, 0, 1, 0, 1, 0, 0}, B, Tk);
  for (auto& [name, mask] : masks) {
    nn::AttentionMask m = mask;
    check_gradients("attention_probs, " + name, {param({B, Tq, E}), param({B, Tk, E})},
                    [m](auto& v) { return nn::attention_probs(v[0], v[1], H, m); });
  }
  Tensor P = softmax(param({B, H, Tq, Tk}));
  check_gradients("attention_context", {P.detach().set_requires_grad(true), param({B, Tk, E})},
                  [](auto& v) { return nn::attention_context(v[0], v[1]); });
  check_gradients("attention_head_mean", {param({B, H, Tq, Tk})},
                  [](auto& v) { return nn::attention_head_mean(v[0]); });
}

TEST_CASE("gradcheck: MultiheadAttention, every input and parameter, masks on and off", "[gradcheck][attention]") {
  manual_seed(43);
  const int64_t B = 2, Tq = 3, Tk = 4, E = 8, H = 2;
  nn::MultiheadAttention mha(E, H);
  // biases away from their zero init, so their gradients are checked at a generic point
  for (float& b : mha.in_proj_bias.vec()) b = 0.1f * global_rng().normal();
  for (float& b : mha.out_proj.bias.vec()) b = 0.1f * global_rng().normal();
  for (int config = 0; config < 4; ++config) {
    nn::AttentionMask mask;
    mask.causal = config == 1 || config == 3;
    if (config >= 2) mask.key_padding_mask = padding({0, 0, 1, 1, 0, 0, 0, 1}, B, Tk);
    bool average = config != 3;
    INFO("config " << config << ": causal " << mask.causal << ", key padding " << (config >= 2)
                   << ", average weights " << average);
    std::vector<Tensor> in{param({B, Tq, E}), param({B, Tk, E}), param({B, Tk, E}), mha.in_proj_weight,
                           mha.in_proj_bias, mha.out_proj.weight, mha.out_proj.bias};
    check_gradients("MultiheadAttention config " + std::to_string(config), in, [&](auto& v) {
      nn::AttentionCall call;
      call.mask = mask;
      call.average_attn_weights = average;
      nn::AttentionOutput o = nn::multi_head_attention(v[0], v[1], v[2], H, v[3], v[4], v[5], v[6], call);
      return cat({flat(o.output), flat(o.weights)}, 0);  // both outputs differentiate
    });
  }
  check_gradients("MultiheadAttention, self-attention on one x", {param({B, Tq, E}), mha.in_proj_weight},
                  [&](auto& v) {
                    return nn::multi_head_attention(v[0], v[0], v[0], H, v[1], mha.in_proj_bias,
                                                    mha.out_proj.weight, mha.out_proj.bias).output;
                  });
  check_gradients("MultiheadAttention with attention dropout (fixed mask)", {param({B, Tq, E}), mha.in_proj_weight},
                  [&](auto& v) {
                    manual_seed(5);
                    nn::AttentionCall call;
                    call.dropout = 0.3f;
                    return nn::multi_head_attention(v[0], v[0], v[0], H, v[1], mha.in_proj_bias,
                                                    mha.out_proj.weight, mha.out_proj.bias, call).output;
                  });
}

// ---- Sequential, TransformerBlock ---------------------------------------------------------------

TEST_CASE("Sequential chains its modules, collects their parameters and passes train/eval on", "[sequential]") {
  manual_seed(44);
  auto l1 = std::make_shared<nn::Linear>(4, 8);
  auto drop = std::make_shared<nn::Dropout>(0.5f);
  auto l2 = std::make_shared<nn::Linear>(8, 3);
  nn::Sequential seq;
  seq.add(l1).add(std::make_shared<nn::GELU>()).add(drop).add(l2).add(std::make_shared<nn::Tanh>());
  CHECK(seq.size() == 5);
  CHECK(seq.num_parameters() == 4 * 8 + 8 + 8 * 3 + 3);
  CHECK(seq.parameters().size() == 4);
  Tensor x = Tensor::randn({5, 4});
  seq.eval();
  CHECK_FALSE(drop->training);
  check_close(seq.forward(x), tanh(l2->forward(gelu(l1->forward(x)))), 1e-6f, "Sequential");
  seq.train();
  CHECK(drop->training);
  CHECK(&seq[3] == l2.get());

  std::vector<Tensor> in{param({5, 4})};
  for (const Tensor& p : seq.parameters()) in.push_back(p);
  check_gradients("Sequential (dropout mask fixed by the seed)", in, [&](auto& v) {
    manual_seed(9);
    return seq.forward(v[0]);
  });
}

namespace {
int64_t block_params(int64_t E, int64_t F) {
  return (4 * E * E + 4 * E) + 2 * (2 * E) + (E * F + F + F * E + E);
}
}  // namespace

TEST_CASE("TransformerBlock parameter count: MHA + 2 LayerNorms + FFN, as PyTorch counts them", "[transformer]") {
  manual_seed(45);
  for (int64_t E : {8, 16, 64}) {
    nn::TransformerBlock block(E, 4);
    CHECK(block.num_parameters() == block_params(E, 4 * E));
    CHECK(block.ffn.size() == 3);
  }
  nn::TransformerBlockOptions o;
  o.dim_feedforward = 10;
  CHECK(nn::TransformerBlock(8, 2, o).num_parameters() == block_params(8, 10));
  o.dim_feedforward = -1;
  CHECK_THROWS_WITH(nn::TransformerBlock(8, 2, o), "TransformerBlock: dim_feedforward must be positive (or 0 for 4E), got -1");
  // article 000 §3.2: TransformerBlock(512, 8)
  CHECK(nn::TransformerBlock(512, 8).num_parameters() == 3152384);
}

TEST_CASE("TransformerBlock: post-LN output rows are normalised, the residual switch changes the output", "[transformer]") {
  manual_seed(46);
  nn::TransformerBlock post(8, 2);
  Tensor x = Tensor::randn({2, 5, 8});
  Tensor y = post.forward(x);
  REQUIRE(y.shape() == x.shape());
  for (int64_t r = 0; r < 10; ++r) {  // γ = 1, β = 0 at init: the last LN leaves mean 0
    double m = 0;
    for (int64_t c = 0; c < 8; ++c) m += y.data()[r * 8 + c];
    CHECK(m / 8 == Approx(0.0).margin(1e-5));
  }
  post.options.residual = false;
  Tensor y_nores = post.forward(x);
  double diff = 0;
  for (int64_t i = 0; i < y.numel(); ++i) diff += std::abs(y.data()[i] - y_nores.data()[i]);
  CHECK(diff > 0.1);
  // the causal mask: changing the last position leaves the earlier outputs alone
  nn::AttentionMask causal;
  causal.causal = true;
  Tensor x2 = x.clone();
  for (int64_t e = 0; e < 8; ++e) x2.data()[(0 * 5 + 4) * 8 + e] += 1.f;
  Tensor a = post.forward(x, causal), b = post.forward(x2, causal);
  for (int64_t i = 0; i < 4 * 8; ++i) CHECK(a.data()[i] == Approx(b.data()[i]).margin(1e-6));
}

TEST_CASE("gradcheck: TransformerBlock post-LN and pre-LN, with and without residuals, masks on and off", "[gradcheck][transformer]") {
  const int64_t B = 2, T = 3, E = 8, H = 2;
  for (bool norm_first : {false, true})
    for (bool residual : {true, false})
      for (bool causal : {false, true}) {
        manual_seed(47);
        nn::TransformerBlockOptions o;
        o.norm_first = norm_first;
        o.residual = residual;
        o.activation = nn::Activation::GELU;  // smooth: no ReLU kink inside a finite-difference step
        nn::TransformerBlock block(E, H, o);
        for (Tensor& p : block.parameters())  // LN γ, β and the zero biases away from their init
          for (float& v : p.vec()) v += 0.1f * global_rng().normal();
        nn::AttentionMask mask;
        mask.causal = causal;
        if (!causal) mask.key_padding_mask = padding({0, 0, 1, 0, 0, 0}, B, T);
        std::string name = std::string(norm_first ? "pre-LN" : "post-LN") + (residual ? "" : ", no residual") +
                           (causal ? ", causal" : ", key padding");
        INFO(name);
        std::vector<Tensor> in{param({B, T, E})};
        for (const Tensor& p : block.parameters()) in.push_back(p);
        GradCheck opt;
        opt.max_probes = 16;
        check_gradients("TransformerBlock " + name, in, [&](auto& v) { return block.forward(v[0], mask); }, opt);
      }
  manual_seed(48);
  nn::TransformerBlock relu_block(E, H);  // the article's ReLU FFN, default options
  std::vector<Tensor> in{param({B, T, E})};
  for (const Tensor& p : relu_block.parameters()) in.push_back(p);
  GradCheck opt;
  opt.max_probes = 16;
  check_gradients("TransformerBlock ReLU post-LN", in, [&](auto& v) { return relu_block.forward(v[0]); }, opt);
}

// ---- a small Transformer learns to reverse a sequence --------------------------------------------

namespace {
// tokens -> Embedding + sinusoidal positions -> TransformerBlock -> Linear -> logits per position
struct Reverser {
  int64_t V, T, E;
  nn::Embedding embed;
  Tensor pe;
  nn::TransformerBlock block;
  nn::Linear head;
  Reverser(int64_t V_, int64_t T_, int64_t E_, int64_t H, nn::TransformerBlockOptions o)
      : V(V_), T(T_), E(E_), embed(V_, E_), pe(nn::positional_encoding(T_, E_)), block(E_, H, o), head(E_, V_) {}
  Tensor logits(const Tensor& tokens) {  // (B, T) -> (B·T, V)
    Tensor x = add(embed.forward(tokens), pe);
    return reshape(head.forward(block.forward(x)), {-1, V});
  }
  std::vector<Tensor> parameters() const {
    std::vector<Tensor> ps = embed.parameters();
    for (const Tensor& p : block.parameters()) ps.push_back(p);
    for (const Tensor& p : head.parameters()) ps.push_back(p);
    return ps;
  }
};

// a batch of random sequences and their reversals
std::pair<Tensor, Tensor> reverse_batch(Rng& rng, int64_t B, int64_t T, int64_t V) {
  Tensor x = Tensor::empty({B, T}), y = Tensor::empty({B * T});
  for (int64_t b = 0; b < B; ++b)
    for (int64_t t = 0; t < T; ++t) x.data()[b * T + t] = float(rng.next_u32() % uint32_t(V));
  for (int64_t b = 0; b < B; ++b)
    for (int64_t t = 0; t < T; ++t) y.data()[b * T + t] = x.data()[b * T + (T - 1 - t)];
  return {x, y};
}
}  // namespace

TEST_CASE("a one-block Transformer learns to reverse 6 tokens (seed 7, 400 Adam steps)", "[train][transformer]") {
  const int64_t V = 8, T = 6, E = 32, H = 4, B = 32;
  manual_seed(7);
  Reverser model(V, T, E, H, {});
  optim::Adam adam(model.parameters(), 3e-3f);
  Rng data(2024);
  auto t0 = std::chrono::steady_clock::now();
  float first = 0, last = 0;
  for (int step = 0; step < 400; ++step) {
    auto [x, y] = reverse_batch(data, B, T, V);
    adam.zero_grad();
    Tensor loss = cross_entropy(model.logits(x), y);
    loss.backward();
    adam.step();
    if (step == 0) first = loss.item();
    last = loss.item();
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  // held-out sequences: how many tokens come out right
  auto [x, y] = reverse_batch(data, 256, T, V);
  Tensor logits;
  {
    NoGradGuard no_grad;
    model.block.eval();
    logits = model.logits(x);
  }
  int64_t right = 0;
  for (int64_t r = 0; r < logits.size(0); ++r) {
    const float* row = logits.data() + r * V;
    right += int64_t(std::max_element(row, row + V) - row) == int64_t(y.data()[r]);
  }
  double accuracy = double(right) / double(logits.size(0));
  INFO("loss at step 0: " << first << ", at step 399: " << last << ", held-out token accuracy " << accuracy
                          << ", " << seconds << " s");
  CHECK(first > 1.8f);  // ≈ ln 8 = 2.08: chance
  CHECK(last < 0.01f);
  CHECK(accuracy > 0.99);
}
