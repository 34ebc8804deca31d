// CheckpointState: the fixed state the checkpoint target restores into and the corpus
// generator saves — two leading text entries (as the gan program writes its description
// of the model), a tiny BEGAN (float arrays, integers, a real) and a trailing integer.
#pragma once

#include <cstdint>
#include <string>

#include "gan/variants.hpp"

namespace gan::fuzz {

struct CheckpointState {
  using Model = BEGAN<net::MlpGenerator<float, layer::Identity>, net::MlpAutoencoder<float>>;

  static Model make_model() {
    auto o = Model::default_options();
    o.seed = 1;
    o.ema_decay = 0.9;
    return Model(net::MlpGenerator<float, layer::Identity>(2, 4, 2),
                 net::MlpAutoencoder<float>(2, 4, 2), o);
  }

  Model model = make_model();
  std::string variant = "began";
  std::string data = "toy:ring";
  std::int64_t epoch = 0;

  template <class V>
  void visit_state(V& v) {
    v.text("variant", variant);
    v.text("data", data);
    model.visit_state(v);
    v.integer("data.epoch", epoch);
  }
  std::string architecture() const { return model.architecture(); }
};

}  // namespace gan::fuzz
