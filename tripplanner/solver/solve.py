"""Heuristic first (a feasible route fast); on small trips an exhaustive search that proves it best
(or improves it), on larger trips the day-indexed relaxation (a bound on worth, often a better
route); then, when that does not settle the trip, CP-SAT warm-started from the best route (better
routes, bounds, proofs). One stage at a time by default; with workers > 1, CP-SAT side by side
with the others."""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Callable

from tripplanner.solver.cpsat import solve_cpsat
from tripplanner.solver.daybound import day_bound
from tripplanner.solver.exact import search_exhaustively, searchable
from tripplanner.solver.heuristic import solve_heuristic
from tripplanner.solver.objective import route_travel, scalar_of_worth
from tripplanner.solver.params import PLAIN_WORK_PER_SECOND, STEPS_PER_SECOND, WORK_PER_SECOND, Budget, Diversity, SolveParams
from tripplanner.solver.plain import plain_time_windows
from tripplanner.solver.problem import NodeKind, Problem
from tripplanner.solver.route import Profile, Route, SolveResult, Stage, Status, make_route, merge

EXACT_HEURISTIC_ROUNDS = 50
"""Local-search rounds before an exhaustive search likely to finish, which finds anything better
itself. A better start cuts the search, more rounds cost time: the slowest bundled example solves
in 3.5 / 3.4 / 3.9 s of CPU after 30 / 50 / 100 rounds."""
UNCOUNTED_ROUNDS = 10**9
"""Side by side (workers > 1) the local search runs until the clock, not for a count of rounds."""
SECOND_SEARCH_MIN_S = 0.5
"""Side by side, time left after the proving stage goes to a second local search (another seed)."""
QUICK_START_MAX_NODES = 20
"""Up to this many nodes the exhaustive search usually finishes (every example and 10-candidate
trip does); above it the local search keeps all its rounds, as the search may only bound the value."""


def differs(problem: Problem, nodes: tuple[int, ...], diversity: Diversity) -> bool:
    """Whether a route keeps its distance from every earlier route, as the CP-SAT model requires."""
    def cities(route) -> set[int]:
        return {problem.nodes[i].group for i in route if problem.nodes[i].kind is NodeKind.VISIT}

    if diversity.max_travel_min is not None and route_travel(problem, nodes) > diversity.max_travel_min:
        return False
    for earlier in diversity.routes:
        if diversity.order_only:
            if set(zip(earlier, earlier[1:])) <= set(zip(nodes, nodes[1:])):
                return False
        elif len(cities(earlier) ^ cities(nodes)) < diversity.min_cities:
            return False
    return True


def _acceptor(problem: Problem, diversity: Diversity | None) -> Callable[[tuple[int, ...]], bool] | None:
    """The local search's test of a route for an alternative plan (None: every route will do)."""
    return (lambda nodes: differs(problem, nodes, diversity)) if diversity else None


def solve(problem: Problem, params: SolveParams = SolveParams(), diversity: Diversity | None = None,
          progress: Callable[[int | None, int | None], None] | None = None,
          stop: threading.Event | None = None) -> SolveResult:
    """Local search; the exhaustive search where it usually finishes, which proves its route best or
    finds the best; where it does not (or did not), the day-indexed relaxation on trips; then,
    unless that settled it or was too large for CP-SAT to search, CP-SAT from the best route
    (better routes, bounds, proofs). Each stage
    returns a SolveResult and route.merge keeps the best of them; each stops on counted work, so a
    re-run gives the same plan. With params.workers > 1 see _side_by_side (the clock ends it).

    progress(best_worth, bound) is called on each improvement (objective.worth units), for a status line.
    """
    clock = time.monotonic()
    first: list[float] = []

    def improved(route: Route) -> None:
        if not first:
            first.append(time.monotonic() - clock)
        if progress:
            progress(route.worth, None)

    def finish(result: SolveResult) -> SolveResult:
        seconds = time.monotonic() - clock
        return dataclasses.replace(
            result, seconds=seconds, interrupted=result.interrupted or (stop is not None and stop.is_set()),
            first_route_seconds=first[0] if first else (seconds if result.route is not None else None))

    if params.workers > 1 and params.use_cpsat:
        return finish(_side_by_side(problem, params, diversity, progress, stop, improved))
    stage = _proving_stage(problem, params, diversity) if params.use_cpsat else None
    exhaustive = stage is Stage.EXHAUSTIVE
    quick_start = exhaustive and problem.size <= QUICK_START_MAX_NODES
    heuristic_share, clock_share = params.local_search_shares(stage is Stage.DAY_BOUND)
    result = _local_search(problem, params, diversity, quick_start, stop, improved, heuristic_share, clock_share)
    if not params.use_cpsat or (stop is not None and stop.is_set()):
        return finish(result)
    exact_share = 0.0
    if exhaustive:
        exact_share = params.exact_share if quick_start else params.exact_share_larger
        clock_left = params.time_limit_s * params.exact_clock_share * params.clock_slack - (time.monotonic() - clock)
        budget = Budget(max(0.0, clock_left), stop, work=round(params.time_limit_s * exact_share * STEPS_PER_SECOND))
        searched = search_exhaustively(problem, result.route, budget)
        result = merge(result, searched)
        if result.found_by is Stage.EXHAUSTIVE:
            improved(result.route)
        if result.status in (Status.OPTIMAL, Status.INFEASIBLE) or searched.interrupted:
            return finish(result)
    bound_share = 0.0
    if day_bounded(problem, params, diversity):
        bound_share = params.day_bound_share
        relaxation_ends = params.time_limit_s * params.exact_clock_share * params.clock_slack
        wall_left = relaxation_ends - (time.monotonic() - clock)
        relaxed, searched = _day_bound(problem, params.time_limit_s * bound_share, wall_left, result.route, stop, progress,
                                       linear_s=wall_left)
        result = merge(result, relaxed)
        bound_share = bound_share if searched else 0.0
        if result.found_by is Stage.DAY_BOUND:
            improved(result.route)
        if result.value_proven or result.status is Status.INFEASIBLE or (stop is not None and stop.is_set()):
            return finish(result)
        if not _route_model_after(relaxed, searched):
            return finish(result)
        if not searched and time.monotonic() - clock >= relaxation_ends:
            return finish(result)  # the relaxation took its time (a 500-candidate trip): no larger model after it
    deterministic_s = params.time_limit_s * (1 - heuristic_share - exact_share - bound_share) * params.deterministic_share
    wall_left = max(0.2, params.time_limit_s * params.clock_slack - (time.monotonic() - clock))
    found = solve_cpsat(problem, params, max(0.1, deterministic_s), hint=result.route, wall_limit_s=wall_left,
                        diversity=diversity, progress=_no_looser(progress, result.value_bound), stop=stop)
    return finish(merge(result, found))


def _no_looser(progress: Callable[[int | None, int | None], None] | None,
               shown: int | None) -> Callable[[int | None, int | None], None] | None:
    """progress for CP-SAT, less a bound looser than one already shown (the day-indexed relaxation's)."""
    if progress is None or shown is None:
        return progress

    def told(best: int | None, bound: int | None) -> None:
        progress(best, bound if bound is not None and bound < shown else None)
    return told


def day_bounded(problem: Problem, params: SolveParams, diversity: Diversity | None) -> bool:
    """Whether the day-indexed relaxation runs: trips with day rules, on the value profile."""
    return (problem.days is not None and params.day_bound_share > 0 and diversity is None
            and params.objective == Profile.VALUE)


def _proving_stage(problem: Problem, params: SolveParams, diversity: Diversity | None) -> Stage | None:
    """The stage that tries to prove the local search's route best: the exhaustive search where it
    usually finishes (trips of up to 20 stops, and plain problems up to its own limit), else the
    day-indexed relaxation on trips with day rules (above 20 stops the search rarely finishes)."""
    value_only = diversity is None and params.objective == Profile.VALUE
    if (params.use_exact and value_only and searchable(problem)
            and (problem.size <= QUICK_START_MAX_NODES or not day_bounded(problem, params, diversity))):
        return Stage.EXHAUSTIVE
    return Stage.DAY_BOUND if day_bounded(problem, params, diversity) else None


def _day_bound(problem: Problem, seconds: float, wall_s: float, incumbent: Route | None,
               stop: threading.Event | None, progress: Callable[[int | None, int | None], None] | None,
               linear_s: float | None = None) -> tuple[SolveResult, bool]:
    """The day-indexed relaxation (solver/daybound/) as a solver stage: its bound on worth (told to
    progress), and its best solution read back as a route when the rule book can time it; and
    whether CP-SAT searched the relaxation (when only linear programs were solved, the stage used little of
    its share)."""
    found = day_bound(problem, seconds, stop, hint=list(incumbent.stops) if incumbent else None, wall_s=wall_s,
                      linear_s=linear_s)
    if found is None:
        return SolveResult(Status.UNKNOWN, None, Stage.DAY_BOUND), False
    if progress:
        progress(None, found.bound)
    route = make_route(problem, found.nodes) if found.nodes else None
    return SolveResult(Status.FEASIBLE if route else Status.UNKNOWN, route, Stage.DAY_BOUND,
                       bound=scalar_of_worth(problem, found.bound, 0), value_bound=found.bound,
                       interrupted=stop is not None and stop.is_set()), found.searched


def _route_model_after(relaxed: SolveResult, searched: bool) -> bool:
    """Whether CP-SAT on the route model follows the day-indexed relaxation: not when linear programs
    alone bounded it (too large for CP-SAT to search in the time: so is the route model, which never
    improved a plan or a bound there, params.day_bound_heuristic_share)."""
    return searched or relaxed.value_bound is None


class _Either:
    """Set when either of two events is (a stop request, or the other side's proof)."""

    def __init__(self, *events: threading.Event | None):
        self.events = [e for e in events if e is not None]

    def is_set(self) -> bool:
        return any(e.is_set() for e in self.events)


def _side_by_side(problem: Problem, params: SolveParams, diversity: Diversity | None,
                  progress: Callable[[int | None, int | None], None] | None, stop: threading.Event | None,
                  improved: Callable[[Route], None]) -> SolveResult:
    """workers > 1: a second search on workers - 1 threads, warm-started from the constructed route,
    and in this thread the local search run at once until the time limit or until either proves
    its route best; the better route and the tighter bounds are kept. The second search is CP-SAT
    on the route model or, on trips the exhaustive search does not settle and the day-indexed
    relaxation bounds, CP-SAT on the relaxation for the whole limit (then on the route model in the
    time it leaves): that proves 30-candidate trips the one-at-a-time order leaves open. After the
    local search, this thread runs the exhaustive search where it usually finishes. The clock ends
    both, so a re-run may differ."""
    clock = time.monotonic()
    limit = params.time_limit_s * params.clock_slack
    left = lambda: max(0.0, limit - (time.monotonic() - clock))  # noqa: E731
    settled = threading.Event()
    halt = _Either(stop, settled)
    accept = _acceptor(problem, diversity)
    found: list[SolveResult] = []
    threads: list[threading.Thread] = []
    bound: list[int] = []

    def reached(route: Route) -> None:
        improved(route)
        if bound and route.worth >= bound[0]:
            settled.set()  # the relaxation's bound is reached: nothing is worth more

    def run_cpsat(hint: Route | None) -> None:
        found.append(solve_cpsat(problem, params, limit * 10, hint=hint, wall_limit_s=left(),
                                 diversity=diversity, progress=_no_looser(progress, bound[0] if bound else None),
                                 stop=halt))
        if found[-1].status in (Status.OPTIMAL, Status.INFEASIBLE):
            settled.set()

    def run_relaxation(hint: Route | None) -> None:
        relaxed_result, searched = _day_bound(problem, limit * 10, left(), hint, halt, progress, linear_s=left() / 2)
        found.append(relaxed_result)
        if relaxed_result.value_bound is not None:
            bound.append(relaxed_result.value_bound)
        if relaxed_result.value_proven or relaxed_result.status is Status.INFEASIBLE:
            settled.set()
        elif _route_model_after(relaxed_result, searched) and left() > SECOND_SEARCH_MIN_S and not halt.is_set():
            run_cpsat(hint)

    def start(second: Callable[[Route | None], None]) -> None:
        hint = solve_heuristic(problem, 0, params.seed, Budget(left(), stop), profile=params.objective, accept=accept)
        thread = threading.Thread(target=second, args=(hint,), daemon=True)
        threads.append(thread)
        thread.start()

    stage = _proving_stage(problem, params, diversity)
    exhaustive = stage is Stage.EXHAUSTIVE
    small = exhaustive and problem.size <= QUICK_START_MAX_NODES
    if stage is Stage.DAY_BOUND:
        start(run_relaxation)
    elif not small:  # on small trips the exhaustive search usually settles in under a second: CP-SAT only if not
        start(run_cpsat)
    search_s = limit * (params.heuristic_share if exhaustive else 1.0) - (time.monotonic() - clock)
    budget = Budget(max(0.0, search_s), halt)
    rounds = EXACT_HEURISTIC_ROUNDS if small else UNCOUNTED_ROUNDS  # the exhaustive search finds anything better itself
    route = solve_heuristic(problem, rounds, params.seed, budget, reached, profile=params.objective, accept=accept)
    result = SolveResult(Status.FEASIBLE if route else Status.UNKNOWN, route, Stage.LOCAL_SEARCH, wall_clock_stop=True)
    if exhaustive and not budget.stopped():
        result = merge(result, search_exhaustively(problem, result.route, Budget(left(), halt)))
        if result.status in (Status.OPTIMAL, Status.INFEASIBLE) or result.value_proven:
            settled.set()
        elif left() > SECOND_SEARCH_MIN_S:  # the exhaustive search ended early: search on
            again = solve_heuristic(problem, UNCOUNTED_ROUNDS, params.seed + 1, Budget(left(), halt),
                                    improved, profile=params.objective, accept=accept)
            result = merge(result, SolveResult(Status.FEASIBLE if again else Status.UNKNOWN, again,
                                               Stage.LOCAL_SEARCH, wall_clock_stop=True))
    if small and not settled.is_set():
        start(run_cpsat)
    for thread in threads:
        thread.join()
    for second in found:
        result = merge(result, second)
    return dataclasses.replace(result, interrupted=stop is not None and stop.is_set())  # not the other side's proof


def _local_search(problem: Problem, params: SolveParams, diversity: Diversity | None, quick_start: bool,
                  stop: threading.Event | None, improved: Callable[[Route], None], share: float,
                  clock_share: float) -> SolveResult:
    """The local search as a solver stage, with these shares of the time limit (params.local_search_shares)."""
    rounds = min(params.heuristic_iterations, EXACT_HEURISTIC_ROUNDS) if quick_start else params.heuristic_iterations
    accept = _acceptor(problem, diversity)
    rate = PLAIN_WORK_PER_SECOND if plain_time_windows(problem) else WORK_PER_SECOND
    budget = Budget(params.time_limit_s * clock_share * params.clock_slack,
                    stop, work=round(params.time_limit_s * share * rate))
    route = solve_heuristic(problem, rounds, params.seed, budget, improved, profile=params.objective, accept=accept)
    return SolveResult(Status.FEASIBLE if route else Status.UNKNOWN, route, Stage.LOCAL_SEARCH,
                       wall_clock_stop=budget.expired, interrupted=budget.stopped())
