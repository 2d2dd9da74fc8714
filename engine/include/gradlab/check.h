// One way to fail: a gradlab::Error whose message says where and what.
#pragma once
#include "gradlab/text.h"
#include <stdexcept>
#include <string>
#include <utility>

namespace gradlab {

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& what) : std::runtime_error(what) {}
};

namespace detail {
template <class... Parts>
[[noreturn]] void fail(Parts&&... parts) {
  Text os;
  (os << ... << std::forward<Parts>(parts));
  throw Error(os.str());
}
}  // namespace detail

}  // namespace gradlab

// GL_CHECK(cond, "Linear: expected input (*, ", in, "), got ", shape_str(x))
#define GL_CHECK(cond, ...)                                 \
  do {                                                      \
    if (!(cond)) ::gradlab::detail::fail(__VA_ARGS__);      \
  } while (0)

#define GL_FAIL(...) ::gradlab::detail::fail(__VA_ARGS__)
