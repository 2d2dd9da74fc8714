#include "gradlab/check.h"
#include "gradlab/tasks.h"

namespace gradlab::tasks {

AddingProblem::AddingProblem(int64_t length, uint64_t seed) : length_(length), rng_(seed) {
  GL_CHECK(length >= 2, "AddingProblem: length T must be at least 2, got ", length);
  GL_CHECK(length <= 100000, "AddingProblem: length T=", length, " is too long (limit 100000)");
}

Batch AddingProblem::batch(int64_t B) {
  GL_CHECK(B > 0, "AddingProblem.batch: batch size must be positive, got ", B);
  const int64_t T = length_, half = T / 2;
  Tensor x = Tensor::zeros({B, T, 2});
  Tensor y = Tensor::empty({B, 1}, "AddingProblem");
  float* px = x.data();
  for (int64_t b = 0; b < B; ++b) {
    float* seq = px + b * T * 2;  // (T, 2)
    for (int64_t t = 0; t < T; ++t) seq[2 * t] = rng_.uniform();
    int64_t first = int64_t(rng_.next_u32() % uint32_t(half));             // in [0, T/2)
    int64_t second = half + int64_t(rng_.next_u32() % uint32_t(T - half));  // in [T/2, T)
    seq[2 * first + 1] = 1.f;
    seq[2 * second + 1] = 1.f;
    y.data()[b] = seq[2 * first] + seq[2 * second];
  }
  return {x, y};
}

}  // namespace gradlab::tasks
