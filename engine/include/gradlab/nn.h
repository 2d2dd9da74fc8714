// Layers. A Module owns parameters (leaf tensors with requires_grad).
#pragma once
#include <string>
#include <vector>

#include "gradlab/tensor.h"

namespace gradlab::nn {

class Module {
 public:
  virtual ~Module() = default;
  virtual std::vector<Tensor> parameters() const = 0;
  int64_t num_parameters() const;
};

// y = x · Wᵀ + b, W (out, in), b (out). PyTorch's layout and default init:
// W, b ~ U(-1/√in, 1/√in).
class Linear : public Module {
 public:
  Linear(int64_t in_features, int64_t out_features, bool bias = true);
  Tensor forward(const Tensor& x) const;  // (*, in) -> (*, out)
  std::vector<Tensor> parameters() const override;

  int64_t in_features, out_features;
  Tensor weight;  // (out, in)
  Tensor bias;    // (out), undefined without bias
};

// The fused op behind Linear (also usable without a Module).
Tensor linear(const Tensor& x, const Tensor& weight, const Tensor& bias);

}  // namespace gradlab::nn
