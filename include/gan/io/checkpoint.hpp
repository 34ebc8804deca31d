// Checkpoints: the whole training state in one versioned, checksummed binary file,
// written to a temporary file and renamed, so a crash never leaves a broken checkpoint
// in place of a good one.
//
// Layout (little-endian):
//   magic        8 bytes  "GANCKPT1"
//   version      u32      checkpoint_version
//   fingerprint  u64      FNV-1a of the model's architecture() string
//   entries      u32      count, then each entry:
//                  name   u16 length + bytes
//                  kind   u8  (1 = f32 array, 2 = f64 array, 3 = i64, 4 = f64, 5 = text)
//                  count  u64 values (bytes for text)
//                  values count × (4, 8 or 1) bytes
//   crc32        u32      zlib CRC-32 of every byte before it
// Entries come in the order the model visits them (GAN::visit_state); a reader checks
// each name, kind and size against the model it restores into.
#pragma once

#include <zlib.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "gan/core/error.hpp"
#include "gan/io/file.hpp"

namespace gan::io {

inline constexpr char checkpoint_magic[8] = {'G', 'A', 'N', 'C', 'K', 'P', 'T', '1'};
inline constexpr std::uint32_t checkpoint_version = 1;

/// FNV-1a, 64 bits: the architecture fingerprint.
inline std::uint64_t fingerprint(std::string_view text) {
  std::uint64_t h = 0xcbf29ce484222325ull;
  for (unsigned char c : text) {
    h ^= c;
    h *= 0x100000001b3ull;
  }
  return h;
}

namespace detail {
enum class Kind : std::uint8_t { f32 = 1, f64 = 2, i64 = 3, real = 4, text = 5 };

template <class U>
void put(std::vector<unsigned char>& out, U value) {
  static_assert(std::is_trivially_copyable_v<U>);
  unsigned char bytes[sizeof(U)];
  std::memcpy(bytes, &value, sizeof(U));
  out.insert(out.end(), bytes, bytes + sizeof(U));
}

inline const char* kind_name(Kind k) {
  switch (k) {
    case Kind::f32:
      return "float32 array";
    case Kind::f64:
      return "float64 array";
    case Kind::i64:
      return "integer";
    case Kind::real:
      return "real";
    case Kind::text:
      return "text";
  }
  return "unknown";
}
}  // namespace detail

/// A state visitor (see GAN::visit_state) that serializes into memory.
class CheckpointWriter {
 public:
  // The magic through the constructor: an insert into the empty vector trips GCC 12's
  // -Wstringop-overflow (a false positive) once inlined.
  explicit CheckpointWriter(std::string_view architecture)
      : m_bytes(checkpoint_magic, checkpoint_magic + sizeof checkpoint_magic) {
    detail::put(m_bytes, checkpoint_version);
    detail::put(m_bytes, fingerprint(architecture));
    m_count_at = m_bytes.size();
    detail::put(m_bytes, std::uint32_t(0));
  }

  template <class U>
  void array(std::string_view name, std::span<U> values) {
    using V = std::remove_const_t<U>;
    static_assert(std::is_same_v<V, float> || std::is_same_v<V, double>);
    header(name, std::is_same_v<V, float> ? detail::Kind::f32 : detail::Kind::f64, values.size());
    const auto* p = reinterpret_cast<const unsigned char*>(values.data());
    m_bytes.insert(m_bytes.end(), p, p + values.size_bytes());
  }
  void integer(std::string_view name, std::int64_t& value) {
    header(name, detail::Kind::i64, 1);
    detail::put(m_bytes, value);
  }
  void real(std::string_view name, double& value) {
    header(name, detail::Kind::real, 1);
    detail::put(m_bytes, value);
  }
  void text(std::string_view name, std::string& value) {
    header(name, detail::Kind::text, value.size());
    m_bytes.insert(m_bytes.end(), value.begin(), value.end());
  }

  /// The finished file contents (entry count and CRC filled in).
  std::vector<unsigned char> finish() {
    std::memcpy(m_bytes.data() + m_count_at, &m_entries, sizeof(m_entries));
    std::uint32_t crc =
        static_cast<std::uint32_t>(crc32(0L, m_bytes.data(), static_cast<uInt>(m_bytes.size())));
    detail::put(m_bytes, crc);
    return std::move(m_bytes);
  }

 private:
  void header(std::string_view name, detail::Kind kind, std::size_t count) {
    GAN_CHECK(name.size() < 65536, "checkpoint entry name too long");
    detail::put(m_bytes, static_cast<std::uint16_t>(name.size()));
    m_bytes.insert(m_bytes.end(), name.begin(), name.end());
    detail::put(m_bytes, static_cast<std::uint8_t>(kind));
    detail::put(m_bytes, static_cast<std::uint64_t>(count));
    ++m_entries;
  }

  std::vector<unsigned char> m_bytes;
  std::size_t m_count_at = 0;
  std::uint32_t m_entries = 0;
};

/// A state visitor that restores from a checkpoint's bytes, checking every entry's name,
/// kind and size against what the model asks for; errors name the file and the entry.
class CheckpointReader {
 public:
  /// Checks magic, version, CRC and (unless `architecture` is empty) the fingerprint.
  /// `file` names the source in errors.
  CheckpointReader(std::vector<unsigned char> bytes, std::string file,
                   std::optional<std::string_view> architecture)
      : m_bytes(std::move(bytes)), m_file(std::move(file)) {
    const std::size_t header = 8 + 4 + 8 + 4;
    GAN_CHECK(m_bytes.size() >= header + 4, m_file, ": not a checkpoint (", m_bytes.size(),
              " bytes, shorter than the ", header + 4, "-byte header and checksum)");
    GAN_CHECK(std::memcmp(m_bytes.data(), checkpoint_magic, 8) == 0, m_file,
              ": not a checkpoint (magic number is not GANCKPT1)");
    m_at = 8;
    auto version = take<std::uint32_t>("version");
    GAN_CHECK(version == checkpoint_version, m_file, ": checkpoint format version ", version,
              ", this build reads version ", checkpoint_version);
    std::uint32_t stored_crc;
    std::memcpy(&stored_crc, m_bytes.data() + m_bytes.size() - 4, 4);
    std::uint32_t crc = static_cast<std::uint32_t>(
        crc32(0L, m_bytes.data(), static_cast<uInt>(m_bytes.size() - 4)));
    GAN_CHECK(crc == stored_crc, m_file, ": checksum mismatch (the file is damaged or truncated)");
    auto fp = take<std::uint64_t>("fingerprint");
    GAN_CHECK(!architecture || fp == fingerprint(*architecture), m_file,
              ": the checkpoint was written by another architecture (networks, policies or "
              "scalar type differ)");
    m_entries = take<std::uint32_t>("entry count");
    m_end = m_bytes.size() - 4;
  }

  template <class U>
  void array(std::string_view name, std::span<U> values) {
    using V = std::remove_const_t<U>;
    auto kind = std::is_same_v<V, float> ? detail::Kind::f32 : detail::Kind::f64;
    entry(name, kind, values.size());
    // An empty array (a network without buffers) may have no storage at all, and memcpy
    // to a null pointer is undefined even for 0 bytes.
    if (!values.empty()) std::memcpy(values.data(), m_bytes.data() + m_at, values.size_bytes());
    m_at += values.size_bytes();
  }
  void integer(std::string_view name, std::int64_t& value) {
    entry(name, detail::Kind::i64, 1);
    value = take<std::int64_t>(name);
  }
  void real(std::string_view name, double& value) {
    entry(name, detail::Kind::real, 1);
    value = take<double>(name);
  }
  /// Text entries have no fixed size: the stored one is read (up to 1 MiB).
  void text(std::string_view name, std::string& value) {
    const std::size_t count = entry(name, detail::Kind::text, std::nullopt);
    value.assign(reinterpret_cast<const char*>(m_bytes.data() + m_at), count);
    m_at += count;
  }

  /// The text entries at the start of the file, by name (stops at the first other entry).
  std::map<std::string, std::string> leading_texts() {
    std::map<std::string, std::string> texts;
    while (m_read < m_entries) {
      const std::size_t at = m_at;
      auto length = take<std::uint16_t>("an entry name");
      GAN_CHECK(m_at + length <= m_end, m_file, ": truncated in an entry name");
      std::string name(reinterpret_cast<const char*>(m_bytes.data() + m_at), length);
      m_at = at;
      if (m_bytes[at + 2 + length] != static_cast<unsigned char>(detail::Kind::text)) break;
      text(name, texts[name]);
    }
    return texts;
  }

  /// Checks that every entry was read and nothing is left over.
  void finish() const {
    GAN_CHECK(m_read == m_entries && m_at == m_end, m_file, ": ", m_entries - m_read,
              " checkpoint entries were not read (written by a different program?)");
  }

 private:
  template <class U>
  U take(std::string_view what) {
    GAN_CHECK(m_at + sizeof(U) <= m_bytes.size() - 4, m_file, ": truncated at ", what);
    U value;
    std::memcpy(&value, m_bytes.data() + m_at, sizeof(U));
    m_at += sizeof(U);
    return value;
  }

  /// Checks the next entry's name, kind and (when given) size; returns its size.
  std::size_t entry(std::string_view expected, detail::Kind kind, std::optional<std::size_t> want) {
    GAN_CHECK(m_read < m_entries, m_file, ": the checkpoint ends before entry ", expected);
    auto length = take<std::uint16_t>("an entry name");
    GAN_CHECK(m_at + length <= m_end, m_file, ": truncated in an entry name");
    std::string_view name(reinterpret_cast<const char*>(m_bytes.data() + m_at), length);
    m_at += length;
    GAN_CHECK(name == expected, m_file, ": entry ", m_read, " is '", name, "', expected '",
              expected, "'");
    auto stored_kind = static_cast<detail::Kind>(take<std::uint8_t>(expected));
    GAN_CHECK(stored_kind == kind, m_file, ": entry '", name, "' is a ",
              detail::kind_name(stored_kind), ", expected a ", detail::kind_name(kind));
    auto stored = take<std::uint64_t>(expected);
    if (want) {
      GAN_CHECK(stored == *want, m_file, ": entry '", name, "' holds ", stored,
                " values, the model has ", *want);
    } else {
      GAN_CHECK(stored <= (std::uint64_t(1) << 20), m_file, ": text entry '", name, "' of ", stored,
                " bytes is longer than 1 MiB");
    }
    const std::size_t width = kind == detail::Kind::f32 ? 4 : (kind == detail::Kind::text ? 1 : 8);
    GAN_CHECK(stored <= (m_end - m_at) / width, m_file, ": entry '", name,
              "' runs past the end of the file");
    ++m_read;
    return static_cast<std::size_t>(stored);
  }

  std::vector<unsigned char> m_bytes;
  std::string m_file;
  std::size_t m_at = 0, m_end = 0;
  std::uint32_t m_entries = 0, m_read = 0;
};

/// Forwards a visit to a CheckpointReader with scratch storage, so that every entry is
/// checked without touching the model.
struct ProbeVisitor {
  CheckpointReader& reader;
  template <class U>
  void array(std::string_view name, std::span<U> values) {
    std::vector<std::remove_const_t<U>> scratch(values.size());
    reader.array(name, std::span<std::remove_const_t<U>>(scratch));
  }
  void integer(std::string_view name, std::int64_t&) {
    std::int64_t scratch = 0;
    reader.integer(name, scratch);
  }
  void real(std::string_view name, double&) {
    double scratch = 0;
    reader.real(name, scratch);
  }
  void text(std::string_view name, std::string&) {
    std::string scratch;
    reader.text(name, scratch);
  }
};

/// The leading text entries of a checkpoint (a program's description of what it trained),
/// read without knowing the architecture: enough to rebuild the model before loading it.
/// Checks magic, version and checksum.
inline std::map<std::string, std::string> read_checkpoint_texts(const std::filesystem::path& path) {
  CheckpointReader r(read_file(path), path.string(), std::nullopt);
  return r.leading_texts();
}

/// Writes the model's state to `path` atomically (temporary file, fsync, rename). On any
/// failure (unwritable folder, full disk) throws gan::Error and leaves an existing file at
/// `path` untouched.
template <class Model>
void save_checkpoint(Model& model, const std::filesystem::path& path) {
  CheckpointWriter w(model.architecture());
  model.visit_state(w);
  write_file_atomically(path, w.finish());
}

/// Restores the model's state from `path`; throws gan::Error naming the file and the
/// problem (missing, damaged, another architecture, entry mismatch). The model is only
/// changed once the whole file has been checked.
template <class Model>
void load_checkpoint(Model& model, const std::filesystem::path& path) {
  std::vector<unsigned char> bytes = read_file(path);
  {
    // Dry run on a copy of the model's state layout: a damaged entry must not leave the
    // model half restored.
    CheckpointReader probe(bytes, path.string(), model.architecture());
    ProbeVisitor p{probe};
    model.visit_state(p);
    probe.finish();
  }
  CheckpointReader r(std::move(bytes), path.string(), model.architecture());
  model.visit_state(r);
  r.finish();
}

}  // namespace gan::io
