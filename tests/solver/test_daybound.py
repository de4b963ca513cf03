"""The day-indexed bound (solver/daybound/) never falls below a route's worth, and is not absurd."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path
import random

import pytest
from ortools.sat.python import cp_model

from tripplanner.api import load_trip_text
from tripplanner.solver import daybound
from tripplanner.solver.build import build_problem
from tripplanner.solver.daybound import DayBound, day_bound, worth_bound
from tripplanner.solver.lpbound import lp_bound
from tripplanner.solver.objective import route_value, worth
from tripplanner.solver.params import SolveParams
from tripplanner.solver.problem import DayRules, LocationCalendar, Node, NodeKind, Problem, Window
from tripplanner.solver.route import make_route
from tripplanner.solver.schedule import Failure, schedule_route
from tripplanner.solver.solve import solve

from benchmarks.generated import generated_request
from tests.conftest import EXAMPLES
from tests.solver.instances import random_problem

BOUND_SECONDS = 2.0


@pytest.fixture(scope="module")
def trips(catalogs):
    """Problems by name, built once: the bundled examples and three generated trips."""
    problems = {path.stem: build_problem(load_trip_text(path.read_text(encoding="utf-8"), catalogs, name=path.name))[0]
                for path in EXAMPLES}
    for candidates, days in ((10, 5), (12, 7), (30, 14)):
        text = generated_request(candidates, days)
        problems[f"gen-{candidates}x{days}"] = build_problem(load_trip_text(text, catalogs, name="generated"))[0]
    return problems


def _ceiling(problem: Problem) -> int:
    """Worth of every engagement at once with no travel: no route is worth more."""
    nodes = [i for i, n in enumerate(problem.nodes) if n.kind in (NodeKind.ANCHOR, NodeKind.VISIT)]
    return worth(problem, route_value(problem, nodes), 0)


@pytest.mark.parametrize("name", [p.stem for p in EXAMPLES] + ["gen-10x5", "gen-12x7"])
def test_bound_holds_the_proven_optimum(trips, name):
    problem = trips[name]
    result = solve(problem, SolveParams(time_limit_s=10))
    assert result.status == "optimal", "the exhaustive search proves these trips"
    bound = worth_bound(problem, BOUND_SECONDS)
    assert bound is not None
    assert result.route.worth <= bound <= _ceiling(problem)


def test_bound_holds_the_best_route_found_on_a_larger_trip(trips):
    problem = trips["gen-30x14"]
    result = solve(problem, SolveParams(time_limit_s=2))
    assert result.route is not None
    found = day_bound(problem, BOUND_SECONDS)
    assert found is not None
    assert result.route.worth <= found.bound <= _ceiling(problem)
    if found.nodes is not None:  # the relaxation's best solution, when it is a route, is worth at most the bound
        route = make_route(problem, found.nodes)
        assert route is None or route.worth <= found.bound


@pytest.mark.parametrize("name", ["gen-12x7", "gen-30x14"])
def test_a_route_is_a_solution_of_the_relaxation_worth_as_much(trips, name):
    """The structural check behind validity: a real route, written in the model's variables, satisfies
    every constraint of the relaxation and its objective there is the route's worth."""
    problem = trips[name]
    result = solve(problem, SolveParams(time_limit_s=1))
    relaxation = daybound._Relaxation(problem)
    assert relaxation.prepare() and relaxation.simple
    assert _worth_as_solution(relaxation, result.route) == result.route.worth


def _worth_as_solution(relaxation, route) -> int:
    """The relaxation's objective (worth units) at a route written in its variables, after checking
    the route satisfies every constraint of the model."""
    model, scale = relaxation.build()
    values = relaxation.route_values(route.stops)
    assert values is not None
    daybound.apply_values(model, values)
    solver = cp_model.CpSolver()
    solver.parameters.fix_variables_to_their_hinted_value = True
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 20
    assert solver.Solve(model) in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    return round(solver.ObjectiveValue()) * scale


def _best_worth(problem: Problem) -> int | None:
    """Best worth over every order of every subset of nodes that make_route accepts (stays, days)."""
    mandatory, groups = set(problem.mandatory), set(problem.required_groups)
    best: list[int | None] = [None]

    def extend(prefix: list[int], remaining: list[int]) -> None:
        if len(prefix) > 1 and mandatory <= set(prefix) and groups <= {problem.nodes[i].group for i in prefix}:
            route = make_route(problem, [*prefix, Problem.END])
            if route is not None and (best[0] is None or route.worth > best[0]):
                best[0] = route.worth
        for node in remaining:
            if not isinstance(schedule_route(problem, [*prefix, node]), Failure):
                extend([*prefix, node], [r for r in remaining if r != node])

    extend([Problem.START], sorted(mandatory | set(problem.optional)))
    return best[0]


FAST_SEEDS = [s for s in range(24) if s not in (2, 13, 17)]
"""Random trips whose enumeration takes under a second."""


def random_trip(seed: int, single_stays: bool) -> Problem:
    """A random small trip (zones, nights, anchors, a travel cost by seed); with single_stays, one
    stay per city and no booked night (the relaxation's simple case)."""
    problem = random_problem(seed, visits=5 + seed % 3, days=4 + seed % 2, second_anchor=seed % 2 == 0)
    problem = dataclasses.replace(problem, travel_cost_per_hour=(0, 20_000, 60_000)[seed % 3])
    if single_stays:
        problem = dataclasses.replace(problem, split_stays=False,
                                      nodes=tuple(n for n in problem.nodes if n.kind is not NodeKind.NIGHT))
    return problem


@pytest.mark.parametrize("seed", FAST_SEEDS)
@pytest.mark.parametrize("single_stays", [False, True])
def test_bound_holds_the_enumerated_optimum_of_random_trips(seed, single_stays):
    """Random small trips (zones, nights, anchors, travel costs): as generated (split stays allowed,
    booked nights: the merged-block case) and with one stay per city and no booked night (the
    simple case, where the model keeps the most rules)."""
    problem = random_trip(seed, single_stays)
    best = _best_worth(problem)
    bound = worth_bound(problem, 1.0)
    if best is not None and bound is not None:
        assert best <= bound


def test_no_bound_without_day_rules(trips):
    assert worth_bound(dataclasses.replace(trips["gen-10x5"], days=None), 1.0) is None


def test_lp_bound_is_a_bound_of_the_model(trips):
    """The linear relaxation's exact dual bound is at least the model's optimum."""
    problem = trips["gen-12x7"]
    relaxation = daybound._Relaxation(problem)
    relaxation.prepare()
    model, _ = relaxation.build()
    linear = lp_bound(model)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 20
    assert solver.Solve(model) == cp_model.OPTIMAL
    assert linear is not None and linear >= round(solver.ObjectiveValue())


@pytest.mark.parametrize("workers", [1, 2])
def test_plan_of_a_generated_trip_is_proven_by_the_day_bound(catalogs, workers):
    """20 candidates over 10 days (24 nodes): above the exhaustive search's quick start, and proven by
    the day-indexed relaxation inside solve(), after the local search or (two workers) beside it:
    the plan verifies and its worth reaches the bound."""
    from tripplanner.api import plan_trip
    from tripplanner.verify import verify

    trip = load_trip_text(generated_request(20, 10), catalogs, name="generated")
    outcome = plan_trip(trip, SolveParams(time_limit_s=10, workers=workers))
    assert outcome.itinerary is not None and verify(trip, outcome.itinerary) == []
    report = outcome.itinerary.solve
    assert report.value_proven and report.best_bound_value == pytest.approx(report.objective_value, abs=0.005)
    assert report.workers == workers


def test_side_by_side_the_relaxation_bounds_a_trip_it_does_not_prove(trips):
    """Two workers on a trip the relaxation leaves open in a second: its bound still comes back,
    no lower than the plan's worth."""
    problem = trips["gen-30x14"]
    result = solve(problem, SolveParams(time_limit_s=1.5, workers=2))
    assert result.route is not None and result.value_bound is not None
    assert result.route.worth <= result.value_bound <= _ceiling(problem)


# -- regressions: routes the relaxation once cut off ------------------------------------------

DAY = 1440


def _calendar(offset: int = 0) -> LocationCalendar:
    """Nights 23:00-06:00 and trip days from 06:00, local time at UTC offset minutes."""
    return LocationCalendar(nights=tuple((k * DAY + 23 * 60 - offset, (k + 1) * DAY + 6 * 60 - offset) for k in range(-1, 8)),
                            day_starts=tuple(k * DAY + 6 * 60 - offset for k in range(0, 8)))


RULES = DayRules(max_travel_min_per_day=480, min_rest_min=480, long_haul_min=480, long_haul_rest_min=240,
                 max_visits_per_day=2, home_midnights=tuple(k * DAY for k in range(8)), max_days=7)
HOME_AND_BACK = (Node(NodeKind.START, 0, 0, (Window(0, 7 * DAY),)), Node(NodeKind.END, 0, 0, (Window(0, 7 * DAY),)))


def _holds(problem: Problem, route: list[int]) -> DayBound:
    """The bound, checked against a route that make_route accepts."""
    made = make_route(problem, route)
    assert made is not None
    found = day_bound(problem, 1.0)
    assert found is not None and found.bound >= made.worth
    return found


def test_a_short_leg_west_across_the_date_line_after_the_night_lands_the_evening_before():
    """overnight_legs off: the leg A (UTC+9) -> B (UTC-10) leaves A after A's night of day 1 and still
    lands on B's day 1 (the evening of night 1): A's night does not limit that evening."""
    offsets = (0, 540, -600)
    a_start, b_start = DAY + 16 * 60 - 540, 2 * DAY + 9 * 60 + 600  # A's day 1 at 16:00, B's day 2 at 09:00
    nodes = HOME_AND_BACK + (Node(NodeKind.VISIT, 1, 60, (Window(a_start, a_start, 1),), score=100, group=1),
                             Node(NodeKind.VISIT, 2, 60, (Window(b_start, b_start + 420, 2),), score=100, group=2))
    problem = Problem(nodes=nodes, travel_min=((30, 600, 600), (600, 30, 420), (600, 420, 30)),
                      calendars=tuple(_calendar(o) for o in offsets), max_leg_min=900, split_stays=False,
                      overnight_legs=False, days=RULES)
    assert make_route(problem, [0, 2, 3, 1]).stops[1].departure >= problem.calendars[1].day_starts[2]
    assert _holds(problem, [0, 2, 3, 1]).bound == make_route(problem, [0, 2, 3, 1]).worth


def test_a_plan_of_booked_nights_alone():
    """No mandatory engagement and a booked night: START -> night -> END is a plan, the best one when
    the only visit is far and worth little."""
    nodes = HOME_AND_BACK + (
        Node(NodeKind.NIGHT, 1, 420, (Window(DAY + 23 * 60, DAY + 23 * 60, 1),), mandatory=True),
        Node(NodeKind.VISIT, 2, 60, tuple(Window(k * DAY + 540, k * DAY + 1020, k) for k in range(1, 5)), score=1, group=2))
    problem = Problem(nodes=nodes, travel_min=((30, 100, 400), (100, 30, 400), (400, 400, 30)),
                      calendars=(_calendar(),) * 3, max_leg_min=900, travel_cost_per_hour=100_000, days=RULES)
    assert _holds(problem, [0, 2, 1]).bound == make_route(problem, [0, 2, 1]).worth


def test_a_mandatory_anchor_with_two_days_leaves_the_other_day_free():
    """The anchor may be held on day 1 or day 2; on day 2 its hours do not bind the visit of day 1
    that overlaps them."""
    nodes = HOME_AND_BACK + (
        Node(NodeKind.ANCHOR, 1, 120, (Window(DAY + 600, DAY + 600), Window(2 * DAY + 600, 2 * DAY + 600)),
             mandatory=True, group=1),
        Node(NodeKind.VISIT, 1, 60, (Window(DAY + 630, DAY + 660, 1),), score=100, group=1))
    problem = Problem(nodes=nodes, travel_min=((30, 300), (300, 30)), calendars=(_calendar(),) * 2, max_leg_min=900,
                      split_stays=False, days=RULES)
    assert _holds(problem, [0, 3, 2, 1]).solved


def test_a_booked_night_at_home_costs_no_travel_to_the_next_engagement_there():
    """START -> night at home -> visit at home: no leg, though the home matrix entry is 600 minutes, so
    the visit right after the night is within reach."""
    nodes = (Node(NodeKind.START, 0, 0, (Window(1300, 7 * DAY),)), Node(NodeKind.END, 0, 0, (Window(0, 7 * DAY),)),
             Node(NodeKind.NIGHT, 0, 480, (Window(1380, 1380, 0),), mandatory=True),
             Node(NodeKind.VISIT, 0, 60, (Window(1860, 1880, 1),), score=300, group=0),
             Node(NodeKind.VISIT, 1, 60, (Window(2 * DAY + 540, 2 * DAY + 1000, 2),), score=100, group=1))
    problem = Problem(nodes=nodes, travel_min=((600, 700), (700, 30)), calendars=(_calendar(),) * 2, max_leg_min=900,
                      days=RULES)
    _holds(problem, [0, 2, 3, 4, 1])


def test_lp_bound_reads_an_implication_with_two_enforcement_literals_as_their_conjunction():
    model = cp_model.CpModel()
    a, b, implied = (model.NewBoolVar(name) for name in "abl")
    model.Add(b == 1)
    model.AddBoolAnd([implied]).OnlyEnforceIf([a, b])
    model.Maximize(a - 2 * implied)  # a = 0 is best: 0
    assert lp_bound(model) == 0


def _far_zone_problem(seed: int, night: bool) -> Problem:
    """A small trip across the date line (cities from UTC-10 to UTC+9), short legs kept out of the
    night (overnight_legs off), no mandatory engagement; with a booked night, or one stay per city."""
    rng = random.Random(seed)
    cities = rng.randint(2, 3)
    offsets = [0] + [rng.choice([-600, -300, 0, 300, 540]) for _ in range(cities)]
    size = cities + 1
    travel = [[30 if a == b else 540 + 20 * (a + b) if 0 in (a, b) else rng.randint(120, 480) for b in range(size)]
              for a in range(size)]
    travel = [[travel[min(a, b)][max(a, b)] for b in range(size)] for a in range(size)]
    days = 4
    nodes = [Node(NodeKind.START, 0, 0, (Window(0, (days + 1) * DAY),)), Node(NodeKind.END, 0, 0, (Window(0, (days + 1) * DAY),))]
    for v in range(rng.randint(3, 5)):
        where = rng.randint(1, cities)
        service = rng.choice([60, 120])
        open_days = sorted(rng.sample(range(1, days), rng.randint(1, days - 1)))
        windows = tuple(Window(k * DAY + 9 * 60 - offsets[where], k * DAY + 18 * 60 - offsets[where] - service, k)
                        for k in open_days)
        nodes.append(Node(NodeKind.VISIT, where, service, windows, score=rng.randint(50, 300), theme=rng.randint(0, 1),
                          group=where, label=f"v{v}"))
    if night:
        where, k = rng.randint(1, cities), rng.randint(1, days - 2)
        begins = k * DAY + 23 * 60 - offsets[where]
        nodes.append(Node(NodeKind.NIGHT, where, 480, (Window(begins, begins, k),), mandatory=True))
    rules = DayRules(max_travel_min_per_day=rng.choice([480, 600]), min_rest_min=480, long_haul_min=480,
                     long_haul_rest_min=240, max_visits_per_day=2,
                     home_midnights=tuple(k * DAY for k in range(days + 3)), max_days=days + 1)
    return Problem(nodes=tuple(nodes), travel_min=tuple(map(tuple, travel)), calendars=tuple(_calendar(o) for o in offsets),
                   max_leg_min=900, themes=("a", "b"), repeat_per_mille=500, travel_cost_per_hour=rng.choice([0, 20_000]),
                   split_stays=night, overnight_legs=False, days=rules)


@pytest.mark.parametrize("seed", range(16))
@pytest.mark.parametrize("night", [False, True])
def test_bound_holds_the_enumerated_optimum_across_the_date_line(seed, night):
    problem = _far_zone_problem(seed, night)
    best = _best_worth(problem)
    bound = worth_bound(problem, 1.0)
    if best is not None and bound is not None:
        assert best <= bound


@pytest.mark.parametrize("seed", [s for s in FAST_SEEDS if any(
    n.kind is NodeKind.NIGHT for n in random_problem(s, visits=5 + s % 3, days=4 + s % 2).nodes)])
def test_bound_holds_the_enumerated_optimum_with_nights_and_no_mandatory_engagement(seed):
    problem = random_problem(seed, visits=5 + seed % 3, days=4 + seed % 2)
    problem = dataclasses.replace(problem, travel_cost_per_hour=60_000, required_groups=(),
                                  nodes=tuple(n for n in problem.nodes if n.kind is not NodeKind.ANCHOR))
    best = _best_worth(problem)
    bound = worth_bound(problem, 1.0)
    if best is not None and bound is not None:
        assert best <= bound


def test_relaxation_is_the_same_model_in_every_process():
    """The model does not depend on the order of a set (string hashes differ between processes), so
    the same request gives the same bound and route on every run."""
    import subprocess
    import sys

    script = ("import hashlib; from benchmarks.bound import load_problem; from tripplanner.solver.daybound import _Relaxation; "
              "r = _Relaxation(load_problem('gen:20:10')); r.prepare(); model, _ = r.build(); "
              "print(hashlib.sha256(str(model.Proto()).encode()).hexdigest())")
    root = str(Path(__file__).resolve().parents[2])
    digests = {subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=root,
                              env={**os.environ, "PYTHONHASHSEED": str(seed)}).stdout for seed in (0, 1, 2)}
    assert len(digests) == 1 and len(digests.pop()) == 65


def test_a_longer_budget_lets_cp_sat_search_a_larger_relaxation(trips, monkeypatch):
    """Above CPSAT_MAX_VARIABLES only the LP bounds the relaxation, unless the budget pays for the
    model's size at CPSAT_VARIABLES_PER_SECOND; the bound is then at most the LP's."""
    problem = trips["gen-12x7"]
    relaxation = daybound._Relaxation(problem)
    assert relaxation.prepare()
    variables = len(relaxation.build()[0].Proto().variables)
    monkeypatch.setattr(daybound, "CPSAT_MAX_VARIABLES", variables - 1)
    monkeypatch.setattr(daybound, "CPSAT_VARIABLES_PER_SECOND", variables)
    short = day_bound(problem, 0.9)
    assert short is not None and not short.searched and not short.solved
    long = day_bound(problem, 1.0)
    assert long is not None and long.searched
    assert long.bound <= short.bound


@pytest.mark.parametrize("workers", [1, 2])
def test_the_status_line_hears_of_the_relaxations_bound(trips, workers):
    problem = trips["gen-30x14"]
    heard: list[tuple[int | None, int | None]] = []
    result = solve(problem, SolveParams(time_limit_s=2, workers=workers), progress=lambda best, bound: heard.append((best, bound)))
    bounds = [bound for _, bound in heard if bound is not None]
    assert bounds, "a bound reaches the status line before the plan is shown"
    assert all(bound >= result.route.worth for bound in bounds)
    assert result.value_bound in bounds


@pytest.mark.parametrize("workers", [1, 2])
def test_the_status_line_keeps_the_relaxations_bound_when_cp_sat_reports_a_looser_one(trips, monkeypatch, workers):
    """After the relaxation, CP-SAT on the route model may report its own (looser) bound; the
    status line keeps the tighter one. Both stand-ins return at once."""
    import tripplanner.solver.solve as solving

    problem = trips["gen-30x14"]
    relaxed = _ceiling(problem)
    reported = []

    def relaxation(problem, seconds, wall_s, incumbent, stop, progress, linear_s=None):
        progress(None, relaxed)  # as the stage tells the status line
        return solving.SolveResult(solving.Status.UNKNOWN, None, solving.Stage.DAY_BOUND, value_bound=relaxed), True

    def cp_sat(problem, params, *args, progress=None, **kwargs):
        for bound in (relaxed + 1, relaxed - 1):
            progress(None, bound)
            reported.append(bound)
        return solving.SolveResult(solving.Status.UNKNOWN, None, solving.Stage.CPSAT)

    monkeypatch.setattr(solving, "_day_bound", relaxation)
    monkeypatch.setattr(solving, "solve_cpsat", cp_sat)
    heard: list[int] = []
    solve(problem, SolveParams(time_limit_s=2, workers=workers), progress=lambda best, bound: heard.append(bound))
    assert reported == [relaxed + 1, relaxed - 1], "CP-SAT ran after the relaxation and reported"
    assert relaxed in heard and relaxed - 1 in heard
    assert relaxed + 1 not in heard


@pytest.mark.parametrize("workers", [1, 2])
@pytest.mark.parametrize("searched", [False, True])
def test_cp_sat_on_the_route_model_runs_only_after_a_relaxation_cp_sat_searched(trips, monkeypatch, searched, workers):
    """A trip the relaxation bounds: when only linear programs bounded it (too large for CP-SAT in
    the time), the route model, larger still, is skipped; with one worker the local search had the
    day bound's share of the work (with two it runs on the clock). Both stand-ins return at once."""
    import tripplanner.solver.solve as solving

    problem = trips["gen-30x14"]
    ran, work = [], []
    real_heuristic = solving.solve_heuristic

    def heuristic(problem, rounds, seed, budget, *args, **kwargs):
        work.append(budget.work_limit)
        return real_heuristic(problem, rounds, seed, budget, *args, **kwargs)

    def relaxation(problem, seconds, wall_s, incumbent, stop, progress, linear_s=None):
        return solving.SolveResult(solving.Status.UNKNOWN, None, solving.Stage.DAY_BOUND,
                                   value_bound=_ceiling(problem)), searched

    def cp_sat(problem, params, *args, **kwargs):
        ran.append(params)
        return solving.SolveResult(solving.Status.UNKNOWN, None, solving.Stage.CPSAT)

    monkeypatch.setattr(solving, "solve_heuristic", heuristic)
    monkeypatch.setattr(solving, "_day_bound", relaxation)
    monkeypatch.setattr(solving, "solve_cpsat", cp_sat)
    params = SolveParams(time_limit_s=2, workers=workers)
    result = solve(problem, params)
    assert result.route is not None and result.value_bound == _ceiling(problem)
    assert bool(ran) == searched
    if workers == 1:
        assert work == [round(2 * params.day_bound_heuristic_share * solving.WORK_PER_SECOND)]


def _far_west_home(problem: Problem, hours: int) -> Problem:
    """The problem with home's clock this many hours behind: its trip days start later than every
    opening elsewhere, so no day counts all its legs (counted_day) and the relaxation limits only
    the legs certain to land on each day."""
    shift = hours * 60
    home = problem.calendars[0]
    moved = LocationCalendar(nights=tuple((a + shift, b + shift) for a, b in home.nights),
                             day_starts=tuple(t + shift for t in home.day_starts), midnights=home.midnights)
    return dataclasses.replace(problem, calendars=(moved, *problem.calendars[1:]))


@pytest.mark.parametrize("seed", FAST_SEEDS)
def test_bound_holds_the_enumerated_optimum_where_days_do_not_count_all_their_legs(seed):
    problem = _far_west_home(random_trip(seed, single_stays=True), 6)
    relaxation = daybound._Relaxation(problem)
    if not relaxation.prepare() or not relaxation.simple:
        pytest.skip("the relaxation does not apply to this random trip (windows across days)")
    assert not all(relaxation.counted_day.values())
    best = _best_worth(problem)
    bound = worth_bound(problem, 1.0)
    if best is not None and bound is not None:
        assert best <= bound


ASEAN_TRIP = """
name: "ASEAN mayors forum in Bangkok and a smart-city week in Jakarta"
home: "Seoul, KR"
window: {earliest_departure: "2019-11-03 08:00", latest_return: "2019-11-14 22:00", max_days: 12}
themes: {smart_city: 3, transport: 2, water_supply: 2, urban_regeneration: 2, e_government: 1, climate: 1, public_housing: 1}
anchors:
  - {name: "ASEAN mayors forum", city: "Bangkok, TH", start: "2019-11-05 09:00", end: "2019-11-05 17:00", role: speaker}
  - {name: "Smart city week opening", city: "Jakarta, ID", start: "2019-11-12 10:00", end: "2019-11-12 12:00"}
candidates: {from_catalog: {within_km: 6000}}
"""


def test_on_a_trip_across_asian_time_zones_routes_are_solutions_and_the_bound_reaches_the_plan(catalogs):
    """Baku (UTC+4) to Manila (UTC+8) and Seoul: no day counts all its legs, and the relaxation limits
    the legs certain to land on each day. Before, it let the delegation hop between two meetings in
    Ulaanbaatar and fly 9 h 16 to Bangkok on one day (bound -9.15 points against a plan of -10.71)."""
    problem = build_problem(load_trip_text(ASEAN_TRIP, catalogs, name="asean"))[0]
    result = solve(problem, SolveParams(time_limit_s=10))
    relaxation = daybound._Relaxation(problem)
    assert relaxation.prepare() and relaxation.simple and not any(relaxation.counted_day.values())
    assert _worth_as_solution(relaxation, result.route) == result.route.worth
    assert result.value_proven and result.value_bound == result.route.worth
