"""A proven upper bound on a multi-day trip's worth: a day-indexed relaxation, bounded by its linear
relaxation (GLOP, exact dual bound: solver/lpbound.py) and by CP-SAT.

The route is read day by day. A *block* is what the delegation does in one place on one trip day:
the engagements (anchors, visits) that start there on that day (a visit's window day, an anchor's
local trip day), one after the other. A route is one path through a time-expanded graph:

    home -> (k, 0, A) -> (k, 1, B) -> Dep(k, B) -> (k+1, 0, C) -> Dep(k+1, C) -> Dep(k+2, C) -> ... -> home

(k, q, A) is the q-th block of day k, in place A; an arc (k, q, A) -> (k, q+1, B) is a move in the
middle of the day; Dep(k, A) is the end of day k in A, from which the night's move leaves for the
first block of day k+1 (or, Dep(k, A) -> Dep(k+1, A), a day without engagements). The graph has no
cycle, so a flow of one from home to home is a path. When no engagement is mandatory and the trip
has booked nights, a route of nights alone is a plan: the arc home -> home stands for it, charged
the least travel such a route has. The model keeps, as the rule book states them:

* the value (scores at the theme repeat factor, each theme's best in full, each city's bonus once)
  and the travel cost of every leg: the flights, the moves between places, the hops between two
  engagements in one place;
* the visit slots of each day, the windows' days, the anchors' days, one stay per city
  (split_stays), max_cities, the pinned cities;
* time in a day: each block lies within its place's opening hours and holds its engagements and
  hops; the blocks of a day follow each other with the move's leg and arrival buffer between them;
  the other engagements of an anchor's block fit before or after the anchor's fixed hours; the first
  engagement of the trip waits for the flight and its rest;
* travel per day (counted as the rule book counts it): moves and hops on their day, the night's leg
  on the evening before (landing by the latest arrival the rule book allows on that day, leaving
  after the day's last engagement) or on the next morning (landing no earlier than the rule book
  allows on the next day, the day's first engagement after its arrival buffer); where the places'
  trip days begin too far apart for every leg of a day to count on it (far time zones), the limit
  holds the legs certain to land on that day of their destination;

and drops the rest: the exact windows within a day, rest, max_days and hotel changes. Every rule it
keeps is implied by the route's rules and every cost it charges is the route's, so its optimum (and
any bound on it) is at least any feasible route's worth; tests/solver/test_daybound.py checks that
routes are solutions of the model worth exactly their worth.

That holds as stated where each place has one block a day and consecutive blocks are joined by one
direct leg: no split stays, no place with two fixed stops, no booked night, no visit at home (the
*simple* case, which covers the generated trips and three of the four examples). Otherwise a place
may take several positions a day, legs are priced at shortest-path times (a booked night elsewhere
may lie between two blocks; none between two nodes of a place with a booked night), no hop is
charged where a night or a second stay may split a block, and the timing of blocks and of the
night's leg is dropped (its counted minutes split freely).

The linear relaxation (GLOP) gives a bound in well under a second up to 50 candidates (1.7 s on
the 60-candidate, 21-day generated trip). In the simple case, where the budget allows, the linear
program is also solved over copies of the path that remember the places left (memory.py): the
plain one lets a fraction of the route go back to a place it left, which a route never does, and
the copies' bound is tighter (50 x 14: 1.53 -> 0.61 points in 2 s, with rows that keep one stay
from attending an engagement on each of its days). CP-SAT, on models small enough for its presolve
to end in time, improves the bound with its cuts and search and, on small trips, solves the model;
the plain linear program runs first (its bound stands when nothing after it ends in time), then
the copies' program where CP-SAT likely does not beat the linear bounds in the time, else CP-SAT
and, when it has not solved the model, the copies' program after it. Nothing runs past the call's
wall clock, and the model is not built past it. The bound is the smallest found.
worth_bound returns None when the trip has no day rules, when a later trip day could come before
an earlier one in time (windows across day boundaries, far time zones) or when the model has no
solution (then no route has one either).
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from ortools.sat.python import cp_model

from tripplanner.solver.cpsat import reported_bound, run_stoppable
from tripplanner.solver.daybound.blocks import _OutOfTime, _TooManyBlocks
from tripplanner.solver.daybound.memory import memory_bound
from tripplanner.solver.daybound.model import _Relaxation
from tripplanner.solver.daybound.routes import apply_values
from tripplanner.solver.lpbound import lp_bound
from tripplanner.solver.problem import Problem

__all__ = ["DayBound", "apply_values", "day_bound", "worth_bound"]

DETERMINISTIC_PER_SECOND = 0.3
"""CP-SAT deterministic time per second of the bound's budget. One worker on this model does 0.3-0.6
deterministic seconds per second of wall time (2-core machine: 2.5 took 5.9 s on the generated
30 x 14 trip), so 0.3 lets the deterministic limit, not the wall-clock net, end the search even on
a loaded machine: the same request gives the same plan."""
CPSAT_MAX_VARIABLES = 5000
"""Above this many model variables CP-SAT does not beat the LP bound in 10 s: 5,900 on the generated
50-candidate, 14-day trip (2 s of presolve, root LP still converging at 10 s), 13,000 on the
60-candidate, 21-day one (7 s of presolve); 3,400 on the 30 x 14 one, where it gains 0.3 points in 4 s."""
CPSAT_VARIABLES_PER_SECOND = 400
"""With a longer budget CP-SAT searches larger models, up to this many variables per second of it.
Measured on the generated 50 x 14 trips (5,941 variables): with 7 s it stops before beating the LP
(1.527 and 4.204 points), with 15 s it brings the bound to 1.077 and 3.497; on 60 x 21 (13,000
variables) 30 s still end in presolve, as this rate expects."""


@dataclass(frozen=True)
class DayBound:
    """What the relaxation proved, and its best solution read as a route."""

    bound: int
    """No feasible route is worth more (objective.worth units)."""
    solved: bool
    """The relaxation was solved to optimality (its best solution reaches the bound)."""
    nodes: tuple[int, ...] | None = None
    """The relaxation's best solution as a route (engagements by day and block, each block's order
    the first that schedule_route accepts), in the simple case: a candidate for make_route, unchecked."""
    searched: bool = False
    """CP-SAT searched the relaxation (it is small enough); otherwise the bound is the linear program's alone."""


def worth_bound(problem: Problem, seconds: float, stop: threading.Event | None = None) -> int | None:
    """A proven upper bound on the worth (objective.worth units) of every feasible route of a trip with
    day rules, from the day-indexed relaxation (module docstring); None when it does not apply."""
    result = day_bound(problem, seconds, stop)
    return None if result is None else result.bound


def day_bound(problem: Problem, seconds: float, stop: threading.Event | None = None, hint=None,
              wall_s: float | None = None, linear_s: float | None = None) -> DayBound | None:
    """worth_bound with the relaxation's best solution; hint: a timed route (schedule.Stop list) to
    start from, in the simple case. Deterministic: one worker, a deterministic time limit (the wall
    clock is only a safety net at twice the budget, or wall_s from the call when sooner), a fixed seed.
    linear_s: the budget of the linear program over copies (seconds when None); where CP-SAT likely
    beats the linear bounds in the time (the smaller of seconds and wall_s), it searches the model
    and that program runs after it (when it has not solved the model) in linear_s of the time left;
    else that program after the plain one, with the rest of wall_s."""
    clock = time.monotonic()
    deadline = None if wall_s is None else clock + wall_s
    linear_s = seconds if linear_s is None else linear_s

    def wall_left() -> float | None:
        return None if deadline is None else deadline - time.monotonic()

    def linear_budget(whole_wall: bool = False) -> float:
        left = wall_left()
        if left is None:
            return linear_s
        return left if whole_wall else min(linear_s, left)

    if problem.days is None:
        return None
    relaxation = _Relaxation(problem)
    if not relaxation.prepare():
        return None
    try:
        built = relaxation.build(deadline)
    except (_TooManyBlocks, _OutOfTime):
        return None  # a day of too many blocks, or building it took the time (a 500-candidate trip: 3 s)
    left = wall_left()
    if built is None or left is not None and left <= 0:
        return None
    model, scale = built

    def within(budget: float) -> bool:
        """CP-SAT likely beats the linear bounds on the model in this budget."""
        return len(model.Proto().variables) <= max(CPSAT_MAX_VARIABLES, CPSAT_VARIABLES_PER_SECOND * budget)

    searched = within(seconds if wall_s is None else min(seconds, wall_s))
    best = lp_bound(model, stop, wall_left())  # 0.2-2.4 s: kept where the copies' program does not end in time
    if not searched:
        best = _lowest(best, memory_bound(relaxation, model, linear_budget(whole_wall=True), stop, wall_left()))
    solved, nodes = False, None
    if searched:
        if hint is not None:
            values = relaxation.route_values(hint)
            if values is not None:
                apply_values(model, values)
        solver = cp_model.CpSolver()
        solver.parameters.catch_sigint_signal = False
        solver.parameters.num_workers = 1
        solver.parameters.random_seed = 0
        solver.parameters.linearization_level = 2
        solver.parameters.cp_model_probing_level = 0
        solver.parameters.max_deterministic_time = max(0.05, seconds * DETERMINISTIC_PER_SECOND)
        wall = 2 * seconds if wall_s is None else min(2 * seconds, wall_s)
        solver.parameters.max_time_in_seconds = max(0.2, wall - (time.monotonic() - clock))
        code = run_stoppable(solver, model, None, stop)
        if code == cp_model.INFEASIBLE:
            return None
        if code == cp_model.MODEL_INVALID:
            raise RuntimeError(model.Validate())
        found = reported_bound(solver, code)
        if found is not None:
            best = _lowest(best, found)
            solved = code == cp_model.OPTIMAL  # then found is the optimum, at most the LP's bound
        if code in (cp_model.OPTIMAL, cp_model.FEASIBLE) and relaxation.simple:
            nodes = relaxation.read_route(solver)
        if not solved and not (stop is not None and stop.is_set()):
            best = _lowest(best, memory_bound(relaxation, model, linear_budget(), stop, wall_left()))
    if best is None:
        return None
    return DayBound(best * scale, solved, nodes, searched=searched)


def _lowest(*bounds: int | None) -> int | None:
    """The tightest of these bounds (None when there is none)."""
    return min((b for b in bounds if b is not None), default=None)
