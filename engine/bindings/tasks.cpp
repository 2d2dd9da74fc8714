// Embind for the synthetic tasks (gl.tasks in web/src/api/tasks.js).
#include <emscripten/bind.h>

#include "gradlab/tasks.h"
#include "guard.h"

using emscripten::val;
using namespace gradlab;

namespace {
val to_js(const tasks::Batch& b) {
  val r = val::object();
  r.set("x", b.x);
  r.set("y", b.y);
  return r;
}
}  // namespace

EMSCRIPTEN_BINDINGS(gradlab_tasks) {
  using emscripten::optional_override;
  emscripten::class_<tasks::AddingProblem>("AddingProblem")
      .constructor(optional_override([](double T, double seed) {
        return G(new tasks::AddingProblem(int64_t(T), uint64_t(seed)));
      }), emscripten::allow_raw_pointers())
      .function("batch", optional_override([](tasks::AddingProblem& t, double B) { return G(to_js(t.batch(int64_t(B)))); }))
      .function("length", optional_override([](const tasks::AddingProblem& t) { return double(t.length()); }));
  emscripten::class_<tasks::CopyTask>("CopyTask")
      .constructor(optional_override([](double K, double delay, double A, double seed) {
        return G(new tasks::CopyTask(int64_t(K), int64_t(delay), int64_t(A), uint64_t(seed)));
      }), emscripten::allow_raw_pointers())
      .function("batch", optional_override([](tasks::CopyTask& t, double B) { return G(to_js(t.batch(int64_t(B)))); }))
      .function("length", optional_override([](const tasks::CopyTask& t) { return double(t.length()); }))
      .function("classes", optional_override([](const tasks::CopyTask& t) { return double(t.classes()); }))
      .function("baselineCrossEntropy", optional_override([](const tasks::CopyTask& t) { return t.baseline_cross_entropy(); }));
  emscripten::constant("ADDING_BASELINE_MSE", tasks::AddingProblem::kBaselineMSE);
}
