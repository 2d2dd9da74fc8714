// The Transformer block of article 000 §3.2, with the lab's two switches: where LayerNorm
// sits (post-LN as in the article, or pre-LN) and whether the residual connections exist.
// transformer_block() is the block's one implementation: TransformerBlock::forward calls it
// with its members, and gl.nn.TransformerBlock (web/src/api/layers.js) with the parameters
// its JS fields hold at the time of the call.
#include "gradlab/check.h"
#include "gradlab/layers.h"
#include "gradlab/ops.h"

namespace gradlab::nn {

namespace {

constexpr const char* kWho = "TransformerBlock";

// A parameter of the block has the shape it must have (or is undefined, where it may be).
void check_param(const Tensor& t, const char* name, const Shape& want, bool optional) {
  if (!t.defined()) {
    GL_CHECK(optional, kWho, ": expected ", name, " ", shape_str(want), ", got none");
    return;
  }
  GL_CHECK(t.shape() == want, kWho, ": expected ", name, " ", shape_str(want), ", got ", shape_str(t.shape()));
}

void check_prob(float p, const char* name) {
  GL_CHECK(p >= 0.f && p < 1.f, kWho, ": ", name, " must be in [0, 1), got ", p);
}

}  // namespace

TransformerBlockOutput transformer_block(const Tensor& x, int64_t num_heads, const TransformerBlockWeights& w,
                                         const TransformerBlockCall& call) {
  GL_CHECK(w.in_proj_weight.defined() && w.in_proj_weight.dim() == 2,
           kWho, ": expected attention.in_proj_weight (3E, E), got ",
           w.in_proj_weight.defined() ? shape_str(w.in_proj_weight.shape()) : std::string("none"));
  const int64_t E = w.in_proj_weight.size(1);
  GL_CHECK(x.dim() == 3 && x.size(2) == E, kWho, ": expected input (B, T, ", E,
           ") (batch first, E = embed_dim), got ", shape_str(x.shape()));
  GL_CHECK(w.linear1_weight.defined() && w.linear1_weight.dim() == 2, kWho,
           ": expected ffn[0].weight (F, ", E, "), got ",
           w.linear1_weight.defined() ? shape_str(w.linear1_weight.shape()) : std::string("none"));
  const int64_t F = w.linear1_weight.size(0);
  const Tensor& kpm = call.mask.key_padding_mask;
  GL_CHECK(!kpm.defined() || kpm.shape() == Shape({x.size(0), x.size(1)}), kWho, ": expected key_padding_mask (B, T) = (",
           x.size(0), ", ", x.size(1), "), got ", shape_str(kpm.shape()));
  check_param(w.in_proj_weight, "attention.in_proj_weight", {3 * E, E}, false);
  check_param(w.in_proj_bias, "attention.in_proj_bias", {3 * E}, true);
  check_param(w.out_proj_weight, "attention.out_proj.weight", {E, E}, false);
  check_param(w.out_proj_bias, "attention.out_proj.bias", {E}, true);
  check_param(w.norm1_weight, "norm1.weight", {E}, true);
  check_param(w.norm1_bias, "norm1.bias", {E}, true);
  check_param(w.linear1_weight, "ffn[0].weight", {F, E}, false);
  check_param(w.linear1_bias, "ffn[0].bias", {F}, true);
  check_param(w.linear2_weight, "ffn[2].weight", {E, F}, false);
  check_param(w.linear2_bias, "ffn[2].bias", {E}, true);
  check_param(w.norm2_weight, "norm2.weight", {E}, true);
  check_param(w.norm2_bias, "norm2.bias", {E}, true);
  check_prob(call.attention_dropout, "attention dropout");
  check_prob(call.dropout1, "dropout1 p");
  check_prob(call.dropout2, "dropout2 p");

  TransformerBlockOutput out;
  AttentionCall attn;
  attn.mask = call.mask;
  attn.dropout = call.attention_dropout;
  attn.training = call.training;
  attn.need_weights = call.need_weights;
  attn.average_attn_weights = false;  // per head: (B, H, T, T)
  auto attend = [&](const Tensor& h) {
    AttentionOutput a = multi_head_attention(h, h, h, num_heads, w.in_proj_weight, w.in_proj_bias,
                                             w.out_proj_weight, w.out_proj_bias, attn);
    out.weights = a.weights;
    return dropout(a.output, call.dropout1, call.training);
  };
  auto feed = [&](const Tensor& h) {
    Tensor u = linear(h, w.linear1_weight, w.linear1_bias);
    u = call.activation == Activation::GELU ? gelu(u, GeluApprox::Tanh) : relu(u);
    return dropout(linear(u, w.linear2_weight, w.linear2_bias), call.dropout2, call.training);
  };
  auto norm1 = [&](const Tensor& h) { return layer_norm(h, w.norm1_weight, w.norm1_bias, w.norm1_eps); };
  auto norm2 = [&](const Tensor& h) { return layer_norm(h, w.norm2_weight, w.norm2_bias, w.norm2_eps); };
  // the residual connection, or none: the lab's switch
  auto join = [&](const Tensor& h, const Tensor& f) { return call.residual ? add(h, f) : f; };
  Tensor h = x;
  if (call.norm_first) {
    h = join(h, attend(norm1(h)));  // x = x + Attn(LN1(x))
    h = join(h, feed(norm2(h)));    // x = x + FFN(LN2(x))
  } else {
    h = norm1(join(h, attend(h)));  // x = LN1(x + Attn(x))
    h = norm2(join(h, feed(h)));    // x = LN2(x + FFN(x))
  }
  out.output = h;
  return out;
}

namespace {
Sequential feed_forward(int64_t E, int64_t F, Activation activation) {
  GL_CHECK(F > 0, "TransformerBlock: dim_feedforward must be positive, got ", F);
  Sequential ffn;
  ffn.add(std::make_shared<Linear>(E, F));
  if (activation == Activation::GELU) ffn.add(std::make_shared<GELU>());
  else ffn.add(std::make_shared<ReLU>());
  ffn.add(std::make_shared<Linear>(F, E));
  return ffn;
}

TransformerBlockOptions checked(TransformerBlockOptions o) {
  GL_CHECK(o.dim_feedforward >= 0, "TransformerBlock: dim_feedforward must be positive (or 0 for 4E), got ",
           o.dim_feedforward);
  GL_CHECK(o.dropout >= 0.f && o.dropout < 1.f, "TransformerBlock: dropout must be in [0, 1), got ", o.dropout);
  return o;
}
}  // namespace

// Members are built in declaration order (attention, norm1, ffn, norm2): the order in which
// they draw from the RNG. gl.nn.TransformerBlock gets its parameters from this constructor.
TransformerBlock::TransformerBlock(int64_t embed_dim, int64_t num_heads, TransformerBlockOptions options_)
    : options(checked(options_)),
      attention(embed_dim, num_heads, options_.dropout),
      norm1(embed_dim),
      ffn(feed_forward(embed_dim, options_.dim_feedforward > 0 ? options_.dim_feedforward : 4 * embed_dim,
                       options_.activation)),
      norm2(embed_dim),
      dropout1(options_.dropout),
      dropout2(options_.dropout) {}

TransformerBlockWeights TransformerBlock::weights() const {
  const auto& linear1 = static_cast<const Linear&>(ffn[0]);
  const auto& linear2 = static_cast<const Linear&>(ffn[2]);
  TransformerBlockWeights w;
  w.in_proj_weight = attention.in_proj_weight;
  w.in_proj_bias = attention.in_proj_bias;
  w.out_proj_weight = attention.out_proj.weight;
  w.out_proj_bias = attention.out_proj.bias;
  w.norm1_weight = norm1.weight;
  w.norm1_bias = norm1.bias;
  w.norm1_eps = norm1.eps;
  w.linear1_weight = linear1.weight;
  w.linear1_bias = linear1.bias;
  w.linear2_weight = linear2.weight;
  w.linear2_bias = linear2.bias;
  w.norm2_weight = norm2.weight;
  w.norm2_bias = norm2.bias;
  w.norm2_eps = norm2.eps;
  return w;
}

TransformerBlockOutput TransformerBlock::forward(const Tensor& x, const AttentionMask& mask, bool need_weights) {
  TransformerBlockCall call;
  call.mask = mask;
  call.norm_first = options.norm_first;
  call.residual = options.residual;
  call.activation = options.activation;
  // each dropout obeys its own module's training mode (train() sets them all)
  call.attention_dropout = attention.training ? attention.dropout : 0.f;
  call.dropout1 = dropout1.training ? dropout1.p : 0.f;
  call.dropout2 = dropout2.training ? dropout2.p : 0.f;
  call.training = true;
  call.need_weights = need_weights;
  return transformer_block(x, attention.num_heads, weights(), call);
}

Tensor TransformerBlock::forward(const Tensor& x, const AttentionMask& mask) {
  return forward(x, mask, /*need_weights=*/false).output;
}

std::vector<Tensor> TransformerBlock::parameters() const {
  std::vector<Tensor> ps;
  for (const Module* m : std::initializer_list<const Module*>{&attention, &norm1, &ffn, &norm2})
    for (const Tensor& p : m->parameters()) ps.push_back(p);
  return ps;
}

void TransformerBlock::train(bool on) {
  training = on;
  attention.train(on);
  ffn.train(on);
  dropout1.train(on);
  dropout2.train(on);
}

}  // namespace gradlab::nn
