// Around the optimiser step: gradient clipping (torch.nn.utils.clip_grad_norm_ /
// clip_grad_value_), differentiable L1/L2 penalties, and early stopping on a validation metric.
#pragma once
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "gradlab/tensor.h"

namespace gradlab::nn::utils {

// Scales every .grad by min(1, max_norm / (total + 1e-6)), where total is the norm_type-norm
// of all gradients taken together (norm_type: any p > 0, or infinity for the max |g|).
// Returns total, measured before clipping. Parameters without a grad are skipped; with none
// at all the total is 0. A non-finite total is returned as it is (and, as in PyTorch, the
// gradients are scaled by the resulting NaN/0 coefficient) unless error_if_nonfinite, which
// throws instead and leaves the gradients alone.
double clip_grad_norm(const std::vector<Tensor>& params, double max_norm, double norm_type = 2.0,
                      bool error_if_nonfinite = false);

// The norm clip_grad_norm would return, without changing anything.
double grad_norm(const std::vector<Tensor>& params, double norm_type = 2.0);

// Clamps every gradient element into [-clip_value, clip_value] (changes the direction).
void clip_grad_value(const std::vector<Tensor>& params, double clip_value);

// Differentiable penalties to add to the loss (scalar tensors):
//   l1_penalty = weight · Σ|p|   (d/dp = weight · sign(p), 0 at p = 0)
//   l2_penalty = weight · Σ p²   (d/dp = 2 · weight · p)
// SGD's weight_decay = λ is the gradient of l2_penalty with weight λ/2.
Tensor l1_penalty(const std::vector<Tensor>& params, double weight = 1.0);
Tensor l2_penalty(const std::vector<Tensor>& params, double weight = 1.0);

}  // namespace gradlab::nn::utils

namespace gradlab::utils {

// Early stopping on a validation metric. Call step(metric) after each evaluation; it returns
// true once training should stop: `patience` evaluations in a row without an improvement
// of more than min_delta (mode "min": metric < best − min_delta; "max": metric > best +
// min_delta), or at once on a NaN/infinite metric when check_finite is on.
class EarlyStopping {
 public:
  enum class Mode { Min, Max };
  explicit EarlyStopping(int64_t patience = 5, double min_delta = 0.0, Mode mode = Mode::Min,
                         bool check_finite = true);
  static Mode parse_mode(const std::string& mode);  // "min" or "max"

  bool step(double metric);              // labels the evaluation with the call index 0, 1, ...
  bool step(double metric, int64_t at);  // or with a step/epoch number of the caller's
  void reset();

  bool should_stop() const { return stop_; }
  double best() const { return best_; }            // ±inf before the first finite metric
  int64_t best_step() const { return best_step_; } // -1 before the first improvement
  int64_t num_bad_steps() const { return bad_; }   // evaluations since the last improvement
  int64_t num_steps() const { return calls_; }
  int64_t stopped_step() const { return stopped_at_; }  // -1 while running
  const std::string& reason() const { return reason_; }  // why it stopped, "" while running

  int64_t patience() const { return patience_; }
  double min_delta() const { return min_delta_; }
  Mode mode() const { return mode_; }

 private:
  int64_t patience_;
  double min_delta_;
  Mode mode_;
  bool check_finite_;
  double best_ = 0;
  int64_t best_step_ = -1, bad_ = 0, calls_ = 0, stopped_at_ = -1;
  bool stop_ = false;
  std::string reason_;
};

}  // namespace gradlab::utils
