// Sets PATH for the length of a scope (to hide programs from the code under test) and
// restores it after.
#pragma once

#include <stdlib.h>

#include <optional>
#include <string>

namespace gan::test {

class PathScope {
 public:
  explicit PathScope(const std::string& path) {
    if (const char* old = ::getenv("PATH")) m_old = old;
    ::setenv("PATH", path.c_str(), 1);
  }
  ~PathScope() {
    if (m_old)
      ::setenv("PATH", m_old->c_str(), 1);
    else
      ::unsetenv("PATH");
  }
  PathScope(const PathScope&) = delete;
  PathScope& operator=(const PathScope&) = delete;

 private:
  std::optional<std::string> m_old;
};

}  // namespace gan::test
