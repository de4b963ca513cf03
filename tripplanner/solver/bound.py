"""How much a branch of the exhaustive search (solver/exact.py) can still gain, at most.

Each candidate still reachable adds at most its share of value (the theme repeat factor's
share, plus its city's bonus once), and each theme at most one full-price lift. The sum is
capped by the visit slots left on office days; by the travel time left in the days ahead (each
new city needs a leg in, counted as the daily limit counts it; the anchors and the way home
need theirs); and by the days that still have room for a leg longer than half the daily limit,
at most one such leg a day: entering a cluster of places (places joined by shorter legs) takes
one, in the days before the next anchor or after it, early enough to get home in time. A
branch that cannot reach an anchor, get home or fit those long legs is dead.
The rules and values come from the rule book (solver/rulebook.py); where the bound relaxes a
rule, a comment says which.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass

from tripplanner.solver import rulebook
from tripplanner.solver.objective import MINUTES_PER_HOUR
from tripplanner.solver.problem import FIXED_IN_TIME, NodeKind, Problem

START, END = Problem.START, Problem.END


@dataclass(slots=True)
class Branch:
    """Where a branch of the search stands: the route so far and what its timing left behind."""

    last: int
    visited: int
    """Bit mask of the nodes on the route so far."""
    ready: int
    """When the last stop is over (the earliest next departure)."""
    arrived: int
    travel_used: dict[int, int]
    visits: dict[int, int]
    leave: int
    """Home-local day index of the departure (-1 before the first leg)."""
    value: int
    travel: int
    theme_best: tuple[int, ...]
    groups: frozenset[int]
    route: tuple[int, ...]


class Bound:
    """What the search knows of a problem before it starts, and the optimistic bound of a branch."""

    def __init__(self, problem: Problem, incumbent: tuple[int, int]):
        p = self.p = problem
        self.rules = p.days
        self.best_key = incumbent
        """(worth, -travel) of the best route known: a branch must be able to beat it."""
        n = p.size
        self.leg = [[p.travel(i, j) for j in range(n)] for i in range(n)]
        self.loc = [node.location for node in p.nodes]
        self.windows = [tuple(sorted((w.earliest, w.latest) for w in node.windows)) for node in p.nodes]
        self.latest = [max((w.latest for w in node.windows), default=-1) for node in p.nodes]
        by_latest = [sorted((w.latest, w.earliest) for w in node.windows) for node in p.nodes]
        self.window_ends = [[latest for latest, _ in ws] for ws in by_latest]
        self.opens_from = [[min(e for _, e in ws[k:]) for k in range(len(ws))] for ws in by_latest]
        """Per node, windows by their latest start: the earliest opening among this one and later-closing ones."""
        self.long_haul_min = self.rules.long_haul_min
        elsewhere = -1
        self.margin_short = [rulebook.arrival_margin(p, node, 0, elsewhere) for node in p.nodes]
        self.margin_in_city = [rulebook.arrival_margin(p, node, 0, node.location) for node in p.nodes]
        self.margin_long = [rulebook.arrival_margin(p, node, self.long_haul_min, elsewhere) for node in p.nodes]
        """Per node, the rule book's margin between arrival and start after a short leg from another
        city, a leg within its city and a long-haul leg."""
        self.mandatory = [i for i in p.mandatory if p.nodes[i].windows]
        bonus = lambda n: p.group_bonus[n.group] if p.group_bonus and n.group >= 0 else 0  # noqa: E731
        candidates = [i for i in p.optional if p.nodes[i].windows]
        """All of them, worthless ones too: travel times need not obey the triangle inequality, so a
        stop may shorten a route."""
        self.fixed = sorted((i for i in self.mandatory if p.nodes[i].kind in FIXED_IN_TIME),
                            key=lambda i: (p.nodes[i].windows[0].earliest, i))
        self.valued = [i for i in self.mandatory + candidates if p.nodes[i].score > 0 or bonus(p.nodes[i]) > 0]
        """Nodes that bring value: a score, or the first-visit bonus of their city (anchors too)."""
        self.branches = sorted(self.mandatory + candidates,
                               key=lambda i: (p.nodes[i].kind not in FIXED_IN_TIME, -p.nodes[i].score, i))
        self.home = self.loc[START]
        locations = sorted({n.location for n in p.nodes if n.windows})
        limit = self.rules.max_travel_min_per_day

        def least_in(target: int, counted: bool) -> int:
            legs = [p.travel_min[o][target] for o in locations if o != target]
            return min((rulebook.counted_travel(p, m) if counted else m for m in legs), default=0)

        self.in_min = {loc: least_in(loc, False) for loc in locations}
        self.in_counted = {loc: least_in(loc, True) for loc in locations}
        self.cluster = _clusters(p, locations, limit)
        least_out = {o: min((p.travel_min[o][c] for c in locations if c != o), default=0) for o in locations}
        self.shortest_long_leg = min((p.travel_min[o][c] for o in locations for c in locations
                                      if self.cluster[o] != self.cluster[c]), default=0)
        self.to_home = {loc: 0 if loc == self.home else min(p.travel_min[loc][self.home], least_out[loc] + self.in_min[self.home])
                        for loc in locations}
        """Per place, the least travel time home from there."""
        self.last_days_by_deadline: dict[int, dict[int, int]] = {}
        self.entry: dict[int, int] = {}
        self.exit: dict[int, int] = {}
        """Per cluster, the least counted travel of a leg into it from outside, and out of it."""
        for o in locations:
            for c in locations:
                if self.cluster[o] != self.cluster[c]:
                    cost = rulebook.counted_travel(p, p.travel_min[o][c])
                    self.entry[self.cluster[c]] = min(self.entry.get(self.cluster[c], cost), cost)
                    self.exit[self.cluster[o]] = min(self.exit.get(self.cluster[o], cost), cost)
        calendars = [p.calendars[loc] for loc in locations if p.calendars[loc].day_starts]
        length = max((len(c.day_starts) for c in calendars), default=0)
        self.late_starts = [max(c.day_starts[k] for c in calendars if k < len(c.day_starts)) for k in range(length)]
        self.early_starts = [min(c.day_starts[k] for c in calendars if k < len(c.day_starts)) for k in range(length)]
        self.visit_days = _latest_by_day(node for node in p.nodes if node.kind is NodeKind.VISIT)
        """(trip day, latest visit start on it): the days with visit slots."""
        self.end_latest = self.latest[END]
        self.theme_count = max(len(p.themes), 1 + max((n.theme for n in p.nodes), default=0))
        self.value_facts = [(i, n.location, self.cluster[n.location], n.theme, n.score, n.group,
                             rulebook.city_bonus(p, n.group), n.mandatory,
                             n.kind is NodeKind.VISIT)
                            for i, n in ((i, p.nodes[i]) for i in self.valued)]
        """Per valued node: index, place, cluster, theme, score, city group, city bonus, mandatory,
        whether it takes a visit slot (anchors do not)."""

    # -- value -------------------------------------------------------------------------------

    def marginal(self, state: Branch, i: int) -> int:
        """Exact value node i adds to the route so far (the rule book's marginal value)."""
        node = self.p.nodes[i]
        return rulebook.marginal_value(self.p, node, state.theme_best[node.theme] if node.theme >= 0 else 0, state.groups)

    # -- bounds ------------------------------------------------------------------------------

    def short_margin(self, origin: int, i: int) -> int:
        """The rule book's margin before node i after a short leg from node origin's place."""
        return self.margin_in_city[i] if self.loc[origin] == self.loc[i] else self.margin_short[i]

    def deadline(self, state: Branch) -> int:
        """Latest arrival home for this departure day."""
        midnights = self.rules.home_midnights
        index = state.leave + self.rules.max_days
        if state.leave < 0 or index >= len(midnights):
            return self.end_latest
        return min(self.end_latest, midnights[index] - 1)

    def last_days(self, deadline: int) -> dict[int, int]:
        """Per cluster, the last trip day a leg into it may arrive and still get home by the deadline."""
        known = self.last_days_by_deadline.get(deadline)
        if known is None:
            known = {}
            for loc, to_home in self.to_home.items():
                day = self.p.calendars[loc].day_of(deadline - to_home)
                known[self.cluster[loc]] = max(known.get(self.cluster[loc], day), day)
            self.last_days_by_deadline[deadline] = known
        return known

    def next_fixed(self, state: Branch) -> int | None:
        """The next anchor or booked night not yet on the route."""
        return next((i for i in self.fixed if not state.visited >> i & 1), None)

    def reachable(self, state: Branch, i: int, nxt: int | None, deadline: int) -> tuple[bool, bool]:
        """Whether node i can still fit (before, after) the next fixed stop (both 'before' without one)."""
        minutes = self.leg[state.last][i]
        margin = self.margin_long[i] if minutes >= self.long_haul_min else self.short_margin(state.last, i)
        arrive = state.ready + minutes + margin
        k = bisect_right(self.window_ends[i], arrive - 1)
        if k == len(self.window_ends[i]):
            return False, False
        start = max(arrive, self.opens_from[i][k])
        service = self.p.nodes[i].service_min
        if start + service + self.in_min[self.home] > deadline:
            return False, False
        if nxt is None:
            return True, False
        # The short-leg margin: a relaxation of rulebook.earliest_start that ignores the long-haul rest.
        before = start + service + self.leg[i][nxt] + self.short_margin(i, nxt) <= self.latest[nxt]
        after = self.windows[nxt][0][0] + self.p.nodes[nxt].service_min + self.leg[nxt][i] <= self.latest[i]
        return before, after

    def optimistic(self, state: Branch) -> tuple[int, int] | None:
        """(value it may still add, travel it must still add), or None when the state is dead."""
        p, rules = self.p, self.rules
        deadline = self.deadline(state)
        if state.ready + self.in_min[self.home] > deadline:
            return None
        here = self.loc[state.last]
        need = {self.home}
        for i in self.mandatory:
            if not state.visited >> i & 1:
                # A relaxation of rulebook.earliest_start (the short-leg margin), as in reachable.
                if self.latest[i] < state.ready + self.leg[state.last][i] + self.short_margin(state.last, i):
                    return None
                need.add(self.loc[i])
        if state.last != START:
            need.discard(here)
        limit = rules.max_travel_min_per_day
        first_day = max(0, bisect_right(self.late_starts, state.ready) - 1)
        last_day = max(0, bisect_right(self.early_starts, deadline) - 1)
        spare = [limit - state.travel_used.get(k, 0) for k in range(first_day, last_day + 1)]
        capacity = sum(spare) - sum(self.in_counted[loc] for loc in need)
        if capacity < 0:
            return None
        nxt = self.next_fixed(state)
        last_days = self.last_days(deadline)
        split = _LongLegDays(self, state, nxt, spare, first_day, need, last_days)
        if split.dead:
            return None
        travel_more = sum(self.in_min[loc] for loc in need)

        lifts: dict[int, int] = {}
        gains: list[int] = []
        by_city: dict[int, int] = defaultdict(int)
        bonus_at: dict[int, int] = {}
        when: dict[int, tuple[bool, bool]] = {}
        visited, groups, theme_best = state.visited, state.groups, state.theme_best
        slotless = 0
        for i, location, cluster, theme, score, group, bonus, mandatory, takes_slot in self.value_facts:
            if visited >> i & 1:
                continue
            before, after = (True, True) if mandatory else self.reachable(state, i, nxt, deadline)
            if not (before or after):
                continue
            if group in groups:
                bonus = 0
            gain = rulebook.base_share(p, theme, score)
            if theme >= 0:
                lift = rulebook.theme_lift(p, score, theme_best[theme])
                if lift > lifts.get(theme, 0):
                    lifts[theme] = lift
            if takes_slot:
                gains.append(gain + bonus)
            else:
                slotless += gain + bonus
            by_city[location] += gain
            if bonus > bonus_at.get(location, 0):
                bonus_at[location] = bonus
            if cluster in when:
                seen_before, seen_after = when[cluster]
                when[cluster] = (seen_before or before, seen_after or after)
            else:
                when[cluster] = (before, after)
        if not by_city:
            return 0, travel_more
        for loc, bonus in bonus_at.items():
            by_city[loc] += bonus
        lift = sum(lifts.values())
        # Below this much more value a branch is cut whatever its travel (worth at least the best's,
        # with the travel it must still add): costlier caps run only while it is met.
        least_travel = state.travel + travel_more
        needed = -(-(self.best_key[0] + self.p.travel_cost_per_hour * least_travel) // MINUTES_PER_HOUR) - state.value - lift
        free = sum(v for loc, v in by_city.items() if loc in need or loc == here)
        paid = [(loc, v) for loc, v in by_city.items() if loc not in need and loc != here]
        reached = split.reached | {self.cluster[here]}

        def by_slots() -> int:
            slots = sum(max(0, rules.max_visits_per_day - state.visits.get(day, 0))
                        for day, latest in self.visit_days if latest >= state.ready)
            return slotless + sum(sorted(gains, reverse=True)[:slots])

        def by_travel() -> int:
            return free + self.travel_bound([(self.cluster[loc], self.in_counted[loc], v) for loc, v in paid], reached, capacity)

        def by_clusters() -> int:
            by_cluster: dict[int, int] = defaultdict(int)
            for loc, v in by_city.items():
                by_cluster[self.cluster[loc]] += v
            return sum(v for k, v in by_cluster.items() if k in reached) + split.best(
                [(v, self.entry.get(k, limit), last_days[k], *when[k]) for k, v in by_cluster.items() if k not in reached])

        add = sum(by_city.values())
        for cap in (by_slots, by_travel, by_clusters):
            if add < needed:
                break
            add = min(add, cap())
        if add == needed and self.p.travel_cost_per_hour == 0:
            travel_more += self.travel_to_match(state.value + lift + free, [(self.in_min[loc], v) for loc, v in paid])
        return lift + add, travel_more

    def travel_bound(self, cities: list[tuple[int, int, int]], reached: set[int], capacity: int) -> int:
        """Most value of cities (cluster, counted minutes in, value) whose legs fit in capacity.

        Each city needs a leg in; entering a cluster not reached yet takes at least its entry
        leg, so the excess of that over its cities' own least legs is shared among them (a
        share never exceeds what a subset of them pays). Fractional knapsack: an upper bound.
        """
        members: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for cluster, cost, value in cities:
            members[cluster].append((cost, value))
        items = []
        for k, ms in members.items():
            extra = 0 if k in reached else max(0, self.entry.get(k, 0) - max(c for c, _ in ms))
            items += [(c + extra / len(ms), v) for c, v in ms]
        total, room = 0, capacity
        for cost, value in sorted(items, key=lambda cv: -cv[1] / max(cv[0], 1)):
            if cost <= room:
                total, room = total + value, room - cost
            else:
                total += int(value * room / cost)
                break
        return total

    def travel_to_match(self, value: int, cities: list[tuple[int, int]]) -> int:
        """Least travel into new cities (minutes, value) that brings value up to the best known.

        Only a route with at least the best value can beat it, so this much travel is certain then
        (asked only when travel has no cost, so that worth is value x MINUTES_PER_HOUR).
        """
        missing, minutes = self.best_key[0] // MINUTES_PER_HOUR - value, 0
        for cost, v in sorted(cities, key=lambda cv: cv[0] / max(cv[1], 1)):
            if missing <= 0:
                break
            minutes += cost if v <= missing else -(-cost * missing // v)
            missing -= v
        return minutes


class _LongLegDays:
    """Days ahead with room for a long leg (over half the daily limit): at most one such leg a
    day, and entering a cluster not reached yet takes one. Each leg gets a day of its own in the
    span it can arrive in (before the next fixed stop, after it, and in time to get home)."""

    def __init__(self, search: Bound, state: Branch, nxt: int | None, spare: list[int], first_day: int,
                 need: set[int], last_days: dict[int, int]):
        """spare: room per day from first_day; last_days: per cluster, the last day a leg into it may arrive."""
        limit = search.rules.max_travel_min_per_day
        here = search.cluster[search.loc[state.last]]
        if spare and spare[0] < search.exit.get(here, 0):
            spare = [0] + spare[1:]  # a long leg arriving today leaves from here: none fits today
        self.rooms = [(first_day + k, s) for k, s in enumerate(spare) if 2 * s > limit]
        self.owner = [-1] * len(self.rooms)
        self.legs: list[tuple[int, int, int]] = []
        clusters = {search.cluster[loc] for loc in need}
        if state.last != START:
            clusters.discard(here)
        self.reached = clusters
        self.last_days = last_days
        self.span_before = self.span_after = (first_day, 1 << 30)
        entry = later = None
        if nxt is not None:
            start = search.windows[nxt][0][0]
            last_before = max(0, bisect_right(search.early_starts, start) - 1)
            done = start + search.p.nodes[nxt].service_min + search.shortest_long_leg
            self.span_before = (first_day, last_before)
            self.span_after = (max(0, bisect_right(search.late_starts, done) - 1), 1 << 30)
            entry = search.cluster[search.loc[nxt]]
            later = {search.cluster[search.loc[i]] for i in search.fixed if not state.visited >> i & 1 and i != nxt}
            later.add(search.cluster[search.home])
        self.dead = False
        for k in clusters:
            if k == entry:
                low, high = self.span_before
            elif later is not None and k in later:
                low, high = self.span_after
            else:
                low, high = first_day, 1 << 30
            if not self.admit(search.entry.get(k, limit), low, min(high, last_days[k])):
                self.dead = True
                return

    def admit(self, entry: int, low: int, high: int) -> bool:
        """Give a long leg (counted minutes, first and last day it may arrive) a day of its own with
        room for it, moving earlier ones if need be (augmenting path); False, nothing moved, if none."""
        self.legs.append((entry, low, high))
        for room, (day, spare) in enumerate(self.rooms):
            if self.owner[room] < 0 and low <= day <= high and spare >= entry:
                self.owner[room] = len(self.legs) - 1
                return True
        if self._place(len(self.legs) - 1, set()):
            return True
        self.legs.pop()
        return False

    def _place(self, leg: int, tried: set[int]) -> bool:
        entry, low, high = self.legs[leg]
        for room, (day, spare) in enumerate(self.rooms):
            if low <= day <= high and spare >= entry and room not in tried:
                tried.add(room)
                if self.owner[room] < 0 or self._place(self.owner[room], tried):
                    self.owner[room] = leg
                    return True
        return False

    def best(self, clusters: list[tuple[int, int, int, bool, bool]]) -> int:
        """Most value of clusters (value, entry minutes, last day, before, after) entered, greedily by
        value (the legs that can have days form a matroid, so greedy is optimal)."""
        total = 0
        for value, entry, last_day, before, after in sorted(clusters, reverse=True):
            low = self.span_before[0] if before else self.span_after[0]
            high = min(last_day, self.span_after[1] if after else self.span_before[1])
            if self.admit(entry, low, high):
                total += value
        return total


def _latest_by_day(nodes) -> list[tuple[int, int]]:
    """(trip day, latest start on it) over the windows of these nodes."""
    latest: dict[int, int] = {}
    for node in nodes:
        for w in node.windows:
            latest[w.day] = max(latest.get(w.day, w.latest), w.latest)
    return sorted(latest.items())


def _clusters(problem: Problem, locations: list[int], limit: int) -> dict[int, int]:
    """Groups of places joined by legs of at most half the daily limit (either way).

    A leg between two groups is longer than half the limit, so at most one a day enters a group.
    """
    cluster = {loc: loc for loc in locations}

    def root(loc: int) -> int:
        while cluster[loc] != loc:
            loc = cluster[loc]
        return loc

    for a in locations:
        for b in locations:
            if a < b and 2 * min(problem.travel_min[a][b], problem.travel_min[b][a]) <= limit:
                cluster[root(a)] = root(b)
    return {loc: root(loc) for loc in locations}
