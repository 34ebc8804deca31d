// libFuzzer target: the CSV readers (raw or gzip) on one file — the table as a training log
// reads it, and data sets under a few option sets, with and without a label column.
#include <cstddef>
#include <cstdint>

#include "gan/data/csv.hpp"
#include "gan/data/csv_table.hpp"
#include "refusal.hpp"
#include "scratch_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using gan::data::CsvHeader;
  using gan::data::CsvOptions;
  using gan::data::Scaling;
  static gan::fuzz::ScratchFile input("csv");
  static const CsvOptions option_sets[] = {
      {},
      {CsvHeader::present, -1, 0, Scaling::min_max},
      {CsvHeader::absent, 0, 3, Scaling::standardize},
      {CsvHeader::detect, 1, 0, Scaling::pixels},
  };
  const auto& path = input.write(data, size);
  gan::fuzz::accepts([&] { gan::data::read_csv_table(path, CsvHeader::detect, true); });
  for (const CsvOptions& options : option_sets)
    gan::fuzz::accepts([&] { gan::data::read_csv<float>(path, options); });
  return 0;
}
