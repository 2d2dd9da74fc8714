// Differentiable ops. Each op's forward and backward sit side by side in src/autograd/.
// Shapes are checked; a mismatch throws gradlab::Error naming the op and both shapes.
#pragma once
#include "gradlab/tensor.h"

namespace gradlab {

// elementwise, with NumPy broadcasting (a bias row (D) over (N, D), a scalar over anything)
Tensor add(const Tensor& a, const Tensor& b);
Tensor sub(const Tensor& a, const Tensor& b);
Tensor mul(const Tensor& a, const Tensor& b);
Tensor div(const Tensor& a, const Tensor& b);
Tensor neg(const Tensor& x);

// activations
Tensor sigmoid(const Tensor& x);
Tensor tanh(const Tensor& x);
Tensor relu(const Tensor& x);
Tensor exp(const Tensor& x);
Tensor log(const Tensor& x);
Tensor square(const Tensor& x);

// linear algebra: (N, K) @ (K, M); leading dims of a 3-D a are treated as rows
Tensor matmul(const Tensor& a, const Tensor& b);
Tensor transpose(const Tensor& x);  // 2-D

// shape
Tensor cat(const std::vector<Tensor>& xs, int64_t dim);
Tensor select(const Tensor& x, int64_t dim, int64_t index);  // x.select(1, t) == x[:, t]
Tensor reshape(const Tensor& x, const Shape& shape);           // one dim may be -1

// reductions of all elements to a scalar ()
Tensor sum(const Tensor& x);
Tensor mean(const Tensor& x);
Tensor norm(const Tensor& x);    // Frobenius / L2 norm of all elements
Tensor max(const Tensor& x);     // gradient to the first maximum
Tensor min(const Tensor& x);     // gradient to the first minimum
Tensor argmax(const Tensor& x);  // flat index of the first maximum, as a float; no gradient

// reductions along one dim, as in PyTorch: x (…, n, …) -> (…, …), or (…, 1, …) with keepdim.
// A negative dim counts from the end; a 0-D x takes dim 0 or -1.
Tensor sum(const Tensor& x, int64_t dim, bool keepdim);
Tensor mean(const Tensor& x, int64_t dim, bool keepdim);
Tensor max(const Tensor& x, int64_t dim, bool keepdim);     // values; gradient to the first argmax
Tensor min(const Tensor& x, int64_t dim, bool keepdim);     // values; gradient to the first argmin
Tensor argmax(const Tensor& x, int64_t dim, bool keepdim);  // indices as floats; no gradient
Tensor norm(const Tensor& x, int64_t dim, bool keepdim);    // 2-norm along dim

// losses (mean over all elements)
Tensor mse_loss(const Tensor& pred, const Tensor& target);
Tensor bce_loss(const Tensor& prob, const Tensor& target);  // prob in (0, 1)

}  // namespace gradlab
