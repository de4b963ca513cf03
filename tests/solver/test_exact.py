"""The exhaustive search (solver/exact.py) and its bound (solver/bound.py) against plain enumeration."""

import dataclasses

import pytest

from tripplanner.solver.bound import Branch
from tripplanner.solver.exact import NO_ROUTE, _Search, prove
from tripplanner.solver.objective import route_travel, route_value, scalar, scalar_of_worth
from tripplanner.solver.params import Budget
from tripplanner.solver.problem import Problem
from tripplanner.solver.route import make_route
from tripplanner.solver.schedule import Failure, schedule_route

from tests.solver.instances import brute_force, random_problem

SEEDS = range(90)
UNLIMITED = 10**7


TRAVEL_COSTS = (0, 20_000, 60_000)
"""Value units per hour of travel, by seed: none, a little, enough to keep far visits out."""


def _instance(seed: int) -> Problem:
    """Seeds 60-89 add a second anchor on the last morning, so that routes have two fixed stops; a
    third of the seeds put a cost on travel, so that the bound is tested under worth too."""
    problem = random_problem(seed, visits=5 + seed % 3, days=4 + seed % 2, second_anchor=seed >= 60)
    return dataclasses.replace(problem, travel_cost_per_hour=TRAVEL_COSTS[seed % 3])


@pytest.mark.parametrize("seed", SEEDS)
def test_search_from_nothing_finds_the_enumerated_optimum(seed):
    """No incumbent: the search alone finds the best route (or proves there is none)."""
    problem = _instance(seed)
    expected = brute_force(problem)
    proof = prove(problem, None, 0, Budget(60, work=UNLIMITED))
    assert proof.complete
    if expected is None:
        assert proof.best_nodes is None
        return
    assert scalar_of_worth(problem, proof.best_key[0], -proof.best_key[1]) == expected
    assert make_route(problem, proof.best_nodes).objective == expected
    assert proof.value_bound == proof.best_key[0]


@pytest.mark.parametrize("seed", SEEDS[:30])
def test_search_from_the_optimum_confirms_it(seed):
    """Given the best route, the search finds nothing better and says so."""
    problem = _instance(seed)
    best = _best_route(problem)
    if best is None:
        pytest.skip("instance infeasible: no optimum to confirm")
    proof = prove(problem, best.nodes, best.value, Budget(60, work=UNLIMITED))
    assert proof.complete and proof.best_nodes is None
    assert proof.best_key == (best.worth, -best.travel)


@pytest.mark.parametrize("seed", SEEDS[:30])
def test_search_cut_short_still_bounds_the_value(seed):
    """Stopped after a few steps, the value bound is still at least the optimum's value."""
    problem = _instance(seed)
    best = _best_route(problem)
    proof = prove(problem, None, 0, Budget(60, work=5))
    assert not proof.complete
    assert proof.value_bound >= (best.worth if best else NO_ROUTE)


@pytest.mark.parametrize("seed", SEEDS)
def test_bound_holds_along_the_best_route(seed):
    """At every stop of the optimal route, from every departure day that times it, the bound allows
    at least the value still to come and asks for no more travel than the route still makes."""
    problem = _instance(seed)
    best = _best_route(problem)
    if best is None:
        pytest.skip("instance infeasible: no route to follow")
    for incumbent in ((NO_ROUTE, 0), (best.worth, 0)):
        search = _Search(problem, incumbent, Budget(60, work=UNLIMITED))
        paths = [path for path in (_follow(search, root, best.nodes) for root in search.roots()) if path]
        assert paths, "no departure day times the best route"
        for branch in (branch for path in paths for branch in path[:-1]):
            bound = search.optimistic(branch)
            assert bound is not None, f"a branch of the best route judged dead: {branch.route}"
            add, travel_more = bound
            assert branch.value + add >= best.value, f"bound too low after {branch.route}"
            assert branch.travel + travel_more <= best.travel, f"travel bound too high after {branch.route}"


def test_same_situation_from_a_later_departure_covers_an_earlier_one():
    """A branch that left home later may come home later: the search skips the earlier twin."""
    problem = _instance(3)
    search = _Search(problem, (-1, 0), Budget(60, work=UNLIMITED))
    early = Branch(Problem.START, 1, 0, 0, {}, {}, 0, 0, 10, (0, 0, 0), frozenset(), (0,))
    late = Branch(Problem.START, 1, 0, 0, {}, {}, 1, 0, 10, (0, 0, 0), frozenset(), (0,))
    key = search.situation(early)
    assert search.first_visit(key, late)
    assert not search.first_visit(key, early)
    assert search.first_visit(key, Branch(Problem.START, 1, 0, 0, {}, {}, 2, 0, 10, (0, 0, 0), frozenset(), (0,)))


def _best_route(problem: Problem):
    """The optimum by enumeration, as a timed route (None if infeasible)."""
    expected = brute_force(problem)
    if expected is None:
        return None
    proof = prove(problem, None, 0, Budget(60, work=UNLIMITED))
    route = make_route(problem, proof.best_nodes)
    assert route.objective == expected == scalar(problem, route_value(problem, route.nodes), route_travel(problem, route.nodes))
    assert not isinstance(schedule_route(problem, route.nodes), Failure)
    assert route.value == route_value(problem, route.nodes)
    return route


def _follow(search: _Search, root: Branch, nodes: tuple[int, ...]) -> list[Branch] | None:
    """The branches along a route from a root, or None if the route fails from that departure day
    (its timing, or coming home later than max_days from that day allows)."""
    path = [root]
    for target in nodes[1:]:
        path.append(search.step(path[-1], target))
        if path[-1] is None:
            return None
    return path if path[-1].arrived <= search.deadline(path[-2]) else None


def test_stop_request_ends_the_search_with_a_bound():
    """Ctrl-C (the stop event) ends the search at once; what it returns is still a valid bound."""
    import threading

    problem = _instance(7)
    best = _best_route(problem)
    stop = threading.Event()
    stop.set()
    proof = prove(problem, None, 0, Budget(60, stop, work=UNLIMITED))
    assert not proof.complete
    assert proof.value_bound >= (best.worth if best else NO_ROUTE)
