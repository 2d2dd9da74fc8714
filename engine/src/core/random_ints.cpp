// Random whole numbers from the engine's seeded generator, as float32 tensors.
#include <numeric>
#include <vector>

#include "gradlab/check.h"
#include "gradlab/ops.h"
#include "gradlab/rng.h"

namespace gradlab {

// Fisher-Yates: position i swaps with a uniform j in [0, i]
Tensor randperm(int64_t n) {
  GL_CHECK(n >= 0 && n <= kMaxExactInteger, "randperm: n must be in [0, ", kMaxExactInteger,
           "] (indices are exact in float32 up to there), got ", n);
  std::vector<float> v(static_cast<size_t>(n));
  std::iota(v.begin(), v.end(), 0.f);
  Rng& rng = global_rng();
  for (int64_t i = n - 1; i > 0; --i) std::swap(v[size_t(i)], v[rng.below(uint32_t(i + 1))]);
  return Tensor::from(std::move(v), {n});
}

Tensor randint(int64_t low, int64_t high, const Shape& shape) {
  GL_CHECK(low < high, "randint: low must be less than high, got low ", low, " and high ", high);
  GL_CHECK(low >= -kMaxExactInteger && high - 1 <= kMaxExactInteger, "randint: low ", low,
           " and high ", high, " must lie within [-", kMaxExactInteger, ", ", kMaxExactInteger,
           "] (whole numbers are exact in float32 up to there)");
  Tensor t = Tensor::empty(shape, "randint");
  Rng& rng = global_rng();
  const uint32_t span = uint32_t(high - low);
  for (float& v : t.vec()) v = float(low + int64_t(rng.below(span)));
  return t;
}

}  // namespace gradlab
