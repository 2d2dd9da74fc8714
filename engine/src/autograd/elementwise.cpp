// Elementwise ops: binary ones with NumPy broadcasting, then the activations.
#include <algorithm>
#include <cmath>
#include <memory>

#include "gradlab/check.h"
#include "gradlab/ops.h"
#include "graph.h"

namespace gradlab {

using autograd::input_grad;
using autograd::out_grad;
using autograd::record;

namespace {

// Where element i of the output reads one operand. Most calls are the first three kinds;
// anything else falls back to an index table.
struct Operand {
  enum Kind { Same, Scalar, Period, Table } kind = Same;
  int64_t period = 1;                            // Period: operand index = i % period
  std::shared_ptr<std::vector<int64_t>> table;   // Table: operand index = table[i]
  int64_t operator()(int64_t i) const {
    switch (kind) {
      case Same: return i;
      case Scalar: return 0;
      case Period: return i % period;
      default: return (*table)[size_t(i)];
    }
  }
};

Shape broadcast_shape(const char* op, const Shape& a, const Shape& b) {
  size_t n = std::max(a.size(), b.size());
  Shape out(n);
  for (size_t k = 0; k < n; ++k) {
    int64_t da = k < n - a.size() ? 1 : a[k - (n - a.size())];
    int64_t db = k < n - b.size() ? 1 : b[k - (n - b.size())];
    GL_CHECK(da == db || da == 1 || db == 1, op, ": shapes ", shape_str(a), " and ", shape_str(b),
             " cannot be broadcast together");
    out[k] = da == 1 ? db : da;
  }
  return out;
}

Operand operand_for(const Shape& s, const Shape& out) {
  Operand o;
  if (s == out) return o;
  int64_t n = 1;
  for (int64_t d : s) n *= d;
  if (n == 1) { o.kind = Operand::Scalar; return o; }
  // s (leading 1s dropped) equal to the trailing dims of out: repeats with period n
  size_t first = 0;
  while (first < s.size() && s[first] == 1) ++first;
  size_t len = s.size() - first;
  if (len <= out.size() && std::equal(s.begin() + long(first), s.end(), out.end() - long(len))) {
    o.kind = Operand::Period;
    o.period = n;
    return o;
  }
  // general: strides of s aligned to out, 0 where s broadcasts
  size_t nd = out.size();
  std::vector<int64_t> stride(nd, 0);
  int64_t st = 1;
  for (size_t k = 0; k < s.size(); ++k) {
    size_t ks = s.size() - 1 - k, ko = nd - 1 - k;
    stride[ko] = s[ks] == 1 ? 0 : st;
    st *= s[ks];
  }
  int64_t total = 1;
  for (int64_t d : out) total *= d;
  auto table = std::make_shared<std::vector<int64_t>>(size_t(total));
  std::vector<int64_t> idx(nd, 0);
  int64_t off = 0;
  for (int64_t i = 0; i < total; ++i) {
    (*table)[size_t(i)] = off;
    for (size_t k = nd; k-- > 0;) {  // odometer increment
      ++idx[k];
      off += stride[k];
      if (idx[k] < out[k]) break;
      off -= stride[k] * out[k];
      idx[k] = 0;
    }
  }
  o.kind = Operand::Table;
  o.table = std::move(table);
  return o;
}

struct Broadcast {
  Shape out;
  Operand a, b;
};

Broadcast plan(const char* op, const Tensor& a, const Tensor& b) {
  Broadcast p;
  p.out = broadcast_shape(op, a.shape(), b.shape());
  p.a = operand_for(a.shape(), p.out);
  p.b = operand_for(b.shape(), p.out);
  return p;
}

// y[i] = f(a[ia(i)], b[ib(i)]), with a straight loop for the common same-shape case.
template <class F>
Tensor binary_forward(const char* op, const Tensor& a, const Tensor& b, const Broadcast& p, F f) {
  Tensor y = Tensor::empty(p.out, op);
  float* out = y.data();
  const float* pa = a.data();
  const float* pb = b.data();
  int64_t n = y.numel();
  if (p.a.kind == Operand::Same && p.b.kind == Operand::Same) {
    for (int64_t i = 0; i < n; ++i) out[i] = f(pa[i], pb[i]);
  } else if (p.a.kind == Operand::Same && p.b.kind == Operand::Period) {
    int64_t m = p.b.period;
    for (int64_t r = 0; r < n; r += m)
      for (int64_t j = 0; j < m; ++j) out[r + j] = f(pa[r + j], pb[j]);
  } else {
    for (int64_t i = 0; i < n; ++i) out[i] = f(pa[p.a(i)], pb[p.b(i)]);
  }
  return y;
}

}  // namespace

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
    if (float* da = input_grad(y, 0))
      for (int64_t i = 0; i < n; ++i) da[p.a(i)] += dy[i] / b[p.b(i)];
    if (float* db = input_grad(y, 1))
      for (int64_t i = 0; i < n; ++i) {
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
    for (int64_t i = 0; i < n; ++i) dx[i] += dfdx(dy[i], x[i], yv[i]);
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

}  // namespace gradlab
