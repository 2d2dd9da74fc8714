// torch.nn.init's initialisers on gradlab tensors, in place, from the seeded global_rng().
#include "gradlab/init.h"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>

#include "gradlab/check.h"

namespace gradlab::nn::init {

namespace {

// The values of t, refusing tensors that a pending graph still reads.
std::vector<float>& values(const Tensor& t, const char* who) {
  GL_CHECK(t.defined(), who, ": got an undefined tensor");
  Node& n = t.node();
  GL_CHECK(!n.backward, who, ": the tensor ", shape_str(n.shape), " was made by ", n.op,
           " and is part of a graph; initialise leaf tensors (parameters) instead");
  return n.data;
}

void check_finite(const char* who, const char* what, double v) {
  GL_CHECK(std::isfinite(v), who, ": ", what, " must be a finite number, got ", v);
}

Tensor fill_uniform(const Tensor& t, const char* who, double lo, double hi) {
  std::vector<float>& x = values(t, who);
  Rng& rng = global_rng();
  for (float& v : x) v = float(lo + (hi - lo) * double(rng.uniform()));
  return t;
}

Tensor fill_normal(const Tensor& t, const char* who, double mean, double std) {
  std::vector<float>& x = values(t, who);
  Rng& rng = global_rng();
  for (float& v : x) v = float(mean + std * double(rng.normal()));
  return t;
}

double fan_of(const Tensor& t, const char* who, const std::string& mode) {
  Fans f = calculate_fans(t, who);
  if (mode == "fan_in") return double(f.fan_in);
  if (mode == "fan_out") return double(f.fan_out);
  GL_FAIL(who, ": mode must be 'fan_in' or 'fan_out', got '", mode, "'");
}

}  // namespace

double calculate_gain(const std::string& nl, std::optional<double> param) {
  if (nl == "linear" || nl == "sigmoid" || nl == "identity" || nl.rfind("conv", 0) == 0) return 1.0;
  if (nl == "tanh") return 5.0 / 3.0;
  if (nl == "relu") return std::sqrt(2.0);
  if (nl == "leaky_relu") {
    double slope = param.value_or(0.01);
    check_finite("calculate_gain", "negative_slope", slope);
    return std::sqrt(2.0 / (1.0 + slope * slope));
  }
  if (nl == "selu") return 0.75;
  GL_FAIL("calculate_gain: unsupported nonlinearity '", nl,
          "' (expected linear, sigmoid, tanh, relu, leaky_relu, selu or conv1d/2d/3d)");
}

Fans calculate_fans(const Tensor& t, const char* who) {
  GL_CHECK(t.defined(), who, ": got an undefined tensor");
  GL_CHECK(t.dim() >= 2, who, ": fan in and fan out need a tensor with at least 2 dimensions, got shape ",
           shape_str(t.shape()));
  int64_t receptive = 1;
  for (int64_t d = 2; d < t.dim(); ++d) receptive *= t.size(d);
  return {t.size(1) * receptive, t.size(0) * receptive};
}

Tensor uniform_(const Tensor& t, double a, double b) {
  check_finite("uniform", "a", a);
  check_finite("uniform", "b", b);
  GL_CHECK(a <= b, "uniform: expected a <= b, got a = ", a, ", b = ", b);
  return fill_uniform(t, "uniform", a, b);
}

Tensor normal_(const Tensor& t, double mean, double std) {
  check_finite("normal", "mean", mean);
  GL_CHECK(std::isfinite(std) && std >= 0, "normal: std must be a finite number >= 0, got ", std);
  return fill_normal(t, "normal", mean, std);
}

Tensor constant_(const Tensor& t, double value) {
  std::vector<float>& x = values(t, "constant");
  std::fill(x.begin(), x.end(), float(value));
  return t;
}

Tensor zeros_(const Tensor& t) { values(t, "zeros"); return constant_(t, 0.0); }
Tensor ones_(const Tensor& t) { values(t, "ones"); return constant_(t, 1.0); }

Tensor fill_slice_(const Tensor& t, int64_t start, int64_t length, double value) {
  std::vector<float>& x = values(t, "fill_slice");
  const int64_t n = int64_t(x.size());
  GL_CHECK(start >= 0 && length >= 0 && start <= n && length <= n - start, "fill_slice: elements [",
           start, ", ", start + length, ") are out of range for a tensor of ", n, " elements, shape ",
           shape_str(t.shape()));
  std::fill(x.begin() + start, x.begin() + start + length, float(value));
  return t;
}

Tensor eye_(const Tensor& t, double gain) {
  check_finite("eye", "gain", gain);
  std::vector<float>& x = values(t, "eye");
  GL_CHECK(t.dim() == 2, "eye: expected a 2-D tensor, got shape ", shape_str(t.shape()));
  const int64_t rows = t.size(0), cols = t.size(1);
  std::fill(x.begin(), x.end(), 0.f);
  for (int64_t i = 0; i < std::min(rows, cols); ++i) x[size_t(i * cols + i)] = float(gain);
  return t;
}

Tensor xavier_uniform_(const Tensor& t, double gain) {
  check_finite("xavier_uniform", "gain", gain);
  Fans f = calculate_fans(t, "xavier_uniform");
  if (t.numel() == 0) return t;
  const double std = gain * std::sqrt(2.0 / double(f.fan_in + f.fan_out));
  const double a = std::sqrt(3.0) * std;
  return fill_uniform(t, "xavier_uniform", -a, a);
}

Tensor xavier_normal_(const Tensor& t, double gain) {
  check_finite("xavier_normal", "gain", gain);
  Fans f = calculate_fans(t, "xavier_normal");
  if (t.numel() == 0) return t;
  return fill_normal(t, "xavier_normal", 0.0, gain * std::sqrt(2.0 / double(f.fan_in + f.fan_out)));
}

Tensor kaiming_uniform_(const Tensor& t, double a, const std::string& mode, const std::string& nonlinearity) {
  check_finite("kaiming_uniform", "a", a);
  const double fan = fan_of(t, "kaiming_uniform", mode);
  const double gain = calculate_gain(nonlinearity, a);
  if (t.numel() == 0) return t;
  const double bound = std::sqrt(3.0) * gain / std::sqrt(fan);
  return fill_uniform(t, "kaiming_uniform", -bound, bound);
}

Tensor kaiming_normal_(const Tensor& t, double a, const std::string& mode, const std::string& nonlinearity) {
  check_finite("kaiming_normal", "a", a);
  const double fan = fan_of(t, "kaiming_normal", mode);
  const double gain = calculate_gain(nonlinearity, a);
  if (t.numel() == 0) return t;
  return fill_normal(t, "kaiming_normal", 0.0, gain / std::sqrt(fan));
}

namespace detail {
std::vector<double> orthogonal_matrix(int64_t rows, int64_t cols, Rng& rng, bool sign_fix) {
  using Mat = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  Mat a(rows, cols);  // drawn (rows, cols) row-major, as torch draws `flattened`
  for (int64_t i = 0; i < rows * cols; ++i) a.data()[i] = double(rng.normal());
  const bool wide = rows < cols;
  Eigen::MatrixXd tall = wide ? Eigen::MatrixXd(a.transpose()) : Eigen::MatrixXd(a);  // (m, n), m ≥ n
  const Eigen::Index m = tall.rows(), n = tall.cols();
  Eigen::HouseholderQR<Eigen::MatrixXd> qr(tall);
  Eigen::MatrixXd q = qr.householderQ() * Eigen::MatrixXd::Identity(m, n);  // reduced Q (m, n)
  if (sign_fix) {
    // A = QR is unique only up to the signs of R's diagonal; fixing diag(R) > 0 makes Q
    // Haar-distributed (Mezzadri 2007). sign(0) taken as +1.
    for (Eigen::Index j = 0; j < n; ++j) {
      if (qr.matrixQR()(j, j) < 0) q.col(j) *= -1.0;
    }
  }
  Mat out = wide ? Mat(q.transpose()) : Mat(q);  // (rows, cols)
  return std::vector<double>(out.data(), out.data() + out.size());
}
}  // namespace detail

Tensor orthogonal_(const Tensor& t, double gain) {
  check_finite("orthogonal", "gain", gain);
  std::vector<float>& x = values(t, "orthogonal");
  GL_CHECK(t.dim() >= 2, "orthogonal: expected a tensor with at least 2 dimensions, got shape ",
           shape_str(t.shape()));
  if (t.numel() == 0) return t;
  const int64_t rows = t.size(0), cols = t.numel() / rows;
  std::vector<double> q = detail::orthogonal_matrix(rows, cols, global_rng(), true);
  for (size_t i = 0; i < x.size(); ++i) x[i] = float(gain * q[i]);
  return t;
}

Tensor scale_spectral_radius_(const Tensor& t, double rho) {
  GL_CHECK(std::isfinite(rho) && rho >= 0, "spectral_radius: rho must be a finite number >= 0, got ", rho);
  std::vector<float>& x = values(t, "spectral_radius");
  const double current = linalg::spectral_radius(t);
  GL_CHECK(current > 0, "spectral_radius: the matrix ", shape_str(t.shape()),
           " has spectral radius 0 (nilpotent or zero), so it cannot be rescaled to ", rho);
  const double s = rho / current;
  for (float& v : x) v = float(double(v) * s);
  return t;
}

Tensor spectral_radius_(const Tensor& t, double rho) {
  GL_CHECK(std::isfinite(rho) && rho >= 0, "spectral_radius: rho must be a finite number >= 0, got ", rho);
  values(t, "spectral_radius");
  GL_CHECK(t.dim() == 2 && t.size(0) == t.size(1), "spectral_radius: expected a square matrix, got shape ",
           shape_str(t.shape()));
  fill_normal(t, "spectral_radius", 0.0, 1.0);
  return scale_spectral_radius_(t, rho);
}

}  // namespace gradlab::nn::init
