#include "gan/data/csv.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "data/temp_dir.hpp"
#include "gan/core/rng.hpp"

using gan::Tensor;
using gan::core::features;
using gan::data::CsvOptions;
using gan::data::Scaling;
using gan::test::error_of;
using gan::test::fixtures;
using gan::test::TempDir;
using gan::test::write_text;

TEST_CASE("a CSV file with a label column loads as a labelled data set") {
  CsvOptions o;
  o.label_column = -1;
  auto d = gan::data::read_csv<float>(fixtures / "points.csv", o);
  CHECK(d.name() == "points");
  CHECK(d.shape() == features(3, 2));
  CHECK(d.classes() == 3);
  CHECK(std::vector<std::int32_t>(d.labels().begin(), d.labels().end()) ==
        std::vector<std::int32_t>{1, 0, 2});
  CHECK(d.samples()(2, 0) == -4.75f);
  o.label_column = 0;  // a label column anywhere: here the first (x holds 0.5, not an integer)
  CHECK(error_of([&] { gan::data::read_csv<float>(fixtures / "points.csv", o); }) ==
        (fixtures / "points.csv").string() +
            ":2: label 0.5 in column 1 is not an integer in [0, 2147483646]");
  auto unlabeled = gan::data::read_csv<double>(fixtures / "points.csv");
  CHECK(unlabeled.shape() == features(3, 3));
  CHECK_FALSE(unlabeled.labeled());
}

TEST_CASE("CSV samples round-trip exactly through write_csv, with and without labels") {
  TempDir dir;
  gan::Rng rng(3, gan::Stream::user);
  Tensor<float> x(features(17, 5));
  rng.fill_normal(x.span(), 0.0, 1e3);
  x(0, 0) = 1e-30f;
  x(1, 1) = -0.0f;
  std::vector<std::int32_t> labels(17);
  for (std::size_t i = 0; i < labels.size(); ++i) labels[i] = static_cast<std::int32_t>(i % 4);
  gan::data::write_csv<float>(dir / "s.csv", x.view(), labels);
  CsvOptions o;
  o.label_column = 5;
  auto d = gan::data::read_csv<float>(dir / "s.csv", o);
  REQUIRE(d.shape() == x.shape());
  for (gan::Index k = 0; k < x.size(); ++k) CHECK(d.samples()[k] == x[k]);
  CHECK(std::vector<std::int32_t>(d.labels().begin(), d.labels().end()) == labels);
  CHECK(d.classes() == 4);
  // Without labels or header, gzip-compressed by name.
  gan::data::write_csv<float>(dir / "s.csv.gz", x.view(), {}, false);
  auto e = gan::data::read_csv<float>(dir / "s.csv.gz");
  CHECK(e.shape() == x.shape());
  CHECK(e.samples()[3] == x[3]);
  auto text = gan::test::read_bytes(dir / "s.csv");
  CHECK(std::string(text.begin(), text.begin() + 21) == "x0,x1,x2,x3,x4,label\n");
}

TEST_CASE("CSV data scaled for training maps back through the kept transform") {
  TempDir dir;
  write_text(dir / "m.csv", "1,100\n2,300\n4,200\n");
  CsvOptions o;
  o.scaling = Scaling::min_max;
  auto d = gan::data::read_csv<double>(dir / "m.csv", o);
  CHECK(d.samples()(0, 0) == -1.0);
  CHECK(d.samples()(2, 0) == 1.0);
  CHECK(d.samples()(1, 1) == 1.0);
  CHECK(d.samples()(2, 1) == 0.0);
  Tensor<double> back(d.shape());
  back.view().copy_from(d.samples());
  d.transform().invert(back.view());
  CHECK(back(1, 0) == doctest::Approx(2.0));
  CHECK(back(2, 1) == doctest::Approx(200.0));
  o.scaling = Scaling::standardize;
  auto s = gan::data::read_csv<double>(dir / "m.csv", o);
  CHECK(s.samples()(0, 1) == doctest::Approx(-100.0 / std::sqrt(20000.0 / 3.0)));
}

TEST_CASE("bad label columns and labels are rejected by file and line") {
  TempDir dir;
  auto f = dir / "l.csv";
  std::string name = f.string();
  write_text(f, "1,2,0\n3,4,1\n5,6,-1\n");
  CsvOptions o;
  o.label_column = 3;
  CHECK(error_of([&] { gan::data::read_csv<float>(f, o); }) ==
        name + ": label column 3: expected -3 to 2 for 3 columns");
  o.label_column = -4;
  CHECK(error_of([&] { gan::data::read_csv<float>(f, o); }) ==
        name + ": label column -4: expected -3 to 2 for 3 columns");
  o.label_column = 2;
  CHECK(error_of([&] { gan::data::read_csv<float>(f, o); }) ==
        name + ":3: label -1 in column 3 is not an integer in [0, 2147483646]");
  write_text(f, "1,2,0\n3,4,7\n");
  o.classes = 5;
  CHECK(error_of([&] { gan::data::read_csv<float>(f, o); }) ==
        name + ":2: label 7 in column 3 is outside [0, 5)");
  write_text(f, "1\n2\n");
  o.label_column = 0;
  o.classes = 0;
  CHECK(error_of([&] { gan::data::read_csv<float>(f, o); }) ==
        name + ": a label column needs at least one more column of features");
  write_text(f, "1,1e300\n");
  CHECK(error_of([&] { gan::data::read_csv<float>(f); }) ==
        name + ":1: value 1e+300 in column 2 does not fit the sample type");
}
