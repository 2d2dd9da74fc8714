// The engine's threads (gradlab/threads.h): the pool runs every part once and passes errors
// back, and a recurrent layer split between threads by rows gives the same bits as on one.
#include <atomic>
#include <cstring>
#include <set>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "gradlab/gradlab.h"
#include "gradlab/kernels.h"
#include "gradlab/threads.h"

using namespace gradlab;
using Catch::Matchers::Contains;

namespace {

// restores the thread count a test changed
struct ThreadCount {
  int saved = threads::num_threads();
  explicit ThreadCount(int n) { threads::set_num_threads(n); }
  ~ThreadCount() { threads::set_num_threads(saved); }
};

bool same_bits(const Tensor& a, const Tensor& b) {
  if (a.defined() != b.defined()) return false;
  if (!a.defined()) return true;
  return a.shape() == b.shape() && std::memcmp(a.data(), b.data(), sizeof(float) * size_t(a.numel())) == 0;
}

struct Run {
  std::vector<Tensor> outputs, grads;
};

// One forward and backward of a fused layer, from seed 3, with `n` threads.
Run run_layer(nn::CellKind kind, nn::Nonlinearity nl, int64_t B, int64_t T, int64_t L,
              bool batch_first, int n) {
  ThreadCount count(n);
  manual_seed(3);
  const int64_t D = 5, H = 32;  // (the tests below pass T * G * 32 * 32 to parts_for)
  nn::RecurrentOptions o;
  o.num_layers = L, o.nonlinearity = nl, o.batch_first = batch_first;
  std::shared_ptr<nn::RecurrentBase> layer;
  if (kind == nn::CellKind::RNN) layer = std::make_shared<nn::RNN>(D, H, o);
  if (kind == nn::CellKind::LSTM) layer = std::make_shared<nn::LSTM>(D, H, o);
  if (kind == nn::CellKind::GRU) layer = std::make_shared<nn::GRU>(D, H, o);
  const bool lstm = kind == nn::CellKind::LSTM;
  Tensor x = Tensor::randn(batch_first ? Shape{B, T, D} : Shape{T, B, D}, true);
  Tensor h0 = Tensor::randn({L, B, H}, true);
  Tensor c0 = lstm ? Tensor::randn({L, B, H}, true) : Tensor();
  nn::RecurrentOutput y = nn::recurrent(kind, x, h0, c0, layer->parameters(), o);
  // a loss that weighs every output differently, so every row's gradient differs
  Tensor w = Tensor::randn(y.output.shape());
  Tensor loss = add(sum(mul(y.output, w)), sum(mul(y.h_n, y.h_n)));
  if (lstm) loss = add(loss, sum(y.c_n));
  loss.backward();
  Run r;
  r.outputs = {y.output, y.h_n, y.c_n};
  r.grads = {x.grad(), h0.grad()};
  if (lstm) r.grads.push_back(c0.grad());
  for (const Tensor& p : layer->parameters()) r.grads.push_back(p.grad());
  return r;
}

}  // namespace

TEST_CASE("threads: run calls every part once, on as many threads as parts", "[threads]") {
  const int n = 4;
  ThreadCount count(n);
  for (int parts = 1; parts <= n; ++parts) {
    std::vector<std::atomic<int>> calls(static_cast<size_t>(parts));
    std::vector<std::thread::id> ids(static_cast<size_t>(parts));
    for (int job = 0; job < 50; ++job) {  // many jobs in a row: no part lost between them
      threads::run(parts, [&](int part) {
        calls[size_t(part)]++;
        ids[size_t(part)] = std::this_thread::get_id();
      });
    }
    for (int part = 0; part < parts; ++part) CHECK(calls[size_t(part)] == 50);
    CHECK(ids[0] == std::this_thread::get_id());  // part 0 runs on the caller
    CHECK(std::set<std::thread::id>(ids.begin(), ids.end()).size() == size_t(parts));
  }
}

TEST_CASE("threads: an error in any part reaches the caller, and the pool goes on", "[threads]") {
  ThreadCount count(2);
  CHECK_THROWS_WITH(threads::run(2, [](int part) { GL_CHECK(part == 0, "part ", part, " failed"); }),
                    "part 1 failed");
  std::atomic<int> sum{0};
  threads::run(2, [&](int part) { sum += part + 1; });
  CHECK(sum == 3);
  // a run inside a part runs its parts in turn on that thread instead of waiting for the pool
  std::atomic<int> inner{0};
  threads::run(2, [&](int) { threads::run(2, [&](int) { inner++; }); });
  CHECK(inner == 4);
}

TEST_CASE("threads: set_num_threads names the value and the limit", "[threads]") {
  CHECK_THROWS_WITH(threads::set_num_threads(0), Contains("set_num_threads: n must be in [1, ") && Contains("got 0"));
  CHECK_THROWS_WITH(threads::set_num_threads(threads::max_threads() + 1),
                    Contains("got " + std::to_string(threads::max_threads() + 1)));
  CHECK_THROWS_WITH(threads::run(threads::num_threads() + 1, [](int) {}), Contains("threads::run: parts must be in"));
}

TEST_CASE("threads: parts_for keeps parts aligned and skips ops too small to split", "[threads]") {
  ThreadCount count(2);
  CHECK(threads::parts_for(32, 4, 100 * 128 * 32) == 2);  // the adding-problem race's LSTM
  CHECK(threads::parts_for(7, 4, 1 << 20) == 1);          // fewer than two aligned parts
  CHECK(threads::parts_for(32, 4, 10) == 1);              // microseconds of work in all
  const threads::Rows a = threads::part_rows(0, 2, 33, 4), b = threads::part_rows(1, 2, 33, 4);
  CHECK(a.first == 0);
  CHECK(a.count == 16);
  CHECK(b.first == 16);
  CHECK(b.count == 17);
  ThreadCount one(1);
  CHECK(threads::parts_for(32, 4, 1 << 20) == 1);
}

TEST_CASE("threads: a recurrent layer split between threads gives the same bits as one thread",
          "[threads]") {
  const int n = 3;
  const int64_t T = 64;
  for (auto [kind, nl] : {std::pair{nn::CellKind::RNN, nn::Nonlinearity::Tanh},
                          std::pair{nn::CellKind::RNN, nn::Nonlinearity::ReLU},
                          std::pair{nn::CellKind::LSTM, nn::Nonlinearity::Tanh},
                          std::pair{nn::CellKind::GRU, nn::Nonlinearity::Tanh}}) {
    const int64_t G = nn::gate_count(kind);
    for (int64_t B : {int64_t(3), int64_t(8), int64_t(13), int64_t(32), int64_t(33)}) {
      for (int64_t L : {int64_t(1), int64_t(2)}) {
        const bool batch_first = L == 1;
        INFO(nn::kind_name(kind) << (nl == nn::Nonlinearity::ReLU ? "(relu)" : "") << " B=" << B
                                 << " T=" << T << " L=" << L << " with " << n << " threads");
        int parts = 1;
        {
          ThreadCount count(n);
          parts = threads::parts_for(B, 4, T * G * 32 * 32);
        }
        if (B >= 16) CHECK(parts >= 2);  // the split this test is about does happen
        const Run one = run_layer(kind, nl, B, T, L, batch_first, 1);
        const Run many = run_layer(kind, nl, B, T, L, batch_first, n);
        for (size_t k = 0; k < one.outputs.size(); ++k) CHECK(same_bits(one.outputs[k], many.outputs[k]));
        REQUIRE(one.grads.size() == many.grads.size());
        for (size_t k = 0; k < one.grads.size(); ++k) {
          INFO("gradient " << k);
          CHECK(one.grads[k].defined());
          CHECK(same_bits(one.grads[k], many.grads[k]));
        }
      }
    }
  }
}

TEST_CASE("threads: a product split between threads by rows gives the same bits as one call",
          "[threads]") {
  int split = 0;
  for (bool trans_a : {false, true})
    for (bool trans_b : {false, true})
      for (int64_t M : {8, 13, 32, 100, 3200})
        for (int64_t N : {1, 2, 3, 7, 32, 130, 512})
          for (int64_t K : {1, 2, 5, 32, 129, 3200}) {
            if (M * N * K > (int64_t(1) << 24)) continue;
            INFO("trans_a " << trans_a << " trans_b " << trans_b << " M=" << M << " N=" << N << " K=" << K);
            manual_seed(uint64_t(M * 1000003 + N * 1009 + K));
            Tensor A = Tensor::randn({M * K}), B = Tensor::randn({K * N}), C0 = Tensor::randn({M * N});
            Tensor one = C0.clone(), many = C0.clone();
            for (float beta : {0.f, 1.f}) {
              {
                ThreadCount count(1);
                kernels::gemm(trans_a, trans_b, M, N, K, A.data(), B.data(), beta, one.data());
              }
              ThreadCount count(3);
              if (N >= 2 && K + N + 4 >= 20 && threads::parts_for(M, 4, N * K) > 1) ++split;
              kernels::gemm(trans_a, trans_b, M, N, K, A.data(), B.data(), beta, many.data());
              CHECK(same_bits(one, many));
            }
          }
  CHECK(split > 40);  // many of the shapes above were split
}
