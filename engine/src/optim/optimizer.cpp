// The optimisers' update rules, each a loop over one parameter's elements, written as
// torch.optim's single-tensor implementations (_single_tensor_sgd, _adam, _adamw, _rmsprop).
#include <algorithm>
#include <cmath>
#include <unordered_set>

#include "gradlab/check.h"
#include "gradlab/optim.h"

namespace gradlab::optim {

namespace {
void check_nonneg(const char* who, const char* what, double v) {
  GL_CHECK(std::isfinite(v) && v >= 0.0, who, ": ", what, " must be a finite number >= 0, got ", v);
}
void check_unit(const char* who, const char* what, double v) {
  GL_CHECK(v >= 0.0 && v < 1.0, who, ": ", what, " must be in [0, 1), got ", v);
}
}  // namespace

// ---- Optimizer ------------------------------------------------------------------------
Optimizer::Optimizer(std::vector<Tensor> params, const char* name, double lr)
    : params_(std::move(params)), name_(name), lr_(0) {
  GL_CHECK(!params_.empty(), name, ": got an empty parameter list");
  std::unordered_set<const Node*> seen;
  for (size_t i = 0; i < params_.size(); ++i) {
    GL_CHECK(params_[i].defined(), name, ": parameter ", i, " is undefined");
    GL_CHECK(params_[i].is_leaf() && params_[i].requires_grad(), name, ": parameter ", i, " ",
             shape_str(params_[i].shape()), " must be a leaf tensor with requires_grad");
    GL_CHECK(seen.insert(&params_[i].node()).second, name, ": parameter ", i, " ",
             shape_str(params_[i].shape()), " appears twice in the list (it would be updated twice)");
  }
  set_lr(lr);
}

void Optimizer::set_lr(double lr) {
  GL_CHECK(std::isfinite(lr) && lr >= 0.0, name_, ": learning rate (lr) must be a finite number >= 0, got ", lr);
  lr_ = lr;
}

void Optimizer::zero_grad() {
  for (Tensor& p : params_) p.zero_grad();
}

void Optimizer::step() {
  ++steps_;
  for (size_t k = 0; k < params_.size(); ++k) {
    Tensor g = params_[k].grad();
    if (!g.defined()) continue;
    GL_CHECK(g.numel() == params_[k].numel(), name_, ": parameter ", k, " ",
             shape_str(params_[k].shape()), " has a grad of shape ", shape_str(g.shape()));
    update(k, params_[k].data(), g.data(), size_t(g.numel()));
  }
}

// ---- SGD ------------------------------------------------------------------------------
SGD::SGD(std::vector<Tensor> params, const SGDOptions& o)
    : Optimizer(std::move(params), "SGD", o.lr()), opt_(o) {
  check_nonneg("SGD", "momentum", o.momentum());
  check_nonneg("SGD", "dampening", o.dampening());
  check_nonneg("SGD", "weight_decay", o.weight_decay());
  GL_CHECK(!o.nesterov() || (o.momentum() > 0 && o.dampening() == 0),
           "SGD: Nesterov momentum requires momentum > 0 and dampening = 0, got momentum ",
           o.momentum(), ", dampening ", o.dampening());
  momentum_buffer_.resize(params_.size());
}

SGD::SGD(std::vector<Tensor> params, double lr, double momentum)
    : SGD(std::move(params), SGDOptions(lr).momentum(momentum)) {}

void SGD::update(size_t k, float* p, const float* grad, size_t n) {
  const float lr = float(lr_), wd = float(opt_.weight_decay()), mu = float(opt_.momentum());
  const float keep = float(1.0 - opt_.dampening());
  const float sign = opt_.maximize() ? -1.f : 1.f;
  std::vector<float>& buf = momentum_buffer_[k];
  const bool first = buf.empty();
  if (mu != 0.f && first) buf.resize(n);
  for (size_t i = 0; i < n; ++i) {
    float g = sign * grad[i];
    if (wd != 0.f) g += wd * p[i];               // L2: g = ∇ + wd·p
    if (mu != 0.f) {
      buf[i] = first ? g : mu * buf[i] + keep * g;  // the first step takes g undamped
      g = opt_.nesterov() ? g + mu * buf[i] : buf[i];
    }
    p[i] -= lr * g;
  }
}

// ---- Adam / AdamW ---------------------------------------------------------------------
Adam::Adam(std::vector<Tensor> params, const AdamOptions& o, const char* name, bool decoupled)
    : Optimizer(std::move(params), name, o.lr()), opt_(o), decoupled_(decoupled) {
  GL_CHECK(std::isfinite(o.eps()) && o.eps() >= 0, name, ": eps must be a finite number >= 0, got ", o.eps());
  GL_CHECK(o.beta1() >= 0 && o.beta1() < 1 && o.beta2() >= 0 && o.beta2() < 1, name,
           ": betas must be in [0, 1), got (", o.beta1(), ", ", o.beta2(), ")");
  check_nonneg(name, "weight_decay", o.weight_decay());
  state_.resize(params_.size());
}

Adam::Adam(std::vector<Tensor> params, const AdamOptions& o) : Adam(std::move(params), o, "Adam", false) {}

Adam::Adam(std::vector<Tensor> params, double lr, double beta1, double beta2, double eps)
    : Adam(std::move(params), AdamOptions(lr).betas(beta1, beta2).eps(eps)) {}

AdamW::AdamW(std::vector<Tensor> params, const AdamWOptions& o)
    : Adam(std::move(params), o.adam(), "AdamW", true) {}

void Adam::update(size_t k, float* p, const float* grad, size_t n) {
  State& s = state_[k];
  if (s.step == 0) {
    s.exp_avg.assign(n, 0.f);
    s.exp_avg_sq.assign(n, 0.f);
    if (opt_.amsgrad()) s.max_exp_avg_sq.assign(n, 0.f);
  }
  const int64_t t = ++s.step;
  const double b1 = opt_.beta1(), b2 = opt_.beta2();
  // Python-float scalars, as PyTorch computes them
  const double bias_correction1 = 1.0 - std::pow(b1, double(t));
  const double bias_correction2 = 1.0 - std::pow(b2, double(t));
  const float step_size = float(lr_ / bias_correction1);
  const float bias_correction2_sqrt = float(std::sqrt(bias_correction2));
  const float decay = decoupled_ ? float(1.0 - lr_ * opt_.weight_decay()) : 1.f;  // AdamW
  const float wd = decoupled_ ? 0.f : float(opt_.weight_decay());                  // Adam (L2)
  const float beta1 = float(b1), beta2 = float(b2), eps = float(opt_.eps());
  const float sign = opt_.maximize() ? -1.f : 1.f;
  float* m = s.exp_avg.data();
  float* v = s.exp_avg_sq.data();
  float* vmax = opt_.amsgrad() ? s.max_exp_avg_sq.data() : nullptr;
  for (size_t i = 0; i < n; ++i) {
    float g = sign * grad[i];
    if (decay != 1.f) p[i] *= decay;  // AdamW: p *= 1 − lr·wd
    if (wd != 0.f) g += wd * p[i];    // Adam: g = ∇ + wd·p
    m[i] += (g - m[i]) * (1.f - beta1);  // lerp: m = β1·m + (1 − β1)·g
    v[i] = beta2 * v[i] + (1.f - beta2) * g * g;
    float vv = v[i];
    if (vmax) vv = vmax[i] = std::max(vmax[i], v[i]);
    const float denom = std::sqrt(vv) / bias_correction2_sqrt + eps;
    p[i] -= step_size * m[i] / denom;
  }
}

// ---- RMSprop --------------------------------------------------------------------------
RMSprop::RMSprop(std::vector<Tensor> params, const RMSpropOptions& o)
    : Optimizer(std::move(params), "RMSprop", o.lr()), opt_(o) {
  check_unit("RMSprop", "alpha", o.alpha());
  GL_CHECK(std::isfinite(o.eps()) && o.eps() >= 0, "RMSprop: eps must be a finite number >= 0, got ", o.eps());
  check_nonneg("RMSprop", "momentum", o.momentum());
  check_nonneg("RMSprop", "weight_decay", o.weight_decay());
  state_.resize(params_.size());
}

void RMSprop::update(size_t k, float* p, const float* grad, size_t n) {
  State& s = state_[k];
  const bool centered = opt_.centered();
  const float mu = float(opt_.momentum());
  if (s.square_avg.empty()) {
    s.square_avg.assign(n, 0.f);
    if (centered) s.grad_avg.assign(n, 0.f);
    if (mu > 0.f) s.momentum_buffer.assign(n, 0.f);
  }
  const float lr = float(lr_), alpha = float(opt_.alpha()), eps = float(opt_.eps());
  const float wd = float(opt_.weight_decay());
  const float sign = opt_.maximize() ? -1.f : 1.f;
  for (size_t i = 0; i < n; ++i) {
    float g = sign * grad[i];
    if (wd != 0.f) g += wd * p[i];
    float& sq = s.square_avg[i];
    sq = alpha * sq + (1.f - alpha) * g * g;
    float var = sq;
    if (centered) {
      float& ga = s.grad_avg[i];
      ga += (g - ga) * (1.f - alpha);  // lerp: ḡ = α·ḡ + (1 − α)·g
      // s ≥ ḡ² in exact arithmetic; clamp the rounding that could make it −0.0000001
      var = std::max(0.f, sq - ga * ga);
    }
    const float avg = std::sqrt(var) + eps;
    if (mu > 0.f) {
      float& b = s.momentum_buffer[i];
      b = mu * b + g / avg;
      p[i] -= lr * b;
    } else {
      p[i] -= lr * g / avg;
    }
  }
}

}  // namespace gradlab::optim
