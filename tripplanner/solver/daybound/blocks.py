"""The trip seen day by day for the day-indexed relaxation: blocks of engagements (what the delegation
does in one place on one trip day), the positions they may take in a day, the prices of moving
between them and the latest and earliest legs of each night. The model (model.py) is built on these."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from tripplanner.solver import rulebook
from tripplanner.solver.problem import ENGAGEMENTS, FIXED_IN_TIME, Node, NodeKind, Problem
from tripplanner.solver.stopping import passed

START, END = Problem.START, Problem.END
HOME = 0
"""The home location (rulebook: stays and cities do not count it)."""
MAX_POSITIONS = 8
"""Blocks one day may hold at most before the model gives up (a day of many tiny hops)."""
RULE_PASSES = 16
"""Rounds of the rule book's departure rules when looking for the earliest morning arrival."""


class _TooManyBlocks(Exception):
    """A day holds more than MAX_POSITIONS blocks: the relaxation is not built."""


class _OutOfTime(Exception):
    """Building the relaxation ran past its deadline (DayBlocks.keep_time)."""


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


class DayBlocks:
    """A problem's blocks, prices and night limits (the relaxation's data, before any model)."""

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
        self.deadline: float | None = None
        """time.monotonic() by which the model must be built (None: no deadline)."""

    def keep_time(self) -> None:
        """Raise _OutOfTime once the deadline has passed: called between the model's families of rows
        and day by day within the larger ones (a 500-candidate trip's model takes 3 s to build)."""
        if passed(self.deadline):
            raise _OutOfTime

    # -- travel prices -----------------------------------------------------------------------

    def cost(self, a: int, b: int) -> int:
        """Least travel from the last engagement (or home) in a to the next engagement (or home) in b;
        with a == b, between two engagements in one place (none where a night is booked there)."""
        return self.p.travel_min[a][b] if self.simple else self.dist[a][b]

    def hop_charge(self, a: int) -> int:
        """Travel charged per engagement of a block beyond the first."""
        if not self.simple and (a in self.night_places or self.p.split_stays or self.fixed[a] > 1 or a == HOME):
            return 0
        return self.cost(a, a)

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
            self.keep_time()
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
