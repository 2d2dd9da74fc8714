#include "gradlab/rng.h"

#include <cmath>

namespace gradlab {

namespace {
uint64_t splitmix64(uint64_t& x) {
  uint64_t z = (x += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}
}  // namespace

void Rng::seed_(uint64_t seed) {
  uint64_t s = seed;
  state_ = splitmix64(s);
  inc_ = splitmix64(s) | 1u;
  has_spare_ = false;
}

// PCG-XSH-RR 64/32 (O'Neill 2014)
uint32_t Rng::next_u32() {
  uint64_t old = state_;
  state_ = old * 6364136223846793005ull + inc_;
  uint32_t xorshifted = uint32_t(((old >> 18u) ^ old) >> 27u);
  uint32_t rot = uint32_t(old >> 59u);
  return (xorshifted >> rot) | (xorshifted << ((32u - rot) & 31u));
}

float Rng::uniform() { return float(next_u32() >> 8) * (1.0f / 16777216.0f); }

// Lemire's rejection: the low 32 bits of x·n are biased below 2^32 mod n; redraw those.
uint32_t Rng::below(uint32_t n) {
  uint64_t m = uint64_t(next_u32()) * n;
  if (uint32_t(m) < n) {
    const uint32_t threshold = uint32_t(-n) % n;
    while (uint32_t(m) < threshold) m = uint64_t(next_u32()) * n;
  }
  return uint32_t(m >> 32);
}

float Rng::uniform(float lo, float hi) { return lo + (hi - lo) * uniform(); }

float Rng::normal() {
  if (has_spare_) {
    has_spare_ = false;
    return float(spare_);
  }
  // u1 in (0, 1] so log(u1) is finite
  double u1 = (double(next_u32()) + 1.0) / 4294967296.0;
  double u2 = double(next_u32()) / 4294967296.0;
  double r = std::sqrt(-2.0 * std::log(u1));
  double theta = 6.283185307179586 * u2;
  spare_ = r * std::sin(theta);
  has_spare_ = true;
  return float(r * std::cos(theta));
}

Rng& global_rng() {
  static Rng rng(0);
  return rng;
}

void manual_seed(uint64_t seed) { global_rng().seed_(seed); }

}  // namespace gradlab
