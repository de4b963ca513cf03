"""Construction and local search on the problem object: fast, feasible routes for CP-SAT to start from.

Best-ratio insertion (value gained per minute of detour and visit) builds a route around the
mandatory nodes; an iterated local search then removes and reinserts nodes for a seeded number
of rounds or until its counted work budget (params.Budget) is spent, so the same problem and
parameters always give the same route.
Routes are compared by the profile's key (solver/route.py); an `accept` predicate can
restrict which routes may be returned (alternatives that must differ from earlier plans).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field

from tripplanner.solver.objective import route_travel, route_value, worth
from tripplanner.solver.params import Budget
from tripplanner.solver.problem import FIXED_IN_TIME, Problem
from tripplanner.solver.route import Profile, Route, make_route

POSITIONS_PER_CANDIDATE = 4
"""Cheapest-detour positions tried per node during insertion; more adds time, rarely value."""


def base_route(problem: Problem) -> list[int]:
    """Start, the mandatory anchors and booked nights in time order, end (mandatory visits are inserted after)."""
    anchors = [i for i in problem.mandatory if problem.nodes[i].kind in FIXED_IN_TIME]
    return [Problem.START, *sorted(anchors, key=lambda i: (problem.nodes[i].windows[0].earliest, i)), Problem.END]


@dataclass
class _Search:
    problem: Problem
    profile: Profile
    budget: Budget
    banned: frozenset[int] = frozenset()
    accept: Callable[[tuple[int, ...]], bool] = field(default=lambda nodes: True)

    def route(self, nodes) -> Route | None:
        self.budget.charge(len(nodes))
        return make_route(self.problem, nodes, self.profile)

    def could_fit(self, route: Route, node: int, position: int) -> bool:
        """Cheap necessary condition for inserting node before route.nodes[position]."""
        p = self.problem
        before, after = route.stops[position - 1], route.stops[position]
        earliest = before.end + p.travel(before.node, node)
        latest_next = p.nodes[after.node].windows[-1].latest
        service = p.nodes[node].service_min
        for window in p.nodes[node].windows:
            start = max(window.earliest, earliest)
            if start <= window.latest and start + service + p.travel(node, after.node) <= latest_next:
                return True
        return False

    def insert_best(self, route: Route, pool: list[int], noise: random.Random | None = None) -> Route | None:
        """The best-ratio feasible single insertion from pool that improves the key, or None.

        With noise, ratios are jittered by up to INSERTION_NOISE, so that recreating a ruined
        route can take another order than the greedy one."""
        p, nodes = self.problem, route.nodes
        self.budget.charge(len(pool) * len(nodes) // DETOURS_PER_UNIT)
        options = []
        for node in pool:
            gain = route_value(p, (*nodes, node)) - route.value
            if gain <= 0 and not p.nodes[node].mandatory:
                continue
            detours = sorted((p.travel(nodes[k - 1], node) + p.travel(node, nodes[k]) - p.travel(nodes[k - 1], nodes[k]), k)
                             for k in range(1, len(nodes)))
            for detour, position in detours[:POSITIONS_PER_CANDIDATE]:
                if worth(p, gain, detour) <= 0 and not p.nodes[node].mandatory:
                    continue  # not worth the journey from here
                cost = max(detour, 0) + p.nodes[node].service_min + 1
                jitter = 1 + noise.uniform(-INSERTION_NOISE, INSERTION_NOISE) if noise else 1
                options.append((-gain / cost * jitter, detour, node, position))
        options.sort()
        for _, _, node, position in options:
            if self.budget.over():
                return None
            if not self.could_fit(route, node, position):
                continue
            candidate = self.route((*nodes[:position], node, *nodes[position:]))
            if candidate is not None and candidate.key > route.key:
                return candidate
        return None

    def fill(self, route: Route, pool: set[int], noise: random.Random | None = None) -> Route:
        """Insert nodes from pool while one fits and improves the route."""
        pool = pool - self.banned
        while pool:
            better = self.insert_best(route, sorted(pool), noise)
            if better is None:
                return route
            pool -= set(better.nodes)
            route = better
        return route

    def relocate(self, route: Route) -> Route:
        """Move single nodes to positions that improve the key (shorter routes)."""
        improved = True
        while improved and not self.budget.over():
            improved = False
            for index in range(1, len(route.nodes) - 1):
                node = route.nodes[index]
                rest = route.nodes[:index] + route.nodes[index + 1:]
                for position in range(1, len(rest)):
                    if position == index:
                        continue
                    trial = (*rest[:position], node, *rest[position:])
                    if route_travel(self.problem, trial) >= route.travel:
                        continue
                    candidate = self.route(trial)
                    if candidate is not None and candidate.key > route.key:
                        route, improved = candidate, True
                        break
                if improved:
                    break
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
                and set(self.problem.mandatory) <= set(nodes))


DETOURS_PER_UNIT = 8
"""Work units: one per stop of a route timed, one per this many insertion detours priced."""
INSERTION_NOISE = 0.3
"""Jitter (+-30 %) on insertion ratios while recreating: enough to reorder near-equal choices,
not enough to prefer a clearly worse one."""
SEGMENT_RUIN_SHARE = 0.5
"""Share of ruin steps that remove a run of consecutive stops (a stretch of days) rather than
scattered ones: what it takes to move a whole part of the trip elsewhere."""
ACCEPT_SLACK_PER_MILLE = 30
"""Record-to-record acceptance: a new route is kept if its worth is within this share of the
best worth, the share shrinking to zero over the rounds (value profile only)."""


def _near_best(search: _Search, trial: Route, best: Route | None, progress: float) -> bool:
    """Record-to-record acceptance: within ACCEPT_SLACK_PER_MILLE of the best worth, shrinking with progress."""
    if best is None or search.profile != Profile.VALUE:
        return False
    floor = best.worth - round(abs(best.worth) * ACCEPT_SLACK_PER_MILLE / 1000 * (1 - progress))
    return best.value > 0 and trial.worth >= floor


def _local_search(search: _Search, route: Route, iterations: int, rng: random.Random,
                  on_improve: Callable[[Route], None] | None) -> Route | None:
    p = search.problem
    optional = set(p.optional) - search.banned
    mandatory = set(p.mandatory)
    best = route if search.accept(route.nodes) else None
    if best is not None and on_improve:
        on_improve(best)
    for iteration in range(iterations):
        if search.budget.over():
            break
        removable = [i for i in route.nodes[1:-1] if i not in mandatory]
        if not removable:
            break
        count = rng.randint(1, max(1, min(len(removable), 1 + len(removable) // 3)))
        if rng.random() < SEGMENT_RUIN_SHARE:
            first = rng.randrange(len(removable))
            removed = set(removable[first:first + count])
        else:
            removed = set(rng.sample(removable, count))
        kept = tuple(i for i in route.nodes if i not in removed)
        trial = search.route(kept)
        if trial is not None and not search.keeps_required(kept):
            trial = search.cover_required(trial)  # a pinned city may move: it goes back in first
        if trial is None:
            continue
        trial = search.relocate(search.fill(trial, optional - set(kept) - removed, rng))
        trial = search.fill(trial, optional - set(trial.nodes), rng)
        if trial.key >= route.key or not search.accept(route.nodes) or _near_best(search, trial, best, iteration / iterations):
            route = trial
        if search.accept(route.nodes) and (best is None or route.key > best.key):
            best = route
            if on_improve:
                on_improve(best)
        elif best is not None and rng.random() < 0.05:
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
    route = search.relocate(search.fill(route, set(problem.optional) - set(route.nodes)))
    return _local_search(search, route, iterations, random.Random(seed), on_improve)
