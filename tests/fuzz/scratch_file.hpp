// ScratchFile: the readers under fuzz take a path, so each input is written to one file
// per process in the temporary directory, reused for every execution and removed at exit.
#pragma once

#include <fcntl.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <system_error>

namespace gan::fuzz {

class ScratchFile {
 public:
  /// A file named after `tag` and the process id; nothing is created yet.
  explicit ScratchFile(const std::string& tag)
      : m_path(std::filesystem::temp_directory_path() /
               ("gan-fuzz-" + tag + "-" + std::to_string(::getpid()))) {}
  ~ScratchFile() {
    std::error_code ignored;
    std::filesystem::remove(m_path, ignored);
  }
  ScratchFile(const ScratchFile&) = delete;
  ScratchFile& operator=(const ScratchFile&) = delete;

  const std::filesystem::path& path() const { return m_path; }

  /// Replaces the file's contents with the given bytes; returns its path. A failed write
  /// is the harness's problem, not a finding in a reader: the process stops with a message.
  const std::filesystem::path& write(const std::uint8_t* data, std::size_t size) {
    // Written over in place and cut to size: truncating to 0 and growing again on every
    // execution costs the file system far more than the readers' work.
    int fd = ::open(m_path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
    bool ok = fd >= 0 && (size == 0 || ::pwrite(fd, data, size, 0) == static_cast<ssize_t>(size)) &&
              ::ftruncate(fd, static_cast<off_t>(size)) == 0;
    ok = fd >= 0 && ::close(fd) == 0 && ok;
    if (!ok) {
      std::fprintf(stderr, "cannot write the fuzz input to %s\n", m_path.c_str());
      std::abort();
    }
    return m_path;
  }

 private:
  std::filesystem::path m_path;
};

}  // namespace gan::fuzz
