// gradlab's side of the benchmark, built natively and to wasm (run under Node) from this one
// file. Prints JSON lines for bench/run.mjs:
//   gradlab-bench gemm                       sgemm GFLOP/s for the shapes in the README table
//   gradlab-bench step <rnn|lstm|gru> B T D H [ftz] [threads=N]   ms per training step (median
//                                            of 3-15; ftz: natively, with denormals flushed to
//                                            zero; threads: the engine's threads, default 1)
//   gradlab-bench op                         us per call of one small op (bench/python.mjs)
// One training step: recurrent layer -> Linear(H, 1) on the last h -> MSE -> backward -> Adam.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "gradlab/gradlab.h"
#include "gradlab/kernels.h"
#include "gradlab/recurrent.h"
#include "gradlab/threads.h"

#if defined(__SSE__) && !defined(__EMSCRIPTEN__)
#include <xmmintrin.h>
#define GRADLAB_BENCH_HAS_FTZ 1
#endif

using namespace gradlab;
using Clock = std::chrono::steady_clock;

namespace {

double ms_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

// C (M, N) = op(A) · op(B), K inner; repeated until ~0.3 s, best of 5 rounds.
void bench_gemm(const char* label, bool ta, bool tb, int64_t M, int64_t N, int64_t K) {
  std::vector<float> A(size_t(M * K)), B(size_t(K * N)), C(size_t(M * N));
  Rng rng(1);
  for (float& v : A) v = rng.normal();
  for (float& v : B) v = rng.normal();
  int reps = 1;
  for (;;) {  // calibrate
    auto t0 = Clock::now();
    for (int r = 0; r < reps; ++r) kernels::gemm(ta, tb, M, N, K, A.data(), B.data(), 0.f, C.data());
    if (ms_since(t0) > 60.0) break;
    reps *= 2;
  }
  double best = 1e300;
  for (int round = 0; round < 5; ++round) {
    auto t0 = Clock::now();
    for (int r = 0; r < reps; ++r) kernels::gemm(ta, tb, M, N, K, A.data(), B.data(), 0.f, C.data());
    best = std::min(best, ms_since(t0) / reps);
  }
  double gflops = 2.0 * double(M) * double(N) * double(K) / (best * 1e6);
  std::printf("{\"kind\":\"gemm\",\"label\":\"%s\",\"gflops\":%.2f}\n", label, gflops);
}

void bench_step(const std::string& model, int64_t B, int64_t T, int64_t D, int64_t H) {
  manual_seed(0);
  nn::RecurrentOptions opt;
  std::unique_ptr<nn::RecurrentBase> layer;
  if (model == "lstm") layer = std::make_unique<nn::LSTM>(D, H, opt);
  else if (model == "gru") layer = std::make_unique<nn::GRU>(D, H, opt);
  else if (model == "rnn") layer = std::make_unique<nn::RNN>(D, H, opt);
  else GL_FAIL("bench: unknown model '", model, "' (rnn, lstm, gru)");
  nn::Linear head(H, 1);
  std::vector<Tensor> params = layer->parameters();
  for (const Tensor& p : head.parameters()) params.push_back(p);
  optim::Adam adam(params, 1e-3f);
  Tensor x = Tensor::randn({B, T, D});
  Tensor y = Tensor::randn({B, 1});

  auto forward = [&](const Tensor& input) {
    if (model == "lstm") return static_cast<nn::LSTM&>(*layer).forward(input).output;
    if (model == "gru") return static_cast<nn::GRU&>(*layer).forward(input).output;
    return static_cast<nn::RNN&>(*layer).forward(input).output;
  };
  // One step, timed in two parts: forward (layer, head, loss) and backward + Adam. The
  // backward of a recurrent layer does about twice the forward's flops (dX and dW for each
  // product), so backward / forward ≈ 2 means the same speed per flop.
  // Warm-up: at least 3 steps and 0.5 s of them (1 step when a step takes over 1.5 s), then up
  // to 15 timed steps, at least 3, stopping once they have taken 4 s: the slow rows (T = 300)
  // would take minutes. In wasm the 0.5 s matters: V8 first runs Liftoff's quick code and
  // compiles the hot functions again with TurboFan in the background; with 3 warm-up steps of a
  // few ms, the small rows timed a mix of the two (LSTM B=32 T=50 D=10 H=20: 2.6-4.8 ms, against
  // 2.36 ms with node --no-liftoff).
  std::vector<double> times, fwd, bwd;
  const int max_steps = 15;
  int warmup = 3;
  auto w0 = Clock::now();
  double timed_ms = 0;
  for (int s = 0; s < warmup + max_steps; ++s) {
    if (s >= warmup && times.size() >= 3 && timed_ms > 4000) break;
    if (s == warmup && times.empty() && ms_since(w0) < 500) ++warmup;  // warm up for 0.5 s
    auto t0 = Clock::now();
    adam.zero_grad();
    Tensor out = forward(x);  // (B, T, H)
    Tensor loss = mse_loss(head.forward(select(out, 1, T - 1)), y);
    auto t1 = Clock::now();
    loss.backward();
    adam.step();
    if (s < warmup && ms_since(w0) > 1500) warmup = s + 1;
    if (s >= warmup) {
      timed_ms += ms_since(t0);
      times.push_back(ms_since(t0));
      fwd.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
      bwd.push_back(ms_since(t1));
    }
  }
  std::printf("{\"kind\":\"step\",\"model\":\"%s\",\"B\":%lld,\"T\":%lld,\"D\":%lld,\"H\":%lld,"
              "\"ms\":%.3f,\"forward_ms\":%.3f,\"backward_ms\":%.3f,\"n\":%d,\"threads\":%d}\n",
              model.c_str(), (long long)B, (long long)T, (long long)D, (long long)H,
              median(times), median(fwd), median(bwd), int(times.size()), threads::num_threads());
}

// One small op on tensors that need no gradient (no graph is kept): the cost per call is
// mostly the engine's bookkeeping, which the Python and JS overheads in bench/python.mjs add to.
void bench_op() {
  Tensor a = Tensor::randn({32, 30}), b = Tensor::randn({30, 20}), c = Tensor::randn({32, 20});
  auto per_call = [](auto&& fn) {
    std::vector<double> rounds;
    for (int round = 0; round < 5; ++round) {
      const int reps = 20000;
      auto t0 = Clock::now();
      for (int r = 0; r < reps; ++r) fn();
      rounds.push_back(ms_since(t0) * 1000.0 / reps);
    }
    return median(rounds);
  };
  double mm = per_call([&] { Tensor y = matmul(a, b); });
  double sg = per_call([&] { Tensor y = sigmoid(c); });
  std::printf("{\"kind\":\"op\",\"op\":\"matmul 32x30 . 30x20\",\"us\":%.3f}\n", mm);
  std::printf("{\"kind\":\"op\",\"op\":\"sigmoid 32x20\",\"us\":%.3f}\n", sg);
}

}  // namespace

int main(int argc, char** argv) {
  try {
    if (argc >= 2 && std::strcmp(argv[1], "gemm") == 0) {
      bench_gemm("256x256 . 256x256", false, false, 256, 256, 256);
      // the three products of an LSTM step at B=32, H=128 (4H = 512)
      bench_gemm("32x128 . 128x512 (forward)", false, false, 32, 512, 128);
      bench_gemm("32x512 . (128x512)T (dh: B transposed)", false, true, 32, 128, 512);
      bench_gemm("(32x128)T . 32x512 (dW: A transposed)", true, false, 128, 512, 32);
      return 0;
    }
    if (argc == 2 && std::strcmp(argv[1], "op") == 0) {
      bench_op();
      return 0;
    }
    if (argc >= 7 && argc <= 9 && std::strcmp(argv[1], "step") == 0) {
      for (int k = 7; k < argc; ++k) {
        if (std::strncmp(argv[k], "threads=", 8) == 0) {
          threads::set_num_threads(std::atoll(argv[k] + 8));
        } else if (std::strcmp(argv[k], "ftz") == 0) {
#ifdef GRADLAB_BENCH_HAS_FTZ
          // Flush denormals to zero (FTZ) and read them as zero (DAZ): what -ffast-math's
          // start-up code does. A vanishing gradient goes through the denormal range, where
          // x86 arithmetic is many times slower; wasm has no such mode.
          _mm_setcsr(_mm_getcsr() | 0x8040);
#else
          GL_FAIL("bench: ftz is for the native x86 build");
#endif
        } else {
          GL_FAIL("bench: step's options are 'ftz' and 'threads=N', got '", argv[k], "'");
        }
      }
      bench_step(argv[2], std::atoll(argv[3]), std::atoll(argv[4]), std::atoll(argv[5]),
                 std::atoll(argv[6]));
      return 0;
    }
    std::fprintf(stderr, "usage: gradlab-bench gemm | op | step <rnn|lstm|gru> B T D H [ftz] [threads=N]\n");
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "gradlab-bench: %s\n", e.what());
    return 1;
  }
}
