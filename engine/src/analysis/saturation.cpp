// Saturation: how much of the nonlinearity's slope is left, and the effective radius it leaves
// the recurrence with, ρ_eff = ρ(W_hh) · E[σ'(z)].
#include <algorithm>
#include <cmath>
#include <xtensor/xmath.hpp>
#include <xtensor/xsort.hpp>

#include "gradlab/analysis.h"
#include "gradlab/check.h"
#include "gradlab/init.h"

namespace gradlab::analysis {

Histogram histogram(const xt::xtensor<double, 3>& values, int64_t bins, double lo, double hi) {
  GL_CHECK(bins >= 1, "histogram: bins must be positive, got ", bins);
  GL_CHECK(bins <= kMaxBins, "histogram: bins ", bins, " is more than the limit ", kMaxBins);
  GL_CHECK(std::isfinite(lo) && std::isfinite(hi) && lo < hi, "histogram: need a finite range lo < hi, got [",
           lo, ", ", hi, "]");
  Histogram h;
  h.lo = lo;
  h.hi = hi;
  h.counts.assign(size_t(bins), 0.0);
  for (int64_t k = 0; k <= bins; ++k) h.edges.push_back(lo + (hi - lo) * double(k) / double(bins));
  const double width = (hi - lo) / double(bins);
  for (double v : values) {
    if (std::isnan(v)) continue;
    int64_t k = int64_t(std::floor((v - lo) / width));
    h.counts[size_t(std::clamp<int64_t>(k, 0, bins - 1))] += 1.0;
  }
  return h;
}

Saturation saturation(const Tensor& w_hh, const xt::xtensor<double, 3>& z, Activation act, int64_t bins) {
  GL_CHECK(z.size() > 0, "saturation: got no pre-activations");
  Saturation s;
  s.rho = linalg::spectral_radius(w_hh);
  const xt::xtensor<double, 3> slopes = activation_slopes(z, act);
  s.mean_slope = xt::mean(slopes)();
  s.rho_eff = s.rho * s.mean_slope;
  s.saturated_fraction = xt::mean(xt::cast<double>(slopes < 0.1))();
  s.mean_abs_z = xt::mean(xt::abs(z))();
  // a symmetric range that holds the bulk of z, at least [-3, 3], at most [-12, 12]
  const double reach = std::clamp(std::ceil(xt::amax(xt::abs(z))()), 3.0, 12.0);
  s.z = histogram(z, bins, -reach, reach);
  s.slope = histogram(slopes, bins, 0.0, 1.0 + 1e-9);
  return s;
}

}  // namespace gradlab::analysis
