"""The CP-SAT model of the routing problem: hard rules, proofs and bounds.

One small function per family of rules, so a reader can find the rule a plan broke. The model
states the same rules as solver/schedule.py (see its docstring), over free departure times.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from tripplanner.solver.heuristic import Route, make_route
from tripplanner.solver.objective import PER_MILLE, travel_weight
from tripplanner.solver.params import Diversity, SolveParams
from tripplanner.solver.problem import NodeKind, Problem

START, END = Problem.START, Problem.END


@dataclass
class CpOutcome:
    status: str
    """'optimal', 'feasible', 'infeasible' or 'unknown'."""
    route: Route | None
    objective: int | None
    bound: int | None
    seconds: float
    complete_graph: bool
    wall_clock_stop: bool = False
    value_proven: bool = False
    """The value is proven best, even if the travel tie-break is not."""
    value_bound: int | None = None
    """Upper bound on route_value (complete graph only)."""


@dataclass
class _Model:
    problem: Problem
    model: cp_model.CpModel = field(default_factory=cp_model.CpModel)
    present: dict[int, object] = field(default_factory=dict)
    start: dict[int, cp_model.IntVar] = field(default_factory=dict)
    departure: dict[int, cp_model.IntVar] = field(default_factory=dict)
    arrival: dict[int, cp_model.IntVar] = field(default_factory=dict)
    arcs: dict[tuple[int, int], cp_model.IntVar] = field(default_factory=dict)
    windows: dict[int, list[tuple[object, int]]] = field(default_factory=dict)
    long_in: dict[int, object] = field(default_factory=dict)
    long_out: dict[int, object] = field(default_factory=dict)
    horizon: int = 0

    def end(self, i: int):
        return self.start[i] + self.problem.nodes[i].service_min


def _eligible(problem: Problem) -> list[int]:
    return [i for i, n in enumerate(problem.nodes) if n.windows]


def _allowed_arcs(problem: Problem, nodes: list[int], full: bool, neighbours: int, hint: Route | None) -> list[tuple[int, int]]:
    """Arcs that time windows and the single-leg limit allow: all of them, or a sparse subset.

    The sparse subset keeps every arc touching start, end and anchors, each node's nearest
    neighbours both ways, and the warm start's arcs; optimality is then not provable.
    """
    earliest_end = {i: min(w.earliest for w in problem.nodes[i].windows) + problem.nodes[i].service_min for i in nodes}
    latest_start = {j: max(w.latest for w in problem.nodes[j].windows) for j in nodes}

    def fits(i: int, j: int) -> bool:
        if i == j or i == END or j == START or (i == START and j == END and problem.mandatory):
            return False
        minutes = problem.travel(i, j)
        return minutes <= problem.max_leg_min and earliest_end[i] + minutes <= latest_start[j]

    arcs = {(i, j) for i in nodes for j in nodes if fits(i, j)}
    if full:
        return sorted(arcs)
    hub = {START, END} | {i for i in nodes if problem.nodes[i].kind is NodeKind.ANCHOR}
    keep = {(i, j) for i, j in arcs if i in hub or j in hub}
    by_origin: dict[int, list[tuple[int, int]]] = {}
    for i, j in arcs:
        by_origin.setdefault(i, []).append((problem.travel(i, j), j))
    for i, options in by_origin.items():
        for _, j in sorted(options)[:neighbours]:
            keep |= {(i, j), (j, i)} & arcs
    if hint is not None:
        keep |= set(zip(hint.nodes, hint.nodes[1:]))
    return sorted(keep)


def _add_nodes(m: _Model, nodes: list[int]) -> None:
    p, model = m.problem, m.model
    for i in nodes:
        node = p.nodes[i]
        if i in (START, END) or node.mandatory:
            m.present[i] = model.NewConstant(1)
        else:
            m.present[i] = model.NewBoolVar(f"visit_{i}")
        domain = cp_model.Domain.FromIntervals([[w.earliest, w.latest] for w in node.windows])
        m.start[i] = model.NewIntVarFromDomain(domain, f"start_{i}")
        if i != END:
            m.departure[i] = model.NewIntVar(0, m.horizon, f"departure_{i}")
            model.Add(m.departure[i] >= m.end(i))
        if i != START:
            m.arrival[i] = model.NewIntVar(0, m.horizon, f"arrival_{i}")
            model.Add(m.start[i] >= m.arrival[i])


def _add_route(m: _Model, nodes: list[int], arcs: list[tuple[int, int]]) -> None:
    """One circuit from start to end; each arc fixes the leg's arrival and the next start."""
    p, model = m.problem, m.model
    circuit = [(END, START, model.NewConstant(1))]
    for i in nodes:
        if i not in (START, END) and not p.nodes[i].mandatory:
            circuit.append((i, i, m.present[i].Not()))
    rest = p.days.long_haul_rest_min if p.days else 0
    for i, j in arcs:
        literal = model.NewBoolVar(f"leg_{i}_{j}")
        m.arcs[(i, j)] = literal
        circuit.append((i, j, literal))
        minutes = p.travel(i, j)
        model.Add(m.arrival[j] == m.departure[i] + minutes).OnlyEnforceIf(literal)
        extra = max(p.nodes[j].buffer_min, rest if p.is_long_haul(minutes) and j != END else 0)
        if extra:
            model.Add(m.start[j] >= m.departure[i] + minutes + extra).OnlyEnforceIf(literal)
    model.AddCircuit(circuit)
    long_in: dict[int, list] = {i: [] for i in nodes}
    long_out: dict[int, list] = {i: [] for i in nodes}
    for (i, j), literal in m.arcs.items():
        if p.is_long_haul(p.travel(i, j)):
            long_out[i].append(literal)
            long_in[j].append(literal)
    for i in nodes:
        m.long_in[i] = _or(model, long_in[i])
        m.long_out[i] = _or(model, long_out[i])


def _or(model: cp_model.CpModel, literals: list):
    if not literals:
        return model.NewConstant(0)
    flag = model.NewBoolVar("")
    model.Add(sum(literals) == flag)
    return flag


def _add_windows(m: _Model, nodes: list[int]) -> None:
    """Each present visit starts inside exactly one of its windows; at most N visits per trip day."""
    p, model = m.problem, m.model
    per_day: dict[int, list] = {}
    for i in nodes:
        node = p.nodes[i]
        if node.kind is not NodeKind.VISIT:
            continue
        literals = []
        for w in node.windows:
            literal = model.NewBoolVar("") if len(node.windows) > 1 else m.present[i]
            if len(node.windows) > 1:
                model.Add(m.start[i] >= w.earliest).OnlyEnforceIf(literal)
                model.Add(m.start[i] <= w.latest).OnlyEnforceIf(literal)
            literals.append((literal, w.day))
            per_day.setdefault(w.day, []).append(literal)
        if len(literals) > 1:
            model.Add(sum(lit for lit, _ in literals) == m.present[i])
        m.windows[i] = literals
    if p.days is not None:
        for literals in per_day.values():
            if len(literals) > p.days.max_visits_per_day:
                model.Add(sum(literals) <= p.days.max_visits_per_day)


def _day_index(m: _Model, location: int, moment) -> cp_model.IntVar:
    """Trip day of an instant at a location, as the calendar counts it (day_of)."""
    starts = m.problem.calendars[location].day_starts
    count = max(1, len(starts))
    lows = [-1] + list(starts[1:])
    highs = list(starts[1:]) + [max(m.horizon, *starts) + 1]
    day = m.model.NewIntVar(0, count - 1, "")
    if count > 1:
        low = m.model.NewIntVar(min(lows), max(lows), "")
        high = m.model.NewIntVar(min(highs), max(highs), "")
        m.model.AddElement(day, lows, low)
        m.model.AddElement(day, highs, high)
        m.model.Add(moment >= low)
        m.model.Add(moment < high)
    return day


def _add_nights(m: _Model, nodes: list[int]) -> None:
    """Short legs neither depart nor arrive in the local night."""
    p, model = m.problem, m.model
    for i in nodes:
        calendar = p.calendars[p.nodes[i].location]
        if not calendar.nights:
            continue
        daytime = cp_model.Domain.FromIntervals([[0, m.horizon]]).intersection_with(
            cp_model.Domain.FromIntervals([[a, b - 1] for a, b in calendar.nights]).complement())
        if i != END:
            model.AddLinearExpressionInDomain(m.departure[i], daytime).OnlyEnforceIf([m.present[i], m.long_out[i].Not()])
        if i != START:
            model.AddLinearExpressionInDomain(m.arrival[i], daytime).OnlyEnforceIf([m.present[i], m.long_in[i].Not()])


def _add_rest(m: _Model, nodes: list[int]) -> None:
    """Two consecutive activities in one city on different trip days are min_rest apart."""
    p, model = m.problem, m.model
    rest = p.days.min_rest_min
    for i in nodes:
        location = p.nodes[i].location
        stays = []
        if i != START and i != END:
            stays.append((m.arrival[i], m.start[i]))
        if i != START and i != END:
            stays.append((m.end(i), m.departure[i]))
        for first, second in stays:
            different = model.NewBoolVar("")
            model.Add(_day_index(m, location, first) == _day_index(m, location, second)).OnlyEnforceIf(different.Not())
            model.Add(second - first >= rest).OnlyEnforceIf([different, m.present[i]])


def _add_daily_travel_limit(m: _Model, nodes: list[int]) -> dict[int, cp_model.IntVar]:
    """Short-leg minutes arriving on one local trip day stay under the daily limit."""
    p, model = m.problem, m.model
    limit = p.days.max_travel_min_per_day
    per_day: dict[int, list] = {}
    arrival_day = {}
    short_in: dict[int, list] = {j: [] for j in nodes}
    for (i, j), literal in m.arcs.items():
        if not p.is_long_haul(p.travel(i, j)):
            short_in[j].append((literal, p.travel(i, j)))
    for j in nodes:
        if j == START:
            continue
        incoming = short_in[j]
        if not incoming:
            continue
        minutes = sum(lit * t for lit, t in incoming)
        biggest = max(t for _, t in incoming)
        day = _day_index(m, p.nodes[j].location, m.arrival[j])
        arrival_day[j] = day
        count = len(p.calendars[p.nodes[j].location].day_starts) or 1
        flags = [model.NewBoolVar("") for _ in range(count)]
        model.AddMapDomain(day, flags)
        for k, flag in enumerate(flags):
            share = model.NewIntVar(0, biggest, "")
            model.Add(share >= minutes - biggest * (1 - flag))
            per_day.setdefault(k, []).append(share)
    for shares in per_day.values():
        model.Add(sum(shares) <= limit)
    # Implied by the daily limits, but visible to the LP relaxation: the whole trip's short-leg
    # travel fits in the days it can span (max_days home days touch at most max_days + 1 local ones).
    model.Add(sum(lit * t for legs in short_in.values() for lit, t in legs) <= limit * (p.days.max_days + 1))
    return arrival_day


def _add_max_days(m: _Model) -> cp_model.IntVar:
    """Home departure to return spans at most max_days home-local calendar days."""
    p, model = m.problem, m.model
    midnights = list(p.days.home_midnights)
    span = p.days.max_days
    last = len(midnights) - span - 1
    day = model.NewIntVar(0, max(0, last), "departure_day")
    day_start, next_day, limit = (model.NewIntVar(-(10**9), 10**9, "") for _ in range(3))
    model.AddElement(day, midnights[: last + 1], day_start)
    model.AddElement(day, midnights[1: last + 2], next_day)
    model.AddElement(day, midnights[span: span + last + 1], limit)
    model.Add(m.departure[START] >= day_start)
    model.Add(m.departure[START] < next_day)
    model.Add(m.arrival[END] < limit)
    back = model.NewIntVar(0, len(midnights) - 2, "return_day")
    back_start, back_next = model.NewIntVar(-(10**9), 10**9, ""), model.NewIntVar(-(10**9), 10**9, "")
    model.AddElement(back, midnights[:-1], back_start)
    model.AddElement(back, midnights[1:], back_next)
    model.Add(m.arrival[END] >= back_start)
    model.Add(m.arrival[END] < back_next)
    return back - day + 1


def _add_pins(m: _Model, nodes: list[int]) -> None:
    p = m.problem
    for group in p.required_groups:
        members = [m.present[i] for i in nodes if p.nodes[i].group == group]
        if members:
            m.model.AddBoolOr(members)
        else:
            m.model.AddBoolOr([])  # a pinned city none of whose visits can happen: infeasible


def _objective(m: _Model, nodes: list[int]):
    """Value (x1000, theme repeat factor, city bonus) times the travel weight, minus travel minutes."""
    p, model = m.problem, m.model
    rate = p.repeat_per_mille
    terms = []
    by_theme: dict[int, list[int]] = {}
    for i in nodes:
        node = p.nodes[i]
        if node.score <= 0:
            continue
        if node.theme >= 0:
            by_theme.setdefault(node.theme, []).append(i)
        else:
            terms.append(PER_MILLE * node.score * m.present[i])
    for members in by_theme.values():
        terms.append(rate * sum(p.nodes[i].score * m.present[i] for i in members))
        if rate < PER_MILLE:
            best = model.NewIntVar(0, max(p.nodes[i].score for i in members), "")
            picks = [model.NewBoolVar("") for _ in members]
            for pick, i in zip(picks, members):
                model.AddImplication(pick, m.present[i])
            model.Add(sum(picks) <= 1)
            model.Add(best <= sum(p.nodes[i].score * pick for pick, i in zip(picks, members)))
            terms.append((PER_MILLE - rate) * best)
    for group, bonus in enumerate(p.group_bonus):
        members = [m.present[i] for i in nodes if p.nodes[i].group == group]
        if bonus > 0 and members:
            visited = model.NewBoolVar("")
            model.Add(visited <= sum(members))
            terms.append(PER_MILLE * bonus * visited)
    travel = sum(lit * p.travel(i, j) for (i, j), lit in m.arcs.items())
    return sum(terms), travel


def _co2(m: _Model):
    """Route CO2 in tenths of a kilogram, as route_co2 counts it."""
    p = m.problem
    if not p.co2_kg:
        return 0
    return sum(lit * round(p.co2_kg[p.nodes[i].location][p.nodes[j].location] * 10) for (i, j), lit in m.arcs.items())


def _add_diversity(m: _Model, nodes: list[int], diversity: Diversity) -> None:
    """Differ from each earlier route by min_cities visited cities (or, order_only, by one leg)."""
    p, model = m.problem, m.model
    members: dict[int, list] = {}
    for i in nodes:
        if p.nodes[i].kind is NodeKind.VISIT:
            members.setdefault(p.nodes[i].group, []).append(m.present[i])
    visited = {g: _or_at_least(model, lits) for g, lits in members.items()}
    for route in diversity.routes:
        if diversity.order_only:
            legs = [m.arcs[a] for a in zip(route, route[1:]) if a in m.arcs]
            model.Add(sum(legs) <= len(legs) - 1)
            continue
        chosen = {p.nodes[i].group for i in route if p.nodes[i].kind is NodeKind.VISIT}
        model.Add(sum(1 - v if g in chosen else v for g, v in visited.items()) >= diversity.min_cities)


def _or_at_least(model: cp_model.CpModel, literals: list):
    flag = model.NewBoolVar("")
    for literal in literals:
        model.AddImplication(literal, flag)
    model.Add(flag <= sum(literals))
    return flag


def _add_hint(m: _Model, hint: Route) -> None:
    p, model = m.problem, m.model
    on_route = set(hint.nodes)
    for i, literal in m.present.items():
        if i not in (START, END) and not p.nodes[i].mandatory:
            model.AddHint(literal, i in on_route)
    legs = set(zip(hint.nodes, hint.nodes[1:]))
    for arc, literal in m.arcs.items():
        model.AddHint(literal, arc in legs)
    for stop in hint.stops:
        model.AddHint(m.start[stop.node], stop.start)
        if stop.node in m.departure:
            model.AddHint(m.departure[stop.node], stop.departure)
        if stop.node in m.arrival:
            model.AddHint(m.arrival[stop.node], stop.arrival)
        for literal, day in m.windows.get(stop.node, []):
            if len(m.windows[stop.node]) > 1:
                model.AddHint(literal, day == stop.day)


STOP_POLL_S = 0.1
"""How often a solve in progress looks for a stop request (Ctrl-C)."""
HINT_COMPLETION_S = 2.0
"""Time to extend the route hint to every auxiliary variable (day indices, shares) before searching."""


def _complete_hint(model: cp_model.CpModel, seconds: float) -> bool:
    """Replace a partial hint by a full solution with the hinted values fixed; False if that fails."""
    solver = cp_model.CpSolver()
    solver.parameters.catch_sigint_signal = False
    solver.parameters.fix_variables_to_their_hinted_value = True
    solver.parameters.num_workers = 1
    solver.parameters.max_deterministic_time = seconds
    solver.parameters.max_time_in_seconds = seconds
    if solver.Solve(model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return False
    _hint_from(model, solver)
    return True


def _solver(params: SolveParams, deterministic_s: float, wall_s: float) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.catch_sigint_signal = False  # Ctrl-C is the CLI's to handle (see _run)
    solver.parameters.num_workers = max(1, params.workers)
    solver.parameters.random_seed = params.seed
    solver.parameters.max_time_in_seconds = max(0.05, wall_s)
    solver.parameters.max_deterministic_time = max(0.05, deterministic_s)
    if params.workers > 1:
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


def _run(solver: cp_model.CpSolver, model: cp_model.CpModel, callback=None, stop: threading.Event | None = None) -> int:
    """Solve; with a stop event, solve in a thread and stop the search within 0.1 s of a request."""
    if stop is None:
        return solver.Solve(model, callback)
    outcome: list[int] = []
    worker = threading.Thread(target=lambda: outcome.append(solver.Solve(model, callback)), daemon=True)
    worker.start()
    while worker.is_alive():
        worker.join(STOP_POLL_S)
        if stop.is_set():
            solver.StopSearch()
    worker.join()
    return outcome[0]


def _hint_from(model: cp_model.CpModel, solver: cp_model.CpSolver) -> None:
    model.ClearHints()
    for index in range(len(model.Proto().variables)):
        variable = model.get_int_var_from_proto_index(index)
        model.AddHint(variable, solver.Value(variable))


def solve_cpsat(problem: Problem, params: SolveParams, time_limit_s: float, hint: Route | None = None,
                wall_limit_s: float | None = None, diversity: Diversity | None = None,
                progress: Callable[[int | None, int | None], None] | None = None,
                stop: threading.Event | None = None) -> CpOutcome:
    """Solve lexicographically: the most value first, then the least travel for that value.

    The hint (a heuristic route) is a warm start, never a constraint. time_limit_s is a
    deterministic budget (the same run gives the same answer); wall_limit_s, when given, is a
    wall-clock safety limit counted from the call, model building included.
    """
    clock = time.monotonic()
    wall_limit_s = time_limit_s if wall_limit_s is None else wall_limit_s
    nodes = _eligible(problem)
    full = len(nodes) <= params.full_model_max_nodes
    m = _Model(problem)
    m.horizon = max(w.latest for i in nodes for w in problem.nodes[i].windows) + max(n.service_min for n in problem.nodes)
    _add_nodes(m, nodes)
    _add_route(m, nodes, _allowed_arcs(problem, nodes, full, params.sparse_neighbours, hint))
    _add_windows(m, nodes)
    days = 0
    if problem.days is not None:
        _add_nights(m, nodes)
        _add_rest(m, nodes)
        _add_daily_travel_limit(m, nodes)
        days = _add_max_days(m)
    _add_pins(m, nodes)
    if diversity is not None:
        _add_diversity(m, nodes, diversity)
    value, travel = _objective(m, nodes)
    if diversity is not None and diversity.max_travel_min is not None:
        m.model.Add(travel <= diversity.max_travel_min)
    first = {"travel": travel, "co2": _co2(m), "days": days}.get(params.objective)
    if first is None:
        m.model.Maximize(value)
    else:
        m.model.Minimize(first)
    if hint is not None:
        _add_hint(m, hint)
        if not _complete_hint(m.model, min(HINT_COMPLETION_S, 0.2 * time_limit_s)):
            m.model.ClearHints()
            _add_hint(m, hint)

    wall_left = lambda: wall_limit_s - (time.monotonic() - clock)  # noqa: E731
    solver = _solver(params, time_limit_s, wall_left())
    code = _run(solver, m.model, _Progress(progress, first is None) if progress else None, stop)
    weight = travel_weight(problem)
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        status = "infeasible" if code == cp_model.INFEASIBLE and full else "unknown"
        return CpOutcome(status, None, None, None, time.monotonic() - clock, full, wall_left() <= 0.05)
    route = _follow(m, solver)
    first_proven = code == cp_model.OPTIMAL
    first_best = round(solver.ObjectiveValue())
    first_bound = round(solver.BestObjectiveBound())
    second_bound, second_proven = None, False
    spent = solver.deterministic_time
    if first_proven and time_limit_s - spent > 0.05 and wall_left() > 0.05 and not (stop and stop.is_set()):
        _hint_from(m.model, solver)
        if first is None:
            m.model.Add(value >= first_best)
            m.model.Minimize(travel)
        else:
            m.model.Add(first <= first_best)
            m.model.Maximize(value)
        second = _solver(params, time_limit_s - spent, wall_left())
        code = _run(second, m.model, None, stop)
        if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            route = _follow(m, second)
            second_bound = round(second.BestObjectiveBound())
            second_proven = code == cp_model.OPTIMAL
    timed = make_route(problem, route, params.objective)
    travel_now = timed.travel if timed else 0
    status = "optimal" if first_proven and second_proven and full else "feasible"
    if first is None:
        best_value, value_bound, value_proven = first_best, first_bound, first_proven
        bound = value_bound * weight - (second_bound or 0)
    else:
        best_value = timed.value if timed else 0
        value_proven = second_proven
        value_bound = second_bound if second_bound is not None else None
        bound = value_bound * weight if value_bound is not None else None
    return CpOutcome(
        status=status, route=timed, objective=best_value * weight - travel_now,
        bound=bound if full and bound is not None else None, seconds=time.monotonic() - clock, complete_graph=full,
        wall_clock_stop=wall_left() <= 0.05, value_proven=value_proven and full,
        value_bound=value_bound if full else None,
    )


def _follow(m: _Model, solver: cp_model.CpSolver) -> list[int]:
    successor = {i: j for (i, j), literal in m.arcs.items() if solver.BooleanValue(literal)}
    route = [START]
    while route[-1] != END and len(route) <= len(m.problem.nodes):
        route.append(successor[route[-1]])
    return route
