// Differentiable ops. Each op's forward and backward sit side by side in src/autograd/.
// Shapes are checked; a mismatch throws gradlab::Error naming the op and both shapes.
#pragma once
#include <optional>
#include <vector>

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
Tensor sqrt(const Tensor& x);
Tensor abs(const Tensor& x);                 // gradient sign(x), 0 at 0
Tensor pow(const Tensor& x, float p);        // x^p; gradient p·x^(p-1) (0 when p = 0)
// min ≤ x ≤ max, either bound optional (not both). Gradient 1 where min ≤ x ≤ max (the
// bounds included, as PyTorch), 0 outside; a NaN stays NaN.
Tensor clamp(const Tensor& x, std::optional<float> min, std::optional<float> max);
Tensor floor(const Tensor& x);               // gradient 0

// comparisons, broadcast like the elementwise ops: 1 where true, 0 where false; no gradient
Tensor eq(const Tensor& a, const Tensor& b);
Tensor ne(const Tensor& a, const Tensor& b);
Tensor lt(const Tensor& a, const Tensor& b);
Tensor le(const Tensor& a, const Tensor& b);
Tensor gt(const Tensor& a, const Tensor& b);
Tensor ge(const Tensor& a, const Tensor& b);
Tensor isnan(const Tensor& x);
Tensor isfinite(const Tensor& x);
// y = cond ≠ 0 ? a : b, all three broadcast. The gradient goes to a where cond holds and to
// b elsewhere; a NaN or Inf in the branch not taken reaches neither values nor gradients.
Tensor where(const Tensor& cond, const Tensor& a, const Tensor& b);

// linear algebra: (N, K) @ (K, M); leading dims of a 3-D a are treated as rows
Tensor matmul(const Tensor& a, const Tensor& b);
Tensor transpose(const Tensor& x);  // 2-D

// shape
Tensor cat(const std::vector<Tensor>& xs, int64_t dim);
Tensor select(const Tensor& x, int64_t dim, int64_t index);  // x.select(1, t) == x[:, t]
Tensor reshape(const Tensor& x, const Shape& shape);           // one dim may be -1
// y = x with dim indexed by `index` (1-D, whole numbers; negative ones count from the end):
// x[:, idx] for dim 1. Backward adds into the rows it read (a repeated index accumulates).
Tensor index_select(const Tensor& x, int64_t dim, const Tensor& index);
Tensor permute(const Tensor& x, const std::vector<int64_t>& dims);  // negative dims allowed
// PyTorch's expand: size-1 dims repeat, -1 keeps a size, new leading dims may be added.
// A copy here (no strided views); backward sums over the repeats.
Tensor expand(const Tensor& x, const Shape& shape);

// In place: x's values become src's (src broadcast to x's shape). No graph is recorded.
// Refused in grad mode for a leaf that requires grad (PyTorch's rule) and for an src that
// requires grad (the copy would drop its gradient). Bumps x's version: a graph that saved x
// before the write refuses backward().
Tensor& copy_(Tensor& x, const Tensor& src);

// random integers from global_rng(), as floats (exact: sizes and bounds are capped at 2^24)
Tensor randperm(int64_t n);                                      // a permutation of 0 .. n-1
Tensor randint(int64_t low, int64_t high, const Shape& shape);   // uniform in [low, high)

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
