// Test helpers for file readers and writers: a private temporary directory, raw and
// gzip files written independently of the library's writers, and the message of the
// gan::Error an action throws.
#pragma once

#include <stdlib.h>
#include <zlib.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "gan/core/error.hpp"

namespace gan::test {

using Bytes = std::vector<unsigned char>;

/// A directory of its own under the system's temporary directory, removed at the end.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "gan-test-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    m_path = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(m_path, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return m_path; }
  std::filesystem::path operator/(std::string_view name) const { return m_path / name; }

 private:
  std::filesystem::path m_path;
};

/// Writes bytes as they are.
inline void write_bytes(const std::filesystem::path& p, const Bytes& bytes) {
  std::ofstream out(p, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
  if (!out) throw std::runtime_error("cannot write test file " + p.string());
}

/// Writes a text file as it is.
inline void write_text(const std::filesystem::path& p, const std::string& s) {
  write_bytes(p, Bytes(s.begin(), s.end()));
}

/// The folder of the data tests' fixture files (tests/data/files).
inline const std::filesystem::path fixtures =
    std::filesystem::path(__FILE__).parent_path() / "files";

/// Writes bytes gzip-compressed with zlib's own gz* file functions.
inline void write_gzip(const std::filesystem::path& p, const Bytes& bytes) {
  gzFile f = gzopen(p.c_str(), "wb");
  if (f == nullptr) throw std::runtime_error("gzopen failed");
  int n = bytes.empty() ? 0 : gzwrite(f, bytes.data(), static_cast<unsigned>(bytes.size()));
  if (gzclose(f) != Z_OK || n != static_cast<int>(bytes.size()))
    throw std::runtime_error("gzwrite failed");
}

/// The bytes of a file.
inline Bytes read_bytes(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

/// The message of the gan::Error that f throws, or "(no error)".
template <class F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const gan::Error& e) {
    return e.what();
  }
  return "(no error)";
}

/// Whether /dev/full exists (a device whose writes fail with ENOSPC).
inline bool has_dev_full() {
  std::error_code ec;
  return std::filesystem::is_character_file("/dev/full", ec);
}

}  // namespace gan::test
