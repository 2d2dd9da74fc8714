// nn::transformer_block, the one implementation of the Transformer block (TransformerBlock
// and gl.nn.TransformerBlock both call it): equal to the block written out with the engine's
// ops for every switch, mask and activation, in values and gradients; the same RNG draws as
// that composition under dropout; per-head attention weights; gradients against central
// differences (pre-LN and post-LN, residuals off, causal); errors that name the values.
#include <cmath>
#include <string>
#include <vector>

#include "gradcheck.h"

using namespace gradlab;
using gradlab::testing::check_gradients;
using gradlab::testing::GradCheck;

namespace {

void check_close(const Tensor& a, const Tensor& b, float tol, const std::string& what) {
  REQUIRE(a.shape() == b.shape());
  float worst = 0;
  for (int64_t i = 0; i < a.numel(); ++i)
    worst = std::max(worst, std::abs(a.data()[i] - b.data()[i]) / (1.f + std::abs(b.data()[i])));
  INFO(what << ": largest relative difference " << worst);
  CHECK(worst <= tol);
}

// The block written out with the engine's ops: what TransformerBlock::forward was before
// transformer_block existed. Returns the output; `weights` gets the per-head weights.
Tensor block_by_ops(const nn::TransformerBlock& b, const Tensor& x, const nn::AttentionMask& mask, Tensor* weights) {
  const auto& lin1 = static_cast<const nn::Linear&>(b.ffn[0]);
  const auto& lin2 = static_cast<const nn::Linear&>(b.ffn[2]);
  nn::AttentionCall call;
  call.mask = mask;
  call.dropout = b.attention.dropout;
  call.training = b.training;
  call.average_attn_weights = false;
  auto attend = [&](const Tensor& h) {
    nn::AttentionOutput a = nn::multi_head_attention(h, h, h, b.attention.num_heads, b.attention.in_proj_weight,
                                                     b.attention.in_proj_bias, b.attention.out_proj.weight,
                                                     b.attention.out_proj.bias, call);
    if (weights) *weights = a.weights;
    return dropout(a.output, b.dropout1.p, b.training);
  };
  auto feed = [&](const Tensor& h) {
    Tensor u = nn::linear(h, lin1.weight, lin1.bias);
    u = b.options.activation == nn::Activation::GELU ? gelu(u) : relu(u);
    return dropout(nn::linear(u, lin2.weight, lin2.bias), b.dropout2.p, b.training);
  };
  auto ln = [](const nn::LayerNorm& n, const Tensor& h) { return nn::layer_norm(h, n.weight, n.bias, n.eps); };
  auto join = [&](const Tensor& h, const Tensor& f) { return b.options.residual ? add(h, f) : f; };
  Tensor h = x;
  if (b.options.norm_first) {
    h = join(h, attend(ln(b.norm1, h)));
    h = join(h, feed(ln(b.norm2, h)));
  } else {
    h = ln(b.norm1, join(h, attend(h)));
    h = ln(b.norm2, join(h, feed(h)));
  }
  return h;
}

// Moves every parameter off its init (LN γ = 1, β = 0, zero biases), so each one matters.
void perturb(nn::TransformerBlock& b) {
  for (Tensor& p : b.parameters())
    for (float& v : p.vec()) v += 0.1f * global_rng().normal();
}

// Gradients of Σ y·r with respect to x and every parameter.
std::vector<Tensor> grads_of(nn::TransformerBlock& b, const Tensor& y, const Tensor& r, const Tensor& x) {
  sum(mul(y, r)).backward();
  std::vector<Tensor> g{x.grad().clone()};
  for (const Tensor& p : b.parameters()) g.push_back(p.grad().clone());
  return g;
}

void zero_grads(nn::TransformerBlock& b, Tensor& x) {
  x.zero_grad();
  for (Tensor& p : b.parameters()) p.zero_grad();
}

}  // namespace

TEST_CASE("transformer_block equals the block written out with ops: every switch, mask and activation, values and gradients",
          "[transformer]") {
  const int64_t B = 3, T = 5, E = 16, H = 4;
  for (auto act : {nn::Activation::ReLU, nn::Activation::GELU}) {
    manual_seed(61);
    nn::TransformerBlockOptions o;
    o.activation = act;
    o.dim_feedforward = 24;
    nn::TransformerBlock block(E, H, o);
    perturb(block);
    Tensor x = Tensor::randn({B, T, E}, true), r = Tensor::randn({B, T, E});
    for (bool norm_first : {false, true})
      for (bool residual : {true, false})
        for (int m = 0; m < 3; ++m) {
          block.options.norm_first = norm_first;  // read at every forward
          block.options.residual = residual;
          nn::AttentionMask mask;
          mask.causal = m == 1;
          if (m == 2) mask.key_padding_mask = Tensor::from({0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0}, {B, T});
          INFO((act == nn::Activation::GELU ? "GELU" : "ReLU") << (norm_first ? " pre-LN" : " post-LN")
                                                               << (residual ? "" : " no residual") << " mask " << m);
          zero_grads(block, x);
          Tensor w_got, w_want;
          nn::TransformerBlockOutput got = block.forward(x, mask, /*need_weights=*/true);
          std::vector<Tensor> g_got = grads_of(block, got.output, r, x);
          zero_grads(block, x);
          Tensor want = block_by_ops(block, x, mask, &w_want);
          std::vector<Tensor> g_want = grads_of(block, want, r, x);
          check_close(got.output, want, 1e-6f, "output");
          check_close(got.weights, w_want, 1e-6f, "weights");
          CHECK(got.weights.shape() == Shape({B, H, T, T}));
          for (size_t k = 0; k < g_got.size(); ++k) check_close(g_got[k], g_want[k], 1e-6f, "gradient " + std::to_string(k));
        }
  }
}

TEST_CASE("transformer_block under dropout: the same draws, in the same order, as the composition", "[transformer]") {
  manual_seed(62);
  nn::TransformerBlockOptions o;
  o.dropout = 0.25f;
  o.norm_first = true;
  nn::TransformerBlock block(8, 2, o);
  Tensor x = Tensor::randn({2, 6, 8});
  manual_seed(3);
  Tensor got = block.forward(x);
  float next_got = global_rng().normal();
  manual_seed(3);
  Tensor want = block_by_ops(block, x, {}, nullptr);
  float next_want = global_rng().normal();
  check_close(got, want, 1e-6f, "dropout");
  CHECK(next_got == next_want);
  block.eval();
  check_close(block.forward(x), block_by_ops(block, x, {}, nullptr), 1e-6f, "eval");
  Tensor a = block.forward(x);
  manual_seed(99);
  check_close(block.forward(x), a, 0.f, "eval draws nothing");
}

TEST_CASE("gradcheck: transformer_block, its output and its per-head weights, post-LN and pre-LN, residuals off, causal",
          "[gradcheck][transformer]") {
  const int64_t B = 2, T = 3, E = 8, H = 2;
  for (bool norm_first : {false, true})
    for (bool residual : {true, false}) {
      manual_seed(63);
      nn::TransformerBlockOptions o;
      o.activation = nn::Activation::GELU;  // smooth: no ReLU kink inside a finite-difference step
      nn::TransformerBlock block(E, H, o);
      perturb(block);
      nn::TransformerBlockWeights w0 = block.weights();
      nn::TransformerBlockCall call;
      call.mask.causal = true;
      call.norm_first = norm_first;
      call.residual = residual;
      call.activation = nn::Activation::GELU;
      call.need_weights = true;
      std::string name = std::string(norm_first ? "pre-LN" : "post-LN") + (residual ? "" : ", no residual") + ", causal";
      INFO(name);
      std::vector<Tensor> in{Tensor::randn({B, T, E}, true)};
      for (const Tensor& p : block.parameters()) in.push_back(p);
      auto with = [&](const std::vector<Tensor>& v) {
        nn::TransformerBlockWeights w = w0;
        w.in_proj_weight = v[1], w.in_proj_bias = v[2], w.out_proj_weight = v[3], w.out_proj_bias = v[4];
        w.norm1_weight = v[5], w.norm1_bias = v[6];
        w.linear1_weight = v[7], w.linear1_bias = v[8], w.linear2_weight = v[9], w.linear2_bias = v[10];
        w.norm2_weight = v[11], w.norm2_bias = v[12];
        return nn::transformer_block(v[0], H, w, call);
      };
      GradCheck opt;
      opt.max_probes = 16;
      check_gradients("transformer_block output, " + name, in, [&](auto& v) { return with(v).output; }, opt);
      check_gradients("transformer_block weights, " + name, in, [&](auto& v) { return with(v).weights; }, opt);
    }
}

TEST_CASE("transformer_block: bad input and bad weights name the block and the values", "[transformer]") {
  manual_seed(64);
  nn::TransformerBlock block(16, 4);
  nn::TransformerBlockWeights w = block.weights();
  CHECK_THROWS_WITH(nn::transformer_block(Tensor::randn({2, 5, 12}), 4, w),
                    "TransformerBlock: expected input (B, T, 16) (batch first, E = embed_dim), got (2, 5, 12)");
  CHECK_THROWS_WITH(nn::transformer_block(Tensor::randn({5, 16}), 4, w),
                    "TransformerBlock: expected input (B, T, 16) (batch first, E = embed_dim), got (5, 16)");
  Tensor x = Tensor::randn({2, 5, 16});
  CHECK_THROWS_WITH(nn::transformer_block(x, 3, w), "MultiheadAttention: embed_dim 16 is not divisible by num_heads 3");
  nn::TransformerBlockWeights bad = w;
  bad.linear2_weight = Tensor::randn({16, 32});
  CHECK_THROWS_WITH(nn::transformer_block(x, 4, bad), "TransformerBlock: expected ffn[2].weight (16, 64), got (16, 32)");
  bad = w;
  bad.norm1_weight = Tensor::randn({8});
  CHECK_THROWS_WITH(nn::transformer_block(x, 4, bad), "TransformerBlock: expected norm1.weight (16,), got (8,)");
  bad = w;
  bad.out_proj_weight = Tensor();
  CHECK_THROWS_WITH(nn::transformer_block(x, 4, bad), "TransformerBlock: expected attention.out_proj.weight (16, 16), got none");
  nn::TransformerBlockCall call;
  call.mask.key_padding_mask = Tensor::zeros({1, 2});
  CHECK_THROWS_WITH(nn::transformer_block(x, 4, w, call), "TransformerBlock: expected key_padding_mask (B, T) = (2, 5), got (1, 2)");
  call = {};
  call.dropout2 = 1.f;
  CHECK_THROWS_WITH(nn::transformer_block(x, 4, w, call), "TransformerBlock: dropout2 p must be in [0, 1), got 1");
  // optional parts may be missing: a block without biases or LayerNorm affine still runs
  nn::TransformerBlockWeights bare = w;
  bare.in_proj_bias = bare.out_proj_bias = bare.linear1_bias = bare.linear2_bias = Tensor();
  bare.norm1_weight = bare.norm1_bias = bare.norm2_weight = bare.norm2_bias = Tensor();
  CHECK(nn::transformer_block(x, 4, bare).output.shape() == x.shape());
}
