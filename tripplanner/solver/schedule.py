"""Earliest feasible timing of a fixed route, and the reason when there is none.

Each step asks the rule book (solver/rulebook.py): when a leg may leave and land (night, the
daily travel limit, the single-leg limit), how long after an arrival an engagement may start
(buffer, long-haul rest), the night rest between two days in one place. A visit starts inside
one of its windows, at most max_visits_per_day per trip day, and the trip spans at most
max_days home-local calendar days.
Departing as early as possible from a fixed departure day is optimal for these rules, so the
only choice left is the departure day, which `schedule_route` searches.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass

from tripplanner.solver import rulebook
from tripplanner.solver.problem import NodeKind, Problem

MAX_RULE_PASSES = 64
"""Each pass moves a departure strictly later; real routes settle in two or three."""


@dataclass(frozen=True)
class Stop:
    """Timing of one node of a route, absolute minutes."""

    node: int
    arrival: int
    start: int
    end: int
    departure: int
    """When the leg to the next node leaves (equals end for the last node)."""
    day: int = 0
    """Trip day of the start, for visits."""


@dataclass
class Failure:
    node: int
    reason: str


def _depart(problem: Problem, origin: int, target: int, ready: int, previous_end: int | None,
            travel_used: dict[int, int]) -> tuple[int, int] | Failure:
    """Earliest (departure, arrival) of the leg origin -> target leaving no earlier than ready."""
    minutes = problem.travel(origin, target)
    if rulebook.leg_too_long(problem, minutes):
        return Failure(target, f"leg of {minutes} min exceeds the single-leg limit of {problem.max_leg_min} min")
    here, there = problem.nodes[origin].location, problem.nodes[target].location
    departure = ready + rulebook.leave_margin(problem.nodes[origin], there)
    for _ in range(MAX_RULE_PASSES):
        moved = departure
        if previous_end is not None:
            moved = rulebook.rested_from(problem, here, previous_end, moved)
        moved = rulebook.first_departure(problem, here, moved, minutes)
        landing = rulebook.departure_for_daylight_arrival(problem, there, moved, minutes)
        if landing != moved:
            moved = landing  # the travel day is checked on the next pass, at the new arrival
        elif problem.days is not None and minutes > 0:
            day = rulebook.travel_day(problem, there, moved + minutes)
            if not rulebook.fits_travel_day(problem, travel_used[day], minutes):
                next_day = problem.calendars[there].day_start(day + 1)
                if next_day is None:
                    return Failure(target, "no day left with travel time for this leg")
                moved = max(moved, next_day - minutes)
        if moved == departure:
            return departure, departure + minutes
        departure = moved
    return Failure(target, "departure rules do not settle")


def _start(problem: Problem, node_index: int, arrival: int, earliest: int, visits_per_day: dict[int, int]):
    """(start, trip day) of the node: its first window open at earliest with a visit slot left,
    keeping the night rest after the arrival; None when no window is left."""
    node = problem.nodes[node_index]
    slots = problem.days.max_visits_per_day if problem.days is not None and rulebook.takes_visit_slot(node) else None
    for _ in range(MAX_RULE_PASSES):
        chosen = None
        for window in node.windows:
            if window.latest < earliest:
                continue
            if slots is not None and visits_per_day[window.day] >= slots:
                continue
            chosen = window
            break
        if chosen is None:
            return None
        start = max(chosen.earliest, earliest)
        rested = start if node.kind is NodeKind.END else rulebook.rested_from(problem, node.location, arrival, start)
        if rested != start:
            earliest = rested
            continue
        return start, chosen.day
    return None


def next_stop(problem: Problem, origin: int, target: int, ready: int, previous_end: int | None,
              travel_used: dict[int, int], visits_per_day: dict[int, int]) -> tuple[int, int, int, int] | Failure:
    """The earliest (departure, arrival, start, day) of target after origin is done at ready.

    Records the leg's counted travel and the visit in the two day tallies (callers that explore
    several continuations pass copies).
    """
    leg = _depart(problem, origin, target, ready, previous_end, travel_used)
    if isinstance(leg, Failure):
        return leg
    departure, arrival = leg
    minutes = arrival - departure
    node = problem.nodes[target]
    earliest = rulebook.earliest_start(problem, node, arrival, minutes, problem.nodes[origin].location)
    timing = _start(problem, target, arrival, earliest, visits_per_day)
    if timing is None:
        return Failure(target, "arrives after its last possible start")
    start, day = timing
    if problem.days is not None:
        travel_used[rulebook.travel_day(problem, node.location, arrival)] += rulebook.counted_travel(problem, minutes)
    if rulebook.takes_visit_slot(node):
        visits_per_day[day] += 1
    return departure, arrival, start, day


def first_ready(problem: Problem, depart_floor: int) -> int:
    """When a route may leave home, given the home midnight it may not leave before."""
    return max(depart_floor, problem.nodes[Problem.START].windows[0].earliest)


def time_route(problem: Problem, route: list[int], depart_floor: int) -> list[Stop] | Failure:
    ready = first_ready(problem, depart_floor)
    stops = [Stop(route[0], ready, ready, ready, ready)]
    travel_used: dict[int, int] = defaultdict(int)
    visits_per_day: dict[int, int] = defaultdict(int)
    previous_end: int | None = None
    for origin, target in zip(route, route[1:]):
        step = next_stop(problem, origin, target, ready, previous_end, travel_used, visits_per_day)
        if isinstance(step, Failure):
            return step
        departure, arrival, start, day = step
        previous = stops[-1]
        stops[-1] = Stop(previous.node, previous.arrival, previous.start, previous.end, departure, previous.day)
        end = start + problem.nodes[target].service_min
        stops.append(Stop(target, arrival, start, end, end, day))
        ready = previous_end = end
    return stops


def departure_floors(problem: Problem) -> list[int]:
    """The home midnights a route may leave from (schedule_route tries them, latest first)."""
    return [m for m in problem.days.home_midnights if m <= problem.nodes[Problem.START].windows[0].latest]


def trip_days_used(problem: Problem, stops: list[Stop]) -> int:
    """Home-local calendar days from leaving home to coming back."""
    midnights = problem.days.home_midnights
    leave = bisect_right(midnights, stops[0].departure) - 1
    back = bisect_right(midnights, stops[-1].arrival) - 1
    return back - leave + 1


class PrefixTimer:
    """time_route with memory, for a search that times many routes sharing their first stops (an
    insertion changes a route from its position on): the timing of a route's first k stops depends
    on nothing after them, so each prefix timed from a departure floor is kept in a tree, with the
    day tallies after it, and a route is timed from its longest known prefix on. Same stops as
    time_route; `timed` counts the steps actually worked out. The tree is dropped whole past
    MAX_ENTRIES prefixes, so memory stays bounded and a re-run repeats."""

    MAX_ENTRIES = 50_000
    """About 1 kB each: 200,000 took 190 MB on a 200-candidate trip; 50,000 find the same routes
    on the generated 30-60-candidate trips."""

    def __init__(self, problem: Problem):
        self.problem = problem
        self.roots: dict[tuple[int, int], dict] = {}
        self.entries = 0
        self.timed = 0

    def time_route(self, route: list[int], depart_floor: int) -> list[Stop] | Failure:
        """time_route(problem, route, depart_floor), from the longest prefix already timed."""
        problem = self.problem
        if self.entries > self.MAX_ENTRIES:
            self.roots.clear()
            self.entries = 0
        ready = first_ready(problem, depart_floor)
        stops = [Stop(route[0], ready, ready, ready, ready)]
        level = self.roots.setdefault((depart_floor, route[0]), {})
        travel_used: dict[int, int] = defaultdict(int)
        visits_per_day: dict[int, int] = defaultdict(int)
        previous_end: int | None = None
        for origin, target in zip(route, route[1:]):
            known = level.get(target)
            if known is None:
                travel_used, visits_per_day = defaultdict(int, travel_used), defaultdict(int, visits_per_day)
                step = next_stop(problem, origin, target, ready, previous_end, travel_used, visits_per_day)
                self.timed += 1
                self.entries += 1
                if isinstance(step, Failure):
                    level[target] = step
                    return step
                departure, arrival, start, day = step
                end = start + problem.nodes[target].service_min
                previous = stops[-1]
                left = Stop(previous.node, previous.arrival, previous.start, previous.end, departure, previous.day)
                known = level[target] = (left, Stop(target, arrival, start, end, end, day), travel_used, visits_per_day, {})
            elif isinstance(known, Failure):
                return known
            stops[-1], stop, travel_used, visits_per_day, level = known
            stops.append(stop)
            ready = previous_end = stop.end
        return stops


def schedule_route(problem: Problem, route: list[int] | tuple[int, ...],
                   timer: PrefixTimer | None = None) -> list[Stop] | Failure:
    """Earliest timing of the route from the latest departure day that still works (timed by the
    timer when one is given)."""
    route = list(route)
    rules = problem.days
    time_route_from = timer.time_route if timer is not None else lambda nodes, floor: time_route(problem, nodes, floor)
    if rules is None:
        return time_route_from(route, 0)
    floors = departure_floors(problem)
    low, high = 0, len(floors) - 1
    best: list[Stop] | None = None
    failure: Failure | None = None
    while low <= high:
        middle = (low + high) // 2
        result = time_route_from(route, floors[middle])
        if isinstance(result, Failure):
            failure = result
            high = middle - 1
        else:
            best = result
            low = middle + 1
    if best is None:
        return failure or Failure(route[0], "no departure day works")
    for floor_index in range(low - 1, -1, -1):
        result = best if floor_index == low - 1 else time_route_from(route, floors[floor_index])
        if not isinstance(result, Failure) and trip_days_used(problem, result) <= rules.max_days:
            return result
    return Failure(route[-1], f"the route needs more than {rules.max_days} days")
