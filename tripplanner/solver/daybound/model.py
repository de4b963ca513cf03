"""The day-indexed relaxation as a CP-SAT model (one part per family of rules), and the mapping
between a timed route and the model's variables (a hint in, the best solution back out as a route)."""
from __future__ import annotations

import itertools
import math
from collections import defaultdict
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from tripplanner.solver import rulebook
from tripplanner.solver.daybound.blocks import HOME, DayBlocks, block_day
from tripplanner.solver.objective import MINUTES_PER_HOUR
from tripplanner.solver.problem import ENGAGEMENTS, Node, NodeKind, Problem
from tripplanner.solver.rulebook import PER_MILLE

START, END = Problem.START, Problem.END
Term = tuple[object, int]
"""(literal or linear expression, coefficient)."""
SOURCE, SINK = ("source",), ("sink",)
"""The path's ends: leaving home, coming back."""


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


class _Relaxation(DayBlocks):
    """The day-indexed model of a problem (see the package docstring)."""

    variables: _Variables | None = None
    """The model's variables, once built."""

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
