// Embind for the attention and Transformer layers (engine/include/gradlab/layers.h).
// Conversion only; every call goes through GUARD() so C++ errors reach JS as Errors.
// The friendly API over these (gl.nn.MultiheadAttention, ...) is web/src/api/layers.js.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <cstdint>

#include "gradlab/gradlab.h"
#include "guard.h"

using emscripten::val;
using namespace gradlab;
using namespace gradlab::bindings;

namespace {

// reduction codes, as gl passes them: 0 mean, 1 sum, 2 none
Reduction reduction_of(const val& code, const char* who) {
  const int64_t c = to_int(code, who, "reduction code", 0, 2);
  return c == 1 ? Reduction::Sum : c == 2 ? Reduction::None : Reduction::Mean;
}

val make_layer_norm(const val& E, double eps, bool affine) {
  nn::LayerNorm ln(to_size(E, "LayerNorm", "normalized_shape", 1), float(eps), affine);
  val r = val::object();
  r.set("weight", tensor_or_null(ln.weight));
  r.set("bias", tensor_or_null(ln.bias));
  return r;
}

val make_multihead_attention(const val& E, const val& H, double dropout, bool bias) {
  const char* who = "MultiheadAttention";
  const int64_t embed_dim = to_size(E, who, "embed_dim", 1);
  const int64_t num_heads = to_size(H, who, "num_heads", 1);
  nn::MultiheadAttention mha(embed_dim, num_heads, float(dropout), bias);
  val r = val::object();
  r.set("inProjWeight", mha.in_proj_weight);
  r.set("inProjBias", tensor_or_null(mha.in_proj_bias));
  r.set("outProjWeight", mha.out_proj.weight);
  r.set("outProjBias", tensor_or_null(mha.out_proj.bias));
  return r;
}

Tensor make_embedding(const val& N, const val& E) {
  const int64_t num_embeddings = to_size(N, "Embedding", "num_embeddings", 1);
  const int64_t embedding_dim = to_size(E, "Embedding", "embedding_dim", 1);
  return nn::Embedding(num_embeddings, embedding_dim).weight;
}

val multihead_attention(const Tensor& q, const Tensor& k, const Tensor& v, const val& H, const Tensor& in_w,
                        const val& in_b, const Tensor& out_w, const val& out_b, bool causal,
                        const val& key_padding_mask, double dropout, bool training, bool need_weights,
                        bool average) {
  nn::AttentionCall call;
  call.mask.causal = causal;
  call.mask.key_padding_mask = tensor_or_none(key_padding_mask);
  call.dropout = float(dropout);
  call.training = training;
  call.need_weights = need_weights;
  call.average_attn_weights = average;
  nn::AttentionOutput out = nn::multi_head_attention(q, k, v, to_size(H, "MultiheadAttention", "num_heads", 1), in_w, tensor_or_none(in_b), out_w,
                                                     tensor_or_none(out_b), call);
  val r = val::object();
  r.set("output", out.output);
  r.set("weights", tensor_or_null(out.weights));
  return r;
}

}  // namespace

EMSCRIPTEN_BINDINGS(gradlab_attention) {
  using emscripten::function;
  using emscripten::optional_override;

  // ops
  function("softmax", optional_override([](const Tensor& x, val dim) { return GUARD(softmax(x, to_index(dim, "softmax", "dim"))); }));
  function("logSoftmax", optional_override([](const Tensor& x, val dim) { return GUARD(log_softmax(x, to_index(dim, "logSoftmax", "dim"))); }));
  function("gelu", optional_override([](const Tensor& x, bool exact) {
    return GUARD(gelu(x, exact ? GeluApprox::Exact : GeluApprox::Tanh));
  }));
  function("dropout", optional_override([](const Tensor& x, double p, bool training) { return GUARD(dropout(x, float(p), training)); }));
  function("bmm", optional_override([](const Tensor& a, const Tensor& b) { return GUARD(bmm(a, b)); }));
  function("transposeDims", optional_override([](const Tensor& x, val d0, val d1) {
    return GUARD(gradlab::transpose(x, to_index(d0, "transpose", "dim0"), to_index(d1, "transpose", "dim1")));
  }));
  function("narrow", optional_override([](const Tensor& x, val dim, val start, val length) {
    return GUARD(narrow(x, to_index(dim, "narrow", "dim"), to_index(start, "narrow", "start"),
                    to_size(length, "narrow", "length")));
  }));

  // losses
  function("crossEntropy", optional_override([](const Tensor& x, const Tensor& t, val ignore, val r) {
    return GUARD(cross_entropy(x, t, to_index(ignore, "crossEntropy", "ignoreIndex"), reduction_of(r, "crossEntropy")));
  }));
  function("nllLoss", optional_override([](const Tensor& x, const Tensor& t, val ignore, val r) {
    return GUARD(nll_loss(x, t, to_index(ignore, "nllLoss", "ignoreIndex"), reduction_of(r, "nllLoss")));
  }));
  function("bceWithLogits", optional_override([](const Tensor& x, const Tensor& t, val r) {
    return GUARD(bce_with_logits(x, t, reduction_of(r, "bceWithLogits")));
  }));

  // layers: the fused ops, and constructors that return parameters with PyTorch's init
  function("layerNorm", optional_override([](const Tensor& x, val w, val b, double eps) {
    return GUARD(nn::layer_norm(x, tensor_or_none(w), tensor_or_none(b), float(eps)));
  }));
  function("makeLayerNorm", optional_override([](val E, double eps, bool affine) { return GUARD(make_layer_norm(E, eps, affine)); }));
  function("embedding", optional_override([](const Tensor& ids, const Tensor& w) { return GUARD(nn::embedding(ids, w)); }));
  function("makeEmbedding", optional_override([](val N, val E) {
    return GUARD(make_embedding(N, E));
  }));
  function("positionalEncoding", optional_override([](val T, val E) {
    return GUARD(nn::positional_encoding(to_size(T, "positionalEncoding", "T"), to_size(E, "positionalEncoding", "E", 1)));
  }));
  function("multiheadAttention", optional_override([](const Tensor& q, const Tensor& k, const Tensor& v, val H,
                                                      const Tensor& in_w, val in_b, const Tensor& out_w, val out_b,
                                                      bool causal, val kpm, double dropout, bool training,
                                                      bool need_weights, bool average) {
    return GUARD(multihead_attention(q, k, v, H, in_w, in_b, out_w, out_b, causal, kpm, dropout, training,
                                 need_weights, average));
  }));
  function("makeMultiheadAttention", optional_override([](val E, val H, double dropout, bool bias) {
    return GUARD(make_multihead_attention(E, H, dropout, bias));
  }));
}
