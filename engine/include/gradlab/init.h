// Initialisers (torch.nn.init's formulas), in place on a tensor's values, drawing from the
// seeded global_rng() so that manual_seed reproduces them. Each returns the tensor.
// And the spectrum of a weight matrix (ρ(W), eigenvalues, singular values), which decides
// whether W^T·v vanishes or explodes as T grows.
#pragma once
#include <complex>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "gradlab/rng.h"
#include "gradlab/tensor.h"

namespace gradlab::nn::init {

// torch.nn.init.calculate_gain: linear/conv*/sigmoid 1, tanh 5/3, relu √2,
// leaky_relu √(2 / (1 + slope²)) (slope defaults to 0.01), selu 3/4.
double calculate_gain(const std::string& nonlinearity, std::optional<double> param = std::nullopt);

// fan_in = size(1) · receptive field, fan_out = size(0) · receptive field (≥ 2-D).
struct Fans {
  int64_t fan_in, fan_out;
};
Fans calculate_fans(const Tensor& t, const char* who = "calculate_fans");

Tensor uniform_(const Tensor& t, double a = 0.0, double b = 1.0);       // U(a, b)
Tensor normal_(const Tensor& t, double mean = 0.0, double std = 1.0);   // N(mean, std²)
Tensor constant_(const Tensor& t, double value);
Tensor zeros_(const Tensor& t);
Tensor ones_(const Tensor& t);
// Sets the flat elements [start, start + length) to value: the forget-gate slice of an LSTM
// bias laid out (i, f, g, o) is fill_slice_(b, H, H, 1).
Tensor fill_slice_(const Tensor& t, int64_t start, int64_t length, double value);

// gain · I (2-D; ones on the main diagonal of a rectangular matrix). IRNN: W_hh = I.
Tensor eye_(const Tensor& t, double gain = 1.0);

// U(−a, a) with a = gain·√(6 / (fan_in + fan_out));  N(0, gain²·2 / (fan_in + fan_out))
Tensor xavier_uniform_(const Tensor& t, double gain = 1.0);
Tensor xavier_normal_(const Tensor& t, double gain = 1.0);

// std = calculate_gain(nonlinearity, a) / √fan, fan = fan_in or fan_out (mode);
// uniform: U(−√3·std, √3·std), normal: N(0, std²).
Tensor kaiming_uniform_(const Tensor& t, double a = 0.0, const std::string& mode = "fan_in",
                        const std::string& nonlinearity = "leaky_relu");
Tensor kaiming_normal_(const Tensor& t, double a = 0.0, const std::string& mode = "fan_in",
                       const std::string& nonlinearity = "leaky_relu");

// gain · Q, Q with orthonormal rows or columns (whichever are fewer), Haar-distributed:
// QR of a Gaussian (size(0), numel / size(0)) matrix (transposed when wider than tall),
// Q's columns multiplied by sign(diag(R)).
Tensor orthogonal_(const Tensor& t, double gain = 1.0);

// Square W ~ N(0, 1), then W ← W · ρ / ρ(W): spectral radius exactly rho.
Tensor spectral_radius_(const Tensor& t, double rho);
// W ← W · ρ / ρ(W) for the W already there (keeps its structure, sets its spectral radius).
Tensor scale_spectral_radius_(const Tensor& t, double rho);

namespace detail {
// The orthogonal_ matrix (rows, cols), row-major, optionally without the sign fix (then Q
// is not Haar: Householder QR makes diag(R) negative, biasing Q's first column). For tests.
std::vector<double> orthogonal_matrix(int64_t rows, int64_t cols, Rng& rng, bool sign_fix = true);
}  // namespace detail

}  // namespace gradlab::nn::init

namespace gradlab::linalg {

// max |λ_i| of a square matrix (Eigen's EigenSolver, in double).
double spectral_radius(const Tensor& W);
// The eigenvalues of a square matrix, in Eigen's order.
std::vector<std::complex<double>> eigenvalues(const Tensor& W);
// The singular values of a 2-D matrix, largest first (Eigen's JacobiSVD, in double).
std::vector<double> singular_values(const Tensor& W);
// The same for a (rows, cols) row-major matrix of doubles (the analysis's Jacobian products).
std::vector<double> singular_values(const double* data, int64_t rows, int64_t cols);

}  // namespace gradlab::linalg
