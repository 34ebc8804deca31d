// The IDX file format of MNIST and Fashion-MNIST (LeCun et al., "The MNIST database of
// handwritten digits"): a big-endian header of two zero bytes, a type code, the number of
// dimensions and each dimension as a uint32, then the values, row-major. Files may be
// gzip-compressed (as distributed); readers tell by gzip's magic, writers by a ".gz" name.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include "gan/core/error.hpp"
#include "gan/core/shape.hpp"
#include "gan/data/byte_reader.hpp"
#include "gan/data/byte_writer.hpp"

namespace gan::data {

/// Grayscale images as stored in an IDX file: count × rows × cols bytes, row-major.
struct IdxImages {
  Index count = 0;
  Index rows = 0;
  Index cols = 0;
  std::vector<std::uint8_t> pixels;  // (N, H, W)

  /// N×1×H×W.
  core::Shape shape() const { return core::images(count, 1, rows, cols); }
};

namespace detail {

/// The one type code these readers accept: unsigned byte.
inline constexpr std::uint8_t idx_ubyte = 0x08;

inline const char* idx_type_name(std::uint8_t code) {
  switch (code) {
    case 0x08:
      return "unsigned byte";
    case 0x09:
      return "signed byte";
    case 0x0B:
      return "16-bit integer";
    case 0x0C:
      return "32-bit integer";
    case 0x0D:
      return "32-bit float";
    case 0x0E:
      return "64-bit float";
    default:
      return "unknown";
  }
}

inline std::string hex_byte(std::uint8_t b) {
  const char* digits = "0123456789ABCDEF";
  return std::string("0x") + digits[b >> 4] + digits[b & 15];
}

// a·b, saturated at the largest uint64: a claim that overflows is more than any file holds.
inline std::uint64_t saturating_mul(std::uint64_t a, std::uint64_t b) {
  if (a != 0 && b > std::numeric_limits<std::uint64_t>::max() / a)
    return std::numeric_limits<std::uint64_t>::max();
  return a * b;
}

inline std::uint32_t load_be32(const unsigned char* p) {
  return (std::uint32_t(p[0]) << 24) | (std::uint32_t(p[1]) << 16) | (std::uint32_t(p[2]) << 8) |
         std::uint32_t(p[3]);
}

inline void store_be32(unsigned char* p, std::uint32_t v) {
  p[0] = static_cast<unsigned char>(v >> 24);
  p[1] = static_cast<unsigned char>(v >> 16);
  p[2] = static_cast<unsigned char>(v >> 8);
  p[3] = static_cast<unsigned char>(v);
}

/// Reads and checks an IDX header of unsigned bytes with dims.size() dimensions, whose
/// names (for messages) are given in dims_names; fills dims.
inline void read_idx_header(ByteReader& in, std::span<const char* const> dim_names,
                            std::span<std::uint64_t> dims) {
  const std::string file = in.path().string();
  unsigned char magic[4];
  std::size_t got = in.read(magic, 4);
  GAN_CHECK(got == 4, file, ": truncated IDX header: expected a 4-byte magic number, the data",
            " holds ", got, " bytes");
  GAN_CHECK(magic[0] == 0 && magic[1] == 0, file, ": bad IDX magic number ", hex_byte(magic[0]),
            ' ', hex_byte(magic[1]), ' ', hex_byte(magic[2]), ' ', hex_byte(magic[3]),
            ": expected two zero bytes, a type code and a dimension count");
  GAN_CHECK(magic[2] == idx_ubyte, file, ": IDX type code ", hex_byte(magic[2]), " (",
            idx_type_name(magic[2]), ") is not supported: expected 0x08 (unsigned byte)");
  GAN_CHECK(magic[3] == dims.size(), file, ": IDX dimension count ", int(magic[3]), ": expected ",
            dims.size());
  std::array<unsigned char, 4 * 255> raw;
  std::size_t want = 4 * dims.size();
  got = in.read(raw.data(), want);
  GAN_CHECK(got == want, file, ": truncated IDX header: expected ", want,
            " bytes of dimensions, the data holds ", got);
  for (std::size_t d = 0; d < dims.size(); ++d) {
    dims[d] = load_be32(raw.data() + 4 * d);
    GAN_CHECK(d == 0 || dims[d] > 0, file, ": IDX dimension ", d, " (", dim_names[d],
              ") is 0: expected at least 1");
  }
}

/// Reads the `bytes` values that follow the header, after checking that the file can
/// hold them: a raw file must hold exactly that many; a gzip file is inflated into a
/// buffer that grows as data arrives, so a header that lies costs at most twice the real
/// data. `what` describes the claim for messages ("3 images of 28x28").
inline std::vector<std::uint8_t> read_idx_values(ByteReader& in, std::uint64_t bytes,
                                                 const std::string& what) {
  const std::string file = in.path().string();
  std::uint64_t bound = in.max_remaining();
  if (!in.gzip()) {
    GAN_CHECK(bytes <= bound, file, ": truncated IDX data: the header claims ", what, " (", bytes,
              " bytes), the file holds ", bound);
    GAN_CHECK(bytes == bound, file, ": trailing data: ", bound - bytes, " bytes after the ", what,
              " the header claims");
  } else {
    GAN_CHECK(bytes <= bound, file, ": the IDX header claims ", what, " (", bytes,
              " bytes), more than the ", in.file_size(), "-byte gzip file can hold");
  }
  GAN_CHECK(bytes <= std::numeric_limits<std::size_t>::max() / 2, file, ": the IDX header claims ",
            what, ", more than this machine can address");
  constexpr std::size_t first_chunk = std::size_t(1) << 16;
  std::vector<std::uint8_t> values;
  std::size_t have = 0;
  while (have < bytes) {
    std::size_t next = in.gzip() ? std::max<std::size_t>(2 * have, first_chunk) : bytes;
    if (next > bytes) next = static_cast<std::size_t>(bytes);
    values.resize(next);
    std::size_t got = in.read(values.data() + have, next - have);
    have += got;
    GAN_CHECK(have == next, file, ": truncated IDX data: the header claims ", what, " (", bytes,
              " bytes), the data holds ", have);
  }
  GAN_CHECK(in.at_end(), file, ": trailing data after the ", what, " the header claims");
  return values;
}

inline void write_idx(const std::filesystem::path& path, std::span<const std::uint64_t> dims,
                      std::span<const std::uint8_t> values) {
  ByteWriter out(path, compression_for(path));
  std::vector<unsigned char> header(4 + 4 * dims.size());
  header[2] = idx_ubyte;
  header[3] = static_cast<unsigned char>(dims.size());
  for (std::size_t d = 0; d < dims.size(); ++d) {
    GAN_CHECK(dims[d] <= std::numeric_limits<std::uint32_t>::max(), path.string(),
              ": IDX dimension ", d, " is ", dims[d], ": expected at most 2^32 - 1");
    store_be32(header.data() + 4 + 4 * d, static_cast<std::uint32_t>(dims[d]));
  }
  out.write(header.data(), header.size());
  out.write(values.data(), values.size());
  out.close();
}

}  // namespace detail

/// Reads an IDX file of images (unsigned bytes, dimensions count × rows × columns).
/// Throws gan::Error naming the file and the field for anything else.
inline IdxImages read_idx_images(const std::filesystem::path& path) {
  ByteReader in(path);
  static constexpr const char* names[] = {"count", "rows", "columns"};
  std::array<std::uint64_t, 3> dims{};
  detail::read_idx_header(in, names, dims);
  std::uint64_t bytes = detail::saturating_mul(detail::saturating_mul(dims[0], dims[1]), dims[2]);
  std::string what = core::detail::concat(dims[0], " images of ", dims[1], 'x', dims[2]);
  IdxImages images;
  images.pixels = detail::read_idx_values(in, bytes, what);
  images.count = static_cast<Index>(dims[0]);
  images.rows = static_cast<Index>(dims[1]);
  images.cols = static_cast<Index>(dims[2]);
  return images;
}

/// Reads an IDX file of labels (unsigned bytes, one dimension: the count).
inline std::vector<std::int32_t> read_idx_labels(const std::filesystem::path& path) {
  ByteReader in(path);
  static constexpr const char* names[] = {"count"};
  std::array<std::uint64_t, 1> dims{};
  detail::read_idx_header(in, names, dims);
  auto bytes = detail::read_idx_values(in, dims[0], core::detail::concat(dims[0], " labels"));
  return std::vector<std::int32_t>(bytes.begin(), bytes.end());
}

/// Writes images as an IDX file (gzip-compressed when the name ends in ".gz").
inline void write_idx_images(const std::filesystem::path& path, const IdxImages& images) {
  GAN_CHECK(images.count >= 0 && images.rows > 0 && images.cols > 0, path.string(),
            ": IDX images of ", images.count, 'x', images.rows, 'x', images.cols,
            ": expected a count >= 0 and rows, columns >= 1");
  GAN_CHECK(images.pixels.size() == static_cast<std::size_t>(images.shape().size()), path.string(),
            ": ", images.pixels.size(), " pixels given for ", images.count, " images of ",
            images.rows, 'x', images.cols);
  std::array<std::uint64_t, 3> dims = {std::uint64_t(images.count), std::uint64_t(images.rows),
                                       std::uint64_t(images.cols)};
  detail::write_idx(path, dims, images.pixels);
}

/// Writes labels as an IDX file of unsigned bytes; each must be in [0, 255].
inline void write_idx_labels(const std::filesystem::path& path,
                             std::span<const std::int32_t> labels) {
  std::vector<std::uint8_t> bytes(labels.size());
  for (std::size_t i = 0; i < labels.size(); ++i) {
    GAN_CHECK(labels[i] >= 0 && labels[i] <= 255, path.string(), ": label ", labels[i],
              " at index ", i, ": IDX labels are bytes, expected 0 to 255");
    bytes[i] = static_cast<std::uint8_t>(labels[i]);
  }
  std::array<std::uint64_t, 1> dims = {labels.size()};
  detail::write_idx(path, dims, bytes);
}

}  // namespace gan::data
