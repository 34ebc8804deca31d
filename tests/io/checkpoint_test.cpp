#include "gan/io/checkpoint.hpp"

#include <doctest/doctest.h>
#include <sys/resource.h>

#include <csignal>

#include <filesystem>
#include <fstream>
#include <span>
#include <vector>

#include "gan/variants.hpp"

using namespace gan;
namespace fs = std::filesystem;

namespace {
using G = net::MlpGenerator<float, layer::Identity>;
using D = net::MlpDiscriminator<float>;
using Model = BEGAN<G, net::MlpAutoencoder<float>>;

Model make(std::uint64_t seed = 3) {
  auto o = Model::default_options();
  o.seed = seed;
  o.ema_decay = 0.9;
  return Model(G(4, 16, 3), net::MlpAutoencoder<float>(3, 16, 4), o);
}

void train(Model& m, int steps, Rng& data) {
  Tensor<float> x(core::features(16, 3));
  for (int i = 0; i < steps; ++i) {
    data.fill_normal(x.span(), 0.5, 0.2);
    m.step(x.view());
  }
}

std::vector<unsigned char> bytes_of(const fs::path& p) {
  return io::read_file(p);
}

// Two arrays around an empty one that has no storage at all.
struct EmptyArrayState {
  std::vector<float> before{1.5f, -2.0f};
  std::span<float> none;  // data() is null
  std::vector<double> after{3.25};
  template <class V>
  void visit_state(V& v) {
    v.array("before", std::span<float>(before));
    v.array("none", none);
    v.array("after", std::span<double>(after));
  }
};

fs::path scratch_dir() {
  fs::path d = fs::temp_directory_path() / "gan_checkpoint_test";
  fs::create_directories(d);
  return d;
}
}  // namespace

TEST_CASE("a checkpoint restores training bit for bit") {
  const fs::path dir = scratch_dir();
  Rng data_a(1, Stream::data);
  Model straight = make();
  train(straight, 12, data_a);

  Rng data_b(1, Stream::data);
  Model first = make();
  train(first, 6, data_b);
  io::save_checkpoint(first, dir / "half.gan");
  Model resumed = make(99);  // other seed: everything must come from the file
  io::load_checkpoint(resumed, dir / "half.gan");
  CHECK(resumed.steps() == 6);
  train(resumed, 6, data_b);

  io::save_checkpoint(straight, dir / "straight.gan");
  io::save_checkpoint(resumed, dir / "resumed.gan");
  CHECK(bytes_of(dir / "straight.gan") == bytes_of(dir / "resumed.gan"));
  CHECK(resumed.loss().k() == straight.loss().k());
}

TEST_CASE("damaged checkpoints are refused with the file and the reason") {
  const fs::path dir = scratch_dir();
  Model m = make();
  io::save_checkpoint(m, dir / "good.gan");
  std::vector<unsigned char> good = bytes_of(dir / "good.gan");
  auto write = [&](const char* name, const std::vector<unsigned char>& b) {
    std::ofstream(dir / name, std::ios::binary)
        .write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
    return (dir / name).string();
  };
  auto fails_with = [&](const std::string& file, const std::string& fragment) {
    Model target = make();
    std::vector<float> before(target.generator().parameters().begin(),
                              target.generator().parameters().end());
    try {
      io::load_checkpoint(target, file);
      FAIL("loaded a bad checkpoint: " << file);
    } catch (const Error& e) {
      std::string what = e.what();
      CHECK_MESSAGE(what.find(file) != std::string::npos, what);
      CHECK_MESSAGE(what.find(fragment) != std::string::npos, what);
    }
    CHECK(std::equal(before.begin(), before.end(), target.generator().parameters().begin()));
  };

  auto flipped = good;
  flipped[flipped.size() / 2] ^= 0x40;
  fails_with(write("flipped.gan", flipped), "checksum mismatch");
  fails_with(write("truncated.gan", {good.begin(), good.begin() + good.size() / 3}),
             "checksum mismatch");
  fails_with(write("tiny.gan", {good.begin(), good.begin() + 10}), "not a checkpoint");
  auto magic = good;
  magic[0] = 'X';
  fails_with(write("magic.gan", magic), "magic number");
  fails_with((dir / "missing.gan").string(), "cannot read");

  // Another architecture: same policies, wider networks.
  auto o = Model::default_options();
  o.ema_decay = 0.9;
  Model wide(G(4, 32, 3), net::MlpAutoencoder<float>(3, 16, 4), o);
  io::save_checkpoint(wide, dir / "wide.gan");
  fails_with((dir / "wide.gan").string(), "another architecture");
}

TEST_CASE("a failed write leaves the previous checkpoint intact") {
  const fs::path dir = scratch_dir();
  Model m = make();
  io::save_checkpoint(m, dir / "keep.gan");
  std::vector<unsigned char> before = bytes_of(dir / "keep.gan");
  CHECK_THROWS_AS(io::save_checkpoint(m, fs::path("/nonexistent-folder/x.gan")), Error);
  // A full disk: a file size limit below the checkpoint's size makes the write fail
  // (EFBIG, with SIGXFSZ ignored) as a full disk would.
  {
    struct rlimit saved;
    REQUIRE(getrlimit(RLIMIT_FSIZE, &saved) == 0);
    auto old_handler = std::signal(SIGXFSZ, SIG_IGN);
    struct rlimit small = saved;
    small.rlim_cur = 1000;
    REQUIRE(setrlimit(RLIMIT_FSIZE, &small) == 0);
    std::string message;
    try {
      io::save_checkpoint(m, dir / "keep.gan");
    } catch (const Error& e) {
      message = e.what();
    }
    setrlimit(RLIMIT_FSIZE, &saved);
    std::signal(SIGXFSZ, old_handler);
    CHECK(message.find("keep.gan: write failed") != std::string::npos);
    CHECK(!fs::exists(dir / "keep.gan.tmp"));
  }
  Rng data(2, Stream::data);
  train(m, 2, data);
  CHECK(bytes_of(dir / "keep.gan") == before);
}

TEST_CASE("an empty array entry, with no storage behind it, round-trips") {
  // Regression (found by tests/fuzz/checkpoint_fuzz, corpus file regression-empty-array):
  // the reader copied an empty array with memcpy to its null data pointer, undefined
  // behaviour that UBSan reports on every MLP model (their buffers are empty).
  REQUIRE(EmptyArrayState{}.none.data() == nullptr);
  EmptyArrayState saved;
  io::CheckpointWriter w("empty");
  saved.visit_state(w);
  EmptyArrayState loaded;
  loaded.before = {0, 0};
  loaded.after = {0};
  io::CheckpointReader r(w.finish(), "empty.gan", "empty");
  loaded.visit_state(r);
  r.finish();
  CHECK(loaded.before == saved.before);
  CHECK(loaded.after == saved.after);
}
