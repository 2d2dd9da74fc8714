// The tape's behaviour: accumulation, retain_grad, freeing, no_grad, error messages.
#include <catch2/catch.hpp>

#include <cmath>

#include "gradlab/gradlab.h"

using namespace gradlab;
using Catch::Matchers::Contains;

TEST_CASE("gradients accumulate across backward calls until zero_grad", "[autograd]") {
  Tensor w = Tensor::from({1.f, 2.f, 3.f}, {3}, true);
  Tensor x = Tensor::from({4.f, 5.f, 6.f}, {3});
  sum(mul(w, x)).backward();
  REQUIRE(w.grad().vec() == std::vector<float>{4.f, 5.f, 6.f});
  sum(mul(w, x)).backward();
  REQUIRE(w.grad().vec() == std::vector<float>{8.f, 10.f, 12.f});
  w.zero_grad();
  REQUIRE(w.grad().vec() == std::vector<float>{0.f, 0.f, 0.f});
  CHECK_FALSE(x.grad().defined());  // x never required grad
}

TEST_CASE("clear_grad drops the grad: the next backward starts afresh and an optimiser skips it", "[autograd]") {
  Tensor w = Tensor::from({1.f, 2.f}, {2}, true);
  Tensor u = Tensor::from({1.f, 2.f}, {2}, true);
  Tensor x = Tensor::from({4.f, 5.f}, {2});
  optim::Adam adam({w, u}, 0.1f);
  sum(mul(add(w, u), x)).backward();
  adam.step();  // both move, and Adam now has momentum for both
  const std::vector<float> w1 = w.vec(), u1 = u.vec();
  w.clear_grad();
  CHECK_FALSE(w.grad().defined());
  u.zero_grad();
  adam.step();  // w has no grad: untouched; u has a zero grad: its momentum still moves it
  CHECK(w.vec() == w1);
  CHECK(u.vec() != u1);
  sum(mul(w, x)).backward();
  REQUIRE(w.grad().vec() == std::vector<float>{4.f, 5.f});  // not added to the dropped one
}

TEST_CASE("a node used twice gets both contributions", "[autograd]") {
  Tensor x = Tensor::from({3.f}, {1}, true);
  Tensor y = add(mul(x, x), x);  // y = x² + x, dy/dx = 2x + 1 = 7
  y.backward();
  REQUIRE(x.grad().item() == Approx(7.f));
}

TEST_CASE("retain_grad keeps the gradient of an intermediate and drops the others", "[autograd]") {
  manual_seed(3);
  Tensor x = Tensor::randn({2, 3}, true);
  Tensor h1 = tanh(x);
  Tensor h2 = tanh(h1);
  h1.retain_grad();
  sum(h2).backward();
  REQUIRE(h1.grad().defined());
  CHECK_FALSE(h2.grad().defined());
  // dL/dh1 = 1 - tanh(h1)²
  for (int i = 0; i < 6; ++i) {
    float t = std::tanh(h1.data()[i]);
    CHECK(h1.grad().data()[i] == Approx(1.f - t * t).epsilon(1e-5));
  }
}

TEST_CASE("backward through a freed graph fails with a clear message", "[autograd]") {
  Tensor w = Tensor::from({0.5f}, {1}, true);
  Tensor h = tanh(w);
  sum(h).backward();
  REQUIRE_THROWS_WITH(sum(mul(h, w)).backward(), Contains("already freed") && Contains("tanh"));
  // detach() makes it usable again
  sum(mul(h.detach(), w)).backward();
}

TEST_CASE("backward needs a scalar root and a graph", "[autograd]") {
  Tensor x = Tensor::randn({2, 2}, true);
  REQUIRE_THROWS_WITH(tanh(x).backward(), Contains("scalar") && Contains("(2, 2)"));
  REQUIRE_THROWS_WITH(sum(Tensor::ones({2})).backward(), Contains("does not require grad"));
}

TEST_CASE("no_grad records nothing", "[autograd]") {
  Tensor x = Tensor::randn({3}, true);
  Tensor y;
  {
    NoGradGuard guard;
    y = tanh(x);
  }
  CHECK_FALSE(y.requires_grad());
  CHECK(y.is_leaf());
}

TEST_CASE("shape errors name the op and both shapes", "[errors]") {
  manual_seed(1);
  nn::Linear lin(10, 20);
  REQUIRE_THROWS_WITH(lin.forward(Tensor::randn({32, 12})),
                      "Linear: expected input (*, 10), got (32, 12)");
  REQUIRE_THROWS_WITH(matmul(Tensor::randn({3, 4}), Tensor::randn({5, 6})),
                      Contains("matmul") && Contains("(3, 4)") && Contains("(5, 6)"));
  REQUIRE_THROWS_WITH(add(Tensor::randn({32, 20}), Tensor::randn({32, 16})),
                      Contains("add") && Contains("(32, 20)") && Contains("(32, 16)"));
  REQUIRE_THROWS_WITH(cat({Tensor::randn({2, 3}), Tensor::randn({4, 5})}, 1),
                      Contains("cat") && Contains("(4, 5)") && Contains("(2, 3)"));
  REQUIRE_THROWS_WITH(select(Tensor::randn({2, 3, 4}), 1, 3),
                      Contains("select") && Contains("index 3") && Contains("(2, 3, 4)"));
  REQUIRE_THROWS_WITH(transpose(Tensor::randn({2, 3, 4})), Contains("transpose"));
  REQUIRE_THROWS_WITH(mse_loss(Tensor::randn({4, 1}), Tensor::randn({4})),
                      Contains("mse_loss") && Contains("(4, 1)") && Contains("(4,)"));
  REQUIRE_THROWS_WITH(reshape(Tensor::randn({3, 4}), {5, -1}), Contains("reshape"));
}

TEST_CASE("bad sizes and values give errors, not crashes", "[errors]") {
  REQUIRE_THROWS_WITH(nn::Linear(0, 5), Contains("Linear") && Contains("in_features=0"));
  REQUIRE_THROWS_WITH(nn::Linear(4, -1), Contains("out_features=-1"));
  REQUIRE_THROWS_WITH(Tensor::randn({-2, 3}), Contains("randn") && Contains("(-2, 3)"));
  REQUIRE_THROWS_WITH(Tensor::zeros({100000, 100000}), Contains("too large"));
  REQUIRE_THROWS_WITH(Tensor::from({1.f, 2.f, 3.f}, {2, 2}), Contains("3 values"));
  REQUIRE_THROWS_WITH(bce_loss(Tensor::from({1.5f}, {1}), Tensor::from({1.f}, {1})),
                      Contains("bce_loss") && Contains("1.5"));
  REQUIRE_THROWS_WITH(bce_loss(Tensor::from({NAN}, {1}), Tensor::from({1.f}, {1})),
                      Contains("nan"));
  REQUIRE_THROWS_WITH(Tensor::randn({2, 2}).item(), Contains("item"));
  REQUIRE_THROWS_WITH(optim::Adam({Tensor::randn({2})}), Contains("Adam") && Contains("leaf"));
  REQUIRE_THROWS_WITH(optim::SGD({Tensor::randn({2}, true)}, -1.f), Contains("learning rate"));
}

TEST_CASE("same seed gives the same numbers and another seed other numbers", "[determinism]") {
  auto run = [](uint64_t seed) {
    manual_seed(seed);
    nn::Linear lin(5, 3);
    Tensor x = Tensor::randn({4, 5});
    Tensor loss = mean(square(tanh(lin.forward(x))));
    loss.backward();
    std::vector<float> out = lin.weight.grad().vec();
    out.push_back(loss.item());
    return out;
  };
  REQUIRE(run(42) == run(42));
  REQUIRE(run(42) != run(43));
}

TEST_CASE("randn has mean 0 and variance 1 and rand is uniform below 1", "[rng]") {
  manual_seed(0);
  Tensor z = Tensor::randn({100000});
  double m = 0, v = 0;
  for (float x : z.vec()) m += x;
  m /= z.numel();
  for (float x : z.vec()) v += (x - m) * (x - m);
  v /= z.numel();
  CHECK(std::abs(m) < 0.01);
  CHECK(std::abs(v - 1.0) < 0.02);
  Tensor u = Tensor::rand({100000});
  float lo = 1, hi = 0;
  for (float x : u.vec()) { lo = std::min(lo, x); hi = std::max(hi, x); }
  CHECK(lo >= 0.f);
  CHECK(hi < 1.f);
  CHECK(lo < 0.001f);
  CHECK(hi > 0.999f);
}
