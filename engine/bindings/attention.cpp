// Embind for the attention and Transformer layers (engine/include/gradlab/layers.h).
// Conversion only; every call goes through G() so C++ errors reach JS as Errors.
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

// null or undefined: an absent optional tensor (no bias, no mask)
Tensor optional_tensor(const val& v) { return v.isNull() || v.isUndefined() ? Tensor() : v.as<Tensor>(); }
val tensor_or_null(const Tensor& t) { return t.defined() ? val(t) : val::null(); }

// reduction codes, as gl passes them: 0 mean, 1 sum, 2 none
Reduction reduction_of(int code) { return code == 1 ? Reduction::Sum : code == 2 ? Reduction::None : Reduction::Mean; }

val make_layer_norm(double E, double eps, bool affine) {
  nn::LayerNorm ln(int64_t(E), float(eps), affine);
  val r = val::object();
  r.set("weight", tensor_or_null(ln.weight));
  r.set("bias", tensor_or_null(ln.bias));
  return r;
}

val make_multihead_attention(double E, double H, double dropout, bool bias) {
  nn::MultiheadAttention mha(int64_t(E), int64_t(H), float(dropout), bias);
  val r = val::object();
  r.set("inProjWeight", mha.in_proj_weight);
  r.set("inProjBias", tensor_or_null(mha.in_proj_bias));
  r.set("outProjWeight", mha.out_proj.weight);
  r.set("outProjBias", tensor_or_null(mha.out_proj.bias));
  return r;
}

val multihead_attention(const Tensor& q, const Tensor& k, const Tensor& v, double H, const Tensor& in_w,
                        const val& in_b, const Tensor& out_w, const val& out_b, bool causal,
                        const val& key_padding_mask, double dropout, bool training, bool need_weights,
                        bool average) {
  nn::AttentionCall call;
  call.mask.causal = causal;
  call.mask.key_padding_mask = optional_tensor(key_padding_mask);
  call.dropout = float(dropout);
  call.training = training;
  call.need_weights = need_weights;
  call.average_attn_weights = average;
  nn::AttentionOutput out = nn::multi_head_attention(q, k, v, int64_t(H), in_w, optional_tensor(in_b), out_w,
                                                     optional_tensor(out_b), call);
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
  function("softmax", optional_override([](const Tensor& x, double dim) { return G(softmax(x, int64_t(dim))); }));
  function("logSoftmax", optional_override([](const Tensor& x, double dim) { return G(log_softmax(x, int64_t(dim))); }));
  function("gelu", optional_override([](const Tensor& x, bool exact) {
    return G(gelu(x, exact ? GeluApprox::Exact : GeluApprox::Tanh));
  }));
  function("dropout", optional_override([](const Tensor& x, double p, bool training) { return G(dropout(x, float(p), training)); }));
  function("bmm", optional_override([](const Tensor& a, const Tensor& b) { return G(bmm(a, b)); }));
  function("transposeDims", optional_override([](const Tensor& x, double d0, double d1) {
    return G(gradlab::transpose(x, int64_t(d0), int64_t(d1)));
  }));
  function("narrow", optional_override([](const Tensor& x, double dim, double start, double length) {
    return G(narrow(x, int64_t(dim), int64_t(start), int64_t(length)));
  }));

  // losses
  function("crossEntropy", optional_override([](const Tensor& x, const Tensor& t, double ignore, int r) {
    return G(cross_entropy(x, t, int64_t(ignore), reduction_of(r)));
  }));
  function("nllLoss", optional_override([](const Tensor& x, const Tensor& t, double ignore, int r) {
    return G(nll_loss(x, t, int64_t(ignore), reduction_of(r)));
  }));
  function("bceWithLogits", optional_override([](const Tensor& x, const Tensor& t, int r) {
    return G(bce_with_logits(x, t, reduction_of(r)));
  }));

  // layers: the fused ops, and constructors that return parameters with PyTorch's init
  function("layerNorm", optional_override([](const Tensor& x, val w, val b, double eps) {
    return G(nn::layer_norm(x, optional_tensor(w), optional_tensor(b), float(eps)));
  }));
  function("makeLayerNorm", optional_override([](double E, double eps, bool affine) { return G(make_layer_norm(E, eps, affine)); }));
  function("embedding", optional_override([](const Tensor& ids, const Tensor& w) { return G(nn::embedding(ids, w)); }));
  function("makeEmbedding", optional_override([](double N, double E) {
    return G(nn::Embedding(int64_t(N), int64_t(E)).weight);
  }));
  function("positionalEncoding", optional_override([](double T, double E) {
    return G(nn::positional_encoding(int64_t(T), int64_t(E)));
  }));
  function("multiheadAttention", optional_override([](const Tensor& q, const Tensor& k, const Tensor& v, double H,
                                                      const Tensor& in_w, val in_b, const Tensor& out_w, val out_b,
                                                      bool causal, val kpm, double dropout, bool training,
                                                      bool need_weights, bool average) {
    return G(multihead_attention(q, k, v, H, in_w, in_b, out_w, out_b, causal, kpm, dropout, training,
                                 need_weights, average));
  }));
  function("makeMultiheadAttention", optional_override([](double E, double H, double dropout, bool bias) {
    return G(make_multihead_attention(E, H, dropout, bias));
  }));
}
