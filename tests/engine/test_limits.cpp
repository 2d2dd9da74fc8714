// Hostile sizes, indices and counts, as JS can pass them: every one is refused with a message
// naming the call and the value, never wraps around int64, reads or writes out of bounds, or
// loops for hours. (tests/sanitize.sh runs these under ASan + UBSan too.)
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>

#include "gradlab/analysis.h"
#include "gradlab/gradlab.h"
#include "gradlab/tasks.h"

using namespace gradlab;
using Catch::Contains;

namespace {
constexpr int64_t kBig = INT64_MAX - 1023;  // 2^63 - 1024, a double JS can send exactly
constexpr int64_t k2_62 = int64_t(1) << 62;
Tensor t4() { return Tensor::from({1, 2, 3, 4}, {4}, true); }
}  // namespace

TEST_CASE("narrow: start + length past int64 is refused, not wrapped (it read other tensors' memory)",
          "[limits][errors]") {
  Tensor x = t4();
  CHECK_THROWS_WITH(narrow(x, 0, kBig, 1024),
                    "narrow: start 9223372036854774784 and length 1024 do not fit in dim 0 of size 4 in shape (4,)");
  CHECK_THROWS_WITH(narrow(x, 0, 1, INT64_MAX), Contains("narrow: start 1 and length 9223372036854775807"));
  CHECK_THROWS_WITH(narrow(x, 0, INT64_MAX, INT64_MAX), Contains("do not fit"));
  CHECK_THROWS_WITH(narrow(x, 0, -1, 2), Contains("do not fit"));
  CHECK_THROWS_WITH(narrow(x, 0, 2, -1), Contains("do not fit"));
  CHECK_THROWS_WITH(narrow(x, 0, 5, 0), Contains("do not fit"));
  CHECK_THROWS_WITH(narrow(x, INT64_MIN, 0, 1), "narrow: dim -9223372036854775808 is out of range for shape (4,)");
  // the edges that fit
  CHECK(narrow(x, 0, 4, 0).shape() == Shape{0});
  Tensor y = narrow(x, 0, 2, 2);
  CHECK(y.vec() == std::vector<float>{3, 4});
  sum(y).backward();
  CHECK(x.grad().vec() == std::vector<float>{0, 0, 1, 1});
}

TEST_CASE("select, cat, transpose, size: extreme dims and indices are refused", "[limits][errors]") {
  Tensor x = Tensor::zeros({2, 3});
  CHECK_THROWS_WITH(select(x, 1, INT64_MAX), "select: index 9223372036854775807 is out of range for dim 1 of size 3 in shape (2, 3)");
  CHECK_THROWS_WITH(select(x, 1, INT64_MIN), Contains("select: index -9223372036854775808 is out of range"));
  CHECK_THROWS_WITH(select(x, INT64_MIN, 0), Contains("select: dim -9223372036854775808 is out of range"));
  CHECK_THROWS_WITH(cat({x, x}, INT64_MIN), Contains("cat: dim -9223372036854775808 is out of range"));
  CHECK_THROWS_WITH(cat({x, x}, INT64_MAX), Contains("cat: dim 9223372036854775807 is out of range"));
  CHECK_THROWS_WITH(transpose(x, INT64_MIN, 0), Contains("transpose: dim -9223372036854775808 is out of range"));
  CHECK_THROWS_WITH(x.size(INT64_MIN), Contains("size: dim -9223372036854775808 is out of range"));
  CHECK(select(x, 1, -3).shape() == Shape{2});
}

TEST_CASE("shapes: a product past int64 or past the element cap is refused by the call that made it",
          "[limits][errors]") {
  CHECK_THROWS_WITH(Tensor::randn({INT64_MAX, INT64_MAX}),
                    "randn: shape (9223372036854775807, 9223372036854775807) is too large: more than "
                    "9223372036854775807 elements, at most 268435456");
  CHECK_THROWS_WITH(Tensor::zeros({int64_t(1) << 32, int64_t(1) << 32}),
                    Contains("zeros: shape (4294967296, 4294967296) is too large"));
  CHECK_THROWS_WITH(Tensor::ones({kMaxElements + 1}), "ones: shape (268435457,) is too large: 268435457 elements, at most 268435456");
  CHECK_THROWS_WITH(Tensor::full({2, -1}, 1.f), "full: sizes must be non-negative, got (2, -1)");
  CHECK_THROWS_WITH(Tensor::rand({-k2_62}), Contains("rand: sizes must be non-negative"));
  // an empty tensor cannot carry sizes whose product overflows the ops' index arithmetic
  CHECK_THROWS_WITH(Tensor::zeros({0, int64_t(1) << 40}),
                    "zeros: shape (0, 1099511627776) is too large: 1099511627776 elements counting only its "
                    "non-zero sizes, at most 268435456");
  CHECK(Tensor::zeros({0, 5}).numel() == 0);
  CHECK(Tensor::zeros({kMaxElements}).numel() == kMaxElements);
}

TEST_CASE("reshape: a product of dims past int64 never wraps around to a valid size", "[limits][errors]") {
  Tensor one = Tensor::from({7}, {1});
  // INT64_MAX² wraps to 1 in int64: it was taken for a 1-element shape
  CHECK_THROWS_WITH(reshape(one, {INT64_MAX, INT64_MAX}), Contains("reshape: cannot reshape (1,)"));
  Tensor x = t4();
  CHECK_THROWS_WITH(reshape(x, {int64_t(1) << 32, int64_t(1) << 32, 4}), Contains("reshape: cannot reshape (4,)"));
  CHECK_THROWS_WITH(reshape(x, {k2_62, 4, -1}), Contains("reshape: cannot reshape (4,)"));
  CHECK_THROWS_WITH(reshape(x, {-2, -2}), Contains("reshape: sizes must be non-negative"));
  CHECK_THROWS_WITH(reshape(Tensor::zeros({0}), {0, k2_62}), Contains("reshape: shape (0, 4611686018427387904) is too large"));
  CHECK(reshape(x, {2, -1}).shape() == Shape{2, 2});
}

TEST_CASE("recurrent layers: sizes that would overflow 4·H or 3·H are refused before G·H is formed",
          "[limits][errors][recurrent]") {
  CHECK_THROWS_WITH(nn::LSTMCell(kBig, k2_62), "LSTMCell: input_size 9223372036854774784 is more than the largest tensor, 268435456 elements");
  CHECK_THROWS_WITH(nn::LSTMCell(4, k2_62), "LSTMCell: hidden_size 4611686018427387904 is more than the largest tensor, 268435456 elements");
  CHECK_THROWS_WITH(nn::GRUCell(4, (INT64_MAX / 3) + 1), Contains("GRUCell: hidden_size 3074457345618258603 is more"));
  CHECK_THROWS_WITH(nn::RNNCell(4, INT64_MAX), Contains("RNNCell: hidden_size 9223372036854775807 is more"));
  CHECK_THROWS_WITH(nn::LSTM(4, k2_62), Contains("LSTM: hidden_size 4611686018427387904 is more"));
  CHECK_THROWS_WITH(nn::GRU(INT64_MAX, 4), Contains("GRU: input_size 9223372036854775807 is more"));
  CHECK_THROWS_WITH(nn::LSTMCell(4, 0), "LSTMCell: hidden_size must be positive, got 0");
  // under the per-size cap but too many elements together: the layer's name, not "randn"
  CHECK_THROWS_WITH(nn::LSTM(1 << 20, 1 << 20), Contains("LSTM: shape (4194304, 1048576) is too large"));
}

TEST_CASE("Linear, Embedding, MultiheadAttention, TransformerBlock: huge sizes name the layer",
          "[limits][errors]") {
  CHECK_THROWS_WITH(nn::Linear((int64_t(1) << 32) + 4, 3), Contains("Linear: shape (3, 4294967300) is too large"));
  CHECK_THROWS_WITH(nn::Linear(k2_62, k2_62), Contains("Linear: shape (4611686018427387904, 4611686018427387904) is too large: more than"));
  CHECK_THROWS_WITH(nn::Embedding(k2_62, 2), Contains("Embedding: shape (4611686018427387904, 2) is too large"));
  CHECK_THROWS_WITH(nn::MultiheadAttention(k2_62, 2), "MultiheadAttention: embed_dim 4611686018427387904 is more than the largest tensor, 268435456 elements");
  CHECK_THROWS_WITH(nn::MultiheadAttention(int64_t(1) << 20, 1), Contains("MultiheadAttention: shape (3145728, 1048576) is too large"));
  CHECK_THROWS_WITH(nn::MultiheadAttention(8, INT64_MAX), "MultiheadAttention: embed_dim 8 is not divisible by num_heads 9223372036854775807");
  CHECK_THROWS_WITH(nn::MultiheadAttention(8, INT64_MIN), Contains("num_heads must be positive"));
  CHECK_THROWS_WITH(nn::LayerNorm(k2_62), "LayerNorm: shape (4611686018427387904,) is too large: 4611686018427387904 "
                                            "elements, at most 268435456");
  CHECK_THROWS_WITH(nn::positional_encoding(k2_62, 4), Contains("positional_encoding: shape (4611686018427387904, 4) is too large"));
  CHECK_THROWS_WITH(nn::TransformerBlock(k2_62, 1), Contains("MultiheadAttention: embed_dim 4611686018427387904 is more"));
  Tensor q = Tensor::randn({1, 2, 8});
  CHECK_THROWS_WITH(nn::attention_probs(q, q, INT64_MAX), Contains("embed_dim 8 is not divisible by num_heads 9223372036854775807"));
  CHECK_THROWS_WITH(nn::attention_probs(q, q, 0), Contains("num_heads must be positive, got 0"));
}

TEST_CASE("embedding ids and class targets out of range, huge or not whole are refused", "[limits][errors][loss]") {
  Tensor w = Tensor::randn({5, 2}, true);
  for (float bad : {5.f, -1.f, 1e30f, -1e30f, 9.3e18f}) {
    INFO("id " << bad);
    CHECK_THROWS_WITH(nn::embedding(Tensor::from({0, bad}, {2}), w), Contains("Embedding: index"));
  }
  CHECK_THROWS_WITH(nn::embedding(Tensor::from({NAN}, {1}), w), Contains("is not a whole number"));
  Tensor logits = Tensor::randn({2, 3}, true);
  // 1e30 is a whole, finite float but no int64: it was cast (undefined behaviour) to INT64_MIN
  CHECK_THROWS_WITH(cross_entropy(logits, Tensor::from({0, 1e30f}, {2})),
                    "cross_entropy: target 1e+30 out of range for 3 classes at position 1");
  CHECK_THROWS_WITH(nll_loss(logits, Tensor::from({-1e20f, 0}, {2})),
                    "nll_loss: target -1e+20 out of range for 3 classes at position 0");
  CHECK_THROWS_WITH(cross_entropy(logits, Tensor::from({0, 3}, {2})), Contains("target 3 out of range for 3 classes"));
  CHECK_THROWS_WITH(cross_entropy(logits, Tensor::from({0, INFINITY}, {2})), Contains("is not a class index"));
  CHECK(std::isfinite(cross_entropy(logits, Tensor::from({2, 0}, {2})).item()));
}

TEST_CASE("bce_loss refuses a NaN or infinite target as it refuses a NaN input", "[loss][errors]") {
  Tensor p = Tensor::from({0.2f, 0.7f}, {2});
  CHECK_THROWS_WITH(bce_loss(Tensor::from({0.2f, NAN}, {2}), Tensor::from({0, 1}, {2})),
                    Contains("bce_loss: input must be probabilities in [0, 1], got nan at index 1"));
  CHECK_THROWS_WITH(bce_loss(p, Tensor::from({0, NAN}, {2})), "bce_loss: target must be finite, got nan at index 1");
  CHECK_THROWS_WITH(bce_loss(p, Tensor::from({INFINITY, 1}, {2})), "bce_loss: target must be finite, got inf at index 0");
  CHECK_THROWS_WITH(bce_loss(p, Tensor::from({0, -INFINITY}, {2})), "bce_loss: target must be finite, got -inf at index 1");
  CHECK(std::isfinite(bce_loss(p, Tensor::from({0.f, 1.f}, {2})).item()));
}

TEST_CASE("tasks: a sequence length that would overflow is refused", "[limits][errors]") {
  CHECK_THROWS_WITH(tasks::CopyTask(k2_62, 1, 4, 0), Contains("CopyTask: sequence length delay + 2 · symbols = 1 + 2 · 4611686018427387904 is too long"));
  CHECK_THROWS_WITH(tasks::CopyTask(3, INT64_MAX, 4, 0), Contains("is too long (limit 100000)"));
  CHECK(tasks::CopyTask(3, 4, 4, 0).length() == 10);
  CHECK_THROWS_WITH(tasks::AddingProblem(INT64_MAX, 0), Contains("is too long (limit 100000)"));
}

// ---- loop counts a caller passes ----------------------------------------------------------
TEST_CASE("power_norms, histogram bins, SpectralTracker: counts past their limit are refused, naming it",
          "[limits][errors][analysis]") {
  Tensor W = Tensor::from({1, 0, 0, 1}, {2, 2});  // ‖W^k‖ = 1 for every k
  CHECK_THROWS_WITH(analysis::power_norms(W, int64_t(1) << 31),
                    "power_norms: K (iterations) 2147483648 is more than the limit 10000");
  CHECK_THROWS_WITH(analysis::power_norms(W, INT64_MAX), Contains("is more than the limit 10000"));
  CHECK_THROWS_WITH(analysis::power_norms(W, 0), "power_norms: K must be positive, got 0");
  CHECK(analysis::power_norms(W, analysis::kMaxPowerIterations).size() == 10000);
  xt::xtensor<double, 3> v = xt::zeros<double>({1, 1, 4});
  CHECK_THROWS_WITH(analysis::histogram(v, 1000000000, 0.0, 1.0), "histogram: bins 1000000000 is more than the limit 100000");
  CHECK(analysis::histogram(v, analysis::kMaxBins, 0.0, 1.0).counts.size() == 100000);
  CHECK_THROWS_WITH(analysis::SpectralTracker(int64_t(1) << 31), Contains("SpectralTracker: hidden_size 2147483648 is too large"));
  CHECK_THROWS_WITH(analysis::SpectralTracker(0), "SpectralTracker: hidden_size must be positive, got 0");
}

TEST_CASE("recurrent layers: num_layers past the limit is refused before any layer is built",
          "[limits][errors][recurrent]") {
  nn::RecurrentOptions o;
  o.num_layers = 1000000;
  CHECK_THROWS_WITH(nn::LSTM(2, 3, o), "LSTM: num_layers 1000000 is more than the limit 100");
  CHECK_THROWS_WITH(nn::GRU(2, 3, o), "GRU: num_layers 1000000 is more than the limit 100");
  o.num_layers = INT64_MAX;
  CHECK_THROWS_WITH(nn::RNN(2, 3, o), "RNN: num_layers 9223372036854775807 is more than the limit 100");
  o.num_layers = 0;
  CHECK_THROWS_WITH(nn::RNN(2, 3, o), "RNN: num_layers must be positive, got 0");
  // the fused op itself, given as many (shared) parameter tensors as it asks for
  nn::LSTM one(2, 3);
  std::vector<Tensor> p = one.parameters();
  std::vector<Tensor> params;
  for (int64_t l = 0; l < 101; ++l) params.insert(params.end(), p.begin(), p.end());
  o.num_layers = 101;
  CHECK_THROWS_WITH(nn::recurrent(nn::CellKind::LSTM, Tensor::randn({1, 2, 2}), Tensor(), Tensor(), params, o),
                    "LSTM: num_layers 101 is more than the limit 100");
  o.num_layers = nn::kMaxLayers;
  CHECK_NOTHROW(nn::GRU(2, 2, o));
}

// gradlab::Text (gradlab/text.h) builds the engine's messages and JSON without iostreams (which
// pull libc++'s locales into the wasm); it must write numbers as the ostream it replaced did.
#include <limits>
#include <sstream>

#include "gradlab/text.h"

TEST_CASE("Text writes numbers, characters and strings as an ostream does", "[errors]") {
  const double doubles[] = {0.0, -0.0, 1.0, -2.5, 1.0 / 3.0, 1e-7, 123456789.0, 6.02214076e23, 4.9e-324,
                            std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity(),
                            std::numeric_limits<double>::quiet_NaN(), 0.1f, 1e38f};
  for (int precision : {6, 10, 0, 17}) {
    for (double v : doubles) {
      std::ostringstream os;
      Text t;
      os.precision(precision);
      t.precision(precision);
      os << v << '|' << float(v);
      t << v << '|' << float(v);
      INFO("precision " << precision << ", value " << v);
      CHECK(t.str() == os.str());
    }
  }
  std::ostringstream os;
  Text t;
  const int64_t big = std::numeric_limits<int64_t>::min();
  const size_t sz = std::numeric_limits<size_t>::max();
  const std::string s = "LSTM";
  os << "at (" << 3 << ", " << -7L << ") " << big << ' ' << sz << ' ' << true << false << ' ' << s << 'x' << 2u;
  t << "at (" << 3 << ", " << -7L << ") " << big << ' ' << sz << ' ' << true << false << ' ' << s << 'x' << 2u;
  CHECK(t.str() == os.str());
}
