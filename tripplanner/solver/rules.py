"""The CP-SAT model of the routing problem, one small function per family of rules.

A reader looking for the rule a plan broke finds it here by name (add_nights, add_rest,
add_daily_travel_limit, ...). The rules are those of the rule book (solver/rulebook.py), stated
declaratively over free departure times: the one copy that does not ask the book, held to it by
tests (tests/solver/test_rulebook.py); solver/cpsat.py builds the model from them and solves it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from tripplanner.solver.params import Diversity
from tripplanner.solver.problem import ENGAGEMENTS, FIXED_IN_TIME, NodeKind, Problem
from tripplanner.solver.route import Route
from tripplanner.solver.rulebook import PER_MILLE

START, END = Problem.START, Problem.END


@dataclass
class RouteModel:
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


def eligible_nodes(problem: Problem) -> list[int]:
    return [i for i, n in enumerate(problem.nodes) if n.windows]


def allowed_arcs(problem: Problem, nodes: list[int], full: bool, neighbours: int, hint: Route | None) -> list[tuple[int, int]]:
    """Arcs that time windows and the single-leg limit allow: all of them, or a sparse subset.

    The sparse subset keeps every arc touching start, end and anchors, each node's nearest
    neighbours both ways, and the warm start's arcs; optimality is then not provable.
    """
    earliest_end = {i: min(w.earliest for w in problem.nodes[i].windows) + problem.nodes[i].service_min for i in nodes}
    latest_start = {j: max(w.latest for w in problem.nodes[j].windows) for j in nodes}

    def fits(i: int, j: int) -> bool:
        if i == j or i == END or j == START or (i == START and j == END):  # a plan leaves home
            return False
        minutes = problem.travel(i, j)
        return minutes <= problem.max_leg_min and earliest_end[i] + minutes <= latest_start[j]

    arcs = {(i, j) for i in nodes for j in nodes if fits(i, j)}
    if full:
        return sorted(arcs)
    hub = {START, END} | {i for i in nodes if problem.nodes[i].kind in FIXED_IN_TIME}
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


def model_timing_rules(problem: Problem, nodes: list[int], arcs: list[tuple[int, int]]) -> RouteModel:
    """A model of one route through these nodes and arcs that keeps every timing rule of a day:
    windows, visit slots and, with day rules, nights, rest and the daily travel limit (max_days,
    pins and the objective are added by the caller)."""
    m = RouteModel(problem)
    m.horizon = max(w.latest for i in nodes for w in problem.nodes[i].windows) + max(n.service_min for n in problem.nodes)
    add_nodes(m, nodes)
    add_route(m, nodes, arcs)
    add_windows(m, nodes)
    if problem.days is not None:
        add_nights(m, nodes)
        add_rest(m, nodes)
        add_daily_travel_limit(m, nodes)
    return m


def add_nodes(m: RouteModel, nodes: list[int]) -> None:
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


def add_route(m: RouteModel, nodes: list[int], arcs: list[tuple[int, int]]) -> None:
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
        nights = p.calendars[p.nodes[i].location].nights
        if not p.overnight_legs and nights and minutes > 1 and not p.is_long_haul(minutes):  # no short leg into the night
            into_night = cp_model.Domain.FromIntervals([[start - minutes + 1, start - 1] for start, _ in nights])
            model.AddLinearExpressionInDomain(m.departure[i], into_night.complement()).OnlyEnforceIf(literal)
        leave = p.nodes[i].leave_min if p.nodes[i].location != p.nodes[j].location else 0  # to another city only
        if leave:
            model.Add(m.departure[i] >= m.end(i) + leave).OnlyEnforceIf(literal)
        buffer = p.nodes[j].buffer_min if p.nodes[i].location != p.nodes[j].location else 0  # from another city only
        extra = max(buffer, rest if p.is_long_haul(minutes) and p.nodes[j].kind in ENGAGEMENTS else 0)
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


def add_route_shape(m: RouteModel, nodes: list[int]) -> None:
    """At most max_cities cities; a city entered more than once only with a fixed node (anchor,
    booked night) for each entry. The second rule is stated as a necessary condition (entries at
    most the city's fixed nodes, or one): exact where a city has at most one fixed node, and
    make_route checks the route found (rulebook.splits_a_stay)."""
    p, model = m.problem, m.model
    at: dict[int, list[int]] = {}
    for i in nodes:
        if p.nodes[i].location != 0:
            at.setdefault(p.nodes[i].location, []).append(i)
    if p.max_locations is not None:
        model.Add(sum(_or_at_least(model, [m.present[i] for i in members]) for members in at.values()) <= p.max_locations)
    if not p.split_stays:
        for location, members in at.items():
            fixed = sum(p.nodes[i].kind in FIXED_IN_TIME for i in members)
            entries = [literal for (i, j), literal in m.arcs.items()
                       if p.nodes[j].location == location and p.nodes[i].location != location]
            if len(entries) > max(1, fixed):
                model.Add(sum(entries) <= max(1, fixed))


def _or(model: cp_model.CpModel, literals: list):
    if not literals:
        return model.NewConstant(0)
    flag = model.NewBoolVar("")
    model.Add(sum(literals) == flag)
    return flag


def add_windows(m: RouteModel, nodes: list[int]) -> None:
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


def _day_index(m: RouteModel, location: int, moment) -> cp_model.IntVar:
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


def add_nights(m: RouteModel, nodes: list[int]) -> None:
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


def add_rest(m: RouteModel, nodes: list[int]) -> None:
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


def add_daily_travel_limit(m: RouteModel, nodes: list[int]) -> dict[int, cp_model.IntVar]:
    """Leg minutes arriving on one local trip day stay under the daily limit; a leg counts at most the
    whole limit, so a longer one travels alone on its day (rulebook.counted_travel)."""
    p, model = m.problem, m.model
    limit = p.days.max_travel_min_per_day
    per_day: dict[int, list] = {}
    arrival_day = {}
    legs_in: dict[int, list] = {j: [] for j in nodes}
    for (i, j), literal in m.arcs.items():
        legs_in[j].append((literal, min(p.travel(i, j), limit)))
    for j in nodes:
        if j == START:
            continue
        incoming = legs_in[j]
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
    # Implied by the daily limits, but visible to the LP relaxation: the whole trip's counted
    # travel fits in the days it can span (max_days home days touch at most max_days + 1 local ones).
    model.Add(sum(lit * t for legs in legs_in.values() for lit, t in legs) <= limit * (p.days.max_days + 1))
    return arrival_day


def add_max_days(m: RouteModel) -> cp_model.IntVar:
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


def add_pins(m: RouteModel, nodes: list[int]) -> None:
    p = m.problem
    for group in p.required_groups:
        members = [m.present[i] for i in nodes if p.nodes[i].group == group]
        if members:
            m.model.AddBoolOr(members)
        else:
            m.model.AddBoolOr([])  # a pinned city none of whose visits can happen: infeasible


def objective_terms(m: RouteModel, nodes: list[int]):
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


def co2_expression(m: RouteModel):
    """Route CO2 in tenths of a kilogram, as route_co2 counts it."""
    return sum(lit * m.problem.co2_tenths(i, j) for (i, j), lit in m.arcs.items())


def add_diversity(m: RouteModel, nodes: list[int], diversity: Diversity) -> None:
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


def add_hint(m: RouteModel, hint: Route) -> None:
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
