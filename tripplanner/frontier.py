"""The value/travel frontier: the plan `plan` makes, and the plans that trade its value for travel.

Each point is a solve with the user's settings and time limit, as `plan` has: the plan itself (the
worth objective), the plan with the least travel, and the plans with the most value under travel
budgets spread up to the most valuable plan (travel then costs nothing but breaks ties). The plan
is a point unless another point beats it on value and travel, so no point is worse than `plan` on
both, and the richest point has at least its value.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable

from tripplanner.checks import check_trip
from tripplanner.models.itinerary import Itinerary
from tripplanner.solver.params import SolveParams
from tripplanner.trip import Trip

Announce = Callable[[int, int], None]
"""Called before each solve with (point number, points), for a progress line."""


def plan_frontier(trip: Trip, params: SolveParams = SolveParams(), points: int = 5,
                  progress: Callable[[int | None, int | None], None] | None = None,
                  stop: threading.Event | None = None, announce: Announce | None = None) -> list[Itinerary]:
    """Non-dominated plans trading value against travel time (and days), least travel first."""
    from tripplanner.itinerary import checked_itinerary
    from tripplanner.solver.build import build_problem
    from tripplanner.solver.params import Diversity
    from tripplanner.solver.route import Profile, Status, make_route
    from tripplanner.solver.solve import solve

    if check_trip(trip):
        return []
    problem, mapping = build_problem(trip)
    valued = dataclasses.replace(problem, travel_cost_per_hour=0)  # the same trip, its travel free
    total = max(3, points)
    done = 0

    def run(on, objective=Profile.VALUE, diversity=None):
        nonlocal done
        done += 1
        if announce is not None:
            announce(done, total)
        if stop is not None and stop.is_set():
            return None
        result = solve(on, dataclasses.replace(params, objective=objective), diversity, progress, stop)
        return result if result.is_feasible() else None

    planned = run(problem)
    if planned is None:
        return []
    found = [planned]
    leanest, richest = run(problem, Profile.TRAVEL), run(valued)
    found += [r for r in (leanest, richest) if r is not None]
    if leanest is not None and richest is not None:
        low, high = leanest.route.travel, richest.route.travel
        for step in range(1, total - 2):
            cap = low + (high - low) * step // (total - 2)
            capped = run(valued, diversity=Diversity(max_travel_min=cap))
            if capped is not None:
                found.append(capped)
    plans = []
    for result in found:
        if result is not planned:  # timed and valued as the user's request values it
            route = make_route(problem, result.route.nodes, params.objective)
            if route is None:
                continue
            result = dataclasses.replace(result, route=route, status=Status.FEASIBLE, bound=None, value_bound=None)
        plans.append(checked_itinerary(trip, problem, mapping, result, params))
    unique = {(p.totals.value, p.totals.travel_min, p.totals.days): p for p in plans}
    front = [p for key, p in unique.items()
             if not any(o != key and o[0] >= key[0] and o[1] <= key[1] and o[2] <= key[2] for o in unique)]
    return sorted(front, key=lambda p: (p.totals.travel_min, -p.totals.value))
