// Sequential, and the small layers it chains: activations and Dropout.
#include "gradlab/check.h"
#include "gradlab/layers.h"
#include "gradlab/ops.h"

namespace gradlab::nn {

Tensor ReLU::forward(const Tensor& x) { return relu(x); }
Tensor Tanh::forward(const Tensor& x) { return tanh(x); }
Tensor Sigmoid::forward(const Tensor& x) { return sigmoid(x); }
Tensor GELU::forward(const Tensor& x) { return gelu(x, approximate); }

Dropout::Dropout(float p_) : p(p_) {
  GL_CHECK(p >= 0.f && p < 1.f, "Dropout: p must be in [0, 1), got ", p);
}

Tensor Dropout::forward(const Tensor& x) { return dropout(x, p, training); }

Tensor Sequential::forward(const Tensor& x) {
  Tensor h = x;
  for (const Step& step : steps_) h = step.forward(h);
  return h;
}

std::vector<Tensor> Sequential::parameters() const {
  std::vector<Tensor> ps;
  for (const Step& step : steps_)
    for (const Tensor& p : step.module->parameters()) ps.push_back(p);
  return ps;
}

void Sequential::train(bool on) {
  training = on;
  for (const Step& step : steps_)
    if (step.train) step.train(on);
}

}  // namespace gradlab::nn
