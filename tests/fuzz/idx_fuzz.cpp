// libFuzzer target: the IDX readers (raw or gzip, told apart by the data) on one file —
// as images, as labels and as a data set, unlabeled and labeled.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "gan/data/idx.hpp"
#include "gan/data/idx_dataset.hpp"
#include "refusal.hpp"
#include "scratch_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static gan::fuzz::ScratchFile input("idx");
  static gan::fuzz::ScratchFile images_file("idx-images");
  const auto& path = input.write(data, size);
  gan::fuzz::accepts([&] { gan::data::read_idx_images(path); });
  gan::fuzz::accepts([&] { gan::data::load_idx_dataset<float>("fuzz", path); });
  std::vector<std::int32_t> labels;
  if (gan::fuzz::accepts([&] { labels = gan::data::read_idx_labels(path); })) {
    // Labels that read: paired with as many 1×1 images, checked against 10 classes.
    gan::data::IdxImages images;
    images.count = static_cast<gan::Index>(labels.size());
    images.rows = images.cols = 1;
    images.pixels.assign(labels.size(), 128);
    gan::data::write_idx_images(images_file.path(), images);
    gan::fuzz::accepts(
        [&] { gan::data::load_idx_dataset<float>("fuzz", images_file.path(), path, 10); });
  }
  return 0;
}
