// The synthetic tasks: structure, targets, seeds and their baselines.
#include <catch2/catch.hpp>

#include "gradlab/gradlab.h"

using namespace gradlab;
using Catch::Matchers::Contains;

TEST_CASE("adding problem: two markers, one per half, and the target is their sum", "[tasks]") {
  for (int64_t T : {2, 3, 10, 101}) {
    tasks::AddingProblem task(T, 5);
    auto [x, y] = task.batch(64);
    REQUIRE(x.shape() == Shape{64, T, 2});
    REQUIRE(y.shape() == Shape{64, 1});
    for (int64_t b = 0; b < 64; ++b) {
      const float* seq = x.data() + b * T * 2;
      int first_half = 0, second_half = 0;
      double sum = 0;
      for (int64_t t = 0; t < T; ++t) {
        CHECK(seq[2 * t] >= 0.f);
        CHECK(seq[2 * t] < 1.f);
        if (seq[2 * t + 1] == 1.f) {
          (t < T / 2 ? first_half : second_half)++;
          sum += seq[2 * t];
        } else {
          CHECK(seq[2 * t + 1] == 0.f);
        }
      }
      INFO("T " << T << ", sequence " << b);
      CHECK(first_half == 1);
      CHECK(second_half == 1);
      CHECK(y.data()[b] == Approx(sum));
    }
  }
}

TEST_CASE("adding problem: predicting the mean scores MSE = 1/6", "[tasks]") {
  tasks::AddingProblem task(50, 11);
  auto [x, y] = task.batch(20000);
  double mse = 0;
  for (float v : y.vec()) mse += (v - 1.0) * (v - 1.0);
  mse /= double(y.numel());
  CHECK(mse == Approx(tasks::AddingProblem::kBaselineMSE).margin(0.005));
}

TEST_CASE("tasks: the same seed gives the same batches, another seed others", "[tasks]") {
  tasks::AddingProblem a(20, 1), b(20, 1), c(20, 2);
  CHECK(a.batch(8).x.vec() == b.batch(8).x.vec());
  CHECK(a.batch(8).x.vec() == b.batch(8).x.vec());  // streams stay in step
  CHECK(a.batch(8).x.vec() != c.batch(8).x.vec());
  tasks::CopyTask p(5, 10, 8, 3), q(5, 10, 8, 3);
  CHECK(p.batch(4).y.vec() == q.batch(4).y.vec());
}

TEST_CASE("copy task: read K symbols, wait, see the marker, write them back", "[tasks]") {
  const int64_t K = 4, delay = 7, A = 6;
  tasks::CopyTask task(K, delay, A, 9);
  const int64_t T = task.length(), C = task.classes();
  REQUIRE(T == delay + 2 * K);
  REQUIRE(C == A + 2);
  auto [x, y] = task.batch(16);
  REQUIRE(x.shape() == Shape{16, T, C});
  REQUIRE(y.shape() == Shape{16, T});
  for (int64_t b = 0; b < 16; ++b) {
    const float* xs = x.data() + b * T * C;
    const float* ys = y.data() + b * T;
    auto id_at = [&](int64_t t) {
      int64_t id = -1, ones = 0;
      for (int64_t c = 0; c < C; ++c)
        if (xs[t * C + c] == 1.f) { id = c; ++ones; }
      REQUIRE(ones == 1);  // one-hot
      return id;
    };
    for (int64_t t = 0; t < T; ++t) {
      int64_t id = id_at(t);
      if (t < K) CHECK((id >= 1 && id <= A));
      else if (t == K + delay - 1) CHECK(id == A + 1);
      else CHECK(id == 0);
      if (t < K + delay) CHECK(ys[t] == 0.f);
      else CHECK(ys[t] == float(id_at(t - K - delay)));
    }
  }
  CHECK(task.baseline_cross_entropy() == Approx(K * std::log(double(A)) / double(T)));
}

TEST_CASE("tasks: bad sizes are refused with the values", "[tasks][errors]") {
  REQUIRE_THROWS_WITH(tasks::AddingProblem(1, 0), Contains("AddingProblem") && Contains("got 1"));
  REQUIRE_THROWS_WITH(tasks::AddingProblem(10, 0).batch(0), Contains("batch size") && Contains("got 0"));
  REQUIRE_THROWS_WITH(tasks::CopyTask(0, 5, 8, 0), Contains("symbols") && Contains("got 0"));
  REQUIRE_THROWS_WITH(tasks::CopyTask(3, 5, 1, 0), Contains("alphabet") && Contains("got 1"));
}
