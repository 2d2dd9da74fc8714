// Synthetic sequence tasks that need long memory, generated from a seed.
#pragma once
#include <cstdint>

#include "gradlab/rng.h"
#include "gradlab/tensor.h"

namespace gradlab::tasks {

struct Batch {
  Tensor x;  // inputs, (B, T, features)
  Tensor y;  // targets
};

// The adding problem (Hochreiter & Schmidhuber 1997; the form of Le, Jaitly & Hinton 2015).
// Each step carries a value u ~ U[0, 1) and a marker; exactly two steps are marked, one in
// each half of the sequence. The target is the sum of the two marked values.
// x (B, T, 2) = [u_t, marker_t], y (B, 1). Predicting the mean 1 scores MSE = 1/6.
class AddingProblem {
 public:
  AddingProblem(int64_t length, uint64_t seed);
  Batch batch(int64_t batch_size);
  int64_t length() const { return length_; }
  static constexpr double kBaselineMSE = 1.0 / 6.0;  // Var(u1 + u2) = 2 · 1/12

 private:
  int64_t length_;
  Rng rng_;
};

// The copy (memory) task (Hochreiter & Schmidhuber 1997; Arjovsky et al. 2016): read
// `symbols` random symbols, wait `delay` steps, see a "go" marker, then write the symbols
// back. Symbol ids are 1..alphabet; 0 is blank and alphabet + 1 is the marker.
// x (B, T, alphabet + 2) one-hot, y (B, T) the id expected at each step (blank until the
// recall), T = delay + 2 · symbols.
class CopyTask {
 public:
  CopyTask(int64_t symbols, int64_t delay, int64_t alphabet, uint64_t seed);
  Batch batch(int64_t batch_size);
  int64_t length() const { return delay_ + 2 * symbols_; }
  int64_t classes() const { return alphabet_ + 2; }
  // Cross-entropy of a model that outputs blank until the recall and guesses uniformly then.
  double baseline_cross_entropy() const;

 private:
  int64_t symbols_, delay_, alphabet_;
  Rng rng_;
};

}  // namespace gradlab::tasks
