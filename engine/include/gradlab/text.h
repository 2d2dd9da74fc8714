// Text built without iostreams: the engine's messages and the JSON it writes. An
// std::ostringstream anywhere in the wasm pulls in libc++'s locales (money, time, codecvt facets:
// ~60 KB of the engine's code) for nothing the engine prints. Numbers come out as an ostream
// would print them: integers in full, floating point as "%.*g" with the precision (6 unless set),
// which is what libc++'s num_put writes, so messages and CLI output keep their text.
#pragma once
#include <cstdio>
#include <string>
#include <string_view>
#include <type_traits>

namespace gradlab {

class Text {
 public:
  Text() = default;
  explicit Text(std::string start) : s_(std::move(start)) {}

  Text& operator<<(const char* v) {
    s_ += v ? v : "(null)";
    return *this;
  }
  Text& operator<<(std::string_view v) {
    s_.append(v.data(), v.size());
    return *this;
  }
  Text& operator<<(const std::string& v) {
    s_ += v;
    return *this;
  }
  Text& operator<<(char v) {
    s_ += v;
    return *this;
  }
  Text& operator<<(bool v) {  // as an ostream without boolalpha: 1 or 0
    s_ += v ? '1' : '0';
    return *this;
  }
  template <class I, std::enable_if_t<std::is_integral_v<I> && !std::is_same_v<I, bool> && !std::is_same_v<I, char>, int> = 0>
  Text& operator<<(I v) {
    s_ += std::to_string(v);
    return *this;
  }
  Text& operator<<(double v) {
    char buf[48];
    std::snprintf(buf, sizeof buf, "%.*g", precision_, v);
    s_ += buf;
    return *this;
  }
  Text& operator<<(float v) { return *this << double(v); }

  /** Significant digits of the floating-point numbers that follow (an ostream's precision()). */
  void precision(int digits) { precision_ = digits; }
  const std::string& str() const { return s_; }

 private:
  std::string s_;
  int precision_ = 6;
};

}  // namespace gradlab
