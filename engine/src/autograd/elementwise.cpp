// Elementwise ops: binary ones with NumPy broadcasting, then the activations.
#include <algorithm>
#include <cmath>
#include <memory>
#include <optional>

#include "gradlab/check.h"
#include "gradlab/ops.h"
#include "broadcast.h"
#include "graph.h"

namespace gradlab {

using autograd::input_grad;
using autograd::out_grad;
using autograd::record;
using broadcast::Broadcast;
using broadcast::binary_forward;
using broadcast::plan;

// ---- add: y = a + b
Tensor add(const Tensor& a, const Tensor& b) {
  Broadcast p = plan("add", a, b);
  Tensor y = binary_forward("add", a, b, p, [](float u, float v) { return u + v; });
  return record("add", y, {a, b}, [p](Node& y) {
    // forward: y = a + b  =>  da += dy, db += dy (summed over broadcast dims)
    const float* dy = out_grad(y);
    int64_t n = int64_t(y.data.size());
    if (float* da = input_grad(y, 0)) for (int64_t i = 0; i < n; ++i) da[p.a(i)] += dy[i];
    if (float* db = input_grad(y, 1)) for (int64_t i = 0; i < n; ++i) db[p.b(i)] += dy[i];
  });
}

// ---- sub: y = a - b
Tensor sub(const Tensor& a, const Tensor& b) {
  Broadcast p = plan("sub", a, b);
  Tensor y = binary_forward("sub", a, b, p, [](float u, float v) { return u - v; });
  return record("sub", y, {a, b}, [p](Node& y) {
    // forward: y = a - b  =>  da += dy, db -= dy
    const float* dy = out_grad(y);
    int64_t n = int64_t(y.data.size());
    if (float* da = input_grad(y, 0)) for (int64_t i = 0; i < n; ++i) da[p.a(i)] += dy[i];
    if (float* db = input_grad(y, 1)) for (int64_t i = 0; i < n; ++i) db[p.b(i)] -= dy[i];
  });
}

// ---- mul: y = a * b
Tensor mul(const Tensor& a, const Tensor& b) {
  Broadcast p = plan("mul", a, b);
  Tensor y = binary_forward("mul", a, b, p, [](float u, float v) { return u * v; });
  return record("mul", y, {a, b}, [p](Node& y) {
    // forward: y = a * b  =>  da += dy * b, db += dy * a
    const float* dy = out_grad(y);
    const float* a = y.inputs[0]->data.data();
    const float* b = y.inputs[1]->data.data();
    int64_t n = int64_t(y.data.size());
    if (float* da = input_grad(y, 0))
      for (int64_t i = 0; i < n; ++i) da[p.a(i)] += dy[i] * b[p.b(i)];
    if (float* db = input_grad(y, 1))
      for (int64_t i = 0; i < n; ++i) db[p.b(i)] += dy[i] * a[p.a(i)];
  });
}

// ---- div: y = a / b
Tensor div(const Tensor& a, const Tensor& b) {
  Broadcast p = plan("div", a, b);
  Tensor y = binary_forward("div", a, b, p, [](float u, float v) { return u / v; });
  return record("div", y, {a, b}, [p](Node& y) {
    // forward: y = a / b  =>  da += dy / b, db -= dy * a / b²
    const float* dy = out_grad(y);
    const float* a = y.inputs[0]->data.data();
    const float* b = y.inputs[1]->data.data();
    int64_t n = int64_t(y.data.size());
    // a zero dy adds nothing (as in unary below): where(b != 0, a / b, 0) stays finite
    if (float* da = input_grad(y, 0))
      for (int64_t i = 0; i < n; ++i)
        if (dy[i] != 0.f) da[p.a(i)] += dy[i] / b[p.b(i)];
    if (float* db = input_grad(y, 1))
      for (int64_t i = 0; i < n; ++i) {
        if (dy[i] == 0.f) continue;
        float bv = b[p.b(i)];
        db[p.b(i)] -= dy[i] * a[p.a(i)] / (bv * bv);
      }
  });
}

namespace {
// y[i] = f(x[i]); backward gets (dy, x, y) per element and returns dx.
template <class F, class G>
Tensor unary(const char* op, const Tensor& x, F f, G dfdx) {
  Tensor y = Tensor::empty(x.shape(), op);
  const float* px = x.data();
  float* py = y.data();
  int64_t n = x.numel();
  for (int64_t i = 0; i < n; ++i) py[i] = f(px[i]);
  return record(op, y, {x}, [dfdx](Node& y) {
    const float* dy = out_grad(y);
    const float* x = y.inputs[0]->data.data();
    const float* yv = y.data.data();
    float* dx = input_grad(y, 0);
    int64_t n = int64_t(y.data.size());
    // A zero dy adds nothing, even where the slope is infinite (log, sqrt at 0): so
    // where(x > 0, x.log(), 0) gets clean gradients where PyTorch would give NaN.
    for (int64_t i = 0; i < n; ++i)
      if (dy[i] != 0.f) dx[i] += dfdx(dy[i], x[i], yv[i]);
  });
}
}  // namespace

// forward: y = -x  =>  dx -= dy
Tensor neg(const Tensor& x) {
  return unary("neg", x, [](float v) { return -v; }, [](float dy, float, float) { return -dy; });
}

// forward: y = 1 / (1 + e^-x)  =>  dx += dy * y * (1 - y)
Tensor sigmoid(const Tensor& x) {
  return unary(
      "sigmoid", x, [](float v) { return 1.f / (1.f + std::exp(-v)); },
      [](float dy, float, float y) { return dy * y * (1.f - y); });
}

// forward: y = tanh(x)  =>  dx += dy * (1 - y²)
Tensor tanh(const Tensor& x) {
  return unary(
      "tanh", x, [](float v) { return std::tanh(v); },
      [](float dy, float, float y) { return dy * (1.f - y * y); });
}

// forward: y = max(x, 0)  =>  dx += dy * [x > 0]
Tensor relu(const Tensor& x) {
  return unary(
      "relu", x, [](float v) { return v > 0.f ? v : 0.f; },
      [](float dy, float x, float) { return x > 0.f ? dy : 0.f; });
}

// forward: y = e^x  =>  dx += dy * y
Tensor exp(const Tensor& x) {
  return unary(
      "exp", x, [](float v) { return std::exp(v); }, [](float dy, float, float y) { return dy * y; });
}

// forward: y = ln x  =>  dx += dy / x
Tensor log(const Tensor& x) {
  return unary(
      "log", x, [](float v) { return std::log(v); }, [](float dy, float x, float) { return dy / x; });
}

// forward: y = x²  =>  dx += 2 x dy
Tensor square(const Tensor& x) {
  return unary(
      "square", x, [](float v) { return v * v; },
      [](float dy, float x, float) { return 2.f * x * dy; });
}


// forward: y = √x  =>  dx += dy / (2 y)
Tensor sqrt(const Tensor& x) {
  return unary(
      "sqrt", x, [](float v) { return std::sqrt(v); },
      [](float dy, float, float y) { return dy / (2.f * y); });
}

// forward: y = |x|  =>  dx += dy · sign(x), 0 at x = 0
Tensor abs(const Tensor& x) {
  return unary(
      "abs", x, [](float v) { return std::fabs(v); },
      [](float dy, float x, float) { return x > 0.f ? dy : x < 0.f ? -dy : 0.f; });
}

// forward: y = x^p  =>  dx += dy · p · x^(p-1); nothing when p = 0 (y is constant 1)
Tensor pow(const Tensor& x, float p) {
  GL_CHECK(std::isfinite(p), "pow: exponent must be a finite number, got ", p);
  return unary(
      "pow", x, [p](float v) { return std::pow(v, p); },
      [p](float dy, float x, float) { return p == 0.f ? 0.f : dy * p * std::pow(x, p - 1.f); });
}

// forward: y = min(max(x, lo), hi)  =>  dx += dy where lo ≤ x ≤ hi (bounds included)
Tensor clamp(const Tensor& x, std::optional<float> min, std::optional<float> max) {
  GL_CHECK(min || max, "clamp: at least one of min and max must be given");
  GL_CHECK(!min || !std::isnan(*min), "clamp: min must be a number, got NaN");
  GL_CHECK(!max || !std::isnan(*max), "clamp: max must be a number, got NaN");
  const float lo = min.value_or(-INFINITY), hi = max.value_or(INFINITY);
  // lo applied first, then hi: with lo > hi every element becomes hi, as in PyTorch
  return unary(
      "clamp", x,
      [lo, hi](float v) {
        if (v < lo) v = lo;
        if (v > hi) v = hi;
        return v;  // a NaN fails both comparisons and stays NaN
      },
      [lo, hi](float dy, float x, float) { return x >= lo && x <= hi ? dy : 0.f; });
}

// forward: y = ⌊x⌋  =>  dx += 0 (a step function: zero slope almost everywhere)
Tensor floor(const Tensor& x) {
  return unary(
      "floor", x, [](float v) { return std::floor(v); }, [](float, float, float) { return 0.f; });
}

}  // namespace gradlab
