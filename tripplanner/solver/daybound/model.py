"""The day-indexed relaxation as a CP-SAT model, one part per family of rules: the engagements, the
path through the day's blocks, hops, stays and cities, the objective (here); time in a day
(timing.py); routes in and out of the model (routes.py)."""
from __future__ import annotations

import math
from collections import defaultdict

from ortools.sat.python import cp_model

from tripplanner.solver import rulebook
from tripplanner.solver.daybound.blocks import HOME
from tripplanner.solver.daybound.routes import SINK, SOURCE, _RouteMapping
from tripplanner.solver.daybound.timing import _Timing
from tripplanner.solver.daybound.variables import Term, _Variables
from tripplanner.solver.objective import MINUTES_PER_HOUR
from tripplanner.solver.problem import Node, NodeKind
from tripplanner.solver.rulebook import PER_MILLE


class _Relaxation(_Timing, _RouteMapping):
    """The day-indexed model of a problem (see the package docstring)."""

    def build(self, deadline: float | None = None) -> tuple[cp_model.CpModel, int] | None:
        """The model and the factor its objective is scaled down by (None when it has no solution);
        raises _OutOfTime when time.monotonic() passes deadline before it is built."""
        self.deadline = deadline
        v = _Variables(cp_model.CpModel())
        self.variables = v
        families = [self._add_engagements, self._add_path, self._add_hops,
                    self._add_time_per_day, self._add_travel_per_day]
        if self.simple:
            families.append(self._add_timing)
        for add in families:
            self.keep_time()
            add(v)
        self.keep_time()
        if not self._add_stays_and_cities(v):
            return None
        self.keep_time()
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

    def _add_path(self, v: _Variables) -> None:
        """The path from home to home through the positions (module docstring), its travel, and what
        the timing and the travel limits need to know of its arcs."""
        p, model, blocks = self.p, v.model, self.blocks
        positions = self._positions()
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
            minutes = self.cost(self.home, a)
            arrive = self.start_earliest + minutes + self.arrival_margin(block, self.home, minutes)
            if arrive > block.latest_start():
                continue
            literal = v.arc(SOURCE, (k, 0, a), f"start_{k}_{a}")
            v.travel.append((literal, minutes))
            v.openings[k].append((literal, max(block.open(), arrive)))
            if a != HOME:
                v.entries[a].append((literal, k))
        # Within a day.
        for k, q, a, b, gap in self.moves:
            literal = v.arc((k, q, a), (k, q + 1, b), f"move_{k}_{q}_{a}_{b}")
            minutes = self.cost(a, b)
            v.travel.append((literal, minutes))
            v.day_moves[k].append((literal, a, b, minutes))
            v.day_gaps[k].append((literal, gap))
            v.gaps_after[(k, q)].append((literal, gap))
            if b != HOME:
                v.entries[b].append((literal, k))
        # The last block of a day.
        for (k, q, a) in positions:
            literal = v.arc((k, q, a), ("dep", k, a), f"last_{k}_{q}_{a}")
            v.closings[k].append((literal, blocks[(k, a)].close(p)))
        # Nights, days without engagements, the way home.
        for k in range(self.first_day, self.last_day + 1):
            self.keep_time()
            for a in self.places:
                if self.first_at[a] > k:
                    continue
                dep = ("dep", k, a)
                if k == self.last_day:
                    literal = v.arc(dep, SINK, f"home_{a}")
                    v.travel.append((literal, self.cost(a, self.home_end)))
                    continue
                v.kept_into[(a, k + 1)].append(v.arc(dep, ("dep", k + 1, a), f"carry_{k}_{a}"))
                for b in self.places:
                    if (k + 1, 0, b) not in positions:
                        continue
                    minutes = self.cost(a, b)
                    literal = v.arc(dep, (k + 1, 0, b), f"night_{k}_{a}_{b}")
                    v.travel.append((literal, minutes))
                    v.night_legs[k].append((literal, a, b, minutes))
                    v.openings[k + 1].append((literal, blocks[(k + 1, b)].open()))
                    if a != b and b != HOME:
                        v.entries[b].append((literal, k + 1))
                    elif a == b:
                        v.kept_into[(a, k + 1)].append(literal)
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
                v.day_hops[k].append((extra, rulebook.counted_travel(p, charge)))
            hop = self.hop_time(a)
            v.day_gaps[k].append((extra, hop))
            visits = [v.attends[(i, k)] for i, _, _ in block.engagements if rulebook.takes_visit_slot(p.nodes[i])]
            if visits:
                model.Add(sum(visits) <= min(slots, len(visits)) * v.block_used[key])
            model.Add(sum(v.attends[(i, k)] * (p.nodes[i].service_min + hop) for i, _, _ in block.engagements)
                      <= (block.close(p) - block.open() + hop) * v.block_used[key])

    def _add_stays_and_cities(self, v: _Variables) -> bool:
        """A visit needs its city entered; visit slots; one stay per city; the city limit; pinned
        cities (False: no route has them)."""
        p, model = self.p, v.model
        for i, flag in v.present.items():
            a = p.nodes[i].location
            if a != HOME and not isinstance(flag, int) and v.entries.get(a):
                model.Add(flag <= sum(v.entering(a)))
        slots = p.days.max_visits_per_day
        visits_on: dict[int, list] = defaultdict(list)
        for (i, k), literal in v.attends.items():
            if rulebook.takes_visit_slot(p.nodes[i]):
                visits_on[k].append(literal)
        for literals in visits_on.values():
            if len(literals) > slots:
                model.Add(sum(literals) <= slots)
        if not p.split_stays:
            for a in v.entries:
                literals = v.entering(a)
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
                    model.Add(visited <= sum(literal for a in where for literal in v.entering(a)))  # one city entered
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
