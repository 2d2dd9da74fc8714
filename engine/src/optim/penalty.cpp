// L1 and L2 penalties over a list of parameters: one node whose inputs are all of them.
#include <cmath>

#include "../autograd/graph.h"
#include "gradlab/check.h"
#include "gradlab/training.h"

namespace gradlab::nn::utils {

using autograd::input_grad;
using autograd::out_grad;
using autograd::record;

namespace {
void check_params(const char* who, const std::vector<Tensor>& params, double weight) {
  GL_CHECK(!params.empty(), who, ": got an empty parameter list");
  GL_CHECK(std::isfinite(weight), who, ": weight must be a finite number, got ", weight);
  for (size_t i = 0; i < params.size(); ++i) GL_CHECK(params[i].defined(), who, ": parameter ", i, " is undefined");
}
}  // namespace

// ---- l1_penalty: y = w · Σ_k Σ_i |p_ki|
Tensor l1_penalty(const std::vector<Tensor>& params, double weight) {
  check_params("l1_penalty", params, weight);
  double s = 0;
  for (const Tensor& p : params)
    for (float v : p.vec()) s += std::abs(double(v));
  Tensor y = Tensor::scalar(float(weight * s));
  return record("l1_penalty", y, params, [weight](Node& y) {
    // forward: y = w Σ |p|  =>  dp += dy · w · sign(p)   (sign(0) = 0, as torch.abs')
    const float g = float(double(out_grad(y)[0]) * weight);
    for (size_t k = 0; k < y.inputs.size(); ++k) {
      float* dp = input_grad(y, k);
      if (!dp) continue;
      const std::vector<float>& p = y.inputs[k]->data;
      for (size_t i = 0; i < p.size(); ++i) dp[i] += p[i] > 0.f ? g : p[i] < 0.f ? -g : 0.f;
    }
  });
}

// ---- l2_penalty: y = w · Σ_k Σ_i p_ki²
Tensor l2_penalty(const std::vector<Tensor>& params, double weight) {
  check_params("l2_penalty", params, weight);
  double s = 0;
  for (const Tensor& p : params)
    for (float v : p.vec()) s += double(v) * v;
  Tensor y = Tensor::scalar(float(weight * s));
  return record("l2_penalty", y, params, [weight](Node& y) {
    // forward: y = w Σ p²  =>  dp += dy · 2w · p
    const float g = float(2.0 * double(out_grad(y)[0]) * weight);
    for (size_t k = 0; k < y.inputs.size(); ++k) {
      float* dp = input_grad(y, k);
      if (!dp) continue;
      const std::vector<float>& p = y.inputs[k]->data;
      for (size_t i = 0; i < p.size(); ++i) dp[i] += g * p[i];
    }
  });
}

}  // namespace gradlab::nn::utils
