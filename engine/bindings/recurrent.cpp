// Embind for the recurrent layers: functions over tensors. The JS classes (gl.nn.LSTM, ...,
// web/src/api/recurrent.js) own the parameters and pass them in at every call, so a parameter
// replaced from JS is the one used. No logic here: conversion, and every call guarded.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <memory>
#include <string>

#include "gradlab/gradlab.h"
#include "guard.h"

using emscripten::val;
using namespace gradlab;
using namespace gradlab::bindings;

namespace {

nn::CellKind kind_from(const std::string& name) {
  if (name == "RNN") return nn::CellKind::RNN;
  if (name == "LSTM") return nn::CellKind::LSTM;
  if (name == "GRU") return nn::CellKind::GRU;
  GL_FAIL("recurrent: unknown layer kind '", name, "' (expected RNN, LSTM or GRU)");
}

// { numLayers, nonlinearity, bias, batchFirst, forgetBias } (types checked in JS already)
nn::RecurrentOptions options_from(const val& o, const char* who) {
  nn::RecurrentOptions opt;
  opt.num_layers = to_size(o["numLayers"], who, "num_layers", 1);
  opt.nonlinearity = nn::nonlinearity_from(o["nonlinearity"].as<std::string>(), who);
  opt.bias = o["bias"].as<bool>();
  opt.batch_first = o["batchFirst"].as<bool>();
  val fb = o["forgetBias"];
  if (!fb.isNull() && !fb.isUndefined()) opt.forget_bias = fb.as<float>();
  return opt;
}

val named(const std::vector<std::pair<std::string, Tensor>>& params) {
  val names = val::array(), tensors = val::array();
  for (const auto& [name, t] : params) {
    names.call<void>("push", name);
    tensors.call<void>("push", val(t));
  }
  val r = val::object();
  r.set("names", names);
  r.set("params", tensors);
  return r;
}

// A freshly initialised layer's parameters (PyTorch's init from the global seed), by name.
val make_recurrent(const std::string& kind_name, const val& input_size, const val& hidden_size, const val& o) {
  nn::CellKind kind = kind_from(kind_name);
  const char* who = nn::kind_name(kind);
  const int64_t in = to_size(input_size, who, "input_size", 1);
  const int64_t hidden = to_size(hidden_size, who, "hidden_size", 1);
  nn::RecurrentOptions opt = options_from(o, who);
  switch (kind) {
    case nn::CellKind::RNN: return named(nn::RNN(in, hidden, opt).named_parameters());
    case nn::CellKind::LSTM: return named(nn::LSTM(in, hidden, opt).named_parameters());
    case nn::CellKind::GRU: return named(nn::GRU(in, hidden, opt).named_parameters());
  }
  return val::null();
}

val make_cell(const std::string& kind_name, const val& input_size, const val& hidden_size, bool bias) {
  const nn::CellKind kind = kind_from(kind_name);
  const std::string who = std::string(nn::kind_name(kind)) + "Cell";
  const int64_t in = to_size(input_size, who.c_str(), "input_size", 1);
  const int64_t hidden = to_size(hidden_size, who.c_str(), "hidden_size", 1);
  switch (kind) {
    case nn::CellKind::RNN: return named(nn::RNNCell(in, hidden, bias).named_parameters());
    case nn::CellKind::LSTM: return named(nn::LSTMCell(in, hidden, bias).named_parameters());
    case nn::CellKind::GRU: return named(nn::GRUCell(in, hidden, bias).named_parameters());
  }
  return val::null();
}

// [output, h_n, c_n or null]
val run_recurrent(const std::string& kind_name, const Tensor& x, const val& h0, const val& c0,
                  const val& params, const val& o, const std::shared_ptr<nn::StepGrads>& sink) {
  nn::CellKind kind = kind_from(kind_name);
  nn::RecurrentOutput r = nn::recurrent(kind, x, tensor_or_none(h0), tensor_or_none(c0),
                                        to_tensors(params), options_from(o, nn::kind_name(kind)), sink);
  val out = val::array();
  out.call<void>("push", val(r.output));
  out.call<void>("push", val(r.h_n));
  out.call<void>("push", tensor_or_null(r.c_n));
  return out;
}

// One step: p = [weight_ih, weight_hh, bias_ih, bias_hh] (biases may be null). [h', c' or null]
val run_cell(const std::string& kind_name, const Tensor& x, const val& h, const val& c,
             const val& p, const std::string& nonlinearity) {
  nn::CellKind kind = kind_from(kind_name);
  Tensor w_ih = p[0].as<Tensor>(), w_hh = p[1].as<Tensor>();
  Tensor b_ih = tensor_or_none(p[2]), b_hh = tensor_or_none(p[3]);
  std::pair<Tensor, Tensor> next;
  switch (kind) {
    case nn::CellKind::RNN:
      next.first = nn::rnn_cell(x, tensor_or_none(h), w_ih, w_hh, b_ih, b_hh,
                                nn::nonlinearity_from(nonlinearity, "RNNCell"));
      break;
    case nn::CellKind::LSTM:
      next = nn::lstm_cell(x, tensor_or_none(h), tensor_or_none(c), w_ih, w_hh, b_ih, b_hh);
      break;
    case nn::CellKind::GRU: next.first = nn::gru_cell(x, tensor_or_none(h), w_ih, w_hh, b_ih, b_hh); break;
  }
  val out = val::array();
  out.call<void>("push", val(next.first));
  out.call<void>("push", tensor_or_null(next.second));
  return out;
}

}  // namespace

EMSCRIPTEN_BINDINGS(gradlab_recurrent) {
  using emscripten::class_;
  using emscripten::function;
  using emscripten::optional_override;

  // Where a fused layer's backward leaves ∂L/∂h_t (and ∂L/∂c_t) of its last layer.
  class_<nn::StepGrads>("RecurrentStepGrads")
      .smart_ptr_constructor("RecurrentStepGrads", &std::make_shared<nn::StepGrads>)
      .function("ready", optional_override([](const nn::StepGrads& s) { return s.ready(); }))
      .function("dh", optional_override([](const nn::StepGrads& s) { return GUARD(tensor_or_null(s.dh)); }))
      .function("dc", optional_override([](const nn::StepGrads& s) { return GUARD(tensor_or_null(s.dc)); }));

  function("makeRecurrent", optional_override([](std::string kind, val in, val hidden, val o) {
    return GUARD(make_recurrent(kind, in, hidden, o));
  }));
  function("makeCell", optional_override([](std::string kind, val in, val hidden, bool bias) {
    return GUARD(make_cell(kind, in, hidden, bias));
  }));
  function("recurrent", optional_override([](std::string kind, const Tensor& x, val h0, val c0,
                                             val params, val o, std::shared_ptr<nn::StepGrads> sink) {
    return GUARD(run_recurrent(kind, x, h0, c0, params, o, sink));
  }));
  function("recurrentCell", optional_override([](std::string kind, const Tensor& x, val h, val c,
                                                 val params, std::string nonlinearity) {
    return GUARD(run_cell(kind, x, h, c, params, nonlinearity));
  }));
}
