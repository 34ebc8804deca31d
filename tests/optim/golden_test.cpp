// Sgd, Adam and RmsProp against torch.optim of PyTorch 1.13 (tests/golden/optim.txt): the
// change of the parameters after each of six steps, and the final state arrays by
// PyTorch's names.
#include <doctest/doctest.h>

#include <map>
#include <string>
#include <vector>

#include "gan/optim/adam.hpp"
#include "gan/optim/rms_prop.hpp"
#include "gan/optim/sgd.hpp"
#include "support/golden.hpp"

namespace golden = gan::testing::golden;
using gan::Index;

namespace {

const std::vector<golden::Case>& cases() {
  static const auto all = golden::load("optim.txt");
  return all;
}

/// Records of a case that are not state arrays.
bool is_state(const std::string& name) {
  return name != "params0" && name != "grads" && name != "change";
}

/// Runs the case's steps and compares the change θ_t − θ₀ after each (what the optimizer
/// computes; θ_t itself would bury it under θ₀'s digits) and the final state.
template <class O>
void check_optimizer(const golden::Case& c, O opt) {
  using T = typename O::Scalar;
  constexpr double tol = golden::tolerance<T>();
  CAPTURE(c.name);
  const Index steps = c.index("steps");
  const auto theta0 = c.values<double>("params0");
  const auto grads = c.values<T>("grads");
  const auto n = static_cast<Index>(theta0.size());
  REQUIRE(static_cast<Index>(grads.size()) == steps * n);
  std::vector<T> theta(theta0.begin(), theta0.end());
  std::vector<double> change;
  for (Index k = 0; k < steps; ++k) {
    opt.step(theta, std::span<const T>(grads.data() + k * n, n));
    for (Index i = 0; i < n; ++i) change.push_back(static_cast<double>(theta[i]) - theta0[i]);
  }
  golden::check(c, "change", std::span<const double>(change), tol);
  CHECK(opt.step_count() == steps);

  std::map<std::string, std::vector<T>> state;
  opt.for_each_state([&](std::string_view name, std::span<const T> v) {
    state[std::string(name)] = std::vector<T>(v.begin(), v.end());
  });
  std::size_t compared = 0;
  for (const auto& r : c.records) {
    if (!is_state(r.name)) continue;
    REQUIRE(state.count(r.name) == 1);
    golden::check(c, r.name, std::span<const T>(state[r.name]), tol);
    ++compared;
  }
  CHECK(compared == state.size());  // no state array that PyTorch lacks
}

template <class T>
void check_all() {
  for (const golden::Case* c : golden::cases_named(cases(), "adam/")) {
    check_optimizer(*c, gan::optim::Adam<T>({.lr = c->param("lr"),
                                             .beta1 = c->param("beta1"),
                                             .beta2 = c->param("beta2"),
                                             .eps = c->param("eps"),
                                             .weight_decay = c->param("weight_decay")}));
  }
  for (const golden::Case* c : golden::cases_named(cases(), "rmsprop/")) {
    check_optimizer(*c, gan::optim::RmsProp<T>({.lr = c->param("lr"),
                                                .alpha = c->param("alpha"),
                                                .eps = c->param("eps"),
                                                .weight_decay = c->param("weight_decay"),
                                                .momentum = c->param("momentum"),
                                                .centered = c->flag("centered")}));
  }
  for (const golden::Case* c : golden::cases_named(cases(), "sgd/")) {
    check_optimizer(*c, gan::optim::Sgd<T>({.lr = c->param("lr"),
                                            .momentum = c->param("momentum"),
                                            .dampening = c->param("dampening"),
                                            .weight_decay = c->param("weight_decay"),
                                            .nesterov = c->flag("nesterov")}));
  }
}

}  // namespace

TEST_CASE("Adam, RmsProp and Sgd follow torch.optim step for step") {
  check_all<float>();
  check_all<double>();
}
