// ProgressBar: a one-line live progress display with ETA and the latest losses on a
// terminal, or plain periodic lines when the output is a file or a pipe.
#pragma once

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <string>

#include "gan/core/error.hpp"
#include "gan/train/trainer.hpp"

namespace gan::train {

/// "h:mm:ss" or "m:ss".
inline std::string format_duration(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) seconds = 0;
  long s = static_cast<long>(seconds + 0.5);
  char buf[32];
  if (s >= 3600)
    std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
  else
    std::snprintf(buf, sizeof buf, "%ld:%02ld", s / 60, s % 60);
  return buf;
}

/// Draws progress on `out`. On a terminal it redraws one line (at most ten times a
/// second); otherwise it prints a full line every `plain_every` seconds and at the end.
class ProgressBar {
 public:
  explicit ProgressBar(std::FILE* out = stderr, double plain_every = 10.0)
      : m_out(out), m_tty(::isatty(fileno(out)) != 0), m_plain_every(plain_every) {}

  /// Whether the output is a terminal (live redraw).
  bool live() const { return m_tty; }

  /// Shows the state after a step.
  void update(const Progress& p) {
    const bool last = p.step >= p.last_step;
    if (m_tty) {
      if (!last && p.seconds - m_last_draw < 0.1 && m_drawn) return;
      std::fprintf(m_out, "\r%s\033[K", line(p, true).c_str());
      if (last) std::fputc('\n', m_out);
    } else {
      if (!last && p.seconds - m_last_draw < m_plain_every && m_drawn) return;
      std::fprintf(m_out, "%s\n", line(p, false).c_str());
    }
    std::fflush(m_out);
    m_last_draw = p.seconds;
    m_drawn = true;
  }

  /// The text of one update: bar (terminal only), step, percentage, rate, ETA, losses.
  static std::string line(const Progress& p, bool with_bar) {
    const Index total = p.last_step - p.first_step, done = p.step - p.first_step;
    const double frac = total > 0 ? static_cast<double>(done) / static_cast<double>(total) : 1.0;
    std::string bar;
    if (with_bar) {
      const int width = 24, filled = static_cast<int>(frac * width + 1e-9);
      // appended piece by piece: "[" + std::string(...) trips GCC 12's -Wrestrict (bug 105329)
      bar.assign(1, '[').append(filled, '#').append(width - filled, '.').append("] ");
    }
    const double rate = p.seconds > 0 ? static_cast<double>(done) / p.seconds : 0;
    std::string extra;
    if (p.stats.wasserstein) extra += core::detail::concat(" W ", fixed(*p.stats.wasserstein));
    if (p.stats.k) extra += core::detail::concat(" k ", fixed(*p.stats.k));
    return core::detail::concat(bar, "step ", p.step, "/", p.last_step, " ",
                                static_cast<int>(frac * 100 + 1e-9), "% ", fixed(rate),
                                " it/s ETA ", format_duration(p.eta()), " | D ",
                                fixed(p.stats.d_loss),
                                p.generator ? " G " + fixed(p.stats.g_loss) : "", extra);
  }

 private:
  static std::string fixed(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3f", v);
    return buf;
  }

  std::FILE* m_out;
  bool m_tty;
  double m_plain_every;
  double m_last_draw = 0;
  bool m_drawn = false;
};

}  // namespace gan::train
