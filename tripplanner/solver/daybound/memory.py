"""A tighter linear bound on the day-indexed relaxation (simple case): its path with a memory of the
places it has left.

The model's linear relaxation lets a fraction of a route leave a place and come back (Berlin,
Hamburg, Berlin, Hamburg ...), attending more of each place's engagements on every return, where a
route has one stay per place: on the generated 50-candidate, 14-day trip most of the gap between the
linear bound and the routes lies there. Here each node of the path graph is copied once per memory:
the places the route has left that are among the one or two nearest to where it is (the
"ng-route" relaxation of vehicle routing). A copy of an arc into a place in memory is left out. A
route of the model enters each place once (one stay per place, no split stays in the simple case),
so it is a path of copies: the linear program over the copies, with the model's own rows and each
arc equal to the sum of its copies, is still a relaxation of every route, and a tighter one. Rows
that keep one stay from attending an engagement on each of its days tighten it further; the
budget decides how much of this the program keeps (VARIANTS).
"""
from __future__ import annotations

import math
import threading
from dataclasses import dataclass

from tripplanner.solver.daybound.blocks import HOME
from tripplanner.solver.daybound.routes import SINK, SOURCE
from tripplanner.solver.lpbound import linear_program, solve_bound
from tripplanner.solver.stopping import deadline_in


@dataclass(frozen=True)
class Variant:
    """How much the linear program keeps, and how fast GLOP solves it."""

    places: int
    """Places in memory: the places left that are among this many nearest to the current one."""
    once_per_stay: bool
    """With the rows that keep one stay from attending an engagement on each of its days."""
    copies_per_root_second: int
    """GLOP's time grows about as the square of the copies: (copies / this)^2 seconds."""


VARIANTS = (Variant(2, True, 5000), Variant(1, True, 5500), Variant(1, False, 8500))
"""The first whose copies fit the budget runs. Bound on the generated 50 x 14 trip (plain LP: 1.53
points): one place 0.74 (8,900 copies, 1.2 s), with the stay rows 0.61 (1.9 s); two places 0.67
(15,300 copies, 2.8 s), with the stay rows 0.47 (4.1 s); three places took 500 s (with GLOP's
presolve, which doubles the time of one and two). On 60 x 21 (20,700 copies with one place,
37,500 with two): 15.36 in 5.9 s, with the stay rows 15.01 in 13.9 s; two places with them, 15.00
in 69 s. The rates lie below those measured (one place with the stay rows 5,560 on 60 x 21 and
6,450 on 50 x 14; 8,100-8,500 without them) but for two places with the stay rows on 60 x 21
(4,500), which only a budget of 56 s admits."""
SECONDS_PER_COPY = 8e-5
"""Reading the model and building the program in Python, per copy, besides GLOP: 1.5 s of the 6.5 s
that 20,700 copies took on 60 x 21 (72 microseconds a copy)."""
WALL_NET = 2.0
"""GLOP stops at this many times the budget (a safety net on a loaded machine: the copies' count
decides which program runs)."""

Node = tuple
State = tuple[Node, frozenset[int]]


def _place(node: Node) -> int | None:
    """The place of a path node (None at home: the path's two ends)."""
    return None if node in (SOURCE, SINK) else node[2]


def _order(node: Node) -> tuple[int, int]:
    """A topological order of the path graph: by day, then position, the day's end after its positions."""
    if node == SOURCE:
        return (-1, 0)
    if node == SINK:
        return (1 << 30, 0)
    if node[0] == "dep":
        return (node[1], 1 << 30)
    return (node[0], node[1])


def copies_of(relaxation, limit: int, places: int) -> list[tuple[object, State, State]] | None:
    """(arc literal, tail copy, head copy) of every copy of the built model's arcs with a memory of
    this many places, in a fixed order; None beyond limit copies."""
    p, v = relaxation.p, relaxation.variables
    near = {}
    for a in relaxation.places:
        others = sorted((b for b in relaxation.places if b != a),
                        key=lambda b: (min(p.travel_min[a][b], p.travel_min[b][a]), b))
        near[a] = frozenset(others[:places])
    leaving: dict[Node, list[tuple[Node, object]]] = {}
    for (tail, head), literal in v.arcs.items():
        leaving.setdefault(tail, []).append((head, literal))
    memories: dict[Node, set[frozenset[int]]] = {SOURCE: {frozenset()}}
    copies = []
    for tail in sorted(leaving, key=_order):
        here = _place(tail)
        for memory in sorted(memories.get(tail, ()), key=sorted):
            for head, literal in leaving[tail]:
                there = _place(head)
                if there == here or there is None:
                    kept = memory if there == here else frozenset()
                elif there in memory:
                    continue  # back to a place left before
                else:
                    kept = frozenset(a for a in memory | ({here} - {None}) if a in near[there])
                memories.setdefault(head, set()).add(kept)
                copies.append((literal, (tail, memory), (head, kept)))
                if len(copies) > limit:
                    return None
    return copies


def memory_bound(relaxation, model, seconds: float, stop: threading.Event | None = None,
                 wall_s: float | None = None) -> int | None:
    """An upper bound on the model's objective from the linear program over the copies (module
    docstring), with the first of VARIANTS likely built and solved in `seconds`, in the simple case;
    else None (also when GLOP has not ended in WALL_NET times that, or in wall_s when sooner, or
    before a stop request)."""
    if not relaxation.simple:
        return None
    for variant in VARIANTS:
        copies = copies_of(relaxation, _copies_within(variant.copies_per_root_second, seconds), variant.places)
        if copies is not None:
            wall = WALL_NET * max(seconds, 0.5)
            return bound_over(relaxation, model, copies, variant.once_per_stay,
                              wall if wall_s is None else min(wall, wall_s), stop)
    return None


def _copies_within(rate: int, seconds: float) -> int:
    """The most copies whose program is built and solved in `seconds`: (c / rate)^2 + SECONDS_PER_COPY c."""
    a = 1.0 / rate ** 2
    return int((-SECONDS_PER_COPY + math.sqrt(SECONDS_PER_COPY ** 2 + 4 * a * max(0.0, seconds))) / (2 * a))


def bound_over(relaxation, model, copies, once_per_stay: bool, wall_s: float | None = None,
               stop: threading.Event | None = None) -> int | None:
    """The bound of the linear program over these copies (copies_of), with or without the stay rows;
    None when it is not built and solved in wall_s."""
    deadline = deadline_in(wall_s)
    program = linear_program(model)
    if program is None:
        return None
    columns_of: dict[int, list[int]] = {literal.Index(): [] for literal in relaxation.variables.arcs.values()}
    balance: dict[State, dict[int, int]] = {}
    for literal, tail, head in copies:
        arc = literal.Index()
        column = program.add_column(0, 1, program.cost[arc])
        columns_of[arc].append(column)
        for state, sign in ((tail, -1), (head, 1)):
            if state[0] not in (SOURCE, SINK):
                balance.setdefault(state, {})[column] = sign
    if once_per_stay:
        _add_once_per_stay(relaxation, program)
    # Each arc is the sum of its copies: its terms go to them (GLOP is twice as fast as with a row
    # per arc) and it is fixed at 0.
    program.rows[:] = [(_spread(row, columns_of), lower, upper) for row, lower, upper in program.rows]
    for arc in columns_of:
        program.low[arc] = program.high[arc] = program.cost[arc] = 0
    program.rows += [(row, 0, 0) for row in balance.values()]
    return solve_bound(program, deadline, stop)


def _add_once_per_stay(relaxation, program) -> None:
    """Rows: an engagement is attended at most once on the days from s to e of its windows' days
    when the route's stays in its place cover those days once (entries landing on one of them, or a
    stay carried into day s). The copies keep a fraction of a route from going back to a place;
    these keep one stay from attending the same engagement on each of its days."""
    v = relaxation.variables
    entered_by: dict[tuple[int, int], int] = {}
    """(place, day) -> a column: the entries into the place landing on that day or before."""
    for a in relaxation.places:
        if a == HOME:
            continue
        entries = v.entries.get(a, [])
        before = None
        for k in range(relaxation.first_day, relaxation.last_day + 1):
            column = program.add_column(0, len(entries))
            row = {column: 1, **{literal.Index(): -1 for literal, day in entries if day == k}}
            if before is not None:
                row[before] = -1
            program.rows.append((row, 0, 0))
            entered_by[(a, k)] = before = column
    for i in relaxation.engagements:
        a = relaxation.p.nodes[i].location
        days = sorted(relaxation.days_of.get(i, []))
        if a == HOME or len(days) < 2:
            continue
        for first, s in enumerate(days):
            kept = {literal.Index(): -1 for literal in v.kept_into.get((a, s), [])}
            for last in range(first + 1, len(days)):
                row = {v.attends[(i, k)].Index(): 1 for k in days[first:last + 1]}
                row[entered_by[(a, days[last])]] = -1
                if (a, s - 1) in entered_by:
                    row[entered_by[(a, s - 1)]] = 1
                program.rows.append(({**row, **kept}, -math.inf, 0))


def _spread(row: dict[int, int], columns_of: dict[int, list[int]]) -> dict[int, int]:
    """A row with each arc's coefficient on its copies instead."""
    if not any(v in columns_of for v in row):
        return row
    spread: dict[int, int] = {}
    for v, coef in row.items():
        for column in columns_of.get(v, (v,)):
            spread[column] = spread.get(column, 0) + coef
    return spread
