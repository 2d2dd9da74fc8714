// GELU(x) = x·Φ(x), Φ the standard normal CDF, in PyTorch's two forms.
#include <cmath>

#include "gradlab/check.h"
#include "gradlab/layers.h"
#include "graph.h"

namespace gradlab {

using autograd::input_grad;
using autograd::out_grad;
using autograd::record;

namespace {

constexpr float kSqrt2OverPi = 0.7978845608028654f;  // √(2/π)
constexpr float kCubic = 0.044715f;
constexpr float kInvSqrt2 = 0.7071067811865476f;     // 1/√2
constexpr float kInvSqrt2Pi = 0.3989422804014327f;   // 1/√(2π)

// Tanh form (approximate='tanh'): y = ½ x (1 + tanh u),  u = √(2/π) (x + 0.044715 x³)
void gelu_tanh_forward(float* y, const float* x, int64_t n) {
  for (int64_t i = 0; i < n; ++i) {
    float v = x[i];
    float u = kSqrt2OverPi * (v + kCubic * v * v * v);
    y[i] = 0.5f * v * (1.f + std::tanh(u));
  }
}

// forward: y = ½ x (1 + tanh u)
//   =>  dx += dy · (½ (1 + tanh u) + ½ x (1 - tanh² u) · √(2/π) (1 + 3·0.044715 x²))
void gelu_tanh_backward(float* dx, const float* dy, const float* x, int64_t n) {
  for (int64_t i = 0; i < n; ++i) {
    float v = x[i];
    float t = std::tanh(kSqrt2OverPi * (v + kCubic * v * v * v));
    float du = kSqrt2OverPi * (1.f + 3.f * kCubic * v * v);
    dx[i] += dy[i] * (0.5f * (1.f + t) + 0.5f * v * (1.f - t * t) * du);
  }
}

// Exact form (approximate='none'): y = x Φ(x) = ½ x (1 + erf(x/√2))
void gelu_exact_forward(float* y, const float* x, int64_t n) {
  for (int64_t i = 0; i < n; ++i) y[i] = 0.5f * x[i] * (1.f + std::erf(x[i] * kInvSqrt2));
}

// forward: y = x Φ(x)  =>  dx += dy · (Φ(x) + x φ(x)),  φ(x) = e^{-x²/2} / √(2π)
void gelu_exact_backward(float* dx, const float* dy, const float* x, int64_t n) {
  for (int64_t i = 0; i < n; ++i) {
    float v = x[i];
    float cdf = 0.5f * (1.f + std::erf(v * kInvSqrt2));
    float pdf = kInvSqrt2Pi * std::exp(-0.5f * v * v);
    dx[i] += dy[i] * (cdf + v * pdf);
  }
}

}  // namespace

// ---- gelu: the backward reads the input x
Tensor gelu(const Tensor& x, GeluApprox approximate) {
  bool exact = approximate == GeluApprox::Exact;
  const char* op = exact ? "gelu" : "gelu_tanh";
  Tensor y = Tensor::empty(x.shape(), op);
  (exact ? gelu_exact_forward : gelu_tanh_forward)(y.data(), x.data(), x.numel());
  return record(op, y, {x}, [exact](Node& y) {
    (exact ? gelu_exact_backward : gelu_tanh_backward)(input_grad(y, 0), out_grad(y),
                                                      y.inputs[0]->data.data(),
                                                      int64_t(y.data.size()));
  });
}

}  // namespace gradlab
