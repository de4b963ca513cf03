"""Earliest feasible timing of a fixed route, and the reason when there is none.

The route's rules, as the CP-SAT model states them too:
- a leg departs after the previous activity ends and arrives before the next starts, at least
  `buffer_min` earlier (anchors) and, after a long-haul leg, `long_haul_rest_min` earlier
  (anchors and visits; a booked night is itself the rest);
- a short leg (below the long-haul threshold) neither departs in the origin's night nor
  arrives in the destination's night;
- every leg counts toward the travel limit of its arrival's trip day; a leg longer than that
  limit counts as the whole limit, so it travels alone on its day;
- two consecutive activities in one city on different trip days are `min_rest_min` apart;
- each visit starts inside one of its windows, at most `max_visits_per_day` per trip day;
- home departure to home return spans at most `max_days` home-local calendar days.
Departing as early as possible from a fixed departure day is optimal for these rules, so the
only choice left is the departure day, which `schedule_route` searches.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass

from tripplanner.solver.problem import ENGAGEMENTS, NodeKind, Problem

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
    if minutes > problem.max_leg_min:
        return Failure(target, f"leg of {minutes} min exceeds the single-leg limit of {problem.max_leg_min} min")
    rules = problem.days
    long_haul = problem.is_long_haul(minutes)
    here = problem.calendars[problem.nodes[origin].location]
    there = problem.calendars[problem.nodes[target].location]
    departure = ready
    for _ in range(MAX_RULE_PASSES):
        moved = departure
        if rules is not None and previous_end is not None and here.day_of(previous_end) != here.day_of(moved):
            moved = max(moved, previous_end + rules.min_rest_min)
        arrives_in_night = False
        if not long_haul:
            moved = here.night_end_after(moved)
            if there.in_night(moved + minutes):
                moved = there.night_end_after(moved + minutes) - minutes
                arrives_in_night = True
        if not arrives_in_night and rules is not None and minutes > 0:
            day = there.day_of(moved + minutes)
            if travel_used[day] + rules.counted_travel(minutes) > rules.max_travel_min_per_day:
                next_day = there.day_start(day + 1)
                if next_day is None:
                    return Failure(target, "no day left with travel time for this leg")
                moved = max(moved, next_day - minutes)
        if moved == departure:
            return departure, departure + minutes
        departure = moved
    return Failure(target, "departure rules do not settle")


def _start(problem: Problem, node_index: int, arrival: int, earliest: int, visits_per_day: dict[int, int]):
    node = problem.nodes[node_index]
    rules = problem.days
    calendar = problem.calendars[node.location]
    for _ in range(MAX_RULE_PASSES):
        chosen = None
        for window in node.windows:
            if window.latest < earliest:
                continue
            if node.kind is NodeKind.VISIT and rules is not None and visits_per_day[window.day] >= rules.max_visits_per_day:
                continue
            chosen = window
            break
        if chosen is None:
            return None
        start = max(chosen.earliest, earliest)
        if (rules is not None and node.kind is not NodeKind.END and calendar.day_of(arrival) != calendar.day_of(start)
                and start - arrival < rules.min_rest_min):
            earliest = arrival + rules.min_rest_min
            continue
        return start, chosen.day
    return None


def next_stop(problem: Problem, origin: int, target: int, ready: int, previous_end: int | None,
              travel_used: dict[int, int], visits_per_day: dict[int, int]) -> tuple[int, int, int, int] | Failure:
    """The earliest (departure, arrival, start, day) of target after origin is done at ready.

    Records the leg's counted travel and the visit in the two day tallies (callers that explore
    several continuations pass copies).
    """
    rules = problem.days
    leg = _depart(problem, origin, target, ready, previous_end, travel_used)
    if isinstance(leg, Failure):
        return leg
    departure, arrival = leg
    minutes = arrival - departure
    node = problem.nodes[target]
    earliest = arrival + node.buffer_min
    if rules is not None and problem.is_long_haul(minutes) and node.kind in ENGAGEMENTS:
        earliest = max(earliest, arrival + rules.long_haul_rest_min)
    timing = _start(problem, target, arrival, earliest, visits_per_day)
    if timing is None:
        return Failure(target, "arrives after its last possible start")
    start, day = timing
    if rules is not None:
        travel_used[problem.calendars[node.location].day_of(arrival)] += rules.counted_travel(minutes)
    if node.kind is NodeKind.VISIT:
        visits_per_day[day] += 1
    return departure, arrival, start, day


def first_ready(problem: Problem, depart_floor: int) -> int:
    """When a route may leave home, given the home midnight it may not leave before."""
    return max(depart_floor, problem.nodes[Problem.START].windows[0].earliest)


def _forward(problem: Problem, route: list[int], depart_floor: int) -> list[Stop] | Failure:
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


def schedule_route(problem: Problem, route: list[int] | tuple[int, ...]) -> list[Stop] | Failure:
    """Earliest timing of the route from the latest departure day that still works."""
    route = list(route)
    rules = problem.days
    if rules is None:
        return _forward(problem, route, 0)
    floors = departure_floors(problem)
    low, high = 0, len(floors) - 1
    best: list[Stop] | None = None
    failure: Failure | None = None
    while low <= high:
        middle = (low + high) // 2
        result = _forward(problem, route, floors[middle])
        if isinstance(result, Failure):
            failure = result
            high = middle - 1
        else:
            best = result
            low = middle + 1
    if best is None:
        return failure or Failure(route[0], "no departure day works")
    for floor_index in range(low - 1, -1, -1):
        result = best if floor_index == low - 1 else _forward(problem, route, floors[floor_index])
        if not isinstance(result, Failure) and trip_days_used(problem, result) <= rules.max_days:
            return result
    return Failure(route[-1], f"the route needs more than {rules.max_days} days")


def unhurried(problem: Problem, stops: list[Stop] | tuple[Stop, ...], civil_delay_min: int) -> list[Stop]:
    """The same plan with short legs to engagements leaving later where nothing needs them early.

    The earliest timing leaves at 07:00 for a 10:00 meeting an hour away, and at 06:00 on a free
    Saturday for a Monday meeting. Here an evening leg to a next-day engagement first moves to that
    morning when that keeps the hotel of the night before (_keep_the_hotel); then a leg to an
    engagement the same day arrives just in time (less the anchor buffer), and a leg to one on a
    later day leaves no earlier than civil_delay_min after the night ends (the itinerary passes
    office opening minus night end: 09:00). That last step never changes a leg's departure or
    arrival trip day, never enters the night and keeps the rest before its engagement.
    """
    out = _keep_the_hotel(problem, _leave_home_by_day(problem, list(stops)))
    rest = problem.days.min_rest_min if problem.days else 0
    for k, here, there, node, origin, target in _short_legs_to_engagements(problem, out):
        if target.day_of(there.arrival) == target.day_of(there.start):
            shift = there.start - node.buffer_min - there.arrival
        else:
            day_start = origin.day_start(origin.day_of(here.departure))
            shift = (day_start + civil_delay_min - here.departure) if day_start is not None else 0
        departure, arrival = here.departure + shift, there.arrival + shift
        if (shift <= 0 or origin.day_of(departure) != origin.day_of(here.departure)
                or target.day_of(arrival) != target.day_of(there.arrival)
                or arrival + node.buffer_min > there.start
                or (target.day_of(arrival) != target.day_of(there.start) and there.start - arrival < rest)
                or origin.in_night(departure) or target.in_night(arrival)):
            continue
        _move_leg(out, k, departure, arrival)
    return out


def _keep_the_hotel(problem: Problem, stops: list[Stop]) -> list[Stop]:
    """Evening legs to an engagement on a later day leave that morning instead (arriving just in
    time), when the delegation slept in the leg's origin the night before: it keeps its hotel, so a
    city with engagements on both sides of a day trip stays the base. Only where the morning leg
    stays out of the night, keeps the rest before it and fits its day's travel limit."""
    if problem.days is None:
        return stops
    rules, out = problem.days, list(stops)
    for k, here, there, node, origin, target in _short_legs_to_engagements(problem, out):
        start_day = target.day_of(there.start)
        if (k == 0 or target.day_of(there.arrival) == start_day
                or origin.day_of(here.arrival) == origin.day_of(here.departure)):
            continue
        minutes = there.arrival - here.departure
        arrival = there.start - node.buffer_min
        departure = arrival - minutes
        if (departure <= here.departure or target.day_of(arrival) != start_day
                or origin.in_night(departure) or target.in_night(arrival)
                or (origin.day_of(departure) != origin.day_of(here.end) and departure - here.end < rules.min_rest_min)
                or _day_travel(problem, out, skip=k).get(start_day, 0) + rules.counted_travel(minutes)
                > rules.max_travel_min_per_day):
            continue
        _move_leg(out, k, departure, arrival)
    return out


def _short_legs_to_engagements(problem: Problem, stops: list[Stop]):
    """(k, origin stop, engagement stop, its node, origin calendar, engagement calendar) for each
    short leg stops[k] -> stops[k + 1] into an engagement, read as earlier legs are moved."""
    for k in range(len(stops) - 1):
        here, there = stops[k], stops[k + 1]
        node = problem.nodes[there.node]
        minutes = there.arrival - here.departure
        if node.kind in ENGAGEMENTS and minutes > 0 and not problem.is_long_haul(minutes):
            yield (k, here, there, node, problem.calendars[problem.nodes[here.node].location],
                   problem.calendars[node.location])


def _move_leg(stops: list[Stop], k: int, departure: int, arrival: int) -> None:
    """Give the leg stops[k] -> stops[k + 1] a new departure and arrival; the activities stay."""
    here, there = stops[k], stops[k + 1]
    stops[k] = Stop(here.node, here.arrival, here.start, here.end, departure, here.day)
    stops[k + 1] = Stop(there.node, arrival, there.start, there.end, there.departure, there.day)


def _day_travel(problem: Problem, stops: list[Stop], skip: int) -> dict[int, int]:
    """Counted travel per arrival trip day of every leg but the one leaving stops[skip]."""
    used: dict[int, int] = defaultdict(int)
    for k in range(len(stops) - 1):
        minutes = stops[k + 1].arrival - stops[k].departure
        if k != skip and minutes > 0:
            arrival_day = problem.calendars[problem.nodes[stops[k + 1].node].location].day_of(stops[k + 1].arrival)
            used[arrival_day] += problem.days.counted_travel(minutes)
    return used


def _leave_home_by_day(problem: Problem, stops: list[Stop]) -> list[Stop]:
    """The same route leaving home after the home night rather than in it (a long-haul flight may
    leave at any hour, so the earliest timing can start at midnight), when that keeps it feasible
    and spanning the same days."""
    home = problem.calendars[problem.nodes[stops[0].node].location]
    if problem.days is None or not home.in_night(stops[0].departure):
        return stops
    later = _forward(problem, [s.node for s in stops], home.night_end_after(stops[0].departure))
    if isinstance(later, Failure) or trip_days_used(problem, later) != trip_days_used(problem, stops):
        return stops
    return later
