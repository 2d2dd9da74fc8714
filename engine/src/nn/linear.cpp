#include <cmath>

#include "gradlab/check.h"
#include "gradlab/kernels.h"
#include "gradlab/nn.h"
#include "gradlab/rng.h"
#include "../autograd/graph.h"

namespace gradlab::nn {

using autograd::input_grad;
using autograd::out_grad;
using autograd::record;

int64_t Module::num_parameters() const {
  int64_t n = 0;
  for (const Tensor& p : parameters()) n += p.numel();
  return n;
}

// ---- linear: y (R, out) = x (R, in) · Wᵀ + b, one GEMM forward, two backward
Tensor linear(const Tensor& x, const Tensor& weight, const Tensor& bias) {
  GL_CHECK(weight.dim() == 2, "linear: weight must be 2-D (out, in), got ",
           shape_str(weight.shape()));
  int64_t out = weight.size(0), in = weight.size(1);
  GL_CHECK(x.dim() >= 1 && x.size(-1) == in, "Linear: expected input (*, ", in, "), got ",
           shape_str(x.shape()));
  GL_CHECK(!bias.defined() || bias.shape() == Shape{out}, "Linear: expected bias (", out,
           ",), got ", shape_str(bias.shape()));
  int64_t R = 1;
  for (int64_t i = 0; i + 1 < x.dim(); ++i) R *= x.size(i);
  Shape out_shape = x.shape();
  out_shape.back() = out;
  Tensor y = Tensor::empty(out_shape, "Linear");
  kernels::gemm(false, true, R, out, in, x.data(), weight.data(), 0.f, y.data());
  if (bias.defined()) {
    const float* b = bias.data();
    float* py = y.data();
    for (int64_t r = 0; r < R; ++r)
      for (int64_t j = 0; j < out; ++j) py[r * out + j] += b[j];
  }
  std::vector<Tensor> inputs{x, weight};
  if (bias.defined()) inputs.push_back(bias);
  return record("Linear", y, inputs, [R, in, out](Node& y) {
    const float* dy = out_grad(y);  // (R, out)
    // forward: y = x · Wᵀ + b  =>  dx += dy · W, dW += dyᵀ · x, db += Σ_rows dy
    if (float* dx = input_grad(y, 0))
      kernels::gemm(false, false, R, in, out, dy, y.inputs[1]->data.data(), 1.f, dx);
    if (float* dW = input_grad(y, 1))
      kernels::gemm(true, false, out, in, R, dy, y.inputs[0]->data.data(), 1.f, dW);
    if (y.inputs.size() > 2)
      if (float* db = input_grad(y, 2))
        for (int64_t r = 0; r < R; ++r)
          for (int64_t j = 0; j < out; ++j) db[j] += dy[r * out + j];
  });
}

Linear::Linear(int64_t in_features, int64_t out_features, bool with_bias)
    : in_features(in_features), out_features(out_features) {
  GL_CHECK(in_features > 0 && out_features > 0,
           "Linear: in_features and out_features must be positive, got in_features=",
           in_features, ", out_features=", out_features);
  float bound = 1.f / std::sqrt(float(in_features));
  Rng& rng = global_rng();
  weight = Tensor::empty({out_features, in_features}, "Linear");
  for (float& v : weight.vec()) v = rng.uniform(-bound, bound);
  weight.set_requires_grad(true);
  if (with_bias) {
    bias = Tensor::empty({out_features}, "Linear");
    for (float& v : bias.vec()) v = rng.uniform(-bound, bound);
    bias.set_requires_grad(true);
  }
}

Tensor Linear::forward(const Tensor& x) const { return linear(x, weight, bias); }

std::vector<Tensor> Linear::parameters() const {
  if (bias.defined()) return {weight, bias};
  return {weight};
}

}  // namespace gradlab::nn
