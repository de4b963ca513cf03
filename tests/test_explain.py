"""How a left-out project's cost is put in words."""

import pytest

from tripplanner.explain import cost_of_taking


@pytest.mark.parametrize("travel_min, said", [
    (80, "taking it costs 0.56 value and 1 h 20 of travel"),
    (-45, "taking it costs 0.56 value, though it saves 45 min of travel"),  # never "-45 min of travel"
    (0, "taking it costs 0.56 value with the same travel time"),
])
def test_travel_added_or_saved_is_said_as_such(travel_min, said):
    """Travel a plan with the project adds is a cost; travel it saves is said as saved, never as a negative cost."""
    assert cost_of_taking(1.2, 0.56, [], travel_min) == f"worth 1.2; {said}"


def test_dropped_cities_are_named():
    """The cities a plan with the project drops come before the travel."""
    assert cost_of_taking(1.2, 0.5, ["Berlin, DE"], -45) == \
        "worth 1.2; taking it costs 0.5 value (drops Berlin, DE), though it saves 45 min of travel"
