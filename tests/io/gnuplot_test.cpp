#include "gan/io/gnuplot.hpp"

#include <doctest/doctest.h>

#include <filesystem>

#include "data/temp_dir.hpp"
#include "io/path_scope.hpp"

using gan::io::find_program;
using gan::io::Gnuplot;

TEST_CASE("find_program searches PATH, or takes a path as given") {
  gan::test::TempDir dir;
  auto tool = dir / "tool";
  gan::test::write_bytes(tool, {'#', '!', '/', 'b', 'i', 'n', '/', 's', 'h', '\n'});
  std::filesystem::permissions(tool, std::filesystem::perms::owner_all);
  auto plain = dir / "plain";
  gan::test::write_bytes(plain, {'x'});
  {
    gan::test::PathScope scope("/nonexistent::" + dir.path().string());
    CHECK(find_program("tool") == tool);
    CHECK(find_program("plain").empty());  // not executable
    CHECK(find_program("missing").empty());
  }
  CHECK(find_program(tool.string()) == tool);
  CHECK(find_program((dir / "missing").string()).empty());
}

TEST_CASE("gnuplot_quote doubles single quotes") {
  CHECK(gan::io::gnuplot_quote("a/b c.png") == "'a/b c.png'");
  CHECK(gan::io::gnuplot_quote("it's") == "'it''s'");
}

TEST_CASE("a gnuplot job reports a failing program with its exit status and messages") {
  // sh stands in for gnuplot: the job runs "PROGRAM SCRIPT", so the script is shell.
  Gnuplot sh("sh");
  REQUIRE(sh.available());
  auto dir = sh.file("x").parent_path();
  CHECK(std::filesystem::is_directory(dir));
  CHECK_NOTHROW(sh.run("exit 0\n"));
  std::string message =
      gan::test::error_of([&] { sh.run("echo 'line 1: bad command' >&2; exit 3\n"); });
  CHECK(message.ends_with("sh failed (exit status 3): line 1: bad command"));
  CHECK(gan::test::error_of([&] {
          sh.run("kill -9 $$\n");
        }).ends_with("sh was stopped by signal 9: "));
  Gnuplot none("/nonexistent/gnuplot");
  CHECK_FALSE(none.available());
  {
    Gnuplot scoped("sh");
    dir = scoped.file("x").parent_path();
  }
  CHECK_FALSE(std::filesystem::exists(dir));  // removed with the job
}
