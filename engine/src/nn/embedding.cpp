// How tokens and positions become vectors: Embedding (a table lookup whose backward
// scatter-adds) and the sinusoidal positional encoding.
#include <algorithm>
#include <cmath>
#include "gradlab/text.h"
#include <string>
#include <vector>

#include "gradlab/check.h"
#include "gradlab/layers.h"
#include "gradlab/rng.h"
#include "../autograd/graph.h"

namespace gradlab::nn {

using autograd::input_grad;
using autograd::out_grad;
using autograd::record;

namespace {

// "(2, 3)": where flat index i sits in a tensor of shape s
std::string position_str(int64_t i, const Shape& s) {
  Shape idx(s.size());
  for (size_t k = s.size(); k-- > 0;) {
    idx[k] = s[k] > 0 ? i % s[k] : 0;
    i = s[k] > 0 ? i / s[k] : 0;
  }
  return shape_str(idx);
}

// A whole-number id as an integer when it fits int64 (a float past that has no int64 value)
std::string id_str(float v) {
  if (std::abs(v) < 9.2e18f) return std::to_string(int64_t(v));
  Text os;
  os << v;
  return os.str();
}

// out (R, E): row r is weight[ids[r]]
void embedding_forward(float* out, const std::vector<int64_t>& ids, const float* weight, int64_t E) {
  for (size_t r = 0; r < ids.size(); ++r)
    std::copy_n(weight + ids[r] * E, E, out + int64_t(r) * E);
}

// forward: out[r] = weight[ids[r]]  =>  dweight[ids[r]] += dout[r]  (repeated ids add up)
void embedding_backward(float* dweight, const float* dout, const std::vector<int64_t>& ids, int64_t E) {
  for (size_t r = 0; r < ids.size(); ++r)
    for (int64_t e = 0; e < E; ++e) dweight[ids[r] * E + e] += dout[int64_t(r) * E + e];
}

}  // namespace

// ---- embedding: ids (*) -> (*, E)
Tensor embedding(const Tensor& ids, const Tensor& weight) {
  GL_CHECK(weight.dim() == 2, "Embedding: weight must be 2-D (num_embeddings, embedding_dim), got ",
           shape_str(weight.shape()));
  int64_t N = weight.size(0), E = weight.size(1);
  std::vector<int64_t> rows(size_t(ids.numel()));
  for (int64_t i = 0; i < ids.numel(); ++i) {
    float v = ids.data()[i];
    GL_CHECK(std::isfinite(v) && v == std::floor(v), "Embedding: index ", v, " at position ",
             position_str(i, ids.shape()), " is not a whole number (token ids are integers)");
    GL_CHECK(v >= 0 && v < float(N), "Embedding: index ", id_str(v), " out of range for ", N,
             " embeddings at position ", position_str(i, ids.shape()));
    rows[size_t(i)] = int64_t(v);
  }
  Shape out_shape = ids.shape();
  out_shape.push_back(E);
  Tensor y = Tensor::empty(out_shape, "Embedding");
  embedding_forward(y.data(), rows, weight.data(), E);
  // ids are integers: no gradient flows to them
  return record("Embedding", y, {weight}, [rows = std::move(rows), E](Node& y) {
    embedding_backward(input_grad(y, 0), out_grad(y), rows, E);
  });
}

Embedding::Embedding(int64_t num_embeddings_, int64_t embedding_dim_)
    : num_embeddings(num_embeddings_), embedding_dim(embedding_dim_) {
  GL_CHECK(num_embeddings > 0 && embedding_dim > 0,
           "Embedding: num_embeddings and embedding_dim must be positive, got num_embeddings=",
           num_embeddings, ", embedding_dim=", embedding_dim);
  weight = Tensor::empty({num_embeddings, embedding_dim}, "Embedding");  // N(0, 1), as PyTorch
  Rng& rng = global_rng();
  for (float& v : weight.vec()) v = rng.normal();
  weight.set_requires_grad(true);
}

Tensor Embedding::forward(const Tensor& ids) { return embedding(ids, weight); }

// ---- positional_encoding: PE[t, 2i] = sin(t·ω_i), PE[t, 2i+1] = cos(t·ω_i), ω_i = 10000^(-2i/E)
Tensor positional_encoding(int64_t T, int64_t E) {
  GL_CHECK(T >= 0 && E > 0, "positional_encoding: expected T >= 0 and E > 0, got T=", T, ", E=", E);
  Tensor pe = Tensor::empty({T, E}, "positional_encoding");
  for (int64_t t = 0; t < T; ++t)
    for (int64_t e = 0; e < E; ++e) {
      int64_t pair = e / 2;  // sin and cos of one frequency side by side
      double omega = std::exp(-std::log(10000.0) * double(2 * pair) / double(E));
      pe.data()[t * E + e] = float(e % 2 == 0 ? std::sin(double(t) * omega) : std::cos(double(t) * omega));
    }
  return pe;
}

}  // namespace gradlab::nn
