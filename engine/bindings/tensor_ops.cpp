// Embind for the ops PyTorch code needs beyond the basics (the Python torch package calls
// them through gl): sqrt, abs, pow, clamp, floor, comparisons, where, index_select, permute,
// expand, copy_, randperm, randint. Conversion only.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include "gradlab/gradlab.h"
#include "guard.h"

using emscripten::val;
using namespace gradlab;
using namespace gradlab::bindings;

EMSCRIPTEN_BINDINGS(gradlab_tensor_ops) {
  using emscripten::function;
  using emscripten::optional_override;

  function("sqrt", optional_override([](const Tensor& x) { return GUARD(gradlab::sqrt(x)); }));
  function("abs", optional_override([](const Tensor& x) { return GUARD(gradlab::abs(x)); }));
  function("floor", optional_override([](const Tensor& x) { return GUARD(gradlab::floor(x)); }));
  function("pow", optional_override([](const Tensor& x, double p) { return GUARD(gradlab::pow(x, float(p))); }));
  function("clamp", optional_override([](const Tensor& x, val lo, val hi) {
    return GUARD(clamp(x, to_optional_number(lo, "clamp", "min"), to_optional_number(hi, "clamp", "max")));
  }));
  function("eq", optional_override([](const Tensor& a, const Tensor& b) { return GUARD(eq(a, b)); }));
  function("ne", optional_override([](const Tensor& a, const Tensor& b) { return GUARD(ne(a, b)); }));
  function("lt", optional_override([](const Tensor& a, const Tensor& b) { return GUARD(lt(a, b)); }));
  function("le", optional_override([](const Tensor& a, const Tensor& b) { return GUARD(le(a, b)); }));
  function("gt", optional_override([](const Tensor& a, const Tensor& b) { return GUARD(gt(a, b)); }));
  function("ge", optional_override([](const Tensor& a, const Tensor& b) { return GUARD(ge(a, b)); }));
  function("isnan", optional_override([](const Tensor& x) { return GUARD(gradlab::isnan(x)); }));
  function("isfinite", optional_override([](const Tensor& x) { return GUARD(gradlab::isfinite(x)); }));
  function("where", optional_override([](const Tensor& c, const Tensor& a, const Tensor& b) { return GUARD(where(c, a, b)); }));
  function("indexSelect", optional_override([](const Tensor& x, val dim, const Tensor& index) {
    return GUARD(index_select(x, to_index(dim, "indexSelect", "dim"), index));
  }));
  function("permute", optional_override([](const Tensor& x, val dims) { return GUARD(permute(x, to_dims(dims, "permute"))); }));
  function("expand", optional_override([](const Tensor& x, val shape) {
    return GUARD(expand(x, to_shape(shape, "expand", "shape", true)));
  }));
  // writes into x's node, which every handle of x (and a layer holding it) shares
  function("copy_", optional_override([](Tensor& x, const Tensor& src) { GUARD((copy_(x, src), 0)); }));
  function("randperm", optional_override([](val n) { return GUARD(randperm(to_size(n, "randperm", "n"))); }));
  function("randint", optional_override([](val low, val high, val shape) {
    return GUARD(randint(to_index(low, "randint", "low"), to_index(high, "randint", "high"), to_shape(shape, "randint")));
  }));
  // how many holders share this tensor's values (handles, layers, graphs): gl's spill
  // leaves a shared tensor alone, since a copy_ must reach the others
  function("shareCount", optional_override([](const Tensor& x) { return GUARD(double(x.ptr().use_count())); }));
}
