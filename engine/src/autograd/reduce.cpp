// Reductions (of everything to a scalar, or along one dim), and the losses built on them.
#include <algorithm>
#include <cmath>
#include <vector>

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
// x seen as (outer, n, inner) around the reduced dim; y is (outer, inner), shaped `shape`
struct Along {
  int64_t outer = 1, n = 1, inner = 1;
  int64_t dim = 0;  // the reduced dim, counted from the front
  Shape shape;      // y's shape: x's without dim, or with it as 1 (keepdim)
};

Along along(const char* op, const Shape& s, int64_t dim, bool keepdim) {
  const int64_t nd = int64_t(s.size());
  const int64_t lo = nd == 0 ? -1 : -nd, hi = nd == 0 ? 0 : nd - 1;  // a 0-D x takes 0 and -1
  GL_CHECK(dim >= lo && dim <= hi, op, ": dim ", dim, " is out of range for shape ", shape_str(s));
  Along a;
  if (nd == 0) return a;  // reduces to itself
  const size_t d = size_t(dim < 0 ? dim + nd : dim);
  for (size_t k = 0; k < d; ++k) a.outer *= s[k];
  for (size_t k = d + 1; k < s.size(); ++k) a.inner *= s[k];
  a.n = s[d];
  a.dim = int64_t(d);
  a.shape = s;
  if (keepdim) a.shape[d] = 1;
  else a.shape.erase(a.shape.begin() + long(d));
  return a;
}

// every element as one row: the whole-tensor reductions
Along all_of(const Tensor& x) {
  Along a;
  a.n = x.numel();
  return a;
}

void check_not_empty(const char* op, const Shape& s, const Along& a) {
  GL_CHECK(a.n > 0, op, ": cannot reduce an empty dim: dim ", a.dim, " of shape ", shape_str(s),
           " has size 0");
}

// y (outer, inner) = scale · Σ_k x (outer, n, inner)[o, k, i], summed in double
void sum_along(float* y, const float* x, const Along& a, double scale) {
  std::vector<double> acc(size_t(a.inner));
  for (int64_t o = 0; o < a.outer; ++o) {
    std::fill(acc.begin(), acc.end(), 0.0);
    for (int64_t k = 0; k < a.n; ++k) {
      const float* row = x + (o * a.n + k) * a.inner;
      for (int64_t i = 0; i < a.inner; ++i) acc[size_t(i)] += row[i];
    }
    for (int64_t i = 0; i < a.inner; ++i) y[o * a.inner + i] = float(acc[size_t(i)] * scale);
  }
}

// dx (outer, n, inner)[o, k, i] += scale · dy (outer, inner)[o, i]: the backward of sum_along
void add_along(float* dx, const float* dy, const Along& a, float scale) {
  for (int64_t o = 0; o < a.outer; ++o)
    for (int64_t k = 0; k < a.n; ++k) {
      float* row = dx + (o * a.n + k) * a.inner;
      for (int64_t i = 0; i < a.inner; ++i) row[i] += scale * dy[o * a.inner + i];
    }
}

// (outer, inner): k of the first maximum (or minimum) of x[o, :, i]; a NaN wins, as in PyTorch
std::vector<int64_t> extreme_along(const float* x, const Along& a, bool want_max) {
  std::vector<int64_t> at(size_t(a.outer * a.inner), 0);
  for (int64_t o = 0; o < a.outer; ++o)
    for (int64_t i = 0; i < a.inner; ++i) {
      const float* col = x + o * a.n * a.inner + i;  // x[o, k, i] = col[k · inner]
      int64_t best = 0;
      for (int64_t k = 1; k < a.n && !std::isnan(col[best * a.inner]); ++k) {
        float v = col[k * a.inner], b = col[best * a.inner];
        if (std::isnan(v) || (want_max ? v > b : v < b)) best = k;
      }
      at[size_t(o * a.inner + i)] = best;
    }
  return at;
}

// y[o, i] = x[o, at[o, i], i]: max and min, the gradient going to that one element
Tensor extreme(const char* op, const Tensor& x, const Along& a, bool want_max) {
  check_not_empty(op, x.shape(), a);
  std::vector<int64_t> at = extreme_along(x.data(), a, want_max);
  Tensor y = Tensor::empty(a.shape, op);
  for (int64_t o = 0; o < a.outer; ++o)
    for (int64_t i = 0; i < a.inner; ++i)
      y.data()[o * a.inner + i] = x.data()[(o * a.n + at[size_t(o * a.inner + i)]) * a.inner + i];
  return record(op, y, {x}, [a, at = std::move(at)](Node& y) {
    // forward: y[o, i] = x[o, at, i]  =>  dx[o, at, i] += dy[o, i]
    const float* dy = out_grad(y);
    float* dx = input_grad(y, 0);
    for (int64_t o = 0; o < a.outer; ++o)
      for (int64_t i = 0; i < a.inner; ++i)
        dx[(o * a.n + at[size_t(o * a.inner + i)]) * a.inner + i] += dy[o * a.inner + i];
  });
}

Tensor argmax_of(const Tensor& x, const Along& a) {
  check_not_empty("argmax", x.shape(), a);
  std::vector<int64_t> at = extreme_along(x.data(), a, true);
  // indices are integers: no gradient (exact as floats below 2^24)
  return Tensor::from(std::vector<float>(at.begin(), at.end()), a.shape);
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

// ---- max, min, argmax of every element (an empty tensor has none)
Tensor max(const Tensor& x) {
  GL_CHECK(x.numel() > 0, "max: empty tensor ", shape_str(x.shape()));
  return extreme("max", x, all_of(x), true);
}
Tensor min(const Tensor& x) {
  GL_CHECK(x.numel() > 0, "min: empty tensor ", shape_str(x.shape()));
  return extreme("min", x, all_of(x), false);
}
Tensor argmax(const Tensor& x) {
  GL_CHECK(x.numel() > 0, "argmax: empty tensor ", shape_str(x.shape()));
  return argmax_of(x, all_of(x));
}

// ---- sum along dim: y[o, i] = Σ_k x[o, k, i]
Tensor sum(const Tensor& x, int64_t dim, bool keepdim) {
  const Along a = along("sum", x.shape(), dim, keepdim);
  Tensor y = Tensor::empty(a.shape, "sum");
  sum_along(y.data(), x.data(), a, 1.0);
  return record("sum", y, {x}, [a](Node& y) {
    // forward: y[o, i] = Σ_k x[o, k, i]  =>  dx[o, k, i] += dy[o, i]
    add_along(input_grad(y, 0), out_grad(y), a, 1.f);
  });
}

// ---- mean along dim: y[o, i] = Σ_k x[o, k, i] / n
Tensor mean(const Tensor& x, int64_t dim, bool keepdim) {
  const Along a = along("mean", x.shape(), dim, keepdim);
  check_not_empty("mean", x.shape(), a);
  Tensor y = Tensor::empty(a.shape, "mean");
  sum_along(y.data(), x.data(), a, 1.0 / double(a.n));
  return record("mean", y, {x}, [a](Node& y) {
    // forward: y[o, i] = Σ_k x[o, k, i] / n  =>  dx[o, k, i] += dy[o, i] / n
    add_along(input_grad(y, 0), out_grad(y), a, 1.f / float(a.n));
  });
}

// ---- max, min, argmax along dim
Tensor max(const Tensor& x, int64_t dim, bool keepdim) {
  return extreme("max", x, along("max", x.shape(), dim, keepdim), true);
}
Tensor min(const Tensor& x, int64_t dim, bool keepdim) {
  return extreme("min", x, along("min", x.shape(), dim, keepdim), false);
}
Tensor argmax(const Tensor& x, int64_t dim, bool keepdim) {
  return argmax_of(x, along("argmax", x.shape(), dim, keepdim));
}

// ---- norm along dim: y[o, i] = √(Σ_k x[o, k, i]²)
Tensor norm(const Tensor& x, int64_t dim, bool keepdim) {
  const Along a = along("norm", x.shape(), dim, keepdim);
  Tensor y = Tensor::empty(a.shape, "norm");
  {
    Tensor sq = Tensor::empty(x.shape(), "norm");
    for (int64_t k = 0; k < x.numel(); ++k) sq.data()[k] = x.data()[k] * x.data()[k];
    sum_along(y.data(), sq.data(), a, 1.0);
    for (float& v : y.vec()) v = std::sqrt(v);
  }
  return record("norm", y, {x}, [a](Node& y) {
    // forward: y[o, i] = √(Σ_k x[o, k, i]²)  =>  dx[o, k, i] += dy[o, i] · x[o, k, i] / y[o, i]
    //                                            (0 where y = 0)
    const float* dy = out_grad(y);
    const float* x = y.inputs[0]->data.data();
    float* dx = input_grad(y, 0);
    for (int64_t o = 0; o < a.outer; ++o)
      for (int64_t k = 0; k < a.n; ++k)
        for (int64_t i = 0; i < a.inner; ++i) {
          const int64_t j = o * a.inner + i, at = (o * a.n + k) * a.inner + i;
          if (y.data[size_t(j)] != 0.f) dx[at] += dy[j] * x[at] / y.data[size_t(j)];
        }
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
    GL_CHECK(std::isfinite(t), "bce_loss: target must be finite, got ", t, " at index ", i);
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
