// A small seeded generator with the same stream on every platform (native and wasm):
// PCG32 for bits, Box-Muller in double for normals.
#pragma once
#include <cstdint>

namespace gradlab {

class Rng {
 public:
  explicit Rng(uint64_t seed = 0) { seed_(seed); }
  void seed_(uint64_t seed);
  uint32_t next_u32();
  float uniform();                  // [0, 1)
  float uniform(float lo, float hi);
  float normal();                   // N(0, 1)
  uint32_t below(uint32_t n);       // uniform in [0, n), unbiased (rejection); n > 0

 private:
  uint64_t state_ = 0, inc_ = 0;
  bool has_spare_ = false;
  double spare_ = 0;
};

// The engine's default generator (like torch.manual_seed / the global generator).
Rng& global_rng();
void manual_seed(uint64_t seed);

}  // namespace gradlab
