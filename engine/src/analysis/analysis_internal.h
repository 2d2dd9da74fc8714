// Helpers shared by the analysis files: weights into Eigen (double), the spectral norm.
#pragma once
#include <Eigen/Core>
#include <cmath>

#include "gradlab/check.h"
#include "gradlab/tensor.h"

namespace gradlab::analysis::detail {

using RowMajor = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// A 2-D tensor as a double matrix; a non-finite entry is an error naming where it is.
inline RowMajor to_eigen(const Tensor& w) {
  GL_CHECK(w.defined() && w.dim() == 2, "analysis: expected a 2-D matrix, got ",
           w.defined() ? shape_str(w.shape()) : "undefined");
  const int64_t rows = w.size(0), cols = w.size(1);
  RowMajor m(rows, cols);
  const float* p = w.data();
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t j = 0; j < cols; ++j) {
      const float v = p[i * cols + j];
      GL_CHECK(std::isfinite(v), "analysis: the matrix has a non-finite entry, ", v, " at (", i,
               ", ", j, ")");
      m(i, j) = double(v);
    }
  return m;
}

// ‖M‖₂, the largest singular value (by linalg::singular_values: Eigen's SVD is slow to
// compile, so one file of the engine instantiates it).
double spectral_norm(const Eigen::MatrixXd& m);

}  // namespace gradlab::analysis::detail
