// LogCsv: one row of step statistics per logged step, in a CSV file that spreadsheets,
// gnuplot and pandas read.
#pragma once

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>

#include "gan/core/error.hpp"
#include "gan/stats.hpp"

namespace gan::train {

/// Writes `step,seconds,d_loss,g_loss,d_real,d_fake,penalty,d_grad_norm,g_grad_norm,
/// wasserstein,k,m_global` (empty fields where a figure does not apply). Appends to an
/// existing log when resuming, dropping rows past the resume step so the file never
/// holds a step twice.
class LogCsv {
 public:
  static constexpr const char* header =
      "step,seconds,d_loss,g_loss,d_real,d_fake,penalty,d_grad_norm,g_grad_norm,wasserstein,k,"
      "m_global";

  /// Opens `path`; when `resume_step` > 0 keeps the rows up to that step.
  explicit LogCsv(const std::filesystem::path& path, Index resume_step = 0) : m_path(path) {
    rewind(resume_step);
  }
  LogCsv(const LogCsv&) = delete;
  LogCsv& operator=(const LogCsv&) = delete;
  ~LogCsv() {
    if (m_file) std::fclose(m_file);
  }

  /// Drops the rows past `step` (all of them for 0) and goes on appending after the rest,
  /// as after a rollback to a checkpoint of that step. The kept rows are written to a
  /// temporary file that replaces the log, so a kill meanwhile loses none of them.
  void rewind(Index step) {
    if (m_file) std::fclose(m_file);
    m_file = nullptr;
    std::string kept;
    if (step > 0 && std::filesystem::exists(m_path)) kept = rows_up_to(m_path, step);
    const std::filesystem::path temp = m_path.string() + ".tmp";
    std::FILE* f = std::fopen(temp.c_str(), "w");
    GAN_CHECK(f != nullptr, temp.string(), ": cannot write (", std::strerror(errno), ")");
    const bool written = std::fprintf(f, "%s\n%s", header, kept.c_str()) >= 0;
    const bool closed = std::fclose(f) == 0;
    std::string problem = written && closed ? "" : std::strerror(errno);
    std::error_code ec;
    if (problem.empty()) std::filesystem::rename(temp, m_path, ec);
    if (ec) problem = ec.message();
    if (!problem.empty()) {
      std::filesystem::remove(temp, ec);
      core::fail(m_path.string(), ": write failed (", problem, ")");
    }
    m_file = std::fopen(m_path.c_str(), "a");
    GAN_CHECK(m_file != nullptr, m_path.string(), ": cannot write (", std::strerror(errno), ")");
  }

  void write(const StepStats& s, double seconds) {
    std::fprintf(m_file, "%td,%.3f,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%s,%s,%s\n", s.step, seconds,
                 s.d_loss, s.g_loss, s.d_real, s.d_fake, s.penalty, s.d_grad_norm, s.g_grad_norm,
                 optional(s.wasserstein).c_str(), optional(s.k).c_str(),
                 optional(s.m_global).c_str());
    flush();
  }

 private:
  static std::string optional(const std::optional<double>& v) {
    if (!v) return "";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.6g", *v);
    return buf;
  }
  void flush() {
    GAN_CHECK(std::fflush(m_file) == 0, m_path.string(), ": write failed (", std::strerror(errno),
              ")");
  }
  /// The data rows of an existing log whose step is at most `last`.
  static std::string rows_up_to(const std::filesystem::path& path, Index last) {
    std::FILE* f = std::fopen(path.c_str(), "r");
    if (!f) return "";
    std::string out, line;
    char buf[1024];
    bool first = true;
    while (std::fgets(buf, sizeof buf, f)) {
      line += buf;
      if (line.empty() || line.back() != '\n') continue;
      if (!first) {
        char* end = nullptr;
        long long step = std::strtoll(line.c_str(), &end, 10);
        if (end != line.c_str() && step <= last) out += line;
      }
      first = false;
      line.clear();
    }
    std::fclose(f);
    return out;
  }

  std::filesystem::path m_path;
  std::FILE* m_file = nullptr;
};

}  // namespace gan::train
