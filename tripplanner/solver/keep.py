"""Keeping stops of an earlier route: each held to the trip day it had, fitted one by one.

A re-plan (tripplanner/replan.py) keeps what it can of an old plan. Here that is plain data on
the problem: a kept node is made mandatory and its windows narrowed to its old trip day. Every
engine (local search, exhaustive search, CP-SAT) then keeps it without knowing about
re-planning, and a route of the narrowed problem keeps every rule of the original one (its
windows are a subset of the original windows, nothing else changes).

Which stops can be kept together is found greedily, in the order given (the old plan's order):
a stop is kept when the route of the stops kept before it, with it inserted at its best
position, still times. The greedy choice keeps an earlier stop that blocks two later ones; a
search for the largest set that fits would not, at the cost of many more timings.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass

from tripplanner.solver import rulebook
from tripplanner.solver.heuristic import base_route
from tripplanner.solver.problem import Problem
from tripplanner.solver.route import Route, make_route
from tripplanner.solver.schedule import Failure, schedule_route

@dataclass(frozen=True)
class Keep:
    """A node to keep on a trip day (the Window.day index), or as it is (day None: an anchor, fixed in time)."""

    node: int
    day: int | None = None


def keep_on_days(problem: Problem, keeps: Iterable[Keep]) -> Problem:
    """The problem with each kept node mandatory and its windows narrowed to its day."""
    nodes = list(problem.nodes)
    for keep in keeps:
        node = nodes[keep.node]
        windows = node.windows if keep.day is None else tuple(w for w in node.windows if w.day == keep.day)
        nodes[keep.node] = dataclasses.replace(node, windows=windows, mandatory=True)
    return dataclasses.replace(problem, nodes=tuple(nodes))


class Fitting:
    """Stops kept so far and a route that holds them (with the problem's mandatory stops); try_keep adds one."""

    def __init__(self, problem: Problem):
        self.problem = problem
        self.kept: list[Keep] = []
        self.route: Route | None = make_route(problem, base_route(problem))

    def try_keep(self, keep: Keep) -> str | None:
        """Keep the stop if it fits with those kept before it (None), else say why it does not."""
        if any(k.node == keep.node for k in self.kept):
            return None
        if self.route is None:
            return "the request's anchors and booked nights alone have no plan"
        if keep.day is not None and not any(w.day == keep.day for w in self.problem.nodes[keep.node].windows):
            return "it has no time window that day"
        narrowed = keep_on_days(self.problem, [*self.kept, keep])
        nodes = self.route.nodes
        best: Route | None = None
        for position in range(1, len(nodes)):
            trial = make_route(narrowed, (*nodes[:position], keep.node, *nodes[position:]))
            if trial is not None and (best is None or trial.key > best.key):
                best = trial
        if best is None:
            return _why_not(narrowed, self.route, keep.node)
        self.kept.append(keep)
        self.route = best
        return None


def _why_not(problem: Problem, route: Route, node: int) -> str:
    """Why node does not fit into route: the rule that fails at the nearest position to where its time
    puts it that keeps whole stays and the city limit, and at which stop; else the shape rule it breaks."""
    earliest = problem.nodes[node].windows[0].earliest
    at = max(1, min(len(route.nodes) - 1, sum(1 for stop in route.stops[:-1] if stop.start <= earliest)))
    shape = ""
    for position in sorted(range(1, len(route.nodes)), key=lambda k: (abs(k - at), k)):
        nodes = (*route.nodes[:position], node, *route.nodes[position:])
        if rulebook.too_many_cities(problem, (problem.nodes[i].location for i in nodes)):
            shape = shape or f"it would take the trip past its limit of {problem.max_locations} cities"
        elif rulebook.splits_a_stay(problem, nodes):
            shape = shape or "it would split a stay in one city without an anchor or a booked night in each part"
        else:
            timing = schedule_route(problem, nodes)
            if isinstance(timing, Failure):
                where = problem.nodes[timing.node].label
                return f"{timing.reason} ({where})" if where else timing.reason
    return shape or "no place in the route keeps every rule"
