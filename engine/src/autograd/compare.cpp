// Comparisons and tests (0/1 results, no gradient), and where(cond, a, b), which picks.
#include <cmath>
#include <cstdint>
#include <memory>
#include <vector>

#include "broadcast.h"
#include "gradlab/check.h"
#include "gradlab/ops.h"
#include "graph.h"

namespace gradlab {

using autograd::input_grad;
using autograd::out_grad;
using autograd::record;
using broadcast::binary_forward;
using broadcast::plan;

namespace {
// y = pred(a, b) ? 1 : 0, broadcast; a new tensor outside any graph (a bool has no gradient)
template <class P>
Tensor compare(const char* op, const Tensor& a, const Tensor& b, P pred) {
  return binary_forward(op, a, b, plan(op, a, b),
                        [pred](float u, float v) { return pred(u, v) ? 1.f : 0.f; });
}

template <class P>
Tensor test(const char* op, const Tensor& x, P pred) {
  Tensor y = Tensor::empty(x.shape(), op);
  const float* px = x.data();
  float* py = y.data();
  for (int64_t i = 0; i < x.numel(); ++i) py[i] = pred(px[i]) ? 1.f : 0.f;
  return y;
}
}  // namespace

// A NaN compares unequal to everything, itself included (IEEE, as PyTorch): ne is then 1.
Tensor eq(const Tensor& a, const Tensor& b) { return compare("eq", a, b, [](float u, float v) { return u == v; }); }
Tensor ne(const Tensor& a, const Tensor& b) { return compare("ne", a, b, [](float u, float v) { return u != v; }); }
Tensor lt(const Tensor& a, const Tensor& b) { return compare("lt", a, b, [](float u, float v) { return u < v; }); }
Tensor le(const Tensor& a, const Tensor& b) { return compare("le", a, b, [](float u, float v) { return u <= v; }); }
Tensor gt(const Tensor& a, const Tensor& b) { return compare("gt", a, b, [](float u, float v) { return u > v; }); }
Tensor ge(const Tensor& a, const Tensor& b) { return compare("ge", a, b, [](float u, float v) { return u >= v; }); }

Tensor isnan(const Tensor& x) { return test("isnan", x, [](float v) { return std::isnan(v); }); }
Tensor isfinite(const Tensor& x) { return test("isfinite", x, [](float v) { return std::isfinite(v); }); }

// ---- where: y = cond ≠ 0 ? a : b
Tensor where(const Tensor& cond, const Tensor& a, const Tensor& b) {
  using broadcast::broadcast_shape;
  using broadcast::Operand;
  using broadcast::operand_for;
  const Shape out = broadcast_shape("where", broadcast_shape("where", cond.shape(), a.shape()), b.shape());
  const Operand ic = operand_for(cond.shape(), out), ia = operand_for(a.shape(), out),
                ib = operand_for(b.shape(), out);
  Tensor y = Tensor::empty(out, "where");
  const int64_t n = y.numel();
  auto take_a = std::make_shared<std::vector<uint8_t>>(size_t(n));  // (out) 1 where cond holds
  const float *pc = cond.data(), *pa = a.data(), *pb = b.data();
  float* py = y.data();
  for (int64_t i = 0; i < n; ++i) {
    const bool t = pc[ic(i)] != 0.f;  // a NaN condition is true, as bool(nan) in PyTorch
    (*take_a)[size_t(i)] = t;
    py[i] = t ? pa[ia(i)] : pb[ib(i)];  // picked, never mixed: the other branch's NaN stays out
  }
  // cond is not an input: it selects, and has no gradient
  return record("where", y, {a, b}, [take_a, ia, ib](Node& y) {
    // forward: y = t ? a : b  =>  da += dy where t, db += dy elsewhere (added only where
    // taken, never multiplied by a 0/1 mask, so an Inf in dy's other branch cannot become NaN)
    const float* dy = out_grad(y);
    const int64_t n = int64_t(y.data.size());
    float* da = input_grad(y, 0);
    float* db = input_grad(y, 1);
    for (int64_t i = 0; i < n; ++i) {
      if ((*take_a)[size_t(i)]) {
        if (da) da[ia(i)] += dy[i];
      } else if (db) {
        db[ib(i)] += dy[i];
      }
    }
  });
}

}  // namespace gradlab
