// Inverted dropout: zero each element with probability p, scale the rest by 1/(1-p).
#include <cmath>
#include <vector>

#include "gradlab/check.h"
#include "gradlab/layers.h"
#include "gradlab/rng.h"
#include "graph.h"

namespace gradlab {

using autograd::input_grad;
using autograd::out_grad;
using autograd::record;

namespace {

// What backward needs: the mask, already scaled.
struct DropoutCache {
  std::vector<float> scale;  // (n): 0 where dropped, 1/(1-p) where kept
};

// y = x · scale, scale drawn from rng: keep with probability 1 - p
void dropout_forward(float* y, DropoutCache& cache, const float* x, int64_t n, float p, Rng& rng) {
  float keep_scale = 1.f / (1.f - p);
  cache.scale.resize(size_t(n));
  for (int64_t i = 0; i < n; ++i) {
    cache.scale[size_t(i)] = rng.uniform() < p ? 0.f : keep_scale;
    y[i] = x[i] * cache.scale[size_t(i)];
  }
}

// forward: y = x · scale  =>  dx += dy · scale
void dropout_backward(float* dx, const float* dy, const DropoutCache& cache, int64_t n) {
  for (int64_t i = 0; i < n; ++i) dx[i] += dy[i] * cache.scale[size_t(i)];
}

}  // namespace

// ---- dropout
Tensor dropout(const Tensor& x, float p, bool training) {
  GL_CHECK(p >= 0.f && p < 1.f, "dropout: p must be in [0, 1), got ", p);
  if (!training || p == 0.f) return x;  // identity, as torch's F.dropout(training=False)
  int64_t n = x.numel();
  Tensor y = Tensor::empty(x.shape(), "dropout");
  DropoutCache cache;
  dropout_forward(y.data(), cache, x.data(), n, p, global_rng());
  return record("dropout", y, {x}, [cache = std::move(cache), n](Node& y) {
    dropout_backward(input_grad(y, 0), out_grad(y), cache, n);
  });
}

}  // namespace gradlab
