"""One result model for every solver stage, and the one function that merges two stages."""

import pytest

from tripplanner.solver.route import Route, SolveResult, Stage, Status, merge


def _route(value: int, travel: int) -> Route:
    return Route(nodes=(0, 1), stops=(), objective=value * 1000 - travel, value=value, travel=travel, key=(value, -travel),
                 worth=value)


def _result(status: Status, route: Route | None, stage: Stage = Stage.LOCAL_SEARCH, **more) -> SolveResult:
    return SolveResult(status, route, stage, **more)


def test_merge_keeps_the_better_route_and_its_stage():
    """A later stage's better route wins, and the result says which stage found it."""
    merged = merge(_result(Status.FEASIBLE, _route(5, 100)), _result(Status.FEASIBLE, _route(6, 300), Stage.CPSAT))
    assert merged.route.value == 6 and merged.found_by is Stage.CPSAT


def test_merge_keeps_the_earlier_route_on_a_tie():
    """On an equal key the earlier stage's route (and name) stay: a re-found route is no news."""
    merged = merge(_result(Status.FEASIBLE, _route(5, 100)), _result(Status.OPTIMAL, _route(5, 100), Stage.EXHAUSTIVE))
    assert merged.found_by is Stage.LOCAL_SEARCH
    assert merged.status is Status.OPTIMAL, "the proof is about the key, which the kept route has"


def test_an_optimality_claim_falls_to_a_better_route():
    """A stage that calls a worse route optimal is overruled by the better route of another stage."""
    merged = merge(_result(Status.FEASIBLE, _route(7, 100)), _result(Status.OPTIMAL, _route(6, 100), Stage.CPSAT))
    assert merged.route.value == 7 and merged.status is Status.FEASIBLE


@pytest.mark.parametrize(("first", "second", "expected", "why"), [
    (Status.UNKNOWN, Status.INFEASIBLE, Status.INFEASIBLE, "a proof that no route exists stands"),
    (Status.UNKNOWN, Status.UNKNOWN, Status.UNKNOWN, "nothing found, nothing proven"),
])
def test_no_route_status(first, second, expected, why):
    """Without a route the merged status is infeasible only when a stage proved it."""
    assert merge(_result(first, None), _result(second, None, Stage.CPSAT)).status is expected, why


def test_infeasible_claim_falls_when_a_route_exists():
    """A stage that found nothing cannot call a trip infeasible that another stage planned."""
    merged = merge(_result(Status.FEASIBLE, _route(3, 50)), _result(Status.INFEASIBLE, None, Stage.CPSAT))
    assert merged.status is Status.FEASIBLE and merged.route.value == 3


def test_merge_takes_the_tighter_bounds_and_any_clock_stop():
    """Bounds are upper bounds: the smaller one holds; a clock stop in either stage is reported."""
    merged = merge(_result(Status.FEASIBLE, _route(5, 10), bound=9000, value_bound=9, wall_clock_stop=True),
                   _result(Status.FEASIBLE, _route(5, 20), Stage.CPSAT, bound=7000, value_bound=7))
    assert (merged.bound, merged.value_bound, merged.wall_clock_stop) == (7000, 7, True)
    assert not merged.value_proven
    proven = merge(merged, _result(Status.FEASIBLE, None, Stage.EXHAUSTIVE, value_bound=5))
    assert proven.value_proven and proven.gap == pytest.approx(abs(7000 - 4990) / 7000)
