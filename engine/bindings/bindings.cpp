// Embind: the engine's raw JS surface. No logic here: argument conversion, and every call
// wrapped so a C++ exception reaches JS as an Error with its message (the module stays usable).
// The friendly API (gl.randn, gl.nn.Linear, ...) is web/src/api/gl.js.
#include <emscripten/bind.h>
#include <emscripten/emscripten.h>  // EM_JS
#include <emscripten/val.h>
#include <malloc.h>

#include <memory>
#include <string>
#include <vector>

#include "gradlab/gradlab.h"
#include "gradlab/threads.h"
#include "guard.h"

using emscripten::val;
using namespace gradlab;
using namespace gradlab::bindings;

// The shadow stack pointer (compiler-rt's stack_ops.S).
extern "C" uintptr_t stackSave();
extern "C" void stackRestore(uintptr_t sp);

EM_JS(void, gradlab_throw_js_error, (const char* message, const char* type), {
  throw new globalThis[UTF8ToString(type)](UTF8ToString(message));
});

namespace gradlab::bindings {
void throw_js_error(const char* message, const char* type) {
  gradlab_throw_js_error(message, type);
  __builtin_unreachable();
}
}  // namespace gradlab::bindings

namespace {

val grad_of(const Tensor& t) {
  Tensor g = t.grad();
  return g.defined() ? val(g) : val::null();
}

val to_float32_array(const Tensor& t) {
  // copy out of wasm memory: the view would dangle once memory grows
  return val::global("Float32Array").new_(emscripten::typed_memory_view(t.vec().size(), t.data()));
}

Tensor from_float32_array(const val& data, const val& shape, bool requires_grad) {
  const Shape s = to_shape(shape, "tensor");
  return Tensor::from(emscripten::convertJSArrayToNumberVector<float>(data), s, requires_grad);
}

Tensor linear_of(const Tensor& x, const Tensor& w, const val& bias) {
  return nn::linear(x, w, bias.isNull() || bias.isUndefined() ? Tensor() : bias.as<Tensor>());
}

val make_linear(const val& in, const val& out, bool bias) {
  const int64_t in_features = to_size(in, "Linear", "in_features", 1);
  const int64_t out_features = to_size(out, "Linear", "out_features", 1);
  nn::Linear lin(in_features, out_features, bias);
  val r = val::object();
  r.set("weight", lin.weight);
  r.set("bias", bias ? val(lin.bias) : val::null());
  return r;
}

// True while backward() could still run through the graph hanging off this node. A graph is
// dead once a backward() through a sibling output freed a node it needs: h_n of a fused layer
// when the loss only used its output, for instance. A dead graph holds memory (the values it
// reads) and can never be backwarded, so the JS side may spill such a tensor like any other.
// Looks at most 64 nodes up the graph; a dead node further up is left for the GC.
bool has_pending_graph(const Node& n) {
  if (!n.backward) return false;
  std::vector<const Node*> todo{&n};
  for (int budget = 64; !todo.empty() && budget > 0; --budget) {
    const Node* m = todo.back();
    todo.pop_back();
    for (const NodePtr& in : m->inputs) {
      if (in->graph_freed) return false;
      if (in->backward) todo.push_back(in.get());
    }
  }
  return true;
}

}  // namespace

EMSCRIPTEN_BINDINGS(gradlab) {
  using emscripten::class_;
  using emscripten::function;
  using emscripten::optional_override;

  class_<Tensor>("Tensor")
      .function("shape", optional_override([](const Tensor& t) { return GUARD(to_js_array(t.shape())); }))
      .function("numel", optional_override([](const Tensor& t) { return GUARD(double(t.numel())); }))
      .function("requiresGrad", optional_override([](const Tensor& t) { return GUARD(t.requires_grad()); }))
      .function("setRequiresGrad", optional_override([](Tensor& t, bool on) { GUARD((t.set_requires_grad(on), 0)); }))
      // true while a graph hangs off this tensor that backward() can still run through
      .function("hasPendingGraph", optional_override([](const Tensor& t) { return GUARD(has_pending_graph(t.node())); }))
      .function("isLeaf", optional_override([](const Tensor& t) { return GUARD(t.is_leaf()); }))
      .function("op", optional_override([](const Tensor& t) { return GUARD(std::string(t.op())); }))
      .function("grad", optional_override([](const Tensor& t) { return GUARD(grad_of(t)); }))
      .function("zeroGrad", optional_override([](Tensor& t) { GUARD((t.zero_grad(), 0)); }))
      .function("clearGrad", optional_override([](Tensor& t) { GUARD((t.clear_grad(), 0)); }))
      .function("retainGrad", optional_override([](Tensor& t) { GUARD((t.retain_grad(), 0)); }))
      .function("backward", optional_override([](const Tensor& t) { GUARD((t.backward(), 0)); }))
      .function("backwardWith", optional_override([](const Tensor& t, const Tensor& seed) { GUARD((t.backward(seed), 0)); }))
      .function("detach", optional_override([](const Tensor& t) { return GUARD(t.detach()); }))
      .function("item", optional_override([](const Tensor& t) { return GUARD(double(t.item())); }))
      .function("toArray", optional_override([](const Tensor& t) { return GUARD(to_float32_array(t)); }))
      .function("str", optional_override([](const Tensor& t) { return GUARD(t.str()); }));

  // A JS exception out of C++ (every Error above) skips the epilogues that pop the shadow
  // stack: gl saves the pointer before a call and puts it back after an error. Without it,
  // ~130,000 errors used up the 2 MB stack into static data and the heap (found by the fuzzer).
  function("stackPointer", optional_override([]() { return double(stackSave()); }));
  function("restoreStackPointer", optional_override([](double sp) { stackRestore(uintptr_t(sp)); }));
  // bytes the allocator has handed out (tensors and everything else), for gl's spill policy
  function("heapInUse", optional_override([]() { return double(mallinfo().uordblks); }));
  function("manualSeed", optional_override([](val seed) { GUARD((manual_seed(to_seed(seed, "manualSeed")), 0)); }));
  function("setNumThreads", optional_override([](val n) {
    GUARD((threads::set_num_threads(to_int(n, "setNumThreads", "n", 1, kMaxElements)), 0));
  }));
  function("getNumThreads", optional_override([]() { return threads::num_threads(); }));
  function("maxThreads", optional_override([]() { return threads::max_threads(); }));
  function("randn", optional_override([](val s, bool rg) { return GUARD(Tensor::randn(to_shape(s, "randn"), rg)); }));
  function("rand", optional_override([](val s, bool rg) { return GUARD(Tensor::rand(to_shape(s, "rand"), rg)); }));
  function("full", optional_override([](val s, float v, bool rg) { return GUARD(Tensor::full(to_shape(s, "full"), v, rg)); }));
  function("zeros", optional_override([](val s, bool rg) { return GUARD(Tensor::zeros(to_shape(s, "zeros"), rg)); }));
  function("ones", optional_override([](val s, bool rg) { return GUARD(Tensor::ones(to_shape(s, "ones"), rg)); }));
  function("fromArray", optional_override([](val d, val s, bool rg) { return GUARD(from_float32_array(d, s, rg)); }));
  function("setGradEnabled", optional_override([](bool on) {
    static std::unique_ptr<NoGradGuard> guard;
    if (on) guard.reset(); else if (!guard) guard = std::make_unique<NoGradGuard>();
  }));

  function("add", optional_override([](const Tensor& a, const Tensor& b) { return GUARD(add(a, b)); }));
  function("sub", optional_override([](const Tensor& a, const Tensor& b) { return GUARD(sub(a, b)); }));
  function("mul", optional_override([](const Tensor& a, const Tensor& b) { return GUARD(mul(a, b)); }));
  function("div", optional_override([](const Tensor& a, const Tensor& b) { return GUARD(div(a, b)); }));
  function("matmul", optional_override([](const Tensor& a, const Tensor& b) { return GUARD(matmul(a, b)); }));
  function("neg", optional_override([](const Tensor& x) { return GUARD(neg(x)); }));
  function("sigmoid", optional_override([](const Tensor& x) { return GUARD(sigmoid(x)); }));
  function("tanh", optional_override([](const Tensor& x) { return GUARD(gradlab::tanh(x)); }));
  function("relu", optional_override([](const Tensor& x) { return GUARD(relu(x)); }));
  function("exp", optional_override([](const Tensor& x) { return GUARD(gradlab::exp(x)); }));
  function("log", optional_override([](const Tensor& x) { return GUARD(gradlab::log(x)); }));
  function("square", optional_override([](const Tensor& x) { return GUARD(square(x)); }));
  function("transpose", optional_override([](const Tensor& x) { return GUARD(transpose(x)); }));
  // reductions: of all elements, or along one dim (keepdim leaves it as size 1)
  function("sum", optional_override([](const Tensor& x) { return GUARD(sum(x)); }));
  function("mean", optional_override([](const Tensor& x) { return GUARD(mean(x)); }));
  function("norm", optional_override([](const Tensor& x) { return GUARD(norm(x)); }));
  function("max", optional_override([](const Tensor& x) { return GUARD(gradlab::max(x)); }));
  function("min", optional_override([](const Tensor& x) { return GUARD(gradlab::min(x)); }));
  function("argmax", optional_override([](const Tensor& x) { return GUARD(argmax(x)); }));
  function("sumDim", optional_override([](const Tensor& x, val d, bool k) { return GUARD(sum(x, to_index(d, "sum", "dim"), k)); }));
  function("meanDim", optional_override([](const Tensor& x, val d, bool k) { return GUARD(mean(x, to_index(d, "mean", "dim"), k)); }));
  function("normDim", optional_override([](const Tensor& x, val d, bool k) { return GUARD(norm(x, to_index(d, "norm", "dim"), k)); }));
  function("maxDim", optional_override([](const Tensor& x, val d, bool k) { return GUARD(gradlab::max(x, to_index(d, "max", "dim"), k)); }));
  function("minDim", optional_override([](const Tensor& x, val d, bool k) { return GUARD(gradlab::min(x, to_index(d, "min", "dim"), k)); }));
  function("argmaxDim", optional_override([](const Tensor& x, val d, bool k) { return GUARD(argmax(x, to_index(d, "argmax", "dim"), k)); }));
  function("select", optional_override([](const Tensor& x, val d, val i) {
    return GUARD(select(x, to_index(d, "select", "dim"), to_index(i, "select", "index")));
  }));
  function("reshape", optional_override([](const Tensor& x, val s) { return GUARD(reshape(x, to_shape(s, "reshape", "shape", true))); }));
  function("cat", optional_override([](val xs, val d) { return GUARD(cat(to_tensors(xs), to_index(d, "cat", "dim"))); }));
  function("mseLoss", optional_override([](const Tensor& p, const Tensor& t) { return GUARD(mse_loss(p, t)); }));
  function("bceLoss", optional_override([](const Tensor& p, const Tensor& t) { return GUARD(bce_loss(p, t)); }));
  function("linear", optional_override([](const Tensor& x, const Tensor& w, val b) { return GUARD(linear_of(x, w, b)); }));
  function("makeLinear", optional_override([](val in, val out, bool bias) { return GUARD(make_linear(in, out, bias)); }));
}
