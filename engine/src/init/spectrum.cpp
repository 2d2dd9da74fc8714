// The spectrum of a weight matrix, in double: eigenvalues (ρ(W) = max |λ|) and singular values.
#include <Eigen/Eigenvalues>
#include <Eigen/SVD>
#include <cmath>

#include "gradlab/check.h"
#include "gradlab/init.h"

namespace gradlab::linalg {

namespace {
Eigen::MatrixXd to_matrix(const Tensor& W, const char* who, bool square) {
  GL_CHECK(W.defined(), who, ": got an undefined tensor");
  GL_CHECK(W.dim() == 2, who, ": expected a 2-D matrix, got shape ", shape_str(W.shape()));
  const int64_t rows = W.size(0), cols = W.size(1);
  GL_CHECK(!square || rows == cols, who, ": expected a square matrix, got shape ", shape_str(W.shape()));
  GL_CHECK(rows > 0 && cols > 0, who, ": got an empty matrix ", shape_str(W.shape()));
  Eigen::MatrixXd m(rows, cols);
  const float* w = W.data();
  for (int64_t i = 0; i < rows; ++i) {
    for (int64_t j = 0; j < cols; ++j) {
      const float v = w[i * cols + j];
      GL_CHECK(std::isfinite(v), who, ": the matrix has a non-finite entry, ", v, " at (", i, ", ", j, ")");
      m(i, j) = double(v);
    }
  }
  return m;
}
}  // namespace

std::vector<std::complex<double>> eigenvalues(const Tensor& W) {
  Eigen::MatrixXd m = to_matrix(W, "eigenvalues", true);
  Eigen::EigenSolver<Eigen::MatrixXd> solver(m, /*computeEigenvectors=*/false);
  GL_CHECK(solver.info() == Eigen::Success, "eigenvalues: the eigenvalue iteration did not converge for a ",
           shape_str(W.shape()), " matrix");
  const auto& ev = solver.eigenvalues();
  return std::vector<std::complex<double>>(ev.data(), ev.data() + ev.size());
}

double spectral_radius(const Tensor& W) {
  Eigen::MatrixXd m = to_matrix(W, "spectral_radius", true);
  Eigen::EigenSolver<Eigen::MatrixXd> solver(m, false);
  GL_CHECK(solver.info() == Eigen::Success, "spectral_radius: the eigenvalue iteration did not converge for a ",
           shape_str(W.shape()), " matrix");
  return solver.eigenvalues().cwiseAbs().maxCoeff();
}

namespace {
// Eigen's SVD is slow to compile (about 20 s), so this is the one place that instantiates it.
// Jacobi's, values only: at the sizes the lab shows (up to a few hundred columns) it takes
// milliseconds, and it is the more accurate of Eigen's two. BDCSVD (divide and conquer, which
// hands blocks below 16 columns to Jacobi anyway) added 110 KB to the wasm for no gain here.
std::vector<double> svd_values(const Eigen::MatrixXd& m) {
  Eigen::JacobiSVD<Eigen::MatrixXd> svd(m);
  const auto& s = svd.singularValues();
  return std::vector<double>(s.data(), s.data() + s.size());
}
}  // namespace

std::vector<double> singular_values(const Tensor& W) {
  return svd_values(to_matrix(W, "singular_values", false));
}

std::vector<double> singular_values(const double* data, int64_t rows, int64_t cols) {
  GL_CHECK(rows > 0 && cols > 0, "singular_values: got an empty matrix (", rows, ", ", cols, ")");
  using RowMajor = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  return svd_values(Eigen::Map<const RowMajor>(data, rows, cols));
}

}  // namespace gradlab::linalg
