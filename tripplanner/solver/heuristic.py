"""Construction and local search on the problem object: fast, feasible routes for CP-SAT to start from.

Best-ratio insertion (value gained per minute of detour and visit) builds a route around the
mandatory nodes; an iterated local search then removes and reinserts nodes under a fixed,
seeded number of rounds, so the same problem and parameters always give the same route.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass

from tripplanner.solver.objective import objective, route_travel, route_value
from tripplanner.solver.problem import NodeKind, Problem
from tripplanner.solver.schedule import Failure, Stop, schedule_route

POSITIONS_PER_CANDIDATE = 4
"""Cheapest-detour positions tried per node during insertion; more adds time, rarely value."""


@dataclass(frozen=True)
class Route:
    nodes: tuple[int, ...]
    stops: tuple[Stop, ...]
    objective: int
    value: int
    travel: int


def make_route(problem: Problem, nodes: list[int] | tuple[int, ...]) -> Route | None:
    """The route with its earliest schedule, or None when it is infeasible."""
    stops = schedule_route(problem, nodes)
    if isinstance(stops, Failure):
        return None
    return Route(tuple(nodes), tuple(stops), objective(problem, nodes), route_value(problem, nodes), route_travel(problem, nodes))


def base_route(problem: Problem) -> list[int]:
    """Start, the mandatory anchors in time order, end (mandatory visits are inserted after)."""
    anchors = [i for i in problem.mandatory if problem.nodes[i].kind is NodeKind.ANCHOR]
    return [Problem.START, *sorted(anchors, key=lambda i: (problem.nodes[i].windows[0].earliest, i)), Problem.END]


def _could_fit(problem: Problem, route: Route, node: int, position: int) -> bool:
    """Cheap necessary condition for inserting node before route.nodes[position]."""
    before, after = route.stops[position - 1], route.stops[position]
    earliest = before.end + problem.travel(before.node, node)
    latest_next = problem.nodes[after.node].windows[-1].latest
    service = problem.nodes[node].service_min
    for window in problem.nodes[node].windows:
        start = max(window.earliest, earliest)
        if start <= window.latest and start + service + problem.travel(node, after.node) <= latest_next:
            return True
    return False


def insert_best(problem: Problem, route: Route, pool: list[int], deadline: float) -> Route | None:
    """The best-ratio feasible single insertion of a node from pool, or None."""
    options = []
    base_value = route.value
    nodes = route.nodes
    for node in pool:
        gain = route_value(problem, (*nodes, node)) - base_value
        if gain <= 0 and not problem.nodes[node].mandatory:
            continue
        detours = []
        for position in range(1, len(nodes)):
            a, b = nodes[position - 1], nodes[position]
            detour = problem.travel(a, node) + problem.travel(node, b) - problem.travel(a, b)
            detours.append((detour, position))
        detours.sort()
        for detour, position in detours[:POSITIONS_PER_CANDIDATE]:
            cost = max(detour, 0) + problem.nodes[node].service_min + 1
            options.append((-gain / cost, detour, node, position))
    options.sort()
    for _, _, node, position in options:
        if time.monotonic() > deadline:
            return None
        if not _could_fit(problem, route, node, position):
            continue
        candidate = make_route(problem, (*nodes[:position], node, *nodes[position:]))
        if candidate is not None:
            return candidate
    return None


def fill(problem: Problem, route: Route, pool: set[int], deadline: float) -> Route:
    """Insert nodes from pool until nothing more fits."""
    while pool:
        better = insert_best(problem, route, sorted(pool), deadline)
        if better is None:
            return route
        pool -= set(better.nodes)
        route = better
    return route


def _relocate(problem: Problem, route: Route) -> Route:
    """Move single nodes to cheaper positions while that shortens the route."""
    improved = True
    while improved:
        improved = False
        for index in range(1, len(route.nodes) - 1):
            node = route.nodes[index]
            rest = route.nodes[:index] + route.nodes[index + 1:]
            for position in range(1, len(rest)):
                if position == index:
                    continue
                trial = (*rest[:position], node, *rest[position:])
                if route_travel(problem, trial) >= route.travel:
                    continue
                candidate = make_route(problem, trial)
                if candidate is not None:
                    route, improved = candidate, True
                    break
            if improved:
                break
    return route


def _cover_required(problem: Problem, route: Route, deadline: float) -> Route | None:
    """Insert mandatory visits, then one node of each required group, at their best positions."""
    needs = [[i] for i in problem.mandatory if i not in route.nodes]
    needs += [[i for i, n in enumerate(problem.nodes) if n.group == g and n.windows] for g in problem.required_groups]
    for members in needs:
        if any(i in route.nodes for i in members):
            continue
        best = None
        for node in sorted(members, key=lambda i: -problem.nodes[i].score):
            for position in range(1, len(route.nodes)):
                candidate = make_route(problem, (*route.nodes[:position], node, *route.nodes[position:]))
                if candidate is not None and (best is None or candidate.objective > best.objective):
                    best = candidate
        if best is None or time.monotonic() > deadline:
            return None
        route = best
    return route


def _keeps_required(problem: Problem, nodes: tuple[int, ...]) -> bool:
    groups = {problem.nodes[i].group for i in nodes}
    return all(g in groups for g in problem.required_groups)


def solve_heuristic(problem: Problem, iterations: int, seed: int, time_budget_s: float,
                    on_improve: Callable[[Route], None] | None = None) -> Route | None:
    """A feasible route (None if even the mandatory nodes cannot be routed by construction).

    on_improve is called with each new best route, first with the constructed one.
    """
    deadline = time.monotonic() + time_budget_s
    route = make_route(problem, base_route(problem))
    if route is None:
        return None
    route = _cover_required(problem, route, deadline)
    if route is None:
        return None
    optional = set(problem.optional)
    route = _relocate(problem, fill(problem, route, optional - set(route.nodes), deadline))
    best = route
    if on_improve:
        on_improve(best)
    rng = random.Random(seed)
    mandatory = set(problem.mandatory)
    for _ in range(iterations):
        if time.monotonic() > deadline:
            break
        removable = [i for i in route.nodes[1:-1] if i not in mandatory]
        if not removable:
            break
        count = rng.randint(1, max(1, min(len(removable), 1 + len(removable) // 3)))
        removed = set(rng.sample(removable, count))
        kept = tuple(i for i in route.nodes if i not in removed)
        if not _keeps_required(problem, kept):
            continue
        trial = make_route(problem, kept)
        if trial is None:
            continue
        trial = _relocate(problem, fill(problem, trial, optional - set(kept) - removed, deadline))
        trial = fill(problem, trial, optional - set(trial.nodes), deadline)
        if trial.objective >= route.objective:
            route = trial
        if route.objective > best.objective:
            best = route
            if on_improve:
                on_improve(best)
        elif rng.random() < 0.05:
            route = best
    return best
