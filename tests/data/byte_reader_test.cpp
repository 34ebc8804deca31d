#include "gan/data/byte_reader.hpp"

#include <doctest/doctest.h>

#include <string>

#include "data/temp_dir.hpp"

using gan::data::ByteReader;
using gan::test::Bytes;
using gan::test::TempDir;

namespace {
Bytes counting(std::size_t n) {
  Bytes b(n);
  for (std::size_t i = 0; i < n; ++i) b[i] = static_cast<unsigned char>(i * 7 + i / 251);
  return b;
}
}  // namespace

TEST_CASE("ByteReader gives the same bytes from a raw and a gzip file, in any read sizes") {
  TempDir dir;
  Bytes data = counting(300000);  // several input chunks
  gan::test::write_bytes(dir / "raw", data);
  gan::test::write_gzip(dir / "gz", data);
  for (const char* name : {"raw", "gz"}) {
    CAPTURE(name);
    ByteReader in(dir / name);
    CHECK(in.gzip() == (std::string(name) == "gz"));
    Bytes back(data.size());
    std::size_t done = 0, step = 1;
    while (done < back.size()) {
      std::size_t got = in.read(back.data() + done, std::min(step, back.size() - done));
      REQUIRE(got > 0);
      done += got;
      step = step * 3 + 1;  // 1, 4, 13, … up past the chunk size
    }
    CHECK(back == data);
    CHECK(in.position() == data.size());
    CHECK(in.at_end());
    unsigned char extra;
    CHECK(in.read(&extra, 1) == 0);
  }
}

TEST_CASE("ByteReader bounds what is left, and at_end looks ahead without losing a byte") {
  TempDir dir;
  Bytes data = counting(1000);
  gan::test::write_bytes(dir / "raw", data);
  ByteReader raw(dir / "raw");
  CHECK(raw.max_remaining() == 1000);  // exact for a raw file
  unsigned char b[10];
  CHECK(raw.read(b, 10) == 10);
  CHECK(raw.max_remaining() == 990);
  CHECK_FALSE(raw.at_end());
  CHECK(raw.read(b, 1) == 1);
  CHECK(b[0] == data[10]);  // the looked-ahead byte comes next
  CHECK(raw.read_rest() == std::string(data.begin() + 11, data.end()));

  gan::test::write_gzip(dir / "gz", data);
  ByteReader gz(dir / "gz");
  CHECK(gz.max_remaining() >= 1000);  // an upper bound: deflate's 1032:1
  CHECK(gz.max_remaining() <= gz.file_size() * 1032 + 65536);
  CHECK(gz.read_rest() == std::string(data.begin(), data.end()));
  CHECK(gz.at_end());
}

TEST_CASE("ByteReader on an empty file and on a one-byte gzip look-alike") {
  TempDir dir;
  gan::test::write_bytes(dir / "empty", {});
  ByteReader empty(dir / "empty");
  CHECK_FALSE(empty.gzip());
  CHECK(empty.at_end());
  gan::test::write_bytes(dir / "one", {0x1f});
  ByteReader one(dir / "one");
  CHECK_FALSE(one.gzip());
  CHECK(one.read_rest() == std::string(1, '\x1f'));
}
