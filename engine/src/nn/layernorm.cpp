// LayerNorm over the last dim, llm.c style: forward caches each row's mean and 1/std,
// backward reads them back.
#include <cmath>
#include <vector>

#include "gradlab/check.h"
#include "gradlab/layers.h"
#include "../autograd/graph.h"

namespace gradlab::nn {

using autograd::input_grad;
using autograd::out_grad;
using autograd::record;

namespace {

// What backward needs from forward, one entry per row of x.
struct LayerNormCache {
  std::vector<float> mean;  // (R)
  std::vector<float> rstd;  // (R) 1 / √(var + eps), var the biased variance
};

// out (R, C) = (x - mean) · rstd · weight + bias; weight and bias may be null (no affine)
void layernorm_forward(float* out, LayerNormCache& cache, const float* x, const float* weight,
                       const float* bias, int64_t R, int64_t C, float eps) {
  cache.mean.resize(size_t(R));
  cache.rstd.resize(size_t(R));
  for (int64_t r = 0; r < R; ++r) {
    const float* xr = x + r * C;
    double m = 0;
    for (int64_t c = 0; c < C; ++c) m += xr[c];
    m /= double(C);
    double v = 0;
    for (int64_t c = 0; c < C; ++c) v += (xr[c] - m) * (xr[c] - m);
    v /= double(C);
    float rstd = float(1.0 / std::sqrt(v + double(eps)));
    float* o = out + r * C;
    for (int64_t c = 0; c < C; ++c) {
      float norm = (xr[c] - float(m)) * rstd;
      o[c] = norm * (weight ? weight[c] : 1.f) + (bias ? bias[c] : 0.f);
    }
    cache.mean[size_t(r)] = float(m);
    cache.rstd[size_t(r)] = rstd;
  }
}

// forward: norm = (x - mean) · rstd;  out = norm · w + b
//   =>  dbias += dout;  dweight += norm · dout;  dnorm = dout · w
//       dx += rstd · (dnorm - mean(dnorm) - norm · mean(dnorm · norm))
// Any of dx, dweight, dbias may be null (not needed).
void layernorm_backward(float* dx, float* dweight, float* dbias, const float* dout, const float* x,
                        const float* weight, const LayerNormCache& cache, int64_t R, int64_t C) {
  for (int64_t r = 0; r < R; ++r) {
    const float* xr = x + r * C;
    const float* dr = dout + r * C;
    float mean = cache.mean[size_t(r)], rstd = cache.rstd[size_t(r)];
    double dnorm_mean = 0, dnorm_norm_mean = 0;
    for (int64_t c = 0; c < C; ++c) {
      float norm = (xr[c] - mean) * rstd;
      float dnorm = dr[c] * (weight ? weight[c] : 1.f);
      dnorm_mean += dnorm;
      dnorm_norm_mean += double(dnorm) * norm;
    }
    dnorm_mean /= double(C);
    dnorm_norm_mean /= double(C);
    for (int64_t c = 0; c < C; ++c) {
      float norm = (xr[c] - mean) * rstd;
      float dnorm = dr[c] * (weight ? weight[c] : 1.f);
      if (dbias) dbias[c] += dr[c];
      if (dweight) dweight[c] += norm * dr[c];
      if (dx) dx[r * C + c] += rstd * (dnorm - float(dnorm_mean) - norm * float(dnorm_norm_mean));
    }
  }
}

}  // namespace

// ---- layer_norm: x (*, C), weight and bias (C) or undefined
Tensor layer_norm(const Tensor& x, const Tensor& weight, const Tensor& bias, float eps) {
  GL_CHECK(x.dim() >= 1, "LayerNorm: expected input (*, C), got a 0-D tensor");
  int64_t C = x.size(-1);
  GL_CHECK(!weight.defined() || weight.shape() == Shape{C}, "LayerNorm: expected input (*, ",
           weight.defined() ? weight.numel() : C, "), got ", shape_str(x.shape()));
  GL_CHECK(!bias.defined() || bias.shape() == Shape{C}, "LayerNorm: expected bias (", C, ",), got ",
           shape_str(bias.shape()));
  GL_CHECK(eps > 0.f, "LayerNorm: eps must be positive, got ", eps);
  int64_t R = C > 0 ? x.numel() / C : 0;
  Tensor y = Tensor::empty(x.shape(), "LayerNorm");
  LayerNormCache cache;
  layernorm_forward(y.data(), cache, x.data(), weight.defined() ? weight.data() : nullptr,
                    bias.defined() ? bias.data() : nullptr, R, C, eps);
  std::vector<Tensor> inputs{x};
  int w_at = -1, b_at = -1;  // where weight and bias sit among the node's inputs
  if (weight.defined()) { w_at = int(inputs.size()); inputs.push_back(weight); }
  if (bias.defined()) { b_at = int(inputs.size()); inputs.push_back(bias); }
  return record("LayerNorm", y, inputs, [cache = std::move(cache), R, C, w_at, b_at](Node& y) {
    const float* w = w_at >= 0 ? y.inputs[size_t(w_at)]->data.data() : nullptr;
    layernorm_backward(input_grad(y, 0), w_at >= 0 ? input_grad(y, size_t(w_at)) : nullptr,
                       b_at >= 0 ? input_grad(y, size_t(b_at)) : nullptr, out_grad(y),
                       y.inputs[0]->data.data(), w, cache, R, C);
  });
}

LayerNorm::LayerNorm(int64_t normalized_shape_, float eps_, bool elementwise_affine)
    : normalized_shape(normalized_shape_), eps(eps_) {
  GL_CHECK(normalized_shape > 0, "LayerNorm: normalized_shape must be positive, got ", normalized_shape);
  GL_CHECK(eps > 0.f, "LayerNorm: eps must be positive, got ", eps);
  numel_of({normalized_shape}, "LayerNorm");  // a huge size is refused in LayerNorm's name
  if (elementwise_affine) {
    weight = Tensor::ones({normalized_shape}, true);
    bias = Tensor::zeros({normalized_shape}, true);
  }
}

Tensor LayerNorm::forward(const Tensor& x) {
  GL_CHECK(x.dim() >= 1 && x.size(-1) == normalized_shape, "LayerNorm: expected input (*, ",
           normalized_shape, "), got ", shape_str(x.shape()));
  return layer_norm(x, weight, bias, eps);
}

std::vector<Tensor> LayerNorm::parameters() const {
  if (!weight.defined()) return {};
  return {weight, bias};
}

}  // namespace gradlab::nn
