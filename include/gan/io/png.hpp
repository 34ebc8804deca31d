// PNG files through libpng: 8-bit grayscale and RGB images written, and read back (any
// PNG libpng can decode, converted to 8-bit gray or RGB). Every failure, from an
// unwritable path to a full disk or a damaged file, is a gan::Error naming the file.
#pragma once

#include <png.h>

#include <cerrno>
#include <csetjmp>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>
#include <system_error>
#include <vector>

#include "gan/core/error.hpp"
#include "gan/io/image.hpp"

namespace gan::io {

namespace detail {

// What libpng's callbacks share with the caller. Trivial, so that libpng's longjmp from
// an error skips no destructor.
struct PngContext {
  std::FILE* file;
  char message[256];
};

inline void png_on_error(png_structp png, png_const_charp msg) {
  auto* ctx = static_cast<PngContext*>(png_get_error_ptr(png));
  if (msg != ctx->message) std::snprintf(ctx->message, sizeof ctx->message, "%s", msg);
  png_longjmp(png, 1);
}
inline void png_on_warning(png_structp, png_const_charp) {}  // warnings do not stop a read

inline void png_on_write(png_structp png, png_bytep data, std::size_t n) {
  auto* ctx = static_cast<PngContext*>(png_get_io_ptr(png));
  if (std::fwrite(data, 1, n, ctx->file) != n) {
    std::snprintf(ctx->message, sizeof ctx->message, "%s", std::strerror(errno));
    png_error(png, ctx->message);
  }
}
inline void png_on_flush(png_structp png) {
  auto* ctx = static_cast<PngContext*>(png_get_io_ptr(png));
  if (std::fflush(ctx->file) != 0) {
    std::snprintf(ctx->message, sizeof ctx->message, "%s", std::strerror(errno));
    png_error(png, ctx->message);
  }
}
inline void png_on_read(png_structp png, png_bytep data, std::size_t n) {
  auto* ctx = static_cast<PngContext*>(png_get_io_ptr(png));
  if (std::fread(data, 1, n, ctx->file) != n) {
    std::snprintf(ctx->message, sizeof ctx->message, "%s",
                  std::ferror(ctx->file) ? std::strerror(errno) : "truncated file");
    png_error(png, ctx->message);
  }
}

// The libpng calls that may longjmp, each in a frame that holds only trivial objects.
// They return false after an error, with the message in the context.
inline bool png_write_all(png_structp png, png_infop info, PngContext* ctx, png_uint_32 width,
                          png_uint_32 height, int color, png_bytepp rows) {
  if (setjmp(png_jmpbuf(png))) return false;
  png_set_write_fn(png, ctx, png_on_write, png_on_flush);
  png_set_IHDR(png, info, width, height, 8, color, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
               PNG_FILTER_TYPE_DEFAULT);
  png_write_info(png, info);
  png_write_image(png, rows);
  png_write_end(png, nullptr);
  return true;
}

// Reads the header and asks for 8-bit gray or RGB output whatever the file stores.
inline bool png_read_header(png_structp png, png_infop info, PngContext* ctx) {
  if (setjmp(png_jmpbuf(png))) return false;
  png_set_read_fn(png, ctx, png_on_read);
  png_set_sig_bytes(png, 8);
  png_read_info(png, info);
  int color = png_get_color_type(png, info);
  png_set_strip_16(png);
  png_set_packing(png);
  if (color == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
  if (color == PNG_COLOR_TYPE_GRAY) png_set_expand_gray_1_2_4_to_8(png);
  if (png_get_valid(png, info, PNG_INFO_tRNS)) png_set_tRNS_to_alpha(png);
  png_set_strip_alpha(png);
  png_read_update_info(png, info);
  return true;
}

inline bool png_read_all(png_structp png, png_bytepp rows) {
  if (setjmp(png_jmpbuf(png))) return false;
  png_read_image(png, rows);
  png_read_end(png, nullptr);
  return true;
}

struct FileCloser {
  void operator()(std::FILE* f) const noexcept { std::fclose(f); }
};
using File = std::unique_ptr<std::FILE, FileCloser>;

}  // namespace detail

/// Writes `image` (1 channel: gray, 3: RGB) as an 8-bit PNG file.
inline void write_png(const std::filesystem::path& path, const Image& image) {
  const std::string file = path.string();
  GAN_CHECK(image.width >= 1 && image.height >= 1 && image.width <= 0x7fffffff &&
                image.height <= 0x7fffffff && (image.channels == 1 || image.channels == 3),
            file, ": image of ", image.width, 'x', image.height, 'x', image.channels,
            ": expected width and height in [1, 2^31 - 1] and 1 or 3 channels");
  GAN_CHECK(
      image.pixels.size() == static_cast<std::size_t>(image.width * image.height * image.channels),
      file, ": ", image.pixels.size(), " bytes given for an image of ", image.width, 'x',
      image.height, 'x', image.channels);
  std::vector<png_bytep> rows(static_cast<std::size_t>(image.height));
  for (Index y = 0; y < image.height; ++y)
    rows[static_cast<std::size_t>(y)] = const_cast<png_bytep>(  // libpng does not write to rows
        image.pixels.data() + y * image.width * image.channels);
  detail::File out(std::fopen(path.c_str(), "wb"));
  GAN_CHECK(out != nullptr, file, ": cannot open for writing: ", std::strerror(errno));
  detail::PngContext ctx{out.get(), {}};
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &ctx, detail::png_on_error,
                                            detail::png_on_warning);
  GAN_CHECK(png != nullptr, file, ": cannot start libpng");
  png_infop info = png_create_info_struct(png);
  bool ok = info != nullptr &&
            detail::png_write_all(png, info, &ctx, static_cast<png_uint_32>(image.width),
                                  static_cast<png_uint_32>(image.height),
                                  image.channels == 1 ? PNG_COLOR_TYPE_GRAY : PNG_COLOR_TYPE_RGB,
                                  rows.data());
  const char* why = info != nullptr ? ctx.message : "out of memory";
  png_destroy_write_struct(&png, info != nullptr ? &info : nullptr);
  GAN_CHECK(ok, file, ": cannot write: ", why);
  bool flushed = std::fflush(out.get()) == 0;
  int flush_errno = errno;
  bool closed = std::fclose(out.release()) == 0;
  int close_errno = errno;
  GAN_CHECK(flushed, file, ": cannot write: ", std::strerror(flush_errno));
  GAN_CHECK(closed, file, ": cannot close: ", std::strerror(close_errno));
}

/// Reads a PNG file as 8-bit gray (1 channel) or RGB (3 channels); 16-bit samples are
/// reduced to 8, palettes expanded, alpha dropped. Throws gan::Error naming the file for
/// anything that is not a readable PNG, and before allocating for dimensions that the
/// file's size cannot hold (deflate expands at most 1032:1).
inline Image read_png(const std::filesystem::path& path) {
  const std::string file = path.string();
  std::error_code ec;
  std::uintmax_t size = std::filesystem::file_size(path, ec);
  GAN_CHECK(!ec, file, ": cannot read: ", ec.message());
  detail::File in(std::fopen(path.c_str(), "rb"));
  GAN_CHECK(in != nullptr, file, ": cannot open for reading: ", std::strerror(errno));
  png_byte signature[8] = {};
  std::size_t got = std::fread(signature, 1, 8, in.get());
  GAN_CHECK(got == 8 && png_sig_cmp(signature, 0, 8) == 0, file,
            ": not a PNG file (bad signature)");
  detail::PngContext ctx{in.get(), {}};
  png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &ctx, detail::png_on_error,
                                           detail::png_on_warning);
  GAN_CHECK(png != nullptr, file, ": cannot start libpng");
  png_infop info = png_create_info_struct(png);
  // Frees libpng's structures on every path out, exceptions included.
  struct Guard {
    png_structp* png;
    png_infop* info;
    ~Guard() { png_destroy_read_struct(png, *info != nullptr ? info : nullptr, nullptr); }
  } guard{&png, &info};
  GAN_CHECK(info != nullptr, file, ": cannot start libpng");
  GAN_CHECK(detail::png_read_header(png, info, &ctx), file, ": cannot read PNG: ", ctx.message);
  Image image;
  image.width = png_get_image_width(png, info);
  image.height = png_get_image_height(png, info);
  image.channels = png_get_channels(png, info);
  std::size_t row_bytes = png_get_rowbytes(png, info);
  GAN_CHECK(image.channels == 1 || image.channels == 3, file, ": PNG with ", image.channels,
            " channels after conversion: expected 1 or 3");
  GAN_CHECK(row_bytes == static_cast<std::size_t>(image.width * image.channels), file,
            ": PNG rows of ", row_bytes, " bytes: expected ", image.width * image.channels);
  // Each row also holds a filter byte; the compressed data is smaller than the file.
  double claimed = static_cast<double>(image.height) * static_cast<double>(row_bytes + 1);
  GAN_CHECK(claimed <= static_cast<double>(size) * 1032.0 + 65536.0, file, ": PNG header claims ",
            image.width, 'x', image.height, " pixels, more than a ", size, "-byte file can hold");
  image.pixels.resize(static_cast<std::size_t>(image.height) * row_bytes);
  std::vector<png_bytep> rows(static_cast<std::size_t>(image.height));
  for (Index y = 0; y < image.height; ++y)
    rows[static_cast<std::size_t>(y)] = image.pixels.data() + y * static_cast<Index>(row_bytes);
  GAN_CHECK(detail::png_read_all(png, rows.data()), file, ": cannot read PNG: ", ctx.message);
  return image;
}

}  // namespace gan::io
