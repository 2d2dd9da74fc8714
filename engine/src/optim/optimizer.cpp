#include <cmath>

#include "gradlab/check.h"
#include "gradlab/optim.h"

namespace gradlab::optim {

Optimizer::Optimizer(std::vector<Tensor> params, const char* name) : params_(std::move(params)) {
  GL_CHECK(!params_.empty(), name, ": got an empty parameter list");
  for (size_t i = 0; i < params_.size(); ++i) {
    GL_CHECK(params_[i].defined(), name, ": parameter ", i, " is undefined");
    GL_CHECK(params_[i].is_leaf() && params_[i].requires_grad(), name, ": parameter ", i, " ",
             shape_str(params_[i].shape()), " must be a leaf tensor with requires_grad");
  }
}

void Optimizer::zero_grad() {
  for (Tensor& p : params_) p.zero_grad();
}

namespace {
void check_lr(const char* name, float lr) {
  GL_CHECK(std::isfinite(lr) && lr >= 0.f, name, ": learning rate must be a finite number >= 0, got ", lr);
}
}  // namespace

SGD::SGD(std::vector<Tensor> params, float lr_, float momentum_)
    : Optimizer(std::move(params), "SGD"), momentum(momentum_) {
  lr = lr_;
  check_lr("SGD", lr);
  GL_CHECK(momentum >= 0.f && momentum < 1.f, "SGD: momentum must be in [0, 1), got ", momentum);
  velocity_.resize(params_.size());
}

void SGD::step() {
  for (size_t k = 0; k < params_.size(); ++k) {
    Tensor g = params_[k].grad();
    if (!g.defined()) continue;
    float* p = params_[k].data();
    const float* dp = g.data();
    size_t n = g.vec().size();
    if (momentum == 0.f) {
      for (size_t i = 0; i < n; ++i) p[i] -= lr * dp[i];
      continue;
    }
    // torch.optim.SGD: v = μ v + g (v = g on the first step); p -= lr v
    std::vector<float>& v = velocity_[k];
    if (v.empty()) v.assign(dp, dp + n);
    else for (size_t i = 0; i < n; ++i) v[i] = momentum * v[i] + dp[i];
    for (size_t i = 0; i < n; ++i) p[i] -= lr * v[i];
  }
}

Adam::Adam(std::vector<Tensor> params, float lr_, float beta1_, float beta2_, float eps_)
    : Optimizer(std::move(params), "Adam"), beta1(beta1_), beta2(beta2_), eps(eps_) {
  lr = lr_;
  check_lr("Adam", lr);
  GL_CHECK(beta1 >= 0.f && beta1 < 1.f && beta2 >= 0.f && beta2 < 1.f,
           "Adam: betas must be in [0, 1), got (", beta1, ", ", beta2, ")");
  GL_CHECK(eps > 0.f, "Adam: eps must be positive, got ", eps);
  m_.resize(params_.size());
  v_.resize(params_.size());
}

void Adam::step() {
  ++t_;
  // torch.optim.Adam: m = β1 m + (1-β1) g; v = β2 v + (1-β2) g²;
  // p -= lr/(1-β1^t) · m / (√v/√(1-β2^t) + eps)
  const double bc1 = 1.0 - std::pow(double(beta1), double(t_));
  const double bc2 = 1.0 - std::pow(double(beta2), double(t_));
  const float step_size = float(double(lr) / bc1);
  const float inv_sqrt_bc2 = float(1.0 / std::sqrt(bc2));
  for (size_t k = 0; k < params_.size(); ++k) {
    Tensor g = params_[k].grad();
    if (!g.defined()) continue;
    float* p = params_[k].data();
    const float* dp = g.data();
    size_t n = g.vec().size();
    std::vector<float>& m = m_[k];
    std::vector<float>& v = v_[k];
    if (m.empty()) { m.assign(n, 0.f); v.assign(n, 0.f); }
    for (size_t i = 0; i < n; ++i) {
      m[i] = beta1 * m[i] + (1.f - beta1) * dp[i];
      v[i] = beta2 * v[i] + (1.f - beta2) * dp[i] * dp[i];
      p[i] -= step_size * m[i] / (std::sqrt(v[i]) * inv_sqrt_bc2 + eps);
    }
  }
}

}  // namespace gradlab::optim
