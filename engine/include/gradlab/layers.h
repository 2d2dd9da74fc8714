// What a Transformer block is made of: softmax, GELU, dropout, batched matmul, the
// classification losses, LayerNorm, Embedding, positional encoding, multi-head attention,
// the block itself (post-LN or pre-LN, residual connections switchable) and Sequential.
//
// Ops keep their forward and backward side by side in src/autograd/{softmax,gelu,dropout,
// batched,losses}.cpp; layers and their fused ops live in src/nn/{layernorm,embedding,
// attention,transformer,sequential}.cpp. Bad input throws gradlab::Error naming the layer
// and the values.
//
// Integer inputs (token ids, class targets) are float tensors holding whole numbers, exact
// up to 2^24; a value that is not a whole number, or is out of range, is an error.
#pragma once
#include <functional>
#include <memory>
#include <type_traits>
#include <vector>

#include "gradlab/nn.h"
#include "gradlab/tensor.h"

namespace gradlab {

// ---- ops ------------------------------------------------------------------------------

// softmax / log_softmax along `dim` (default the last), max-subtracted: exp never overflows.
Tensor softmax(const Tensor& x, int64_t dim = -1);
Tensor log_softmax(const Tensor& x, int64_t dim = -1);

// GELU(x) = x·Φ(x). Tanh: the tanh approximation, PyTorch's approximate='tanh' (GPT-2's);
// Exact: with erf, PyTorch's default approximate='none'. The engine's default is Tanh.
enum class GeluApprox { Tanh, Exact };
Tensor gelu(const Tensor& x, GeluApprox approximate = GeluApprox::Tanh);

// Inverted dropout: in training each element is zeroed with probability p (mask drawn from
// global_rng()) and the survivors are scaled by 1/(1-p), so the expected value is unchanged;
// out of training (or with p = 0) it returns x itself. p must be in [0, 1).
Tensor dropout(const Tensor& x, float p, bool training);

// Batched matmul: (B, N, K) @ (B, K, M) -> (B, N, M), one GEMM per batch entry.
Tensor bmm(const Tensor& a, const Tensor& b);
// Swaps two dims of any tensor: transpose(x, 1, 2) turns (B, T, d) into (B, d, T).
Tensor transpose(const Tensor& x, int64_t dim0, int64_t dim1);
// x.narrow(dim, start, length): positions start .. start+length-1 of `dim` (a copy).
Tensor narrow(const Tensor& x, int64_t dim, int64_t start, int64_t length);

// ---- losses ---------------------------------------------------------------------------

enum class Reduction { Mean, Sum, None };
constexpr int64_t kIgnoreIndex = -100;  // PyTorch's default ignore_index

// Softmax and negative log-likelihood fused: loss_i = ln Σ_c e^{x_ic} - x_{i,t_i}.
// logits (N, C), target (N) class indices. Mean is over the targets that are not
// ignore_index (0 when every target is ignored, where PyTorch gives NaN); None gives (N)
// with 0 at ignored positions.
Tensor cross_entropy(const Tensor& logits, const Tensor& target,
                     int64_t ignore_index = kIgnoreIndex, Reduction reduction = Reduction::Mean);
// loss_i = -log_probs[i, t_i], log_probs (N, C) (from log_softmax), target (N).
Tensor nll_loss(const Tensor& log_probs, const Tensor& target,
                int64_t ignore_index = kIgnoreIndex, Reduction reduction = Reduction::Mean);
// Stable BCE on logits: l = max(x, 0) - x·t + ln(1 + e^{-|x|}); logits and target same shape.
Tensor bce_with_logits(const Tensor& logits, const Tensor& target,
                       Reduction reduction = Reduction::Mean);

}  // namespace gradlab

namespace gradlab::nn {

// ---- fused ops behind the layers ------------------------------------------------------

// Over the last dim: y = (x - mean) / √(var + eps) · weight + bias; weight, bias (C) or
// undefined (no affine).
Tensor layer_norm(const Tensor& x, const Tensor& weight, const Tensor& bias, float eps = 1e-5f);

// ids (any shape) -> (*ids.shape, E) rows of weight (num_embeddings, E).
Tensor embedding(const Tensor& ids, const Tensor& weight);

// The sinusoidal table of "Attention Is All You Need", (T, E), no gradient:
//   PE[t, 2i] = sin(t / 10000^(2i/E)),  PE[t, 2i+1] = cos(t / 10000^(2i/E))
Tensor positional_encoding(int64_t T, int64_t E);

// Which keys a query may attend to. A query that may attend to no key at all gets
// all-zero weights (PyTorch gives NaN there).
struct AttentionMask {
  bool causal = false;       // query i sees keys j <= i only
  Tensor key_padding_mask;   // (B, Tk), nonzero = padding, ignored (PyTorch's True); optional
};

// Scaled dot-product attention, heads side by side in the last dim (head h owns columns
// h·d .. h·d+d-1, d = E / num_heads), as PyTorch lays them out:
//   P[b, h] = softmax(Q_h K_hᵀ / √d) with masked scores at -inf     q (B, Tq, E), k (B, Tk, E)
Tensor attention_probs(const Tensor& q, const Tensor& k, int64_t num_heads,
                       const AttentionMask& mask = {});                 // -> (B, H, Tq, Tk)
//   ctx[b, :, head h] = P[b, h] · V_h                                 v (B, Tk, E)
Tensor attention_context(const Tensor& probs, const Tensor& v);       // -> (B, Tq, E)
// The mean over heads of P (B, H, Tq, Tk) -> (B, Tq, Tk): what PyTorch returns by default.
Tensor attention_head_mean(const Tensor& probs);

struct AttentionCall {
  AttentionMask mask;
  float dropout = 0.f;               // on the attention weights, in training only
  bool training = true;
  bool need_weights = true;
  bool average_attn_weights = true;  // weights (B, Tq, Tk); false: per head (B, H, Tq, Tk)
};
struct AttentionOutput {
  Tensor output;   // (B, Tq, E)
  Tensor weights;  // after dropout, as PyTorch returns them; undefined without need_weights
};
// PyTorch's multi_head_attention_forward, batch first: project q, k, v with the rows
// [0, E), [E, 2E), [2E, 3E) of in_proj (3E, E), attend per head, merge heads, out_proj.
AttentionOutput multi_head_attention(const Tensor& query, const Tensor& key, const Tensor& value,
                                     int64_t num_heads, const Tensor& in_proj_weight,
                                     const Tensor& in_proj_bias, const Tensor& out_proj_weight,
                                     const Tensor& out_proj_bias, const AttentionCall& call = {});

// ---- layers ---------------------------------------------------------------------------

// A module with one tensor in and one out, and a training mode: what Sequential chains.
class Layer : public Module {
 public:
  virtual Tensor forward(const Tensor& x) = 0;
  std::vector<Tensor> parameters() const override { return {}; }
  virtual void train(bool on = true) { training = on; }  // composites pass it on
  void eval() { train(false); }
  bool training = true;
};

// LayerNorm(E): γ = 1, β = 0 at init; 2E parameters with elementwise_affine.
class LayerNorm : public Layer {
 public:
  explicit LayerNorm(int64_t normalized_shape, float eps = 1e-5f, bool elementwise_affine = true);
  Tensor forward(const Tensor& x) override;  // (*, E) -> (*, E)
  std::vector<Tensor> parameters() const override;
  int64_t normalized_shape;
  float eps;
  Tensor weight;  // γ (E), undefined without affine
  Tensor bias;    // β (E), undefined without affine
};

class Dropout : public Layer {
 public:
  explicit Dropout(float p = 0.5f);
  Tensor forward(const Tensor& x) override;
  float p;
};

// Embedding(N, E): weight ~ N(0, 1) as in PyTorch; backward scatter-adds into the used rows.
class Embedding : public Layer {
 public:
  Embedding(int64_t num_embeddings, int64_t embedding_dim);
  Tensor forward(const Tensor& ids) override;  // ids (*) -> (*, E)
  std::vector<Tensor> parameters() const override { return {weight}; }
  int64_t num_embeddings, embedding_dim;
  Tensor weight;  // (N, E)
};

class ReLU : public Layer { public: Tensor forward(const Tensor& x) override; };
class Tanh : public Layer { public: Tensor forward(const Tensor& x) override; };
class Sigmoid : public Layer { public: Tensor forward(const Tensor& x) override; };
class GELU : public Layer {
 public:
  explicit GELU(GeluApprox approximate = GeluApprox::Tanh) : approximate(approximate) {}
  Tensor forward(const Tensor& x) override;
  GeluApprox approximate;
};

// Chains modules: each one's output is the next one's input. Takes any module with
// `Tensor forward(const Tensor&)`, so Linear (which predates Layer) fits too.
class Sequential : public Layer {
 public:
  template <class M>
  Sequential& add(std::shared_ptr<M> module);
  Tensor forward(const Tensor& x) override;
  std::vector<Tensor> parameters() const override;
  void train(bool on = true) override;
  size_t size() const { return steps_.size(); }
  Module& operator[](size_t i) const { return *steps_.at(i).module; }

 private:
  struct Step {
    std::shared_ptr<Module> module;
    std::function<Tensor(const Tensor&)> forward;
    std::function<void(bool)> train;  // empty for modules without a training mode
  };
  std::vector<Step> steps_;
};

template <class M>
Sequential& Sequential::add(std::shared_ptr<M> module) {
  Step step{module, [module](const Tensor& x) { return module->forward(x); }, nullptr};
  if constexpr (std::is_base_of_v<Layer, M>) step.train = [module](bool on) { module->train(on); };
  steps_.push_back(std::move(step));
  return *this;
}

// MultiheadAttention(E, H): PyTorch's parameters, names and init. in_proj_weight (3E, E)
// Xavier-uniform, in_proj_bias (3E) zeros, out_proj a Linear(E, E) with its bias zeroed:
// 4E² + 4E parameters. Batch first: query (B, Tq, E), key and value (B, Tk, E).
class MultiheadAttention : public Layer {
 public:
  MultiheadAttention(int64_t embed_dim, int64_t num_heads, float dropout = 0.f, bool bias = true);
  AttentionOutput forward(const Tensor& query, const Tensor& key, const Tensor& value,
                          const AttentionMask& mask = {}, bool need_weights = true,
                          bool average_attn_weights = true);
  Tensor forward(const Tensor& x) override;  // self-attention output, no mask
  std::vector<Tensor> parameters() const override;
  int64_t embed_dim, num_heads, head_dim;
  float dropout;
  Tensor in_proj_weight;  // (3E, E): rows [W_q; W_k; W_v]
  Tensor in_proj_bias;    // (3E), undefined without bias
  Linear out_proj;        // (E, E)
};

enum class Activation { ReLU, GELU };

struct TransformerBlockOptions {
  bool norm_first = false;    // false: post-LN, x = LN(x + f(x)); true: pre-LN, x = x + f(LN(x))
  bool residual = true;       // false removes both residual connections (the lab's ablation)
  Activation activation = Activation::ReLU;
  int64_t dim_feedforward = 0;  // 0 means 4E
  float dropout = 0.f;        // on attention weights and on each sublayer's output
};

// The block's parameters, in its parameters() order. A bias or a LayerNorm weight may be
// undefined (none). E comes from in_proj_weight (3E, E), F from linear1_weight (F, E).
struct TransformerBlockWeights {
  Tensor in_proj_weight, in_proj_bias, out_proj_weight, out_proj_bias;  // attention
  Tensor norm1_weight, norm1_bias;
  Tensor linear1_weight, linear1_bias, linear2_weight, linear2_bias;    // ffn: Linear(E, F), Linear(F, E)
  Tensor norm2_weight, norm2_bias;
  float norm1_eps = 1e-5f, norm2_eps = 1e-5f;
};

// One call of the block: its switches are read here, at every call, so they can change
// between calls (the lab turns residuals and pre-LN on and off on one set of weights).
struct TransformerBlockCall {
  AttentionMask mask;
  bool norm_first = false;
  bool residual = true;
  Activation activation = Activation::ReLU;  // GELU is the tanh approximation
  float attention_dropout = 0.f;  // on the attention weights
  float dropout1 = 0.f;           // on the attention sublayer's output
  float dropout2 = 0.f;           // on the feed-forward sublayer's output
  bool training = true;           // dropout is active in training only
  bool need_weights = false;      // return the attention weights per head
};
struct TransformerBlockOutput {
  Tensor output;   // (B, T, E)
  Tensor weights;  // (B, H, T, T), PyTorch's average_attn_weights=False; undefined without need_weights
};

// The block of article 000 §3.2, batch first (B, T, E):
//   post-LN: x = LN1(x + Attn(x));  x = LN2(x + FFN(x))
//   pre-LN:  x = x + Attn(LN1(x));  x = x + FFN(LN2(x))
// FFN(x) = Linear2(act(Linear1(x))). Without residuals the "x +" goes. The one
// implementation of the block: TransformerBlock::forward and gl.nn.TransformerBlock call it.
TransformerBlockOutput transformer_block(const Tensor& x, int64_t num_heads, const TransformerBlockWeights& w,
                                         const TransformerBlockCall& call = {});

// The block as a module, batch first (B, T, E), with PyTorch's init for each part.
// FFN = Sequential(Linear(E, F), ReLU or GELU, Linear(F, E)), F = 4E by default.
// Parameters: MHA (4E² + 4E) + 2 LayerNorms (4E) + FFN (E·F + F + F·E + E).
class TransformerBlock : public Layer {
 public:
  TransformerBlock(int64_t embed_dim, int64_t num_heads, TransformerBlockOptions options = {});
  Tensor forward(const Tensor& x, const AttentionMask& mask);
  // with need_weights, also the attention weights per head (B, H, T, T)
  TransformerBlockOutput forward(const Tensor& x, const AttentionMask& mask, bool need_weights);
  Tensor forward(const Tensor& x) override { return forward(x, AttentionMask{}); }
  std::vector<Tensor> parameters() const override;
  TransformerBlockWeights weights() const;  // the parameters, by role
  void train(bool on = true) override;
  TransformerBlockOptions options;  // norm_first, residual: read at every forward
  MultiheadAttention attention;
  LayerNorm norm1;
  Sequential ffn;
  LayerNorm norm2;
  Dropout dropout1, dropout2;
};

}  // namespace gradlab::nn
