// Multi-head attention as PyTorch computes it, batch first. Three fused ops, each with its
// forward and backward side by side:
//   attention_probs    P = softmax(Q Kᵀ / √d) per head, masks applied    (B, H, Tq, Tk)
//   attention_context  ctx = P · V per head, heads merged                (B, Tq, E)
//   attention_head_mean  the weights PyTorch returns by default          (B, Tq, Tk)
// and multi_head_attention, which wires them between the in- and out-projections.
// Heads sit side by side in the last dim: head h owns columns h·d .. h·d+d-1 of Q, K, V.
#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "gradlab/check.h"
#include "gradlab/layers.h"
#include "gradlab/ops.h"
#include "gradlab/rng.h"
#include "../autograd/graph.h"

namespace gradlab::nn {

using autograd::input_grad;
using autograd::out_grad;
using autograd::record;

namespace {

using RowMat = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using Block = Eigen::Map<RowMat, 0, Eigen::OuterStride<>>;
using ConstBlock = Eigen::Map<const RowMat, 0, Eigen::OuterStride<>>;

// C (M, N) += op(A) · op(B) on blocks of row-major arrays, `ld` floats from one row to the
// next (a head's columns inside (T, E) rows). trans_a: A is stored (K, M); trans_b: B (N, K).
void gemm_acc(bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K, const float* A,
              int64_t lda, const float* B, int64_t ldb, float* C, int64_t ldc) {
  if (M == 0 || N == 0 || K == 0) return;
  ConstBlock a(A, trans_a ? K : M, trans_a ? M : K, Eigen::OuterStride<>(lda));
  ConstBlock b(B, trans_b ? N : K, trans_b ? K : N, Eigen::OuterStride<>(ldb));
  Block c(C, M, N, Eigen::OuterStride<>(ldc));
  if (!trans_a && !trans_b) c.noalias() += a * b;
  else if (!trans_a && trans_b) c.noalias() += a * b.transpose();
  else if (trans_a && !trans_b) c.noalias() += a.transpose() * b;
  else c.noalias() += a.transpose() * b.transpose();
}

struct Heads {
  int64_t B, Tq, Tk, E, H, d;  // d = E / H
};

// Which keys query i of batch b may see.
struct KeyMask {
  bool causal = false;
  std::vector<uint8_t> padded;  // (B, Tk): 1 = padding; empty = no padding mask
  bool allowed(int64_t b, int64_t i, int64_t j, int64_t Tk) const {
    if (causal && j > i) return false;
    return padded.empty() || !padded[size_t(b * Tk + j)];
  }
};

// P (B, H, Tq, Tk):  S = Q_h K_hᵀ / √d;  P[i, :] = softmax of S[i, :] over the allowed keys,
// 0 elsewhere (all 0 if no key is allowed)
void attention_probs_forward(float* P, const float* Q, const float* K, const KeyMask& mask, Heads s) {
  float scale = 1.f / std::sqrt(float(s.d));
  for (int64_t b = 0; b < s.B; ++b)
    for (int64_t h = 0; h < s.H; ++h) {
      float* S = P + (b * s.H + h) * s.Tq * s.Tk;  // scores first, overwritten by P
      std::fill_n(S, s.Tq * s.Tk, 0.f);
      gemm_acc(false, true, s.Tq, s.Tk, s.d, Q + b * s.Tq * s.E + h * s.d, s.E,
               K + b * s.Tk * s.E + h * s.d, s.E, S, s.Tk);
      for (int64_t i = 0; i < s.Tq; ++i) {
        float* row = S + i * s.Tk;
        float mx = -INFINITY;
        for (int64_t j = 0; j < s.Tk; ++j)
          if (mask.allowed(b, i, j, s.Tk)) mx = std::max(mx, row[j] * scale);
        double sum = 0;
        for (int64_t j = 0; j < s.Tk; ++j) {
          row[j] = mask.allowed(b, i, j, s.Tk) ? std::exp(row[j] * scale - mx) : 0.f;
          sum += row[j];
        }
        float inv = sum > 0 ? float(1.0 / sum) : 0.f;
        for (int64_t j = 0; j < s.Tk; ++j) row[j] *= inv;
      }
    }
}

// forward: P = softmax(S), S = Q_h K_hᵀ · scale
//   =>  dS = P ⊙ (dP - Σ_j dP ⊙ P) · scale   (0 where masked: P is 0 there)
//       dQ_h += dS · K_h,  dK_h += dSᵀ · Q_h
void attention_probs_backward(float* dQ, float* dK, const float* dP, const float* P,
                              const float* Q, const float* K, Heads s) {
  float scale = 1.f / std::sqrt(float(s.d));
  std::vector<float> dS(size_t(s.Tq * s.Tk));
  for (int64_t b = 0; b < s.B; ++b)
    for (int64_t h = 0; h < s.H; ++h) {
      const float* Pbh = P + (b * s.H + h) * s.Tq * s.Tk;
      const float* dPbh = dP + (b * s.H + h) * s.Tq * s.Tk;
      for (int64_t i = 0; i < s.Tq; ++i) {
        const float* p = Pbh + i * s.Tk;
        const float* dp = dPbh + i * s.Tk;
        double dot = 0;
        for (int64_t j = 0; j < s.Tk; ++j) dot += double(dp[j]) * p[j];
        for (int64_t j = 0; j < s.Tk; ++j) dS[size_t(i * s.Tk + j)] = p[j] * (dp[j] - float(dot)) * scale;
      }
      const float* Qbh = Q + b * s.Tq * s.E + h * s.d;
      const float* Kbh = K + b * s.Tk * s.E + h * s.d;
      if (dQ) gemm_acc(false, false, s.Tq, s.d, s.Tk, dS.data(), s.Tk, Kbh, s.E, dQ + b * s.Tq * s.E + h * s.d, s.E);
      if (dK) gemm_acc(true, false, s.Tk, s.d, s.Tq, dS.data(), s.Tk, Qbh, s.E, dK + b * s.Tk * s.E + h * s.d, s.E);
    }
}

// ctx (B, Tq, E): ctx[b, :, head h] = P[b, h] · V_h
void attention_context_forward(float* ctx, const float* P, const float* V, Heads s) {
  std::fill_n(ctx, s.B * s.Tq * s.E, 0.f);
  for (int64_t b = 0; b < s.B; ++b)
    for (int64_t h = 0; h < s.H; ++h)
      gemm_acc(false, false, s.Tq, s.d, s.Tk, P + (b * s.H + h) * s.Tq * s.Tk, s.Tk,
               V + b * s.Tk * s.E + h * s.d, s.E, ctx + b * s.Tq * s.E + h * s.d, s.E);
}

// forward: ctx_h = P_h · V_h  =>  dP_h += dctx_h · V_hᵀ,  dV_h += P_hᵀ · dctx_h
void attention_context_backward(float* dP, float* dV, const float* dctx, const float* P,
                                const float* V, Heads s) {
  for (int64_t b = 0; b < s.B; ++b)
    for (int64_t h = 0; h < s.H; ++h) {
      const float* dctx_bh = dctx + b * s.Tq * s.E + h * s.d;
      int64_t p_at = (b * s.H + h) * s.Tq * s.Tk;
      if (dP) gemm_acc(false, true, s.Tq, s.Tk, s.d, dctx_bh, s.E, V + b * s.Tk * s.E + h * s.d, s.E, dP + p_at, s.Tk);
      if (dV) gemm_acc(true, false, s.Tk, s.d, s.Tq, P + p_at, s.Tk, dctx_bh, s.E, dV + b * s.Tk * s.E + h * s.d, s.E);
    }
}

void check_heads(const char* who, int64_t E, int64_t H) {
  GL_CHECK(H > 0, who, ": num_heads must be positive, got ", H);
  GL_CHECK(E > 0, who, ": embed_dim must be positive, got ", E);
  GL_CHECK(E % H == 0, who, ": embed_dim ", E, " is not divisible by num_heads ", H);
  GL_CHECK(E <= kMaxElements, who, ": embed_dim ", E, " is more than the largest tensor, ",
           kMaxElements, " elements");
}

}  // namespace

// ---- attention_probs: q (B, Tq, E), k (B, Tk, E) -> P (B, H, Tq, Tk)
Tensor attention_probs(const Tensor& q, const Tensor& k, int64_t num_heads, const AttentionMask& mask) {
  GL_CHECK(q.dim() == 3 && k.dim() == 3 && q.size(0) == k.size(0) && q.size(2) == k.size(2),
           "attention_probs: expected q (B, Tq, E) and k (B, Tk, E), got ", shape_str(q.shape()),
           " and ", shape_str(k.shape()));
  Heads s{q.size(0), q.size(1), k.size(1), q.size(2), num_heads, 0};
  check_heads("attention_probs", s.E, s.H);
  s.d = s.E / s.H;
  KeyMask km;
  km.causal = mask.causal;
  if (mask.key_padding_mask.defined()) {
    const Tensor& kpm = mask.key_padding_mask;
    GL_CHECK(kpm.shape() == Shape({s.B, s.Tk}), "attention_probs: expected key_padding_mask (B, S) = (",
             s.B, ", ", s.Tk, "), got ", shape_str(kpm.shape()));
    km.padded.resize(size_t(kpm.numel()));
    for (int64_t i = 0; i < kpm.numel(); ++i) km.padded[size_t(i)] = kpm.data()[i] != 0.f;
  }
  Tensor P = Tensor::empty({s.B, s.H, s.Tq, s.Tk}, "attention_probs");
  attention_probs_forward(P.data(), q.data(), k.data(), km, s);
  return record("attention_probs", P, {q, k}, [s](Node& P) {
    attention_probs_backward(input_grad(P, 0), input_grad(P, 1), out_grad(P), P.data.data(),
                             P.inputs[0]->data.data(), P.inputs[1]->data.data(), s);
  });
}

// ---- attention_context: P (B, H, Tq, Tk), v (B, Tk, E) -> ctx (B, Tq, E)
Tensor attention_context(const Tensor& probs, const Tensor& v) {
  GL_CHECK(probs.dim() == 4 && v.dim() == 3 && probs.size(0) == v.size(0) &&
               probs.size(3) == v.size(1) && v.size(2) % std::max<int64_t>(probs.size(1), 1) == 0,
           "attention_context: expected probs (B, H, Tq, Tk) and v (B, Tk, E), E a multiple of H, got ",
           shape_str(probs.shape()), " and ", shape_str(v.shape()));
  Heads s{probs.size(0), probs.size(2), probs.size(3), v.size(2), probs.size(1), 0};
  check_heads("attention_context", s.E, s.H);
  s.d = s.E / s.H;
  Tensor ctx = Tensor::empty({s.B, s.Tq, s.E}, "attention_context");
  attention_context_forward(ctx.data(), probs.data(), v.data(), s);
  return record("attention_context", ctx, {probs, v}, [s](Node& ctx) {
    attention_context_backward(input_grad(ctx, 0), input_grad(ctx, 1), out_grad(ctx),
                               ctx.inputs[0]->data.data(), ctx.inputs[1]->data.data(), s);
  });
}

// ---- attention_head_mean: W (B, Tq, Tk) = (1/H) Σ_h P[b, h]
Tensor attention_head_mean(const Tensor& probs) {
  GL_CHECK(probs.dim() == 4 && probs.size(1) > 0, "attention_head_mean: expected probs (B, H, Tq, Tk), got ",
           shape_str(probs.shape()));
  int64_t B = probs.size(0), H = probs.size(1), M = probs.size(2) * probs.size(3);
  Tensor w = Tensor::zeros({B, probs.size(2), probs.size(3)});
  for (int64_t b = 0; b < B; ++b)
    for (int64_t h = 0; h < H; ++h)
      for (int64_t m = 0; m < M; ++m) w.data()[b * M + m] += probs.data()[(b * H + h) * M + m] / float(H);
  return record("attention_head_mean", w, {probs}, [B, H, M](Node& w) {
    // forward: W[b] = (1/H) Σ_h P[b, h]  =>  dP[b, h] += dW[b] / H
    const float* dw = out_grad(w);
    float* dp = input_grad(w, 0);
    for (int64_t b = 0; b < B; ++b)
      for (int64_t h = 0; h < H; ++h)
        for (int64_t m = 0; m < M; ++m) dp[(b * H + h) * M + m] += dw[b * M + m] / float(H);
  });
}

// ---- multi_head_attention: project, attend per head, merge, project
AttentionOutput multi_head_attention(const Tensor& query, const Tensor& key, const Tensor& value,
                                     int64_t num_heads, const Tensor& in_proj_weight,
                                     const Tensor& in_proj_bias, const Tensor& out_proj_weight,
                                     const Tensor& out_proj_bias, const AttentionCall& call) {
  const char* who = "MultiheadAttention";
  GL_CHECK(in_proj_weight.dim() == 2 && in_proj_weight.size(0) == 3 * in_proj_weight.size(1), who,
           ": in_proj_weight must be (3E, E), got ", shape_str(in_proj_weight.shape()));
  int64_t E = in_proj_weight.size(1);
  check_heads(who, E, num_heads);
  GL_CHECK(!in_proj_bias.defined() || in_proj_bias.shape() == Shape{3 * E}, who,
           ": in_proj_bias must be (", 3 * E, ",), got ", shape_str(in_proj_bias.shape()));
  GL_CHECK(out_proj_weight.shape() == Shape({E, E}), who, ": out_proj.weight must be (", E, ", ", E,
           "), got ", shape_str(out_proj_weight.shape()));
  GL_CHECK(query.dim() == 3 && query.size(2) == E, who, ": expected query (B, T, ", E,
           ") (batch first, E = embed_dim), got ", shape_str(query.shape()));
  int64_t B = query.size(0);
  GL_CHECK(key.dim() == 3 && key.size(0) == B && key.size(2) == E, who, ": expected key (", B,
           ", S, ", E, ") to match query ", shape_str(query.shape()), ", got ", shape_str(key.shape()));
  GL_CHECK(value.shape() == key.shape(), who, ": value ", shape_str(value.shape()),
           " must have the shape of key ", shape_str(key.shape()));
  const Tensor& kpm = call.mask.key_padding_mask;
  GL_CHECK(!kpm.defined() || kpm.shape() == Shape({B, key.size(1)}), who,
           ": expected key_padding_mask (B, S) = (", B, ", ", key.size(1), "), got ",
           kpm.defined() ? shape_str(kpm.shape()) : "undefined");
  GL_CHECK(call.dropout >= 0.f && call.dropout < 1.f, who, ": dropout must be in [0, 1), got ", call.dropout);

  // in_proj rows [0, E) project the query, [E, 2E) the key, [2E, 3E) the value
  auto project = [&](const Tensor& x, int64_t part) {
    Tensor w = narrow(in_proj_weight, 0, part * E, E);
    Tensor b = in_proj_bias.defined() ? narrow(in_proj_bias, 0, part * E, E) : Tensor();
    return linear(x, w, b);  // (B, T, E)
  };
  Tensor Q = project(query, 0), K = project(key, 1), V = project(value, 2);
  Tensor P = attention_probs(Q, K, num_heads, call.mask);     // (B, H, Tq, Tk)
  Tensor P_drop = dropout(P, call.dropout, call.training);   // as PyTorch: on the weights
  Tensor ctx = attention_context(P_drop, V);                 // (B, Tq, E)
  AttentionOutput out;
  out.output = linear(ctx, out_proj_weight, out_proj_bias);  // (B, Tq, E)
  if (call.need_weights) out.weights = call.average_attn_weights ? attention_head_mean(P_drop) : P_drop;
  return out;
}

// ---- the module
namespace {
int64_t checked_embed_dim(int64_t E, int64_t H, float dropout) {
  check_heads("MultiheadAttention", E, H);
  numel_of({3 * E, E}, "MultiheadAttention");  // in_proj_weight, before out_proj (E, E) is made
  GL_CHECK(dropout >= 0.f && dropout < 1.f, "MultiheadAttention: dropout must be in [0, 1), got ", dropout);
  return E;
}
}  // namespace

MultiheadAttention::MultiheadAttention(int64_t embed_dim_, int64_t num_heads_, float dropout_, bool bias)
    : embed_dim(checked_embed_dim(embed_dim_, num_heads_, dropout_)),
      num_heads(num_heads_),
      head_dim(embed_dim_ / num_heads_),
      dropout(dropout_),
      out_proj(embed_dim_, embed_dim_, bias) {
  // PyTorch's _reset_parameters: Xavier-uniform in_proj, zero biases; out_proj.weight keeps
  // Linear's U(-1/√E, 1/√E)
  int64_t E = embed_dim;
  float bound = std::sqrt(6.f / float(E + 3 * E));
  Rng& rng = global_rng();
  in_proj_weight = Tensor::empty({3 * E, E}, "MultiheadAttention");
  for (float& w : in_proj_weight.vec()) w = rng.uniform(-bound, bound);
  in_proj_weight.set_requires_grad(true);
  if (bias) {
    in_proj_bias = Tensor::zeros({3 * E}, true);
    std::fill(out_proj.bias.vec().begin(), out_proj.bias.vec().end(), 0.f);
  }
}

AttentionOutput MultiheadAttention::forward(const Tensor& query, const Tensor& key,
                                            const Tensor& value, const AttentionMask& mask,
                                            bool need_weights, bool average_attn_weights) {
  AttentionCall call;
  call.mask = mask;
  call.dropout = dropout;
  call.training = training;
  call.need_weights = need_weights;
  call.average_attn_weights = average_attn_weights;
  return multi_head_attention(query, key, value, num_heads, in_proj_weight, in_proj_bias,
                              out_proj.weight, out_proj.bias, call);
}

Tensor MultiheadAttention::forward(const Tensor& x) {
  return forward(x, x, x, AttentionMask{}, false).output;
}

std::vector<Tensor> MultiheadAttention::parameters() const {
  std::vector<Tensor> ps{in_proj_weight};
  if (in_proj_bias.defined()) ps.push_back(in_proj_bias);
  for (const Tensor& p : out_proj.parameters()) ps.push_back(p);
  return ps;
}

}  // namespace gradlab::nn
