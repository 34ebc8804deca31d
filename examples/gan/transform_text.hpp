// The data scaling of a run as text, so a checkpoint can map samples back to data units.
#pragma once

#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

#include "gan/core/error.hpp"
#include "gan/data/transform.hpp"

namespace gan::program {

/// "kind;shift,shift,...;scale,scale,..." with full precision; "" for the identity.
inline std::string transform_text(const data::Transform& t) {
  if (t.identity()) return "";
  std::ostringstream s;
  s.precision(17);
  s << static_cast<int>(t.kind()) << ';';
  for (std::size_t i = 0; i < t.shift().size(); ++i) s << (i ? "," : "") << t.shift()[i];
  s << ';';
  for (std::size_t i = 0; i < t.scale().size(); ++i) s << (i ? "," : "") << t.scale()[i];
  return s.str();
}

inline data::Transform parse_transform(const std::string& text, const std::string& file) {
  if (text.empty()) return {};
  std::vector<std::string> parts;
  std::stringstream in(text);
  for (std::string p; std::getline(in, p, ';');) parts.push_back(p);
  GAN_CHECK(parts.size() == 3, file, ": data.transform '", text.substr(0, 40), "' is malformed");
  auto numbers = [&](const std::string& list) {
    std::vector<double> v;
    std::stringstream l(list);
    for (std::string x; std::getline(l, x, ',');) {
      char* end = nullptr;
      v.push_back(std::strtod(x.c_str(), &end));
      GAN_CHECK(!x.empty() && *end == '\0', file, ": data.transform holds '", x, "', not a number");
    }
    return v;
  };
  const int kind = std::atoi(parts[0].c_str());
  GAN_CHECK(kind >= 0 && kind <= 3, file, ": data.transform kind ", kind, " is unknown");
  return data::Transform(static_cast<data::Scaling>(kind), numbers(parts[1]), numbers(parts[2]));
}

}  // namespace gan::program
