// Embind for the synthetic tasks (gl.tasks in web/src/api/tasks.js).
#include <emscripten/bind.h>

#include "gradlab/tasks.h"
#include "guard.h"

using emscripten::val;
using namespace gradlab;
using namespace gradlab::bindings;

namespace {
val to_js(const tasks::Batch& b) {
  val r = val::object();
  r.set("x", b.x);
  r.set("y", b.y);
  return r;
}

tasks::AddingProblem* make_adding_problem(const val& T, const val& seed) {
  const int64_t length = to_size(T, "AddingProblem", "T", 2);
  return new tasks::AddingProblem(length, to_seed(seed, "AddingProblem"));
}

tasks::CopyTask* make_copy_task(const val& K, const val& delay, const val& A, const val& seed) {
  const char* who = "CopyTask";
  const int64_t symbols = to_size(K, who, "symbols", 1);
  const int64_t wait = to_size(delay, who, "delay", 1);
  const int64_t alphabet = to_size(A, who, "alphabet", 2);
  return new tasks::CopyTask(symbols, wait, alphabet, to_seed(seed, who));
}
}  // namespace

EMSCRIPTEN_BINDINGS(gradlab_tasks) {
  using emscripten::optional_override;
  emscripten::class_<tasks::AddingProblem>("AddingProblem")
      .constructor(optional_override([](val T, val seed) {
        return GUARD(make_adding_problem(T, seed));
      }), emscripten::allow_raw_pointers())
      .function("batch", optional_override([](tasks::AddingProblem& t, val B) {
        return GUARD(to_js(t.batch(to_size(B, "AddingProblem.batch", "batchSize", 1))));
      }))
      .function("length", optional_override([](const tasks::AddingProblem& t) { return double(t.length()); }));
  emscripten::class_<tasks::CopyTask>("CopyTask")
      .constructor(optional_override([](val K, val delay, val A, val seed) {
        return GUARD(make_copy_task(K, delay, A, seed));
      }), emscripten::allow_raw_pointers())
      .function("batch", optional_override([](tasks::CopyTask& t, val B) {
        return GUARD(to_js(t.batch(to_size(B, "CopyTask.batch", "batchSize", 1))));
      }))
      .function("length", optional_override([](const tasks::CopyTask& t) { return double(t.length()); }))
      .function("classes", optional_override([](const tasks::CopyTask& t) { return double(t.classes()); }))
      .function("baselineCrossEntropy", optional_override([](const tasks::CopyTask& t) { return t.baseline_cross_entropy(); }));
  emscripten::constant("ADDING_BASELINE_MSE", tasks::AddingProblem::kBaselineMSE);
}
