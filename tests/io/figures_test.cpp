#include "gan/io/figures.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <fstream>
#include <vector>

#include "data/temp_dir.hpp"
#include "gan/core/rng.hpp"
#include "gan/data/toy.hpp"
#include "gan/io/png.hpp"
#include "io/path_scope.hpp"

using gan::Tensor;
using gan::io::FigureOptions;
using gan::test::error_of;
using gan::test::TempDir;

namespace {

bool has_gnuplot() {
  return !gan::io::find_program("gnuplot").empty();
}

void write_log(const std::filesystem::path& p) {
  std::ofstream out(p);
  out << "step,d_loss,g_loss,seconds\n";
  for (int s = 1; s <= 200; ++s)
    out << s << ',' << 1.4 * std::exp(-s / 80.0) + 0.1 << ',' << 0.7 + 0.3 * std::sin(s / 9.0)
        << ',' << 0.01 * s << '\n';
}

struct Fixture {
  TempDir dir;
  Tensor<float> real, fake, real1, fake1;
  std::vector<double> x, d;
  Fixture() {
    gan::Rng rng(1, gan::Stream::data);
    real = gan::data::sample_mixture<float>(gan::data::ring8(), 500, rng);
    fake = gan::data::sample_mixture<float>(gan::data::ring8(), 500, rng);
    for (float& v : fake.span()) v *= 1.1f;
    real1 = gan::data::sample_mixture<float>(gan::data::gauss1d(), 2000, rng);
    fake1 = gan::data::sample_mixture<float>(gan::data::gauss1d(), 2000, rng);
    for (float& v : fake1.span()) v -= 0.8f;
    for (int i = 0; i <= 100; ++i) {
      x.push_back(1.0 + 0.06 * i);
      d.push_back(1.0 / (1.0 + std::exp(-3.0 * (x.back() - 3.6))));
    }
    write_log(dir / "log.csv");
  }
};

}  // namespace

TEST_CASE("with gnuplot, each figure is a PNG of the asked size") {
  if (!has_gnuplot()) {
    MESSAGE("gnuplot is not installed (apt-get install gnuplot-nox): skipped");
    return;
  }
  Fixture f;
  FigureOptions o{.width = 640, .height = 480, .title = "ring8: real vs generated"};
  auto scatter =
      gan::io::scatter_figure<float>(f.dir / "scatter.png", f.real.view(), f.fake.view(), o);
  CHECK(scatter.drawn);
  o.width = 500;
  o.height = 400;
  o.title = "gauss1d";
  auto one_d = gan::io::gan_1d_figure<float>(f.dir / "1d.png", f.real1.view(), f.fake1.view(), f.x,
                                             f.d, 40, o);
  CHECK(one_d.drawn);
  o.width = 720;
  o.height = 360;
  o.title = "losses";
  auto loss = gan::io::loss_figure(f.dir / "loss.png", f.dir / "log.csv", {}, o);
  CHECK(loss.drawn);
  CHECK(loss.message == "figure " + (f.dir / "loss.png").string() + " drawn");
  struct Expect {
    const char* file;
    gan::Index w, h;
  };
  for (Expect e : {Expect{"scatter.png", 640, 480}, Expect{"1d.png", 500, 400},
                   Expect{"loss.png", 720, 360}}) {
    CAPTURE(e.file);
    gan::io::Image im = gan::io::read_png(f.dir / e.file);
    CHECK(im.width == e.w);
    CHECK(im.height == e.h);
    // Not a blank page: some pixels are not the background.
    std::uint8_t lo = 255;
    for (std::uint8_t p : im.pixels) lo = std::min(lo, p);
    CHECK(lo < 128);
  }
}

TEST_CASE("without gnuplot, each figure returns a one-line note instead") {
  Fixture f;
  gan::test::PathScope no_programs(f.dir.path().string());  // a PATH without gnuplot
  std::string note = " not drawn: gnuplot not found on PATH (apt-get install gnuplot-nox)";
  auto a = gan::io::scatter_figure<float>(f.dir / "a.png", f.real.view(), f.fake.view());
  CHECK_FALSE(a.drawn);
  CHECK(a.message == "figure " + (f.dir / "a.png").string() + note);
  auto b = gan::io::gan_1d_figure<float>(f.dir / "b.png", f.real1.view(), f.fake1.view(), f.x, f.d);
  CHECK_FALSE(b);
  CHECK(b.message == "figure " + (f.dir / "b.png").string() + note);
  auto c = gan::io::loss_figure(f.dir / "c.png", f.dir / "log.csv");
  CHECK_FALSE(c);
  CHECK(c.message == "figure " + (f.dir / "c.png").string() + note);
  CHECK_FALSE(std::filesystem::exists(f.dir / "a.png"));
}

TEST_CASE("figures check their input before drawing") {
  Fixture f;
  auto out = f.dir / "x.png";
  std::string name = out.string();
  CHECK(error_of([&] { gan::io::scatter_figure<float>(out, f.real1.view(), f.fake.view()); }) ==
        "figure " + name + ": real points 2000x1: expected N x 2 with N >= 1");
  std::vector<double> x3 = {1, 2, 3}, d2 = {0.1, 0.2};
  CHECK(error_of([&] {
          gan::io::gan_1d_figure<float>(out, f.real1.view(), f.fake1.view(), x3, d2);
        }) == "figure " + name +
                  ": D(x) given at 3 points with 2 values: expected as many of"
                  " each, at least 2");
  std::vector<double> down = {2, 1};
  CHECK(error_of([&] {
          gan::io::gan_1d_figure<float>(out, f.real1.view(), f.fake1.view(), down, d2);
        }) == "figure " + name + ": D(x) point 1: expected finite values at increasing x");
  std::string log = (f.dir / "log.csv").string();
  CHECK(error_of([&] {
          gan::io::loss_figure(out, f.dir / "log.csv", {"d_loss", "k_t"});
        }) == log + ": no column 'k_t' in the header (step, d_loss, g_loss, seconds)");
  std::ofstream(f.dir / "nostep.csv") << "iter,d_loss\n1,0.5\n";
  CHECK(error_of([&] { gan::io::loss_figure(out, f.dir / "nostep.csv"); }) ==
        (f.dir / "nostep.csv").string() + ": no column 'step' in the header (iter, d_loss)");
  CHECK(error_of([&] { gan::io::loss_figure(out, f.dir / "log.csv", {}, {.width = 8}); }) ==
        "figure " + name + ": size 8x600: expected 16 to 16384 pixels each way");
}

TEST_CASE("a gnuplot that fails is an error, not a note") {
  if (!has_gnuplot()) {
    MESSAGE("gnuplot is not installed: skipped");
    return;
  }
  Fixture f;
  auto out = f.dir / "no-such-dir" / "x.png";
  std::string message = error_of([&] { gan::io::loss_figure(out, f.dir / "log.csv"); });
  CHECK(message.find("gnuplot failed (exit status 1): ") != std::string::npos);
  CHECK(message.find("no-such-dir") != std::string::npos);  // gnuplot's own words on the output
}
