// Embind for the Transformer block (engine/include/gradlab/layers.h): a constructor that
// returns the block's parameters with their init, and the block's forward over parameters
// passed in at every call. gl.nn.TransformerBlock (web/src/api/layers.js) owns the
// parameters, in the fields attention, norm1, ffn and norm2, so a parameter replaced from JS
// is the one used. No logic here: conversion, and every call guarded.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include "gradlab/gradlab.h"
#include "guard.h"

using emscripten::val;
using namespace gradlab;
using namespace gradlab::bindings;

namespace {

constexpr const char* kWho = "TransformerBlock";

// The weights as gl names them, in the block's parameters() order.
constexpr const char* kNames[] = {
    "inProjWeight", "inProjBias", "outProjWeight", "outProjBias", "norm1Weight", "norm1Bias",
    "linear1Weight", "linear1Bias", "linear2Weight", "linear2Bias", "norm2Weight", "norm2Bias"};

Tensor* slots(nn::TransformerBlockWeights& w, int i) {
  Tensor* all[] = {&w.in_proj_weight, &w.in_proj_bias, &w.out_proj_weight, &w.out_proj_bias,
                   &w.norm1_weight, &w.norm1_bias, &w.linear1_weight, &w.linear1_bias,
                   &w.linear2_weight, &w.linear2_bias, &w.norm2_weight, &w.norm2_bias};
  return all[i];
}

// { dimFeedforward, activation: 'relu' | 'gelu', dropout } (types checked in JS already)
val make_transformer_block(const val& E, const val& H, const val& o) {
  nn::TransformerBlockOptions opt;
  opt.dim_feedforward = to_size(o["dimFeedforward"], kWho, "dim_feedforward", 1);
  opt.activation = o["activation"].as<std::string>() == "gelu" ? nn::Activation::GELU : nn::Activation::ReLU;
  opt.dropout = o["dropout"].as<float>();
  nn::TransformerBlock block(to_size(E, kWho, "embed_dim", 1), to_size(H, kWho, "num_heads", 1), opt);
  nn::TransformerBlockWeights w = block.weights();
  val r = val::object();
  for (int i = 0; i < 12; ++i) r.set(kNames[i], tensor_or_null(*slots(w, i)));
  return r;
}

// w: { inProjWeight, ..., norm2Bias, norm1Eps, norm2Eps }; o: { normFirst, residual,
// activation, attentionDropout, dropout1, dropout2, training, causal, keyPaddingMask, needWeights }
val transformer_block(const Tensor& x, const val& H, const val& wv, const val& o) {
  nn::TransformerBlockWeights w;
  for (int i = 0; i < 12; ++i) *slots(w, i) = tensor_or_none(wv[kNames[i]]);
  w.norm1_eps = wv["norm1Eps"].as<float>();
  w.norm2_eps = wv["norm2Eps"].as<float>();
  nn::TransformerBlockCall call;
  call.mask.causal = o["causal"].as<bool>();
  call.mask.key_padding_mask = tensor_or_none(o["keyPaddingMask"]);
  call.norm_first = o["normFirst"].as<bool>();
  call.residual = o["residual"].as<bool>();
  call.activation = o["activation"].as<std::string>() == "gelu" ? nn::Activation::GELU : nn::Activation::ReLU;
  call.attention_dropout = o["attentionDropout"].as<float>();
  call.dropout1 = o["dropout1"].as<float>();
  call.dropout2 = o["dropout2"].as<float>();
  call.training = o["training"].as<bool>();
  call.need_weights = o["needWeights"].as<bool>();
  nn::TransformerBlockOutput out = nn::transformer_block(x, to_size(H, kWho, "num_heads", 1), w, call);
  val r = val::object();
  r.set("output", out.output);
  r.set("weights", tensor_or_null(out.weights));
  return r;
}

}  // namespace

EMSCRIPTEN_BINDINGS(gradlab_transformer) {
  using emscripten::function;
  using emscripten::optional_override;
  function("makeTransformerBlock", optional_override([](val E, val H, val o) { return GUARD(make_transformer_block(E, H, o)); }));
  function("transformerBlock", optional_override([](const Tensor& x, val H, val w, val o) {
    return GUARD(transformer_block(x, H, w, o));
  }));
}
