// Claim 7: an orthogonal W (QR of a Gaussian, sign-fixed) has WᵀW = I, so every singular value
// is 1 and ρ(W) = 1, and ‖W^k‖₂ = 1 at every k. A Gaussian W of the same scale (entries
// N(0, gain²/H), so E‖Wx‖² = gain²‖x‖² too) has ρ ≈ gain but singular values spread from near
// 0 to about 2·gain, and as a non-normal matrix its powers need not keep their norm.
#include <cmath>

#include "experiments_internal.h"

namespace gradlab::experiments::detail {

namespace {

void add_spectrum(Result& r, const std::string& run, const Tensor& w, int64_t K) {
  const int64_t H = w.size(0);
  const analysis::Spectrum s = analysis::spectrum(w);
  const std::vector<double> powers = analysis::power_norms(w, K);
  r.series.push_back(make_series("singular_values", "σ_i", run, "index i", "σ_i(W)", arange(0, H), s.singular_values));
  r.series.push_back(make_series("eigenvalues", "λ", run, "Re λ", "Im λ", s.eig_real, s.eig_imag));
  r.series.push_back(make_series("power_norms", "‖W^k‖₂", run, "k", "‖W^k‖₂", arange(1, K + 1), powers, true));
  xt::xtensor<double, 3> sv = xt::zeros<double>({size_t(1), size_t(1), size_t(H)});
  for (int64_t i = 0; i < H; ++i) sv(0, 0, size_t(i)) = s.singular_values[size_t(i)];
  const double top = std::max(2.5, std::ceil(s.singular_values.front() * 2) / 2);
  r.histograms.push_back({"singular_values", run, "σ", analysis::histogram(sv, 25, 0.0, top)});
  double dev = 0;
  for (double v : s.singular_values) dev = std::max(dev, std::abs(v - 1.0));
  r.scalar(run + "_rho", s.rho);
  r.scalar(run + "_sigma_max", s.singular_values.front());
  r.scalar(run + "_sigma_min", s.singular_values.back());
  r.scalar(run + "_max_abs_sigma_minus_1", dev);
  r.scalar(run + "_power_norm_max", *std::max_element(powers.begin(), powers.end()));
  r.scalar(run + "_power_norm_K", powers.back());
}

Result run_orthogonal_init(const Params& p, const Progress& progress) {
  const int64_t H = p.integer("H"), K = p.integer("K");
  const double gain = p.real("gain");
  manual_seed(uint64_t(p.integer("seed")));
  Tensor q = nn::init::orthogonal_(Tensor::zeros({H, H}), gain);
  Tensor g = nn::init::normal_(Tensor::zeros({H, H}), 0.0, gain / std::sqrt(double(H)));

  Result r;
  add_spectrum(r, "orthogonal", q, K);
  if (progress.callback) progress.callback({"orthogonal", 1, 2, {{"rho", r.scalar("orthogonal_rho")}}});
  add_spectrum(r, "gaussian", g, K);
  if (progress.callback) progress.callback({"gaussian", 2, 2, {{"rho", r.scalar("gaussian_rho")}}});

  const double dev = r.scalar("orthogonal_max_abs_sigma_minus_1");
  if (gain == 1.0) {
    r.check("orthogonal: every singular value is 1", dev < 1e-5, "max |σ_i − 1| = " + fmt(dev, 3));
    r.check("orthogonal: ρ = 1", std::abs(r.scalar("orthogonal_rho") - 1) < 1e-5, "ρ = " + fmt(r.scalar("orthogonal_rho"), 8));
  }
  r.check("Gaussian: the singular values spread", r.scalar("gaussian_sigma_max") / r.scalar("gaussian_sigma_min") > 10,
          "σ from " + fmt(r.scalar("gaussian_sigma_min")) + " to " + fmt(r.scalar("gaussian_sigma_max")) +
              " (ρ = " + fmt(r.scalar("gaussian_rho")) + ")");
  return r;
}

}  // namespace

Experiment orthogonal_init() {
  return {"orthogonal-init",
          "Orthogonal initialisation makes every singular value 1 (so ρ = 1); a Gaussian "
          "initialisation of the same scale has a spread of singular values.",
          "the singular values of both, sorted and as histograms; eigenvalues against the unit circle; ‖W^k‖",
          {ParamSpec::integer("H", 64, 2, 512, "matrix size (H, H)"),
           ParamSpec::real("gain", 1.0, 1e-3, 10.0, "scale: gain·Q and N(0, gain²/H)"),
           ParamSpec::integer("K", 50, 1, 1000, "powers W^k to take the norm of"),
           seed_param(0)},
          run_orthogonal_init};
}

}  // namespace gradlab::experiments::detail
