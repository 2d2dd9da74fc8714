// Classification losses: cross-entropy (softmax and NLL fused), NLL on log-probabilities,
// and BCE on logits. Targets are class indices stored as whole-number floats.
#include <algorithm>
#include <cmath>
#include <vector>

#include "gradlab/check.h"
#include "gradlab/layers.h"
#include "graph.h"

namespace gradlab {

using autograd::input_grad;
using autograd::out_grad;
using autograd::record;

namespace {

// Class targets, read and checked once: target[i] is a class in [0, C) or -1 (ignored).
struct Targets {
  std::vector<int64_t> cls;  // (N)
  int64_t valid = 0;         // how many are not ignored
};

Targets read_targets(const char* op, const Tensor& input, const Tensor& target,
                     int64_t ignore_index) {
  GL_CHECK(input.dim() == 2, op, ": expected input (N, C), got ", shape_str(input.shape()),
           "; for a sequence, reshape (B, T, C) logits to (B·T, C) and targets to (B·T)");
  int64_t N = input.size(0), C = input.size(1);
  GL_CHECK(target.shape() == Shape{N}, op, ": expected target (", N, ",) of class indices for input ",
           shape_str(input.shape()), ", got ", shape_str(target.shape()));
  GL_CHECK(C > 0, op, ": input ", shape_str(input.shape()), " has no classes");
  Targets t;
  t.cls.resize(size_t(N));
  for (int64_t i = 0; i < N; ++i) {
    float v = target.data()[i];
    GL_CHECK(std::isfinite(v) && v == std::floor(v), op, ": target ", v, " at position ", i,
             " is not a class index (a whole number)");
    // |v| < 2^62 before the cast (a float past int64 does not convert); classes are < 2^28
    GL_CHECK(std::abs(v) < 4.6e18f, op, ": target ", v, " out of range for ", C,
             " classes at position ", i);
    int64_t c = int64_t(v);
    if (c == ignore_index) {
      t.cls[size_t(i)] = -1;
      continue;
    }
    GL_CHECK(c >= 0 && c < C, op, ": target ", c, " out of range for ", C, " classes at position ", i);
    t.cls[size_t(i)] = c;
    ++t.valid;
  }
  return t;
}

// The reduced loss from the per-row losses (Mean divides by mean_div; 0 when it is 0).
Tensor reduce(const std::vector<float>& losses, Reduction r, float mean_div, const Shape& none_shape) {
  if (r == Reduction::None) return Tensor::from(losses, none_shape);
  double s = 0;
  for (float l : losses) s += l;
  return Tensor::scalar(float(r == Reduction::Mean ? (mean_div > 0 ? s / mean_div : 0.0) : s));
}

// dL/dloss_i from the output gradient: per element for None, shared for Mean and Sum
inline float row_grad(const float* dy, int64_t i, Reduction r, float mean_div) {
  if (r == Reduction::None) return dy[i];
  if (r == Reduction::Sum) return dy[0];
  return mean_div > 0 ? dy[0] / mean_div : 0.f;
}

// ---- cross-entropy kernels
// ln Σ_c e^{x_ic} = m_i + ln s_i with m_i = max_c x_ic and s_i = Σ_c e^{x_ic - m_i}; kept in
// two parts so that x - m is taken first (exact even when m is 1000).
struct CrossEntropyCache {
  std::vector<float> max;      // (N) m_i
  std::vector<float> log_sum;  // (N) ln s_i
  Targets target;
};

// loss_i = ln Σ_c e^{x_ic} - x_{i, t_i} = (m_i - x_{i, t_i}) + ln s_i  (0 where ignored)
void cross_entropy_forward(float* loss, CrossEntropyCache& cache, const float* x, int64_t N, int64_t C) {
  cache.max.resize(size_t(N));
  cache.log_sum.resize(size_t(N));
  for (int64_t i = 0; i < N; ++i) {
    const float* row = x + i * C;
    float mx = *std::max_element(row, row + C);
    double s = 0;
    for (int64_t c = 0; c < C; ++c) s += std::exp(double(row[c]) - mx);
    cache.max[size_t(i)] = mx;
    cache.log_sum[size_t(i)] = float(std::log(s));
    int64_t t = cache.target.cls[size_t(i)];
    loss[i] = t < 0 ? 0.f : (mx - row[t]) + cache.log_sum[size_t(i)];
  }
}

// forward: loss_i = ln Σ_c e^{x_ic} - x_{i, t_i}
//   =>  dx_ic += dloss_i · (softmax_ic - [c = t_i]),  softmax_ic = e^{(x_ic - m_i) - ln s_i}
void cross_entropy_backward(float* dx, const float* dloss, const float* x,
                            const CrossEntropyCache& cache, int64_t N, int64_t C) {
  for (int64_t i = 0; i < N; ++i) {
    int64_t t = cache.target.cls[size_t(i)];
    if (t < 0) continue;
    float g = dloss[i], mx = cache.max[size_t(i)], log_s = cache.log_sum[size_t(i)];
    for (int64_t c = 0; c < C; ++c) dx[i * C + c] += g * std::exp((x[i * C + c] - mx) - log_s);
    dx[i * C + t] -= g;
  }
}

}  // namespace

// ---- cross_entropy: logits (N, C), target (N)
Tensor cross_entropy(const Tensor& logits, const Tensor& target, int64_t ignore_index,
                     Reduction reduction) {
  CrossEntropyCache cache;
  cache.target = read_targets("cross_entropy", logits, target, ignore_index);
  int64_t N = logits.size(0), C = logits.size(1);
  std::vector<float> losses(static_cast<size_t>(N));
  cross_entropy_forward(losses.data(), cache, logits.data(), N, C);
  float mean_div = float(cache.target.valid);
  Tensor y = reduce(losses, reduction, mean_div, {N});
  return record("cross_entropy", y, {logits}, [cache = std::move(cache), N, C, reduction, mean_div](Node& y) {
    std::vector<float> dloss(static_cast<size_t>(N));
    for (int64_t i = 0; i < N; ++i) dloss[size_t(i)] = row_grad(out_grad(y), i, reduction, mean_div);
    cross_entropy_backward(input_grad(y, 0), dloss.data(), y.inputs[0]->data.data(), cache, N, C);
  });
}

// ---- nll_loss: log_probs (N, C), target (N)
Tensor nll_loss(const Tensor& log_probs, const Tensor& target, int64_t ignore_index,
                Reduction reduction) {
  Targets t = read_targets("nll_loss", log_probs, target, ignore_index);
  int64_t N = log_probs.size(0), C = log_probs.size(1);
  std::vector<float> losses(static_cast<size_t>(N), 0.f);
  // loss_i = -log_probs[i, t_i]
  for (int64_t i = 0; i < N; ++i)
    if (t.cls[size_t(i)] >= 0) losses[size_t(i)] = -log_probs.data()[i * C + t.cls[size_t(i)]];
  float mean_div = float(t.valid);
  Tensor y = reduce(losses, reduction, mean_div, {N});
  return record("nll_loss", y, {log_probs}, [t = std::move(t), N, C, reduction, mean_div](Node& y) {
    // forward: loss_i = -lp[i, t_i]  =>  dlp[i, t_i] -= dloss_i
    float* dlp = input_grad(y, 0);
    for (int64_t i = 0; i < N; ++i)
      if (t.cls[size_t(i)] >= 0) dlp[i * C + t.cls[size_t(i)]] -= row_grad(out_grad(y), i, reduction, mean_div);
  });
}

// ---- bce_with_logits: l = max(x, 0) - x·t + ln(1 + e^{-|x|}), elementwise
Tensor bce_with_logits(const Tensor& logits, const Tensor& target, Reduction reduction) {
  GL_CHECK(logits.shape() == target.shape(), "bce_with_logits: input ", shape_str(logits.shape()),
           " and target ", shape_str(target.shape()), " must have the same shape");
  int64_t n = logits.numel();
  GL_CHECK(n > 0 || reduction != Reduction::Mean, "bce_with_logits: empty input ", shape_str(logits.shape()));
  std::vector<float> losses(static_cast<size_t>(n));
  const float* x = logits.data();
  const float* t = target.data();
  for (int64_t i = 0; i < n; ++i)
    losses[size_t(i)] = std::max(x[i], 0.f) - x[i] * t[i] + std::log1p(std::exp(-std::abs(x[i])));
  float mean_div = float(n);
  Tensor y = reduce(losses, reduction, mean_div, logits.shape());
  return record("bce_with_logits", y, {logits, target}, [n, reduction, mean_div](Node& y) {
    // forward: l = max(x, 0) - x·t + ln(1 + e^{-|x|})  =>  dx += dl · (σ(x) - t), dt += dl · (-x)
    const float* x = y.inputs[0]->data.data();
    const float* t = y.inputs[1]->data.data();
    const float* dy = out_grad(y);
    if (float* dx = input_grad(y, 0))
      for (int64_t i = 0; i < n; ++i) dx[i] += row_grad(dy, i, reduction, mean_div) * (1.f / (1.f + std::exp(-x[i])) - t[i]);
    if (float* dt = input_grad(y, 1))
      for (int64_t i = 0; i < n; ++i) dt[i] -= row_grad(dy, i, reduction, mean_div) * x[i];
  });
}

}  // namespace gradlab
