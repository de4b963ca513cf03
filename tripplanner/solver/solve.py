"""Heuristic first (a feasible route fast); on small trips an exhaustive search that proves it best
(or improves it); then, when that does not settle the trip, CP-SAT warm-started from the best route
(better routes, bounds, proofs)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from tripplanner.solver.cpsat import solve_cpsat
from tripplanner.solver.exact import Proof, prove, searchable
from tripplanner.solver.heuristic import Route, make_route, solve_heuristic
from tripplanner.solver.objective import route_travel, travel_weight
from tripplanner.solver.params import STEPS_PER_SECOND, WORK_PER_SECOND, Budget, Diversity, SolveParams
from tripplanner.solver.problem import NodeKind, Problem
from tripplanner.solver.twils import plain_time_windows, solve_time_windows

EXACT_HEURISTIC_ROUNDS = 50
"""Local-search rounds before an exhaustive search likely to finish, which finds anything better
itself. A better start cuts the search, more rounds cost time: the slowest bundled example solves
in 3.5 / 3.4 / 3.9 s of CPU after 30 / 50 / 100 rounds."""
QUICK_START_MAX_NODES = 20
"""Up to this many nodes the exhaustive search usually finishes (every example and 10-candidate
trip does); above it the local search keeps all its rounds, as the search may only bound the value."""


@dataclass(frozen=True)
class SolveResult:
    status: str
    """'optimal' (proven), 'feasible', 'infeasible' (proven) or 'unknown' (no route found, no proof)."""
    route: Route | None
    bound: int | None
    """Best proven upper bound on the objective (None when the model was sparse or did not run)."""
    seconds: float
    found_by: str
    """'heuristic', 'exhaustive search' (solver/exact.py) or 'cpsat'."""
    complete_graph: bool
    wall_clock_stop: bool = False
    """The clock, not a fixed count of rounds, a deterministic budget or a proof, ended a search: a re-run may differ."""
    first_route_seconds: float | None = None
    """When the first feasible route was known."""
    value_proven: bool = False
    """No route has more value (the travel tie-break may still be unproven)."""
    interrupted: bool = False
    """A stop request (Ctrl-C) ended the search early."""

    def is_feasible(self) -> bool:
        return self.route is not None

    @property
    def gap(self) -> float | None:
        if self.route is None or self.bound is None:
            return None
        if self.bound == self.route.objective:
            return 0.0
        return abs(self.bound - self.route.objective) / max(1, abs(self.bound))


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


def solve(problem: Problem, params: SolveParams = SolveParams(), diversity: Diversity | None = None,
          progress: Callable[[int | None, int | None], None] | None = None,
          stop: threading.Event | None = None) -> SolveResult:
    """Local search; on trips of up to exact.MAX_NODES nodes the exhaustive search, which proves its
    route best or finds the best; then, unless that settled it, CP-SAT from the best route (better
    routes, bounds, proofs). Each stage stops on counted work, so a re-run gives the same plan.

    progress(best_value, bound) is called on each improvement (route_value units), for a status line.
    """
    clock = time.monotonic()
    first: list[float] = []

    def improved(route: Route) -> None:
        if not first:
            first.append(time.monotonic() - clock)
        if progress:
            progress(route.value, None)

    accept = (lambda nodes: differs(problem, nodes, diversity)) if diversity else None
    share = params.heuristic_share if params.use_cpsat else 1.0
    exhaustive = (params.use_cpsat and params.use_exact and diversity is None and params.objective == "value"
                  and searchable(problem))
    quick_start = exhaustive and problem.size <= QUICK_START_MAX_NODES
    rounds = min(params.heuristic_iterations, EXACT_HEURISTIC_ROUNDS) if quick_start else params.heuristic_iterations
    exact_share = params.exact_share if quick_start else params.exact_share_larger
    if diversity is None and params.objective == "value" and plain_time_windows(problem):
        heuristic_budget = Budget(params.time_limit_s * share, stop)
        nodes = solve_time_windows(problem, params.heuristic_iterations, params.seed, heuristic_budget,
                                   lambda found: improved(make_route(problem, found)))
        route = make_route(problem, nodes)
    else:
        heuristic_budget = Budget(params.time_limit_s * (params.heuristic_clock_share if params.use_cpsat else 1.0),
                                  stop, work=round(params.time_limit_s * share * WORK_PER_SECOND))
        route = solve_heuristic(problem, rounds, params.seed, heuristic_budget, improved,
                                profile=params.objective, accept=accept)
    heuristic_seconds = time.monotonic() - clock
    if not params.use_cpsat or (stop is not None and stop.is_set()):
        return SolveResult("feasible" if route else "unknown", route, None, heuristic_seconds, "heuristic", False,
                           wall_clock_stop=heuristic_budget.expired, first_route_seconds=first[0] if first else None,
                           interrupted=stop is not None and stop.is_set())
    found_by = "heuristic"
    proof, proof_budget = None, None
    if exhaustive:
        proof_budget = Budget(params.time_limit_s * params.exact_clock_share, stop,
                              work=round(params.time_limit_s * exact_share * STEPS_PER_SECOND))
        proof = prove(problem, route.nodes if route else None, route.value if route else 0, proof_budget)
        found = make_route(problem, proof.best_nodes) if proof.best_nodes else None
        if found is not None and (route is None or found.key > route.key):
            route, found_by = found, "exhaustive search"
            improved(route)
        settled = _after_search(problem, proof, proof_budget, route, found_by, first, time.monotonic() - clock,
                                heuristic_budget.expired)
        if settled is not None:
            return settled
    deterministic_s = params.time_limit_s * (1 - params.heuristic_share - (exact_share if proof else 0)) * params.deterministic_share
    wall_left = max(0.2, params.time_limit_s - (time.monotonic() - clock))
    outcome = solve_cpsat(problem, params, max(0.1, deterministic_s), hint=route, wall_limit_s=wall_left,
                          diversity=diversity, progress=progress, stop=stop)
    if outcome.route is not None and (route is None or outcome.route.key > route.key):
        route, found_by = outcome.route, "cpsat"
    status = outcome.status
    if status == "optimal" and outcome.route is not None and route.key > outcome.route.key:
        status = "feasible"  # the heuristic beat a claimed optimum: the claim cannot stand
    value_proven = outcome.value_proven and route is not None and outcome.value_bound is not None and route.value >= outcome.value_bound
    if status in ("unknown", "infeasible") and route is not None:
        status = "feasible"
    bound = outcome.bound if outcome.complete_graph else None
    if proof is not None:
        weight = travel_weight(problem)
        searched = proof.best_key[0] * weight + proof.best_key[1] if proof.complete else proof.value_bound * weight
        bound = searched if bound is None else min(bound, searched)
        value_proven |= route is not None and route.value >= proof.value_bound
    seconds = time.monotonic() - clock
    if not first and route is not None:
        first.append(seconds)
    interrupted = stop is not None and stop.is_set()
    clock_stop = outcome.wall_clock_stop or heuristic_budget.expired or (proof_budget is not None and proof_budget.expired)
    return SolveResult(status, route, bound, seconds, found_by, outcome.complete_graph, clock_stop,
                       first[0] if first else None, value_proven, interrupted)


def _after_search(problem: Problem, proof: Proof, budget: Budget, route: Route | None, found_by: str,
                  first: list[float], seconds: float, clock_stop: bool) -> SolveResult | None:
    """The result when the exhaustive search settles the trip (the route proven best, or none
    exists) or a stop request ended it; None when CP-SAT should go on."""
    if proof.complete and route is None and proof.best_nodes is None:
        return SolveResult("infeasible", None, None, seconds, found_by, True, clock_stop)
    if proof.complete and route is not None and route.key == proof.best_key:
        return SolveResult("optimal", route, route.objective, seconds, found_by, True, clock_stop,
                           first[0] if first else seconds, value_proven=True)
    if budget.stopped():
        return SolveResult("feasible" if route else "unknown", route, proof.value_bound * travel_weight(problem),
                           seconds, found_by, True, clock_stop or budget.expired, first[0] if first else None,
                           route is not None and route.value >= proof.value_bound, interrupted=True)
    return None
