// softmax and log_softmax along one dim. The row maximum is subtracted before exp, so no
// exp ever overflows; sums are taken in double.
#include <algorithm>
#include <cmath>

#include "gradlab/check.h"
#include "gradlab/layers.h"
#include "graph.h"

namespace gradlab {

using autograd::input_grad;
using autograd::out_grad;
using autograd::record;

namespace {

// `dim` splits x into (outer, n, inner): element (o, j, i) sits at (o·n + j)·inner + i.
// A "row" is the n elements of one (o, i), inner apart.
struct Axis {
  int64_t outer = 1, n = 1, inner = 1;
};

Axis axis_of(const char* op, const Shape& s, int64_t dim) {
  int64_t nd = int64_t(s.size());
  GL_CHECK(nd >= 1, op, ": expected a tensor with at least 1 dim, got shape ", shape_str(s));
  GL_CHECK(dim >= -nd && dim < nd, op, ": dim ", dim, " is out of range for shape ", shape_str(s));
  int64_t d = dim < 0 ? dim + nd : dim;
  Axis a;
  for (int64_t k = 0; k < d; ++k) a.outer *= s[size_t(k)];
  a.n = s[size_t(d)];
  for (int64_t k = d + 1; k < nd; ++k) a.inner *= s[size_t(k)];
  return a;
}

// y = softmax(x) along the axis
void softmax_forward(float* y, const float* x, Axis a) {
  for (int64_t o = 0; o < a.outer; ++o)
    for (int64_t i = 0; i < a.inner; ++i) {
      const float* xr = x + o * a.n * a.inner + i;
      float* yr = y + o * a.n * a.inner + i;
      float mx = -INFINITY;
      for (int64_t j = 0; j < a.n; ++j) mx = std::max(mx, xr[j * a.inner]);
      double s = 0;
      for (int64_t j = 0; j < a.n; ++j) {
        float e = std::exp(xr[j * a.inner] - mx);
        yr[j * a.inner] = e;
        s += e;
      }
      float inv = float(1.0 / s);
      for (int64_t j = 0; j < a.n; ++j) yr[j * a.inner] *= inv;
    }
}

// forward: y_j = e^{x_j} / Σ_k e^{x_k}  =>  dx_j += y_j (dy_j - Σ_k dy_k y_k)
void softmax_backward(float* dx, const float* dy, const float* y, Axis a) {
  for (int64_t o = 0; o < a.outer; ++o)
    for (int64_t i = 0; i < a.inner; ++i) {
      int64_t base = o * a.n * a.inner + i;
      double dot = 0;
      for (int64_t j = 0; j < a.n; ++j) dot += double(dy[base + j * a.inner]) * y[base + j * a.inner];
      for (int64_t j = 0; j < a.n; ++j) {
        int64_t k = base + j * a.inner;
        dx[k] += y[k] * (dy[k] - float(dot));
      }
    }
}

// y_j = x_j - m - ln Σ_k e^{x_k - m},  m = max_k x_k
void log_softmax_forward(float* y, const float* x, Axis a) {
  for (int64_t o = 0; o < a.outer; ++o)
    for (int64_t i = 0; i < a.inner; ++i) {
      int64_t base = o * a.n * a.inner + i;
      float mx = -INFINITY;
      for (int64_t j = 0; j < a.n; ++j) mx = std::max(mx, x[base + j * a.inner]);
      double s = 0;
      for (int64_t j = 0; j < a.n; ++j) s += std::exp(double(x[base + j * a.inner]) - mx);
      float log_s = float(std::log(s));  // (x - m) - log_s, not x - (m + log_s): exact at big m
      for (int64_t j = 0; j < a.n; ++j) y[base + j * a.inner] = (x[base + j * a.inner] - mx) - log_s;
    }
}

// forward: y_j = x_j - ln Σ_k e^{x_k}  =>  dx_j += dy_j - e^{y_j} Σ_k dy_k
void log_softmax_backward(float* dx, const float* dy, const float* y, Axis a) {
  for (int64_t o = 0; o < a.outer; ++o)
    for (int64_t i = 0; i < a.inner; ++i) {
      int64_t base = o * a.n * a.inner + i;
      double s = 0;
      for (int64_t j = 0; j < a.n; ++j) s += dy[base + j * a.inner];
      for (int64_t j = 0; j < a.n; ++j) {
        int64_t k = base + j * a.inner;
        dx[k] += dy[k] - std::exp(y[k]) * float(s);
      }
    }
}

}  // namespace

// ---- softmax: the backward reads only the output y
Tensor softmax(const Tensor& x, int64_t dim) {
  Axis a = axis_of("softmax", x.shape(), dim);
  Tensor y = Tensor::empty(x.shape(), "softmax");
  softmax_forward(y.data(), x.data(), a);
  return record("softmax", y, {x}, [a](Node& y) {
    softmax_backward(input_grad(y, 0), out_grad(y), y.data.data(), a);
  });
}

// ---- log_softmax: the backward reads only the output y
Tensor log_softmax(const Tensor& x, int64_t dim) {
  Axis a = axis_of("log_softmax", x.shape(), dim);
  Tensor y = Tensor::empty(x.shape(), "log_softmax");
  log_softmax_forward(y.data(), x.data(), a);
  return record("log_softmax", y, {x}, [a](Node& y) {
    log_softmax_backward(input_grad(y, 0), out_grad(y), y.data.data(), a);
  });
}

}  // namespace gradlab
