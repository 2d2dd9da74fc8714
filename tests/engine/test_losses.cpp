// Cross-entropy, NLL and BCE-with-logits: values by hand, ignore_index, reductions,
// stability at large logits, gradients against central differences, and errors.
#include <cmath>
#include <string>
#include <vector>

#include "gradcheck.h"

using namespace gradlab;
using gradlab::testing::check_gradients;
using gradlab::testing::GradCheck;

namespace {
Tensor targets(std::vector<float> v) {
  int64_t n = int64_t(v.size());
  return Tensor::from(std::move(v), {n});
}
// ln Σ_c e^{x_c} - x_t, in double, straight from the definition
double ce_by_hand(const std::vector<double>& row, int t) {
  double s = 0;
  for (double v : row) s += std::exp(v);
  return std::log(s) - row[size_t(t)];
}
}  // namespace

TEST_CASE("cross_entropy equals log-sum-exp minus the target logit, computed by hand", "[loss]") {
  std::vector<std::vector<double>> x{{1.0, 2.0, 0.5, -1.0}, {0.0, 0.0, 0.0, 0.0}, {-2.0, 3.0, 1.0, 0.25}};
  std::vector<int> t{1, 3, 0};
  std::vector<float> flat;
  for (auto& row : x)
    for (double v : row) flat.push_back(float(v));
  Tensor logits = Tensor::from(flat, {3, 4});
  Tensor target = targets({1, 3, 0});
  double expected = 0;
  for (size_t i = 0; i < 3; ++i) expected += ce_by_hand(x[i], t[i]);
  CHECK(cross_entropy(logits, target).item() == Approx(expected / 3).epsilon(1e-6));
  CHECK(cross_entropy(logits, target, kIgnoreIndex, Reduction::Sum).item() == Approx(expected).epsilon(1e-6));
  Tensor each = cross_entropy(logits, target, kIgnoreIndex, Reduction::None);
  REQUIRE(each.shape() == Shape{3});
  for (size_t i = 0; i < 3; ++i) CHECK(each.data()[i] == Approx(ce_by_hand(x[i], t[i])).epsilon(1e-6));
  // the uniform row: ln 4
  CHECK(each.data()[1] == Approx(std::log(4.0)));
}

TEST_CASE("cross_entropy is stable at huge logits", "[loss]") {
  Tensor logits = Tensor::from({1000.f, 0.f, -1000.f, 500.f, 500.f, 0.f}, {2, 3});
  Tensor target = targets({1, 0});
  Tensor each = cross_entropy(logits, target, kIgnoreIndex, Reduction::None);
  CHECK(each.data()[0] == Approx(1000.0));
  CHECK(each.data()[1] == Approx(std::log(2.0)));
  logits.set_requires_grad(true);
  cross_entropy(logits, target).backward();
  for (float g : logits.grad().vec()) CHECK(std::isfinite(g));
}

TEST_CASE("cross_entropy's ignore_index drops those rows from the mean and the gradient", "[loss]") {
  manual_seed(21);
  Tensor logits = Tensor::randn({5, 3}, true);
  Tensor target = targets({2, -100, 0, -100, 1});
  Tensor loss = cross_entropy(logits, target);
  Tensor each = cross_entropy(logits.detach(), target, kIgnoreIndex, Reduction::None);
  CHECK(each.data()[1] == 0.f);
  CHECK(each.data()[3] == 0.f);
  CHECK(loss.item() == Approx((each.data()[0] + each.data()[2] + each.data()[4]) / 3.0));
  loss.backward();
  for (int c = 0; c < 3; ++c) {
    CHECK(logits.grad().data()[1 * 3 + c] == 0.f);
    CHECK(logits.grad().data()[3 * 3 + c] == 0.f);
  }
  // each kept row's gradient is (softmax - one-hot) / 3: sums to 0
  double row0 = 0;
  for (int c = 0; c < 3; ++c) row0 += logits.grad().data()[c];
  CHECK(row0 == Approx(0.0).margin(1e-6));

  SECTION("a custom ignore_index, and every target ignored gives 0 with no gradient") {
    Tensor t2 = targets({2, 7, 0, 7, 1});
    CHECK(cross_entropy(logits.detach(), t2, 7).item() == Approx(loss.item()));
    Tensor x = Tensor::randn({2, 3}, true);
    Tensor all = cross_entropy(x, targets({-100, -100}));
    CHECK(all.item() == 0.f);
    all.backward();
    for (float g : x.grad().vec()) CHECK(g == 0.f);
  }
}

TEST_CASE("nll_loss on log_softmax equals cross_entropy, values and gradients", "[loss]") {
  manual_seed(22);
  Tensor a = Tensor::randn({6, 5}, true);
  Tensor b = a.detach().set_requires_grad(true);
  Tensor target = targets({4, 0, -100, 2, 2, 1});
  Tensor ce = cross_entropy(a, target);
  Tensor nll = nll_loss(log_softmax(b), target);
  CHECK(nll.item() == Approx(ce.item()).epsilon(1e-6));
  ce.backward();
  nll.backward();
  for (int64_t i = 0; i < a.numel(); ++i)
    CHECK(a.grad().data()[i] == Approx(b.grad().data()[i]).margin(1e-6));
  // by hand: -mean of the picked log-probabilities
  Tensor lp = Tensor::from({-0.5f, -1.5f, -2.f, -0.1f}, {2, 2});
  CHECK(nll_loss(lp, targets({1, 0})).item() == Approx((1.5 + 2.0) / 2));
}

TEST_CASE("bce_with_logits: equals bce(sigmoid(x)) and stays finite where that one saturates", "[loss]") {
  manual_seed(23);
  Tensor x = Tensor::randn({4, 3});
  Tensor t = Tensor::rand({4, 3});
  CHECK(bce_with_logits(x, t).item() == Approx(bce_loss(sigmoid(x), t).item()).epsilon(1e-5));
  // x = 200, target 0: the loss is 200. bce_loss(sigmoid(200)) would say 100: sigmoid rounds to 1
  // and its log is clamped at -100.
  Tensor big = Tensor::from({200.f, -200.f, 0.f}, {3});
  Tensor each = bce_with_logits(big, Tensor::from({0.f, 1.f, 1.f}, {3}), Reduction::None);
  CHECK(each.data()[0] == Approx(200.0));
  CHECK(each.data()[1] == Approx(200.0));
  CHECK(each.data()[2] == Approx(std::log(2.0)));
  CHECK(bce_with_logits(big, Tensor::from({0.f, 1.f, 1.f}, {3}), Reduction::Sum).item() ==
        Approx(400.0 + std::log(2.0)));
}

TEST_CASE("gradcheck: cross_entropy, nll_loss, bce_with_logits, every reduction", "[gradcheck][loss]") {
  manual_seed(24);
  Tensor target = targets({3, -100, 0, 1, 3, 2, -100});
  for (Reduction r : {Reduction::Mean, Reduction::Sum, Reduction::None}) {
    std::string tag = r == Reduction::Mean ? "mean" : r == Reduction::Sum ? "sum" : "none";
    check_gradients("cross_entropy " + tag, {Tensor::randn({7, 4}, true), target},
                    [r](auto& v) { return cross_entropy(v[0], v[1], kIgnoreIndex, r); });
    check_gradients("nll_loss " + tag, {Tensor::randn({7, 4}, true), target},
                    [r](auto& v) { return nll_loss(v[0], v[1], kIgnoreIndex, r); });
    check_gradients("bce_with_logits " + tag, {Tensor::randn({3, 5}, true), Tensor::rand({3, 5}, true)},
                    [r](auto& v) { return bce_with_logits(v[0], v[1], r); });
  }
  check_gradients("cross_entropy through log_softmax + nll", {Tensor::randn({5, 6}, true), targets({5, 0, 1, 1, 4})},
                  [](auto& v) { return nll_loss(log_softmax(v[0]), v[1]); });
}

TEST_CASE("loss errors name the loss and the values", "[loss][errors]") {
  Tensor logits = Tensor::randn({4, 5});
  CHECK_THROWS_WITH(cross_entropy(logits, targets({0, 1, 7, 2})),
                    "cross_entropy: target 7 out of range for 5 classes at position 2");
  CHECK_THROWS_WITH(cross_entropy(logits, targets({0, 1, -3, 2})),
                    "cross_entropy: target -3 out of range for 5 classes at position 2");
  CHECK_THROWS_WITH(cross_entropy(logits, targets({0, 1.5f, 2, 2})),
                    "cross_entropy: target 1.5 at position 1 is not a class index (a whole number)");
  CHECK_THROWS_WITH(cross_entropy(logits, targets({0, 1, 2})),
                    "cross_entropy: expected target (4,) of class indices for input (4, 5), got (3,)");
  CHECK_THROWS_WITH(cross_entropy(Tensor::randn({2, 3, 5}), targets({0, 1})),
                    Catch::StartsWith("cross_entropy: expected input (N, C), got (2, 3, 5); for a sequence, reshape"));
  CHECK_THROWS_WITH(nll_loss(logits, targets({0, 1, 2, 5})),
                    "nll_loss: target 5 out of range for 5 classes at position 3");
  CHECK_THROWS_WITH(bce_with_logits(logits, Tensor::rand({4, 4})),
                    "bce_with_logits: input (4, 5) and target (4, 4) must have the same shape");
}
