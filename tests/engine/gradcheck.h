// Finite-difference check of an op's backward: compares autograd's gradient of
// L = Σ w ⊙ f(inputs) (w fixed random weights) with central differences.
// Every input's gradient starts at a random value, not 0, and what backward *added* is
// compared: a backward that assigns (dc_prev = …) where it must accumulate (+=) fails here.
#pragma once
#include <catch2/catch.hpp>

#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include "gradlab/gradlab.h"

namespace gradlab::testing {

struct GradCheck {
  float eps = 1e-2f;      // float32: a large step keeps rounding error small against the slope
  float rtol = 2e-2f;
  float atol = 2e-3f;
  int max_probes = 48;    // elements probed per input (evenly spread)
  uint64_t seed = 1234;
};

using Fn = std::function<Tensor(const std::vector<Tensor>&)>;

// A random input that takes part in the gradient check.
inline Tensor param(const Shape& s) { return Tensor::randn(s, true); }

inline double weighted_sum(const Tensor& y, const std::vector<float>& w) {
  double s = 0;
  for (size_t i = 0; i < w.size(); ++i) s += double(w[i]) * y.data()[i];
  return s;
}

// `inputs` that require grad are checked; the others are held fixed.
inline void check_gradients(const std::string& name, std::vector<Tensor> inputs, const Fn& f,
                            GradCheck opt = {}) {
  Rng rng(opt.seed);
  Tensor y = f(inputs);
  std::vector<float> w(size_t(y.numel()));
  for (float& v : w) v = rng.uniform(-1.f, 1.f);
  for (Tensor& x : inputs) {
    if (!x.requires_grad()) continue;
    REQUIRE(x.is_leaf());
    float* g = x.node().grad_data();
    for (int64_t i = 0; i < x.numel(); ++i) g[i] = rng.uniform(-1.f, 1.f);
  }
  std::vector<std::vector<float>> before(inputs.size());  // after all are seeded: an input
  for (size_t k = 0; k < inputs.size(); ++k)               // passed twice has one gradient
    if (inputs[k].requires_grad()) before[k] = inputs[k].grad().vec();
  Tensor seed = Tensor::from(w, y.shape());
  y.backward(seed);

  for (size_t k = 0; k < inputs.size(); ++k) {
    Tensor& x = inputs[k];
    if (!x.requires_grad()) continue;
    REQUIRE(x.grad().defined());
    int64_t n = x.numel();
    int64_t stride = std::max<int64_t>(1, n / opt.max_probes);
    for (int64_t i = 0; i < n; i += stride) {
      float keep = x.data()[i];
      double up, down;
      {
        NoGradGuard no_grad;
        x.data()[i] = keep + opt.eps;
        up = weighted_sum(f(inputs), w);
        x.data()[i] = keep - opt.eps;
        down = weighted_sum(f(inputs), w);
        x.data()[i] = keep;
      }
      double numeric = (up - down) / (2.0 * opt.eps);
      double analytic = double(x.grad().data()[i]) - double(before[k][size_t(i)]);
      INFO(name << ": input " << k << " " << shape_str(x.shape()) << " element " << i
                << ", eps " << opt.eps << ", seed " << opt.seed << ", gradient seeded with "
                << before[k][size_t(i)]);
      CHECK(std::abs(numeric - analytic) <= opt.atol + opt.rtol * std::abs(numeric));
    }
  }
}

}  // namespace gradlab::testing
