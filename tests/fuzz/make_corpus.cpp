// Writes the fuzz targets' seed corpora: small valid files made by the library's own
// writers (and zlib for a two-member gzip file), one folder per target.
//   make_corpus <corpus folder>     (tests/fuzz/corpus in the source tree)
#include <zlib.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "checkpoint_state.hpp"
#include "gan/data/csv.hpp"
#include "gan/data/idx.hpp"
#include "gan/io/checkpoint.hpp"

namespace fs = std::filesystem;

namespace {

void write_text(const fs::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

// The same bytes as two gzip members, one after the other (RFC 1952 allows many).
void write_two_members(const fs::path& path, const std::string& first, const std::string& second) {
  fs::remove(path);
  for (const std::string* part : {&first, &second}) {
    gzFile f = gzopen(path.c_str(), "ab");
    GAN_CHECK(f != nullptr && gzwrite(f, part->data(), static_cast<unsigned>(part->size())) ==
                                  static_cast<int>(part->size()) && gzclose(f) == Z_OK,
              path.string(), ": cannot write");
  }
}

void make_idx(const fs::path& dir) {
  gan::data::IdxImages images;
  images.count = 2;
  images.rows = 3;
  images.cols = 2;
  for (int k = 0; k < 12; ++k) images.pixels.push_back(static_cast<std::uint8_t>(20 * k + 3));
  gan::data::write_idx_images(dir / "images-2x3x2.idx", images);
  gan::data::write_idx_images(dir / "images-2x3x2.idx.gz", images);
  images.count = 0;
  images.pixels.clear();
  gan::data::write_idx_images(dir / "images-empty.idx", images);
  const std::vector<std::int32_t> labels = {3, 0, 9};
  gan::data::write_idx_labels(dir / "labels-3.idx", labels);
  gan::data::write_idx_labels(dir / "labels-3.idx.gz", labels);
  std::string header("\0\0\x08\x01\0\0\0\x04", 8);
  write_two_members(dir / "labels-4-two-members.idx.gz", header + "\x01\x02", "\x03\x04");
}

void make_csv(const fs::path& dir) {
  write_text(dir / "header-label.csv", "x,y,label\n0.5,-1.25,0\n2e3,+7,1\n-0.0,1e-3,2\n");
  write_text(dir / "no-header.csv", "1,2,3\n4,5,6\n");
  write_text(dir / "crlf-blank.csv", "a, b\r\n\r\n 1 ,2\r\n3,\t4\r\n");
  write_text(dir / "log-empty-fields.csv", "step,loss,fid\n1,0.7,\n2,0.6,31.5\n");
  write_two_members(dir / "gzip.csv.gz", "x0,x1\n0.25,1\n", "-3,4.5\n");
}

void make_checkpoint(const fs::path& dir) {
  gan::fuzz::CheckpointState state;
  gan::io::save_checkpoint(state, dir / "state.gan");
  state.variant = "began with a longer description";
  state.data = "";
  state.epoch = 7;
  gan::io::save_checkpoint(state, dir / "state-texts.gan");
  // Only the leading texts: what read_checkpoint_texts reads, nothing a model takes.
  gan::io::CheckpointWriter w("");
  std::string variant = "wgan-gp";
  w.text("variant", variant);
  gan::io::write_file_atomically(dir / "texts-only.gan", w.finish());
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s <corpus folder>\n", argv[0]);
    return 2;
  }
  const fs::path root = argv[1];
  for (const char* target : {"idx", "csv", "checkpoint"}) fs::create_directories(root / target);
  make_idx(root / "idx");
  make_csv(root / "csv");
  make_checkpoint(root / "checkpoint");
  return 0;
}
