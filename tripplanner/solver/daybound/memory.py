"""A tighter linear bound on the day-indexed relaxation (simple case): its path with a memory of the
places it has left.

The model's linear relaxation lets a fraction of a route leave a place and come back (Berlin,
Hamburg, Berlin, Hamburg ...), attending more of each place's engagements on every return, where a
route has one stay per place: on the generated 50-candidate, 14-day trip most of the gap between the
linear bound and the routes lies there. Here each node of the path graph is copied once per memory:
the places the route has left that are among the MEMORY_PLACES nearest to where it is (the
"ng-route" relaxation of vehicle routing). A copy of an arc into a place in memory is left out. A
route of the model enters each place once (one stay per place, no split stays in the simple case),
so it is a path of copies: the linear program over the copies, with the model's own rows and each
arc equal to the sum of its copies, is still a relaxation of every route, and a tighter one.
"""
from __future__ import annotations

import math

from tripplanner.solver.daybound.routes import SINK, SOURCE
from tripplanner.solver.lpbound import linear_program, solve_bound

MEMORY_PLACES = (2, 1)
"""Places kept in memory, the most whose copies fit the budget: the places left that are among this
many nearest to the current one. On the generated 50 x 14 trip one brings the bound from 1.53 to
0.74 points (8,900 copies, 1.2 s), two to 0.67 (15,300 copies, 2.8 s); three took 500 s (with
GLOP's presolve, which doubles the time of one and two)."""
COPIES_PER_ROOT_SECOND = 8500
"""The bound's time grows about as the square of the copies, (copies / 8,500)^2 seconds: measured
0.5 s at 4,900 copies, 1.2 s at 8,900 (generated 30 x 14 and 50 x 14 trips) and 5.9 s at 20,700
(60 x 21); it runs when that fits the budget (the 60 x 21 trip from a 12 s solve, or two workers)."""
GLOP_PARAMETERS = "use_preprocessing: false"
"""Without its presolve GLOP solves these programs in about half the time (60 x 21: 5.8 s, 14.6 s with it)."""
WALL_NET = 2.0
"""GLOP stops at this many times the budget (a safety net on a loaded machine; the copies' count
decides whether it runs, so the same request gives the same bound)."""

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


def memory_bound(relaxation, model, seconds: float) -> int | None:
    """An upper bound on the model's objective from the linear program over the copies (module
    docstring), when the relaxation is simple and GLOP likely ends in about `seconds`; else None."""
    if not relaxation.simple:
        return None
    limit = int(COPIES_PER_ROOT_SECOND * math.sqrt(max(0.0, seconds)))
    copies = next((c for c in (copies_of(relaxation, limit, places) for places in MEMORY_PLACES) if c is not None), None)
    program = None if copies is None else linear_program(model)
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
    # Each arc is the sum of its copies: its terms go to them (GLOP is twice as fast as with a row
    # per arc) and it is fixed at 0.
    program.rows[:] = [(_spread(row, columns_of), lower, upper) for row, lower, upper in program.rows]
    for arc in columns_of:
        program.low[arc] = program.high[arc] = program.cost[arc] = 0
    program.rows += [(row, 0, 0) for row in balance.values()]
    return solve_bound(program, GLOP_PARAMETERS, wall_s=WALL_NET * max(seconds, 1.0))


def _spread(row: dict[int, int], columns_of: dict[int, list[int]]) -> dict[int, int]:
    """A row with each arc's coefficient on its copies instead."""
    if not any(v in columns_of for v in row):
        return row
    spread: dict[int, int] = {}
    for v, coef in row.items():
        for column in columns_of.get(v, (v,)):
            spread[column] = spread.get(column, 0) + coef
    return spread
