#include "gan/train/log_csv.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

using namespace gan;

namespace {
std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}
}  // namespace

TEST_CASE("LogCsv writes a header and one row per logged step, and resumes cleanly") {
  auto path = std::filesystem::temp_directory_path() / "gan_log_csv_test.csv";
  {
    train::LogCsv log(path);
    for (Index s = 1; s <= 3; ++s) {
      StepStats st;
      st.step = s;
      st.d_loss = 0.5 * static_cast<double>(s);
      if (s == 2) st.k = 0.25;
      log.write(st, static_cast<double>(s));
    }
  }
  std::string text = slurp(path);
  CHECK(text.rfind(std::string(train::LogCsv::header) + "\n1,1.000,0.5,", 0) == 0);
  CHECK(text.find("\n2,2.000,1,0,0,0,0,0,0,,0.25,\n") != std::string::npos);
  {
    train::LogCsv resumed(path, 2);  // step 3 was after the checkpoint: dropped
    StepStats st;
    st.step = 3;
    resumed.write(st, 9.0);
  }
  text = slurp(path);
  CHECK(text.find("\n3,3.000") == std::string::npos);
  CHECK(text.find("\n3,9.000") != std::string::npos);
  CHECK(text.find("\n1,1.000") != std::string::npos);
  CHECK_THROWS_AS(train::LogCsv("/nonexistent-folder/log.csv"), Error);
}

TEST_CASE("LogCsv::rewind drops the rows past a step and appends after the rest") {
  auto path = std::filesystem::temp_directory_path() / "gan_log_csv_rewind_test.csv";
  train::LogCsv log(path);
  StepStats st;
  for (Index s = 1; s <= 4; ++s) {
    st.step = s;
    log.write(st, 1.0);
  }
  log.rewind(2);  // as after a rollback to a checkpoint of step 2
  st.step = 3;
  log.write(st, 7.0);
  const std::string text = slurp(path);
  CHECK(text.find("\n2,1.000") != std::string::npos);
  CHECK(text.find("\n3,1.000") == std::string::npos);
  CHECK(text.find("\n4,1.000") == std::string::npos);
  CHECK(text.find("\n3,7.000") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(path.string() + ".tmp"));
  log.rewind(0);
  CHECK(slurp(path) == std::string(train::LogCsv::header) + "\n");
}
