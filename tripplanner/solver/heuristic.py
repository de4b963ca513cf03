"""The local search: one engine for trips and for plain time-window instances (the OPTW benchmark).

Best-ratio insertion builds a route around the mandatory nodes; an iterated local search then
ruins part of it (a run of stops or scattered ones), recreates it by insertion, moves single stops
to shorter places and swaps routed stops for better unrouted ones, for a seeded number of rounds
or until its counted work budget (params.Budget) is spent, so the same problem and parameters
always give the same route. Routes are compared by the profile's key (solver/route.py); an
`accept` predicate can restrict which routes may be returned (alternatives that must differ from
earlier plans).

Insertions and swaps are tested in constant time against each stop's latest start, the 'maximum
shift' of the orienteering literature (Vansteenwegen et al. 2009): a move is dropped when the stop
after it would have to start after its latest start. With one window per node and no day rules
(a plain time-window problem, as the OPTW instances are) the test is exact, so a chosen move is
timed once, and every insertion and swap is priced at once with numpy (3.5 times the rounds per
second on the 216-customer pr19); on a trip the day rules (nights, rest, travel per day, the
departure day) only delay a route further, so the test is a necessary condition and the rule book
times the chosen move.
"""

from __future__ import annotations

import random
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from tripplanner.solver.objective import MINUTES_PER_HOUR, route_travel, worth
from tripplanner.solver.params import Budget
from tripplanner.solver.problem import FIXED_IN_TIME, Problem
from tripplanner.solver.route import Profile, Route, make_route, scored_route
from tripplanner.solver.schedule import Stop
from tripplanner.solver.rulebook import marginal_value, route_value

DETOURS_PER_UNIT = 8
"""Work units: one per stop of a route timed, one per this many insertion places priced."""
PLAIN_SCAN_UNITS = (26, 100)
"""On plain time-window problems, where insertions and swaps are priced all at once (numpy): work
units per scan, and places per unit. Fitted on ten Solomon and Cordeau instances (least squares over
3 s runs): 2.6 us a stop timed, 68 us a scan, 25 ns a place."""
INSERTION_POWERS = (1.0, 2.0)
"""Insertion ratio gain^power / added minutes, the power drawn per round: 1 favours tight fits,
2 favours high values (the two of the OPTW literature). On plain time-window problems a round also
draws whether waiting for a window counts as added minutes (it does in the literature's ratio; not
counting it found 2-4 % more on the Cordeau pr instances, counting it more on Solomon's r2/rc2)."""
INSERTION_NOISE = 0.3
"""Jitter (+-30 %) on insertion ratios while recreating: enough to reorder near-equal choices,
not enough to prefer a clearly worse one."""
SEGMENT_RUIN_SHARE = 0.5
"""Share of ruin steps that remove a run of consecutive stops (a stretch of days) rather than
scattered ones: what it takes to move a whole part of the trip elsewhere."""
ACCEPT_SLACK_PER_MILLE = 30
"""Record-to-record acceptance: a new route is kept if its worth is within this share of the
best worth, the share shrinking to zero over the rounds (value profile only)."""
SHAKE_RESET = 0.5
"""Stops taken out per round: one after an improvement, one more after each round without, back to
one past this share of the route (the shaking of Vansteenwegen et al. 2009)."""
RETURN_TO_BEST = 0.3
"""Chance of going back to the best route when the shaking starts over (trips)."""
PLAIN_RETURN_TO_BEST = 0.5
"""The same on plain time-window problems, where every round's route is kept."""
PLAIN_HELD_OUT_SHARE = 0.25
"""On plain time-window problems, the share of rounds whose removed stops stay out of the first
refill (on trips, every round). Measured at 10 s on 10 Cordeau and 8 Solomon instances (one seed):
0.25 with PLAIN_RETURN_TO_BEST 0.5 scored 5,770 on the Cordeau ones against 5,683 with neither
(pr19 538 against 486: a route that keeps refilling with the stops just removed stays in one
region), 7,391 on the Solomon ones against 7,403; 0.5 scored 5,787 and 7,353."""
"""Chance of going back to the best route when the shaking starts over."""


def plain_time_windows(problem: Problem) -> bool:
    """Whether the latest-start test is exact: no day rules, one window per node, no city rules."""
    return (problem.days is None and all(len(n.windows) == 1 and not n.buffer_min and not n.leave_min for n in problem.nodes)
            and problem.max_locations is None and problem.split_stays and problem.max_hotel_changes is None)


def base_route(problem: Problem) -> list[int]:
    """Start, the mandatory anchors and booked nights in time order, end (mandatory visits are inserted after)."""
    anchors = [i for i in problem.mandatory if problem.nodes[i].kind in FIXED_IN_TIME]
    return [Problem.START, *sorted(anchors, key=lambda i: (problem.nodes[i].windows[0].earliest, i)), Problem.END]


class _PlainArrays:
    """A plain time-window problem's data as numpy arrays, for testing every insertion at once."""

    def __init__(self, problem: Problem, travel: list[list[int]]):
        nodes = problem.nodes
        self.t = np.array(travel, dtype=np.int64)
        self.opens = np.array([n.windows[0].earliest for n in nodes], dtype=np.int64)
        self.closes = np.array([n.windows[0].latest for n in nodes], dtype=np.int64)
        self.service = np.array([n.service_min for n in nodes], dtype=np.int64)
        self.scores = np.array([n.score for n in nodes], dtype=np.int64)
        self.mandatory = np.zeros(len(nodes), dtype=bool)
        self.mandatory[list(problem.mandatory)] = True
        constant = not problem.group_bonus and all(n.theme < 0 for n in nodes)
        self.gains = np.array([marginal_value(problem, n, 0, set()) for n in nodes], dtype=np.int64) if constant else None
        """What each node adds to any route, when that does not depend on the route (no themes, no
        city bonus: the OPTW instances); else None and the gains are asked per route."""


@dataclass
class _Search:
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
        self.jitter: np.random.Generator | None = None
        if self.exact:
            self.arrays = _PlainArrays(p, self.t)

    def route(self, nodes) -> Route | None:
        self.budget.charge(len(nodes))
        if not self.exact:
            return make_route(self.problem, nodes, self.profile)
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

    def _gains(self, route: Route):
        """The exact value each node would add to this route (marginal_value), as a function."""
        p = self.problem
        theme_best: dict[int, int] = {}
        for i in route.nodes:
            node = p.nodes[i]
            if node.theme >= 0 and node.score > theme_best.get(node.theme, 0):
                theme_best[node.theme] = node.score
        groups = {p.nodes[i].group for i in route.nodes}
        return lambda i: marginal_value(p, p.nodes[i], theme_best.get(p.nodes[i].theme, 0), groups)

    # -- moves -------------------------------------------------------------------------------

    def insertions(self, route: Route, pool: list[int], power: float, noise: random.Random | None) -> list[tuple]:
        """(-ratio, detour, node, position) of every insertion the latest-start test allows and
        worth its travel, best first."""
        p, nodes, t, service = self.problem, route.nodes, self.t, self.service
        self.charge_scan(len(pool) * len(nodes))
        latest = self.latest_starts(nodes)
        ready = [stop.end for stop in route.stops]
        gain_of = self._gains(route)
        if self.exact:
            return self.best_plain_insertion(route, pool, latest, ready, gain_of, power, noise)
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

    def best_plain_insertion(self, route: Route, pool: list[int], latest: list[int], ready: list[int],
                             gain_of: Callable[[int], int], power: float, noise: random.Random | None) -> list[tuple]:
        """insertions on a plain time-window problem, every node at every place at once (numpy): only
        the best, as the test is exact and a chosen move is timed once. Ties go to the first node in
        pool order, then the first place."""
        a = self.arrays
        nodes = np.fromiter(route.nodes, dtype=np.int64, count=len(route.nodes))
        candidates = np.fromiter(pool, dtype=np.int64, count=len(pool))
        gains = a.gains if a.gains is not None else np.fromiter(map(gain_of, pool), dtype=np.int64, count=len(pool))
        gains = gains[candidates] if a.gains is not None else gains
        keep = (gains > 0) | a.mandatory[candidates]
        candidates, gains = candidates[keep], gains[keep]
        if not len(candidates):
            return []
        before, after = nodes[:-1], nodes[1:]
        column = candidates[:, None]
        to_node, from_node = a.t[column, before], a.t[column, after]
        detour = to_node + from_node - a.t[before, after]
        arrival = np.asarray(ready[:-1])[None, :] + to_node
        start = np.maximum(a.opens[column], arrival)
        stay = a.service[column]
        fits = (arrival <= a.closes[column]) & (start + stay + from_node <= np.asarray(latest[1:])[None, :])
        per_hour = self.problem.travel_cost_per_hour
        if per_hour:  # worth(gain, detour) > 0 unless the node is mandatory
            fits &= (detour < (MINUTES_PER_HOUR * gains // per_hour)[:, None]) | a.mandatory[column]
        if not fits.any():
            return []
        cost = np.maximum(detour, 0) + stay + 1
        if self.wait_counts:
            cost = cost + (start - arrival)
        ratio = np.where(fits, (gains.astype(np.float64) ** power)[:, None] / cost, -np.inf)
        if noise is not None:
            if self.jitter is None:
                self.jitter = np.random.default_rng(noise.getrandbits(64))
            ratio[fits] *= self.jitter.uniform(1 - INSERTION_NOISE, 1 + INSERTION_NOISE, int(fits.sum()))
        row, place = np.unravel_index(int(np.argmax(ratio)), ratio.shape)
        return [(-float(ratio[row, place]), int(detour[row, place]), int(candidates[row]), int(place) + 1)]

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
            return self.plain_swap(route, pool, latest)
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
        if worth(p, route_value(p, trial), route_travel(p, trial)) < route.worth:
            return None
        candidate = self.route(trial)
        return candidate if candidate is not None and candidate.key > route.key else None

    def plain_swap(self, route: Route, pool: list[int], latest: list[int]) -> Route | None:
        """swap on a plain time-window problem: every place and node tested at once (numpy), then the
        allowed swaps tried in swap's order (place by place, higher scores first)."""
        if not pool or len(route.nodes) < 3:
            return None
        a, nodes = self.arrays, route.nodes
        routed = np.fromiter(nodes, dtype=np.int64, count=len(nodes))
        current, before, after = routed[1:-1], routed[:-2], routed[2:]
        candidates = np.fromiter(pool, dtype=np.int64, count=len(pool))
        ready = np.fromiter((stop.end for stop in route.stops[:-2]), dtype=np.int64, count=len(nodes) - 2)
        arrival = ready[:, None] + a.t[before[:, None], candidates]
        start = np.maximum(a.opens[candidates], arrival)
        allowed = ((a.scores[candidates] > a.scores[current][:, None]) & ~a.mandatory[current][:, None]
                   & (arrival <= a.closes[candidates])
                   & (start + a.service[candidates] + a.t[candidates[None, :], after[:, None]]
                      <= np.asarray(latest[2:])[:, None]))
        for place, column in zip(*np.nonzero(allowed)):
            better = self.swapped(route, int(place) + 1, int(candidates[column]))
            if better is not None:
                return better
        return None

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
        """Fill, shorten and swap until none of them improves the route."""
        route = self.relocate(self.fill(route, pool, power, noise))
        while not self.budget.over():
            swapped = self.swap(route, pool - set(route.nodes))
            if swapped is None:
                break
            route = self.fill(swapped, pool, power, noise)
        return route

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


def _near_best(search: _Search, trial: Route, best: Route | None, progress: float) -> bool:
    """Record-to-record acceptance: within ACCEPT_SLACK_PER_MILLE of the best worth, shrinking with progress."""
    if best is None or search.profile != Profile.VALUE:
        return False
    floor = best.worth - round(abs(best.worth) * ACCEPT_SLACK_PER_MILLE / 1000 * (1 - progress))
    return best.value > 0 and trial.worth >= floor


def _ruin(route: Route, mandatory: frozenset[int], strength: int, rng: random.Random) -> set[int] | None:
    """Stops to take out: a run of `strength` consecutive ones or as many scattered ones."""
    removable = [i for i in route.nodes[1:-1] if i not in mandatory]
    if not removable:
        return None
    count = min(len(removable), strength)
    if rng.random() < SEGMENT_RUIN_SHARE:
        first = rng.randrange(len(removable))
        return set(removable[first:first + count])
    return set(rng.sample(removable, count))


def _local_search(search: _Search, route: Route, iterations: int, rng: random.Random,
                  on_improve: Callable[[Route], None] | None) -> Route | None:
    """Rounds of ruin and recreate. On a plain time-window problem every round's route is kept (a
    walk that returns to the best now and then) and in most rounds removed stops may come straight
    back, as in the OPTW literature (PLAIN_HELD_OUT_SHARE); on a trip, removed stops stay out of the
    first refill and a round's route is kept when near the best (record-to-record). Each choice the
    other way lost on its own kind of problem (issue 18's closing notes have the figures)."""
    p = search.problem
    optional = set(p.optional) - search.banned
    best = route if search.accept(route.nodes) else None
    if best is not None and on_improve:
        on_improve(best)
    strength = 1
    back_to_best = PLAIN_RETURN_TO_BEST if search.exact else RETURN_TO_BEST
    for iteration in range(iterations):
        if search.budget.over():
            break
        removed = _ruin(route, search.mandatory, strength, rng)
        if removed is None:
            break
        kept = tuple(i for i in route.nodes if i not in removed)
        trial = search.route(kept)
        if trial is not None and not search.keeps_required(kept):
            trial = search.cover_required(trial)  # a pinned city may move: it goes back in first
        if trial is None:
            continue
        power = rng.choice(INSERTION_POWERS)
        search.wait_counts = search.exact and rng.random() < 0.5
        if not search.exact or rng.random() < PLAIN_HELD_OUT_SHARE:
            trial = search.fill(trial, optional - removed, power, rng)
        trial = search.improve(trial, optional, power, rng)
        if (search.exact or trial.key >= route.key or not search.accept(route.nodes)
                or _near_best(search, trial, best, iteration / iterations)):
            route = trial
        if search.accept(route.nodes) and (best is None or route.key > best.key):
            best, strength = route, 1
            if on_improve:
                on_improve(best)
            continue
        strength += 1
        if strength > max(1, int(len(route.nodes) * SHAKE_RESET)):
            strength = 1
            if best is not None and rng.random() < back_to_best:
                route = best
    return best


def solve_heuristic(problem: Problem, iterations: int, seed: int, budget: Budget,
                    on_improve: Callable[[Route], None] | None = None, profile: Profile = Profile.VALUE,
                    accept: Callable[[tuple[int, ...]], bool] | None = None,
                    banned: frozenset[int] = frozenset()) -> Route | None:
    """The best accepted route found (None if construction fails or nothing is accepted).

    on_improve is called with each new best route, first with the constructed one.
    """
    search = _Search(problem, profile, budget, banned, accept or (lambda nodes: True))
    route = search.route(base_route(problem))
    if route is None:
        return None
    route = search.cover_required(route)
    if route is None:
        return None
    route = search.improve(route, set(problem.optional), 1.0, None)
    return _local_search(search, route, iterations, random.Random(seed), on_improve)
