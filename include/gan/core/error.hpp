// gan::Error: the one exception type the library throws for a check that fails.
#pragma once

#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>

namespace gan::core {

/// Thrown for every failed check: bad shapes given to a constructor, malformed files,
/// out-of-range options. The message names what was wrong and what was expected.
class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& what) : std::runtime_error(what) {}
};

namespace detail {
/// Streams all arguments into one string: concat("layer ", 2, " wants ", 784).
template <class... Args>
std::string concat(Args&&... args) {
  std::ostringstream s;
  (s << ... << std::forward<Args>(args));
  return s.str();
}
}  // namespace detail

/// Throws gan::Error with the streamed arguments as message.
template <class... Args>
[[noreturn]] void fail(Args&&... args) {
  throw Error(detail::concat(std::forward<Args>(args)...));
}

}  // namespace gan::core

namespace gan {
using core::Error;
}

/// Checks a condition on outside input; on failure throws gan::Error with the message.
#define GAN_CHECK(cond, ...)                     \
  do {                                           \
    if (!(cond)) ::gan::core::fail(__VA_ARGS__); \
  } while (0)
