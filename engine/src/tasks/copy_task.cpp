#include <cmath>

#include "gradlab/check.h"
#include "gradlab/tasks.h"

namespace gradlab::tasks {

CopyTask::CopyTask(int64_t symbols, int64_t delay, int64_t alphabet, uint64_t seed)
    : symbols_(symbols), delay_(delay), alphabet_(alphabet), rng_(seed) {
  GL_CHECK(symbols >= 1, "CopyTask: symbols must be at least 1, got ", symbols);
  GL_CHECK(delay >= 1, "CopyTask: delay must be at least 1, got ", delay);
  GL_CHECK(alphabet >= 2 && alphabet <= 1000, "CopyTask: alphabet must be in [2, 1000], got ",
           alphabet);
  // each part first, so that delay + 2 · symbols cannot overflow
  GL_CHECK(symbols <= 100000 && delay <= 100000 && delay + 2 * symbols <= 100000,
           "CopyTask: sequence length delay + 2 · symbols = ", delay, " + 2 · ", symbols,
           " is too long (limit 100000)");
}

Batch CopyTask::batch(int64_t B) {
  GL_CHECK(B > 0, "CopyTask.batch: batch size must be positive, got ", B);
  const int64_t T = length(), C = classes(), K = symbols_;
  const int64_t marker = alphabet_ + 1;
  Tensor x = Tensor::zeros({B, T, C});
  Tensor y = Tensor::zeros({B, T});
  for (int64_t b = 0; b < B; ++b) {
    float* xs = x.data() + b * T * C;  // (T, C)
    float* ys = y.data() + b * T;      // (T)
    for (int64_t t = 0; t < T; ++t) {
      int64_t id = 0;  // blank
      if (t < K) id = 1 + int64_t(rng_.next_u32() % uint32_t(alphabet_));
      else if (t == K + delay_ - 1) id = marker;  // "go": recall starts next step
      xs[t * C + id] = 1.f;
    }
    for (int64_t k = 0; k < K; ++k) {
      int64_t id = 0;
      for (int64_t c = 1; c <= alphabet_; ++c)
        if (xs[k * C + c] == 1.f) id = c;
      ys[K + delay_ + k] = float(id);
    }
  }
  return {x, y};
}

double CopyTask::baseline_cross_entropy() const {
  return double(symbols_) * std::log(double(alphabet_)) / double(length());
}

}  // namespace gradlab::tasks
