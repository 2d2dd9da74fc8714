// Linear's layout and init, the optimisers' update rules, and training for real.
#include <catch2/catch.hpp>

#include <cmath>

#include "gradlab/gradlab.h"

using namespace gradlab;

TEST_CASE("Linear has PyTorch's layout, parameter count and init bound", "[nn]") {
  manual_seed(0);
  nn::Linear lin(30, 20);
  CHECK(lin.weight.shape() == Shape{20, 30});
  CHECK(lin.bias.shape() == Shape{20});
  CHECK(lin.num_parameters() == 30 * 20 + 20);
  float bound = 1.f / std::sqrt(30.f);
  float maxabs = 0;
  for (float v : lin.weight.vec()) maxabs = std::max(maxabs, std::abs(v));
  CHECK(maxabs <= bound);
  CHECK(maxabs > 0.9f * bound);
  Tensor y = lin.forward(Tensor::randn({32, 30}));
  CHECK(y.shape() == Shape{32, 20});
  CHECK(lin.forward(Tensor::randn({4, 7, 30})).shape() == Shape{4, 7, 20});
}

TEST_CASE("SGD with and without momentum follows torch.optim.SGD", "[optim]") {
  Tensor p = Tensor::from({1.f, -2.f}, {2}, true);
  optim::SGD plain({p}, 0.1f);
  sum(mul(p, Tensor::from({3.f, 4.f}, {2}))).backward();  // grad = (3, 4)
  plain.step();
  CHECK(p.data()[0] == Approx(0.7f));
  CHECK(p.data()[1] == Approx(-2.4f));

  Tensor q = Tensor::from({0.f}, {1}, true);
  optim::SGD mom({q}, 0.1f, 0.9f);
  float expected = 0, v = 0;
  for (int step = 0; step < 3; ++step) {
    mom.zero_grad();
    sum(mul(q, Tensor::from({2.f}, {1}))).backward();  // grad = 2 every step
    mom.step();
    v = step == 0 ? 2.f : 0.9f * v + 2.f;
    expected -= 0.1f * v;
    CHECK(q.data()[0] == Approx(expected));
  }
}

TEST_CASE("Adam's first steps match the bias-corrected update", "[optim]") {
  // With a constant gradient g, bias correction makes every early step ≈ lr·sign(g).
  Tensor p = Tensor::from({1.f, 1.f}, {2}, true);
  optim::Adam adam({p}, 0.01f);
  for (int step = 1; step <= 3; ++step) {
    adam.zero_grad();
    sum(mul(p, Tensor::from({0.5f, -2.f}, {2}))).backward();
    adam.step();
    CHECK(p.data()[0] == Approx(1.f - 0.01f * step).epsilon(1e-4));
    CHECK(p.data()[1] == Approx(1.f + 0.01f * step).epsilon(1e-4));
  }
  CHECK(adam.steps() == 3);
}

TEST_CASE("a small tanh network learns y = sin(x) with Adam", "[train]") {
  manual_seed(11);
  nn::Linear l1(1, 32), l2(32, 1);
  std::vector<Tensor> params = l1.parameters();
  for (const Tensor& t : l2.parameters()) params.push_back(t);
  optim::Adam adam(params, 0.01f);
  Tensor x = Tensor::empty({64, 1});
  for (int i = 0; i < 64; ++i) x.data()[i] = -3.f + 6.f * float(i) / 63.f;
  Tensor y = Tensor::empty({64, 1});
  for (int i = 0; i < 64; ++i) y.data()[i] = std::sin(x.data()[i]);

  float first = 0, last = 0;
  for (int step = 0; step < 1500; ++step) {
    adam.zero_grad();
    Tensor loss = mse_loss(l2.forward(tanh(l1.forward(x))), y);
    loss.backward();
    adam.step();
    if (step == 0) first = loss.item();
    last = loss.item();
  }
  INFO("loss at step 0: " << first << ", at step 1499: " << last);
  CHECK(first > 0.1f);
  CHECK(last < 2e-3f);
}
