// Every differentiable op against central differences.
#include "gradcheck.h"

using namespace gradlab;
using gradlab::testing::check_gradients;
using gradlab::testing::GradCheck;
using gradlab::testing::param;

namespace {
// Values at least 0.1 away from 0, so ReLU's kink is never inside the finite-difference step.
Tensor param_off_kink(const Shape& s) {
  Tensor t = Tensor::randn(s, true);
  for (float& v : t.vec()) v = v >= 0 ? v + 0.1f : v - 0.1f;
  return t;
}
Tensor positive(const Shape& s, float lo, float hi) {
  Tensor t = Tensor::rand(s, true);
  for (float& v : t.vec()) v = lo + (hi - lo) * v;
  return t;
}
}  // namespace

TEST_CASE("gradcheck: add, sub, mul, div with equal shapes", "[gradcheck]") {
  manual_seed(1);
  std::vector<Tensor> in{param({4, 5}), positive({4, 5}, 0.5f, 2.f)};
  check_gradients("add", in, [](auto& v) { return add(v[0], v[1]); });
  check_gradients("sub", in, [](auto& v) { return sub(v[0], v[1]); });
  check_gradients("mul", in, [](auto& v) { return mul(v[0], v[1]); });
  check_gradients("div", in, [](auto& v) { return div(v[0], v[1]); });
}

TEST_CASE("gradcheck: broadcasting a bias row, a column and a scalar", "[gradcheck]") {
  manual_seed(2);
  Tensor x = param({3, 4, 5});
  Tensor row = positive({5}, 0.5f, 2.f);
  Tensor col = positive({3, 1, 5}, 0.5f, 2.f);
  Tensor s = positive({}, 0.5f, 2.f);
  check_gradients("add row", {x, row}, [](auto& v) { return add(v[0], v[1]); });
  check_gradients("mul row", {x, row}, [](auto& v) { return mul(v[0], v[1]); });
  check_gradients("sub row reversed", {row, x}, [](auto& v) { return sub(v[0], v[1]); });
  check_gradients("mul (3,1,5)", {x, col}, [](auto& v) { return mul(v[0], v[1]); });
  check_gradients("div (3,1,5)", {x, col}, [](auto& v) { return div(v[0], v[1]); });
  check_gradients("mul scalar", {x, s}, [](auto& v) { return mul(v[0], v[1]); });
  check_gradients("div by scalar", {s, x}, [](auto& v) { return div(v[1], v[0]); });
}

TEST_CASE("gradcheck: activations", "[gradcheck]") {
  manual_seed(3);
  Tensor x = param({6, 7});
  check_gradients("sigmoid", {x}, [](auto& v) { return sigmoid(v[0]); });
  check_gradients("tanh", {x}, [](auto& v) { return tanh(v[0]); });
  check_gradients("neg", {x}, [](auto& v) { return neg(v[0]); });
  check_gradients("exp", {x}, [](auto& v) { return exp(v[0]); });
  check_gradients("square", {x}, [](auto& v) { return square(v[0]); });
  check_gradients("relu", {param_off_kink({6, 7})}, [](auto& v) { return relu(v[0]); });
  check_gradients("log", {positive({6, 7}, 0.5f, 3.f)}, [](auto& v) { return log(v[0]); });
}

TEST_CASE("gradcheck: matmul (2-D and with leading dims) and transpose", "[gradcheck]") {
  manual_seed(4);
  check_gradients("matmul 2-D", {param({5, 6}), param({6, 3})},
                  [](auto& v) { return matmul(v[0], v[1]); });
  check_gradients("matmul 3-D @ 2-D", {param({2, 4, 6}), param({6, 3})},
                  [](auto& v) { return matmul(v[0], v[1]); });
  check_gradients("transpose", {param({4, 7})}, [](auto& v) { return transpose(v[0]); });
  check_gradients("matmul with transpose", {param({5, 6}), param({3, 6})},
                  [](auto& v) { return matmul(v[0], transpose(v[1])); });
}

TEST_CASE("gradcheck: cat along every dim, select, reshape", "[gradcheck]") {
  manual_seed(5);
  Tensor a = param({2, 3, 4});
  for (int64_t dim : {0, 1, 2, -1}) {
    Shape sb = a.shape();
    sb[size_t(dim < 0 ? dim + 3 : dim)] = 2;
    Tensor b = param(sb);
    check_gradients("cat dim " + std::to_string(dim), {a, b},
                    [dim](auto& v) { return cat({v[0], v[1]}, dim); });
  }
  check_gradients("cat of three along 1", {param({4, 2}), param({4, 3}), param({4, 1})},
                  [](auto& v) { return cat({v[0], v[1], v[2]}, 1); });
  check_gradients("select time step", {param({3, 5, 4})},
                  [](auto& v) { return select(v[0], 1, 2); });
  check_gradients("select last, negative index", {param({3, 5, 4})},
                  [](auto& v) { return select(v[0], -1, -1); });
  check_gradients("reshape", {param({3, 4})}, [](auto& v) { return reshape(v[0], {2, -1}); });
}

TEST_CASE("gradcheck: reductions and losses", "[gradcheck]") {
  manual_seed(6);
  Tensor x = param({4, 5});
  check_gradients("sum", {x}, [](auto& v) { return sum(v[0]); });
  check_gradients("mean", {x}, [](auto& v) { return mean(v[0]); });
  check_gradients("norm", {x}, [](auto& v) { return norm(v[0]); });
  check_gradients("mse_loss", {param({8, 3}), param({8, 3})},
                  [](auto& v) { return mse_loss(v[0], v[1]); });
  Tensor p = positive({8, 3}, 0.1f, 0.9f);
  Tensor t = positive({8, 3}, 0.f, 1.f);
  GradCheck fine;
  fine.eps = 1e-3f;
  check_gradients("bce_loss", {p, t}, [](auto& v) { return bce_loss(v[0], v[1]); }, fine);
}

TEST_CASE("gradcheck: Linear with and without bias, on 2-D and 3-D input", "[gradcheck]") {
  manual_seed(7);
  nn::Linear lin(6, 4);
  check_gradients("Linear 2-D", {param({5, 6}), lin.weight, lin.bias},
                  [](auto& v) { return nn::linear(v[0], v[1], v[2]); });
  check_gradients("Linear 3-D", {param({2, 3, 6}), lin.weight, lin.bias},
                  [](auto& v) { return nn::linear(v[0], v[1], v[2]); });
  nn::Linear nobias(6, 4, false);
  check_gradients("Linear no bias", {param({5, 6}), nobias.weight},
                  [](auto& v) { return nn::linear(v[0], v[1], Tensor()); });
}

TEST_CASE("gradcheck: a hand-built LSTM cell, composed from the ops", "[gradcheck]") {
  manual_seed(8);
  const int64_t B = 3, D = 4, H = 5;
  nn::Linear gi(D + H, H), gf(D + H, H), go(D + H, H), gg(D + H, H);
  Tensor x = param({B, D}), h = param({B, H}), c = param({B, H});
  auto cell = [&](auto& v) {
    Tensor xh = cat({v[0], v[1]}, 1);
    Tensor i = sigmoid(gi.forward(xh)), f = sigmoid(gf.forward(xh));
    Tensor o = sigmoid(go.forward(xh)), g = tanh(gg.forward(xh));
    Tensor c_next = add(mul(f, v[2]), mul(i, g));
    return cat({mul(o, tanh(c_next)), c_next}, 1);
  };
  check_gradients("LSTM cell", {x, h, c, gi.weight, gf.bias}, cell);
}
