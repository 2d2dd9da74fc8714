// NumPy broadcasting for the elementwise ops (elementwise.cpp, compare.cpp) and expand:
// where element i of an output of shape `out` reads each operand.
#pragma once
#include <algorithm>
#include <cstdint>
#include <memory>
#include <vector>

#include "gradlab/check.h"
#include "gradlab/tensor.h"

namespace gradlab::broadcast {

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

inline Shape broadcast_shape(const char* op, const Shape& a, const Shape& b) {
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

inline Operand operand_for(const Shape& s, const Shape& out) {
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

inline Broadcast plan(const char* op, const Tensor& a, const Tensor& b) {
  Broadcast p;
  p.out = broadcast_shape(op, a.shape(), b.shape());
  p.a = operand_for(a.shape(), p.out);
  p.b = operand_for(b.shape(), p.out);
  return p;
}

// y[i] = f(a[ia(i)], b[ib(i)]), with a straight loop for the common same-shape case.
template <class F>
inline Tensor binary_forward(const char* op, const Tensor& a, const Tensor& b, const Broadcast& p, F f) {
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

}  // namespace gradlab::broadcast
