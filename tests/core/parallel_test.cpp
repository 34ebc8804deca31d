#include "gan/core/parallel.hpp"

#include <doctest/doctest.h>

#include <span>
#include <vector>

TEST_CASE("split_range covers the range once, in grains") {
  for (gan::Index total : {0, 1, 7, 64, 100}) {
    for (int parts : {1, 2, 3}) {
      gan::Index covered = 0, expect_begin = 0;
      for (int p = 0; p < parts; ++p) {
        auto r = gan::core::split_range(total, p, parts, 4);
        CHECK(r.begin == expect_begin);
        CHECK(r.end >= r.begin);
        if (r.end < total) CHECK(r.end % 4 == 0);
        covered += r.end - r.begin;
        expect_begin = r.end;
      }
      CHECK(covered == total);
    }
  }
}

TEST_CASE("thread count control") {
  int before = gan::num_threads();
  {
    gan::core::ThreadScope scope(1);
    CHECK(gan::num_threads() == 1);
  }
  CHECK(gan::num_threads() == before);
  CHECK_THROWS_WITH_AS(gan::set_num_threads(0), "thread count must be at least 1, got 0",
                       gan::Error);
}

TEST_CASE("parallel_fill sets its span and nothing around it, on one thread or two") {
  for (int threads : {1, 2}) {
    gan::core::ThreadScope scope(threads);
    // Short (one thread) and long (split) spans, starting off a cache line.
    for (gan::Index n : {gan::Index(0), gan::Index(5), gan::core::parallel_fill_min + 3}) {
      CAPTURE(threads);
      CAPTURE(n);
      std::vector<float> v(static_cast<std::size_t>(n + 4), 1.0f);
      gan::core::parallel_fill(std::span<float>(v.data() + 3, static_cast<std::size_t>(n)), 0.5f);
      gan::Index wrong = 0;
      for (gan::Index i = 0; i < n + 4; ++i)
        wrong += v[static_cast<std::size_t>(i)] != (i >= 3 && i < n + 3 ? 0.5f : 1.0f);
      CHECK(wrong == 0);
    }
  }
}
