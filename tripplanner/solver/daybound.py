"""A proven upper bound on a multi-day trip's worth: a day-indexed relaxation, bounded by its linear
relaxation (GLOP, exact dual bound) and by CP-SAT.

The route is read day by day. A *block* is what the delegation does in one place on one trip day:
the engagements (anchors, visits) that start there on that day (a visit's window day, an anchor's
local trip day), one after the other. A route is one path through a time-expanded graph:

    home -> (k, 0, A) -> (k, 1, B) -> Dep(k, B) -> (k+1, 0, C) -> Dep(k+1, C) -> Dep(k+2, C) -> ... -> home

(k, q, A) is the q-th block of day k, in place A; an arc (k, q, A) -> (k, q+1, B) is a move in the
middle of the day; Dep(k, A) is the end of day k in A, from which the night's move leaves for the
first block of day k+1 (or, Dep(k, A) -> Dep(k+1, A), a day without engagements). The graph has no
cycle, so a flow of one from home to home is a path. The model keeps, as the rule book states them:

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
  on the evening before (landing before the night, leaving after the day's last engagement) or on
  the next morning (leaving after the night, the day's first engagement after its arrival buffer);

and drops the rest: the exact windows within a day, rest, max_days and hotel changes. Every rule it
keeps is implied by the route's rules and every cost it charges is the route's, so its optimum (and
any bound on it) is at least any feasible route's worth; tests/solver/test_daybound.py checks that
routes are solutions of the model worth exactly their worth.

That holds as stated where each place has one block a day and consecutive blocks are joined by one
direct leg: no split stays, no place with two fixed stops, no booked night, no visit at home (the
*simple* case, which covers the generated trips and three of the four examples). Otherwise a place
may take several positions a day, legs are priced at shortest-path times (a booked night elsewhere
may lie between two blocks), no hop is charged where a night or a second stay may split a block,
and the timing of blocks and of the night's leg is dropped (its counted minutes split freely).

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
from tripplanner.solver.objective import MINUTES_PER_HOUR
from tripplanner.solver.problem import ENGAGEMENTS, FIXED_IN_TIME, NodeKind, Problem
from tripplanner.solver.rulebook import PER_MILLE

START, END = Problem.START, Problem.END
STOP_POLL_S = 0.1
DETERMINISTIC_PER_SECOND = 0.5
"""CP-SAT deterministic time per second of the bound's budget: one worker on this model does about
0.5-0.6 deterministic seconds per second of wall time (2-core machine, examples and generated trips)."""
CPSAT_MAX_VARIABLES = 5000
"""Above this many model variables CP-SAT does not beat the LP bound in 10 s: 5,900 on the generated
50-candidate, 14-day trip (2 s of presolve, root LP still converging at 10 s), 13,000 on the
60-candidate, 21-day one (7 s of presolve); 3,400 on the 30 x 14 one, where it gains 0.3 points in 4 s."""
MAX_POSITIONS = 8
"""Blocks one day may hold at most before the model gives up (a day of many tiny hops)."""


class _TooManyBlocks(Exception):
    pass


@dataclass
class _Block:
    day: int
    location: int
    members: list[tuple[int, int, int]] = field(default_factory=list)
    """(node, earliest start, latest start) of each engagement that may start here on this day."""

    def open(self, p: Problem) -> int:
        return min(e for _, e, _ in self.members)

    def close(self, p: Problem) -> int:
        return max(l + p.nodes[i].service_min for i, _, l in self.members)

    def latest_start(self) -> int:
        return max(l for _, _, l in self.members)

    def earliest_end(self, p: Problem) -> int:
        return min(e + p.nodes[i].service_min for i, e, _ in self.members)


def shortest_paths(matrix: tuple[tuple[int, ...], ...]) -> list[list[int]]:
    """Floyd-Warshall over the location matrix (the diagonal too: a hop may go round another place)."""
    n = len(matrix)
    dist = [list(row) for row in matrix]
    for k in range(n):
        dk = dist[k]
        for i in range(n):
            dik = dist[i][k]
            di = dist[i]
            for j in range(n):
                if dik + dk[j] < di[j]:
                    di[j] = dik + dk[j]
    return dist


class _Relaxation:
    """The day-indexed model of a problem (see the module docstring)."""

    def __init__(self, p: Problem):
        self.p = p
        rules = p.days
        self.limit = rules.max_travel_min_per_day
        self.home = p.nodes[START].location
        self.home_end = p.nodes[END].location
        self.dist = shortest_paths(p.travel_min)
        fixed = defaultdict(int)
        for n in p.nodes:
            if n.kind in FIXED_IN_TIME:
                fixed[n.location] += 1
        self.fixed = fixed
        self.night_places = {n.location for n in p.nodes if n.kind is NodeKind.NIGHT}
        engagements = [i for i, n in enumerate(p.nodes) if n.kind in ENGAGEMENTS]
        self.simple = (not p.split_stays and not self.night_places and all(c <= 1 for c in fixed.values())
                       and all(p.nodes[i].location != 0 for i in engagements))
        """One block per (day, place) in every route: legs are direct, as the matrix gives them."""
        self.engagements = engagements

    # -- travel prices -----------------------------------------------------------------------

    def cost(self, a: int, b: int) -> int:
        """Least travel of the way between the last engagement in a and the next one in b (a != b)."""
        return self.p.travel_min[a][b] if self.simple else self.dist[a][b]

    def same_place_cost(self, a: int) -> int:
        """Least travel between two consecutive engagements in one place (a booked night there: none)."""
        if a in self.night_places:
            return 0
        return self.p.travel_min[a][a] if self.simple else self.dist[a][a]

    def hop_charge(self, a: int) -> int:
        """Travel charged per engagement of a block beyond the first."""
        if not self.simple and (a in self.night_places or self.p.split_stays or self.fixed[a] > 1 or a == 0):
            return 0
        return self.same_place_cost(a)

    def hop_time(self, a: int) -> int:
        """Least time between the end of an engagement and the start of the next one in the same place on one day."""
        p = self.p
        times = [p.travel_min[a][a]]
        times += [self.dist[a][x] + self.dist[x][a] for x in range(len(p.travel_min)) if x != a]
        times += [n.service_min for n in p.nodes if n.kind is NodeKind.NIGHT and n.location == a]
        return max(0, min(times))

    def counted(self, minutes: int) -> int:
        return min(minutes, self.limit)

    # -- the day structure ------------------------------------------------------------------

    def prepare(self) -> bool:
        p = self.p
        start_earliest = p.nodes[START].windows[0].earliest if p.nodes[START].windows else 0
        end_latest = max((w.latest for w in p.nodes[END].windows), default=None)
        if end_latest is None:
            return False
        self.start_earliest, self.end_latest = start_earliest, end_latest
        locations = {p.nodes[i].location for i in self.engagements}
        if not locations:
            return False
        rest = p.days.long_haul_rest_min
        if self.simple:
            first = min(p.travel_min[self.home][x] + (rest if p.is_long_haul(p.travel_min[self.home][x]) else 0)
                        for x in locations)
        else:
            first = min(self.dist[self.home][x] for x in locations)
        self.first_possible = start_earliest + first
        blocks: dict[tuple[int, int], _Block] = {}
        days_of: dict[int, list[int]] = defaultdict(list)
        for i in self.engagements:
            node = p.nodes[i]
            where = node.location
            calendar = p.calendars[where]
            reach = max(self.first_possible, start_earliest + self.dist[self.home][where])
            per_day: dict[int, tuple[int, int]] = {}
            for w in node.windows:
                if w.latest < reach or w.earliest + node.service_min + self.dist[where][self.home_end] > end_latest:
                    continue
                earliest = max(w.earliest, reach)
                if node.kind is NodeKind.VISIT:
                    day = w.day
                else:
                    day = calendar.day_of(earliest)
                    if not calendar.day_starts or calendar.day_of(w.latest) != day:
                        return False
                ends = w.latest + node.service_min
                if calendar.day_starts and (calendar.day_of(earliest) != day or calendar.day_of(ends) != day):
                    return False  # a window across a day boundary: the blocks' days would not be the rules' days
                if day in per_day:
                    e, l = per_day[day]
                    per_day[day] = (min(e, earliest), max(l, w.latest))
                else:
                    per_day[day] = (earliest, w.latest)
            if not per_day and node.mandatory:
                return False  # no route can make it
            for day, (e, l) in per_day.items():
                blocks.setdefault((day, where), _Block(day, where)).members.append((i, e, l))
                days_of[i].append(day)
        if not blocks:
            return False
        self.blocks = blocks
        self.days_of = days_of
        # A later trip day must never come before an earlier one along a route.
        keys = sorted(blocks)
        for (k, a) in keys:
            ends = blocks[(k, a)].earliest_end(p)
            for (k2, b) in keys:
                if k2 >= k:
                    break
                if ends + self.dist[a][b] <= blocks[(k2, b)].latest_start():
                    return False
        self.days = sorted({k for k, _ in blocks})
        self.first_day, self.last_day = self.days[0], self.days[-1]
        # Days on which every leg between two engagements of the day counts on that day.
        self.counted_day: dict[int, bool] = {}
        for k in self.days:
            members = [b for (d, _), b in blocks.items() if d == k]
            low = min(b.open(p) for b in members)
            high = max(b.latest_start() for b in members)
            good = True
            for calendar in p.calendars:
                starts = calendar.day_starts
                if not starts or k >= len(starts) or starts[k] > low or (k + 1 < len(starts) and starts[k + 1] <= high):
                    good = False
                    break
            self.counted_day[k] = good
        return True

    # -- the model --------------------------------------------------------------------------

    def build(self) -> tuple[cp_model.CpModel, int] | None:
        """The model and the factor its objective is scaled down by (None when it has no solution)."""
        p = self.p
        model = cp_model.CpModel()
        blocks = self.blocks
        keys = sorted(blocks)
        places = sorted({a for _, a in keys})
        first_at = {a: min(k for k, b in keys if b == a) for a in places}

        # Engagements by day.
        x: dict[tuple[int, int], cp_model.IntVar] = {}
        present: dict[int, object] = {}
        for i in self.engagements:
            days = self.days_of.get(i, [])
            node = p.nodes[i]
            for k in days:
                x[(i, k)] = model.NewBoolVar(f"x_{i}_{k}")
            if not days:
                continue
            if node.mandatory:
                model.Add(sum(x[(i, k)] for k in days) == 1)
                present[i] = 1
            elif len(days) == 1:
                present[i] = x[(i, days[0])]
            else:
                flag = model.NewBoolVar(f"visit_{i}")
                model.Add(sum(x[(i, k)] for k in days) == flag)
                present[i] = flag

        def margin(block: _Block, origin: int, minutes: int) -> int:
            if not self.simple:
                return 0
            return min(rulebook.arrival_margin(p, p.nodes[i], minutes, origin) for i, _, _ in block.members)

        # The positions of a day: the p-th block of the day may be in place a when the blocks before
        # it, their shortest engagements and the moves between them leave time to start it.
        min_service = {key: min(p.nodes[i].service_min for i, _, _ in b.members) for key, b in blocks.items()}
        positions: dict[tuple[int, int, int], int] = {}  # (day, position, place) -> earliest start
        moves: list[tuple[int, int, int, int, int]] = []  # (day, position, from, to, gap)
        for k in self.days:
            here = [a for a in places if (k, a) in blocks]
            layer = {a: blocks[(k, a)].open(p) for a in here}
            travelled = {a: 0 for a in here}
            position = 0
            while layer:
                if position >= MAX_POSITIONS:
                    raise _TooManyBlocks
                for a, t in layer.items():
                    positions[(k, position, a)] = t
                following: dict[int, int] = {}
                spent: dict[int, int] = {}
                for a, t in layer.items():
                    done = t + min_service[(k, a)]
                    for b in here:
                        if b == a:
                            continue
                        minutes = self.cost(a, b)
                        gap = minutes + margin(blocks[(k, b)], a, minutes)
                        counted = travelled[a] + self.counted(minutes)
                        if done + gap > blocks[(k, b)].latest_start() or (self.counted_day[k] and counted > self.limit):
                            continue
                        moves.append((k, position, a, b, gap))
                        if b not in following or done + gap < following[b]:
                            following[b] = done + gap
                        spent[b] = min(spent.get(b, counted), counted)
                layer, travelled = following, spent
                position += 1

        used: dict[tuple[int, int], object] = {}
        node_flag: dict[tuple, object] = {}
        into: dict[tuple, list] = defaultdict(list)
        out_of: dict[tuple, list] = defaultdict(list)
        travel_terms = []
        within: dict[int, list] = defaultdict(list)  # per day: (literal, counted minutes)
        within_time: dict[int, list] = defaultdict(list)  # per day: (literal, minutes)
        firsts: dict[int, list] = defaultdict(list)  # per day: (literal, opening)
        lasts: dict[int, list] = defaultdict(list)  # per day: (literal, closing)
        transitions: dict[int, list] = defaultdict(list)  # per night k -> k+1: (literal, counted minutes)
        entries: dict[int, list] = defaultdict(list)  # per place: literals entering its blocks from elsewhere
        nights: dict[int, list] = defaultdict(list)  # per night k -> k+1: (literal, from, to, minutes)
        moves_from: dict[tuple[int, int], list] = defaultdict(list)  # per (day, position): (literal, gap)
        SOURCE, SINK = ("source",), ("sink",)

        def arc(tail, head, name: str):
            literal = model.NewBoolVar(name)
            out_of[tail].append(literal)
            into[head].append(literal)
            return literal

        for key in positions:
            node_flag[key] = model.NewBoolVar(f"at_{key[0]}_{key[1]}_{key[2]}")
        for key in keys:
            k, a = key
            visits_here = [node_flag[(kk, q, b)] for (kk, q, b) in positions if kk == k and b == a]
            literal = model.NewBoolVar(f"block_{k}_{a}")
            used[key] = literal
            for flag in visits_here:
                model.AddImplication(flag, literal)
            model.Add(literal <= sum(visits_here))
            members = [x[(i, k)] for i, _, _ in blocks[key].members]
            for m in members:
                model.AddImplication(m, literal)
            model.Add(sum(members) >= sum(visits_here))  # every stop at a block has an engagement
            if self.simple:
                model.Add(sum(visits_here) <= 1)
        # From home.
        for (k, q, a), earliest in positions.items():
            if q != 0:
                continue
            block = blocks[(k, a)]
            minutes = self.cost(self.home, a) if a != self.home else self.same_place_cost(a)
            arrive = self.start_earliest + minutes + margin(block, self.home, minutes)
            if arrive > block.latest_start():
                continue
            literal = arc(SOURCE, (k, 0, a), f"start_{k}_{a}")
            travel_terms.append((literal, minutes))
            firsts[k].append((literal, max(block.open(p), arrive)))
            if a != 0:
                entries[a].append(literal)
        # Within a day.
        for k, q, a, b, gap in moves:
            literal = arc((k, q, a), (k, q + 1, b), f"move_{k}_{q}_{a}_{b}")
            minutes = self.cost(a, b)
            travel_terms.append((literal, minutes))
            within[k].append((literal, self.counted(minutes)))
            within_time[k].append((literal, gap))
            moves_from[(k, q)].append((literal, gap))
            if b != 0:
                entries[b].append(literal)
        # The last block of a day.
        for (k, q, a) in positions:
            literal = arc((k, q, a), ("dep", k, a), f"last_{k}_{q}_{a}")
            lasts[k].append((literal, blocks[(k, a)].close(p)))
        # Nights, days without engagements, the way home.
        for k in range(self.first_day, self.last_day + 1):
            for a in places:
                if first_at[a] > k:
                    continue
                dep = ("dep", k, a)
                if k < self.last_day:
                    arc(dep, ("dep", k + 1, a), f"carry_{k}_{a}")
                    for b in places:
                        if (k + 1, 0, b) not in positions:
                            continue
                        minutes = self.cost(a, b) if a != b else self.same_place_cost(a)
                        literal = arc(dep, (k + 1, 0, b), f"night_{k}_{a}_{b}")
                        travel_terms.append((literal, minutes))
                        transitions[k].append((literal, self.counted(minutes)))
                        nights[k].append((literal, a, b, minutes))
                        firsts[k + 1].append((literal, blocks[(k + 1, b)].open(p)))
                        if a != b and b != 0:
                            entries[b].append(literal)
                else:
                    minutes = self.cost(a, self.home_end) if a != self.home_end else self.same_place_cost(a)
                    literal = arc(dep, SINK, f"home_{a}")
                    travel_terms.append((literal, minutes))
        # One path from home to home.
        model.Add(sum(out_of[SOURCE]) == 1)
        model.Add(sum(into[SINK]) == 1)
        for node in set(into) | set(out_of):
            if node in (SOURCE, SINK):
                continue
            flow_in, flow_out = into.get(node, []), out_of.get(node, [])
            model.Add(sum(flow_in) == sum(flow_out))
            if node in node_flag:
                model.Add(node_flag[node] == sum(flow_in))
            elif flow_in:
                model.Add(sum(flow_in) <= 1)
        for node, flag in node_flag.items():
            if node not in into:
                model.Add(flag == 0)

        # Hops within blocks: travel, counted travel and time; what one block can hold.
        hop_travel = []
        slots = p.days.max_visits_per_day
        for key in keys:
            k, a = key
            block = blocks[key]
            members = [x[(i, k)] for i, _, _ in block.members]
            stops = sum(node_flag[(kk, q, b)] for (kk, q, b) in positions if kk == k and b == a)
            extra = sum(members) - stops
            charge = self.hop_charge(a)
            if charge:
                hop_travel.append((extra, charge))
                within[k].append((extra, self.counted(charge)))
            within_time[k].append((extra, self.hop_time(a)))
            visits = [x[(i, k)] for i, _, _ in block.members if rulebook.takes_visit_slot(p.nodes[i])]
            if visits:
                model.Add(sum(visits) <= min(slots, len(visits)) * used[key])
            hop = self.hop_time(a)
            model.Add(sum(x[(i, k)] * (p.nodes[i].service_min + hop) for i, _, _ in block.members)
                      <= (block.close(p) - block.open(p) + hop) * used[key])

        # Time within a day.
        for k in self.days:
            busy = sum(p.nodes[i].service_min * x[(i, d)] for (i, d) in x if d == k)
            busy += sum(lit * t for lit, t in within_time[k])
            model.Add(busy <= sum(lit * c for lit, c in lasts[k]) - sum(lit * o for lit, o in firsts[k]))
        # Travel per day: the night's move arrives in the evening before or the next morning (in
        # the simple case one direct leg, on one of the two days; else split freely between them).
        evening: dict[int, cp_model.IntVar] = {}
        morning: dict[int, cp_model.IntVar] = {}
        late: dict[int, object] = {}
        for k in range(self.first_day, self.last_day):
            evening[k] = model.NewIntVar(0, self.limit, f"evening_{k}")
            morning[k + 1] = model.NewIntVar(0, self.limit, f"morning_{k + 1}")
            model.Add(evening[k] + morning[k + 1] == sum(lit * c for lit, c in transitions[k]))
            if self.simple:
                late[k] = model.NewBoolVar(f"late_{k}")
                model.Add(evening[k] <= self.limit * late[k])
                model.Add(morning[k + 1] <= self.limit * (1 - late[k]))
        for k in range(self.first_day, self.last_day + 1):
            if not self.counted_day.get(k, False):
                continue
            total = sum(lit * c for lit, c in within[k])
            if k in evening:
                total += evening[k]
            if k in morning:
                total += morning[k]
            model.Add(total <= self.limit)
        if self.simple:
            self._add_timing(model, x, positions, node_flag, moves_from, firsts, lasts, nights, late)

        # A visit needs its city entered.
        for i, flag in present.items():
            a = p.nodes[i].location
            if a != 0 and not isinstance(flag, int) and entries.get(a):
                model.Add(flag <= sum(entries[a]))
        # Visit slots.
        per_day: dict[int, list] = defaultdict(list)
        for (i, k), literal in x.items():
            if rulebook.takes_visit_slot(p.nodes[i]):
                per_day[k].append(literal)
        for literals in per_day.values():
            if len(literals) > slots:
                model.Add(sum(literals) <= slots)

        # One stay per city, the city limit, pinned cities.
        if not p.split_stays:
            for a, literals in entries.items():
                allowed = max(1, self.fixed[a])
                if len(literals) > allowed:
                    model.Add(sum(literals) <= allowed)
        if p.max_locations is not None:
            city_flags = []
            for a in places:
                if a == 0:
                    continue
                flag = model.NewBoolVar(f"city_{a}")
                for (k, b), literal in used.items():
                    if b == a:
                        model.AddImplication(literal, flag)
                model.Add(flag <= sum(literal for (k, b), literal in used.items() if b == a))
                city_flags.append(flag)
            model.Add(sum(city_flags) <= p.max_locations)
        for group in p.required_groups:
            members = [present[i] for i in present if p.nodes[i].group == group]
            if not members:
                return None
            model.Add(sum(members) >= 1)

        # Objective: worth = 60 x value - cost per hour x travel (objective.worth).
        rate = p.repeat_per_mille
        value_terms = []
        by_theme: dict[int, list[int]] = defaultdict(list)
        for i, flag in present.items():
            node = p.nodes[i]
            if node.score <= 0:
                continue
            if node.theme >= 0:
                by_theme[node.theme].append(i)
            else:
                value_terms.append((flag, PER_MILLE * node.score))
        lifts = []
        for members in by_theme.values():
            value_terms += [(present[i], rate * p.nodes[i].score) for i in members]
            if rate < PER_MILLE:
                best = model.NewIntVar(0, max(p.nodes[i].score for i in members), f"best_{p.nodes[members[0]].theme}")
                picks = []
                for i in members:
                    pick = model.NewBoolVar(f"pick_{i}")
                    if not isinstance(present[i], int):
                        model.AddImplication(pick, present[i])
                    picks.append((pick, p.nodes[i].score))
                model.Add(sum(pk for pk, _ in picks) <= 1)
                model.Add(best <= sum(pk * s for pk, s in picks))
                lifts.append((best, PER_MILLE - rate))
        bonus_terms = []
        for group, bonus in enumerate(p.group_bonus):
            members = [present[i] for i in present if p.nodes[i].group == group]
            if bonus > 0 and members:
                visited = model.NewBoolVar(f"group_{group}")
                model.Add(visited <= sum(members))
                where = {p.nodes[i].location for i in present if p.nodes[i].group == group}
                if 0 not in where and all(entries.get(a) for a in where):
                    model.Add(visited <= sum(lit for a in where for lit in entries[a]))  # one city entered
                bonus_terms.append((visited, PER_MILLE * bonus))
        value_coefs = [c for _, c in value_terms + lifts + bonus_terms]
        travel_coefs = [m for _, m in travel_terms + hop_travel]
        cost = p.travel_cost_per_hour
        scale = 0
        for c in value_coefs:
            scale = math.gcd(scale, MINUTES_PER_HOUR * c)
        for m in travel_coefs:
            scale = math.gcd(scale, cost * m)
        scale = scale or 1
        value = sum(v * (MINUTES_PER_HOUR * c // scale) for v, c in value_terms + lifts + bonus_terms)
        travel = sum(lit * (cost * m // scale) for lit, m in travel_terms + hop_travel)
        model.Maximize(value - travel)
        return model, scale


    def evening_latest(self, a: int, b: int, k: int, minutes: int) -> int | None:
        """Latest arrival of a direct leg a -> b that still counts on trip day k (None: no limit known)."""
        p = self.p
        there = p.calendars[b]
        if k + 1 >= len(there.day_starts):
            return None
        if p.is_long_haul(minutes):
            return there.day_starts[k + 1] - 1
        latest = there.day_starts[k + 1] - 1
        night = next((start for start, _ in there.nights if start >= there.day_starts[k]), None)
        if night is not None:
            latest = min(latest, night - 1)
        here = p.calendars[a]
        if not p.overnight_legs and k < len(here.day_starts):
            night = next((start for start, _ in here.nights if start >= here.day_starts[k]), None)
            if night is not None:
                latest = min(latest, night)
        return latest

    def morning_earliest(self, a: int, b: int, k: int, minutes: int) -> int | None:
        """Earliest arrival of a direct leg a -> b that counts on trip day k (None: no day k)."""
        p = self.p
        there = p.calendars[b]
        if k >= len(there.day_starts):
            return None
        departure = there.day_starts[k] - minutes
        for _ in range(16):
            moved = rulebook.first_departure(p, a, departure, minutes)
            moved = rulebook.departure_for_daylight_arrival(p, b, moved, minutes)
            if moved == departure:
                break
            departure = moved
        return departure + minutes

    def _add_timing(self, model, x, positions, node_flag, moves_from, firsts, lasts, nights, late) -> None:
        """Simple case: each block of a day is one position; the positions of a day follow each other
        in time (start S, end F), the night's leg ends the day before (evening) or starts the next
        one (morning), and anchors keep their hours."""
        p, blocks = self.p, self.blocks
        start: dict[tuple[int, int], cp_model.IntVar] = {}
        end: dict[tuple[int, int], cp_model.IntVar] = {}
        day_end: dict[int, cp_model.IntVar] = {}
        before_flags: dict[tuple[int, int, int], object] = {}
        for k in self.days:
            members = [b for (d, _), b in blocks.items() if d == k]
            low = min(b.open(p) for b in members)
            high = max(b.close(p) for b in members)
            count = 1 + max(q for (d, q, _) in positions if d == k)
            for q in range(count):
                start[(k, q)] = model.NewIntVar(low, high, f"S_{k}_{q}")
                end[(k, q)] = model.NewIntVar(low, high, f"F_{k}_{q}")
            # A day without engagements may still see the night's leg arrive early (after a carry).
            day_end[k] = model.NewIntVar(min(low, self.start_earliest), high, f"F_{k}")
            model.Add(start[(k, 0)] >= sum(lit * (o - low) for lit, o in firsts[k]) + low)
            model.Add(day_end[k] <= sum(lit * (c - high) for lit, c in lasts[k]) + high)
            for q in range(count - 1):
                model.Add(start[(k, q + 1)] >= end[(k, q)] + sum(lit * g for lit, g in moves_from[(k, q)]))
        for (k, q, a), flag in node_flag.items():
            block = blocks[(k, a)]
            S, F = start[(k, q)], end[(k, q)]
            model.Add(S >= block.open(p)).OnlyEnforceIf(flag)
            model.Add(F <= block.close(p)).OnlyEnforceIf(flag)
            model.Add(day_end[k] >= F).OnlyEnforceIf(flag)
            hop = self.hop_time(a)
            work = sum(x[(i, k)] * (p.nodes[i].service_min + hop) for i, _, _ in block.members)
            model.Add(F - S + hop >= work).OnlyEnforceIf(flag)
            for i, earliest, latest in block.members:
                node = p.nodes[i]
                if node.kind is not NodeKind.ANCHOR:
                    continue
                # The other engagements of the block come before the anchor or after it.
                enforce = [flag] if node.mandatory else [flag, x[(i, k)]]
                before, after = [], []
                for j, e, l in block.members:
                    if j == i:
                        continue
                    size = p.nodes[j].service_min + hop
                    key = (i, j, k)
                    if key not in before_flags:
                        flag_before = model.NewBoolVar(f"before_{i}_{j}_{k}")
                        model.AddImplication(flag_before, x[(j, k)])
                        if e + size > latest:
                            model.Add(flag_before == 0)
                        if l < earliest + node.service_min + hop:
                            model.Add(flag_before == x[(j, k)])
                        before_flags[key] = flag_before
                    flag_before = before_flags[key]
                    before.append(flag_before * size)
                    after.append((x[(j, k)] - flag_before) * size)
                model.Add(S + sum(before) <= latest).OnlyEnforceIf(enforce)
                model.Add(F >= earliest + node.service_min + sum(after)).OnlyEnforceIf(enforce)
        for k, arcs in nights.items():
            if k not in late:
                continue
            if k in day_end:
                limits = []
                for literal, a, b, minutes in arcs:
                    latest = self.evening_latest(a, b, k, minutes)
                    limits.append((literal, (latest if latest is not None else 1 << 40) - minutes))
                if all(v < (1 << 39) for _, v in limits):
                    model.Add(day_end[k] <= sum(lit * v for lit, v in limits)).OnlyEnforceIf(late[k])
            if k + 1 in self.days:
                bounds = []
                for literal, a, b, minutes in arcs:
                    earliest = self.morning_earliest(a, b, k + 1, minutes)
                    if earliest is None:
                        continue
                    members = blocks[(k + 1, b)].members
                    margin = min(rulebook.arrival_margin(p, p.nodes[i], minutes, a) for i, _, _ in members)
                    bounds.append((literal, earliest + margin))
                if bounds:
                    model.Add(start[(k + 1, 0)] >= sum(lit * v for lit, v in bounds)).OnlyEnforceIf(late[k].Not())


    def route_values(self, stops) -> dict[str, int] | None:
        """The model's named variables for a timed route (schedule.Stop list), in the simple case:
        a warm start, and a check that the route is one of the model's solutions (tests)."""
        if not self.simple:
            return None
        p = self.p
        values: dict[str, int] = {}
        runs: list[list] = []  # [day, place, [stops]]
        for stop in stops:
            node = p.nodes[stop.node]
            if node.kind not in ENGAGEMENTS:
                continue
            day = stop.day if node.kind is NodeKind.VISIT else p.calendars[node.location].day_of(stop.start)
            if (day, node.location) not in self.blocks:
                return None
            values[f"x_{stop.node}_{day}"] = 1
            values[f"visit_{stop.node}"] = 1
            if runs and runs[-1][0] == day and runs[-1][1] == node.location:
                runs[-1][2].append(stop)
            else:
                runs.append([day, node.location, [stop]])
        if not runs:
            return None
        position: dict[int, int] = defaultdict(int)
        placed = []
        for day, place, members in runs:
            q = position[day]
            position[day] += 1
            placed.append((day, q, place, members))
            values[f"block_{day}_{place}"] = 1
            values[f"at_{day}_{q}_{place}"] = 1
            values[f"S_{day}_{q}"] = members[0].start
            values[f"F_{day}_{q}"] = members[-1].end
            values[f"F_{day}"] = members[-1].end
            for anchor in members:
                if p.nodes[anchor.node].kind is NodeKind.ANCHOR:
                    for other in members:
                        if other is not anchor:
                            values[f"before_{anchor.node}_{other.node}_{day}"] = int(other.start < anchor.start)
        first = placed[0]
        values[f"start_{first[0]}_{first[2]}"] = 1
        for n, (day, q, place, members) in enumerate(placed):
            following = placed[n + 1] if n + 1 < len(placed) else None
            if following is not None and following[0] == day:
                values[f"move_{day}_{q}_{place}_{following[2]}"] = 1
                continue
            values[f"last_{day}_{q}_{place}"] = 1
            upto = following[0] - 1 if following is not None else self.last_day
            for k in range(day, upto):
                values[f"carry_{k}_{place}"] = 1
            if following is None:
                values[f"home_{place}"] = 1
                continue
            night = following[0] - 1
            values[f"night_{night}_{place}_{following[2]}"] = 1
            leg = following[3][0]
            there = p.nodes[leg.node].location
            minutes = self.cost(place, there) if place != there else self.same_place_cost(place)
            arrival_day = p.calendars[there].day_of(leg.arrival)
            evening = arrival_day <= night
            values[f"late_{night}"] = int(evening)
            values[f"evening_{night}"] = self.counted(minutes) if evening else 0
            values[f"morning_{night + 1}"] = 0 if evening else self.counted(minutes)
        for k in range(self.first_day, self.last_day):
            values.setdefault(f"late_{k}", 0)
            values.setdefault(f"evening_{k}", 0)
            values.setdefault(f"morning_{k + 1}", 0)
        return values

    def read_route(self, model: cp_model.CpModel, solver: cp_model.CpSolver) -> tuple[int, ...] | None:
        """The solution's engagements as a route: blocks by day and position, each block's engagements
        in the first order that schedule_route accepts (all orders are tried, blocks are small)."""
        from tripplanner.solver.schedule import Failure, schedule_route

        p = self.p
        proto = model.Proto()
        chosen: dict[str, int] = {}
        for index in range(len(proto.variables)):
            name = proto.variables[index].name
            if name.startswith(("x_", "at_")):
                chosen[name] = solver.Value(model.get_int_var_from_proto_index(index))
        stops = sorted((int(k), int(q), int(a)) for name, value in chosen.items() if value and name.startswith("at_")
                       for _, k, q, a in [name.split("_")])
        route = [START]
        for k, _, a in stops:
            members = [i for i, _, _ in self.blocks[(k, a)].members if chosen.get(f"x_{i}_{k}")]
            order = None
            for attempt in itertools.islice(itertools.permutations(members), 720):
                if not isinstance(schedule_route(p, route + list(attempt)), Failure):
                    order = list(attempt)
                    break
            if order is None:
                return None
            route += order
        return tuple(route + [END])


def apply_values(model: cp_model.CpModel, values: dict[str, int]) -> int:
    """Hint the model's variables named in values; how many were found."""
    found = 0
    proto = model.Proto()
    for index in range(len(proto.variables)):
        name = proto.variables[index].name
        if not name:
            continue
        value = values.get(name, 0 if name.startswith(("x_", "visit_", "block_", "at_", "start_", "move_", "last_",
                                                        "carry_", "night_", "home_", "before_")) else None)
        if value is not None:
            model.AddHint(model.get_int_var_from_proto_index(index), value)
            found += 1
    return found


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
    linear = lp_bound(model)
    best = linear
    solved, nodes = False, None
    if len(model.Proto().variables) <= CPSAT_MAX_VARIABLES:
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
        searched = code != cp_model.UNKNOWN or response.num_booleans > 0 or response.num_integers > 0
        bound = solver.BestObjectiveBound()
        if searched and math.isfinite(bound):  # stopped in presolve, CP-SAT reports no bound
            found = math.ceil(bound - 1e-6)
            best = found if best is None else min(best, found)
            solved = code == cp_model.OPTIMAL and found <= best
        if code in (cp_model.OPTIMAL, cp_model.FEASIBLE) and relaxation.simple:
            nodes = relaxation.read_route(model, solver)
    if best is None:
        return None
    return DayBound(best * scale, solved, nodes, time.monotonic() - clock, searched=len(model.Proto().variables) <= CPSAT_MAX_VARIABLES)


GLOP_PARAMETERS = ""
DUAL_SCALE = 1 << 24
"""The LP's dual values are rounded to multiples of 1 / DUAL_SCALE: any dual vector gives a valid bound."""


def lp_bound(model: cp_model.CpModel) -> int | None:
    """An upper bound on the maximum of a CP-SAT model's objective from its linear relaxation (the
    constraints without enforcement literals, and implications), solved by GLOP. Proven whatever the
    floating-point error: the bound is recomputed exactly from the rounded dual values (weak duality:
    any duals bound the maximum, sum over rows of y A x plus the reduced costs times the variables'
    bounds). None when the LP cannot be solved."""
    from ortools.linear_solver import pywraplp

    proto = model.Proto()
    count = len(proto.variables)
    low = [proto.variables[v].domain[0] for v in range(count)]
    high = [proto.variables[v].domain[len(proto.variables[v].domain) - 1] for v in range(count)]
    rows: list[tuple[dict[int, int], float, float]] = []  # (coefficients, lower, upper), infinite as +-inf

    def add(terms: list[tuple[int, int]], lower: float, upper: float) -> None:
        row: dict[int, int] = {}
        for ref, coef in terms:
            if ref < 0:  # the negation of variable -ref-1: coef (1 - v)
                lower, upper = lower - coef, upper - coef
                ref, coef = -ref - 1, -coef
            row[ref] = row.get(ref, 0) + coef
        rows.append((row, lower, upper))

    huge = 1 << 60
    for constraint in proto.constraints:
        if constraint.has_linear() and not constraint.enforcement_literal:
            domain = constraint.linear.domain
            lower, upper = domain[0], domain[len(domain) - 1]
            add(list(zip(constraint.linear.vars, constraint.linear.coeffs)),
                -math.inf if lower <= -huge else lower, math.inf if upper >= huge else upper)
        elif constraint.has_bool_and():
            for enforcing in constraint.enforcement_literal:
                for literal in constraint.bool_and.literals:
                    add([(enforcing, 1), (literal, -1)], -math.inf, 0)  # enforcing <= literal
    objective = proto.objective
    sign = -1 if objective.scaling_factor < 0 else 1  # CP-SAT minimises sign x (terms + offset)
    cost = [0] * count
    for ref, coef in zip(objective.vars, objective.coeffs):
        cost[ref] += sign * coef

    solver = pywraplp.Solver.CreateSolver("GLOP")
    if solver is None:
        return None
    variables = [solver.NumVar(low[v], high[v], "") for v in range(count)]
    constraints = []
    for row, lower, upper in rows:
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
    if solver.Solve() != pywraplp.Solver.OPTIMAL:
        return None
    # Exact weak duality with integer duals y / DUAL_SCALE.
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
    total = int(total) if isinstance(total, int) else total
    best = -(-total // DUAL_SCALE)  # ceil of the maximum of sum(cost x)
    return best + (round(sign * objective.offset) if sign > 0 else -round(objective.offset))


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
