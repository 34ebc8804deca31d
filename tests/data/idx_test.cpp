#include "gan/data/idx.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "data/allocation_probe.hpp"
#include "data/temp_dir.hpp"
#include "gan/core/rng.hpp"

using gan::data::IdxImages;
using gan::data::read_idx_images;
using gan::data::read_idx_labels;
using gan::data::write_idx_images;
using gan::data::write_idx_labels;
using gan::test::Bytes;
using gan::test::error_of;
using gan::test::fixtures;
using gan::test::TempDir;
using gan::test::write_text;

namespace {

// An IDX header written by hand: 00 00 type ndims, then each dimension big-endian.
Bytes idx_header(std::uint8_t type, const std::vector<std::uint32_t>& dims) {
  Bytes b = {0, 0, type, static_cast<unsigned char>(dims.size())};
  for (std::uint32_t d : dims)
    for (int shift = 24; shift >= 0; shift -= 8)
      b.push_back(static_cast<unsigned char>(d >> shift));
  return b;
}

Bytes concat(Bytes a, const Bytes& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// 3 images of 2×2 with pixel values 0 … 11.
Bytes small_images() {
  Bytes b = idx_header(0x08, {3, 2, 2});
  for (int k = 0; k < 12; ++k) b.push_back(static_cast<unsigned char>(k));
  return b;
}

IdxImages random_images(gan::Index n, gan::Index h, gan::Index w, std::uint64_t seed) {
  gan::Rng rng(seed, gan::Stream::user);
  IdxImages im;
  im.count = n;
  im.rows = h;
  im.cols = w;
  for (gan::Index k = 0; k < n * h * w; ++k)
    im.pixels.push_back(static_cast<std::uint8_t>(rng.below(256)));
  return im;
}

}  // namespace

TEST_CASE("IDX images and labels round-trip, raw and gzip") {
  TempDir dir;
  IdxImages im = random_images(5, 3, 7, 1);
  std::vector<std::int32_t> labels = {0, 255, 3, 9, 128};
  for (const char* name : {"x-idx3-ubyte", "x-idx3-ubyte.gz"}) {
    CAPTURE(name);
    write_idx_images(dir / name, im);
    IdxImages back = read_idx_images(dir / name);
    CHECK(back.count == 5);
    CHECK(back.rows == 3);
    CHECK(back.cols == 7);
    CHECK(back.shape() == gan::core::images(5, 1, 3, 7));
    CHECK(back.pixels == im.pixels);
  }
  for (const char* name : {"y-idx1-ubyte", "y-idx1-ubyte.gz"}) {
    write_idx_labels(dir / name, labels);
    CHECK(read_idx_labels(dir / name) == labels);
  }
  // The raw file is the format byte for byte; the .gz one is gzip and inflates to it.
  Bytes raw = gan::test::read_bytes(dir / "x-idx3-ubyte");
  CHECK(Bytes(raw.begin(), raw.begin() + 16) == idx_header(0x08, {5, 3, 7}));
  CHECK(raw.size() == 16 + 105);
  Bytes gz = gan::test::read_bytes(dir / "x-idx3-ubyte.gz");
  CHECK(gz[0] == 0x1f);
  CHECK(gz[1] == 0x8b);
  CHECK(gan::test::read_bytes(dir / "y-idx1-ubyte") ==
        Bytes({0, 0, 8, 1, 0, 0, 0, 5, 0, 255, 3, 9, 128}));
}

TEST_CASE("IDX files compressed by other tools are read") {
  // zlib's gzwrite, and the gzip program (a header with the file name) for the fixtures.
  TempDir dir;
  gan::test::write_gzip(dir / "z.gz", small_images());
  IdxImages a = read_idx_images(dir / "z.gz");
  CHECK(a.count == 3);
  CHECK(a.pixels[11] == 11);
  IdxImages b = read_idx_images(fixtures / "tiny-images-idx3-ubyte.gz");
  CHECK(b.shape() == gan::core::images(3, 1, 2, 3));
  for (int i = 0; i < 3; ++i)
    for (int k = 0; k < 6; ++k)
      CHECK(b.pixels[static_cast<std::size_t>(i * 6 + k)] == 40 * i + 10 * k + 5);
  CHECK(read_idx_labels(fixtures / "tiny-labels-idx1-ubyte.gz") ==
        std::vector<std::int32_t>{7, 0, 9});
  // Two concatenated gzip members are one stream (as gzip -c a b > c makes).
  Bytes whole = small_images();
  gan::test::write_gzip(dir / "p1.gz", Bytes(whole.begin(), whole.begin() + 10));
  gan::test::write_gzip(dir / "p2.gz", Bytes(whole.begin() + 10, whole.end()));
  gan::test::write_bytes(dir / "two.gz", concat(gan::test::read_bytes(dir / "p1.gz"),
                                                gan::test::read_bytes(dir / "p2.gz")));
  CHECK(read_idx_images(dir / "two.gz").pixels == a.pixels);
}

TEST_CASE("IDX headers that are cut short, or not IDX, are rejected by name") {
  TempDir dir;
  auto f = dir / "bad";
  std::string name = f.string();
  auto read_images = [&] { read_idx_images(f); };

  gan::test::write_bytes(f, {0, 0});
  CHECK(error_of(read_images) ==
        name + ": truncated IDX header: expected a 4-byte magic number, the data holds 2 bytes");
  gan::test::write_bytes(f, {0, 0, 8, 3, 0, 0, 0, 1, 0});
  CHECK(error_of(read_images) ==
        name + ": truncated IDX header: expected 12 bytes of dimensions, the data holds 5");
  gan::test::write_bytes(f, concat({0x89, 'P', 'N', 'G'}, Bytes(20, 0)));
  CHECK(error_of(read_images) == name +
                                     ": bad IDX magic number 0x89 0x50 0x4E 0x47: expected two"
                                     " zero bytes, a type code and a dimension count");
  gan::test::write_bytes(f, concat(idx_header(0x0D, {1, 1, 1}), Bytes(4, 0)));
  CHECK(error_of(read_images) == name +
                                     ": IDX type code 0x0D (32-bit float) is not supported:"
                                     " expected 0x08 (unsigned byte)");
  gan::test::write_bytes(f, small_images());
  CHECK(error_of([&] { read_idx_labels(f); }) == name + ": IDX dimension count 3: expected 1");
  gan::test::write_bytes(f, idx_header(0x08, {2, 0, 4}));
  CHECK(error_of(read_images) == name + ": IDX dimension 1 (rows) is 0: expected at least 1");
  // The same checks apply inside a gzip file.
  gan::test::write_gzip(f, {0, 0, 8});
  CHECK(error_of(read_images) ==
        name + ": truncated IDX header: expected a 4-byte magic number, the data holds 3 bytes");
  CHECK(error_of([&] { read_idx_images(dir / "missing"); }) ==
        (dir / "missing").string() + ": no such file");
  CHECK(error_of([&] { read_idx_images(dir.path()); }) ==
        dir.path().string() + ": not a regular file");
}

TEST_CASE("IDX data that is short or followed by garbage is rejected, raw and gzip") {
  TempDir dir;
  auto f = dir / "bad";
  std::string name = f.string();
  auto read_images = [&] { read_idx_images(f); };
  Bytes good = small_images();
  Bytes short_data(good.begin(), good.end() - 2);
  Bytes long_data = concat(good, {1, 2, 3});

  gan::test::write_bytes(f, short_data);
  CHECK(error_of(read_images) == name +
                                     ": truncated IDX data: the header claims 3 images of 2x2"
                                     " (12 bytes), the file holds 10");
  gan::test::write_gzip(f, short_data);
  CHECK(error_of(read_images) == name +
                                     ": truncated IDX data: the header claims 3 images of 2x2"
                                     " (12 bytes), the data holds 10");
  gan::test::write_bytes(f, long_data);
  CHECK(error_of(read_images) ==
        name + ": trailing data: 3 bytes after the 3 images of 2x2 the header claims");
  gan::test::write_gzip(f, long_data);
  CHECK(error_of(read_images) ==
        name + ": trailing data after the 3 images of 2x2 the header claims");

  // Damage to the gzip stream itself: cut short, garbage after it, a flipped byte.
  gan::test::write_gzip(f, good);
  Bytes gz = gan::test::read_bytes(f);
  gan::test::write_bytes(f, Bytes(gz.begin(), gz.end() - 12));
  CHECK(error_of(read_images) ==
        name + ": truncated gzip stream: the file ends inside compressed data");
  gan::test::write_bytes(f, concat(gz, {'j', 'u', 'n', 'k', '!'}));
  CHECK(error_of(read_images) ==
        name + ": trailing data: 5 bytes after the end of the gzip stream");
  Bytes flipped = gz;
  flipped[flipped.size() - 6] ^= 0xFF;  // inside the CRC-32 of the trailer
  gan::test::write_bytes(f, flipped);
  CHECK(error_of(read_images) == name + ": corrupt gzip data: incorrect data check");
}

TEST_CASE("an IDX header claiming far more data than the file holds fails before allocating") {
  TempDir dir;
  auto f = dir / "liar";
  std::string name = f.string();
  // 16 bytes claiming 10^9 images of 28x28 (784 GB).
  Bytes liar = idx_header(0x08, {1000000000u, 28, 28});
  gan::test::write_bytes(f, liar);
  gan::test::probe::reset();
  std::string raw_error = error_of([&] { read_idx_images(f); });
  std::size_t raw_largest = gan::test::probe::largest();
  CHECK(raw_error == name +
                         ": truncated IDX data: the header claims 1000000000 images of 28x28"
                         " (784000000000 bytes), the file holds 0");
  CHECK(raw_largest < 100000);  // the reader's 64 KiB input buffer and the message

  gan::test::write_gzip(f, liar);
  auto size = std::filesystem::file_size(f);
  gan::test::probe::reset();
  std::string gz_error = error_of([&] { read_idx_images(f); });
  std::size_t gz_largest = gan::test::probe::largest();
  CHECK(gz_error == name +
                        ": the IDX header claims 1000000000 images of 28x28 (784000000000"
                        " bytes), more than the " +
                        std::to_string(size) + "-byte gzip file can hold");
  CHECK(gz_largest < 100000);

  // A lie small enough to pass the size bound (random pixels do not compress): the
  // buffer grows with the data that arrives, so it stays near the real size.
  IdxImages real = random_images(100, 28, 28, 2);  // 78,400 bytes
  Bytes body = idx_header(0x08, {1000, 28, 28});   // claims 784,000
  body.insert(body.end(), real.pixels.begin(), real.pixels.end());
  gan::test::write_gzip(f, body);
  gan::test::probe::reset();
  std::string grow_error = error_of([&] { read_idx_images(f); });
  std::size_t grow_largest = gan::test::probe::largest();
  CHECK(grow_error == name +
                          ": truncated IDX data: the header claims 1000 images of 28x28"
                          " (784000 bytes), the data holds 78400");
  CHECK(grow_largest <= 2 * 78400);
  CHECK(grow_largest >= 78400);  // it did read the real data
}

TEST_CASE("IDX writers report unwritable paths and full disks by file name") {
  IdxImages im = random_images(2, 2, 2, 3);
  TempDir dir;
  auto nowhere = dir / "no-such-dir" / "x-idx3-ubyte";
  CHECK(error_of([&] { write_idx_images(nowhere, im); }) ==
        nowhere.string() + ": cannot open for writing: No such file or directory");
  if (gan::test::has_dev_full()) {
    CHECK(error_of([&] { write_idx_images("/dev/full", im); }) ==
          "/dev/full: cannot write: No space left on device");
    std::vector<std::int32_t> labels(100000, 1);  // larger than stdio's buffer
    CHECK(error_of([&] { write_idx_labels("/dev/full", labels); }) ==
          "/dev/full: cannot write: No space left on device");
  } else {
    MESSAGE("no /dev/full: full-disk case skipped");
  }
  IdxImages wrong = im;
  wrong.pixels.pop_back();
  CHECK(error_of([&] { write_idx_images(dir / "w", wrong); }) ==
        (dir / "w").string() + ": 7 pixels given for 2 images of 2x2");
  std::vector<std::int32_t> bad_labels = {1, 256};
  CHECK(error_of([&] { write_idx_labels(dir / "l", bad_labels); }) ==
        (dir / "l").string() + ": label 256 at index 1: IDX labels are bytes, expected 0 to 255");
}
