// Embind: the engine's raw JS surface. No logic here: argument conversion, and every call
// wrapped so a C++ exception reaches JS as an Error with its message (the module stays usable).
// The friendly API (gl.randn, gl.nn.Linear, ...) is web/src/api/gl.js.
#include <emscripten/bind.h>
#include <emscripten/val.h>
#include <malloc.h>

#include <memory>
#include <string>
#include <vector>

#include "gradlab/gradlab.h"
#include "guard.h"

using emscripten::val;
using namespace gradlab;
using namespace gradlab::bindings;

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
      .function("shape", optional_override([](const Tensor& t) { return G(to_js_array(t.shape())); }))
      .function("numel", optional_override([](const Tensor& t) { return G(double(t.numel())); }))
      .function("requiresGrad", optional_override([](const Tensor& t) { return G(t.requires_grad()); }))
      .function("setRequiresGrad", optional_override([](Tensor& t, bool on) { G((t.set_requires_grad(on), 0)); }))
      // true while a graph hangs off this tensor that backward() can still run through
      .function("hasPendingGraph", optional_override([](const Tensor& t) { return G(has_pending_graph(t.node())); }))
      .function("isLeaf", optional_override([](const Tensor& t) { return G(t.is_leaf()); }))
      .function("op", optional_override([](const Tensor& t) { return G(std::string(t.op())); }))
      .function("grad", optional_override([](const Tensor& t) { return G(grad_of(t)); }))
      .function("zeroGrad", optional_override([](Tensor& t) { G((t.zero_grad(), 0)); }))
      .function("retainGrad", optional_override([](Tensor& t) { G((t.retain_grad(), 0)); }))
      .function("backward", optional_override([](const Tensor& t) { G((t.backward(), 0)); }))
      .function("backwardWith", optional_override([](const Tensor& t, const Tensor& seed) { G((t.backward(seed), 0)); }))
      .function("detach", optional_override([](const Tensor& t) { return G(t.detach()); }))
      .function("item", optional_override([](const Tensor& t) { return G(double(t.item())); }))
      .function("toArray", optional_override([](const Tensor& t) { return G(to_float32_array(t)); }))
      .function("str", optional_override([](const Tensor& t) { return G(t.str()); }));

  // bytes the allocator has handed out (tensors and everything else), for gl's spill policy
  function("heapInUse", optional_override([]() { return double(mallinfo().uordblks); }));
  function("manualSeed", optional_override([](val seed) { G((manual_seed(to_seed(seed, "manualSeed")), 0)); }));
  function("randn", optional_override([](val s, bool rg) { return G(Tensor::randn(to_shape(s, "randn"), rg)); }));
  function("rand", optional_override([](val s, bool rg) { return G(Tensor::rand(to_shape(s, "rand"), rg)); }));
  function("full", optional_override([](val s, float v, bool rg) { return G(Tensor::full(to_shape(s, "full"), v, rg)); }));
  function("zeros", optional_override([](val s, bool rg) { return G(Tensor::zeros(to_shape(s, "zeros"), rg)); }));
  function("ones", optional_override([](val s, bool rg) { return G(Tensor::ones(to_shape(s, "ones"), rg)); }));
  function("fromArray", optional_override([](val d, val s, bool rg) { return G(from_float32_array(d, s, rg)); }));
  function("setGradEnabled", optional_override([](bool on) {
    static std::unique_ptr<NoGradGuard> guard;
    if (on) guard.reset(); else if (!guard) guard = std::make_unique<NoGradGuard>();
  }));

  function("add", optional_override([](const Tensor& a, const Tensor& b) { return G(add(a, b)); }));
  function("sub", optional_override([](const Tensor& a, const Tensor& b) { return G(sub(a, b)); }));
  function("mul", optional_override([](const Tensor& a, const Tensor& b) { return G(mul(a, b)); }));
  function("div", optional_override([](const Tensor& a, const Tensor& b) { return G(div(a, b)); }));
  function("matmul", optional_override([](const Tensor& a, const Tensor& b) { return G(matmul(a, b)); }));
  function("neg", optional_override([](const Tensor& x) { return G(neg(x)); }));
  function("sigmoid", optional_override([](const Tensor& x) { return G(sigmoid(x)); }));
  function("tanh", optional_override([](const Tensor& x) { return G(gradlab::tanh(x)); }));
  function("relu", optional_override([](const Tensor& x) { return G(relu(x)); }));
  function("exp", optional_override([](const Tensor& x) { return G(gradlab::exp(x)); }));
  function("log", optional_override([](const Tensor& x) { return G(gradlab::log(x)); }));
  function("square", optional_override([](const Tensor& x) { return G(square(x)); }));
  function("transpose", optional_override([](const Tensor& x) { return G(transpose(x)); }));
  // reductions: of all elements, or along one dim (keepdim leaves it as size 1)
  function("sum", optional_override([](const Tensor& x) { return G(sum(x)); }));
  function("mean", optional_override([](const Tensor& x) { return G(mean(x)); }));
  function("norm", optional_override([](const Tensor& x) { return G(norm(x)); }));
  function("max", optional_override([](const Tensor& x) { return G(gradlab::max(x)); }));
  function("min", optional_override([](const Tensor& x) { return G(gradlab::min(x)); }));
  function("argmax", optional_override([](const Tensor& x) { return G(argmax(x)); }));
  function("sumDim", optional_override([](const Tensor& x, val d, bool k) { return G(sum(x, to_index(d, "sum", "dim"), k)); }));
  function("meanDim", optional_override([](const Tensor& x, val d, bool k) { return G(mean(x, to_index(d, "mean", "dim"), k)); }));
  function("normDim", optional_override([](const Tensor& x, val d, bool k) { return G(norm(x, to_index(d, "norm", "dim"), k)); }));
  function("maxDim", optional_override([](const Tensor& x, val d, bool k) { return G(gradlab::max(x, to_index(d, "max", "dim"), k)); }));
  function("minDim", optional_override([](const Tensor& x, val d, bool k) { return G(gradlab::min(x, to_index(d, "min", "dim"), k)); }));
  function("argmaxDim", optional_override([](const Tensor& x, val d, bool k) { return G(argmax(x, to_index(d, "argmax", "dim"), k)); }));
  function("select", optional_override([](const Tensor& x, val d, val i) {
    return G(select(x, to_index(d, "select", "dim"), to_index(i, "select", "index")));
  }));
  function("reshape", optional_override([](const Tensor& x, val s) { return G(reshape(x, to_shape(s, "reshape", "shape", true))); }));
  function("cat", optional_override([](val xs, val d) { return G(cat(to_tensors(xs), to_index(d, "cat", "dim"))); }));
  function("mseLoss", optional_override([](const Tensor& p, const Tensor& t) { return G(mse_loss(p, t)); }));
  function("bceLoss", optional_override([](const Tensor& p, const Tensor& t) { return G(bce_loss(p, t)); }));
  function("linear", optional_override([](const Tensor& x, const Tensor& w, val b) { return G(linear_of(x, w, b)); }));
  function("makeLinear", optional_override([](val in, val out, bool bias) { return G(make_linear(in, out, bias)); }));
}
