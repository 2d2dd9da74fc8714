// Reductions along a dim (PyTorch's sum(dim, keepdim) and friends): values, shapes, errors,
// and every one against central differences.
#include <algorithm>
#include <numeric>

#include "gradcheck.h"

using namespace gradlab;
using gradlab::testing::check_gradients;
using gradlab::testing::GradCheck;

namespace {
Tensor t23() { return Tensor::from({1, 2, 3, 4, 5, 6}, {2, 3}); }  // [[1, 2, 3], [4, 5, 6]]

std::vector<float> vals(const Tensor& t) { return t.vec(); }

// Distinct values 0.1 apart in a random order: no two elements within a finite-difference
// step of each other, so max and min never switch element inside a probe.
Tensor distinct(const Shape& s, uint64_t seed) {
  Tensor t = Tensor::empty(s);
  std::vector<float> v(size_t(t.numel()));
  for (size_t k = 0; k < v.size(); ++k) v[k] = 0.1f * float(k) - 1.f;
  Rng rng(seed);
  for (size_t k = v.size(); k > 1; --k) std::swap(v[k - 1], v[size_t(rng.uniform() * float(k)) % k]);
  t.vec() = v;
  t.set_requires_grad(true);
  return t;
}
}  // namespace

TEST_CASE("sum, mean, max, min, argmax, norm along a dim: values as in PyTorch", "[reduce]") {
  Tensor x = t23();
  CHECK(vals(sum(x, 1, false)) == std::vector<float>{6, 15});
  CHECK(vals(sum(x, 0, false)) == std::vector<float>{5, 7, 9});
  CHECK(vals(sum(x, -1, false)) == std::vector<float>{6, 15});
  CHECK(vals(mean(x, 1, false)) == std::vector<float>{2, 5});
  CHECK(vals(mean(x, 0, false)) == std::vector<float>{2.5f, 3.5f, 4.5f});
  CHECK(vals(max(x, 1, false)) == std::vector<float>{3, 6});
  CHECK(vals(min(x, 0, false)) == std::vector<float>{1, 2, 3});
  CHECK(vals(argmax(x, 1, false)) == std::vector<float>{2, 2});
  CHECK(vals(argmax(x, 0, false)) == std::vector<float>{1, 1, 1});
  Tensor n = norm(x, 1, false);
  CHECK(n.data()[0] == Approx(std::sqrt(14.f)));
  CHECK(n.data()[1] == Approx(std::sqrt(77.f)));
  // whole-tensor max, min, argmax
  CHECK(max(x).item() == 6.f);
  CHECK(min(x).item() == 1.f);
  CHECK(argmax(x).item() == 5.f);
  CHECK(max(x).shape() == Shape{});
  // the first of equal values wins
  Tensor ties = Tensor::from({3, 1, 3, 0}, {4});
  CHECK(argmax(ties, 0, false).item() == 0.f);
  CHECK(argmax(ties).item() == 0.f);
  // a NaN is the maximum, as in PyTorch
  Tensor with_nan = Tensor::from({1, NAN, 2}, {3});
  CHECK(std::isnan(max(with_nan, 0, false).item()));
  CHECK(argmax(with_nan).item() == 1.f);
}

TEST_CASE("reductions along a dim: keepdim keeps it as 1, a middle dim of a 3-D tensor", "[reduce]") {
  Tensor x = Tensor::randn({2, 3, 4});
  CHECK(sum(x, 1, false).shape() == Shape{2, 4});
  CHECK(sum(x, 1, true).shape() == Shape{2, 1, 4});
  CHECK(mean(x, -1, true).shape() == Shape{2, 3, 1});
  CHECK(max(x, 0, true).shape() == Shape{1, 3, 4});
  CHECK(min(x, 2, false).shape() == Shape{2, 3});
  CHECK(argmax(x, -3, true).shape() == Shape{1, 3, 4});
  CHECK(norm(x, 1, true).shape() == Shape{2, 1, 4});
  CHECK(sum(t23(), 1, true).vec() == std::vector<float>{6, 15});
  // x[1, :, 2] summed by hand
  double s = 0;
  for (int k = 0; k < 3; ++k) s += x.data()[(1 * 3 + k) * 4 + 2];
  CHECK(sum(x, 1, false).data()[1 * 4 + 2] == Approx(s));
  // a 0-D tensor reduces to itself along dim 0 or -1
  Tensor s0 = Tensor::scalar(4.f);
  CHECK(sum(s0, 0, false).shape() == Shape{});
  CHECK(mean(s0, -1, true).item() == 4.f);
  CHECK(argmax(s0, 0, false).item() == 0.f);
  // an empty dim: sum is 0, the others have nothing to pick
  Tensor e = Tensor::zeros({2, 0});
  CHECK(sum(e, 1, false).vec() == std::vector<float>{0, 0});
  CHECK(sum(e, 0, false).shape() == Shape{0});
  CHECK_THROWS_WITH(mean(e, 1, false), "mean: cannot reduce an empty dim: dim 1 of shape (2, 0) has size 0");
  CHECK_THROWS_WITH(max(e, 1, false), Catch::Contains("max: cannot reduce an empty dim"));
  CHECK_THROWS_WITH(argmax(e), "argmax: empty tensor (2, 0)");
  CHECK_THROWS_WITH(min(e), "min: empty tensor (2, 0)");
}

TEST_CASE("a reduction's dim out of range names the op, the dim and the shape", "[reduce][errors]") {
  Tensor x = t23();
  CHECK_THROWS_WITH(sum(x, 2, false), "sum: dim 2 is out of range for shape (2, 3)");
  CHECK_THROWS_WITH(mean(x, -3, true), "mean: dim -3 is out of range for shape (2, 3)");
  CHECK_THROWS_WITH(max(x, 5, false), "max: dim 5 is out of range for shape (2, 3)");
  CHECK_THROWS_WITH(min(x, INT64_MIN, false),
                    "min: dim -9223372036854775808 is out of range for shape (2, 3)");
  CHECK_THROWS_WITH(argmax(x, INT64_MAX, false),
                    "argmax: dim 9223372036854775807 is out of range for shape (2, 3)");
  CHECK_THROWS_WITH(norm(x, 2, true), "norm: dim 2 is out of range for shape (2, 3)");
  CHECK_THROWS_WITH(sum(Tensor::scalar(1.f), 1, false), "sum: dim 1 is out of range for shape ()");
}

TEST_CASE("max, min along a dim send the gradient to the first extreme, argmax has no gradient", "[reduce]") {
  Tensor x = Tensor::from({1, 5, 5, 2, 0, 0}, {2, 3}, true);
  sum(max(x, 1, false)).backward();
  CHECK(x.grad().vec() == std::vector<float>{0, 1, 0, 1, 0, 0});
  x.zero_grad();
  sum(min(x, 1, false)).backward();
  CHECK(x.grad().vec() == std::vector<float>{1, 0, 0, 0, 1, 0});
  x.zero_grad();
  max(x).backward();
  CHECK(x.grad().vec() == std::vector<float>{0, 1, 0, 0, 0, 0});
  CHECK_FALSE(argmax(x, 1, false).requires_grad());
  CHECK_FALSE(argmax(x).requires_grad());
}

TEST_CASE("gradcheck: sum, mean, max, min, norm along every dim, with and without keepdim",
          "[gradcheck][reduce]") {
  manual_seed(31);
  for (int64_t dim : {0, 1, 2, -1, -2}) {
    for (bool keepdim : {false, true}) {
      std::string tag = " dim " + std::to_string(dim) + (keepdim ? " keepdim" : "");
      Tensor x = Tensor::randn({2, 3, 4}, true);
      check_gradients("sum" + tag, {x}, [=](auto& v) { return sum(v[0], dim, keepdim); });
      check_gradients("mean" + tag, {x}, [=](auto& v) { return mean(v[0], dim, keepdim); });
      GradCheck fine;  // a norm over 2 elements curves sharply: a smaller step
      fine.eps = 1e-3f;
      check_gradients("norm" + tag, {x}, [=](auto& v) { return norm(v[0], dim, keepdim); }, fine);
      Tensor d = distinct({2, 3, 4}, 40 + uint64_t(dim + 2));
      check_gradients("max" + tag, {d}, [=](auto& v) { return max(v[0], dim, keepdim); });
      check_gradients("min" + tag, {d}, [=](auto& v) { return min(v[0], dim, keepdim); });
    }
  }
  check_gradients("max of all", {distinct({3, 5}, 7)}, [](auto& v) { return max(v[0]); });
  check_gradients("min of all", {distinct({3, 5}, 8)}, [](auto& v) { return min(v[0]); });
  // composed: a softmax-like normalisation by the row max, and a mean of row norms
  check_gradients("x - max(x, 1, keepdim)", {distinct({3, 4}, 9)},
                  [](auto& v) { return sub(v[0], max(v[0], 1, true)); });
  check_gradients("mean(norm(x, -1))", {Tensor::randn({5, 3}, true)},
                  [](auto& v) { return mean(norm(v[0], -1, false)); });
}
