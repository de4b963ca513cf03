"""The day-indexed model under construction: its variables by meaning, and the terms its rules add up."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

Term = tuple[object, int]
"""(literal or linear expression, coefficient)."""


@dataclass
class _Variables:
    """The model under construction: its variables by meaning, and the terms later steps add up."""

    model: cp_model.CpModel
    attends: dict[tuple[int, int], cp_model.IntVar] = field(default_factory=dict)
    """(engagement, day) -> the engagement is attended in its block of that day."""
    present: dict[int, object] = field(default_factory=dict)
    """engagement -> it is attended on some day (the constant 1 when mandatory)."""
    block_used: dict[tuple[int, int], cp_model.IntVar] = field(default_factory=dict)
    """(day, place) -> the route has a block there."""
    at: dict[tuple[int, int, int], cp_model.IntVar] = field(default_factory=dict)
    """(day, position, place) -> the position-th block of the day is in the place."""
    stops_at: dict[tuple[int, int], list] = field(default_factory=lambda: defaultdict(list))
    """(day, place) -> the `at` literals of the place on that day."""
    arcs: dict[tuple, cp_model.IntVar] = field(default_factory=dict)
    """(tail, head) -> the path takes the arc."""
    into: dict[tuple, list] = field(default_factory=lambda: defaultdict(list))
    out_of: dict[tuple, list] = field(default_factory=lambda: defaultdict(list))
    travel: list[Term] = field(default_factory=list)
    """(literal, minutes) of every leg and hop the route travels (the objective's cost)."""
    day_hops: dict[int, list[Term]] = field(default_factory=lambda: defaultdict(list))
    """day -> (engagements beyond the first of each stop, counted minutes) of the hops of the day."""
    day_moves: dict[int, list[tuple[object, int, int, int]]] = field(default_factory=lambda: defaultdict(list))
    """day -> (literal, from, to, minutes) of the moves in the middle of the day."""
    day_gaps: dict[int, list[Term]] = field(default_factory=lambda: defaultdict(list))
    """day -> (literal, minutes) between two engagements of the day (moves and hops)."""
    openings: dict[int, list[Term]] = field(default_factory=lambda: defaultdict(list))
    """day -> (literal, earliest start of the day's first block) of the arcs into it."""
    closings: dict[int, list[Term]] = field(default_factory=lambda: defaultdict(list))
    """day -> (literal, latest end of the day's last block) of the arcs out of it."""
    gaps_after: dict[tuple[int, int], list[Term]] = field(default_factory=lambda: defaultdict(list))
    """(day, position) -> (literal, least time from its end to the next block's start) of its moves."""
    night_legs: dict[int, list[tuple[object, int, int, int]]] = field(default_factory=lambda: defaultdict(list))
    """night k (between days k and k+1) -> (literal, from, to, minutes) of its arcs into day k+1."""
    entries: dict[int, list[tuple[object, int]]] = field(default_factory=lambda: defaultdict(list))
    """place -> (literal, day its block is on) of the arcs entering its blocks from elsewhere."""
    kept_into: dict[tuple[int, int], list] = field(default_factory=lambda: defaultdict(list))
    """(place, day) -> the literals of the night arcs that keep the delegation in the place from the day before."""
    evening: dict[int, cp_model.IntVar] = field(default_factory=dict)
    """night k -> the night leg's counted minutes on day k."""
    morning: dict[int, cp_model.IntVar] = field(default_factory=dict)
    """day k + 1 -> the night leg's counted minutes on day k + 1."""
    lands_evening: dict[int, cp_model.IntVar] = field(default_factory=dict)
    """night k -> its leg lands on day k or earlier (simple case)."""
    start: dict[tuple[int, int], cp_model.IntVar] = field(default_factory=dict)
    """(day, position) -> start of its block's first engagement (simple case)."""
    end: dict[tuple[int, int], cp_model.IntVar] = field(default_factory=dict)
    """(day, position) -> end of its block's last engagement (simple case)."""
    day_end: dict[int, cp_model.IntVar] = field(default_factory=dict)
    """day -> end of the day's last engagement (simple case)."""
    before: dict[tuple[int, int, int], cp_model.IntVar] = field(default_factory=dict)
    """(anchor, engagement, day) -> the engagement comes before the anchor in their block (simple case)."""

    def entering(self, place: int) -> list:
        """The literals of the arcs entering the place's blocks from elsewhere."""
        return [literal for literal, _ in self.entries.get(place, [])]

    def arc(self, tail, head, name: str) -> cp_model.IntVar:
        literal = self.model.NewBoolVar(name)
        self.arcs[(tail, head)] = literal
        self.out_of[tail].append(literal)
        self.into[head].append(literal)
        return literal
