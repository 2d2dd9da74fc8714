// What clipping does to the gradient as one vector: its norm before and after, and the cosine
// between the two directions (1 for clipping by norm, which only rescales; below 1 for clipping
// by value, which clamps the large components and leaves the small ones).
#include <cmath>

#include "gradlab/analysis.h"
#include "gradlab/check.h"
#include "gradlab/training.h"

namespace gradlab::analysis {

namespace {
std::vector<double> flat_grads(const std::vector<Tensor>& params) {
  std::vector<double> g;
  for (const Tensor& p : params) {
    Tensor grad = p.grad();
    if (!grad.defined()) continue;
    for (float v : grad.vec()) g.push_back(double(v));
  }
  return g;
}
}  // namespace

ClipReport clip_and_measure(const std::vector<Tensor>& params, ClipMode mode, double threshold) {
  const char* who = mode == ClipMode::Norm ? "clip_and_measure(norm)" : "clip_and_measure(value)";
  GL_CHECK(std::isfinite(threshold) && threshold > 0, who, ": threshold must be a finite number > 0, got ",
           threshold);
  const std::vector<double> before = flat_grads(params);
  GL_CHECK(!before.empty(), who, ": no parameter has a gradient; run backward() first");
  ClipReport r;
  if (mode == ClipMode::Norm) {
    r.norm_before = nn::utils::clip_grad_norm(params, threshold);
    r.clipped_fraction = r.norm_before > threshold ? 1.0 : 0.0;
  } else {
    size_t clamped = 0;
    for (double v : before) clamped += std::abs(v) > threshold;
    r.clipped_fraction = double(clamped) / double(before.size());
    nn::utils::clip_grad_value(params, threshold);
  }
  const std::vector<double> after = flat_grads(params);
  double dot = 0, nb = 0, na = 0;
  for (size_t k = 0; k < before.size(); ++k) {
    dot += before[k] * after[k];
    nb += before[k] * before[k];
    na += after[k] * after[k];
  }
  r.norm_before = std::sqrt(nb);
  r.norm_after = std::sqrt(na);
  r.cosine = nb > 0 && na > 0 ? dot / (r.norm_before * r.norm_after) : 1.0;
  return r;
}

}  // namespace gradlab::analysis
