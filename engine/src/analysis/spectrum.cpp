// Spectra of a recurrent weight: ρ(W), singular values, eigenvalues, ‖W^k‖, and their drift
// over training.
#include <Eigen/Core>
#include <xtensor/xadapt.hpp>

#include "analysis_internal.h"
#include "gradlab/analysis.h"
#include "gradlab/init.h"

namespace gradlab::analysis {

double detail::spectral_norm(const Eigen::MatrixXd& m) {
  if (m.rows() == 0 || m.cols() == 0) return 0.0;
  // m is column-major: its buffer read row-major is mᵀ, which has the same singular values
  return linalg::singular_values(m.data(), m.cols(), m.rows()).front();
}

Spectrum spectrum(const Tensor& w) {
  GL_CHECK(w.defined() && w.dim() == 2 && w.size(0) == w.size(1),
           "spectrum: expected a square matrix, got ", w.defined() ? shape_str(w.shape()) : "undefined");
  Spectrum s;
  for (const auto& lambda : linalg::eigenvalues(w)) {
    s.eig_real.push_back(lambda.real());
    s.eig_imag.push_back(lambda.imag());
    s.rho = std::max(s.rho, std::abs(lambda));
  }
  s.singular_values = linalg::singular_values(w);
  return s;
}

std::vector<double> power_norms(const Tensor& w, int64_t K) {
  GL_CHECK(K >= 1, "power_norms: K must be positive, got ", K);
  GL_CHECK(K <= kMaxPowerIterations, "power_norms: K (iterations) ", K, " is more than the limit ",
           kMaxPowerIterations);
  const Eigen::MatrixXd W = detail::to_eigen(w);
  GL_CHECK(W.rows() == W.cols(), "power_norms: expected a square matrix, got ", shape_str(w.shape()));
  std::vector<double> out;
  Eigen::MatrixXd P = W;
  for (int64_t k = 1; k <= K; ++k) {
    out.push_back(detail::spectral_norm(P));
    P = W * P;
  }
  return out;
}

namespace {
std::vector<double> indices(int64_t n) {
  std::vector<double> v(static_cast<size_t>(n), 0.0);
  for (int64_t i = 0; i < n; ++i) v[size_t(i)] = double(i);
  return v;
}
}  // namespace

namespace {
int64_t checked_hidden_size(int64_t H) {  // W_hh (H, H) must fit in a tensor
  GL_CHECK(H >= 1, "SpectralTracker: hidden_size must be positive, got ", H);
  GL_CHECK(H <= kMaxElements / H, "SpectralTracker: hidden_size ", H,
           " is too large: W_hh (H, H) would have more than ", kMaxElements, " elements");
  return H;
}
}  // namespace

SpectralTracker::SpectralTracker(int64_t hidden_size)
    : singular_("training step", "singular value index", indices(checked_hidden_size(hidden_size))) {}

void SpectralTracker::record(double step, const Tensor& w_hh) {
  std::vector<double> sv = linalg::singular_values(w_hh);
  steps_.push_back(step);
  rho_.push_back(linalg::spectral_radius(w_hh));
  singular_.append(step, xt::adapt(sv, std::array<size_t, 1>{sv.size()}));
}

}  // namespace gradlab::analysis
