// Whole-file reads with a size limit, and atomic whole-file writes.
#pragma once

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <system_error>
#include <vector>

#include "gan/core/error.hpp"

namespace gan::io {

/// Reads a whole file. Throws gan::Error naming the file when it cannot be opened or
/// read, or is larger than `limit` bytes. Allocates exactly the file's size.
inline std::vector<unsigned char> read_file(const std::filesystem::path& path,
                                            std::uintmax_t limit = std::uintmax_t(1) << 34) {
  std::error_code ec;
  const std::uintmax_t size = std::filesystem::file_size(path, ec);
  GAN_CHECK(!ec, path.string(), ": cannot read (", ec.message(), ")");
  GAN_CHECK(size <= limit, path.string(), ": ", size, " bytes, more than the limit of ", limit);
  std::FILE* f = std::fopen(path.c_str(), "rb");
  GAN_CHECK(f != nullptr, path.string(), ": cannot open (", std::strerror(errno), ")");
  std::vector<unsigned char> bytes(static_cast<std::size_t>(size));
  const std::size_t got = bytes.empty() ? 0 : std::fread(bytes.data(), 1, bytes.size(), f);
  const bool more = std::fgetc(f) != EOF;
  std::fclose(f);
  GAN_CHECK(got == bytes.size() && !more, path.string(), ": changed size while being read");
  return bytes;
}

/// Writes `bytes` to `path` through a temporary file in the same folder, flushed to disk
/// and renamed over `path`: readers see the old file or the new one, never a part. On
/// failure (unwritable folder, full disk) throws gan::Error naming the file, removes the
/// temporary file and leaves `path` as it was.
inline void write_file_atomically(const std::filesystem::path& path,
                                  const std::vector<unsigned char>& bytes) {
  const std::filesystem::path tmp = path.string() + ".tmp";
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  GAN_CHECK(f != nullptr, path.string(), ": cannot write (", std::strerror(errno), ")");
  const std::size_t put = bytes.empty() ? 0 : std::fwrite(bytes.data(), 1, bytes.size(), f);
  bool ok = put == bytes.size() && std::fflush(f) == 0 && ::fsync(fileno(f)) == 0;
  const int error = errno;
  ok = (std::fclose(f) == 0) && ok;
  if (!ok) {
    std::error_code ignored;
    std::filesystem::remove(tmp, ignored);
    core::fail(path.string(), ": write failed (", std::strerror(error ? error : EIO),
               "); the previous file, if any, is unchanged");
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    std::error_code ignored;
    std::filesystem::remove(tmp, ignored);
    core::fail(path.string(), ": cannot replace (", ec.message(), ")");
  }
}

}  // namespace gan::io
