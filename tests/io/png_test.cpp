#include "gan/io/png.hpp"

#include <doctest/doctest.h>

#include <string>

#include "data/temp_dir.hpp"
#include "gan/core/rng.hpp"
#include "gan/io/gnuplot.hpp"

using gan::io::Image;
using gan::io::read_png;
using gan::io::write_png;
using gan::test::error_of;
using gan::test::TempDir;

namespace {
Image noise(gan::Index w, gan::Index h, gan::Index c, std::uint64_t seed) {
  Image im(w, h, c);
  gan::Rng rng(seed, gan::Stream::user);
  for (auto& p : im.pixels) p = static_cast<std::uint8_t>(rng.below(256));
  return im;
}
}  // namespace

TEST_CASE("gray and RGB PNG files round-trip through libpng") {
  TempDir dir;
  for (gan::Index c : {1, 3}) {
    CAPTURE(c);
    Image im = noise(7, 5, c, static_cast<std::uint64_t>(c));  // odd sizes
    im.at(4, 6, c - 1) = 200;
    write_png(dir / "a.png", im);
    Image back = read_png(dir / "a.png");
    CHECK(back.width == 7);
    CHECK(back.height == 5);
    CHECK(back.channels == c);
    CHECK(back.pixels == im.pixels);
    CHECK(back.at(4, 6, c - 1) == 200);
    auto bytes = gan::test::read_bytes(dir / "a.png");
    CHECK(std::string(bytes.begin() + 1, bytes.begin() + 4) == "PNG");
  }
  Image one(1, 1, 1, 9);
  write_png(dir / "one.png", one);
  CHECK(read_png(dir / "one.png").pixels == std::vector<std::uint8_t>{9});
}

TEST_CASE("PNG write failures name the file: bad path, full disk, bad image") {
  TempDir dir;
  Image im = noise(4, 3, 1, 1);
  auto nowhere = dir / "no-dir" / "a.png";
  CHECK(error_of([&] { write_png(nowhere, im); }) ==
        nowhere.string() + ": cannot open for writing: No such file or directory");
  if (gan::test::has_dev_full()) {
    // Small: fails when stdio's buffer is flushed at the end; large: inside libpng.
    CHECK(error_of([&] { write_png("/dev/full", im); }) ==
          "/dev/full: cannot write: No space left on device");
    Image big = noise(600, 600, 3, 2);
    CHECK(error_of([&] { write_png("/dev/full", big); }) ==
          "/dev/full: cannot write: No space left on device");
  } else {
    MESSAGE("no /dev/full: full-disk case skipped");
  }
  Image two;
  two.width = 2;
  two.height = 2;
  two.channels = 2;
  two.pixels.resize(8);
  CHECK(error_of([&] { write_png(dir / "b.png", two); }) ==
        (dir / "b.png").string() +
            ": image of 2x2x2: expected width and height in [1, 2^31 - 1] and 1 or 3 channels");
  Image short_pixels = im;
  short_pixels.pixels.resize(short_pixels.pixels.size() - 1);
  CHECK(error_of([&] { write_png(dir / "c.png", short_pixels); }) ==
        (dir / "c.png").string() + ": 11 bytes given for an image of 4x3x1");
}

TEST_CASE("files that are not whole PNGs are rejected by name") {
  TempDir dir;
  auto f = dir / "x.png";
  std::string name = f.string();
  gan::test::write_bytes(f, {'n', 'o', 'p', 'e'});
  CHECK(error_of([&] { read_png(f); }) == name + ": not a PNG file (bad signature)");
  Image im = noise(40, 30, 3, 3);
  write_png(f, im);
  auto bytes = gan::test::read_bytes(f);
  gan::test::write_bytes(f, gan::test::Bytes(bytes.begin(), bytes.begin() + bytes.size() / 2));
  CHECK(error_of([&] { read_png(f); }) == name + ": cannot read PNG: truncated file");
  auto damaged = bytes;
  // Inside the data of the first IDAT chunk (from byte 41 on): zlib's Adler-32 check at
  // the end of the compressed data fails before libpng reaches the chunk's CRC.
  damaged[50] ^= 0x55;
  gan::test::write_bytes(f, damaged);
  CHECK(error_of([&] { read_png(f); }) == name + ": cannot read PNG: IDAT: incorrect data check");
  CHECK(error_of([&] {
          read_png(dir / "none.png");
        }).starts_with((dir / "none.png").string() + ": cannot read: "));
}

TEST_CASE("a palette PNG (gnuplot's libgd terminal writes them) reads as RGB") {
  gan::io::Gnuplot gp;
  if (!gp.available()) {
    MESSAGE("gnuplot is not installed: skipped");
    return;
  }
  TempDir dir;
  auto out = dir / "palette.png";
  gp.run("set terminal png size 120,80\nset output " + gan::io::gnuplot_quote(out.string()) +
         "\nplot x\n");
  auto bytes = gan::test::read_bytes(out);
  REQUIRE(bytes.size() > 26);
  CHECK(bytes[25] == 3);  // IHDR colour type 3: indexed colour
  Image im = read_png(out);
  CHECK(im.width == 120);
  CHECK(im.height == 80);
  CHECK(im.channels == 3);
  CHECK(im.at(0, 0, 0) == 255);  // white background
}
