// The ops PyTorch code needs beyond the basics: finite-difference checks of every
// differentiable one (with broadcasting), values of the rest, copy_'s rules, the seeded
// integers, and the errors bad input gets.
#include <algorithm>
#include <cmath>
#include <set>

#include "gradcheck.h"

using namespace gradlab;
using gradlab::testing::check_gradients;
using gradlab::testing::GradCheck;
using gradlab::testing::param;

namespace {
Tensor uniform(const Shape& s, float lo, float hi, bool requires_grad = true) {
  Tensor t = Tensor::rand(s, requires_grad);
  for (float& v : t.vec()) v = lo + (hi - lo) * v;
  return t;
}
// at least `gap` away from every multiple of `step` (kinks of abs, floor's steps, clamp's bounds)
Tensor off_grid(const Shape& s, float step, float gap) {
  Tensor t = Tensor::randn(s, true);
  for (float& v : t.vec()) {
    float r = v - step * std::floor(v / step);
    if (r < gap) v += gap;
    else if (r > step - gap) v -= gap;
  }
  return t;
}
Tensor values(std::vector<float> v, const Shape& s) { return Tensor::from(std::move(v), s); }
std::vector<float> vec(const Tensor& t) { return t.vec(); }
}  // namespace

TEST_CASE("gradcheck: sqrt, abs, pow, clamp, floor", "[gradcheck][ops-more]") {
  manual_seed(11);
  check_gradients("sqrt", {uniform({5, 6}, 0.3f, 3.f)}, [](auto& v) { return sqrt(v[0]); });
  check_gradients("abs", {off_grid({5, 6}, 100.f, 0.05f)}, [](auto& v) { return abs(v[0]); });
  for (float p : {2.f, 3.f, 0.5f, -1.5f, 1.f}) {
    check_gradients("pow " + std::to_string(p), {uniform({4, 5}, 0.5f, 2.f)},
                    [p](auto& v) { return pow(v[0], p); });
  }
  check_gradients("pow 3 of negatives", {uniform({4, 5}, -2.f, -0.5f)}, [](auto& v) { return pow(v[0], 3.f); });
  // bounds at -0.5 and 0.5; values kept 0.05 away from them, so both sides of each are probed
  Tensor x = off_grid({6, 7}, 0.5f, 0.05f);
  check_gradients("clamp both", {x}, [](auto& v) { return clamp(v[0], -0.5f, 0.5f); });
  check_gradients("clamp min only", {x}, [](auto& v) { return clamp(v[0], -0.5f, std::nullopt); });
  check_gradients("clamp max only", {x}, [](auto& v) { return clamp(v[0], std::nullopt, 0.5f); });
  check_gradients("floor", {off_grid({4, 5}, 1.f, 0.05f)}, [](auto& v) { return floor(v[0]); });
}

TEST_CASE("clamp: the gradient is 1 at a bound itself and 0 outside, as PyTorch", "[ops-more]") {
  Tensor x = Tensor::from({-2.f, -1.f, 0.f, 1.f, 2.f}, {5}, true);
  Tensor y = clamp(x, -1.f, 1.f);
  CHECK(vec(y) == std::vector<float>{-1.f, -1.f, 0.f, 1.f, 1.f});
  sum(y).backward();
  CHECK(vec(x.grad()) == std::vector<float>{0.f, 1.f, 1.f, 1.f, 0.f});
  // min > max: everything becomes max (PyTorch's order); a NaN stays NaN
  CHECK(vec(clamp(values({-3.f, 0.f, 3.f}, {3}), 2.f, 1.f)) == std::vector<float>{1.f, 1.f, 1.f});
  CHECK(std::isnan(clamp(values({NAN}, {1}), 0.f, 1.f).item()));
}

TEST_CASE("abs and pow at their edges: sign(0) is 0, x^0 has no gradient", "[ops-more]") {
  Tensor x = Tensor::from({-2.f, 0.f, 3.f}, {3}, true);
  sum(abs(x)).backward();
  CHECK(vec(x.grad()) == std::vector<float>{-1.f, 0.f, 1.f});
  Tensor z = Tensor::from({0.f, 2.f}, {2}, true);
  Tensor y = pow(z, 0.f);
  CHECK(vec(y) == std::vector<float>{1.f, 1.f});
  sum(y).backward();
  CHECK(vec(z.grad()) == std::vector<float>{0.f, 0.f});
}

TEST_CASE("gradcheck: where, with cond, a and b broadcast", "[gradcheck][ops-more]") {
  manual_seed(12);
  Tensor cond = Tensor::rand({3, 1, 5});
  for (float& v : cond.vec()) v = v > 0.5f ? 1.f : 0.f;
  check_gradients("where (3,1,5) (3,4,5) (5)", {param({3, 4, 5}), param({5})},
                  [cond](auto& v) { return where(cond, v[0], v[1]); });
  check_gradients("where (3,1,5) (4,1) (3,4,5)", {param({4, 1}), param({3, 4, 5})},
                  [cond](auto& v) { return where(cond, v[0], v[1]); });
  check_gradients("where scalar branch", {param({}), param({2, 3, 1, 5})},
                  [cond](auto& v) { return where(cond, v[0], v[1]); });
}

TEST_CASE("where: a NaN or Inf in the branch not taken reaches neither values nor grads", "[ops-more]") {
  Tensor x = Tensor::from({-1.f, 0.f, 4.f}, {3}, true);
  Tensor ok = gt(x, Tensor::scalar(0.f));
  // log(x) is NaN / -Inf where x <= 0, where its branch is not taken
  Tensor y = where(ok, log(x), Tensor::scalar(0.f));
  CHECK(vec(y) == std::vector<float>{0.f, 0.f, std::log(4.f)});
  sum(y).backward();
  CHECK(vec(x.grad()) == std::vector<float>{0.f, 0.f, 0.25f});
  // a zero upstream gradient adds nothing through an infinite slope: sqrt at 0, division by 0
  Tensor r = Tensor::from({0.f, -4.f, 4.f}, {3}, true);
  sum(where(gt(r, Tensor::scalar(0.f)), sqrt(r), Tensor::scalar(0.f))).backward();
  CHECK(vec(r.grad()) == std::vector<float>{0.f, 0.f, 0.25f});
  Tensor d = Tensor::from({0.f, 2.f}, {2}, true);
  sum(where(ne(d, Tensor::scalar(0.f)), div(Tensor::scalar(1.f), d), Tensor::scalar(0.f))).backward();
  CHECK(vec(d.grad()) == std::vector<float>{0.f, -0.25f});
  Tensor inf = Tensor::from({INFINITY, NAN}, {2}, true);
  Tensor fine = Tensor::from({1.f, 2.f}, {2}, true);
  Tensor z = where(values({0.f, 0.f}, {2}), inf, fine);
  CHECK(vec(z) == std::vector<float>{1.f, 2.f});
  sum(mul(z, z)).backward();
  CHECK(vec(inf.grad()) == std::vector<float>{0.f, 0.f});
  CHECK(vec(fine.grad()) == std::vector<float>{2.f, 4.f});
}

TEST_CASE("comparisons broadcast, give 0/1 and no graph - isnan and isfinite too", "[ops-more]") {
  Tensor a = Tensor::from({1.f, 2.f, 3.f, 4.f, 5.f, NAN}, {2, 3}, true);
  Tensor b = values({2.f, 2.f, 6.f}, {3});
  CHECK(vec(eq(a, b)) == std::vector<float>{0, 1, 0, 0, 0, 0});
  CHECK(vec(ne(a, b)) == std::vector<float>{1, 0, 1, 1, 1, 1});
  CHECK(vec(lt(a, b)) == std::vector<float>{1, 0, 1, 0, 0, 0});
  CHECK(vec(le(a, b)) == std::vector<float>{1, 1, 1, 0, 0, 0});
  CHECK(vec(gt(a, b)) == std::vector<float>{0, 0, 0, 1, 1, 0});
  CHECK(vec(ge(a, b)) == std::vector<float>{0, 1, 0, 1, 1, 0});
  CHECK(gt(a, b).shape() == Shape{2, 3});
  CHECK_FALSE(gt(a, b).requires_grad());
  Tensor c = values({0.f, NAN, INFINITY, -INFINITY}, {4});
  CHECK(vec(isnan(c)) == std::vector<float>{0, 1, 0, 0});
  CHECK(vec(isfinite(c)) == std::vector<float>{1, 0, 0, 0});
  CHECK(vec(floor(values({-1.5f, -0.f, 2.7f}, {3}))) == std::vector<float>{-2.f, 0.f, 2.f});
  CHECK_THROWS_WITH(lt(a, values({1.f, 2.f}, {2})), Catch::Contains("lt: shapes (2, 3) and (2,) cannot be broadcast"));
}

TEST_CASE("gradcheck: index_select with repeats and negative indices, permute, expand", "[gradcheck][ops-more]") {
  manual_seed(13);
  Tensor idx = values({2.f, 0.f, 2.f, -1.f}, {4});
  check_gradients("index_select dim 1", {param({3, 5, 2})}, [idx](auto& v) { return index_select(v[0], 1, idx); });
  check_gradients("index_select dim -1", {param({3, 5, 4})}, [idx](auto& v) { return index_select(v[0], -1, idx); });
  check_gradients("index_select dim 0", {param({3, 2})}, [idx](auto& v) { return index_select(v[0], 0, idx); });
  check_gradients("permute (2,0,1)", {param({2, 3, 4})}, [](auto& v) { return permute(v[0], {2, 0, 1}); });
  check_gradients("permute 4-D negative", {param({2, 3, 4, 5})}, [](auto& v) { return permute(v[0], {-1, 1, 0, -2}); });
  check_gradients("expand (3,1) -> (2,3,4)", {param({3, 1})}, [](auto& v) { return expand(v[0], {2, 3, 4}); });
  check_gradients("expand (1,4) -> (3,-1)", {param({1, 4})}, [](auto& v) { return expand(v[0], {3, -1}); });
  check_gradients("expand 0-D", {param({})}, [](auto& v) { return expand(v[0], {2, 2}); });
  check_gradients("expand (2,1,3) middle", {param({2, 1, 3})}, [](auto& v) { return expand(v[0], {2, 5, 3}); });
}

TEST_CASE("index_select, permute, expand: values", "[ops-more]") {
  Tensor x = values({0, 1, 2, 3, 4, 5}, {2, 3});
  CHECK(vec(index_select(x, 1, values({2.f, 0.f, 2.f}, {3}))) == std::vector<float>{2, 0, 2, 5, 3, 5});
  CHECK(vec(index_select(x, 0, values({-1.f}, {1}))) == std::vector<float>{3, 4, 5});
  CHECK(index_select(x, 1, values({}, {0})).shape() == Shape{2, 0});
  Tensor p = permute(values({0, 1, 2, 3, 4, 5}, {1, 2, 3}), {2, 0, 1});
  CHECK(p.shape() == Shape{3, 1, 2});
  CHECK(vec(p) == std::vector<float>{0, 3, 1, 4, 2, 5});
  Tensor e = expand(values({7, 8}, {2, 1}), {2, 2, 3});
  CHECK(e.shape() == Shape{2, 2, 3});
  CHECK(vec(e) == std::vector<float>{7, 7, 7, 8, 8, 8, 7, 7, 7, 8, 8, 8});
}

TEST_CASE("index_select: duplicate indices accumulate their gradients", "[ops-more]") {
  Tensor x = Tensor::from({1, 2, 3}, {3}, true);
  sum(index_select(x, 0, values({1.f, 1.f, 1.f, 0.f}, {4}))).backward();
  CHECK(vec(x.grad()) == std::vector<float>{1.f, 3.f, 0.f});
}

TEST_CASE("bad dims, indices, permutations and sizes say what and where", "[ops-more]") {
  Tensor x = Tensor::zeros({2, 5});
  CHECK_THROWS_WITH(index_select(x, 1, values({1.f, 5.f}, {2})),
                    Catch::Contains("index_select: index 5 is out of range for dim 1 of size 5"));
  CHECK_THROWS_WITH(index_select(x, 1, values({-6.f}, {1})), Catch::Contains("index -6 is out of range for dim 1 of size 5"));
  CHECK_THROWS_WITH(index_select(x, 0, values({0.5f}, {1})), Catch::Contains("whole numbers, got 0.5 at position 0"));
  CHECK_THROWS_WITH(index_select(x, 0, values({NAN}, {1})), Catch::Contains("whole numbers"));
  CHECK_THROWS_WITH(index_select(x, 2, values({0.f}, {1})), Catch::Contains("index_select: dim 2 is out of range"));
  CHECK_THROWS_WITH(index_select(x, 0, Tensor::zeros({1, 1})), Catch::Contains("index must be 1-D, got shape (1, 1)"));
  CHECK_THROWS_WITH(permute(x, {0, 0}), Catch::Contains("permute: dims [0, 0] is not a permutation: dim 0 appears twice"));
  CHECK_THROWS_WITH(permute(x, {1, -1}), Catch::Contains("not a permutation: dim 1 appears twice"));
  CHECK(permute(x, {1, -2}).shape() == Shape{5, 2});  // -2 is dim 0
  CHECK_THROWS_WITH(permute(x, {0}), Catch::Contains("permute: dims [0] must list each of the 2 dims of shape (2, 5)"));
  CHECK_THROWS_WITH(permute(x, {0, 2}), Catch::Contains("permute: dim 2 is out of range"));
  CHECK_THROWS_WITH(expand(x, {2, 4}), Catch::Contains("expanded size of the tensor (4) must match the existing size (5) at non-singleton dimension 1"));
  CHECK_THROWS_WITH(expand(x, {5}), Catch::Contains("number of sizes provided (1)"));
  CHECK_THROWS_WITH(expand(x, {-1, 2, 5}), Catch::Contains("expanded size -1 is not allowed in a leading"));
  CHECK_THROWS_WITH(expand(Tensor::zeros({1}), {-2}), Catch::Contains("expanded size of the tensor (-2)"));
  CHECK_THROWS_WITH(pow(x, NAN), Catch::Contains("pow: exponent must be a finite number"));
  CHECK_THROWS_WITH(clamp(x, std::nullopt, std::nullopt), Catch::Contains("clamp: at least one of min and max"));
  CHECK_THROWS_WITH(clamp(x, NAN, 1.f), Catch::Contains("clamp: min must be a number, got NaN"));
  CHECK_THROWS_WITH(where(Tensor::zeros({3}), x, x), Catch::Contains("where: shapes (3,) and (2, 5) cannot be broadcast"));
}

TEST_CASE("copy_: in place, broadcast, and PyTorch's rules for leaves that require grad", "[ops-more]") {
  Tensor x = Tensor::zeros({2, 3});
  Tensor alias = x;  // another holder of the same values (as a layer holds its parameters)
  copy_(x, values({1, 2, 3}, {3}));
  CHECK(vec(alias) == std::vector<float>{1, 2, 3, 1, 2, 3});
  copy_(x, Tensor::scalar(7.f));
  CHECK(vec(alias) == std::vector<float>(6, 7.f));
  CHECK_THROWS_WITH(copy_(x, Tensor::zeros({2, 2})), Catch::Contains("copy_: src of shape (2, 2) cannot be broadcast to the shape (2, 3)"));
  CHECK_THROWS_WITH(copy_(x, Tensor::zeros({4, 2, 3})), Catch::Contains("cannot be broadcast to the shape (2, 3)"));

  Tensor w = Tensor::ones({3}, true);
  CHECK_THROWS_WITH(copy_(w, Tensor::zeros({3})),
                    "copy_: a leaf Variable that requires grad is being used in an in-place operation.");
  CHECK(vec(w) == std::vector<float>(3, 1.f));
  {
    NoGradGuard no_grad;  // an optimizer step: p -= lr * p.grad
    copy_(w, sub(w, Tensor::scalar(0.5f)));
  }
  CHECK(vec(w) == std::vector<float>(3, 0.5f));
  CHECK(w.is_leaf());
  CHECK(w.requires_grad());
  Tensor made = mul(w, Tensor::scalar(2.f));
  CHECK_THROWS_WITH(copy_(x, made), Catch::Contains("copy_: src (made by mul) requires grad"));
}

TEST_CASE("copy_ into values a pending graph saved: backward refuses, as PyTorch", "[ops-more]") {
  Tensor w = Tensor::from({1, 2}, {2}, true);
  Tensor x = values({3, 4}, {2});
  Tensor loss = sum(mul(w, x));  // mul's backward reads x
  copy_(x, Tensor::scalar(0.f));
  CHECK_THROWS_WITH(loss.backward(), Catch::Contains("modified by an inplace operation") && Catch::Contains("shape (2,)"));
  // written after backward: the next graph is fine
  Tensor w2 = Tensor::from({1, 2}, {2}, true);
  Tensor loss2 = sum(mul(w2, x));
  loss2.backward();
  CHECK(vec(w2.grad()) == std::vector<float>{0.f, 0.f});
  copy_(x, Tensor::scalar(1.f));
  Tensor loss3 = sum(mul(w2, x));
  loss3.backward();
  CHECK(vec(w2.grad()) == std::vector<float>{1.f, 1.f});
}

TEST_CASE("randperm and randint: seeded, in range, whole numbers", "[ops-more]") {
  manual_seed(5);
  Tensor p = randperm(50);
  manual_seed(5);
  CHECK(vec(randperm(50)) == vec(p));
  std::vector<float> sorted = vec(p);
  std::sort(sorted.begin(), sorted.end());
  for (int i = 0; i < 50; ++i) CHECK(sorted[size_t(i)] == float(i));
  CHECK(vec(p) != sorted);  // shuffled (the chance of the identity is 1/50!)
  CHECK(randperm(0).shape() == Shape{0});

  manual_seed(6);
  Tensor r = randint(-3, 4, {20, 50});
  manual_seed(6);
  CHECK(vec(randint(-3, 4, {20, 50})) == vec(r));
  std::set<float> seen(r.vec().begin(), r.vec().end());
  CHECK(seen == std::set<float>{-3, -2, -1, 0, 1, 2, 3});  // 1000 draws of 7 values: all appear
  CHECK_THROWS_WITH(randint(3, 3, {2}), Catch::Contains("randint: low must be less than high, got low 3 and high 3"));
  CHECK_THROWS_WITH(randint(0, int64_t(1) << 26, {2}), Catch::Contains("must lie within"));
  CHECK_THROWS_WITH(randint(0, 2, {-1}), Catch::Contains("randint: sizes must be non-negative"));
  CHECK_THROWS_WITH(randperm(-1), Catch::Contains("randperm: n must be in [0, 16777216]"));
}

TEST_CASE("Rng::below is uniform over 0 .. n-1", "[ops-more]") {
  Rng rng(3);
  std::vector<int> count(6, 0);
  for (int i = 0; i < 60000; ++i) ++count[rng.below(6)];
  for (int c : count) CHECK(std::abs(c - 10000) < 500);  // about 5 standard deviations
}
