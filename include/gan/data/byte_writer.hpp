// ByteWriter: writes a file's bytes, raw or gzip-compressed, and reports every failure
// (unwritable path, full disk) as a gan::Error naming the file.
#pragma once

#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <new>
#include <string>
#include <vector>

#include "gan/core/error.hpp"

namespace gan::data {

/// How a written file is stored.
enum class Compression {
  none,  ///< the bytes as given
  gzip,  ///< one gzip member (RFC 1952), zlib's default level
};

/// gzip when the file name ends in ".gz", none otherwise.
inline Compression compression_for(const std::filesystem::path& path) {
  return path.extension() == ".gz" ? Compression::gzip : Compression::none;
}

/// Writes a file front to back. `close()` finishes the file and reports a failed flush
/// (a full disk shows up there when the data fit in stdio's buffer); a writer destroyed
/// without `close()` (after an exception) closes the file without reporting, leaving a
/// partial file behind.
class ByteWriter {
 public:
  /// Creates or truncates `path`. Throws gan::Error when it cannot be opened.
  explicit ByteWriter(const std::filesystem::path& path,
                      Compression compression = Compression::none)
      : m_path(path), m_gzip(compression == Compression::gzip) {
    m_file.reset(std::fopen(path.c_str(), "wb"));
    GAN_CHECK(m_file != nullptr, path.string(),
              ": cannot open for writing: ", std::strerror(errno));
    if (m_gzip) {
      m_z.zalloc = Z_NULL;
      m_z.zfree = Z_NULL;
      m_z.opaque = Z_NULL;
      // 15 + 16: the largest window with a gzip header and trailer.
      GAN_CHECK(deflateInit2(&m_z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8,
                             Z_DEFAULT_STRATEGY) == Z_OK,
                path.string(), ": cannot start zlib's deflate");
      m_z_open = true;
      m_out.resize(chunk);
    }
  }
  ~ByteWriter() {
    if (m_z_open) deflateEnd(&m_z);
  }
  ByteWriter(const ByteWriter&) = delete;
  ByteWriter& operator=(const ByteWriter&) = delete;

  const std::filesystem::path& path() const { return m_path; }

  /// Appends n bytes.
  void write(const void* data, std::size_t n) {
    GAN_CHECK(m_file != nullptr, m_path.string(), ": write after close");
    if (!m_gzip) {
      put(data, n);
      return;
    }
    const auto* src = static_cast<const unsigned char*>(data);
    while (n > 0) {
      std::size_t take = std::min<std::size_t>(n, 1u << 30);
      m_z.next_in = const_cast<unsigned char*>(src);  // zlib's API is not const-correct
      m_z.avail_in = static_cast<uInt>(take);
      deflate_all(Z_NO_FLUSH);
      src += take;
      n -= take;
    }
  }

  /// Finishes the file (the gzip trailer, stdio's buffer) and closes it; throws gan::Error
  /// naming the file when anything could not be written.
  void close() {
    GAN_CHECK(m_file != nullptr, m_path.string(), ": closed twice");
    if (m_gzip) {
      m_z.next_in = nullptr;
      m_z.avail_in = 0;
      deflate_all(Z_FINISH);
    }
    bool flushed = std::fflush(m_file.get()) == 0;
    int flush_errno = errno;
    bool closed = std::fclose(m_file.release()) == 0;
    int close_errno = errno;
    GAN_CHECK(flushed, m_path.string(), ": cannot write: ", std::strerror(flush_errno));
    GAN_CHECK(closed, m_path.string(), ": cannot close: ", std::strerror(close_errno));
  }

 private:
  static constexpr std::size_t chunk = std::size_t(1) << 16;

  struct FileCloser {
    void operator()(std::FILE* f) const noexcept { std::fclose(f); }
  };

  void put(const void* data, std::size_t n) {
    if (n == 0) return;
    GAN_CHECK(std::fwrite(data, 1, n, m_file.get()) == n, m_path.string(),
              ": cannot write: ", std::strerror(errno));
  }

  // Runs deflate until it has taken all input (and, for Z_FINISH, written the trailer).
  void deflate_all(int flush) {
    for (;;) {
      m_z.next_out = m_out.data();
      m_z.avail_out = static_cast<uInt>(m_out.size());
      int ret = deflate(&m_z, flush);
      GAN_CHECK(ret == Z_OK || ret == Z_STREAM_END || ret == Z_BUF_ERROR, m_path.string(),
                ": zlib's deflate failed (", ret, ")");
      put(m_out.data(), m_out.size() - m_z.avail_out);
      if (flush == Z_FINISH ? ret == Z_STREAM_END : m_z.avail_out != 0) break;
    }
  }

  std::filesystem::path m_path;
  std::unique_ptr<std::FILE, FileCloser> m_file;
  bool m_gzip;
  z_stream m_z{};
  bool m_z_open = false;
  std::vector<unsigned char> m_out;  // (chunk) compressed bytes on their way to the file
};

}  // namespace gan::data
