// Optimisers update parameters in place from their .grad with PyTorch's update rules and
// defaults (torch.optim.SGD, Adam, AdamW, RMSprop; one parameter group). Options read like
// libtorch's: optim::SGD(params, SGDOptions(0.1).momentum(0.9).nesterov(true)).
//
// A parameter whose .grad is undefined is skipped, and its state (step count, moments) does
// not advance, as in PyTorch. Hyperparameters are doubles (Python floats); the per-element
// arithmetic is float32.
#pragma once
#include <cstdint>
#include <vector>

#include "gradlab/tensor.h"

namespace gradlab::optim {

// Declares `T name_` with a getter `name()` and a chaining setter `name(v)`.
#define GL_OPTION(Self, T, name, init)          \
 public:                                        \
  Self& name(T v) { name##_ = v; return *this; } \
  T name() const { return name##_; }            \
                                                \
 private:                                       \
  T name##_ = init

class Optimizer {
 public:
  Optimizer(std::vector<Tensor> params, const char* name, double lr);
  virtual ~Optimizer() = default;
  void step();  // one update of every parameter that has a grad
  void zero_grad();
  const std::vector<Tensor>& params() const { return params_; }
  const char* name() const { return name_; }
  double lr() const { return lr_; }
  void set_lr(double lr);  // between steps, like param_groups[0]['lr'] = ...
  int64_t steps() const { return steps_; }  // step() calls so far

 protected:
  // Updates params_[k] (data p, grad g, n elements) for the state slot k.
  virtual void update(size_t k, float* p, const float* g, size_t n) = 0;
  std::vector<Tensor> params_;
  const char* name_;
  double lr_;
  int64_t steps_ = 0;
};

// ---- SGD ------------------------------------------------------------------------------
struct SGDOptions {
  explicit SGDOptions(double lr = 1e-3) : lr_(lr) {}
  GL_OPTION(SGDOptions, double, lr, 1e-3);
  GL_OPTION(SGDOptions, double, momentum, 0);
  GL_OPTION(SGDOptions, double, dampening, 0);
  GL_OPTION(SGDOptions, double, weight_decay, 0);
  GL_OPTION(SGDOptions, bool, nesterov, false);
  GL_OPTION(SGDOptions, bool, maximize, false);
};

// torch.optim.SGD:
//   g = ∇ (+ wd·p);  b = g on the first step, else b = μ·b + (1 − τ)·g
//   g = g + μ·b (Nesterov) or g = b;  p -= lr·g
class SGD : public Optimizer {
 public:
  SGD(std::vector<Tensor> params, const SGDOptions& options);
  SGD(std::vector<Tensor> params, double lr, double momentum = 0);
  const SGDOptions& options() const { return opt_; }

 private:
  void update(size_t k, float* p, const float* g, size_t n) override;
  SGDOptions opt_;
  std::vector<std::vector<float>> momentum_buffer_;
};

// ---- Adam and AdamW -------------------------------------------------------------------
struct AdamOptions {
  explicit AdamOptions(double lr = 1e-3) : lr_(lr) {}
  AdamOptions& betas(double b1, double b2) { beta1_ = b1; beta2_ = b2; return *this; }
  GL_OPTION(AdamOptions, double, lr, 1e-3);
  GL_OPTION(AdamOptions, double, beta1, 0.9);
  GL_OPTION(AdamOptions, double, beta2, 0.999);
  GL_OPTION(AdamOptions, double, eps, 1e-8);
  GL_OPTION(AdamOptions, double, weight_decay, 0);
  GL_OPTION(AdamOptions, bool, amsgrad, false);
  GL_OPTION(AdamOptions, bool, maximize, false);
};

// torch.optim.AdamW's defaults differ from Adam's only in weight_decay (1e-2).
struct AdamWOptions {
  explicit AdamWOptions(double lr = 1e-3) : lr_(lr) {}
  AdamWOptions& betas(double b1, double b2) { beta1_ = b1; beta2_ = b2; return *this; }
  AdamOptions adam() const {
    return AdamOptions(lr_).betas(beta1_, beta2_).eps(eps_).weight_decay(weight_decay_)
        .amsgrad(amsgrad_).maximize(maximize_);
  }
  GL_OPTION(AdamWOptions, double, lr, 1e-3);
  GL_OPTION(AdamWOptions, double, beta1, 0.9);
  GL_OPTION(AdamWOptions, double, beta2, 0.999);
  GL_OPTION(AdamWOptions, double, eps, 1e-8);
  GL_OPTION(AdamWOptions, double, weight_decay, 1e-2);
  GL_OPTION(AdamWOptions, bool, amsgrad, false);
  GL_OPTION(AdamWOptions, bool, maximize, false);
};

// torch.optim.Adam (weight decay as L2, added to the gradient) and torch.optim.AdamW
// (decoupled: p *= 1 − lr·wd before the Adam step). With t the parameter's step count:
//   m = β1·m + (1 − β1)·g;  v = β2·v + (1 − β2)·g²;  (amsgrad: v̂ = max(v̂, v))
//   p -= lr/(1 − β1^t) · m / (√v / √(1 − β2^t) + eps)
class Adam : public Optimizer {
 public:
  Adam(std::vector<Tensor> params, const AdamOptions& options);
  Adam(std::vector<Tensor> params, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
       double eps = 1e-8);
  const AdamOptions& options() const { return opt_; }

 protected:
  Adam(std::vector<Tensor> params, const AdamOptions& options, const char* name, bool decoupled);

 private:
  void update(size_t k, float* p, const float* g, size_t n) override;
  AdamOptions opt_;
  bool decoupled_;
  struct State {
    int64_t step = 0;
    std::vector<float> exp_avg, exp_avg_sq, max_exp_avg_sq;
  };
  std::vector<State> state_;
};

class AdamW : public Adam {
 public:
  AdamW(std::vector<Tensor> params, const AdamWOptions& options = AdamWOptions());
};

// ---- RMSprop --------------------------------------------------------------------------
struct RMSpropOptions {
  explicit RMSpropOptions(double lr = 1e-2) : lr_(lr) {}
  GL_OPTION(RMSpropOptions, double, lr, 1e-2);
  GL_OPTION(RMSpropOptions, double, alpha, 0.99);
  GL_OPTION(RMSpropOptions, double, eps, 1e-8);
  GL_OPTION(RMSpropOptions, double, weight_decay, 0);
  GL_OPTION(RMSpropOptions, double, momentum, 0);
  GL_OPTION(RMSpropOptions, bool, centered, false);
  GL_OPTION(RMSpropOptions, bool, maximize, false);
};

// torch.optim.RMSprop:
//   g = ∇ (+ wd·p);  s = α·s + (1 − α)·g²;  centered: ḡ = α·ḡ + (1 − α)·g, s̃ = s − ḡ²
//   d = √s̃ + eps;  momentum: b = μ·b + g/d, p -= lr·b;  else p -= lr·g/d
class RMSprop : public Optimizer {
 public:
  RMSprop(std::vector<Tensor> params, const RMSpropOptions& options = RMSpropOptions());
  const RMSpropOptions& options() const { return opt_; }

 private:
  void update(size_t k, float* p, const float* g, size_t n) override;
  RMSpropOptions opt_;
  struct State {
    std::vector<float> square_avg, grad_avg, momentum_buffer;
  };
  std::vector<State> state_;
};

#undef GL_OPTION

}  // namespace gradlab::optim
