// Gnuplot: runs the gnuplot program (Debian gnuplot-nox) on a script in a private
// temporary directory, for the figures of io/figures.hpp. gnuplot is optional: when it
// is not on PATH, `available()` says so and nothing is run.
#pragma once

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "gan/core/error.hpp"

extern char** environ;  // POSIX: the process's environment, passed on to gnuplot

namespace gan::io {

/// Full path of `program`: as given when it contains a '/', otherwise the first
/// executable of that name in the directories of PATH; empty when there is none.
inline std::filesystem::path find_program(const std::string& program) {
  if (program.find('/') != std::string::npos)
    return ::access(program.c_str(), X_OK) == 0 ? std::filesystem::path(program)
                                                : std::filesystem::path();
  const char* path = std::getenv("PATH");
  std::string_view dirs = path != nullptr ? path : "";
  while (!dirs.empty()) {
    std::size_t colon = dirs.find(':');
    std::string_view dir = dirs.substr(0, colon);
    dirs = colon == std::string_view::npos ? std::string_view() : dirs.substr(colon + 1);
    if (dir.empty()) continue;  // an empty entry would mean the working directory: skip it
    std::filesystem::path candidate = std::filesystem::path(dir) / program;
    std::error_code ec;
    if (std::filesystem::is_regular_file(candidate, ec) && ::access(candidate.c_str(), X_OK) == 0)
      return candidate;
  }
  return {};
}

/// A string as a gnuplot single-quoted literal (a quote inside is written twice).
inline std::string gnuplot_quote(std::string_view s) {
  std::string q = "'";
  for (char c : s) {
    if (c == '\'') q += '\'';
    q += c;
  }
  return q + "'";
}

/// One gnuplot job: a temporary directory for the data files and the script, removed
/// with everything in it when the job ends.
class Gnuplot {
 public:
  /// Looks `program` up (see find_program); makes the directory only if it is found.
  explicit Gnuplot(const std::string& program = "gnuplot")
      : m_program(program), m_executable(find_program(program)) {
    if (m_executable.empty()) return;
    std::string pattern = (std::filesystem::temp_directory_path() / "gan-gnuplot-XXXXXX").string();
    GAN_CHECK(::mkdtemp(pattern.data()) != nullptr, "cannot make a temporary directory ", pattern,
              ": ", std::strerror(errno));
    m_dir = pattern;
  }
  ~Gnuplot() {
    std::error_code ec;
    if (!m_dir.empty()) std::filesystem::remove_all(m_dir, ec);
  }
  Gnuplot(const Gnuplot&) = delete;
  Gnuplot& operator=(const Gnuplot&) = delete;

  /// Whether the program was found.
  bool available() const { return !m_executable.empty(); }
  const std::string& program() const { return m_program; }

  /// Path of a file called `name` in the job's directory (for data the script reads).
  std::filesystem::path file(std::string_view name) const {
    GAN_CHECK(available(), "gnuplot job without gnuplot");
    return m_dir / std::string(name);
  }

  /// Writes `text` to file(name) and returns its path.
  std::filesystem::path write_file(std::string_view name, const std::string& text) const {
    std::filesystem::path p = file(name);
    std::ofstream out(p, std::ios::binary);
    out << text;
    out.close();
    GAN_CHECK(out.good(), p.string(), ": cannot write gnuplot's input");
    return p;
  }

  /// Runs gnuplot on `script`; throws gan::Error with gnuplot's messages when it cannot be
  /// started or exits with a failure.
  void run(const std::string& script) const {
    std::filesystem::path script_file = write_file("figure.gp", script);
    std::filesystem::path log = file("gnuplot.log");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    std::string exe = m_executable.string(), arg = script_file.string();
    std::vector<char*> argv = {exe.data(), arg.data(), nullptr};
    pid_t pid = 0;
    int err = posix_spawn(&pid, exe.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    GAN_CHECK(err == 0, "cannot run ", exe, ": ", std::strerror(err));
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0)
      GAN_CHECK(errno == EINTR, "waiting for ", exe, ": ", std::strerror(errno));
    bool ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    if (ok) return;
    std::ifstream in(log);
    std::ostringstream messages;
    messages << in.rdbuf();
    std::string text = messages.str();
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    if (WIFEXITED(status))
      core::fail(exe, " failed (exit status ", WEXITSTATUS(status), "): ", text);
    core::fail(exe, " was stopped by signal ", WIFSIGNALED(status) ? WTERMSIG(status) : 0, ": ",
               text);
  }

 private:
  std::string m_program;
  std::filesystem::path m_executable;
  std::filesystem::path m_dir;
};

}  // namespace gan::io
