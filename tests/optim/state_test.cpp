#include "gan/optim/state.hpp"

#include <doctest/doctest.h>

#include <vector>

TEST_CASE("State sizes its arrays on the first step and keeps them") {
  gan::optim::State<float> s("Test");
  s.add("first");
  s.add("second");
  CHECK(!s.sized());
  CHECK(s.size() == 0);
  std::vector<float> p(5, 1.0f), g(5, 2.0f);
  s.prepare(p, g);
  CHECK(s.sized());
  CHECK(s.size() == 5);
  std::vector<std::string> names;
  s.for_each([&](std::string_view name, std::span<float> v) {
    names.emplace_back(name);
    CHECK(v.size() == 5);
    for (float x : v) CHECK(x == 0.0f);
    v[0] = 3.0f;
  });
  CHECK(names == std::vector<std::string>{"first", "second"});
  s.prepare(p, g);  // same size again: the arrays stay
  CHECK(s.data(1)[0] == 3.0f);
  s.set_steps(4);
  s.reset(2);
  CHECK(s.steps() == 0);
  CHECK(s.size() == 2);
  CHECK(s.data(0)[0] == 0.0f);
}

TEST_CASE("State of a network without parameters is sized, at 0") {
  gan::optim::State<double> s("Test");
  s.add("only");
  std::vector<double> none, one(1);
  s.prepare(none, none);
  CHECK(s.sized());
  CHECK_THROWS_WITH_AS(s.prepare(one, one),
                       "Test: step over 1 parameters, but its state is sized for 0 (an optimizer "
                       "belongs to one network)",
                       gan::Error);
  CHECK_THROWS_WITH_AS(s.reset(-1), "Test: negative parameter count -1", gan::Error);
}
