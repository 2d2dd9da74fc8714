// Shared by every bindings file: C++ exceptions become JS Errors, and JS <-> C++ conversions.
// Every integer that crosses from JS (a size, an index, a dim, a seed, a count) goes through
// to_int / to_size / to_index / to_seed / to_shape here, and nowhere else: a JS number is a
// double, and int64_t(2.5), int64_t(NaN), int(2**32 + 4) would silently become another number.
#pragma once
#include <emscripten/val.h>

#include <cmath>
#include <cstdint>
#include <new>
#include <optional>
#include <string>
#include <vector>

#include "gradlab/check.h"
#include "gradlab/tensor.h"

namespace gradlab::bindings {

using emscripten::val;

// Throws new globalThis[type](message) in JS (bindings.cpp). A JS exception leaves C++ without
// running destructors or popping the shadow stack, so nothing may own memory across it: the
// message is copied out first, and gl puts the stack pointer back (raw.restoreStackPointer).
[[noreturn]] void throw_js_error(const char* message, const char* type = "Error");

// A JS argument of the wrong kind (1.5 for a size, '3' for a dim): a TypeError in JS.
struct ArgumentError : gradlab::Error {
  using gradlab::Error::Error;
};

// Runs f; a C++ exception becomes a JS Error. The message is copied out of the catch block
// first, so the C++ exception is finished before the JS one unwinds; into a static string,
// which the JS exception cannot leak (it skips this frame's destructors).
template <class F>
auto guarded(F&& f) -> decltype(f()) {
  static std::string message;
  const char* type = "Error";
  try {
    return f();
  } catch (const ArgumentError& e) {
    message = e.what();
    type = "TypeError";
  } catch (const std::bad_alloc&) {
    message = "out of memory: the engine could not allocate a tensor (try smaller sizes)";
  } catch (const std::exception& e) {
    message = e.what();
  } catch (...) {
    message = "unknown engine error";
  }
  throw_js_error(message.c_str(), type);
}

// Largest integer a JS number holds exactly (Number.MAX_SAFE_INTEGER).
constexpr int64_t kMaxSafeInteger = (int64_t(1) << 53) - 1;

// A JS value as a message shows it: 1.5, NaN, '3', null, an array, an object.
inline std::string show(const val& v) {
  if (v.isString()) return "'" + v.as<std::string>() + "'";
  if (v.isArray()) return "an array";
  if (v.isNumber() || v.isNull() || v.isUndefined() || v.isTrue() || v.isFalse()) {
    return val::global("String")(v).as<std::string>();
  }
  const std::string type = v.typeOf().as<std::string>();  // object, function, symbol, bigint
  return (type == "object" ? "an " : "a ") + type;
}

// What to_int expects, as a message says it.
inline std::string integer_kind(int64_t lo) {
  if (lo == 1) return "a positive integer";
  if (lo == 0) return "a non-negative integer";
  if (lo <= -kMaxElements) return "an integer";
  return "an integer >= " + std::to_string(lo);
}

// A whole JS number in [lo, hi], or an Error naming the call, the argument and the value.
inline int64_t to_int(const val& v, const char* who, const char* name, int64_t lo, int64_t hi) {
  const double d = v.isNumber() ? v.as<double>() : NAN;
  if (!(std::isfinite(d) && d == std::floor(d) && d >= double(lo))) {
    throw ArgumentError(std::string(who) + ": " + name + " must be " + integer_kind(lo) + ", got " + show(v));
  }
  if (d > double(hi)) {
    throw ArgumentError(std::string(who) + ": " + name + " must be at most " + std::to_string(hi) + ", got " + show(v));
  }
  return int64_t(d);
}

// A size or a count: 0 (or min) up to the engine's tensor size limit.
inline int64_t to_size(const val& v, const char* who, const char* name, int64_t min = 0) {
  return to_int(v, who, name, min, kMaxElements);
}

// A dim or a position, negative ones counting from the end. No tensor has more than
// kMaxElements elements, so anything further is out of range for every tensor, and the
// engine's index arithmetic (start + length, ...) stays far from int64 overflow.
inline int64_t to_index(const val& v, const char* who, const char* name) {
  return to_int(v, who, name, -kMaxElements, kMaxElements);
}

// A seed: any whole number JS can hold exactly.
inline uint64_t to_seed(const val& v, const char* who, const char* name = "seed") {
  return uint64_t(to_int(v, who, name, 0, kMaxSafeInteger));
}

// A JS array of sizes. allow_infer: one entry may be -1 (reshape). The product is checked
// against kMaxElements here too, so the error names the call the reader made.
inline Shape to_shape(const val& arr, const char* who, const char* name = "shape", bool allow_infer = false) {
  if (!arr.isArray()) {
    throw ArgumentError(std::string(who) + ": " + name + " must be an array of non-negative integers, got " + show(arr));
  }
  const unsigned n = arr["length"].as<unsigned>();
  if (n > 64) throw ArgumentError(std::string(who) + ": " + name + " has " + std::to_string(n) + " dims (at most 64)");
  Shape s;
  for (unsigned i = 0; i < n; ++i) {
    const std::string at = std::string(name) + "[" + std::to_string(i) + "]";
    s.push_back(to_int(arr[i], who, at.c_str(), allow_infer ? -1 : 0, kMaxElements));
  }
  int64_t numel = 1;
  for (int64_t d : s) {
    if (d <= 0) continue;
    GL_CHECK(numel <= kMaxElements / d, who, ": ", name, " ", shape_str(s), " is too large (limit ",
             kMaxElements, " elements)");
    numel *= d;
  }
  return s;
}

// A JS array of dims (negative ones count from the end): permute's dims.
inline std::vector<int64_t> to_dims(const val& arr, const char* who, const char* name = "dims") {
  if (!arr.isArray()) throw ArgumentError(std::string(who) + ": " + name + " must be an array of integers, got " + show(arr));
  const unsigned n = arr["length"].as<unsigned>();
  if (n > 64) throw ArgumentError(std::string(who) + ": " + name + " has " + std::to_string(n) + " dims (at most 64)");
  std::vector<int64_t> dims;
  for (unsigned i = 0; i < n; ++i) {
    const std::string at = std::string(name) + "[" + std::to_string(i) + "]";
    dims.push_back(to_index(arr[i], who, at.c_str()));
  }
  return dims;
}

// null or undefined: absent; otherwise a number that is not NaN (clamp's bounds).
inline std::optional<float> to_optional_number(const val& v, const char* who, const char* name) {
  if (v.isNull() || v.isUndefined()) return std::nullopt;
  const double d = v.isNumber() ? v.as<double>() : NAN;
  if (std::isnan(d)) throw ArgumentError(std::string(who) + ": " + name + " must be a number, null or undefined, got " + show(v));
  return float(d);
}

inline val to_js_array(const Shape& s) {
  val arr = val::array();
  for (int64_t d : s) arr.call<void>("push", double(d));
  return arr;
}

inline std::vector<Tensor> to_tensors(const val& arr) {
  std::vector<Tensor> out;
  unsigned n = arr["length"].as<unsigned>();
  for (unsigned i = 0; i < n; ++i) out.push_back(arr[i].as<Tensor>());
  return out;
}

// null or undefined: an absent optional tensor (no bias, no mask, zero state)
inline Tensor tensor_or_none(const val& v) { return v.isNull() || v.isUndefined() ? Tensor() : v.as<Tensor>(); }
inline val tensor_or_null(const Tensor& t) { return t.defined() ? val(t) : val::null(); }

}  // namespace gradlab::bindings

// GUARD(expr): evaluate expr with C++ exceptions turned into JS Errors.
#define GUARD(expr) ::gradlab::bindings::guarded([&]() { return expr; })
