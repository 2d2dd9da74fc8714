// analysis::capture_graph / traced_backward: the graph view's data (gl.graph).
#include <catch2/catch.hpp>

#include <cmath>

#include "gradlab/analysis.h"
#include "gradlab/gradlab.h"

using namespace gradlab;
using Catch::Matchers::Contains;

namespace {
struct Mlp {  // x (4, 3) -> Linear(3, 5) -> tanh -> Linear(5, 2) -> MSE against y
  int seeded = (manual_seed(7), 0);
  nn::Linear l1{3, 5}, l2{5, 2};
  Tensor x = Tensor::randn({4, 3}), y = Tensor::randn({4, 2});
  Tensor loss() const { return mse_loss(l2.forward(tanh(l1.forward(x))), y); }
  std::vector<std::pair<std::string, Tensor>> names() const {
    return {{"x", x}, {"y", y}, {"W1", l1.weight}, {"b1", l1.bias}, {"W2", l2.weight}, {"b2", l2.bias}};
  }
};

const analysis::GraphNode& by_name(const analysis::AutogradGraph& g, const std::string& name) {
  for (const auto& n : g.nodes)
    if (n.name == name) return n;
  FAIL("no node named " << name);
  return g.nodes[0];
}
}  // namespace

TEST_CASE("graph: a 2-layer MLP's nodes, edges and backward order", "[graph]") {
  Mlp m;
  const Tensor loss = m.loss();
  const analysis::AutogradGraph g = analysis::capture_graph(loss, m.names());
  REQUIRE(g.nodes.size() == 10);  // x W1 b1 linear tanh W2 b2 linear y mse
  REQUIRE(g.edges.size() == 9);   // linear (x, W, b) twice, tanh, mse (prediction, target)
  // the root is last (inputs before users) and every edge goes forwards
  CHECK(g.nodes.back().op == std::string(loss.op()));
  for (const auto& e : g.edges) CHECK(e.from < e.to);
  CHECK(by_name(g, "W1").leaf);
  CHECK(by_name(g, "W1").requires_grad);
  CHECK_FALSE(by_name(g, "x").requires_grad);
  CHECK(by_name(g, "W1").value.numel == 15);
  CHECK(by_name(g, "W1").value.head == m.l1.weight.vec());
  // backward runs the loss, the second layer, tanh, the first layer: 4 nodes, root first
  REQUIRE(g.order.size() == 4);
  CHECK(g.order.front() == int64_t(g.nodes.size()) - 1);
  std::vector<std::string> ops;
  for (int64_t id : g.order) ops.push_back(g.nodes[size_t(id)].op);
  CHECK(ops[2] == "tanh");
  CHECK(ops[1] == ops[3]);  // both linear layers are the same op
  CHECK_FALSE(g.traced);
}

TEST_CASE("graph: the traced backward runs in the captured order and its grads are autograd's", "[graph]") {
  Mlp m;
  const analysis::AutogradGraph before = analysis::capture_graph(m.loss(), m.names());
  // a plain backward on the same weights, for reference
  m.loss().backward();
  const std::vector<float> gW1 = m.l1.weight.grad().vec(), gb2 = m.l2.bias.grad().vec();
  m.l1.weight.clear_grad();
  m.l1.bias.clear_grad();
  m.l2.weight.clear_grad();
  m.l2.bias.clear_grad();

  const Tensor loss = m.loss();
  const analysis::AutogradGraph g = analysis::traced_backward(loss, m.names());
  REQUIRE(g.traced);
  // the steps are the nodes backward() ran, in the order it ran them: the captured order
  std::vector<int64_t> ran;
  for (const auto& s : g.steps) ran.push_back(s.node);
  CHECK(ran == g.order);
  CHECK(ran == before.order);
  // the root's own gradient is the seed 1
  CHECK(g.steps[0].grad.head == std::vector<float>{1.f});
  // leaves: the traced grads are the .grad a plain backward gives, and the leaves got them too
  const auto& W1 = by_name(g, "W1");
  REQUIRE(W1.has_grad);
  for (size_t i = 0; i < gW1.size(); ++i) CHECK(W1.grad.head[i] == Approx(gW1[i]).margin(1e-7));
  CHECK(by_name(g, "b2").grad.head == gb2);
  CHECK(m.l1.weight.grad().vec() == W1.grad.head);
  CHECK_FALSE(by_name(g, "x").has_grad);
  // what a step adds into an input is that input's gradient when it has no other user
  for (const auto& s : g.steps) {
    REQUIRE(s.into.size() == s.added.size());
    for (size_t k = 0; k < s.into.size(); ++k) {
      const auto& in = g.nodes[size_t(s.into[k])];
      CHECK(in.requires_grad);
      CHECK(s.added[k].head == in.grad.head);
    }
  }
}

TEST_CASE("graph: a tensor used twice gets the sum of what each use adds", "[graph]") {
  Tensor w = Tensor::from({1.f, -2.f, 3.f}, {3}, true);
  const Tensor h = mul(w, w);           // adds 2w
  const Tensor loss = sum(add(h, w));   // adds 1
  const analysis::AutogradGraph g = analysis::traced_backward(loss, {{"w", w}});
  const int64_t wid = by_name(g, "w").id;
  std::vector<float> total(3, 0.f);
  int uses = 0;
  for (const auto& s : g.steps)
    for (size_t k = 0; k < s.into.size(); ++k)
      if (s.into[k] == wid) {
        ++uses;
        for (size_t i = 0; i < 3; ++i) total[i] += s.added[k].head[i];
      }
  CHECK(uses == 2);  // add, then mul (once, though w is both its inputs)
  CHECK(total == std::vector<float>{3.f, -3.f, 7.f});
  CHECK(w.grad().vec() == total);
  CHECK(by_name(g, "w").grad.head == total);
}

TEST_CASE("graph: caps, a freed graph and summaries", "[graph]") {
  Tensor w = Tensor::randn({2}, true);
  Tensor h = w;
  for (int i = 0; i < 30; ++i) h = tanh(h);
  const Tensor loss = sum(h);
  CHECK(analysis::capture_graph(loss, {}).nodes.size() == 32);
  REQUIRE_THROWS_WITH(analysis::capture_graph(loss, {}, 10, "gl.graph"),
                      Contains("gl.graph: the graph behind this tensor has more than 10 nodes"));
  loss.backward();
  REQUIRE_THROWS_WITH(analysis::capture_graph(loss, {}, 100, "gl.graph"),
                      Contains("gl.graph: the graph through a tensor made by") && Contains("already freed by backward()"));
  REQUIRE_THROWS_WITH(analysis::traced_backward(tanh(Tensor::randn({3}, true)), {}), Contains("needs a scalar"));

  std::vector<float> many(100);
  for (size_t i = 0; i < many.size(); ++i) many[i] = float(i) - 50.f;
  const analysis::ValueSummary s = analysis::summarize(many);
  CHECK(s.numel == 100);
  CHECK(s.head.size() == 64);
  CHECK(s.min == -50);
  CHECK(s.max == 49);
  CHECK(s.mean == Approx(-0.5));
  const analysis::ValueSummary bad = analysis::summarize({1.f, NAN, 2.f});
  CHECK(std::isnan(bad.min));
  CHECK(std::isnan(bad.max));
}
