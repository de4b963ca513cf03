"""Alternatives differ as promised, objective profiles optimise what they say, the frontier is non-dominated."""

import itertools

import pytest

from tripplanner.api import load_trip, plan_alternatives, plan_trip
from tripplanner.frontier import plan_frontier
from tripplanner.models.itinerary import VisitEvent
from tripplanner.solver.params import SolveParams
from tripplanner.verify import verify

from tests.conftest import example

QUICK = SolveParams(time_limit_s=3)


def _cities(itinerary) -> set[str]:
    return {e.city for e in itinerary.events() if isinstance(e, VisitEvent)}


@pytest.fixture(scope="module")
def paris():
    return load_trip(example("paris-vienna-2017"))


@pytest.mark.parametrize("difference", [1, 2])
def test_alternatives_differ_pairwise_and_verify(paris, difference):
    """Three alternatives: each verifies, each pair differs by the required number of visited cities."""
    outcomes = plan_alternatives(paris, QUICK, count=3, min_difference=difference)
    plans = [o.itinerary for o in outcomes]
    assert len(plans) == 3
    for plan in plans:
        assert verify(paris, plan) == []
    for a, b in itertools.combinations(plans, 2):
        assert len(_cities(a) ^ _cities(b)) >= difference
    worths = [p.totals.worth for p in plans]
    assert worths == sorted(worths, reverse=True)


def test_order_only_alternative_when_no_other_city_fits(make_trip):
    """With a single candidate city, the second plan keeps the cities but changes the order of legs."""
    trip = make_trip("""
        name: two projects, one city
        home: "Seoul, KR"
        window: {earliest_departure: "2017-03-14 08:00", latest_return: "2017-03-21 22:00", max_days: 8}
        themes: {public_housing: 3, climate: 2}
        anchors:
          - {name: Paris summit, city: "Paris, FR", start: "2017-03-16 09:30", end: "2017-03-16 17:30"}
        candidates:
          listed:
            - {city: "Vienna, AT", projects: [vie-housing]}
        limits: {max_visits_per_day: 1}
    """)
    outcomes = plan_alternatives(trip, QUICK, count=2)
    assert len(outcomes) == 2
    first, second = (o.itinerary for o in outcomes)
    assert verify(trip, second) == []
    legs = lambda plan: [(e.origin, e.destination) for e in plan.events() if e.kind == "leg"]  # noqa: E731
    assert legs(first) != legs(second)


@pytest.mark.parametrize("profile, figure", [("travel", lambda t: t.travel_min), ("co2", lambda t: t.co2_kg), ("days", lambda t: t.days)])
def test_objective_profiles_do_not_lose_on_their_own_figure(paris, profile, figure):
    """Least travel / CO2 / days plans are no worse on that figure than the most-value plan, and verify."""
    best_value = plan_trip(paris, QUICK).itinerary
    profiled = plan_trip(paris, SolveParams(time_limit_s=3, objective=profile)).itinerary
    assert verify(paris, profiled) == []
    assert figure(profiled.totals) <= figure(best_value.totals)
    assert profiled.solve.objective == profile


@pytest.fixture(scope="module")
def paris_frontier(paris):
    return plan_frontier(paris, SolveParams(time_limit_s=3), points=4)


def test_frontier_agrees_with_plan(paris, paris_frontier):
    """Solved with the same settings, the frontier holds the plan `plan` makes, its richest point has
    at least the plan's value, and the plan beats no point on both value and travel."""
    planned = plan_trip(paris, SolveParams(time_limit_s=3)).itinerary
    key = (planned.totals.value, planned.totals.travel_min)
    assert key in {(p.totals.value, p.totals.travel_min) for p in paris_frontier}
    assert max(p.totals.value for p in paris_frontier) >= planned.totals.value
    assert max(p.totals.value for p in paris_frontier) > planned.totals.value  # the cost of travel held the plan back
    for point in paris_frontier:
        t = point.totals
        assert not (planned.totals.value > t.value and planned.totals.travel_min < t.travel_min)


def test_frontier_is_non_dominated(paris, paris_frontier):
    """No frontier plan has both less value and more travel (or more days) than another."""
    plans = paris_frontier
    assert len(plans) >= 2
    for a, b in itertools.permutations(plans, 2):
        ta, tb = a.totals, b.totals
        dominated = tb.value >= ta.value and tb.travel_min <= ta.travel_min and tb.days <= ta.days and \
            (tb.value, tb.travel_min, tb.days) != (ta.value, ta.travel_min, ta.days)
        assert not dominated
    for plan in plans:
        assert verify(paris, plan) == []


def test_frontier_agrees_with_plan_on_a_generated_trip(catalogs):
    """The same promise on a generated trip (12 candidates, 7 days) with its own settings."""
    from benchmarks.generated import generated_request
    from tripplanner.api import load_trip_text

    trip = load_trip_text(generated_request(12, 7), catalogs)
    params = SolveParams(time_limit_s=2, clock_slack=5)
    planned = plan_trip(trip, params).itinerary
    points = plan_frontier(trip, params, points=3)
    assert max(p.totals.value for p in points) >= planned.totals.value
    assert any(p.totals.value == planned.totals.value and p.totals.travel_min == planned.totals.travel_min for p in points)
    for point in points:
        assert verify(trip, point) == []
        assert not (planned.totals.value > point.totals.value and planned.totals.travel_min < point.totals.travel_min)
