// gan: train a GAN variant on a data set and leave pictures, metrics and a checkpoint;
// sample from a checkpoint; score samples from anywhere. `gan --help` for the commands.
//
// Exit status: 0 success, 1 a runtime failure (missing file, bad data, divergence), 2 a
// mistake on the command line. Every failure prints one line saying what was wrong.
#include <csignal>
#include <cstdio>
#include <exception>
#include <new>
#include <string>

#include "cli.hpp"
#include "commands.hpp"

namespace {

const char* usage =
    "usage: gan COMMAND [OPTIONS]\n"
    "\n"
    "commands:\n"
    "  train    train a variant on a data set; writes log.csv, checkpoint.gan, samples.png,\n"
    "           loss.png and metrics.json into --out\n"
    "  sample   draw samples from a checkpoint into a .png, .csv or .idx file\n"
    "  eval     score samples (.csv or .idx, from any program) against a data set\n"
    "\n"
    "`gan COMMAND --help` shows the options of a command.\n";

}  // namespace

int main(int argc, char** argv) {
  using namespace gan;
  // Past a file size limit (ulimit -f) a write should fail with EFBIG and a message, not
  // kill the program by signal.
  std::signal(SIGXFSZ, SIG_IGN);
  if (argc < 2 || std::string(argv[1]) == "--help" || std::string(argv[1]) == "-h") {
    std::fputs(usage, argc < 2 ? stderr : stdout);
    return argc < 2 ? 2 : 0;
  }
  const std::string command = argv[1];
  try {
    if (command == "train") return program::train_command(argc, argv);
    if (command == "sample") return program::sample_command(argc, argv);
    if (command == "eval") return program::eval_command(argc, argv);
    std::fprintf(stderr, "gan: unknown command '%s' (expected train, sample or eval; gan --help)\n",
                 command.c_str());
    return 2;
  } catch (const cli::UsageError& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 2;
  } catch (const Divergence& e) {
    std::fprintf(stderr, "gan %s: training diverged: %s\n", command.c_str(), e.what());
    return 1;
  } catch (const std::bad_alloc&) {
    std::fprintf(stderr, "gan %s: out of memory\n", command.c_str());
    return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "gan %s: %s\n", command.c_str(), e.what());
    return 1;
  }
}
