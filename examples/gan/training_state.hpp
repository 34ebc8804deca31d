// TrainingState: what the gan program keeps in a checkpoint — its description of the
// model (so `gan sample` can rebuild it), the model's whole state and the data cursor.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "gan/core/error.hpp"
#include "gan/data/loader.hpp"
#include "run_config.hpp"

namespace gan::program {

template <class Model>
struct TrainingState {
  const ModelSpec& spec;
  Model& model;
  data::Loader<float>* loader = nullptr;  ///< null when only sampling
  std::string file;                       ///< for error messages
  /// Factor on the options' learning rates, halved by each rollback after a divergence
  /// (--on-divergence rollback); kept so that a resumed run goes on at the lowered rates.
  double lr_scale = 1;

  template <class V>
  void visit_state(V& v) {
    for (auto& [name, value] : spec.to_texts()) {
      std::string stored = value;
      v.text(name, stored);
      GAN_CHECK(stored == value, file, ": ", name, " is '", stored, "' in the checkpoint, '", value,
                "' in this run");
    }
    model.visit_state(v);
    v.real("train.lr_scale", lr_scale);
    GAN_CHECK(lr_scale > 0 && lr_scale <= 1, file, ": train.lr_scale is ", lr_scale,
              ", expected a factor in (0, 1]");
    std::int64_t epoch = 0, position = 0;
    if (loader) {
      epoch = static_cast<std::int64_t>(loader->cursor().epoch);
      position = loader->cursor().position;
    }
    v.integer("data.epoch", epoch);
    v.integer("data.position", position);
    if (loader) {
      GAN_CHECK(epoch >= 0 && position >= 0, file, ": negative data cursor");
      loader->seek({static_cast<std::uint64_t>(epoch), static_cast<Index>(position)});
    }
  }

  std::string architecture() const {
    std::string a = model.architecture();
    for (const auto& [name, value] : spec.to_texts()) a += name + "=" + value + "\n";
    return a;
  }
};

}  // namespace gan::program
