#include "gradlab/tensor.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include "gradlab/text.h"

#include "gradlab/check.h"
#include "gradlab/rng.h"

namespace gradlab {

std::string shape_str(const Shape& s) {
  Text os;
  os << '(';
  for (size_t i = 0; i < s.size(); ++i) os << (i ? ", " : "") << s[i];
  if (s.size() == 1) os << ',';
  os << ')';
  return os.str();
}

// The product of the non-zero sizes is capped too, so that an empty (0, 2^40) cannot make
// the (outer, n, inner) products of the ops overflow: every partial product of a shape that
// passes here is at most kMaxElements.
int64_t numel_of(const Shape& s, const char* who) {
  int64_t nonzero = 1;  // product of the non-zero sizes; saturates at INT64_MAX
  bool overflow = false, empty = false;
  for (int64_t d : s) {
    GL_CHECK(d >= 0, who, ": sizes must be non-negative, got ", shape_str(s));
    if (d == 0) empty = true;
    else if (!overflow && __builtin_mul_overflow(nonzero, d, &nonzero)) overflow = true;
  }
  if (overflow || nonzero > kMaxElements) {
    Text count;
    if (overflow) count << "more than " << INT64_MAX;
    else count << nonzero;
    GL_FAIL(who, ": shape ", shape_str(s), " is too large: ", count.str(), " elements",
            empty ? " counting only its non-zero sizes" : "", ", at most ", kMaxElements);
  }
  return empty ? 0 : nonzero;
}

float* Node::grad_data() {
  if (!grad) {
    grad = std::make_shared<Node>();
    grad->shape = shape;
    grad->data.assign(data.size(), 0.f);
    grad->op = "grad";
  }
  return grad->data.data();
}

Node& Tensor::node() const {
  GL_CHECK(node_ != nullptr, "tensor: use of an undefined tensor");
  return *node_;
}

const Shape& Tensor::shape() const { return node().shape; }

int64_t Tensor::size(int64_t d) const {
  int64_t n = dim();
  GL_CHECK(d >= -n && d < n, "size: dim ", d, " is out of range for shape ", shape_str(shape()));
  return shape()[size_t(d < 0 ? d + n : d)];
}

Tensor Tensor::empty(const Shape& shape, const char* who) {
  auto n = std::make_shared<Node>();
  n->shape = shape;
  n->data.resize(size_t(numel_of(shape, who)));
  return Tensor(std::move(n));
}

namespace {
// full, zeros and ones: errors name the one the caller made
Tensor filled(const Shape& shape, float value, bool requires_grad, const char* who) {
  Tensor t = Tensor::empty(shape, who);
  std::fill(t.vec().begin(), t.vec().end(), value);
  t.node().requires_grad = requires_grad;
  return t;
}
}  // namespace

Tensor Tensor::full(const Shape& shape, float value, bool requires_grad) {
  return filled(shape, value, requires_grad, "full");
}
Tensor Tensor::zeros(const Shape& shape, bool requires_grad) { return filled(shape, 0.f, requires_grad, "zeros"); }
Tensor Tensor::ones(const Shape& shape, bool requires_grad) { return filled(shape, 1.f, requires_grad, "ones"); }
Tensor Tensor::scalar(float value) { return filled({}, value, false, "scalar"); }

Tensor Tensor::randn(const Shape& shape, bool requires_grad) {
  Tensor t = empty(shape, "randn");
  Rng& rng = global_rng();
  for (float& v : t.vec()) v = rng.normal();
  t.node().requires_grad = requires_grad;
  return t;
}

Tensor Tensor::rand(const Shape& shape, bool requires_grad) {
  Tensor t = empty(shape, "rand");
  Rng& rng = global_rng();
  for (float& v : t.vec()) v = rng.uniform();
  t.node().requires_grad = requires_grad;
  return t;
}

Tensor Tensor::from(std::vector<float> data, const Shape& shape, bool requires_grad) {
  int64_t n = numel_of(shape, "tensor");
  GL_CHECK(int64_t(data.size()) == n, "tensor: ", data.size(), " values do not fill shape ",
           shape_str(shape), " (", n, " elements)");
  auto node = std::make_shared<Node>();
  node->shape = shape;
  node->data = std::move(data);
  node->requires_grad = requires_grad;
  return Tensor(std::move(node));
}

float Tensor::item() const {
  GL_CHECK(numel() == 1, "item: only a tensor with one element has an item, got shape ",
           shape_str(shape()));
  return data()[0];
}

Tensor& Tensor::set_requires_grad(bool on) {
  GL_CHECK(is_leaf() || on, "requires_grad: only leaf tensors can stop requiring grad (this one "
           "was made by ", op(), "); use detach()");
  node().requires_grad = on;
  return *this;
}

void Tensor::zero_grad() {
  if (node().grad) std::fill(node().grad->data.begin(), node().grad->data.end(), 0.f);
}

void Tensor::clear_grad() { node().grad.reset(); }

void Tensor::retain_grad() {
  GL_CHECK(requires_grad(), "retain_grad: this tensor (made by ", op(),
           ") does not require grad, so it will never get one");
  node().retains_grad = true;
}

Tensor Tensor::detach() const {
  auto n = std::make_shared<Node>();
  n->shape = shape();
  n->data = node().data;
  return Tensor(std::move(n));
}

Tensor Tensor::clone() const { return detach(); }

std::string Tensor::str() const {
  if (!node_) return "Tensor(undefined)";
  Text os;
  os << "Tensor(shape=" << shape_str(shape());
  if (numel() == 1) os << ", value=" << data()[0];
  if (requires_grad()) os << ", requires_grad";
  if (!is_leaf()) os << ", op=" << op();
  os << ')';
  return os.str();
}

}  // namespace gradlab
