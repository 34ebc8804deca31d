// Loader: fixed-size batches of a Dataset, in an order reshuffled every epoch, with a
// cursor of two integers so that a checkpoint resumes the data stream exactly.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <numeric>
#include <span>
#include <vector>

#include "gan/core/error.hpp"
#include "gan/core/rng.hpp"
#include "gan/core/tensor.hpp"
#include "gan/data/dataset.hpp"
#include "gan/batch.hpp"

namespace gan::data {

/// What happens at the end of an epoch whose sample count N is not a multiple of the
/// batch size B.
enum class LastBatch {
  /// The N mod B samples left over are skipped: each batch comes from one epoch, and each
  /// epoch leaves out a different few (the order is reshuffled). As PyTorch's drop_last.
  drop,
  /// The last batch is completed with the first samples of the next epoch's order: no
  /// sample is ever left out, and the next epoch starts part-way into its order.
  wrap,
};

/// How a Loader draws batches.
struct LoaderOptions {
  Index batch = 64;
  /// Seed of the shuffle stream (Stream::shuffle).
  std::uint64_t seed = 0;
  /// false: every epoch in the data set's order.
  bool shuffle = true;
  LastBatch last = LastBatch::drop;
};

/// Where a loader stands: the epoch, and how many samples of that epoch's order are used.
/// With the loader's options it determines every batch to come.
struct LoaderCursor {
  std::uint64_t epoch = 0;
  Index position = 0;
  friend bool operator==(const LoaderCursor&, const LoaderCursor&) = default;
};

/// Batches of B samples (and their labels, when the data set has them) from a Dataset
/// that must outlive the loader. The order of epoch e is a permutation drawn from
/// (seed, e) alone, so a loader restored with seek(cursor) yields exactly the batches the
/// saved one would have. All buffers are allocated on construction: next() allocates
/// nothing. The returned batch views the loader's buffers until the next call.
template <class T>
class Loader {
 public:
  Loader(const Dataset<T>& data, const LoaderOptions& options) : m_data(&data), m_options(options) {
    Index n = data.size();
    GAN_CHECK(options.batch >= 1, "loader for ", data.name(), ": batch size ", options.batch,
              ": expected >= 1");
    GAN_CHECK(options.batch <= n, "loader for ", data.name(), ": batch size ", options.batch,
              " is larger than the data set's ", n, " samples");
    m_order.resize(static_cast<std::size_t>(n));
    m_x.resize(data.shape().with_batch(options.batch));
    m_labels.resize(data.labeled() ? static_cast<std::size_t>(options.batch) : 0);
    epoch_order(0, m_order);
  }
  /// A loader keeps a pointer to its data set: a temporary would dangle.
  Loader(const Dataset<T>&&, const LoaderOptions&) = delete;

  /// The next batch: x (B×C×H×W) and labels (B, or empty when unlabeled).
  LabeledBatch<T> next() {
    Index n = m_data->size(), b = m_options.batch;
    ensure_order(m_cursor.epoch);
    Index take = std::min(b, n - m_cursor.position);
    gather(m_cursor.position, take, 0);
    m_cursor.position += take;
    if (take < b) {  // LastBatch::wrap: finish with the next epoch's first samples
      ensure_order(++m_cursor.epoch);
      gather(0, b - take, take);
      m_cursor.position = b - take;
    }
    normalize();
    return {m_x.view(), std::span<const std::int32_t>(m_labels)};
  }

  /// Where the next batch starts.
  const LoaderCursor& cursor() const { return m_cursor; }
  /// Continues from a saved cursor. Throws gan::Error for a position outside [0, N].
  void seek(const LoaderCursor& c) {
    GAN_CHECK(c.position >= 0 && c.position <= m_data->size(), "loader for ", m_data->name(),
              ": cursor position ", c.position, ": expected 0 to ", m_data->size());
    m_cursor = c;
    normalize();
  }

  const LoaderOptions& options() const { return m_options; }
  /// Full batches that start in one epoch (with wrap, some epochs start one more).
  Index batches_per_epoch() const { return m_data->size() / m_options.batch; }

  /// The order of epoch `epoch`: out (N values) ← a permutation of 0 … N−1, drawn by
  /// Fisher–Yates from the shuffle stream of the seed starting at block epoch·2⁴⁰, so that
  /// no two epochs share random numbers (for N below 2⁴¹); the identity when not shuffling.
  void epoch_order(std::uint64_t epoch, std::span<Index> out) const {
    GAN_CHECK(static_cast<Index>(out.size()) == m_data->size(), "loader for ", m_data->name(),
              ": order of ", out.size(), " values for ", m_data->size(), " samples");
    std::iota(out.begin(), out.end(), Index(0));
    if (!m_options.shuffle) return;
    core::RngState state;
    state.seed = m_options.seed;
    state.stream = static_cast<std::uint64_t>(Stream::shuffle);
    state.block = epoch << 40;
    Rng rng(state);
    rng.shuffle(out);
  }

 private:
  // Makes m_order hold epoch e's order (computed once per epoch, in place).
  void ensure_order(std::uint64_t e) {
    if (m_order_epoch == e) return;
    epoch_order(e, m_order);
    m_order_epoch = e;
  }

  // Copies samples m_order[first … first+count) into batch rows [row, row+count).
  void gather(Index first, Index count, Index row) {
    ConstView<T> x = m_data->samples();
    Index f = x.features();
    auto labels = m_data->labels();
    for (Index k = 0; k < count; ++k) {
      Index s = m_order[static_cast<std::size_t>(first + k)];
      if (f > 0) std::memcpy(m_x.view().sample(row + k), x.sample(s), sizeof(T) * f);
      if (!m_labels.empty())
        m_labels[static_cast<std::size_t>(row + k)] = labels[static_cast<std::size_t>(s)];
    }
  }

  // Moves an exhausted epoch's cursor to the start of the next one.
  void normalize() {
    Index left = m_data->size() - m_cursor.position;
    if (left == 0 || (m_options.last == LastBatch::drop && left < m_options.batch)) {
      ++m_cursor.epoch;
      m_cursor.position = 0;
    }
  }

  const Dataset<T>* m_data;
  LoaderOptions m_options;
  LoaderCursor m_cursor;
  std::vector<Index> m_order;  // (N) order of epoch m_order_epoch
  std::uint64_t m_order_epoch = 0;
  Tensor<T> m_x;                       // (B, C, H, W) or (B, F)
  std::vector<std::int32_t> m_labels;  // (B) or empty
};

}  // namespace gan::data
