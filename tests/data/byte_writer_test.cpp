#include "gan/data/byte_writer.hpp"

#include <doctest/doctest.h>

#include <zlib.h>

#include <string>

#include "data/temp_dir.hpp"

using gan::data::ByteWriter;
using gan::data::Compression;
using gan::test::error_of;
using gan::test::TempDir;

TEST_CASE("ByteWriter writes raw bytes, and gzip that zlib's gzread inflates") {
  TempDir dir;
  std::string text;
  for (int i = 0; i < 20000; ++i) text += std::to_string(i * i) + ",";
  {
    ByteWriter w(dir / "raw");
    w.write(text.data(), 5);
    w.write(text.data() + 5, text.size() - 5);
    w.close();
  }
  auto raw = gan::test::read_bytes(dir / "raw");
  CHECK(std::string(raw.begin(), raw.end()) == text);

  CHECK(gan::data::compression_for("a/b.idx.gz") == Compression::gzip);
  CHECK(gan::data::compression_for("a/b.idx") == Compression::none);
  {
    ByteWriter w(dir / "z.gz", Compression::gzip);
    w.write(text.data(), text.size());
    w.close();
  }
  gzFile f = gzopen((dir / "z.gz").c_str(), "rb");
  REQUIRE(f != nullptr);
  std::string back(text.size() + 10, '\0');
  int n = gzread(f, back.data(), static_cast<unsigned>(back.size()));
  gzclose(f);
  back.resize(static_cast<std::size_t>(n));
  CHECK(back == text);
  CHECK(std::filesystem::file_size(dir / "z.gz") < text.size() / 2);
}

TEST_CASE("ByteWriter reports a full disk at write or at close, and misuse") {
  if (!gan::test::has_dev_full()) {
    MESSAGE("no /dev/full: skipped");
    return;
  }
  // Small data sits in stdio's buffer until close; large data fails in write.
  CHECK(error_of([] {
          ByteWriter w("/dev/full");
          w.write("abc", 3);
          w.close();
        }) == "/dev/full: cannot write: No space left on device");
  std::string big(1 << 20, 'x');
  CHECK(error_of([&] {
          ByteWriter w("/dev/full", Compression::gzip);
          w.write(big.data(), big.size());
          w.close();
        }) == "/dev/full: cannot write: No space left on device");
  TempDir dir;
  CHECK(error_of([&] {
          ByteWriter w(dir / "a");
          w.close();
          w.close();
        }) == (dir / "a").string() + ": closed twice");
}
