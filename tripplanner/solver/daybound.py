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
  allows on the next day, the day's first engagement after its arrival buffer);

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

The linear relaxation (GLOP) gives a bound in well under a second up to 50 candidates (2.4 s on
the 60-candidate, 21-day generated trip); CP-SAT, on models small enough for its presolve to end in
time, improves it with its cuts and search and, on small trips, solves the model. The bound is the
smaller of the two. worth_bound returns None when the trip has no day rules, when a later trip day
could come before an earlier one in time (windows across day boundaries, far time zones) or when
the model has no solution (then no route has one either).
"""
from __future__ import annotations

import itertools
import math
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from tripplanner.solver import rulebook
from tripplanner.solver.lpbound import lp_bound
from tripplanner.solver.objective import MINUTES_PER_HOUR
from tripplanner.solver.problem import ENGAGEMENTS, FIXED_IN_TIME, Node, NodeKind, Problem
from tripplanner.solver.rulebook import PER_MILLE

__all__ = ["DayBound", "apply_values", "day_bound", "lp_bound", "shortest_paths", "worth_bound"]

START, END = Problem.START, Problem.END
HOME = 0
"""The home location (rulebook: stays and cities do not count it)."""
SOURCE, SINK = ("source",), ("sink",)
"""The path's ends: leaving home, coming back."""
STOP_POLL_S = 0.1
DETERMINISTIC_PER_SECOND = 0.3
"""CP-SAT deterministic time per second of the bound's budget. One worker on this model does 0.3-0.6
deterministic seconds per second of wall time (2-core machine: 2.5 took 5.9 s on the generated
30 x 14 trip), so 0.3 lets the deterministic limit, not the wall-clock net, end the search even on
a loaded machine: the same request gives the same plan."""
CPSAT_MAX_VARIABLES = 5000
"""Above this many model variables CP-SAT does not beat the LP bound in 10 s: 5,900 on the generated
50-candidate, 14-day trip (2 s of presolve, root LP still converging at 10 s), 13,000 on the
60-candidate, 21-day one (7 s of presolve); 3,400 on the 30 x 14 one, where it gains 0.3 points in 4 s."""
MAX_POSITIONS = 8
"""Blocks one day may hold at most before the model gives up (a day of many tiny hops)."""
RULE_PASSES = 16
"""Rounds of the rule book's departure rules when looking for the earliest morning arrival."""


class _TooManyBlocks(Exception):
    pass


@dataclass
class _Block:
    day: int
    location: int
    engagements: list[tuple[int, int, int]] = field(default_factory=list)
    """(node, earliest start, latest start) of each engagement that may start here on this day."""

    def open(self) -> int:
        return min(e for _, e, _ in self.engagements)

    def close(self, p: Problem) -> int:
        return max(l + p.nodes[i].service_min for i, _, l in self.engagements)

    def latest_start(self) -> int:
        return max(l for _, _, l in self.engagements)

    def earliest_end(self, p: Problem) -> int:
        return min(e + p.nodes[i].service_min for i, e, _ in self.engagements)


def block_day(p: Problem, node: Node, window_day: int, start: int) -> int:
    """The trip day of an engagement's block: a visit's window day, an anchor's local trip day."""
    return window_day if node.kind is NodeKind.VISIT else p.calendars[node.location].day_of(start)


def shortest_paths(matrix: tuple[tuple[int, ...], ...], free: set[int] | frozenset[int] = frozenset()) -> list[list[int]]:
    """Floyd-Warshall over the location matrix (the diagonal too: a hop may go round another place);
    the places in free cost nothing to stay in (a booked night there: Problem.travel is 0)."""
    n = len(matrix)
    dist = [list(row) for row in matrix]
    for a in free:
        dist[a][a] = 0
    for k in range(n):
        dk = dist[k]
        for i in range(n):
            dik = dist[i][k]
            di = dist[i]
            for j in range(n):
                if dik + dk[j] < di[j]:
                    di[j] = dik + dk[j]
    return dist


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
    day_travel: dict[int, list[Term]] = field(default_factory=lambda: defaultdict(list))
    """day -> (literal, counted minutes) of the moves and hops in the middle of the day."""
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
    entries: dict[int, list] = field(default_factory=lambda: defaultdict(list))
    """place -> the literals of the arcs entering its blocks from elsewhere."""
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

    def arc(self, tail, head, name: str) -> cp_model.IntVar:
        literal = self.model.NewBoolVar(name)
        self.arcs[(tail, head)] = literal
        self.out_of[tail].append(literal)
        self.into[head].append(literal)
        return literal


class _Relaxation:
    """The day-indexed model of a problem (see the module docstring)."""

    def __init__(self, p: Problem):
        self.p = p
        self.limit = p.days.max_travel_min_per_day
        self.home = p.nodes[START].location
        self.home_end = p.nodes[END].location
        self.night_places = {n.location for n in p.nodes if n.kind is NodeKind.NIGHT}
        self.dist = shortest_paths(p.travel_min, self.night_places)
        """Least travel between two locations along any route (via other places; none between two
        nodes of a place with a booked night)."""
        fixed: dict[int, int] = defaultdict(int)
        for n in p.nodes:
            if n.kind in FIXED_IN_TIME:
                fixed[n.location] += 1
        self.fixed = fixed
        engagements = [i for i, n in enumerate(p.nodes) if n.kind in ENGAGEMENTS]
        self.simple = (not p.split_stays and not self.night_places and all(c <= 1 for c in fixed.values())
                       and all(p.nodes[i].location != HOME for i in engagements))
        """One block per (day, place) in every route: legs are direct, as the matrix gives them."""
        self.engagements = engagements
        self.variables: _Variables | None = None
        """The model's variables, once built."""

    # -- travel prices -----------------------------------------------------------------------

    def cost(self, a: int, b: int) -> int:
        """Least travel of the way between the last engagement in a and the next one in b (a != b)."""
        return self.p.travel_min[a][b] if self.simple else self.dist[a][b]

    def same_place_cost(self, a: int) -> int:
        """Least travel between two consecutive engagements in one place (a booked night there: none)."""
        if a in self.night_places:
            return 0
        return self.p.travel_min[a][a] if self.simple else self.dist[a][a]

    def leg_cost(self, a: int, b: int) -> int:
        """Least travel from the last engagement (or home) in a to the next engagement (or home) in b."""
        return self.cost(a, b) if a != b else self.same_place_cost(a)

    def hop_charge(self, a: int) -> int:
        """Travel charged per engagement of a block beyond the first."""
        if not self.simple and (a in self.night_places or self.p.split_stays or self.fixed[a] > 1 or a == HOME):
            return 0
        return self.same_place_cost(a)

    def hop_time(self, a: int) -> int:
        """Least time between the end of an engagement and the start of the next one in the same place on one day."""
        p = self.p
        times = [p.travel_min[a][a]]
        times += [self.dist[a][x] + self.dist[x][a] for x in range(len(p.travel_min)) if x != a]
        times += [n.service_min for n in p.nodes if n.kind is NodeKind.NIGHT and n.location == a]
        return max(0, min(times))

    def arrival_margin(self, block: _Block, origin: int, minutes: int) -> int:
        """Least time between arriving at the block from origin by a leg of these minutes and its first
        start (rulebook.arrival_margin of its engagements; 0 outside the simple case, where the leg
        may not be direct)."""
        if not self.simple:
            return 0
        return min(rulebook.arrival_margin(self.p, self.p.nodes[i], minutes, origin) for i, _, _ in block.engagements)

    # -- the day structure ------------------------------------------------------------------

    def prepare(self) -> bool:
        """The blocks and days; False when the relaxation does not apply (module docstring)."""
        p = self.p
        start_earliest = p.nodes[START].windows[0].earliest if p.nodes[START].windows else 0
        end_latest = max((w.latest for w in p.nodes[END].windows), default=None)
        if end_latest is None:
            return False
        self.start_earliest, self.end_latest = start_earliest, end_latest
        if not self.engagements:
            return False
        if self.simple:  # the first engagement is reached by the flight from home
            first = min(p.travel_min[self.home][p.nodes[i].location]
                        + rulebook.arrival_margin(p, p.nodes[i], p.travel_min[self.home][p.nodes[i].location], self.home)
                        for i in self.engagements)
        else:
            first = min(self.dist[self.home][p.nodes[i].location] for i in self.engagements)
        self.first_possible = start_earliest + first
        blocks: dict[tuple[int, int], _Block] = {}
        days_of: dict[int, list[int]] = defaultdict(list)
        for i in self.engagements:
            spans = self._spans(i)
            if spans is None:
                return False
            for day, (earliest, latest) in spans.items():
                place = p.nodes[i].location
                blocks.setdefault((day, place), _Block(day, place)).engagements.append((i, earliest, latest))
                days_of[i].append(day)
        if not blocks:
            return False
        self.blocks = blocks
        self.keys = sorted(blocks)
        self.days_of = days_of
        # A later trip day must never come before an earlier one along a route.
        for (k, a) in self.keys:
            ends = blocks[(k, a)].earliest_end(p)
            for (k2, b) in self.keys:
                if k2 >= k:
                    break
                if ends + self.dist[a][b] <= blocks[(k2, b)].latest_start():
                    return False
        self.days = sorted({k for k, _ in blocks})
        self.first_day, self.last_day = self.days[0], self.days[-1]
        self.blocks_on: dict[int, list[_Block]] = defaultdict(list)
        """day -> its blocks, by place."""
        for key in self.keys:
            self.blocks_on[key[0]].append(blocks[key])
        self.places = sorted({a for _, a in self.keys})
        self.first_at = {}
        """place -> the first day with a block there."""
        for k, a in self.keys:
            self.first_at.setdefault(a, k)
        # Days on which every leg between two engagements of the day counts on that day.
        self.counted_day: dict[int, bool] = {}
        for k in self.days:
            low = min(b.open() for b in self.blocks_on[k])
            high = max(b.latest_start() for b in self.blocks_on[k])
            self.counted_day[k] = all(
                calendar.day_starts and k < len(calendar.day_starts) and calendar.day_starts[k] <= low
                and not (k + 1 < len(calendar.day_starts) and calendar.day_starts[k + 1] <= high)
                for calendar in p.calendars)
        return True

    def _spans(self, i: int) -> dict[int, tuple[int, int]] | None:
        """Engagement i's (earliest, latest) start by block day, in the windows a route can reach;
        None when the relaxation does not apply (a window across a day boundary, a mandatory
        engagement no route can make)."""
        p = self.p
        node = p.nodes[i]
        where = node.location
        calendar = p.calendars[where]
        reach = max(self.first_possible, self.start_earliest + self.dist[self.home][where])
        spans: dict[int, tuple[int, int]] = {}
        for w in node.windows:
            if w.latest < reach or w.earliest + node.service_min + self.dist[where][self.home_end] > self.end_latest:
                continue
            earliest = max(w.earliest, reach)
            day = block_day(p, node, w.day, earliest)
            if node.kind is not NodeKind.VISIT and (not calendar.day_starts or calendar.day_of(w.latest) != day):
                return None
            ends = w.latest + node.service_min
            if calendar.day_starts and (calendar.day_of(earliest) != day or calendar.day_of(ends) != day):
                return None  # a window across a day boundary: the blocks' days would not be the rules' days
            if day in spans:
                e, l = spans[day]
                spans[day] = (min(e, earliest), max(l, w.latest))
            else:
                spans[day] = (earliest, w.latest)
        if not spans and node.mandatory:
            return None  # no route can make it
        return spans

    def _positions(self) -> dict[tuple[int, int, int], int]:
        """(day, position, place) -> earliest start: the q-th block of a day may be in a place when
        the blocks before it, their shortest engagements and the moves between them leave time to
        start it (and, on a day whose travel all counts on it, allowance to travel there). Also
        sets self.moves: (day, position, from, to, gap) for each possible move between positions."""
        p, blocks = self.p, self.blocks
        shortest = {key: min(p.nodes[i].service_min for i, _, _ in b.engagements) for key, b in blocks.items()}
        positions: dict[tuple[int, int, int], int] = {}
        self.moves: list[tuple[int, int, int, int, int]] = []
        for k in self.days:
            here = [b.location for b in self.blocks_on[k]]
            earliest = {a: blocks[(k, a)].open() for a in here}  # place -> earliest start at this position
            travelled = {a: 0 for a in here}  # place -> least counted travel of the day to get there
            position = 0
            while earliest:
                if position >= MAX_POSITIONS:
                    raise _TooManyBlocks
                for a, t in earliest.items():
                    positions[(k, position, a)] = t
                next_earliest: dict[int, int] = {}
                next_travelled: dict[int, int] = {}
                for a, t in earliest.items():
                    done = t + shortest[(k, a)]
                    for b in here:
                        if b == a:
                            continue
                        minutes = self.cost(a, b)
                        gap = minutes + self.arrival_margin(blocks[(k, b)], a, minutes)
                        counted = travelled[a] + rulebook.counted_travel(p, minutes)
                        if done + gap > blocks[(k, b)].latest_start() or (self.counted_day[k] and counted > self.limit):
                            continue
                        self.moves.append((k, position, a, b, gap))
                        next_earliest[b] = min(next_earliest.get(b, done + gap), done + gap)
                        next_travelled[b] = min(next_travelled.get(b, counted), counted)
                earliest, travelled = next_earliest, next_travelled
                position += 1
        return positions

    # -- the leg of a night (simple case) ------------------------------------------------------

    def evening_latest(self, a: int, b: int, k: int, minutes: int) -> int | None:
        """Latest arrival of a direct leg a -> b that the rule book lets land on trip day k of b or
        earlier (None: no such leg). The legal arrivals are the instants where the leg may land
        (rulebook.may_arrive) and whose departure may leave (rulebook.may_leave), whichever of a's
        nights lies between; their latest one below day k + 1 ends one of those intervals: the day's
        end, the minute before one of b's nights, or where a leg leaving a runs into one of a's nights."""
        p = self.p
        there = p.calendars[b]
        if k + 1 >= len(there.day_starts):
            return self.end_latest  # every arrival is on day k or earlier, and before the trip's end
        cap = there.day_starts[k + 1] - 1
        candidates = {cap}
        if not p.is_long_haul(minutes):
            candidates.update(start - 1 for start, _ in there.nights)
            for start, _ in p.calendars[a].nights:
                candidates.update((start - 1 + minutes, start))
        legal = [t for t in candidates if t <= cap and rulebook.may_arrive(p, b, t, minutes)
                 and rulebook.may_leave(p, a, t - minutes, minutes)]
        return max(legal, default=None)

    def morning_earliest(self, a: int, b: int, k: int, minutes: int) -> int | None:
        """Earliest arrival of a direct leg a -> b that counts on trip day k or later (None: no day k)."""
        p = self.p
        there = p.calendars[b]
        if k >= len(there.day_starts):
            return None
        departure = there.day_starts[k] - minutes
        for _ in range(RULE_PASSES):  # each pass only moves the departure to the next one the rules allow
            moved = rulebook.first_departure(p, a, departure, minutes)
            moved = rulebook.departure_for_daylight_arrival(p, b, moved, minutes)
            if moved == departure:
                break
            departure = moved
        return departure + minutes

    # -- the model --------------------------------------------------------------------------

    def build(self) -> tuple[cp_model.CpModel, int] | None:
        """The model and the factor its objective is scaled down by (None when it has no solution)."""
        v = _Variables(cp_model.CpModel())
        self.variables = v
        self._add_engagements(v)
        self._add_path(v, self._positions())
        self._add_hops(v)
        self._add_time_per_day(v)
        self._add_travel_per_day(v)
        if self.simple:
            self._add_timing(v)
        if not self._add_stays_and_cities(v):
            return None
        return v.model, self._add_objective(v)

    def _add_engagements(self, v: _Variables) -> None:
        """Which engagements the route attends, on which day."""
        model = v.model
        for i in self.engagements:
            days = self.days_of.get(i, [])
            for k in days:
                v.attends[(i, k)] = model.NewBoolVar(f"x_{i}_{k}")
            if not days:
                continue
            if self.p.nodes[i].mandatory:
                model.Add(sum(v.attends[(i, k)] for k in days) == 1)
                v.present[i] = 1
            elif len(days) == 1:
                v.present[i] = v.attends[(i, days[0])]
            else:
                flag = model.NewBoolVar(f"visit_{i}")
                model.Add(sum(v.attends[(i, k)] for k in days) == flag)
                v.present[i] = flag

    def _add_path(self, v: _Variables, positions: dict[tuple[int, int, int], int]) -> None:
        """The path from home to home through the positions (module docstring), its travel, and what
        the timing and the travel limits need to know of its arcs."""
        p, model, blocks = self.p, v.model, self.blocks
        for key in positions:
            literal = model.NewBoolVar("at_%d_%d_%d" % key)
            v.at[key] = literal
            v.stops_at[(key[0], key[2])].append(literal)
        for key in self.keys:
            k, a = key
            stops = v.stops_at[key]
            used = model.NewBoolVar(f"block_{k}_{a}")
            v.block_used[key] = used
            for stop in stops:
                model.AddImplication(stop, used)
            model.Add(used <= sum(stops))
            attended = [v.attends[(i, k)] for i, _, _ in blocks[key].engagements]
            for literal in attended:
                model.AddImplication(literal, used)
            model.Add(sum(attended) >= sum(stops))  # every stop at a block has an engagement
            if self.simple:
                model.Add(sum(stops) <= 1)
        # From home.
        for (k, q, a) in positions:
            if q != 0:
                continue
            block = blocks[(k, a)]
            minutes = self.leg_cost(self.home, a)
            arrive = self.start_earliest + minutes + self.arrival_margin(block, self.home, minutes)
            if arrive > block.latest_start():
                continue
            literal = v.arc(SOURCE, (k, 0, a), f"start_{k}_{a}")
            v.travel.append((literal, minutes))
            v.openings[k].append((literal, max(block.open(), arrive)))
            if a != HOME:
                v.entries[a].append(literal)
        # Within a day.
        for k, q, a, b, gap in self.moves:
            literal = v.arc((k, q, a), (k, q + 1, b), f"move_{k}_{q}_{a}_{b}")
            minutes = self.cost(a, b)
            v.travel.append((literal, minutes))
            v.day_travel[k].append((literal, rulebook.counted_travel(p, minutes)))
            v.day_gaps[k].append((literal, gap))
            v.gaps_after[(k, q)].append((literal, gap))
            if b != HOME:
                v.entries[b].append(literal)
        # The last block of a day.
        for (k, q, a) in positions:
            literal = v.arc((k, q, a), ("dep", k, a), f"last_{k}_{q}_{a}")
            v.closings[k].append((literal, blocks[(k, a)].close(p)))
        # Nights, days without engagements, the way home.
        for k in range(self.first_day, self.last_day + 1):
            for a in self.places:
                if self.first_at[a] > k:
                    continue
                dep = ("dep", k, a)
                if k == self.last_day:
                    literal = v.arc(dep, SINK, f"home_{a}")
                    v.travel.append((literal, self.leg_cost(a, self.home_end)))
                    continue
                v.arc(dep, ("dep", k + 1, a), f"carry_{k}_{a}")
                for b in self.places:
                    if (k + 1, 0, b) not in positions:
                        continue
                    minutes = self.leg_cost(a, b)
                    literal = v.arc(dep, (k + 1, 0, b), f"night_{k}_{a}_{b}")
                    v.travel.append((literal, minutes))
                    v.night_legs[k].append((literal, a, b, minutes))
                    v.openings[k + 1].append((literal, blocks[(k + 1, b)].open()))
                    if a != b and b != HOME:
                        v.entries[b].append(literal)
        least = self._least_travel_without_engagements()
        if least is not None:
            v.travel.append((v.arc(SOURCE, SINK, "nights_only"), least))
        # One path from home to home.
        model.Add(sum(v.out_of[SOURCE]) == 1)
        model.Add(sum(v.into[SINK]) == 1)
        for node in dict.fromkeys([*v.into, *v.out_of]):  # in the order built: a set's order varies by process
            if node in (SOURCE, SINK):
                continue
            flow_in, flow_out = v.into.get(node, []), v.out_of.get(node, [])
            model.Add(sum(flow_in) == sum(flow_out))
            if node in v.at:
                model.Add(v.at[node] == sum(flow_in))
            elif flow_in:
                model.Add(sum(flow_in) <= 1)
        for node, literal in v.at.items():
            if node not in v.into:
                model.Add(literal == 0)

    def _least_travel_without_engagements(self) -> int | None:
        """The least travel of a plan without engagements (booked nights alone), or None when every
        plan has one (a mandatory or pinned engagement, no booked night)."""
        p = self.p
        nights = [n for n in p.nodes if n.kind is NodeKind.NIGHT]
        if not nights or any(p.nodes[i].mandatory for i in self.engagements):
            return None
        if any(g not in {n.group for n in nights} for g in p.required_groups):
            return None

        def by_way_of(night: Node) -> int:
            return self.dist[self.home][night.location] + self.dist[night.location][self.home_end]

        # A plan leaves home: it holds a night, and every mandatory one.
        return max([min(by_way_of(n) for n in nights)] + [by_way_of(n) for n in nights if n.mandatory])

    def _add_hops(self, v: _Variables) -> None:
        """Hops within blocks (travel, counted travel and time) and what one block can hold."""
        p, model = self.p, v.model
        slots = p.days.max_visits_per_day
        for key in self.keys:
            k, a = key
            block = self.blocks[key]
            attended = [v.attends[(i, k)] for i, _, _ in block.engagements]
            extra = sum(attended) - sum(v.stops_at[key])  # engagements beyond the first of each stop
            charge = self.hop_charge(a)
            if charge:
                v.travel.append((extra, charge))
                v.day_travel[k].append((extra, rulebook.counted_travel(p, charge)))
            hop = self.hop_time(a)
            v.day_gaps[k].append((extra, hop))
            visits = [v.attends[(i, k)] for i, _, _ in block.engagements if rulebook.takes_visit_slot(p.nodes[i])]
            if visits:
                model.Add(sum(visits) <= min(slots, len(visits)) * v.block_used[key])
            model.Add(sum(v.attends[(i, k)] * (p.nodes[i].service_min + hop) for i, _, _ in block.engagements)
                      <= (block.close(p) - block.open() + hop) * v.block_used[key])

    def _add_time_per_day(self, v: _Variables) -> None:
        """The engagements of a day and the gaps between them fit between its first start and last end."""
        p = self.p
        for k in self.days:
            busy = sum(p.nodes[i].service_min * v.attends[(i, k)] for block in self.blocks_on[k]
                       for i, _, _ in block.engagements)
            busy += sum(literal * t for literal, t in v.day_gaps[k])
            v.model.Add(busy <= sum(literal * c for literal, c in v.closings[k])
                        - sum(literal * o for literal, o in v.openings[k]))

    def _add_travel_per_day(self, v: _Variables) -> None:
        """Travel per day: the night's move counts on the evening before or the next morning (in the
        simple case one direct leg, on one of the two days; else split freely between them)."""
        p, model = self.p, v.model
        for k in range(self.first_day, self.last_day):
            v.evening[k] = model.NewIntVar(0, self.limit, f"evening_{k}")
            v.morning[k + 1] = model.NewIntVar(0, self.limit, f"morning_{k + 1}")
            model.Add(v.evening[k] + v.morning[k + 1]
                      == sum(literal * rulebook.counted_travel(p, m) for literal, _, _, m in v.night_legs[k]))
            if self.simple:
                evening = model.NewBoolVar(f"late_{k}")
                v.lands_evening[k] = evening
                model.Add(v.evening[k] <= self.limit * evening)
                model.Add(v.morning[k + 1] <= self.limit * (1 - evening))
        for k in range(self.first_day, self.last_day + 1):
            if not self.counted_day.get(k, False):
                continue
            total = sum(literal * c for literal, c in v.day_travel[k])
            if k in v.evening:
                total += v.evening[k]
            if k in v.morning:
                total += v.morning[k]
            model.Add(total <= self.limit)

    def _add_stays_and_cities(self, v: _Variables) -> bool:
        """A visit needs its city entered; visit slots; one stay per city; the city limit; pinned
        cities (False: no route has them)."""
        p, model = self.p, v.model
        for i, flag in v.present.items():
            a = p.nodes[i].location
            if a != HOME and not isinstance(flag, int) and v.entries.get(a):
                model.Add(flag <= sum(v.entries[a]))
        slots = p.days.max_visits_per_day
        visits_on: dict[int, list] = defaultdict(list)
        for (i, k), literal in v.attends.items():
            if rulebook.takes_visit_slot(p.nodes[i]):
                visits_on[k].append(literal)
        for literals in visits_on.values():
            if len(literals) > slots:
                model.Add(sum(literals) <= slots)
        if not p.split_stays:
            for a, literals in v.entries.items():
                allowed = max(1, self.fixed[a])
                if len(literals) > allowed:
                    model.Add(sum(literals) <= allowed)
        if p.max_locations is not None:
            used_at: dict[int, list] = defaultdict(list)
            for (_, a), literal in v.block_used.items():
                used_at[a].append(literal)
            city_flags = []
            for a in self.places:
                if a == HOME:
                    continue
                flag = model.NewBoolVar(f"city_{a}")
                for literal in used_at[a]:
                    model.AddImplication(literal, flag)
                model.Add(flag <= sum(used_at[a]))
                city_flags.append(flag)
            model.Add(sum(city_flags) <= p.max_locations)
        for group in p.required_groups:
            in_group = [v.present[i] for i in v.present if p.nodes[i].group == group]
            if not in_group:
                return False
            model.Add(sum(in_group) >= 1)
        return True

    def _add_objective(self, v: _Variables) -> int:
        """Maximise worth = 60 x value - cost per hour x travel (objective.worth), scaled down by the
        gcd of its coefficients; returns that factor."""
        p, model = self.p, v.model
        rate = p.repeat_per_mille
        value_terms: list[Term] = []
        by_theme: dict[int, list[int]] = defaultdict(list)
        for i, flag in v.present.items():
            node = p.nodes[i]
            if node.score <= 0:
                continue
            if node.theme >= 0:
                by_theme[node.theme].append(i)
            else:
                value_terms.append((flag, PER_MILLE * node.score))
        for on_theme in by_theme.values():
            value_terms += [(v.present[i], rate * p.nodes[i].score) for i in on_theme]
            if rate < PER_MILLE:  # the theme's best counts in full: its lift over the repeat factor
                best = model.NewIntVar(0, max(p.nodes[i].score for i in on_theme), f"best_{p.nodes[on_theme[0]].theme}")
                picks = []
                for i in on_theme:
                    pick = model.NewBoolVar(f"pick_{i}")
                    if not isinstance(v.present[i], int):
                        model.AddImplication(pick, v.present[i])
                    picks.append((pick, p.nodes[i].score))
                model.Add(sum(pick for pick, _ in picks) <= 1)
                model.Add(best <= sum(pick * s for pick, s in picks))
                value_terms.append((best, PER_MILLE - rate))
        for group, bonus in enumerate(p.group_bonus):
            in_group = [v.present[i] for i in v.present if p.nodes[i].group == group]
            if bonus > 0 and in_group:
                visited = model.NewBoolVar(f"group_{group}")
                model.Add(visited <= sum(in_group))
                where = {p.nodes[i].location for i in v.present if p.nodes[i].group == group}
                if HOME not in where and all(v.entries.get(a) for a in where):
                    model.Add(visited <= sum(literal for a in where for literal in v.entries[a]))  # one city entered
                value_terms.append((visited, PER_MILLE * bonus))
        cost = p.travel_cost_per_hour
        scale = 0
        for _, c in value_terms:
            scale = math.gcd(scale, MINUTES_PER_HOUR * c)
        for _, m in v.travel:
            scale = math.gcd(scale, cost * m)
        scale = scale or 1
        value = sum(term * (MINUTES_PER_HOUR * c // scale) for term, c in value_terms)
        travel = sum(term * (cost * m // scale) for term, m in v.travel)
        model.Maximize(value - travel)
        return scale

    def _add_timing(self, v: _Variables) -> None:
        """Simple case: each block of a day is one position; the positions of a day follow each other
        in time (start S, end F), the night's leg ends the day before (evening) or starts the next
        one (morning), and anchors keep their hours."""
        p, model, blocks = self.p, v.model, self.blocks
        count: dict[int, int] = defaultdict(int)  # day -> its positions
        for (k, q, _) in v.at:
            count[k] = max(count[k], q + 1)
        for k in self.days:
            low = min(b.open() for b in self.blocks_on[k])
            high = max(b.close(p) for b in self.blocks_on[k])
            for q in range(count[k]):
                v.start[(k, q)] = model.NewIntVar(low, high, f"S_{k}_{q}")
                v.end[(k, q)] = model.NewIntVar(low, high, f"F_{k}_{q}")
            # A day without engagements may still see the night's leg arrive early (after a carry).
            v.day_end[k] = model.NewIntVar(min(low, self.start_earliest), high, f"F_{k}")
            model.Add(v.start[(k, 0)] >= sum(literal * (o - low) for literal, o in v.openings[k]) + low)
            model.Add(v.day_end[k] <= sum(literal * (c - high) for literal, c in v.closings[k]) + high)
            for q in range(count[k] - 1):
                model.Add(v.start[(k, q + 1)] >= v.end[(k, q)] + sum(literal * g for literal, g in v.gaps_after[(k, q)]))
        for (k, q, a), at in v.at.items():
            self._add_block_timing(v, k, q, a, at)
        for k, legs in v.night_legs.items():
            if k not in v.lands_evening:
                continue
            evening = v.lands_evening[k]
            if k in v.day_end:  # landing on day k, the leg leaves after the day's last engagement
                limits = []
                for literal, a, b, minutes in legs:
                    latest = self.evening_latest(a, b, k, minutes)
                    if latest is None:  # no leg of this arc lands on day k
                        model.AddImplication(evening, literal.Not())
                    else:
                        limits.append((literal, latest - minutes))
                model.Add(v.day_end[k] <= sum(literal * t for literal, t in limits)).OnlyEnforceIf(evening)
            if k + 1 in self.days:  # landing on day k + 1, the day's first engagement waits for it
                bounds = []
                for literal, a, b, minutes in legs:
                    earliest = self.morning_earliest(a, b, k + 1, minutes)
                    if earliest is not None:
                        bounds.append((literal, earliest + self.arrival_margin(blocks[(k + 1, b)], a, minutes)))
                if bounds:
                    model.Add(v.start[(k + 1, 0)] >= sum(literal * t for literal, t in bounds)).OnlyEnforceIf(evening.Not())

    def _add_block_timing(self, v: _Variables, k: int, q: int, a: int, at: cp_model.IntVar) -> None:
        """The block of day k in place a at position q (when `at`): within its opening hours, long
        enough for its engagements and hops, and each attended anchor at its hours with the other
        engagements before or after it."""
        p, model = self.p, v.model
        block = self.blocks[(k, a)]
        start, end = v.start[(k, q)], v.end[(k, q)]
        model.Add(start >= block.open()).OnlyEnforceIf(at)
        model.Add(end <= block.close(p)).OnlyEnforceIf(at)
        model.Add(v.day_end[k] >= end).OnlyEnforceIf(at)
        hop = self.hop_time(a)
        work = sum(v.attends[(i, k)] * (p.nodes[i].service_min + hop) for i, _, _ in block.engagements)
        model.Add(end - start + hop >= work).OnlyEnforceIf(at)
        for i, earliest, latest in block.engagements:
            anchor = p.nodes[i]
            if anchor.kind is not NodeKind.ANCHOR:
                continue
            # Only on the day the anchor is attended (always, for a mandatory anchor of one day).
            attended = [] if anchor.mandatory and len(self.days_of[i]) == 1 else [v.attends[(i, k)]]
            before, after = [], []
            for j, e, l in block.engagements:
                if j == i:
                    continue
                size = p.nodes[j].service_min + hop
                key = (i, j, k)
                if key not in v.before:
                    first = model.NewBoolVar(f"before_{i}_{j}_{k}")
                    model.AddImplication(first, v.attends[(j, k)])
                    if e + size > latest:  # cannot come before
                        model.Add(first == 0).OnlyEnforceIf(attended)
                    if l < earliest + anchor.service_min + hop:  # cannot come after
                        model.Add(first == v.attends[(j, k)]).OnlyEnforceIf(attended)
                    v.before[key] = first
                first = v.before[key]
                before.append(first * size)
                after.append((v.attends[(j, k)] - first) * size)
            model.Add(start + sum(before) <= latest).OnlyEnforceIf([at, *attended])
            model.Add(end >= earliest + anchor.service_min + sum(after)).OnlyEnforceIf([at, *attended])

    # -- routes and solutions ------------------------------------------------------------------

    def route_values(self, stops) -> dict[cp_model.IntVar, int] | None:
        """The built model's variables' values for a timed route (schedule.Stop list), in the simple
        case: a warm start, and a check that the route is one of the model's solutions (tests).
        None when the route does not fit the model."""
        v = self.variables
        if not self.simple or v is None:
            return None
        p = self.p
        values: dict[cp_model.IntVar, int] = {}
        for literal in itertools.chain(v.attends.values(), v.block_used.values(), v.at.values(), v.arcs.values(),
                                       v.before.values(), v.lands_evening.values(), v.evening.values(),
                                       v.morning.values(), (flag for flag in v.present.values() if not isinstance(flag, int))):
            values[literal] = 0
        runs: list[tuple[int, int, list]] = []  # (day, place, stops) of each block, in route order
        for stop in stops:
            node = p.nodes[stop.node]
            if node.kind not in ENGAGEMENTS:
                continue
            day = block_day(p, node, stop.day, stop.start)
            if (stop.node, day) not in v.attends:
                return None
            values[v.attends[(stop.node, day)]] = 1
            if not isinstance(v.present[stop.node], int):
                values[v.present[stop.node]] = 1
            if runs and runs[-1][0] == day and runs[-1][1] == node.location:
                runs[-1][2].append(stop)
            else:
                runs.append((day, node.location, [stop]))
        if not runs:
            return None
        position: dict[int, int] = defaultdict(int)
        path: list[tuple] = [SOURCE]
        for n, (day, place, attended) in enumerate(runs):
            q = position[day]
            position[day] += 1
            if (day, q, place) not in v.at:
                return None
            path.append((day, q, place))
            values[v.block_used[(day, place)]] = 1
            values[v.at[(day, q, place)]] = 1
            values[v.start[(day, q)]] = attended[0].start
            values[v.end[(day, q)]] = attended[-1].end
            values[v.day_end[day]] = attended[-1].end
            for anchor in attended:
                if p.nodes[anchor.node].kind is NodeKind.ANCHOR:
                    for other in attended:
                        if other is not anchor:
                            values[v.before[(anchor.node, other.node, day)]] = int(other.start < anchor.start)
            following = runs[n + 1] if n + 1 < len(runs) else None
            if following is not None and following[0] == day:
                continue  # a move in the middle of the day
            upto = following[0] - 1 if following is not None else self.last_day
            path += [("dep", k, place) for k in range(day, upto + 1)]
            if following is None:
                continue
            leg = following[2][0]  # the night's leg lands for this stop
            there = p.nodes[leg.node].location
            counted = rulebook.counted_travel(p, self.leg_cost(place, there))
            evening = p.calendars[there].day_of(leg.arrival) <= upto
            values[v.lands_evening[upto]] = int(evening)
            values[v.evening[upto] if evening else v.morning[upto + 1]] = counted
        path.append(SINK)
        for tail, head in zip(path, path[1:]):
            if (tail, head) not in v.arcs:
                return None
            values[v.arcs[(tail, head)]] = 1
        return values

    def read_route(self, solver: cp_model.CpSolver) -> tuple[int, ...] | None:
        """The solved model's engagements as a route: blocks by day and position, each block's
        engagements in the first order that schedule_route accepts (all orders are tried, blocks are
        small). None when it has none or a block has no order."""
        from tripplanner.solver.schedule import Failure, schedule_route

        v = self.variables
        p = self.p
        route = [START]
        for k, _, a in sorted(key for key, literal in v.at.items() if solver.Value(literal)):
            attended = [i for i, _, _ in self.blocks[(k, a)].engagements if solver.Value(v.attends[(i, k)])]
            order = None
            for attempt in itertools.islice(itertools.permutations(attended), 720):
                if not isinstance(schedule_route(p, route + list(attempt)), Failure):
                    order = list(attempt)
                    break
            if order is None:
                return None
            route += order
        return tuple(route + [END]) if len(route) > 1 else None


def apply_values(model: cp_model.CpModel, values: dict[cp_model.IntVar, int]) -> int:
    """Hint the model's variables with values (_Relaxation.route_values); how many."""
    for variable, value in values.items():
        model.AddHint(variable, value)
    return len(values)


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
    seconds: float = 0.0
    searched: bool = False
    """CP-SAT searched the relaxation (it is small enough); otherwise the bound is the LP's alone."""


def worth_bound(problem: Problem, seconds: float, stop: threading.Event | None = None) -> int | None:
    """A proven upper bound on the worth (objective.worth units) of every feasible route of a trip with
    day rules, from the day-indexed relaxation (module docstring); None when it does not apply."""
    result = day_bound(problem, seconds, stop)
    return None if result is None else result.bound


def day_bound(problem: Problem, seconds: float, stop: threading.Event | None = None, hint=None,
              wall_s: float | None = None) -> DayBound | None:
    """worth_bound with the relaxation's best solution; hint: a timed route (schedule.Stop list) to
    start from, in the simple case. Deterministic: one worker, a deterministic time limit (the wall
    clock is only a safety net at twice the budget, or wall_s from the call when sooner), a fixed seed."""
    clock = time.monotonic()
    if problem.days is None:
        return None
    relaxation = _Relaxation(problem)
    if not relaxation.prepare():
        return None
    try:
        built = relaxation.build()
    except _TooManyBlocks:
        return None
    if built is None:
        return None
    model, scale = built
    best = lp_bound(model)
    solved, nodes = False, None
    searched = len(model.Proto().variables) <= CPSAT_MAX_VARIABLES
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
        code = _run(solver, model, stop)
        if code == cp_model.INFEASIBLE:
            return None
        if code == cp_model.MODEL_INVALID:
            raise RuntimeError(model.Validate())
        response = solver.response_proto
        past_presolve = code != cp_model.UNKNOWN or response.num_booleans > 0 or response.num_integers > 0
        bound = solver.BestObjectiveBound()
        if past_presolve and math.isfinite(bound):  # stopped in presolve, CP-SAT reports no bound
            found = math.ceil(bound - 1e-6)
            best = found if best is None else min(best, found)
            solved = code == cp_model.OPTIMAL  # then found is the optimum, at most the LP's bound
        if code in (cp_model.OPTIMAL, cp_model.FEASIBLE) and relaxation.simple:
            nodes = relaxation.read_route(solver)
    if best is None:
        return None
    return DayBound(best * scale, solved, nodes, time.monotonic() - clock, searched=searched)


def _run(solver: cp_model.CpSolver, model: cp_model.CpModel, stop: threading.Event | None) -> int:
    if stop is None:
        return solver.Solve(model)
    outcome: list[int] = []
    worker = threading.Thread(target=lambda: outcome.append(solver.Solve(model)), daemon=True)
    worker.start()
    while worker.is_alive():
        worker.join(STOP_POLL_S)
        if stop.is_set():
            solver.StopSearch()
    worker.join()
    return outcome[0]
