// Command-line parsing for the gan program: `gan COMMAND --name value ... --flag`, with
// typed, range-checked getters. A mistake is a UsageError (exit status 2, one line).
#pragma once

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "gan/core/error.hpp"

namespace gan::cli {

/// A mistake on the command line: the program prints the message and exits with 2.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// The options one command accepts: names that take a value, and flags.
struct Spec {
  std::set<std::string> values;
  std::set<std::string> flags;
};

/// Parsed `--name value` options and `--flag`s of one command.
class Args {
 public:
  /// Parses argv[first..] against `spec`; unknown or repeated options, missing values and
  /// stray words are UsageErrors naming the command.
  Args(const std::string& command, const Spec& spec, int argc, char** argv, int first)
      : m_command(command) {
    for (int i = first; i < argc; ++i) {
      std::string word = argv[i];
      if (word.rfind("--", 0) != 0 || word.size() == 2) fail("unexpected argument '", word, "'");
      std::string name = word.substr(2), value;
      if (auto eq = name.find('='); eq != std::string::npos) {
        value = name.substr(eq + 1);
        name = name.substr(0, eq);
        if (!spec.values.count(name)) fail("unknown option --", name);
      } else if (spec.flags.count(name)) {
        if (!m_flags.insert(name).second) fail("option --", name, " given twice");
        continue;
      } else if (spec.values.count(name)) {
        if (i + 1 >= argc) fail("option --", name, " needs a value");
        value = argv[++i];
      } else {
        fail("unknown option --", name);
      }
      if (!m_values.emplace(name, value).second) fail("option --", name, " given twice");
    }
  }

  bool has(const std::string& name) const { return m_values.count(name) || m_flags.count(name); }
  bool flag(const std::string& name) const { return m_flags.count(name) > 0; }

  /// The value of --name, or `fallback` when absent.
  std::string text(const std::string& name, const std::string& fallback = "") const {
    auto it = m_values.find(name);
    return it == m_values.end() ? fallback : it->second;
  }
  /// The value of a required option.
  std::string required(const std::string& name) const {
    if (!m_values.count(name)) fail("missing --", name);
    return m_values.at(name);
  }
  /// An integer in [lo, hi].
  long long integer(const std::string& name, long long fallback, long long lo, long long hi) const {
    auto it = m_values.find(name);
    if (it == m_values.end()) return fallback;
    errno = 0;
    char* end = nullptr;
    long long v = std::strtoll(it->second.c_str(), &end, 10);
    if (it->second.empty() || *end != '\0' || errno == ERANGE)
      fail("--", name, " must be an integer, got '", it->second, "'");
    if (v < lo || v > hi) fail("--", name, " must be in [", lo, ", ", hi, "], got ", v);
    return v;
  }
  /// A finite number in [lo, hi].
  double number(const std::string& name, double fallback, double lo, double hi) const {
    auto it = m_values.find(name);
    if (it == m_values.end()) return fallback;
    char* end = nullptr;
    double v = std::strtod(it->second.c_str(), &end);
    if (it->second.empty() || *end != '\0' || !std::isfinite(v))
      fail("--", name, " must be a number, got '", it->second, "'");
    if (v < lo || v > hi) fail("--", name, " must be in [", lo, ", ", hi, "], got ", v);
    return v;
  }
  /// One of the given words.
  std::string choice(const std::string& name, const std::string& fallback,
                     const std::vector<std::string>& allowed) const {
    std::string v = text(name, fallback);
    for (const auto& a : allowed)
      if (a == v) return v;
    std::string list;
    for (const auto& a : allowed) list += (list.empty() ? "" : " ") + a;
    fail("--", name, " must be one of: ", list, "; got '", v, "'");
  }

  template <class... A>
  [[noreturn]] void fail(A&&... parts) const {
    throw UsageError(core::detail::concat("gan ", m_command, ": ", std::forward<A>(parts)...));
  }

 private:
  std::string m_command;
  std::map<std::string, std::string> m_values;
  std::set<std::string> m_flags;
};

}  // namespace gan::cli
