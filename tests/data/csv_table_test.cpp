#include "gan/data/csv_table.hpp"

#include <doctest/doctest.h>

#include <string>

#include "data/temp_dir.hpp"

using gan::data::CsvHeader;
using gan::data::read_csv_table;
using gan::test::error_of;
using gan::test::fixtures;
using gan::test::TempDir;
using gan::test::write_text;

TEST_CASE("a CSV table: header detected, CRLF, blank lines and blanks around values") {
  auto t = read_csv_table(fixtures / "points.csv");
  CHECK(t.header == std::vector<std::string>{"x", "y", "label"});
  CHECK(t.rows == 3);
  CHECK(t.cols == 3);
  CHECK(t(0, 1) == -1.25);
  CHECK(t(1, 1) == 0.03);
  CHECK(t(2, 0) == -4.75);
  CHECK(t(2, 1) == 8);
  CHECK(t.lines == std::vector<gan::Index>{2, 3, 5});
  CHECK(t.column("label") == 2);
  CHECK(t.column("z") == -1);
}

TEST_CASE("a CSV table without a header, forced either way, and gzip-compressed") {
  TempDir dir;
  write_text(dir / "a.csv", "1,2\n+3,-4e1\n");
  auto t = read_csv_table(dir / "a.csv");
  CHECK(t.header.empty());
  CHECK(t.rows == 2);
  CHECK(t(1, 0) == 3);
  CHECK(t(1, 1) == -40);
  auto h = read_csv_table(dir / "a.csv", CsvHeader::present);
  CHECK(h.header == std::vector<std::string>{"1", "2"});
  CHECK(h.rows == 1);
  std::string text = "\"a\",b\n1,2\n";
  gan::test::write_gzip(dir / "b.csv.gz", gan::test::Bytes(text.begin(), text.end()));
  auto g = read_csv_table(dir / "b.csv.gz");
  CHECK(g.header == std::vector<std::string>{"a", "b"});
  CHECK(g(0, 1) == 2);
  CHECK(error_of([&] { read_csv_table(dir / "b.csv.gz", CsvHeader::absent); }) ==
        (dir / "b.csv.gz").string() + ":1: column 1: '\"a\"' is not a finite number");
}

TEST_CASE("ragged rows, non-numbers and empty files name the file and line") {
  TempDir dir;
  auto f = dir / "bad.csv";
  std::string name = f.string();
  auto read = [&] { read_csv_table(f); };
  write_text(f, "a,b,c\n1,2,3\n4,5\n");
  CHECK(error_of(read) == name + ":3: 2 values, expected 3 (as on line 1)");
  write_text(f, "1,2,3\n\n4,5,6,7\n");
  CHECK(error_of(read) == name + ":3: 4 values, expected 3 (as on line 1)");
  write_text(f, "a,b\n1,2\n3,x\n");
  CHECK(error_of(read) == name + ":3: column 2: 'x' is not a finite number");
  write_text(f, "a,b\n1,2\n3,nan\n");
  CHECK(error_of(read) == name + ":3: column 2: 'nan' is not a finite number");
  write_text(f, "a,b\n1,\n");
  CHECK(error_of(read) == name + ":2: column 2: '' is not a finite number");
  write_text(f, "a,b\n\n");
  CHECK(error_of(read) == name + ": no rows of data");
  write_text(f, "");
  CHECK(error_of(read) == name + ": no rows of data");
}
