// Reductions to a scalar, and the losses built on them.
#include <algorithm>
#include <cmath>

#include "gradlab/check.h"
#include "gradlab/ops.h"
#include "graph.h"

namespace gradlab {

using autograd::input_grad;
using autograd::out_grad;
using autograd::record;

namespace {
double sum_of(const float* x, int64_t n) {
  double s = 0;
  for (int64_t i = 0; i < n; ++i) s += x[i];
  return s;
}
void check_same(const char* op, const Tensor& pred, const Tensor& target) {
  GL_CHECK(pred.shape() == target.shape(), op, ": input ", shape_str(pred.shape()),
           " and target ", shape_str(target.shape()), " must have the same shape");
  GL_CHECK(pred.numel() > 0, op, ": empty input ", shape_str(pred.shape()));
}
}  // namespace

// ---- sum: y = Σ x
Tensor sum(const Tensor& x) {
  Tensor y = Tensor::scalar(float(sum_of(x.data(), x.numel())));
  return record("sum", y, {x}, [](Node& y) {
    // forward: y = Σ x  =>  dx += dy
    float dy = out_grad(y)[0];
    float* dx = input_grad(y, 0);
    for (size_t i = 0; i < y.inputs[0]->data.size(); ++i) dx[i] += dy;
  });
}

// ---- mean: y = Σ x / n
Tensor mean(const Tensor& x) {
  int64_t n = x.numel();
  GL_CHECK(n > 0, "mean: empty tensor ", shape_str(x.shape()));
  Tensor y = Tensor::scalar(float(sum_of(x.data(), n) / double(n)));
  return record("mean", y, {x}, [n](Node& y) {
    // forward: y = Σ x / n  =>  dx += dy / n
    float g = out_grad(y)[0] / float(n);
    float* dx = input_grad(y, 0);
    for (int64_t i = 0; i < n; ++i) dx[i] += g;
  });
}

// ---- norm: y = √(Σ x²)
Tensor norm(const Tensor& x) {
  double s = 0;
  for (float v : x.vec()) s += double(v) * v;
  Tensor y = Tensor::scalar(float(std::sqrt(s)));
  return record("norm", y, {x}, [](Node& y) {
    // forward: y = √(Σ x²)  =>  dx += dy · x / y   (0 at x = 0)
    float yv = y.data[0];
    if (yv == 0.f) return;
    float g = out_grad(y)[0] / yv;
    const float* x = y.inputs[0]->data.data();
    float* dx = input_grad(y, 0);
    for (size_t i = 0; i < y.inputs[0]->data.size(); ++i) dx[i] += g * x[i];
  });
}

// ---- mse_loss: y = mean((p - t)²)
Tensor mse_loss(const Tensor& pred, const Tensor& target) {
  check_same("mse_loss", pred, target);
  int64_t n = pred.numel();
  double s = 0;
  for (int64_t i = 0; i < n; ++i) {
    double d = double(pred.data()[i]) - target.data()[i];
    s += d * d;
  }
  Tensor y = Tensor::scalar(float(s / double(n)));
  return record("mse_loss", y, {pred, target}, [n](Node& y) {
    // forward: y = Σ (p - t)² / n  =>  dp += dy · 2 (p - t) / n, dt -= the same
    float g = 2.f * out_grad(y)[0] / float(n);
    const float* p = y.inputs[0]->data.data();
    const float* t = y.inputs[1]->data.data();
    if (float* dp = input_grad(y, 0)) for (int64_t i = 0; i < n; ++i) dp[i] += g * (p[i] - t[i]);
    if (float* dt = input_grad(y, 1)) for (int64_t i = 0; i < n; ++i) dt[i] -= g * (p[i] - t[i]);
  });
}

// ---- bce_loss: y = -mean(t ln p + (1 - t) ln(1 - p)); logs clamped at -100 as in PyTorch
Tensor bce_loss(const Tensor& prob, const Tensor& target) {
  check_same("bce_loss", prob, target);
  int64_t n = prob.numel();
  double s = 0;
  for (int64_t i = 0; i < n; ++i) {
    float p = prob.data()[i], t = target.data()[i];
    GL_CHECK(p >= 0.f && p <= 1.f, "bce_loss: input must be probabilities in [0, 1], got ", p,
             " at index ", i, " (apply sigmoid first)");
    double lp = std::max(std::log(double(p)), -100.0);
    double l1p = std::max(std::log(1.0 - double(p)), -100.0);
    s -= double(t) * lp + (1.0 - double(t)) * l1p;
  }
  Tensor y = Tensor::scalar(float(s / double(n)));
  return record("bce_loss", y, {prob, target}, [n](Node& y) {
    // forward: l = -(t ln p + (1 - t) ln(1 - p))
    //   =>  dp += dy · (p - t) / (p (1 - p)) / n,  dt += dy · (ln(1 - p) - ln p) / n
    float g = out_grad(y)[0] / float(n);
    const float* p = y.inputs[0]->data.data();
    const float* t = y.inputs[1]->data.data();
    if (float* dp = input_grad(y, 0))
      for (int64_t i = 0; i < n; ++i)
        dp[i] += g * (p[i] - t[i]) / std::max(p[i] * (1.f - p[i]), 1e-12f);
    if (float* dt = input_grad(y, 1))
      for (int64_t i = 0; i < n; ++i)
        dt[i] += g * (std::max(std::log(1.f - p[i]), -100.f) - std::max(std::log(p[i]), -100.f));
  });
}

}  // namespace gradlab
