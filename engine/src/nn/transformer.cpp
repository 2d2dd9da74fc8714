// The Transformer block of article 000 §3.2, with the lab's two switches: where LayerNorm
// sits (post-LN as in the article, or pre-LN) and whether the residual connections exist.
#include "gradlab/check.h"
#include "gradlab/layers.h"
#include "gradlab/ops.h"

namespace gradlab::nn {

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
}  // namespace

// Members are built in declaration order (attention, norm1, ffn, norm2): the order in which
// they draw from the RNG, the same in gl.nn.TransformerBlock.
namespace {
TransformerBlockOptions checked(TransformerBlockOptions o) {
  GL_CHECK(o.dim_feedforward >= 0, "TransformerBlock: dim_feedforward must be positive (or 0 for 4E), got ",
           o.dim_feedforward);
  GL_CHECK(o.dropout >= 0.f && o.dropout < 1.f, "TransformerBlock: dropout must be in [0, 1), got ", o.dropout);
  return o;
}
}  // namespace

TransformerBlock::TransformerBlock(int64_t embed_dim, int64_t num_heads, TransformerBlockOptions options_)
    : options(checked(options_)),
      attention(embed_dim, num_heads, options_.dropout),
      norm1(embed_dim),
      ffn(feed_forward(embed_dim, options_.dim_feedforward > 0 ? options_.dim_feedforward : 4 * embed_dim,
                       options_.activation)),
      norm2(embed_dim),
      dropout1(options_.dropout),
      dropout2(options_.dropout) {}

Tensor TransformerBlock::forward(const Tensor& x, const AttentionMask& mask) {
  // x (B, T, E)
  auto attend = [&](const Tensor& h) {
    return dropout1.forward(attention.forward(h, h, h, mask, /*need_weights=*/false).output);
  };
  auto feed = [&](const Tensor& h) { return dropout2.forward(ffn.forward(h)); };
  // the residual connection, or none: the lab's switch
  auto join = [&](const Tensor& h, const Tensor& f) { return options.residual ? add(h, f) : f; };
  Tensor h = x;
  if (options.norm_first) {
    h = join(h, attend(norm1.forward(h)));  // x = x + Attn(LN1(x))
    h = join(h, feed(norm2.forward(h)));    // x = x + FFN(LN2(x))
  } else {
    h = norm1.forward(join(h, attend(h)));  // x = LN1(x + Attn(x))
    h = norm2.forward(join(h, feed(h)));    // x = LN2(x + FFN(x))
  }
  return h;
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
