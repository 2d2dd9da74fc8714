// Shared by every bindings file: C++ exceptions become JS Errors, and JS <-> C++ conversions.
#pragma once
#include <emscripten/val.h>

#include <new>
#include <string>
#include <vector>

#include "gradlab/tensor.h"

namespace gradlab::bindings {

using emscripten::val;

[[noreturn]] inline void throw_js_error(const std::string& message) {
  val::global("Error").new_(message).throw_();
  __builtin_unreachable();
}

// Runs f; a C++ exception becomes a JS Error. The message is copied out of the catch block
// first, so the C++ exception is finished before the JS one unwinds.
template <class F>
auto guarded(F&& f) -> decltype(f()) {
  std::string message;
  try {
    return f();
  } catch (const std::bad_alloc&) {
    message = "out of memory: the engine could not allocate a tensor (try smaller sizes)";
  } catch (const std::exception& e) {
    message = e.what();
  } catch (...) {
    message = "unknown engine error";
  }
  throw_js_error(message);
}

inline Shape to_shape(const val& arr) {
  Shape s;
  for (double d : emscripten::vecFromJSArray<double>(arr)) s.push_back(int64_t(d));
  return s;
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

}  // namespace gradlab::bindings

// G(expr): evaluate expr with C++ exceptions turned into JS Errors.
#define G(expr) ::gradlab::bindings::guarded([&]() { return expr; })
