// ByteReader: the bytes of a file, raw or gzip-compressed (told apart by gzip's magic
// 1f 8b), with a bound on how much data the file can still hold, so that a reader checks
// a header's claims against the file before it allocates anything.
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
#include <system_error>
#include <vector>

#include "gan/core/error.hpp"

namespace gan::data {

/// Reads a file front to back. A gzip file (RFC 1952; one or more members) is inflated
/// on the fly with zlib; anything after the last member that is not another member is
/// reported as trailing data, a stream that stops early as truncation, and a damaged one
/// with zlib's message. Every error is a gan::Error naming the file.
class ByteReader {
 public:
  /// Deflate's largest expansion: a 258-byte match coded in 2 bits (RFC 1951), 1032:1.
  static constexpr std::uint64_t max_inflate_ratio = 1032;

  /// Opens `path` for reading. Throws gan::Error when it does not exist, is not a regular
  /// file or cannot be opened.
  explicit ByteReader(const std::filesystem::path& path) : m_path(path) {
    std::error_code ec;
    auto status = std::filesystem::status(path, ec);
    GAN_CHECK(!ec && std::filesystem::exists(status), path.string(), ": no such file");
    GAN_CHECK(std::filesystem::is_regular_file(status), path.string(), ": not a regular file");
    m_size = std::filesystem::file_size(path, ec);
    GAN_CHECK(!ec, path.string(), ": cannot read its size: ", ec.message());
    m_file.reset(std::fopen(path.c_str(), "rb"));
    GAN_CHECK(m_file != nullptr, path.string(),
              ": cannot open for reading: ", std::strerror(errno));
    m_in.resize(chunk);
    fill_input(2);
    m_gzip = m_avail >= 2 && m_in[0] == 0x1f && m_in[1] == 0x8b;
    if (m_gzip) {
      m_z.zalloc = Z_NULL;
      m_z.zfree = Z_NULL;
      m_z.opaque = Z_NULL;
      // 15 + 16: the largest window, gzip wrapper only (a zlib or raw stream is an error).
      GAN_CHECK(inflateInit2(&m_z, 15 + 16) == Z_OK, path.string(),
                ": cannot start zlib's inflate");
      m_z_open = true;
    }
  }
  ~ByteReader() {
    if (m_z_open) inflateEnd(&m_z);
  }
  ByteReader(const ByteReader&) = delete;
  ByteReader& operator=(const ByteReader&) = delete;

  const std::filesystem::path& path() const { return m_path; }
  /// Whether the file is gzip-compressed.
  bool gzip() const { return m_gzip; }
  /// Size of the file on disk, in bytes.
  std::uint64_t file_size() const { return m_size; }
  /// Data bytes delivered by `read` so far.
  std::uint64_t position() const { return m_position; }

  /// Upper bound on the bytes `read` can still deliver: exact for a raw file; for gzip,
  /// the compressed bytes not yet consumed times deflate's largest expansion, plus 64 KiB
  /// for output inflate may hold back between calls.
  std::uint64_t max_remaining() const {
    std::uint64_t used = m_consumed - m_avail;
    std::uint64_t unread = used < m_size ? m_size - used : 0;  // 0 if the file grew
    if (!m_gzip) return unread;
    return unread * max_inflate_ratio + (std::uint64_t(1) << 16) + (m_has_peek ? 1 : 0);
  }

  /// Reads up to n bytes into out; returns fewer only at the end of the data.
  std::size_t read(void* out, std::size_t n) {
    auto* dst = static_cast<unsigned char*>(out);
    std::size_t done = 0;
    if (n > 0 && m_has_peek) {
      dst[done++] = m_peek;
      m_has_peek = false;
    }
    if (m_gzip)
      done += inflate_into(dst + done, n - done);
    else
      done += copy_raw(dst + done, n - done);
    m_position += done;
    return done;
  }

  /// All the data not yet read, in a buffer that grows as it arrives.
  std::string read_rest() {
    std::string text;
    std::size_t have = 0;
    for (;;) {
      text.resize(have + chunk);
      std::size_t got = read(text.data() + have, chunk);
      have += got;
      if (got < chunk) break;
    }
    text.resize(have);
    return text;
  }

  /// Whether the data is exhausted. May read one byte ahead, which `read` returns next.
  bool at_end() {
    if (m_has_peek) return false;
    std::size_t got = m_gzip ? inflate_into(&m_peek, 1) : copy_raw(&m_peek, 1);
    m_has_peek = got == 1;
    return !m_has_peek;
  }

 private:
  static constexpr std::size_t chunk = std::size_t(1) << 16;

  struct FileCloser {
    void operator()(std::FILE* f) const noexcept { std::fclose(f); }
  };

  // Makes at least `want` bytes available in m_in (fewer only at the end of the file),
  // moving the unconsumed rest to the front.
  void fill_input(std::size_t want) {
    if (m_avail >= want || m_file_done) return;
    if (m_avail > 0 && m_next > 0) std::memmove(m_in.data(), m_in.data() + m_next, m_avail);
    m_next = 0;
    while (m_avail < want && !m_file_done) {
      std::size_t got = std::fread(m_in.data() + m_avail, 1, m_in.size() - m_avail, m_file.get());
      if (got == 0) {
        GAN_CHECK(!std::ferror(m_file.get()), m_path.string(),
                  ": read error: ", std::strerror(errno));
        m_file_done = true;
      }
      m_avail += got;
      m_consumed += got;
    }
  }

  std::size_t copy_raw(unsigned char* dst, std::size_t n) {
    std::size_t done = 0;
    while (done < n) {
      if (m_avail == 0) {
        // Large reads go straight from the file into the destination.
        if (n - done >= m_in.size() && !m_file_done) {
          std::size_t got = std::fread(dst + done, 1, n - done, m_file.get());
          GAN_CHECK(!std::ferror(m_file.get()), m_path.string(),
                    ": read error: ", std::strerror(errno));
          m_consumed += got;
          done += got;
          if (got == 0) m_file_done = true;
          continue;
        }
        fill_input(1);
        if (m_avail == 0) break;
      }
      std::size_t take = std::min(m_avail, n - done);
      std::memcpy(dst + done, m_in.data() + m_next, take);
      m_next += take;
      m_avail -= take;
      done += take;
    }
    return done;
  }

  std::size_t inflate_into(unsigned char* dst, std::size_t n) {
    std::size_t done = 0;
    while (done < n && !m_stream_done) {
      if (m_member_done) {
        // After a member: the file ends, or another member starts, or it is garbage.
        fill_input(2);
        if (m_avail == 0) {
          m_stream_done = true;
          break;
        }
        GAN_CHECK(m_avail >= 2 && m_in[m_next] == 0x1f && m_in[m_next + 1] == 0x8b, m_path.string(),
                  ": trailing data: ", m_size - (m_consumed - m_avail),
                  " bytes after the end of the gzip stream");
        inflateReset(&m_z);
        m_member_done = false;
      }
      fill_input(1);
      m_z.next_in = m_in.data() + m_next;
      m_z.avail_in = static_cast<uInt>(m_avail);
      std::size_t room = std::min<std::size_t>(n - done, 1u << 30);
      m_z.next_out = dst + done;
      m_z.avail_out = static_cast<uInt>(room);
      int ret = inflate(&m_z, Z_NO_FLUSH);
      std::size_t used = m_avail - m_z.avail_in;
      m_next += used;
      m_avail -= used;
      std::size_t made = room - m_z.avail_out;
      done += made;
      if (ret == Z_STREAM_END) {
        m_member_done = true;
      } else if (ret == Z_DATA_ERROR || ret == Z_NEED_DICT) {
        core::fail(m_path.string(), ": corrupt gzip data: ",
                   m_z.msg != nullptr ? m_z.msg : "invalid deflate stream");
      } else if (ret == Z_MEM_ERROR) {
        throw std::bad_alloc();
      } else if (used == 0 && made == 0) {
        // No progress although output room was given: the input has run out mid-member.
        GAN_CHECK(!(m_avail == 0 && m_file_done), m_path.string(),
                  ": truncated gzip stream: the file ends inside compressed data");
      }
    }
    return done;
  }

  std::filesystem::path m_path;
  std::unique_ptr<std::FILE, FileCloser> m_file;
  std::uint64_t m_size = 0;
  std::uint64_t m_consumed = 0;  // bytes taken from the file into m_in (or copied past it)
  std::uint64_t m_position = 0;
  std::vector<unsigned char> m_in;  // (chunk) compressed or raw input not yet used
  std::size_t m_next = 0;
  std::size_t m_avail = 0;
  bool m_file_done = false;
  bool m_gzip = false;
  z_stream m_z{};
  bool m_z_open = false;
  bool m_member_done = false;
  bool m_stream_done = false;
  unsigned char m_peek = 0;
  bool m_has_peek = false;
};

}  // namespace gan::data
