"""The local search's moves on one route (solver/heuristic.py runs the rounds).

Insertions and swaps are tested in constant time against each stop's latest start, the 'maximum
shift' of the orienteering literature (Vansteenwegen et al. 2009): a move is dropped when the stop
after it would have to start after its latest start. On a plain time-window problem
(solver/plain.py) the test is exact, so a chosen move is timed once and every move is priced at
once with numpy; on a trip the day rules (nights, rest, travel per day, the departure day) only
delay a route further, so the test is a necessary condition and the rule book times the chosen move.
"""

from __future__ import annotations

import random
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, field

from tripplanner.solver.objective import MINUTES_PER_HOUR, worth
from tripplanner.solver.params import Budget
from tripplanner.solver.plain import PLAIN_SCAN_UNITS, PlainArrays, plain_time_windows
from tripplanner.solver.problem import NodeKind, Problem
from tripplanner.solver.route import Profile, Route, make_route, scored_route
from tripplanner.solver.rulebook import marginal_value, route_value
from tripplanner.solver.schedule import PrefixTimer, Stop

DETOURS_PER_UNIT = 8
"""Work units: one per stop of a route timed, one per this many insertion places priced."""
TIMER_LOOKUPS_PER_UNIT = 4
"""Work units on trips: stops found already timed (schedule.PrefixTimer) cost a fraction of one timed."""
INSERTION_NOISE = 0.3
"""Jitter (+-30 %) on insertion ratios while recreating: enough to reorder near-equal choices,
not enough to prefer a clearly worse one."""


@dataclass
class Search:
    """A problem's data for the local search, and its moves on one route: insertion, swap,
    relocation, covering what is required; each tested against the stops' latest starts (module
    docstring) and charged to the budget."""

    problem: Problem
    profile: Profile
    budget: Budget
    banned: frozenset[int] = frozenset()
    accept: Callable[[tuple[int, ...]], bool] = field(default=lambda nodes: True)

    def __post_init__(self) -> None:
        p = self.problem
        size = range(p.size)
        self.exact = plain_time_windows(p)
        self.t = [[p.travel(i, j) for j in size] for i in size]
        self.t_to = [list(column) for column in zip(*self.t)]
        self.service = [n.service_min for n in p.nodes]
        self.closes = [tuple(w.latest for w in n.windows) for n in p.nodes]
        self.opens = [tuple(w.earliest for w in n.windows) for n in p.nodes]
        self.last = [max(c) if c else -1 for c in self.closes]
        self.mandatory = frozenset(p.mandatory)
        self.wait_counts = False
        """Whether waiting for a window counts in an insertion's added minutes (drawn per round)."""
        self.arrays = PlainArrays(p, self.t) if self.exact else None
        self.timer = None if self.exact else PrefixTimer(p)

    def route(self, nodes) -> Route | None:
        """The route timed and scored, charged one unit per stop timed (on a trip, per stop the
        prefix timer works out, and one per TIMER_LOOKUPS_PER_UNIT stops it finds timed)."""
        if not self.exact:
            timed = self.timer.timed
            route = make_route(self.problem, nodes, self.profile, self.timer)
            self.budget.charge(self.timer.timed - timed + len(nodes) // TIMER_LOOKUPS_PER_UNIT)
            return route
        self.budget.charge(len(nodes))
        stops = self.plain_stops(nodes)
        return None if stops is None else scored_route(self.problem, nodes, stops, self.profile)

    def plain_stops(self, nodes) -> list[Stop] | None:
        """The rule book's earliest timing of a plain time-window route (schedule.time_route: leave
        when done, wait at the next stop for its window), without its general machinery."""
        t, service = self.t, self.service
        first = max(0, self.opens[nodes[0]][0])
        stops = [Stop(nodes[0], first, first, first, first)]
        ready = first
        for before, node in zip(nodes, nodes[1:]):
            arrival = ready + t[before][node]
            start = self.start_after(node, arrival)
            if start is None:
                return None
            ready = start + service[node]
            stops.append(Stop(node, arrival, start, ready, ready))
        return stops

    def travel_of(self, nodes: tuple[int, ...]) -> int:
        """objective.route_travel from the search's own matrix."""
        t = self.t
        return sum(t[a][b] for a, b in zip(nodes, nodes[1:]))

    def charge_scan(self, places: int) -> None:
        """Work units for pricing this many places (one by one, or all at once on plain problems)."""
        per_scan, per_unit = PLAIN_SCAN_UNITS if self.exact else (0, DETOURS_PER_UNIT)
        self.budget.charge(per_scan + places // per_unit)

    # -- constant-time tests ---------------------------------------------------------------

    def latest_starts(self, nodes: tuple[int, ...]) -> list[int]:
        """Per stop, the latest start that leaves the rest of the route its windows (a bound on trips)."""
        t, service, last = self.t, self.service, self.last
        latest = [0] * len(nodes)
        latest[-1] = last[nodes[-1]]
        for k in range(len(nodes) - 2, -1, -1):
            node = nodes[k]
            latest[k] = min(last[node], latest[k + 1] - service[node] - t[node][nodes[k + 1]])
        return latest

    def start_after(self, node: int, arrival: int) -> int | None:
        """The node's earliest start at or after arrival, in the first window still open."""
        closes = self.closes[node]
        if len(closes) == 1:
            return None if arrival > closes[0] else max(self.opens[node][0], arrival)
        index = bisect_left(closes, arrival)
        if index == len(closes):
            return None
        return max(self.opens[node][index], arrival)

    def ends(self, nodes: tuple[int, ...]) -> list[int] | None:
        """When each stop ends on a plain time-window route, or None if one misses its window
        (the rule book's timing where the latest-start test is exact, without building stops)."""
        t, service = self.t, self.service
        ends = [self.opens[nodes[0]][0] + service[nodes[0]]]
        for before, node in zip(nodes, nodes[1:]):
            start = self.start_after(node, ends[-1] + t[before][node])
            if start is None:
                return None
            ends.append(start + service[node])
        return ends

    def _gains(self, route: Route | tuple[int, ...]):
        """The exact value each node would add to this route (marginal_value), as a function. Added
        together for several nodes, at least what they add at once (a theme's best counts once)."""
        p = self.problem
        nodes = route.nodes if isinstance(route, Route) else route
        theme_best: dict[int, int] = {}
        for i in nodes:
            node = p.nodes[i]
            if node.theme >= 0 and node.score > theme_best.get(node.theme, 0):
                theme_best[node.theme] = node.score
        groups = {p.nodes[i].group for i in nodes}
        return lambda i: marginal_value(p, p.nodes[i], theme_best.get(p.nodes[i].theme, 0), groups)

    # -- moves -------------------------------------------------------------------------------

    def insertions(self, route: Route, pool: list[int], power: float, noise: random.Random | None) -> list[tuple]:
        """(-ratio, detour, node, position) of every insertion the latest-start test allows and
        worth its travel, best first."""
        p, nodes, t, service = self.problem, route.nodes, self.t, self.service
        self.charge_scan(len(pool) * len(nodes))
        latest = self.latest_starts(nodes)
        ready = [stop.end for stop in route.stops]
        if self.exact:  # the best fits and the test is exact: no other is needed
            best = self.arrays.best_insertion(nodes, ready, latest, pool, lambda: self._gains(route), power,
                                              self.wait_counts, noise, INSERTION_NOISE)
            return [best] if best else []
        gain_of = self._gains(route)
        options = []
        per_hour = p.travel_cost_per_hour
        for node in pool:
            gain = gain_of(node)
            forced = node in self.mandatory
            if (gain <= 0 and not forced) or not self.closes[node]:
                continue
            to_node, from_node, stay = self.t_to[node], t[node], service[node]
            most_detour = None if forced or not per_hour else MINUTES_PER_HOUR * gain // per_hour  # worth(gain, detour) > 0
            single = len(self.closes[node]) == 1
            opens, closes = self.opens[node][0], self.closes[node][0]
            scale = gain ** power
            for k in range(1, len(nodes)):
                before, after = nodes[k - 1], nodes[k]
                detour = to_node[before] + from_node[after] - t[before][after]
                if most_detour is not None and detour >= most_detour:
                    continue  # not worth the journey from here
                arrival = ready[k - 1] + to_node[before]
                if single:
                    if arrival > closes:
                        if ready[k - 1] > closes:
                            break  # the route is only later from here on
                        continue
                    start = opens if opens > arrival else arrival
                else:
                    start = self.start_after(node, arrival)
                    if start is None:
                        continue
                if start + stay + from_node[after] > latest[k]:
                    continue
                cost = (detour if detour > 0 else 0) + stay + (start - arrival if self.wait_counts else 0) + 1
                jitter = 1 + noise.uniform(-INSERTION_NOISE, INSERTION_NOISE) if noise else 1
                options.append((-scale / cost * jitter, detour, node, k))
        options.sort()
        return options

    def insert_best(self, route: Route, pool: list[int], power: float = 1.0, noise: random.Random | None = None) -> Route | None:
        """The best-ratio feasible single insertion from pool that improves the key, or None."""
        for _, _, node, position in self.insertions(route, pool, power, noise):
            if self.budget.over():
                return None
            candidate = self.route((*route.nodes[:position], node, *route.nodes[position:]))
            if candidate is not None and candidate.key > route.key:
                return candidate
            if self.exact and candidate is not None:
                return None  # the best ratio fits but does not improve: neither will the others
        return None

    def fill(self, route: Route, pool: set[int], power: float = 1.0, noise: random.Random | None = None) -> Route:
        """Insert nodes from pool (those not on the route) while one fits and improves the route."""
        pool = pool - self.banned - set(route.nodes)
        while pool:
            better = self.insert_best(route, sorted(pool), power, noise)
            if better is None:
                return route
            pool -= set(better.nodes)
            route = better
        return route

    def swap(self, route: Route, pool: set[int]) -> Route | None:
        """A routed optional stop replaced in its place by an unrouted node of a higher score that the
        latest-start test allows and that improves the key, or None."""
        p, nodes, t, service = self.problem, route.nodes, self.t, self.service
        pool = sorted(pool - self.banned, key=lambda i: (-p.nodes[i].score, i))
        self.charge_scan(len(pool) * len(nodes))
        latest = self.latest_starts(nodes)
        if self.exact:
            ready = [stop.end for stop in route.stops]
            for position, node in self.arrays.allowed_swaps(nodes, ready, latest, pool):
                better = self.swapped(route, position, node)
                if better is not None:
                    return better
            return None
        for position in range(1, len(nodes) - 1):
            current = nodes[position]
            if current in self.mandatory:
                continue
            before, after = nodes[position - 1], nodes[position + 1]
            ready = route.stops[position - 1].end
            for node in pool:
                if p.nodes[node].score <= p.nodes[current].score:
                    break
                start = self.start_after(node, ready + t[before][node])
                if start is None or start + service[node] + t[node][after] > latest[position + 1]:
                    continue
                better = self.swapped(route, position, node)
                if better is not None:
                    return better
        return None

    def swapped(self, route: Route, position: int, node: int) -> Route | None:
        """The route with node in place of the stop at position, if that improves the key."""
        p, nodes = self.problem, route.nodes
        trial = (*nodes[:position], node, *nodes[position + 1:])
        if worth(p, route_value(p, trial), self.travel_of(trial)) < route.worth:
            return None
        candidate = self.route(trial)
        return candidate if candidate is not None and candidate.key > route.key else None

    def relocate(self, route: Route) -> Route:
        """Move single stops to places that shorten the route and improve the key (on a plain
        time-window route each place is tested against the latest starts without the stop)."""
        t = self.t
        improved = True
        while improved and not self.budget.over():
            improved = False
            nodes = route.nodes
            self.budget.charge(len(nodes) * len(nodes) // DETOURS_PER_UNIT)
            for index in range(1, len(nodes) - 1):
                node, left, right = nodes[index], nodes[index - 1], nodes[index + 1]
                saved = t[left][node] + t[node][right] - t[left][right]
                rest = nodes[:index] + nodes[index + 1:]
                ends = latest = None
                for position in range(1, len(rest)):
                    if position == index:
                        continue
                    a, b = rest[position - 1], rest[position]
                    if t[a][node] + t[node][b] - t[a][b] >= saved:
                        continue
                    if self.exact:
                        if ends is None:
                            ends, latest = self.ends(rest), self.latest_starts(rest)
                            self.budget.charge(len(rest))
                        if ends is None:
                            break
                        start = self.start_after(node, ends[position - 1] + t[a][node])
                        if start is None or start + self.service[node] + t[node][b] > latest[position]:
                            continue
                    candidate = self.route((*rest[:position], node, *rest[position:]))
                    if candidate is not None and candidate.key > route.key:
                        route, improved = candidate, True
                        break
                if improved:
                    break
        return route

    def improve(self, route: Route, pool: set[int], power: float, noise: random.Random | None) -> Route:
        """Fill, shorten and swap until none of them improves the route; on a trip, then move,
        add, drop or exchange whole stays, and again."""
        while True:
            route = self.relocate(self.fill(route, pool, power, noise))
            while not self.budget.over():
                swapped = self.swap(route, pool - set(route.nodes))
                if swapped is None:
                    break
                route = self.fill(swapped, pool, power, noise)
            if self.exact or self.profile != Profile.VALUE or self.budget.over():
                return route
            moved = self.move_stay(route, pool - set(route.nodes))
            if moved is None:
                return route
            route = moved

    # -- whole stays (trips) -------------------------------------------------------------------

    def stays(self, nodes: tuple[int, ...]) -> list[tuple[int, int]]:
        """(first, past) index ranges of the route's runs of optional visits in one place."""
        p, runs, k = self.problem, [], 1
        movable = lambda i: i not in self.mandatory and p.nodes[i].kind is NodeKind.VISIT  # noqa: E731
        while k < len(nodes) - 1:
            if not movable(nodes[k]):
                k += 1
                continue
            place, past = p.nodes[nodes[k]].location, k + 1
            while past < len(nodes) - 1 and movable(nodes[past]) and p.nodes[nodes[past]].location == place:
                past += 1
            runs.append((k, past))
            k = past
        return runs

    def gaps(self, nodes: tuple[int, ...]) -> list[int]:
        """Where a stay may go: between two places (not inside a stay), or next to home."""
        place = [self.problem.nodes[i].location for i in nodes]
        return [k for k in range(1, len(nodes)) if k in (1, len(nodes) - 1) or place[k - 1] != place[k]]

    def new_stays(self, nodes: tuple[int, ...], pool: set[int]) -> list[tuple[int, ...]]:
        """Per place the route does not visit, its visits in pool as one stay, in window order."""
        p = self.problem
        visited = {p.nodes[i].location for i in nodes}
        by_place: dict[int, list[int]] = {}
        for i in sorted(pool - self.banned):
            node = p.nodes[i]
            if node.kind is NodeKind.VISIT and node.windows and node.location not in visited:
                by_place.setdefault(node.location, []).append(i)
        return [tuple(sorted(members, key=lambda i: (self.opens[i][0], i))) for _, members in sorted(by_place.items())]

    def move_stay(self, route: Route, pool: set[int]) -> Route | None:
        """The first route, best estimated worth first, that improves the key by moving a stay
        elsewhere, adding a new place's visits as one stay, dropping a stay or exchanging it for a
        new place's: what single insertions cannot see when one flight serves several visits.
        A trial's worth is known before timing (value and travel do not depend on the schedule);
        it is worked out only where its travel and an upper bound on its value (the stay's visits'
        gains added up) could beat the route."""
        p, nodes, t = self.problem, route.nodes, self.t
        fresh = self.new_stays(nodes, pool)
        hops = [sum(t[a][b] for a, b in zip(stay, stay[1:])) for stay in fresh]
        trials: list[tuple[int, ...]] = []

        def put(into: tuple[int, ...], into_worth: int, gains, positions) -> None:
            """Each fresh stay at each position where it might beat the route, into trials."""
            for stay, inner in zip(fresh, hops):
                most = into_worth + MINUTES_PER_HOUR * sum(gains(i) for i in stay)
                for k in positions:
                    a, b = into[k - 1], into[k]
                    detour = t[a][stay[0]] + inner + t[stay[-1]][b] - t[a][b]
                    self.budget.charge(1)
                    if most - p.travel_cost_per_hour * detour > route.worth:
                        trials.append((*into[:k], *stay, *into[k:]))

        put(nodes, route.worth, self._gains(route), self.gaps(nodes))
        for first, past in self.stays(nodes):
            rest, stay = (*nodes[:first], *nodes[past:]), nodes[first:past]
            rest_worth = worth(p, route_value(p, rest), self.travel_of(rest))
            if rest_worth > route.worth:
                trials.append(rest)
            put(rest, rest_worth, self._gains(rest), [first])
            a, b = nodes[first - 1], nodes[past]
            saved = t[a][stay[0]] + t[stay[-1]][b] - t[a][b]
            for k in self.gaps(rest):
                c, d = rest[k - 1], rest[k]
                if k != first and t[c][stay[0]] + t[stay[-1]][d] - t[c][d] < saved:
                    trials.append((*rest[:k], *stay, *rest[k:]))
        self.charge_scan(len(trials) * len(nodes))
        ranked = sorted((-worth(p, route_value(p, trial), self.travel_of(trial)), trial) for trial in trials)
        for estimate, trial in ranked:
            if -estimate <= route.worth or self.budget.over():
                return None
            if not self.keeps_required(trial):
                continue
            candidate = self.route(trial)
            if candidate is not None and candidate.key > route.key:
                return candidate
        return None

    def cover_required(self, route: Route) -> Route | None:
        """Insert mandatory visits, then one node of each required group, at their best positions;
        a route with no stop at all (a request without anchors) gets its best single stop: a plan
        leaves home, even when no stop is worth its travel."""
        p = self.problem
        needs = [[i] for i in p.mandatory if i not in route.nodes]
        needs += [[i for i, n in enumerate(p.nodes) if n.group == g and n.windows and i not in self.banned] for g in p.required_groups]
        if len(route.nodes) == 2 and not needs:
            needs = [[i for i in p.optional if p.nodes[i].windows and i not in self.banned]]
        for members in needs:
            if any(i in route.nodes for i in members):
                continue
            best = None
            for node in sorted(members, key=lambda i: -p.nodes[i].score):
                for position in range(1, len(route.nodes)):
                    candidate = self.route((*route.nodes[:position], node, *route.nodes[position:]))
                    if candidate is not None and (best is None or candidate.key > best.key):
                        best = candidate
            if best is None or self.budget.over():
                return None
            route = best
        return route

    def keeps_required(self, nodes: tuple[int, ...]) -> bool:
        groups = {self.problem.nodes[i].group for i in nodes}
        return (len(nodes) > 2 and all(g in groups for g in self.problem.required_groups)
                and self.mandatory <= set(nodes))
