"""Time in the day-indexed model: each day's engagements and gaps within its hours, travel per day
(the night's leg on the evening before or the next morning), and in the simple case each block's
times, its anchors' hours and the night's leg against the day's first and last engagements."""
from __future__ import annotations

from collections import defaultdict

from ortools.sat.python import cp_model

from tripplanner.solver import rulebook
from tripplanner.solver.daybound.blocks import DayBlocks
from tripplanner.solver.daybound.variables import _Variables
from tripplanner.solver.problem import NodeKind


class _Timing(DayBlocks):
    """The time rules of _Relaxation (model.py)."""

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
            if self.counted_day.get(k, False) or (self.simple and k in self.days):
                model.Add(self._travel_counted_on(v, k) <= self.limit)

    def _travel_counted_on(self, v: _Variables, k: int):
        """The counted minutes of the legs that land on day k: its moves and hops, the evening's leg
        and the morning's. On a day whose places begin their trip days too far apart for every leg to
        count on it (counted_day; simple case only), the legs certain to land on local day k of their
        destination: a hop, between two engagements of a place's day k; a move or the evening's leg
        when it leaves after one of day k's engagements (so after its origin's day k began) and its
        minutes reach into the destination's day k; the morning's leg."""
        p = self.p
        every_leg = self.counted_day.get(k, False)
        starts = [calendar.day_starts for calendar in p.calendars]

        def lands_on_day(a: int, b: int, minutes: int) -> bool:
            return every_leg or (k < len(starts[a]) and k < len(starts[b]) and starts[a][k] + minutes >= starts[b][k])

        total = sum(literal * rulebook.counted_travel(p, minutes)
                    for literal, a, b, minutes in v.day_moves[k] if lands_on_day(a, b, minutes))
        total += sum(literal * c for literal, c in v.day_hops[k])
        legs = v.night_legs.get(k, [])
        if k in v.evening and every_leg:
            total += v.evening[k]
        elif k in v.evening and legs and all(lands_on_day(a, b, minutes) for _, a, b, minutes in legs):
            # Counted only where the route had an engagement on day k (it then left after it).
            engaged = sum(literal for (day, position, _), literal in v.at.items() if day == k and position == 0)
            counted = v.model.NewIntVar(0, self.limit, f"evening_counted_{k}")
            v.model.Add(counted >= v.evening[k] - self.limit * (1 - engaged))
            total += counted
        if k in v.morning:
            total += v.morning[k]
        return total

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
            if q == 0:
                self.keep_time()
            self._add_block_timing(v, k, q, a, at)
        for k, legs in v.night_legs.items():
            self.keep_time()
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
