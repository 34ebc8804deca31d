#include "gan/data/mixture.hpp"

#include <doctest/doctest.h>

using gan::data::Mixture;

TEST_CASE("a mixture describes K centres of dimension dim") {
  Mixture m{"pair", 2, 0.1, {1, 2, -3, 4}};
  m.validate();
  CHECK(m.modes() == 2);
  CHECK(m.centre(1)[0] == -3);
  CHECK(m.centre(1)[1] == 4);
  CHECK_THROWS_WITH_AS(m.centre(2), "mixture pair: component 2 of 2", gan::Error);
}

TEST_CASE("a mixture that cannot be sampled is rejected") {
  CHECK_THROWS_WITH_AS((Mixture{"m", 0, 0.1, {1}}.validate()),
                       "mixture m: dimension 0: expected >= 1", gan::Error);
  CHECK_THROWS_WITH_AS((Mixture{"m", 1, 0.0, {1}}.validate()), "mixture m: sigma 0: expected > 0",
                       gan::Error);
  CHECK_THROWS_WITH_AS((Mixture{"m", 2, 0.1, {1, 2, 3}}.validate()),
                       "mixture m: 3 centre coordinates: expected a positive multiple of 2",
                       gan::Error);
  CHECK_THROWS_WITH_AS((Mixture{"m", 2, 0.1, {}}.validate()),
                       "mixture m: 0 centre coordinates: expected a positive multiple of 2",
                       gan::Error);
}
