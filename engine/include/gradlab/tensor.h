// Tensor: a float32, row-major array that can record the ops that made it, so that
// backward() can run them in reverse (reverse-mode autodiff on a tape of nodes).
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace gradlab {

using Shape = std::vector<int64_t>;

std::string shape_str(const Shape& s);            // "(32, 10)"
int64_t numel_of(const Shape& s, const char* who);  // checks sizes: non-negative, not absurd

// Largest tensor the engine will allocate (elements). Past it an op fails with a clear
// error instead of exhausting wasm memory.
constexpr int64_t kMaxElements = int64_t(1) << 28;
// Integers held in float32 tensors (indices, randint, randperm) are exact up to 2^24.
constexpr int64_t kMaxExactInteger = int64_t(1) << 24;

struct Node;
using NodePtr = std::shared_ptr<Node>;

// One value in the graph. `backward` reads this node's grad and adds into its inputs'
// grads; it is set by the op that made the node and dropped once backward has run.
struct Node {
  Shape shape;
  std::vector<float> data;
  NodePtr grad;                              // same shape as data, made on first use
  bool requires_grad = false;
  bool retains_grad = false;                 // keep grad on a non-leaf after backward
  bool graph_freed = false;                  // backward already ran through this node
  const char* op = "leaf";                   // the op that made it, for messages
  std::vector<NodePtr> inputs;               // edges of the graph (empty for leaves)
  std::function<void(Node& self)> backward;  // empty for leaves
  // In-place writes (copy_) bump `version`; record() keeps this node's and its inputs'
  // versions as they were, and backward() refuses a graph whose saved values were overwritten.
  uint64_t version = 0;
  std::vector<uint64_t> saved_versions;      // [this node, inputs...] when recorded

  bool is_leaf() const { return inputs.empty() && !graph_freed && !backward; }
  float* grad_data();                        // allocates a zero grad if needed
};

class Tensor {
 public:
  Tensor() = default;
  explicit Tensor(NodePtr node) : node_(std::move(node)) {}

  static Tensor empty(const Shape& shape, const char* who = "tensor");
  static Tensor zeros(const Shape& shape, bool requires_grad = false);
  static Tensor ones(const Shape& shape, bool requires_grad = false);
  static Tensor full(const Shape& shape, float value, bool requires_grad = false);
  static Tensor randn(const Shape& shape, bool requires_grad = false);
  static Tensor rand(const Shape& shape, bool requires_grad = false);  // U[0, 1)
  static Tensor from(std::vector<float> data, const Shape& shape, bool requires_grad = false);
  static Tensor scalar(float value);

  bool defined() const { return node_ != nullptr; }
  const Shape& shape() const;
  int64_t dim() const { return int64_t(shape().size()); }
  int64_t size(int64_t d) const;  // negative d counts from the end
  int64_t numel() const { return int64_t(node().data.size()); }
  float* data() { return node().data.data(); }
  const float* data() const { return node().data.data(); }
  std::vector<float>& vec() { return node().data; }
  const std::vector<float>& vec() const { return node().data; }
  float item() const;

  bool requires_grad() const { return node().requires_grad; }
  Tensor& set_requires_grad(bool on);
  bool is_leaf() const { return node().is_leaf(); }
  const char* op() const { return node().op; }

  // The gradient accumulated by backward(); undefined (defined() == false) if none yet.
  Tensor grad() const { return Tensor(node().grad); }
  void zero_grad();
  void clear_grad();  // no grad any more (grad() undefined), as PyTorch's p.grad = None
  void retain_grad();
  // Backward from this scalar (seed 1), or from any tensor with a given seed gradient.
  void backward() const;
  void backward(const Tensor& seed) const;
  Tensor detach() const;  // same values, new leaf, no graph
  Tensor clone() const;   // copy of the values, no graph

  Node& node() const;
  const NodePtr& ptr() const { return node_; }
  std::string str() const;  // "Tensor(shape=(32, 20), op=tanh)"

 private:
  NodePtr node_;
};

}  // namespace gradlab
