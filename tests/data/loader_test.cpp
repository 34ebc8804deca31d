#include "gan/data/loader.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <numeric>
#include <vector>

#include "data/allocation_probe.hpp"

using gan::Tensor;
using gan::core::features;
using gan::data::Dataset;
using gan::data::LastBatch;
using gan::data::Loader;
using gan::data::LoaderCursor;
using gan::data::LoaderOptions;

namespace {

// n samples of 3 features; sample i holds (i, 10i, 100i) and label i mod 4.
Dataset<float> numbered(gan::Index n) {
  Tensor<float> x(features(n, 3));
  std::vector<std::int32_t> labels(static_cast<std::size_t>(n));
  for (gan::Index i = 0; i < n; ++i) {
    x(i, 0) = static_cast<float>(i);
    x(i, 1) = static_cast<float>(10 * i);
    x(i, 2) = static_cast<float>(100 * i);
    labels[static_cast<std::size_t>(i)] = static_cast<std::int32_t>(i % 4);
  }
  return Dataset<float>("numbered", std::move(x), std::move(labels), 4);
}

// The sample ids of a batch, checking that every row and label belong to that sample.
std::vector<gan::Index> ids(const gan::LabeledBatch<float>& b) {
  std::vector<gan::Index> v;
  for (gan::Index r = 0; r < b.x.n(); ++r) {
    auto i = static_cast<gan::Index>(b.x(r, 0));
    CHECK(b.x(r, 1) == 10.0f * static_cast<float>(i));
    CHECK(b.x(r, 2) == 100.0f * static_cast<float>(i));
    CHECK(b.labels[static_cast<std::size_t>(r)] == i % 4);
    v.push_back(i);
  }
  return v;
}

std::vector<gan::Index> draw(Loader<float>& l, int batches) {
  std::vector<gan::Index> all;
  for (int k = 0; k < batches; ++k) {
    auto v = ids(l.next());
    all.insert(all.end(), v.begin(), v.end());
  }
  return all;
}

bool is_permutation_of_range(std::vector<gan::Index> v, gan::Index n) {
  std::sort(v.begin(), v.end());
  std::vector<gan::Index> r(static_cast<std::size_t>(n));
  std::iota(r.begin(), r.end(), gan::Index(0));
  return v == r;
}

}  // namespace

TEST_CASE("drop: each epoch gives distinct samples in full batches, then a new order") {
  auto data = numbered(10);
  Loader<float> l(data, {.batch = 3, .seed = 42});
  CHECK(l.batches_per_epoch() == 3);
  std::vector<gan::Index> e0 = draw(l, 3);
  CHECK(l.cursor() == LoaderCursor{1, 0});  // the leftover sample is skipped
  std::vector<gan::Index> e1 = draw(l, 3);
  std::vector<gan::Index> s0 = e0, s1 = e1;
  std::sort(s0.begin(), s0.end());
  std::sort(s1.begin(), s1.end());
  CHECK(std::adjacent_find(s0.begin(), s0.end()) == s0.end());
  CHECK(std::adjacent_find(s1.begin(), s1.end()) == s1.end());
  CHECK(e0 != e1);  // reshuffled
  // With N a multiple of B, every sample comes exactly once per epoch.
  auto twelve = numbered(12);
  Loader<float> m(twelve, {.batch = 4, .seed = 1});
  for (int epoch = 0; epoch < 3; ++epoch) {
    CHECK(is_permutation_of_range(draw(m, 3), 12));
    CHECK(m.cursor() == LoaderCursor{static_cast<std::uint64_t>(epoch + 1), 0});
  }
}

TEST_CASE("wrap: the last batch borrows from the next epoch, and no sample is skipped") {
  auto data = numbered(10);
  Loader<float> l(data, {.batch = 4, .seed = 7, .last = LastBatch::wrap});
  std::vector<gan::Index> all = draw(l, 5);  // 20 samples: exactly two epochs
  CHECK(l.cursor() == LoaderCursor{2, 0});
  CHECK(is_permutation_of_range({all.begin(), all.begin() + 10}, 10));
  CHECK(is_permutation_of_range({all.begin() + 10, all.end()}, 10));
  // The orders are those of epochs 0 and 1.
  std::vector<gan::Index> order(10);
  l.epoch_order(1, order);
  CHECK(std::vector<gan::Index>(all.begin() + 10, all.end()) == order);
}

TEST_CASE("the order is a function of (seed, epoch) alone") {
  auto data = numbered(50);
  Loader<float> a(data, {.batch = 5, .seed = 9});
  Loader<float> b(data, {.batch = 7, .seed = 9});
  Loader<float> c(data, {.batch = 5, .seed = 10});
  std::vector<gan::Index> oa(50), ob(50), oc(50), oa1(50);
  a.epoch_order(3, oa);
  b.epoch_order(3, ob);
  c.epoch_order(3, oc);
  a.epoch_order(4, oa1);
  CHECK(oa == ob);   // batch size does not matter
  CHECK(oa != oc);   // the seed does
  CHECK(oa != oa1);  // and the epoch
  CHECK(is_permutation_of_range(oa, 50));
  Loader<float> plain(data, {.batch = 5, .seed = 9, .shuffle = false});
  std::vector<gan::Index> first = draw(plain, 2);
  CHECK(first == std::vector<gan::Index>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
}

TEST_CASE("a loader resumed from a saved cursor yields the same batches") {
  auto data = numbered(23);
  for (LastBatch last : {LastBatch::drop, LastBatch::wrap}) {
    CAPTURE(static_cast<int>(last));
    LoaderOptions o{.batch = 5, .seed = 123, .last = last};
    Loader<float> a(data, o);
    draw(a, 7);  // past the first epoch
    LoaderCursor saved = a.cursor();
    CHECK(saved.epoch >= 1);
    std::vector<gan::Index> rest = draw(a, 9);
    Loader<float> b(data, o);
    b.seek(saved);
    CHECK(draw(b, 9) == rest);
    CHECK(b.cursor() == a.cursor());
  }
}

TEST_CASE("next() allocates nothing after construction") {
  auto data = numbered(37);
  Loader<float> l(data, {.batch = 8, .seed = 5, .last = LastBatch::wrap});
  l.next();
  long long aligned = gan::core::allocation_count();
  gan::test::probe::reset();
  for (int k = 0; k < 100; ++k) l.next();  // many epochs, both kinds of batch
  long long news = gan::test::probe::count();
  CHECK(news == 0);
  CHECK(gan::core::allocation_count() == aligned);
}

TEST_CASE("a loader checks its batch size and cursors") {
  auto data = numbered(6);
  CHECK_THROWS_WITH_AS(Loader<float>(data, {.batch = 7}),
                       "loader for numbered: batch size 7 is larger than the data set's 6 samples",
                       gan::Error);
  CHECK_THROWS_WITH_AS(Loader<float>(data, {.batch = 0}),
                       "loader for numbered: batch size 0: expected >= 1", gan::Error);
  Loader<float> l(data, {.batch = 4});
  CHECK_THROWS_WITH_AS(l.seek({0, 7}), "loader for numbered: cursor position 7: expected 0 to 6",
                       gan::Error);
  l.seek({3, 3});  // drop: 3 left is less than a batch, so epoch 4 starts
  CHECK(l.cursor() == LoaderCursor{4, 0});
  Dataset<float> unlabeled("u", Tensor<float>(features(4, 2)));
  Loader<float> u(unlabeled, {.batch = 2});
  CHECK(u.next().labels.empty());
}
