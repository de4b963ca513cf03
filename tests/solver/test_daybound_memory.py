"""The day-indexed relaxation's linear bound with a memory of the places left (solver/daybound/memory.py):
every route is one of its paths, so it bounds every route, and it is tighter than the plain one."""

from __future__ import annotations

import threading
import time

import pytest

from tripplanner.api import load_trip_text
from tripplanner.solver import daybound
from tripplanner.solver.build import build_problem
from tripplanner.solver.daybound.memory import bound_over, copies_of, memory_bound
from tripplanner.solver.daybound.routes import SINK, SOURCE
from tripplanner.solver.daybound.blocks import _OutOfTime
from tripplanner.solver.lpbound import linear_program, lp_bound, solve_bound
from tripplanner.solver.params import SolveParams
from tripplanner.solver.solve import solve
from tripplanner.solver.stopping import deadline_in

from benchmarks.generated import generated_request
from tests.solver.test_daybound import FAST_SEEDS, _best_worth, random_trip

ENOUGH_SECONDS = 100.0


@pytest.fixture(scope="module")
def generated(catalogs):
    return {f"{c}x{d}": build_problem(load_trip_text(generated_request(c, d), catalogs, name="generated"))[0]
            for c, d in ((12, 7), (30, 14))}


def _built(problem):
    relaxation = daybound._Relaxation(problem)
    assert relaxation.prepare() and relaxation.simple
    model, scale = relaxation.build()
    return relaxation, model, scale


def _path(relaxation, values) -> list:
    """The arcs a route takes in the model, from home to home."""
    taken = {tail: (head, literal) for (tail, head), literal in relaxation.variables.arcs.items() if values[literal]}
    path, node = [], SOURCE
    while node != SINK:
        head, literal = taken[node]
        path.append(literal)
        node = head
    return path


@pytest.mark.parametrize("places", [1, 2, 3])
@pytest.mark.parametrize("name", ["12x7", "30x14"])
def test_a_route_is_a_path_of_the_copies(generated, name, places):
    """Validity: a route's arcs, from home, can be followed copy by copy (no copy it needs is left out)."""
    problem = generated[name]
    route = solve(problem, SolveParams(time_limit_s=1)).route
    relaxation, _, _ = _built(problem)
    values = relaxation.route_values(route.stops)
    copies = copies_of(relaxation, 10**9, places)
    state = (SOURCE, frozenset())
    places = set()
    for literal in _path(relaxation, values):
        step = [head for arc, tail, head in copies if arc is literal and tail == state]
        assert len(step) == 1
        state = step[0]
        if state[0] != SINK:
            places.add(state[0][2])
    assert state[0] == SINK and len(places) >= 2


def test_memory_bound_holds_the_route_and_is_tighter_than_the_plain_linear_bound(generated):
    """On the 30 x 14 trip a fraction of the plain program's path goes back to places it left; the
    copies forbid that and the bound drops (measured: -5.24 -> -5.41 points)."""
    problem = generated["30x14"]
    route = solve(problem, SolveParams(time_limit_s=2)).route
    relaxation, model, scale = _built(problem)
    plain = lp_bound(model)
    memory = memory_bound(relaxation, model, ENOUGH_SECONDS)
    assert plain is not None and memory is not None
    assert route.worth <= memory * scale < plain * scale


@pytest.mark.parametrize("seed", FAST_SEEDS)
def test_memory_bound_holds_the_enumerated_optimum_of_random_trips(seed):
    """Random small trips with one stay per city and no booked night (the simple case)."""
    problem = random_trip(seed, single_stays=True)
    relaxation = daybound._Relaxation(problem)
    if not relaxation.prepare() or not relaxation.simple:
        pytest.skip("the relaxation does not apply to this random trip (windows across days)")
    built = relaxation.build()
    best = _best_worth(problem)
    if built is None:
        assert best is None
        return
    model, scale = built
    memory = memory_bound(relaxation, model, ENOUGH_SECONDS)
    assert memory is not None
    if best is not None:
        assert best <= memory * scale


def test_no_memory_bound_beyond_the_budget_or_outside_the_simple_case(generated):
    relaxation, model, _ = _built(generated["30x14"])
    count = len(copies_of(relaxation, 10**9, 1))
    assert copies_of(relaxation, count - 1, 1) is None and len(copies_of(relaxation, count, 1)) == count
    assert len(copies_of(relaxation, 10**9, 2)) > count
    assert memory_bound(relaxation, model, 0.0) is None
    relaxation.simple = False
    assert memory_bound(relaxation, model, ENOUGH_SECONDS) is None


def test_the_stay_rows_tighten_the_bound_and_hold_the_route(generated):
    """One stay may not attend an engagement on each of its days (30 x 14, one place in memory:
    measured -5.41 -> -5.46 points)."""
    problem = generated["30x14"]
    route = solve(problem, SolveParams(time_limit_s=2)).route
    relaxation, model, scale = _built(problem)
    copies = copies_of(relaxation, 10**9, 1)
    without, with_rows = (bound_over(relaxation, model, copies, once) for once in (False, True))
    assert without is not None and with_rows is not None
    assert route.worth <= with_rows * scale < without * scale


@pytest.mark.parametrize("searched", [False, True])
def test_day_bound_takes_the_copies_bound_after_the_plain_one_or_after_cp_sat(generated, monkeypatch, searched):
    """Too large for CP-SAT: the copies' bound (tighter than the plain LP's) is the day bound. Searched
    by CP-SAT and not solved in the budget: the copies' bound runs after it and the day bound is the
    tighter of the two."""
    problem = generated["30x14"]
    calls = []

    def recorded(relaxation, model, seconds, stop, wall_s=None):
        calls.append(seconds)
        calls.append(memory_bound(relaxation, model, seconds, stop, wall_s))
        return calls[-1]

    monkeypatch.setattr(daybound, "memory_bound", recorded)
    monkeypatch.setattr(daybound, "CPSAT_MAX_VARIABLES", 10**9 if searched else 0)
    monkeypatch.setattr(daybound, "CPSAT_VARIABLES_PER_SECOND", 0)
    found = daybound.day_bound(problem, 1.0)
    assert found.searched is searched and not found.solved
    assert calls[0] == 1.0 and calls[1] is not None
    _, _, scale = _built(problem)
    assert found.bound == calls[1] * scale if not searched else found.bound <= calls[1] * scale


@pytest.mark.parametrize("searched", [False, True])
def test_the_copies_bound_has_the_clock_left_and_after_cp_sat_its_share(generated, monkeypatch, searched):
    """Without CP-SAT (unlikely to beat it in the time), the copies' program may use all of the call's
    wall clock that the plain LP left; run after CP-SAT, only linear_s of it; never past the call's
    wall clock. When it gives no bound (it did not end in time), the plain LP's is the day bound."""
    problem = generated["30x14"]
    budgets = []

    def recorded(relaxation, model, seconds, stop, wall_s=None):
        budgets.append(seconds)
        assert wall_s is not None and wall_s <= 30.0
        return None

    monkeypatch.setattr(daybound, "memory_bound", recorded)
    monkeypatch.setattr(daybound, "CPSAT_MAX_VARIABLES", 10**9 if searched else 0)
    monkeypatch.setattr(daybound, "CPSAT_VARIABLES_PER_SECOND", 0)
    found = daybound.day_bound(problem, 0.5, wall_s=30.0, linear_s=0.25)
    assert found is not None and found.searched is searched
    assert len(budgets) == 1
    assert budgets[0] <= 0.25 if searched else 25.0 < budgets[0] <= 30.0
    if not searched:
        _, model, scale = _built(problem)
        assert found.bound == lp_bound(model) * scale


class _SetAfterFirstLook:
    """A stop request made just after the solve has started: not set when first looked at, set after."""

    def __init__(self):
        self.looks = 0

    def is_set(self) -> bool:
        self.looks += 1
        return self.looks > 1


def test_a_stop_request_interrupts_glop_and_leaves_no_bound(generated):
    """GLOP on the copies' program (two places and the stay rows, which memory_bound solves with
    enough time: 1.4 s on the 30 x 14 trip) is interrupted at the first look for a request after it
    starts (0.1 s); a request made before starts no linear program and leaves the day bound none."""
    relaxation, model, _ = _built(generated["30x14"])
    copies = copies_of(relaxation, 10**9, 2)
    stop = _SetAfterFirstLook()
    assert bound_over(relaxation, model, copies, True, stop=stop) is None
    assert stop.looks >= 2
    made = threading.Event()
    made.set()
    assert lp_bound(model, made) is None
    assert memory_bound(relaxation, model, ENOUGH_SECONDS, made) is None
    assert daybound.day_bound(generated["30x14"], 5.0, made) is None


def test_no_linear_program_runs_once_the_wall_clock_is_spent(generated):
    """A 500-candidate trip spent 3 s building the relaxation and 8 s on the plain LP of a 2 s solve:
    the LP has the wall left, and none runs when building took it all."""
    problem = generated["30x14"]
    relaxation, model, _ = _built(problem)
    assert lp_bound(model, wall_s=0.0) is None
    assert lp_bound(model, wall_s=ENOUGH_SECONDS) is not None
    assert daybound.day_bound(problem, 5.0, wall_s=0.0) is None
    assert daybound.day_bound(problem, 5.0, wall_s=ENOUGH_SECONDS) is not None


def test_the_copies_program_keeps_to_the_wall_given(generated):
    """Its own safety net is twice its budget; a wall given by the caller (the solve's limit) is kept
    even when the budget says the program fits: two workers' 60 x 21 solve ended at 12.8 s of 10."""
    problem = generated["30x14"]
    relaxation, model, _ = _built(problem)
    assert memory_bound(relaxation, model, ENOUGH_SECONDS, wall_s=1e-9) is None
    assert memory_bound(relaxation, model, ENOUGH_SECONDS, wall_s=ENOUGH_SECONDS) is not None


def test_building_stops_at_its_deadline(generated):
    """A 500-candidate trip spent 3 s building the relaxation (and 1.5 s building GLOP's program) past
    a 2 s limit: neither the model nor GLOP's program is built past its deadline."""
    problem = generated["30x14"]
    relaxation = daybound._Relaxation(problem)
    assert relaxation.prepare()
    with pytest.raises(_OutOfTime):
        relaxation.build(deadline=time.monotonic() - 1)
    relaxation.build(deadline=time.monotonic() + ENOUGH_SECONDS)  # the same relaxation builds in time
    program = linear_program(relaxation.build()[0])
    assert solve_bound(program, deadline_in(1e-9)) is None
    assert solve_bound(program, deadline_in(ENOUGH_SECONDS)) is not None
