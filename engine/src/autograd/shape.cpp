// Ops that move values without changing them: cat, select, reshape.
#include <algorithm>
#include <cstdint>
#include <cstring>

#include "gradlab/check.h"
#include "gradlab/ops.h"
#include "graph.h"

namespace gradlab {

using autograd::input_grad;
using autograd::out_grad;
using autograd::record;

namespace {
int64_t wrap_dim(const char* op, int64_t dim, int64_t ndim) {
  GL_CHECK(dim >= -ndim && dim < ndim, op, ": dim ", dim, " is out of range for a ", ndim,
           "-D tensor");
  return dim < 0 ? dim + ndim : dim;
}
int64_t prod(const Shape& s, size_t from, size_t to) {
  int64_t n = 1;
  for (size_t k = from; k < to; ++k) n *= s[k];
  return n;
}
}  // namespace

// ---- cat: join along `dim`; every other dim must agree
Tensor cat(const std::vector<Tensor>& xs, int64_t dim) {
  GL_CHECK(!xs.empty(), "cat: expected at least one tensor");
  const Shape& s0 = xs[0].shape();
  GL_CHECK(!s0.empty(), "cat: cannot join 0-D tensors");
  int64_t d = wrap_dim("cat", dim, int64_t(s0.size()));
  Shape out_shape = s0;
  out_shape[size_t(d)] = 0;
  for (size_t k = 0; k < xs.size(); ++k) {
    const Shape& s = xs[k].shape();
    bool ok = s.size() == s0.size();
    for (size_t j = 0; ok && j < s.size(); ++j) ok = (int64_t(j) == d) || s[j] == s0[j];
    GL_CHECK(ok, "cat: tensor ", k, " has shape ", shape_str(s), " but tensor 0 has ",
             shape_str(s0), "; only dim ", d, " may differ");
    out_shape[size_t(d)] += s[size_t(d)];
  }
  int64_t outer = prod(s0, 0, size_t(d)), inner = prod(s0, size_t(d) + 1, s0.size());
  int64_t row = out_shape[size_t(d)] * inner;  // floats per outer index in the output
  Tensor y = Tensor::empty(out_shape, "cat");
  std::vector<int64_t> widths;  // floats per outer index of each input
  int64_t off = 0;
  for (const Tensor& x : xs) {
    int64_t w = x.size(d) * inner;
    for (int64_t o = 0; o < outer; ++o)
      std::copy_n(x.data() + o * w, w, y.data() + o * row + off);
    widths.push_back(w);
    off += w;
  }
  return record("cat", y, xs, [widths, outer, row](Node& y) {
    // forward: y[o, off_k : off_k + w_k] = x_k[o, :]  =>  dx_k[o, :] += dy[o, off_k : ...]
    const float* dy = out_grad(y);
    int64_t off = 0;
    for (size_t k = 0; k < widths.size(); ++k) {
      int64_t w = widths[k];
      if (float* dx = input_grad(y, k))
        for (int64_t o = 0; o < outer; ++o)
          for (int64_t j = 0; j < w; ++j) dx[o * w + j] += dy[o * row + off + j];
      off += w;
    }
  });
}

// ---- select: drop `dim` by taking position `index` (x.select(1, t) == x[:, t])
Tensor select(const Tensor& x, int64_t dim, int64_t index) {
  const Shape& s = x.shape();
  int64_t d = wrap_dim("select", dim, x.dim());
  int64_t n = s[size_t(d)];
  GL_CHECK(index >= -n && index < n, "select: index ", index, " is out of range for dim ", d,
           " of size ", n, " in shape ", shape_str(s));
  int64_t i = index < 0 ? index + n : index;
  int64_t outer = prod(s, 0, size_t(d)), inner = prod(s, size_t(d) + 1, s.size());
  Shape out_shape = s;
  out_shape.erase(out_shape.begin() + long(d));
  Tensor y = Tensor::empty(out_shape, "select");
  for (int64_t o = 0; o < outer; ++o)
    std::copy_n(x.data() + (o * n + i) * inner, inner, y.data() + o * inner);
  return record("select", y, {x}, [outer, inner, n, i](Node& y) {
    // forward: y[o, :] = x[o, i, :]  =>  dx[o, i, :] += dy[o, :]
    const float* dy = out_grad(y);
    float* dx = input_grad(y, 0);
    for (int64_t o = 0; o < outer; ++o)
      for (int64_t j = 0; j < inner; ++j) dx[(o * n + i) * inner + j] += dy[o * inner + j];
  });
}

// ---- reshape: same values, new shape; one dim may be -1
Tensor reshape(const Tensor& x, const Shape& shape) {
  Shape s = shape;
  int64_t known = 1, infer = -1;
  for (size_t k = 0; k < s.size(); ++k) {
    if (s[k] == -1) {
      GL_CHECK(infer < 0, "reshape: only one dim may be -1, got ", shape_str(shape));
      infer = int64_t(k);
    } else {
      GL_CHECK(s[k] >= 0, "reshape: sizes must be non-negative, got ", shape_str(shape));
      // a product past int64 can never equal numel: refuse instead of wrapping around
      GL_CHECK(!__builtin_mul_overflow(known, s[k], &known), "reshape: cannot reshape ",
               shape_str(x.shape()), " (", x.numel(), " elements) into ", shape_str(shape),
               " (more than ", INT64_MAX, " elements)");
    }
  }
  if (infer >= 0) {
    GL_CHECK(known > 0 && x.numel() % known == 0, "reshape: cannot reshape ",
             shape_str(x.shape()), " into ", shape_str(shape));
    s[size_t(infer)] = x.numel() / known;
    known *= s[size_t(infer)];
  }
  numel_of(s, "reshape");  // sizes past the cap around a 0 (reshape (0) into (0, 2^62))
  GL_CHECK(known == x.numel(), "reshape: cannot reshape ", shape_str(x.shape()), " (",
           x.numel(), " elements) into ", shape_str(shape));
  Tensor y = Tensor::from(x.vec(), s);
  return record("reshape", y, {x}, [](Node& y) {
    // forward: y = x (new shape)  =>  dx += dy
    const float* dy = out_grad(y);
    float* dx = input_grad(y, 0);
    for (size_t k = 0; k < y.data.size(); ++k) dx[k] += dy[k];
  });
}

}  // namespace gradlab
