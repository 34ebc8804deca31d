// libFuzzer target: the checkpoint reader — the leading texts read without a model, and
// a whole load into a fixed state. Each input is tried as given and once more with its
// last four bytes replaced by the right CRC-32, so that mutations get past the checksum
// to the entries behind it.
#include <zlib.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "checkpoint_state.hpp"
#include "gan/io/checkpoint.hpp"
#include "refusal.hpp"
#include "scratch_file.hpp"

namespace {

void read_both_ways(const std::uint8_t* data, std::size_t size) {
  static gan::fuzz::ScratchFile input("checkpoint");
  static gan::fuzz::CheckpointState state;
  const auto& path = input.write(data, size);
  gan::fuzz::accepts([&] { gan::io::read_checkpoint_texts(path); });
  gan::fuzz::accepts([&] { gan::io::load_checkpoint(state, path); });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  read_both_ways(data, size);
  if (size >= 4) {
    std::vector<std::uint8_t> fixed(data, data + size);
    auto crc = static_cast<std::uint32_t>(crc32(0L, fixed.data(), static_cast<uInt>(size - 4)));
    std::memcpy(fixed.data() + size - 4, &crc, 4);
    read_both_ways(fixed.data(), fixed.size());
  }
  return 0;
}
