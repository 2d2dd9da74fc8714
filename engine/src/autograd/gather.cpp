// Ops that read elements from other places: index_select (x[:, idx]), permute, expand.
// Each is a copy (the engine has no strided views); backward adds back where it read.
#include <cmath>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "broadcast.h"
#include "gradlab/check.h"
#include "gradlab/ops.h"
#include "graph.h"

namespace gradlab {

using autograd::input_grad;
using autograd::out_grad;
using autograd::record;
using autograd::wrap_dim;

namespace {
int64_t prod(const Shape& s, size_t from, size_t to) {
  int64_t n = 1;
  for (size_t k = from; k < to; ++k) n *= s[k];
  return n;
}
std::string dims_str(const std::vector<int64_t>& dims) {
  std::string out = "[";
  for (size_t k = 0; k < dims.size(); ++k) out += (k ? ", " : "") + std::to_string(dims[k]);
  return out + "]";
}
}  // namespace

// ---- index_select: x seen as (outer, n, inner); y (outer, m, inner), y[o, j] = x[o, idx[j]]
Tensor index_select(const Tensor& x, int64_t dim, const Tensor& index) {
  const Shape& s = x.shape();
  GL_CHECK(!s.empty(), "index_select: cannot index a 0-D tensor");
  const int64_t d = wrap_dim("index_select", dim, s);
  GL_CHECK(index.dim() <= 1, "index_select: index must be 1-D, got shape ", shape_str(index.shape()));
  const int64_t n = s[size_t(d)], m = index.numel();
  auto at = std::make_shared<std::vector<int64_t>>(size_t(m));  // (m) positions along dim
  for (int64_t j = 0; j < m; ++j) {
    const float v = index.data()[j];
    GL_CHECK(std::isfinite(v) && v == std::floor(v), "index_select: index must hold whole numbers, got ",
             v, " at position ", j);
    GL_CHECK(v >= -float(n) && v < float(n), "index_select: index ", v, " is out of range for dim ",
             d, " of size ", n, " in shape ", shape_str(s), " (at position ", j, ")");
    const int64_t i = int64_t(v);
    (*at)[size_t(j)] = i < 0 ? i + n : i;
  }
  const int64_t outer = prod(s, 0, size_t(d)), inner = prod(s, size_t(d) + 1, s.size());
  Shape out_shape = s;
  out_shape[size_t(d)] = m;
  Tensor y = Tensor::empty(out_shape, "index_select");
  const float* px = x.data();
  float* py = y.data();
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t j = 0; j < m; ++j)
      std::copy_n(px + (o * n + (*at)[size_t(j)]) * inner, inner, py + (o * m + j) * inner);
  return record("index_select", y, {x}, [at, outer, n, m, inner](Node& y) {
    // forward: y[o, j, :] = x[o, at[j], :]  =>  dx[o, at[j], :] += dy[o, j, :] (repeats add up)
    const float* dy = out_grad(y);
    float* dx = input_grad(y, 0);
    for (int64_t o = 0; o < outer; ++o)
      for (int64_t j = 0; j < m; ++j) {
        float* row = dx + (o * n + (*at)[size_t(j)]) * inner;
        const float* g = dy + (o * m + j) * inner;
        for (int64_t k = 0; k < inner; ++k) row[k] += g[k];
      }
  });
}

namespace {
// Calls f(i, offset in x) for every element i of y = x.permute(perm), in y's order.
template <class F>
void for_each_permuted(const Shape& s, const std::vector<int64_t>& perm, F f) {
  const size_t nd = s.size();
  if (nd == 0) return f(0, 0);  // a 0-D tensor: its one element
  std::vector<int64_t> x_stride(nd, 1);
  for (size_t k = nd; k-- > 1;) x_stride[k - 1] = x_stride[k] * s[k];
  Shape out(nd);
  std::vector<int64_t> stride(nd);  // step in x for a step along each dim of y
  for (size_t k = 0; k < nd; ++k) {
    out[k] = s[size_t(perm[k])];
    stride[k] = x_stride[size_t(perm[k])];
  }
  const int64_t total = prod(s, 0, nd);
  std::vector<int64_t> idx(nd, 0);
  int64_t off = 0;
  for (int64_t i = 0; i < total; ++i) {
    f(i, off);
    for (size_t k = nd; k-- > 0;) {  // odometer over y's dims
      ++idx[k];
      off += stride[k];
      if (idx[k] < out[k]) break;
      off -= stride[k] * out[k];
      idx[k] = 0;
    }
  }
}
}  // namespace

// ---- permute: y's dim k is x's dim perm[k]
Tensor permute(const Tensor& x, const std::vector<int64_t>& dims) {
  const Shape& s = x.shape();
  const int64_t nd = int64_t(s.size());
  GL_CHECK(int64_t(dims.size()) == nd, "permute: dims ", dims_str(dims), " must list each of the ",
           nd, " dims of shape ", shape_str(s), " once");
  std::vector<int64_t> perm(dims.size());
  std::vector<bool> seen(size_t(nd), false);
  for (size_t k = 0; k < dims.size(); ++k) {
    perm[k] = wrap_dim("permute", dims[k], s);
    GL_CHECK(!seen[size_t(perm[k])], "permute: dims ", dims_str(dims), " is not a permutation: dim ",
             perm[k], " appears twice (shape ", shape_str(s), ")");
    seen[size_t(perm[k])] = true;
  }
  Shape out_shape(perm.size());
  for (size_t k = 0; k < perm.size(); ++k) out_shape[k] = s[size_t(perm[k])];
  Tensor y = Tensor::empty(out_shape, "permute");
  const float* px = x.data();
  float* py = y.data();
  for_each_permuted(s, perm, [&](int64_t i, int64_t off) { py[i] = px[off]; });
  return record("permute", y, {x}, [s, perm](Node& y) {
    // forward: y[i] = x[off(i)]  =>  dx[off(i)] += dy[i]
    const float* dy = out_grad(y);
    float* dx = input_grad(y, 0);
    for_each_permuted(s, perm, [&](int64_t i, int64_t off) { dx[off] += dy[i]; });
  });
}

// ---- expand: y (shape) repeats x along its size-1 and new leading dims
Tensor expand(const Tensor& x, const Shape& shape) {
  const Shape& s = x.shape();
  GL_CHECK(shape.size() >= s.size(), "expand: the number of sizes provided (", shape.size(),
           ") must be greater or equal to the number of dimensions in the tensor (", s.size(),
           "): ", shape_str(shape), " for shape ", shape_str(s));
  const size_t lead = shape.size() - s.size();
  Shape out = shape;
  for (size_t k = 0; k < shape.size(); ++k) {
    if (k < lead) {
      GL_CHECK(shape[k] >= 0, "expand: the expanded size ", shape[k], " is not allowed in a leading,",
               " non-existing dimension ", k, " (sizes ", shape_str(shape), ")");
      continue;
    }
    const int64_t have = s[k - lead];
    if (shape[k] == -1) out[k] = have;
    else
      GL_CHECK(shape[k] == have || (have == 1 && shape[k] >= 0), "expand: the expanded size of the tensor (",
               shape[k], ") must match the existing size (", have, ") at non-singleton dimension ", k,
               ".  Target sizes: ", shape_str(shape), ".  Tensor sizes: ", shape_str(s));
  }
  Tensor y = Tensor::empty(out, "expand");
  const broadcast::Operand from = broadcast::operand_for(s, out);
  const float* px = x.data();
  float* py = y.data();
  for (int64_t i = 0; i < y.numel(); ++i) py[i] = px[from(i)];
  return record("expand", y, {x}, [from](Node& y) {
    // forward: y[i] = x[from(i)]  =>  dx[from(i)] += dy[i] (a sum over the repeats)
    const float* dy = out_grad(y);
    float* dx = input_grad(y, 0);
    for (int64_t i = 0; i < int64_t(y.data.size()); ++i) dx[from(i)] += dy[i];
  });
}

}  // namespace gradlab
