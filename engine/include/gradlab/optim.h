// Optimisers update parameters in place from their .grad, PyTorch's update rules.
#pragma once
#include <vector>

#include "gradlab/tensor.h"

namespace gradlab::optim {

class Optimizer {
 public:
  explicit Optimizer(std::vector<Tensor> params, const char* name);
  virtual ~Optimizer() = default;
  virtual void step() = 0;
  void zero_grad();
  const std::vector<Tensor>& params() const { return params_; }
  float lr;

 protected:
  std::vector<Tensor> params_;
};

// v = momentum·v + g;  p -= lr·v   (momentum 0: plain SGD)
class SGD : public Optimizer {
 public:
  SGD(std::vector<Tensor> params, float lr, float momentum = 0.f);
  void step() override;
  float momentum;

 private:
  std::vector<std::vector<float>> velocity_;
};

// Adam (Kingma & Ba), bias-corrected, as torch.optim.Adam.
class Adam : public Optimizer {
 public:
  Adam(std::vector<Tensor> params, float lr = 1e-3f, float beta1 = 0.9f, float beta2 = 0.999f,
       float eps = 1e-8f);
  void step() override;
  float beta1, beta2, eps;
  int64_t steps() const { return t_; }

 private:
  int64_t t_ = 0;
  std::vector<std::vector<float>> m_, v_;
};

}  // namespace gradlab::optim
