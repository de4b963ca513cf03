"""Solving the CP-SAT model of solver/rules.py: warm start, deterministic budgets, value then travel, stop requests."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable

from ortools.sat.python import cp_model

from tripplanner.solver.objective import MINUTES_PER_HOUR, scalar_of_worth
from tripplanner.solver.params import Diversity, SolveParams
from tripplanner.solver.problem import Problem
from tripplanner.solver.route import Profile, Route, SolveResult, Stage, Status, make_route
from tripplanner.solver.rules import (
    RouteModel, add_diversity, add_hint, add_max_days, add_pins, add_route_shape, allowed_arcs, co2_expression, eligible_nodes,
    model_timing_rules, objective_terms,
)
from tripplanner.solver.stopping import until_stopped

START, END = Problem.START, Problem.END


HINT_WALL_FACTOR = 2.0
"""The hint's completion may take this many times its deterministic budget in wall time (about what
a deterministic second costs on 2 cores), so that the deterministic budget, not the clock, ends it."""
INTERLEAVED_WORKERS = 2
"""Search strategies CP-SAT interleaves in the deterministic mode (one worker, the default): the
same answer on every run and any number of cores."""
HINT_COMPLETION_S = 2.0
"""Time to extend the route hint to every auxiliary variable (day indices, shares) before searching."""


def _complete_hint(model: cp_model.CpModel, seconds: float, wall_s: float, stop: threading.Event | None = None) -> bool:
    """Replace a partial hint by a full solution with the hinted values fixed; False if that fails."""
    solver = cp_model.CpSolver()
    solver.parameters.catch_sigint_signal = False
    solver.parameters.fix_variables_to_their_hinted_value = True
    solver.parameters.num_workers = 1
    solver.parameters.max_deterministic_time = seconds
    solver.parameters.max_time_in_seconds = wall_s
    if run_stoppable(solver, model, None, stop) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return False
    _hint_from(model, solver)
    return True


def _solver(params: SolveParams, deterministic_s: float, wall_s: float) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.catch_sigint_signal = False  # Ctrl-C is the CLI's to handle (see run_stoppable)
    solver.parameters.random_seed = params.seed
    solver.parameters.max_time_in_seconds = max(0.05, wall_s)
    solver.parameters.max_deterministic_time = max(0.05, deterministic_s)
    if params.workers > 1:  # side by side with the local search (solve.py): the other cores, by the clock
        solver.parameters.num_workers = params.workers - 1
    else:
        solver.parameters.num_workers = INTERLEAVED_WORKERS
        solver.parameters.interleave_search = True
    return solver


class _Progress(cp_model.CpSolverSolutionCallback):
    """Reports each improving solution of the value phase (objective and bound) to a status line."""

    def __init__(self, report: Callable[[int | None, int | None], None], value_phase: bool):
        super().__init__()
        self.report, self.value_phase = report, value_phase

    def on_solution_callback(self) -> None:
        if self.value_phase:
            self.report(round(self.ObjectiveValue()), round(self.BestObjectiveBound()))


def run_stoppable(solver: cp_model.CpSolver, model: cp_model.CpModel, callback=None, stop: threading.Event | None = None) -> int:
    """Solve; with a stop event, the search stops within stopping.STOP_POLL_S of a request."""
    return until_stopped(lambda: solver.Solve(model, callback), solver.StopSearch, stop)


def reported_bound(solver: cp_model.CpSolver, code: int) -> int | None:
    """CP-SAT's proven bound on a maximised integer objective, or None where it has none (stopped in
    presolve)."""
    response = solver.response_proto
    past_presolve = code != cp_model.UNKNOWN or response.num_booleans > 0 or response.num_integers > 0
    bound = solver.BestObjectiveBound()
    return math.ceil(bound - 1e-6) if past_presolve and math.isfinite(bound) else None


def _hint_from(model: cp_model.CpModel, solver: cp_model.CpSolver) -> None:
    model.ClearHints()
    for index in range(len(model.Proto().variables)):
        variable = model.get_int_var_from_proto_index(index)
        model.AddHint(variable, solver.Value(variable))


def solve_cpsat(problem: Problem, params: SolveParams, time_limit_s: float, hint: Route | None = None,
                wall_limit_s: float | None = None, diversity: Diversity | None = None,
                progress: Callable[[int | None, int | None], None] | None = None,
                stop: threading.Event | None = None) -> SolveResult:
    """Solve lexicographically: the most worth first (value less the cost of travel), then the least
    travel for that worth (the other profiles: their criterion, then worth).

    The hint (a heuristic route) is a warm start, never a constraint. time_limit_s is a
    deterministic budget (the same run gives the same answer); wall_limit_s, when given, is a
    wall-clock safety limit counted from the call, model building included.
    """
    clock = time.monotonic()
    wall_limit_s = time_limit_s if wall_limit_s is None else wall_limit_s
    nodes = eligible_nodes(problem)
    full = len(nodes) <= params.full_model_max_nodes
    m = model_timing_rules(problem, nodes, allowed_arcs(problem, nodes, full, params.sparse_neighbours, hint))
    days = add_max_days(m) if problem.days is not None else 0
    add_pins(m, nodes)
    add_route_shape(m, nodes)
    if diversity is not None:
        add_diversity(m, nodes, diversity)
    value, travel = objective_terms(m, nodes)
    merit = MINUTES_PER_HOUR * value - problem.travel_cost_per_hour * travel  # objective.worth, stated for CP-SAT
    if diversity is not None and diversity.max_travel_min is not None:
        m.model.Add(travel <= diversity.max_travel_min)
    first = {Profile.TRAVEL: travel, Profile.CO2: co2_expression(m), Profile.DAYS: days}.get(params.objective)
    if first is None:
        m.model.Maximize(merit)
    else:
        m.model.Minimize(first)
    if hint is not None:
        add_hint(m, hint)
        hint_s = min(HINT_COMPLETION_S, 0.2 * time_limit_s)
        if not _complete_hint(m.model, hint_s, HINT_WALL_FACTOR * hint_s * params.clock_slack, stop):
            m.model.ClearHints()
            add_hint(m, hint)

    wall_left = lambda: wall_limit_s - (time.monotonic() - clock)  # noqa: E731
    solver = _solver(params, time_limit_s, wall_left())
    code = run_stoppable(solver, m.model, _Progress(progress, first is None) if progress else None, stop)
    interrupted = lambda: stop is not None and stop.is_set()  # noqa: E731
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        status = Status.INFEASIBLE if code == cp_model.INFEASIBLE and full else Status.UNKNOWN
        # No route yet, a bound all the same.
        value_bound = reported_bound(solver, code) if code == cp_model.UNKNOWN and first is None and full else None
        return SolveResult(status, None, Stage.CPSAT, seconds=time.monotonic() - clock,
                           bound=None if value_bound is None else scalar_of_worth(problem, value_bound, 0),
                           value_bound=value_bound, wall_clock_stop=wall_left() <= 0.05, interrupted=interrupted())
    route = _follow(m, solver)
    first_proven = code == cp_model.OPTIMAL
    first_best = round(solver.ObjectiveValue())
    first_bound = round(solver.BestObjectiveBound())
    second_bound, second_proven = None, False
    spent = solver.deterministic_time
    if first_proven and time_limit_s - spent > 0.05 and wall_left() > 0.05 and not interrupted():
        _hint_from(m.model, solver)
        if first is None:
            m.model.Add(merit >= first_best)
            m.model.Minimize(travel)
        else:
            m.model.Add(first <= first_best)
            m.model.Maximize(merit)
        second = _solver(params, time_limit_s - spent, wall_left())
        code = run_stoppable(second, m.model, None, stop)
        if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            route = _follow(m, second)
            second_bound = round(second.BestObjectiveBound())
            second_proven = code == cp_model.OPTIMAL
    timed = make_route(problem, route, params.objective)
    status = Status.OPTIMAL if first_proven and second_proven and full else Status.FEASIBLE
    if timed is None:  # the model states the stay rule only as a necessary condition (rules.add_route_shape)
        status = Status.UNKNOWN
    if first is None:
        value_bound = first_bound
        bound = scalar_of_worth(problem, value_bound, second_bound or 0)
    else:
        value_bound = second_bound
        bound = scalar_of_worth(problem, value_bound, 0) if value_bound is not None else None
    return SolveResult(
        status=status, route=timed, found_by=Stage.CPSAT,
        bound=bound if full else None, value_bound=value_bound if full else None,
        seconds=time.monotonic() - clock, wall_clock_stop=wall_left() <= 0.05,
        interrupted=interrupted(),
    )


def _follow(m: RouteModel, solver: cp_model.CpSolver) -> list[int]:
    successor = {i: j for (i, j), literal in m.arcs.items() if solver.BooleanValue(literal)}
    route = [START]
    while route[-1] != END and len(route) <= len(m.problem.nodes):
        route.append(successor[route[-1]])
    return route
