"""The trip search's timing memory (schedule.PrefixTimer) and its moves on whole stays (moves.Search.move_stay)."""

from __future__ import annotations

import random

import pytest

from tripplanner.solver.heuristic import base_route, solve_heuristic
from tripplanner.solver.moves import Search
from tripplanner.solver.params import Budget
from tripplanner.solver.problem import DayRules, LocationCalendar, Node, NodeKind, Problem, Window
from tripplanner.solver.route import Profile
from tripplanner.solver.schedule import Failure, PrefixTimer, departure_floors, schedule_route, time_route
from tests.solver.instances import DAY, random_problem


def _same(timed, expected) -> bool:
    if isinstance(expected, Failure):
        return isinstance(timed, Failure) and (timed.node, timed.reason) == (expected.node, expected.reason)
    return timed == expected


def _routes_sharing_prefixes(problem: Problem, rng: random.Random, count: int) -> list[list[int]]:
    """Routes as a search times them: a base route, then the same with one stop put in or taken out."""
    stops = [*problem.mandatory, *problem.optional]
    routes = []
    for _ in range(count):
        middle = rng.sample(stops, rng.randint(0, len(stops)))
        base = [Problem.START, *middle, Problem.END]
        routes.append(base)
        for _ in range(3):
            changed = list(base)
            if len(changed) > 2 and rng.random() < 0.5:
                del changed[rng.randrange(1, len(changed) - 1)]
            else:
                changed.insert(rng.randrange(1, len(changed)), rng.choice(stops))
            routes.append(changed)
    return routes


@pytest.mark.parametrize("seed", range(12))
def test_the_prefix_timer_times_every_route_as_time_route_does(seed):
    problem = random_problem(seed, visits=7, second_anchor=seed % 2 == 0)
    rng = random.Random(seed)
    timer, small = PrefixTimer(problem), PrefixTimer(problem)
    small.MAX_ENTRIES = 5  # dropped again and again: the answers may not change
    failures = 0
    for route in _routes_sharing_prefixes(problem, rng, 40):
        for floor in departure_floors(problem):
            expected = time_route(problem, route, floor)
            failures += isinstance(expected, Failure)
            assert _same(timer.time_route(route, floor), expected), (route, floor)
            assert _same(small.time_route(route, floor), expected), (route, floor)
        assert _same(schedule_route(problem, route, timer), schedule_route(problem, route))
    assert failures, "the routes include ones that cannot be timed"
    assert small.entries <= small.MAX_ENTRIES + len(problem.nodes) + 1


def test_the_prefix_timer_works_out_only_what_it_has_not_seen():
    problem = random_problem(3, visits=7)
    timer = PrefixTimer(problem)
    route = [Problem.START, *problem.mandatory, Problem.END]
    floor = departure_floors(problem)[0]
    first = timer.time_route(route, floor)
    timed = timer.timed
    assert timed == len(route) - 1 or isinstance(first, Failure)
    assert timer.time_route(route, floor) == first
    assert timer.timed == timed, "a route timed before costs no new step"


def _stay_problem(cost_per_hour: int) -> Problem:
    """Home far away, an invitation in place 1 on day 2, three visits in place 2 (two hours from
    place 1) worth one point each: one visit does not pay the detour, the three together do."""
    travel = [[30, 600, 620], [600, 30, 120], [620, 120, 30]]
    calendars = tuple(LocationCalendar(nights=tuple((k * DAY + 23 * 60, (k + 1) * DAY + 6 * 60) for k in range(-1, 6)),
                                       day_starts=tuple(k * DAY + 6 * 60 for k in range(6))) for _ in range(3))
    anchor = 2 * DAY + 10 * 60
    visit_windows = tuple(Window(k * DAY + 9 * 60, k * DAY + 17 * 60, k) for k in range(1, 4))
    nodes = [Node(NodeKind.START, 0, 0, (Window(0, 5 * DAY),)), Node(NodeKind.END, 0, 0, (Window(0, 5 * DAY),)),
             Node(NodeKind.ANCHOR, 1, 120, (Window(anchor, anchor, 2),), mandatory=True, group=1, label="invitation")]
    nodes += [Node(NodeKind.VISIT, 2, 60, visit_windows, score=100, group=2, label=f"visit {v}") for v in range(3)]
    rules = DayRules(max_travel_min_per_day=900, min_rest_min=480, long_haul_min=480, long_haul_rest_min=240,
                     max_visits_per_day=3, home_midnights=tuple(k * DAY for k in range(6)), max_days=5)
    return Problem(nodes=tuple(nodes), travel_min=tuple(map(tuple, travel)), calendars=calendars, max_leg_min=900,
                   travel_cost_per_hour=cost_per_hour, split_stays=False, days=rules)


def test_a_place_worth_its_flight_only_for_all_its_visits_is_added_as_one_stay():
    # a visit adds 60 x 100,000 worth units; the detour through place 2 adds 140 min and each
    # further visit a 30 min hop: at 60,000 a minute, one visit loses 2.4 million, three gain 6
    problem = _stay_problem(60_000)
    search = Search(problem, Profile.VALUE, Budget(60, work=10**7))
    start = search.route(base_route(problem))
    pool = set(problem.optional)
    assert search.fill(start, pool) == start, "no single visit pays the detour"
    moved = search.move_stay(start, pool)
    assert moved is not None and set(moved.nodes) >= {3, 4, 5}
    assert moved.worth > start.worth
    found = solve_heuristic(problem, 20, 0, Budget(60, work=10**7))
    assert {3, 4, 5} <= set(found.nodes), "the search finds the stay"


def test_a_stay_that_costs_more_than_it_brings_is_dropped():
    problem = _stay_problem(200_000)  # now even all three visits lose against their travel
    search = Search(problem, Profile.VALUE, Budget(60, work=10**7))
    nodes = (Problem.START, 2, 3, 4, 5, Problem.END)
    with_stay = search.route(nodes)
    assert with_stay is not None
    dropped = search.move_stay(with_stay, set())
    assert dropped is not None and dropped.nodes == (Problem.START, 2, Problem.END)
