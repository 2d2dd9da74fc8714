// Recurrent layers around the step kernels of {rnn,lstm,gru}_cell.cpp:
//   - the table of cells, and the checks every recurrent op makes;
//   - cell_op: one step as one autograd node (RNNCell, LSTMCell, GRUCell);
//   - recurrent: a whole sequence through 1..L layers as one autograd node whose backward is
//     backprop through time. Inside, everything is time-major (T, B, ·) so that every step's
//     slice is contiguous: the input side of all T steps is one GEMM per layer, the
//     recurrence one small product per step forward and one backward (dh_prev, step_gemm),
//     and dx, dW_ih, dW_hh one GEMM each over all T·B rows after the backward loop;
//   - the Modules, with PyTorch's parameter names and init.
#include <algorithm>
#include <cmath>
#include <memory>
#include "gradlab/text.h"

#include "../autograd/graph.h"
#include "cells.h"
#include "gradlab/check.h"
#include "gradlab/kernels.h"
#include "gradlab/recurrent.h"
#include "gradlab/rng.h"
#include "gradlab/threads.h"

namespace gradlab::nn {

using autograd::input_grad;
using autograd::out_grad;
using autograd::record;

// ---- the table ---------------------------------------------------------------------------
namespace cells {

const CellOps& ops_of(CellKind kind) {
  //                            name    G  has_c  split_hidden_grad  keeps_hidden
  static const CellOps rnn{"RNN", 1, false, false, false};
  static const CellOps lstm{"LSTM", 4, true, false, false};
  static const CellOps gru{"GRU", 3, false, true, true};
  switch (kind) {
    case CellKind::RNN: return rnn;
    case CellKind::LSTM: return lstm;
    case CellKind::GRU: return gru;
  }
  GL_FAIL("recurrent: unknown cell kind ", int(kind));
}

void step_forward(CellKind kind, Nonlinearity nl, Step& s, const float* W_hhT, const float* b_hh,
                  int64_t B, int64_t H) {
  switch (kind) {
    case CellKind::RNN: return rnn_step_forward(s, W_hhT, b_hh, B, H, nl);
    case CellKind::LSTM: return lstm_step_forward(s, W_hhT, b_hh, B, H);
    case CellKind::GRU: return gru_step_forward(s, W_hhT, b_hh, B, H);
  }
  GL_FAIL("recurrent: no forward step for cell kind ", int(kind));
}

void step_backward(CellKind kind, Nonlinearity nl, StepGrad& g, const Step& s, const float* W_hh,
                   int64_t B, int64_t H) {
  switch (kind) {
    case CellKind::RNN: return rnn_step_backward(g, s, W_hh, B, H, nl);
    case CellKind::LSTM: return lstm_step_backward(g, s, W_hh, B, H);
    case CellKind::GRU: return gru_step_backward(g, s, W_hh, B, H);
  }
  GL_FAIL("recurrent: no backward step for cell kind ", int(kind));
}

}  // namespace cells

const char* kind_name(CellKind kind) { return cells::ops_of(kind).name; }
int64_t gate_count(CellKind kind) { return cells::ops_of(kind).gates; }

Nonlinearity nonlinearity_from(const std::string& name, const char* who) {
  if (name == "tanh") return Nonlinearity::Tanh;
  if (name == "relu") return Nonlinearity::ReLU;
  GL_FAIL(who, ": nonlinearity must be 'tanh' or 'relu', got '", name, "'");
}

const char* nonlinearity_name(Nonlinearity nl) { return nl == Nonlinearity::Tanh ? "tanh" : "relu"; }

// ---- helpers -------------------------------------------------------------------------------
namespace {

using cells::Step;
using cells::StepGrad;

std::string index_str(const Shape& shape, int64_t flat) {
  std::vector<int64_t> idx(shape.size());
  for (size_t k = shape.size(); k-- > 0;) {
    idx[k] = flat % shape[k];
    flat /= shape[k];
  }
  Text os;
  os << '(';
  for (size_t k = 0; k < idx.size(); ++k) os << (k ? ", " : "") << idx[k];
  os << ')';
  return os.str();
}

// "LSTM: weight_hh_l0 has NaN at (3, 7)": a NaN fed to a recurrence spreads to every later
// step and every gradient, so it is stopped where it enters.
void check_finite(const char* who, const std::string& name, const Tensor& t) {
  const float* p = t.data();
  const int64_t n = t.numel();
  for (int64_t k = 0; k < n; ++k) {
    if (std::isfinite(p[k])) continue;
    GL_FAIL(who, ": ", name, " has ", std::isnan(p[k]) ? "NaN" : p[k] > 0 ? "inf" : "-inf",
            " at ", index_str(t.shape(), k));
  }
}

void check_shape(const char* who, const char* what, const Tensor& t, const Shape& expected) {
  GL_CHECK(t.shape() == expected, who, ": expected ", what, " of shape ", shape_str(expected),
           ", got ", shape_str(t.shape()));
}

// y (shape) = packed[offset : offset + numel]: one of several outputs packed into one node
Tensor piece(const Tensor& packed, int64_t offset, const Shape& shape, const char* op) {
  Tensor y = Tensor::empty(shape, op);
  std::copy_n(packed.data() + offset, y.numel(), y.data());
  return record(op, y, {packed}, [offset](Node& y) {
    // forward: y = packed[offset + k]  =>  dpacked[offset + k] += dy[k]
    const float* dy = out_grad(y);
    float* dpacked = input_grad(y, 0);
    for (size_t k = 0; k < y.data.size(); ++k) dpacked[offset + int64_t(k)] += dy[k];
  });
}

// y (rows, cols) += bias row;  forward of "+ b"
void add_row(float* y, const float* bias, int64_t rows, int64_t cols) {
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t j = 0; j < cols; ++j) y[r * cols + j] += bias[j];
}

// db (cols) += Σ_rows dy;  backward of "+ b"
void add_column_sums(float* db, const float* dy, int64_t rows, int64_t cols) {
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t j = 0; j < cols; ++j) db[j] += dy[r * cols + j];
}

// dst (T, B, F) = src (B, T, F)
void batch_to_time(float* dst, const float* src, int64_t B, int64_t T, int64_t F) {
  for (int64_t b = 0; b < B; ++b)
    for (int64_t t = 0; t < T; ++t) std::copy_n(src + (b * T + t) * F, F, dst + (t * B + b) * F);
}

// dst (B, T, F) += src (T, B, F)
void add_time_to_batch(float* dst, const float* src, int64_t B, int64_t T, int64_t F) {
  for (int64_t t = 0; t < T; ++t)
    for (int64_t b = 0; b < B; ++b) {
      const float* s = src + (t * B + b) * F;
      float* d = dst + (b * T + t) * F;
      for (int64_t j = 0; j < F; ++j) d[j] += s[j];
    }
}

// (cols, rows) = (rows, cols)ᵀ: W_hh turned into the layout the forward step multiplies by
std::vector<float> transposed(const float* src, int64_t rows, int64_t cols) {
  std::vector<float> dst(size_t(rows * cols));
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < cols; ++c) dst[size_t(c * rows + r)] = src[r * cols + c];
  return dst;
}

std::vector<float> buffer(const Shape& shape, const char* who) {
  return std::vector<float>(size_t(numel_of(shape, who)), 0.f);
}

// A buffer left uninitialised, for one whose every value is written before it is read: zeroing
// the fused layers' buffers, only to overwrite them, was a tenth of a small LSTM's step in wasm.
struct Scratch {
  std::unique_ptr<float[]> p;
  size_t n = 0;
  float* data() { return p.get(); }
  const float* data() const { return p.get(); }
  bool empty() const { return n == 0; }
  float& operator[](size_t k) { return p[k]; }
};
Scratch scratch(const Shape& shape, const char* who) {
  const size_t n = size_t(numel_of(shape, who));
  return {std::unique_ptr<float[]>(new float[n]), n};  // new float[n]: not zeroed
}

const float* data_or_null(const Tensor& t) { return t.defined() ? t.data() : nullptr; }

void check_num_layers(const char* who, int64_t L) {
  GL_CHECK(L >= 1, who, ": num_layers must be positive, got ", L);
  GL_CHECK(L <= kMaxLayers, who, ": num_layers ", L, " is more than the limit ", kMaxLayers);
}

}  // namespace

// ---- one step as one autograd node ---------------------------------------------------------
namespace cells {

namespace {
struct CellCache {                // what one cell op's backward needs from its forward
  std::vector<float> gates;       // (B, G·H) gate activations
  std::vector<float> h;           // (B, H) h'
  std::vector<float> c, tanh_c;   // (B, H) LSTM: c', tanh(c')
  std::vector<float> hidden;      // (B, G·H) GRU: h W_hhᵀ + b_hh
};

Step step_of(CellCache& cache, const float* h_prev, const float* c_prev) {
  Step s;
  s.h_prev = h_prev;
  s.h = cache.h.data();
  s.gates = cache.gates.data();
  s.c_prev = c_prev;
  s.c = cache.c.empty() ? nullptr : cache.c.data();
  s.tanh_c = cache.tanh_c.empty() ? nullptr : cache.tanh_c.data();
  s.hidden = cache.hidden.empty() ? nullptr : cache.hidden.data();
  return s;
}
}  // namespace

std::pair<Tensor, Tensor> cell_op(CellKind kind, Nonlinearity nl, const char* who, const Tensor& x,
                                  const Tensor& h_in, const Tensor& c_in, const Tensor& w_ih,
                                  const Tensor& w_hh, const Tensor& b_ih, const Tensor& b_hh) {
  const CellOps& ops = ops_of(kind);
  const int64_t G = ops.gates;
  GL_CHECK(w_hh.defined() && w_hh.dim() == 2 && w_hh.size(1) > 0 && w_hh.size(0) == G * w_hh.size(1),
           who, ": weight_hh must have shape (", G, "·H, H), got ",
           w_hh.defined() ? shape_str(w_hh.shape()) : "undefined");
  const int64_t H = w_hh.size(1), GH = G * H;
  GL_CHECK(w_ih.defined() && w_ih.dim() == 2 && w_ih.size(0) == GH && w_ih.size(1) > 0, who,
           ": weight_ih must have shape (", GH, ", input_size), got ",
           w_ih.defined() ? shape_str(w_ih.shape()) : "undefined");
  const int64_t D = w_ih.size(1);
  GL_CHECK(b_ih.defined() == b_hh.defined(), who, ": pass both bias_ih and bias_hh, or neither");
  if (b_ih.defined()) {
    check_shape(who, "bias_ih", b_ih, {GH});
    check_shape(who, "bias_hh", b_hh, {GH});
  }
  GL_CHECK(x.defined() && x.dim() == 2 && x.size(1) == D, who, ": expected input of shape (B, ", D,
           "), got ", x.defined() ? shape_str(x.shape()) : "undefined");
  const int64_t B = x.size(0);
  Tensor h = h_in.defined() ? h_in : Tensor::zeros({B, H});
  check_shape(who, "h", h, {B, H});
  Tensor c;
  if (ops.has_c) {
    c = c_in.defined() ? c_in : Tensor::zeros({B, H});
    check_shape(who, "c", c, {B, H});
  } else {
    GL_CHECK(!c_in.defined(), who, ": has no cell state c");
  }
  check_finite(who, "input", x);
  check_finite(who, "h", h);
  if (c.defined()) check_finite(who, "c", c);
  check_finite(who, "weight_ih", w_ih);
  check_finite(who, "weight_hh", w_hh);
  if (b_ih.defined()) {
    check_finite(who, "bias_ih", b_ih);
    check_finite(who, "bias_hh", b_hh);
  }

  auto cache = std::make_shared<CellCache>();
  cache->gates = buffer({B, GH}, who);
  cache->h = buffer({B, H}, who);
  if (ops.has_c) cache->c = cache->tanh_c = buffer({B, H}, who);
  if (ops.keeps_hidden) cache->hidden = buffer({B, GH}, who);
  // gates (B, G·H) = x W_ihᵀ + b_ih; the step adds h W_hhᵀ + b_hh and applies the gates
  kernels::gemm(false, true, B, GH, D, x.data(), w_ih.data(), 0.f, cache->gates.data());
  if (b_ih.defined()) add_row(cache->gates.data(), b_ih.data(), B, GH);
  Step s = step_of(*cache, h.data(), ops.has_c ? c.data() : nullptr);
  step_forward(kind, nl, s, transposed(w_hh.data(), GH, H).data(), data_or_null(b_hh), B, H);

  // one node; an LSTM's (h', c') are packed in it as (2, B, H) and cut apart below
  Tensor y = Tensor::empty(ops.has_c ? Shape{2, B, H} : Shape{B, H}, who);
  std::copy(cache->h.begin(), cache->h.end(), y.data());
  if (ops.has_c) std::copy(cache->c.begin(), cache->c.end(), y.data() + B * H);

  std::vector<Tensor> inputs{x, h};
  if (ops.has_c) inputs.push_back(c);
  const size_t i_w = inputs.size();  // weight_ih, weight_hh, [bias_ih, bias_hh]
  inputs.push_back(w_ih);
  inputs.push_back(w_hh);
  if (b_ih.defined()) {
    inputs.push_back(b_ih);
    inputs.push_back(b_hh);
  }
  y = record(who, y, inputs, [cache, kind, nl, ops, B, D, H, GH, i_w](Node& y) {
    const float* dy = out_grad(y);  // (B, H) dh', then for an LSTM (B, H) dc'
    const float* x = y.inputs[0]->data.data();
    const float* h_prev = y.inputs[1]->data.data();
    const float* c_prev = ops.has_c ? y.inputs[2]->data.data() : nullptr;
    const float* W_ih = y.inputs[i_w]->data.data();
    const float* W_hh = y.inputs[i_w + 1]->data.data();
    const bool bias = y.inputs.size() > i_w + 2;

    std::vector<float> dgates_x(size_t(B * GH), 0.f);
    std::vector<float> dgates_h(ops.split_hidden_grad ? size_t(B * GH) : 0, 0.f);
    std::vector<float> dc;  // ∂L/∂c', which the step completes with the h' path
    if (ops.has_c) dc.assign(dy + B * H, dy + 2 * B * H);
    StepGrad g;
    g.dh = dy;
    g.dc = ops.has_c ? dc.data() : nullptr;
    g.dh_prev = input_grad(y, 1);
    g.dc_prev = ops.has_c ? input_grad(y, 2) : nullptr;
    g.dgates_x = dgates_x.data();
    g.dgates_h = ops.split_hidden_grad ? dgates_h.data() : dgates_x.data();
    Step s = step_of(*cache, h_prev, c_prev);
    step_backward(kind, nl, g, s, W_hh, B, H);

    // forward: gates_x = x W_ihᵀ + b_ih  =>  dx += dgates_x W_ih, dW_ih += dgates_xᵀ x,
    //                                        db_ih += Σ_b dgates_x
    if (float* dx = input_grad(y, 0)) kernels::gemm(false, false, B, D, GH, g.dgates_x, W_ih, 1.f, dx);
    if (float* dW_ih = input_grad(y, i_w))
      kernels::gemm(true, false, GH, D, B, g.dgates_x, x, 1.f, dW_ih);
    // forward: gates_h = h W_hhᵀ + b_hh  =>  dW_hh += dgates_hᵀ h, db_hh += Σ_b dgates_h
    if (float* dW_hh = input_grad(y, i_w + 1))
      kernels::gemm(true, false, GH, H, B, g.dgates_h, h_prev, 1.f, dW_hh);
    if (bias) {
      if (float* db_ih = input_grad(y, i_w + 2)) add_column_sums(db_ih, g.dgates_x, B, GH);
      if (float* db_hh = input_grad(y, i_w + 3)) add_column_sums(db_hh, g.dgates_h, B, GH);
    }
  });
  if (!ops.has_c) return {y, Tensor()};
  return {piece(y, 0, {B, H}, "LSTMCell.h"), piece(y, B * H, {B, H}, "LSTMCell.c")};
}

}  // namespace cells

// ---- a whole sequence as one autograd node -------------------------------------------------
namespace {

struct LayerCache {              // one layer over T steps, time-major: slot t is step t
  const float* x = nullptr;      // (T, B, D_l) its input: the sequence, or h of the layer below
  Scratch gates;                 // (T, B, G·H) gate activations
  Scratch h;                     // (T+1, B, H) slot 0: h0; slot t+1: h_t
  Scratch c;                     // (T+1, B, H) LSTM; slot 0: c0; slot t+1: c_t
  Scratch tanh_c;                // (T, B, H) LSTM: tanh(c_t)
  std::vector<float> hidden;     // (T, B, G·H) GRU: h_{t-1} W_hhᵀ + b_hh
};

struct SequenceCache {           // what the fused layer's backward needs from its forward
  int64_t B, T, D, H, L;
  Scratch x;                     // (T, B, D) the input, time-major
  std::vector<LayerCache> layers;
};

Step step_at(LayerCache& lc, int64_t t, int64_t B, int64_t H, int64_t GH) {
  Step s;
  s.h_prev = lc.h.data() + t * B * H;
  s.h = lc.h.data() + (t + 1) * B * H;
  s.gates = lc.gates.data() + t * B * GH;
  if (!lc.c.empty()) {
    s.c_prev = lc.c.data() + t * B * H;
    s.c = lc.c.data() + (t + 1) * B * H;
    s.tanh_c = lc.tanh_c.data() + t * B * H;
  }
  if (!lc.hidden.empty()) s.hidden = lc.hidden.data() + t * B * GH;
  return s;
}

// The rows [b0, b0 + nb) of a step's (B, ·) slices: a thread's share of the batch. Rows start
// at multiples of 4, so that step_gemm (4-row blocks, then the rest row by row) computes every
// row exactly as it does for the whole batch.
constexpr int64_t kRowAlign = 4;

Step rows_of(Step s, int64_t b0, int64_t H, int64_t GH) {
  s.h_prev += b0 * H;
  s.h += b0 * H;
  s.gates += b0 * GH;
  if (s.c) s.c_prev += b0 * H, s.c += b0 * H, s.tanh_c += b0 * H;
  if (s.hidden) s.hidden += b0 * GH;
  return s;
}

std::string param_name(int64_t layer, int j) {
  static const char* names[] = {"weight_ih_l", "weight_hh_l", "bias_ih_l", "bias_hh_l"};
  return names[j] + std::to_string(layer);
}

}  // namespace

RecurrentOutput recurrent(CellKind kind, const Tensor& x, const Tensor& h0_in, const Tensor& c0_in,
                          const std::vector<Tensor>& params, const RecurrentOptions& opt,
                          const std::shared_ptr<StepGrads>& sink) {
  const cells::CellOps& ops = cells::ops_of(kind);
  const char* who = ops.name;
  const Nonlinearity nl = opt.nonlinearity;
  const int64_t G = ops.gates, L = opt.num_layers;
  check_num_layers(who, L);
  const int64_t per_layer = opt.bias ? 4 : 2;
  GL_CHECK(int64_t(params.size()) == L * per_layer, who, ": expected ", L * per_layer,
           " parameter tensors for ", L, " layer(s) ", opt.bias ? "with" : "without",
           " biases, got ", params.size());
  for (size_t k = 0; k < params.size(); ++k)
    GL_CHECK(params[k].defined(), who, ": ", param_name(int64_t(k) / per_layer, int(k % per_layer)),
             " is undefined");
  const Tensor& w_hh0 = params[1];
  GL_CHECK(w_hh0.dim() == 2 && w_hh0.size(1) > 0 && w_hh0.size(0) == G * w_hh0.size(1), who,
           ": weight_hh_l0 must have shape (", G, "·H, H), got ", shape_str(w_hh0.shape()));
  const int64_t H = w_hh0.size(1), GH = G * H;
  GL_CHECK(params[0].dim() == 2 && params[0].size(0) == GH && params[0].size(1) > 0, who,
           ": weight_ih_l0 must have shape (", GH, ", input_size), got ",
           shape_str(params[0].shape()));
  const int64_t D = params[0].size(1);
  for (int64_t l = 0; l < L; ++l) {
    const Tensor* p = &params[size_t(l * per_layer)];
    check_shape(who, param_name(l, 0).c_str(), p[0], {GH, l == 0 ? D : H});
    check_shape(who, param_name(l, 1).c_str(), p[1], {GH, H});
    if (opt.bias) {
      check_shape(who, param_name(l, 2).c_str(), p[2], {GH});
      check_shape(who, param_name(l, 3).c_str(), p[3], {GH});
    }
  }
  const char* layout = opt.batch_first ? "(B, T, " : "(T, B, ";
  GL_CHECK(x.defined() && x.dim() == 3 && x.size(2) == D, who, ": expected input of shape ", layout,
           D, ")", opt.batch_first ? "" : " (batch_first is off)", ", got ",
           x.defined() ? shape_str(x.shape()) : "undefined");
  const int64_t B = opt.batch_first ? x.size(0) : x.size(1);
  const int64_t T = opt.batch_first ? x.size(1) : x.size(0);
  GL_CHECK(T >= 1, who, ": the input has no time steps: ", shape_str(x.shape()));
  if (ops.has_c) {
    GL_CHECK(h0_in.defined() == c0_in.defined(), who, ": pass both h0 and c0, or neither");
  } else {
    GL_CHECK(!c0_in.defined(), who, ": has no cell state c0");
  }
  Tensor h0 = h0_in.defined() ? h0_in : Tensor::zeros({L, B, H});
  check_shape(who, "h0", h0, {L, B, H});
  Tensor c0;
  if (ops.has_c) {
    c0 = c0_in.defined() ? c0_in : Tensor::zeros({L, B, H});
    check_shape(who, "c0", c0, {L, B, H});
  }
  check_finite(who, "input", x);
  check_finite(who, "h0", h0);
  if (c0.defined()) check_finite(who, "c0", c0);
  for (size_t k = 0; k < params.size(); ++k)
    check_finite(who, param_name(int64_t(k) / per_layer, int(k % per_layer)), params[k]);

  // ---- forward, layer by layer; each layer's time loop calls its cell's step
  auto cache = std::make_shared<SequenceCache>();
  cache->B = B, cache->T = T, cache->D = D, cache->H = H, cache->L = L;
  cache->x = scratch({T, B, D}, who);
  if (opt.batch_first) batch_to_time(cache->x.data(), x.data(), B, T, D);
  else std::copy(x.vec().begin(), x.vec().end(), cache->x.data());
  cache->layers.resize(size_t(L));
  for (int64_t l = 0; l < L; ++l) {
    LayerCache& lc = cache->layers[size_t(l)];
    const int64_t D_l = l == 0 ? D : H;
    const Tensor* p = &params[size_t(l * per_layer)];
    const float* b_ih = opt.bias ? p[2].data() : nullptr;
    const float* b_hh = opt.bias ? p[3].data() : nullptr;
    lc.x = l == 0 ? cache->x.data() : cache->layers[size_t(l - 1)].h.data() + B * H;
    lc.gates = scratch({T, B, GH}, who);  // written whole by the input side below
    // h, c and tanh_c: slot 0 copied here, every other written by its step
    lc.h = scratch({T + 1, B, H}, who);
    std::copy_n(h0.data() + l * B * H, B * H, lc.h.data());
    if (ops.has_c) {
      lc.c = scratch({T + 1, B, H}, who);
      lc.tanh_c = scratch({T, B, H}, who);
      std::copy_n(c0.data() + l * B * H, B * H, lc.c.data());
    }
    if (ops.keeps_hidden) lc.hidden = buffer({T, B, GH}, who);
    // the input side of every gate at every step: one GEMM, (T·B, D_l) · W_ihᵀ + b_ih, or for
    // an input of 1 to 3 features (most of the chapters' tasks) one pass with the same bits
    if (D_l < cells::kInputSideMaxK) {
      const std::vector<float> W_ihT = transposed(p[0].data(), GH, D_l);  // (D_l, G·H)
      cells::input_side(T * B, GH, D_l, lc.x, W_ihT.data(), b_ih, lc.gates.data());
    } else {
      kernels::gemm(false, true, T * B, GH, D_l, lc.x, p[0].data(), 0.f, lc.gates.data());
      if (b_ih) add_row(lc.gates.data(), b_ih, T * B, GH);
    }
    const std::vector<float> W_hhT = transposed(p[1].data(), GH, H);  // (H, G·H)
    // The rows of the batch never meet in the loop: each thread steps its own rows through
    // all T steps (gradlab/threads.h).
    const int parts = threads::parts_for(B, kRowAlign, T * GH * H);
    threads::run(parts, [&](int part) {
      const threads::Rows rows = threads::part_rows(part, parts, B, kRowAlign);
      for (int64_t t = 0; t < T; ++t) {
        Step s = rows_of(step_at(lc, t, B, H, GH), rows.first, H, GH);
        cells::step_forward(kind, nl, s, W_hhT.data(), b_hh, rows.count, H);
      }
    });
  }

  // ---- outputs, packed into one node: output (B, T, H) | h_n (L, B, H) | c_n (L, B, H)
  const int64_t n_out = B * T * H, n_state = L * B * H;
  Tensor packed = Tensor::empty({n_out + n_state * (ops.has_c ? 2 : 1)}, who);
  const LayerCache& top = cache->layers.back();
  if (opt.batch_first) {
    std::fill_n(packed.data(), n_out, 0.f);
    add_time_to_batch(packed.data(), top.h.data() + B * H, B, T, H);
  } else {
    std::copy_n(top.h.data() + B * H, n_out, packed.data());
  }
  for (int64_t l = 0; l < L; ++l) {
    const LayerCache& lc = cache->layers[size_t(l)];
    std::copy_n(lc.h.data() + T * B * H, B * H, packed.data() + n_out + l * B * H);
    if (ops.has_c)
      std::copy_n(lc.c.data() + T * B * H, B * H, packed.data() + n_out + n_state + l * B * H);
  }

  std::vector<Tensor> inputs{x, h0};
  if (ops.has_c) inputs.push_back(c0);
  const size_t i_p = inputs.size();  // where the parameters start
  inputs.insert(inputs.end(), params.begin(), params.end());
  const bool batch_first = opt.batch_first;
  packed = record(who, packed, inputs,
                  [cache, sink, kind, nl, ops, per_layer, i_p, batch_first, n_out, n_state](Node& y) {
    const int64_t B = cache->B, T = cache->T, D = cache->D, H = cache->H, L = cache->L;
    const int64_t G = ops.gates, GH = G * H, BH = B * H;
    const float* dy = out_grad(y);
    const float* d_out = dy;                      // (B, T, H) or (T, B, H)
    const float* d_hn = dy + n_out;               // (L, B, H)
    const float* d_cn = dy + n_out + n_state;     // (L, B, H), LSTM
    float* dh0 = input_grad(y, 1);
    float* dc0 = ops.has_c ? input_grad(y, 2) : nullptr;

    // dh (T+1, B, H), slot t+1: ∂L/∂h_t of the layer being processed. It arrives from above
    // (the output for the top layer, the layer above's dx below it); the loop adds the
    // recurrent path from step t+1 before step t reads it.
    // Slot 0 only receives (from step 0): zeroed; slots 1..T are written here first.
    Scratch dh = scratch({T + 1, B, H}, ops.name);
    std::fill_n(dh.data(), BH, 0.f);
    if (batch_first) batch_to_time(dh.data() + BH, d_out, B, T, H);
    else std::copy_n(d_out, T * BH, dh.data() + BH);

    for (int64_t l = L - 1; l >= 0; --l) {
      LayerCache& lc = cache->layers[size_t(l)];
      const int64_t D_l = l == 0 ? D : H;
      const size_t i_l = i_p + size_t(l * per_layer);  // this layer's weight_ih in y.inputs
      const float* W_ih = y.inputs[i_l]->data.data();
      const float* W_hh = y.inputs[i_l + 1]->data.data();

      std::vector<float> dc(ops.has_c ? size_t((T + 1) * BH) : 0, 0.f);  // (T+1, B, H)
      for (int64_t k = 0; k < BH; ++k) dh[size_t(T * BH + k)] += d_hn[l * BH + k];
      if (ops.has_c)
        for (int64_t k = 0; k < BH; ++k) dc[size_t(T * BH + k)] += d_cn[l * BH + k];
      std::vector<float> dgates_x(size_t(T * B * GH), 0.f);  // (T, B, G·H)
      std::vector<float> dgates_h(ops.split_hidden_grad ? size_t(T * B * GH) : 0, 0.f);
      float* dgh_all = ops.split_hidden_grad ? dgates_h.data() : dgates_x.data();

      // backprop through time: the steps in reverse, each adding into step t-1's slots; each
      // thread takes its own rows of the batch through all T steps, as forward
      const int parts = threads::parts_for(B, kRowAlign, T * GH * H);
      threads::run(parts, [&](int part) {
        const threads::Rows rows = threads::part_rows(part, parts, B, kRowAlign);
        const int64_t b0 = rows.first, nb = rows.count;
        for (int64_t t = T - 1; t >= 0; --t) {
          StepGrad g;
          g.dh = dh.data() + (t + 1) * BH + b0 * H;
          g.dh_prev = dh.data() + t * BH + b0 * H;
          if (ops.has_c) {
            g.dc = dc.data() + (t + 1) * BH + b0 * H;
            g.dc_prev = dc.data() + t * BH + b0 * H;
          }
          g.dgates_x = dgates_x.data() + (t * B + b0) * GH;
          g.dgates_h = dgh_all + (t * B + b0) * GH;
          cells::step_backward(kind, nl, g, rows_of(step_at(lc, t, B, H, GH), b0, H, GH), W_hh, nb, H);
          // What vanished below float32's normal range is zero from here on: denormals would
          // slow every product of the steps below and of the weight gradients (kernels.h).
          kernels::flush_denormals(g.dh_prev, nb * H);
          if (ops.has_c) kernels::flush_denormals(g.dc_prev, nb * H);
          kernels::flush_denormals(g.dgates_x, nb * GH);
          if (ops.split_hidden_grad) kernels::flush_denormals(g.dgates_h, nb * GH);
        }
      });
      if (dh0)
        for (int64_t k = 0; k < BH; ++k) dh0[l * BH + k] += dh[size_t(k)];
      if (dc0)
        for (int64_t k = 0; k < BH; ++k) dc0[l * BH + k] += dc[size_t(k)];
      if (sink && l == L - 1) {  // the totals ∂L/∂h_t, ∂L/∂c_t for t = 0..T-1: slots 1..T
        Shape shape = batch_first ? Shape{B, T, H} : Shape{T, B, H};
        auto per_step = [&](const float* slots) {
          Tensor out = Tensor::zeros(shape);
          if (batch_first) add_time_to_batch(out.data(), slots + BH, B, T, H);
          else std::copy_n(slots + BH, T * BH, out.data());
          return out;
        };
        sink->dh = per_step(dh.data());
        sink->dc = ops.has_c ? per_step(dc.data()) : Tensor();
      }

      // forward: gates_x = x W_ihᵀ + b_ih at all T·B rows  =>  dW_ih += dgates_xᵀ x,
      //          db_ih += Σ_rows dgates_x, dx += dgates_x W_ih: one GEMM each
      // forward: gates_h = h_{t-1} W_hhᵀ + b_hh  =>  dW_hh += dgates_hᵀ h_{t-1} (slots 0..T-1)
      // (Each gradient this backward adds to is flushed after: a product of two small normal
      // numbers can be a denormal, and no gradient of the layer is left holding one.)
      if (float* dW_ih = input_grad(y, i_l)) {
        kernels::gemm(true, false, GH, D_l, T * B, dgates_x.data(), lc.x, 1.f, dW_ih);
        kernels::flush_denormals(dW_ih, GH * D_l);
      }
      if (float* dW_hh = input_grad(y, i_l + 1)) {
        kernels::gemm(true, false, GH, H, T * B, dgh_all, lc.h.data(), 1.f, dW_hh);
        kernels::flush_denormals(dW_hh, GH * H);
      }
      if (per_layer == 4) {
        float* db_ih = input_grad(y, i_l + 2);
        float* db_hh = input_grad(y, i_l + 3);
        std::vector<float> db(size_t(GH), 0.f);  // Σ_rows dgates_x, shared when dgates_h is it
        add_column_sums(db.data(), dgates_x.data(), T * B, GH);
        if (db_ih)
          for (int64_t j = 0; j < GH; ++j) db_ih[j] += db[size_t(j)];
        if (db_hh && ops.split_hidden_grad) add_column_sums(db_hh, dgh_all, T * B, GH);
        else if (db_hh)
          for (int64_t j = 0; j < GH; ++j) db_hh[j] += db[size_t(j)];
        if (db_ih) kernels::flush_denormals(db_ih, GH);
        if (db_hh) kernels::flush_denormals(db_hh, GH);
      }
      if (l > 0) {  // the layer below gets its ∂L/∂h_t from above: this layer's dx
        Scratch dh_below = scratch({T + 1, B, H}, ops.name);
        std::fill_n(dh_below.data(), BH, 0.f);
        kernels::gemm(false, false, T * B, H, GH, dgates_x.data(), W_ih, 0.f, dh_below.data() + BH);
        kernels::flush_denormals(dh_below.data() + BH, T * BH);
        dh = std::move(dh_below);
      } else if (float* dx = input_grad(y, 0)) {
        if (batch_first) {
          std::vector<float> dx_tm(size_t(T * B * D), 0.f);  // (T, B, D)
          kernels::gemm(false, false, T * B, D, GH, dgates_x.data(), W_ih, 1.f, dx_tm.data());
          add_time_to_batch(dx, dx_tm.data(), B, T, D);
        } else {
          kernels::gemm(false, false, T * B, D, GH, dgates_x.data(), W_ih, 1.f, dx);
        }
        kernels::flush_denormals(dx, T * B * D);
      }
    }
  });

  static const char* out_names[3][3] = {{"RNN.output", "RNN.h_n", ""},
                                        {"LSTM.output", "LSTM.h_n", "LSTM.c_n"},
                                        {"GRU.output", "GRU.h_n", ""}};
  const char* const* names = out_names[int(kind)];
  RecurrentOutput out;
  out.output = piece(packed, 0, batch_first ? Shape{B, T, H} : Shape{T, B, H}, names[0]);
  out.h_n = piece(packed, n_out, {L, B, H}, names[1]);
  if (ops.has_c) out.c_n = piece(packed, n_out + n_state, {L, B, H}, names[2]);
  return out;
}

// ---- Modules -------------------------------------------------------------------------------
namespace {
// PyTorch's init for recurrent layers: every weight and bias U(-1/√H, 1/√H)
Tensor uniform_param(const Shape& shape, float bound, const char* who) {
  Tensor t = Tensor::empty(shape, who);
  Rng& rng = global_rng();
  for (float& v : t.vec()) v = rng.uniform(-bound, bound);
  t.set_requires_grad(true);
  return t;
}

// Before G · hidden_size is formed: past kMaxElements it could overflow int64
// (LSTMCell(2^63 - 1024, 2^62) made zero-size weights).
void check_sizes(const char* who, int64_t input_size, int64_t hidden_size) {
  GL_CHECK(input_size > 0, who, ": input_size must be positive, got ", input_size);
  GL_CHECK(hidden_size > 0, who, ": hidden_size must be positive, got ", hidden_size);
  GL_CHECK(input_size <= kMaxElements, who, ": input_size ", input_size,
           " is more than the largest tensor, ", kMaxElements, " elements");
  GL_CHECK(hidden_size <= kMaxElements, who, ": hidden_size ", hidden_size,
           " is more than the largest tensor, ", kMaxElements, " elements");
}
}  // namespace

CellBase::CellBase(CellKind kind, const char* name, int64_t input_size, int64_t hidden_size,
                   bool bias)
    : kind(kind), input_size(input_size), hidden_size(hidden_size), bias(bias), name_(name) {
  check_sizes(name, input_size, hidden_size);
  const int64_t GH = gate_count(kind) * hidden_size;
  const float bound = 1.f / std::sqrt(float(hidden_size));
  weight_ih = uniform_param({GH, input_size}, bound, name);
  weight_hh = uniform_param({GH, hidden_size}, bound, name);
  if (bias) {
    bias_ih = uniform_param({GH}, bound, name);
    bias_hh = uniform_param({GH}, bound, name);
  }
}

std::vector<std::pair<std::string, Tensor>> CellBase::named_parameters() const {
  std::vector<std::pair<std::string, Tensor>> out{{"weight_ih", weight_ih}, {"weight_hh", weight_hh}};
  if (bias) {
    out.push_back({"bias_ih", bias_ih});
    out.push_back({"bias_hh", bias_hh});
  }
  return out;
}

std::vector<Tensor> CellBase::parameters() const {
  std::vector<Tensor> out;
  for (auto& [name, t] : named_parameters()) out.push_back(t);
  return out;
}

RecurrentBase::RecurrentBase(CellKind kind, int64_t input_size, int64_t hidden_size,
                             RecurrentOptions options)
    : kind(kind), input_size(input_size), hidden_size(hidden_size), options(options) {
  const char* who = kind_name(kind);
  check_sizes(who, input_size, hidden_size);
  check_num_layers(who, options.num_layers);
  GL_CHECK(kind == CellKind::RNN || options.nonlinearity == Nonlinearity::Tanh, who,
           ": only RNN takes a nonlinearity");
  if (options.forget_bias) {
    GL_CHECK(kind == CellKind::LSTM, who, ": only LSTM has a forget gate to set a bias on");
    GL_CHECK(options.bias, who, ": forget_bias needs bias=true");
    GL_CHECK(std::isfinite(*options.forget_bias), who, ": forget_bias must be finite, got ",
             *options.forget_bias);
  }
  const int64_t GH = gate_count(kind) * hidden_size;
  const float bound = 1.f / std::sqrt(float(hidden_size));
  for (int64_t l = 0; l < options.num_layers; ++l) {
    params_.push_back(uniform_param({GH, l == 0 ? input_size : hidden_size}, bound, who));
    params_.push_back(uniform_param({GH, hidden_size}, bound, who));
    if (options.bias) {
      params_.push_back(uniform_param({GH}, bound, who));
      params_.push_back(uniform_param({GH}, bound, who));
      if (options.forget_bias) {  // the f rows (H..2H): b_ih = value, b_hh = 0, so b_f = value
        Tensor& b_ih = params_[params_.size() - 2];
        Tensor& b_hh = params_.back();
        std::fill_n(b_ih.data() + hidden_size, hidden_size, *options.forget_bias);
        std::fill_n(b_hh.data() + hidden_size, hidden_size, 0.f);
      }
    }
  }
}

std::vector<Tensor> RecurrentBase::parameters() const { return params_; }

std::vector<std::pair<std::string, Tensor>> RecurrentBase::named_parameters() const {
  const int per_layer = options.bias ? 4 : 2;
  std::vector<std::pair<std::string, Tensor>> out;
  for (size_t k = 0; k < params_.size(); ++k)
    out.push_back({param_name(int64_t(k) / per_layer, int(k % per_layer)), params_[k]});
  return out;
}

const Tensor& RecurrentBase::weight_ih(int64_t layer) const {
  GL_CHECK(layer >= 0 && layer < options.num_layers, kind_name(kind), ": no layer ", layer);
  return params_[size_t(layer * (options.bias ? 4 : 2))];
}
const Tensor& RecurrentBase::weight_hh(int64_t layer) const {
  GL_CHECK(layer >= 0 && layer < options.num_layers, kind_name(kind), ": no layer ", layer);
  return params_[size_t(layer * (options.bias ? 4 : 2) + 1)];
}
Tensor RecurrentBase::bias_ih(int64_t layer) const {
  GL_CHECK(layer >= 0 && layer < options.num_layers, kind_name(kind), ": no layer ", layer);
  return options.bias ? params_[size_t(layer * 4 + 2)] : Tensor();
}
Tensor RecurrentBase::bias_hh(int64_t layer) const {
  GL_CHECK(layer >= 0 && layer < options.num_layers, kind_name(kind), ": no layer ", layer);
  return options.bias ? params_[size_t(layer * 4 + 3)] : Tensor();
}

StepGrads RecurrentBase::step_grads() const {
  GL_CHECK(step_grads_->ready(), kind_name(kind), ".step_grads: no backward has run through this "
           "layer yet; call backward() on a loss computed from its output first");
  return *step_grads_;
}

RecurrentOutput RecurrentBase::run(const Tensor& x, const Tensor& h0, const Tensor& c0) const {
  return recurrent(kind, x, h0, c0, params_, options, step_grads_);
}

RNN::RNN(int64_t input_size, int64_t hidden_size, RecurrentOptions options)
    : RecurrentBase(CellKind::RNN, input_size, hidden_size, options) {}
RecurrentOutput RNN::forward(const Tensor& x, const Tensor& h0) const { return run(x, h0, Tensor()); }

LSTM::LSTM(int64_t input_size, int64_t hidden_size, RecurrentOptions options)
    : RecurrentBase(CellKind::LSTM, input_size, hidden_size, options) {}
RecurrentOutput LSTM::forward(const Tensor& x, const Tensor& h0, const Tensor& c0) const {
  return run(x, h0, c0);
}

GRU::GRU(int64_t input_size, int64_t hidden_size, RecurrentOptions options)
    : RecurrentBase(CellKind::GRU, input_size, hidden_size, options) {}
RecurrentOutput GRU::forward(const Tensor& x, const Tensor& h0) const { return run(x, h0, Tensor()); }

}  // namespace gradlab::nn
