// Embind for analysis::capture_graph / traced_backward: gl.graph (web/src/api/graph.js).
// Conversion only: the graph becomes a plain object of arrays (values as Float32Arrays).
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <string>
#include <utility>
#include <vector>

#include "gradlab/analysis.h"
#include "guard.h"

using emscripten::val;
using namespace gradlab;
using namespace gradlab::bindings;

namespace {

val summary_js(const analysis::ValueSummary& s) {
  val r = val::object();
  r.set("numel", double(s.numel));
  r.set("min", s.min);
  r.set("max", s.max);
  r.set("mean", s.mean);
  r.set("norm", s.norm);
  r.set("values", val::global("Float32Array").new_(emscripten::typed_memory_view(s.head.size(), s.head.data())));
  return r;
}

val ids_js(const std::vector<int64_t>& ids) {
  val arr = val::array();
  for (int64_t i : ids) arr.call<void>("push", double(i));
  return arr;
}

// names: [[name, tensor], ...]; max_nodes: a size; backward: run the traced backward
val graph(const Tensor& root, const val& names, const val& max_nodes, bool backward) {
  const char* who = "graph";
  std::vector<std::pair<std::string, Tensor>> named;
  const unsigned n = names["length"].as<unsigned>();
  for (unsigned i = 0; i < n; ++i) named.emplace_back(names[i][0].as<std::string>(), names[i][1].as<Tensor>());
  const int64_t cap = to_size(max_nodes, who, "maxNodes", 1);
  const analysis::AutogradGraph g =
      backward ? analysis::traced_backward(root, named, cap, who) : analysis::capture_graph(root, named, cap, who);
  val nodes = val::array();
  for (const auto& node : g.nodes) {
    val o = val::object();
    o.set("id", double(node.id));
    o.set("op", node.op);
    o.set("name", node.name);
    o.set("shape", to_js_array(node.shape));
    o.set("leaf", node.leaf);
    o.set("requiresGrad", node.requires_grad);
    o.set("value", summary_js(node.value));
    o.set("grad", node.has_grad ? summary_js(node.grad) : val::null());
    nodes.call<void>("push", o);
  }
  val edges = val::array();
  for (const auto& e : g.edges) {
    val o = val::object();
    o.set("from", double(e.from));
    o.set("to", double(e.to));
    o.set("index", double(e.index));
    edges.call<void>("push", o);
  }
  val steps = val::null();
  if (g.traced) {
    steps = val::array();
    for (const auto& s : g.steps) {
      val o = val::object();
      o.set("node", double(s.node));
      o.set("grad", summary_js(s.grad));
      val into = val::array();
      for (size_t k = 0; k < s.into.size(); ++k) {
        val t = val::object();
        t.set("node", double(s.into[k]));
        t.set("index", double(s.into_index[k]));
        t.set("added", summary_js(s.added[k]));
        into.call<void>("push", t);
      }
      o.set("into", into);
      steps.call<void>("push", o);
    }
  }
  val r = val::object();
  r.set("nodes", nodes);
  r.set("edges", edges);
  r.set("order", ids_js(g.order));
  r.set("steps", steps);
  return r;
}

}  // namespace

EMSCRIPTEN_BINDINGS(gradlab_graph) {
  using emscripten::function;
  using emscripten::optional_override;
  function("graphCapture", optional_override([](const Tensor& root, val names, val max_nodes, bool backward) {
    return GUARD(graph(root, names, max_nodes, backward));
  }));
  emscripten::constant("graphMaxNodes", double(analysis::kMaxGraphNodes));
}
