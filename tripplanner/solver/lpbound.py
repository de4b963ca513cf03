"""A proven upper bound on a CP-SAT model's maximum from its linear relaxation, solved by GLOP.

The relaxation keeps the linear constraints without enforcement literals and the bool_and
constraints (implications), and drops the rest (which only loosens it). GLOP's answer is floating
point, so it is not trusted as it is: its dual values are rounded to multiples of 1 / DUAL_SCALE
and the bound is recomputed from them in exact integers (weak duality: any dual vector y bounds the
maximum, sum over rows of y A x plus the reduced costs times the variables' bounds).
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass

from ortools.sat.python import cp_model

from tripplanner.solver.stopping import deadline_in, passed, until_stopped

DUAL_SCALE = 1 << 24
"""The LP's dual values are rounded to multiples of 1 / DUAL_SCALE: any dual vector gives a valid bound."""
GLOP_PARAMETERS = "use_preprocessing: false"
"""Without its presolve GLOP solves these programs faster: the day-indexed relaxation's 15-35 % (60 x 21:
2.33 -> 1.73 s, 50 x 14: 0.58 -> 0.37 s), its copies' program about twice (60 x 21: 5.8 s, 14.6 s
with it); the same bounds."""
UNBOUNDED = 1 << 60
"""Linear constraint bounds beyond this are infinite (CP-SAT writes them as the int64 extremes)."""

Row = tuple[dict[int, int], float, float]
"""(coefficient by variable, lower, upper): a constraint lower <= sum(coefficient x) <= upper, +-inf when open."""


def _rows(proto) -> list[Row]:
    rows: list[Row] = []

    def add(terms: list[tuple[int, int]], lower: float, upper: float) -> None:
        row: dict[int, int] = {}
        for ref, coef in terms:
            if ref < 0:  # the negation of variable -ref-1: coef (1 - v)
                lower, upper = lower - coef, upper - coef
                ref, coef = -ref - 1, -coef
            row[ref] = row.get(ref, 0) + coef
        rows.append((row, lower, upper))

    for constraint in proto.constraints:
        enforcement = list(constraint.enforcement_literal)
        if constraint.has_linear() and not enforcement:
            domain = list(constraint.linear.domain)  # the hull of the domain
            lower, upper = domain[0], domain[-1]
            add(list(zip(constraint.linear.vars, constraint.linear.coeffs)),
                -math.inf if lower <= -UNBOUNDED else lower, math.inf if upper >= UNBOUNDED else upper)
        elif constraint.has_bool_and():
            # All the enforcement literals together imply each literal: sum(e) - literal <= n - 1.
            for literal in constraint.bool_and.literals:
                add([(e, 1) for e in enforcement] + [(literal, -1)], -math.inf, len(enforcement) - 1)
    return rows


@dataclass
class LinearProgram:
    """max sum(cost x) + offset over low <= x <= high and the rows, in integers (a CP-SAT model's
    linear relaxation, to which a caller may add columns and rows)."""

    low: list[int]
    high: list[int]
    cost: list[int]
    rows: list[Row]
    offset: int

    def add_column(self, low: int, high: int, cost: int = 0) -> int:
        self.low.append(low)
        self.high.append(high)
        self.cost.append(cost)
        return len(self.low) - 1


def linear_program(model: cp_model.CpModel) -> LinearProgram | None:
    """A CP-SAT model's linear relaxation (module docstring); None when its objective is not an
    integer one."""
    proto = model.Proto()
    objective = proto.objective
    # The model's objective is scaling_factor x (terms + offset), scaling_factor -1 for Maximize.
    sign = -1 if objective.scaling_factor < 0 else 1
    if objective.scaling_factor not in (0, 1, -1) or not float(objective.offset).is_integer():
        return None
    domains = [list(variable.domain) for variable in proto.variables]  # (negative indexing fails on the proto field)
    cost = [0] * len(domains)
    for ref, coef in zip(objective.vars, objective.coeffs):
        cost[ref] += sign * coef
    return LinearProgram([d[0] for d in domains], [d[-1] for d in domains], cost, _rows(proto),
                         round(sign * objective.offset))


def lp_bound(model: cp_model.CpModel, stop: threading.Event | None = None, wall_s: float | None = None) -> int | None:
    """An upper bound on the maximum of a CP-SAT model's objective (integer coefficients) from its
    linear relaxation (module docstring); None when the LP cannot be solved (in wall_s seconds, if
    given: reading a 54,000-variable model takes 1 s of them), the objective is not an integer one
    or a stop request ends the solve."""
    deadline = deadline_in(wall_s)
    if passed(deadline):
        return None
    program = linear_program(model)
    return None if program is None else solve_bound(program, deadline, stop)


def solve_bound(program: LinearProgram, deadline: float | None = None, stop: threading.Event | None = None) -> int | None:
    """A proven upper bound on an integer solution's objective: GLOP's optimum, checked by exact
    weak duality (module docstring); None when GLOP finds no optimum (before the deadline, a
    time.monotonic() instant, if given: building GLOP's model counts, 1.5 s for a 500-candidate
    trip; or before a stop request: GLOP is interrupted within stopping.STOP_POLL_S)."""
    from ortools.linear_solver import pywraplp

    if passed(deadline) or stop is not None and stop.is_set():
        return None
    low, high, cost, rows = program.low, program.high, program.cost, program.rows
    count = len(low)
    solver = pywraplp.Solver.CreateSolver("GLOP")
    if solver is None:
        return None
    variables = [solver.NumVar(low[v], high[v], "") for v in range(count)]
    constraints = []
    for row, lower, upper in rows:
        if passed(deadline):
            return None
        c = solver.Constraint(-solver.infinity() if lower == -math.inf else lower,
                              solver.infinity() if upper == math.inf else upper)
        for v, coef in row.items():
            c.SetCoefficient(variables[v], coef)
        constraints.append(c)
    goal = solver.Objective()
    for v in range(count):
        if cost[v]:
            goal.SetCoefficient(variables[v], cost[v])
    goal.SetMaximization()
    solver.SetSolverSpecificParametersAsString(GLOP_PARAMETERS)
    if deadline is not None:
        if passed(deadline):
            return None
        solver.SetTimeLimit(max(1, round((deadline - time.monotonic()) * 1000)))
    if until_stopped(solver.Solve, solver.InterruptSolve, stop) != pywraplp.Solver.OPTIMAL:
        return None
    # Exact weak duality with integer duals y / DUAL_SCALE: total / DUAL_SCALE >= sum(cost x) on the LP.
    reduced = [c * DUAL_SCALE for c in cost]
    total = 0
    for (row, lower, upper), c in zip(rows, constraints):
        y = round(c.dual_value() * DUAL_SCALE)
        if y > 0 and upper == math.inf or y < 0 and lower == -math.inf:
            y = 0
        if y == 0:
            continue
        total += y * (upper if y > 0 else lower)
        for v, coef in row.items():
            reduced[v] -= y * coef
    for v in range(count):
        r = reduced[v]
        if r:
            total += r * (high[v] if r > 0 else low[v])
    # Every integer solution's sum(cost x) is an integer at most total / DUAL_SCALE: at most its floor.
    return int(total) // DUAL_SCALE + program.offset
