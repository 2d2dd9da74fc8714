// Gradient clipping, as torch.nn.utils.clip_grad_norm_ and clip_grad_value_.
#include <algorithm>
#include <cmath>
#include <limits>

#include "gradlab/check.h"
#include "gradlab/training.h"

namespace gradlab::nn::utils {

namespace {
void check_norm_type(const char* who, double p) {
  GL_CHECK(p > 0.0, who, ": norm_type must be a number > 0 or infinity, got ", p);
}
}  // namespace

// ‖g‖_p over all gradients together: (Σ_k Σ_i |g_ki|^p)^(1/p), or max |g| for p = ∞.
// Accumulated in double, so float gradients cannot overflow the sum of squares; an inf or
// NaN gradient element makes the result inf or NaN.
double grad_norm(const std::vector<Tensor>& params, double p) {
  check_norm_type("grad_norm", p);
  const bool inf_norm = std::isinf(p);
  double acc = 0.0;
  bool nan = false;
  for (const Tensor& param : params) {
    GL_CHECK(param.defined(), "grad_norm: got an undefined tensor in the parameter list");
    Tensor g = param.grad();
    if (!g.defined()) continue;
    for (float v : g.vec()) {
      double a = std::abs(double(v));
      if (std::isnan(a)) nan = true;
      else if (inf_norm) acc = std::max(acc, a);
      else if (p == 2.0) acc += a * a;
      else if (p == 1.0) acc += a;
      else acc += std::pow(a, p);
    }
  }
  if (nan) return std::numeric_limits<double>::quiet_NaN();
  if (inf_norm || p == 1.0) return acc;
  return p == 2.0 ? std::sqrt(acc) : std::pow(acc, 1.0 / p);
}

double clip_grad_norm(const std::vector<Tensor>& params, double max_norm, double norm_type,
                      bool error_if_nonfinite) {
  GL_CHECK(max_norm >= 0.0, "clip_grad_norm: max_norm must be a number >= 0, got ", max_norm);
  check_norm_type("clip_grad_norm", norm_type);
  for (size_t i = 0; i < params.size(); ++i) {
    GL_CHECK(params[i].defined(), "clip_grad_norm: parameter ", i, " is undefined");
  }
  const double total = grad_norm(params, norm_type);
  if (!std::isfinite(total)) {
    GL_CHECK(!error_if_nonfinite, "clip_grad_norm: the total norm of order ", norm_type,
             " of the gradients is ", total, ", so they cannot be clipped (pass "
             "error_if_nonfinite = false to get the norm back and scale by it anyway)");
  }
  // clip_coef = max_norm / (total + 1e-6), clamped to 1: under the cap nothing changes.
  const double clip_coef = max_norm / (total + 1e-6);
  if (clip_coef < 1.0 || std::isnan(clip_coef)) {
    const float c = float(clip_coef);
    for (const Tensor& param : params) {
      Tensor g = param.grad();
      if (!g.defined()) continue;
      for (float& v : g.vec()) v *= c;
    }
  }
  return total;
}

void clip_grad_value(const std::vector<Tensor>& params, double clip_value) {
  GL_CHECK(clip_value >= 0.0, "clip_grad_value: clip_value must be a number >= 0, got ", clip_value);
  const float c = float(clip_value);
  for (size_t i = 0; i < params.size(); ++i) {
    GL_CHECK(params[i].defined(), "clip_grad_value: parameter ", i, " is undefined");
    Tensor g = params[i].grad();
    if (!g.defined()) continue;
    // std::clamp would drop NaN; like torch.clamp, keep it visible
    for (float& v : g.vec()) v = std::isnan(v) ? v : std::min(c, std::max(-c, v));
  }
}

}  // namespace gradlab::nn::utils
