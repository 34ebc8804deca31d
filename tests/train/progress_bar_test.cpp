#include "gan/train/progress_bar.hpp"

#include <doctest/doctest.h>

#include <cstdio>
#include <string>

using namespace gan;

TEST_CASE("progress line: bar, step, percentage, rate, ETA and losses") {
  train::Progress p;
  p.first_step = 0;
  p.step = 50;
  p.last_step = 200;
  p.seconds = 25;
  p.stats.d_loss = 1.25;
  p.stats.g_loss = 0.5;
  p.stats.wasserstein = 0.125;
  std::string line = train::ProgressBar::line(p, true);
  CHECK(line ==
        "[######..................] step 50/200 25% 2.000 it/s ETA 1:15 | D 1.250 G 0.500 W 0.125");
  CHECK(train::ProgressBar::line(p, false).rfind("step 50/200", 0) == 0);
  p.generator = false;  // D alone (fit_discriminator): no G loss
  p.stats.wasserstein.reset();
  CHECK(train::ProgressBar::line(p, false) == "step 50/200 25% 2.000 it/s ETA 1:15 | D 1.250");
  CHECK(train::format_duration(3725) == "1:02:05");
  CHECK(train::format_duration(-1) == "0:00");
}

TEST_CASE("progress to a file prints plain periodic lines and the last one") {
  std::FILE* f = std::tmpfile();
  REQUIRE(f != nullptr);
  train::ProgressBar bar(f, 10.0);
  CHECK(!bar.live());
  train::Progress p;
  p.last_step = 3;
  for (Index s = 1; s <= 3; ++s) {
    p.step = s;
    p.seconds = static_cast<double>(s);  // 1 s apart: only the first and the last print
    bar.update(p);
  }
  std::rewind(f);
  char buf[256];
  int lines = 0;
  std::string last;
  while (std::fgets(buf, sizeof buf, f)) {
    ++lines;
    last = buf;
  }
  std::fclose(f);
  CHECK(lines == 2);
  CHECK(last.rfind("step 3/3 100%", 0) == 0);
}
