"""Display polish: the solver's earliest timing made civil, without changing the plan (the hotel
limit counts nights after it: solver/route.py).

The solver times a route as early as the rules allow: it leaves at 07:00 for a 10:00 meeting an
hour away, and at 06:00 on a free Saturday for a Monday meeting. Here, for the itinerary only,
legs move later where nothing needs them early; every move asks the rule book (solver/rulebook.py)
whether the leg may still leave and arrive then, keeps the rest and fits its day.
"""

from __future__ import annotations

from collections import defaultdict

from tripplanner.solver import rulebook
from tripplanner.solver.problem import ENGAGEMENTS, Problem
from tripplanner.solver.schedule import Failure, Stop, time_route, trip_days_used


def unhurried(problem: Problem, stops: list[Stop] | tuple[Stop, ...], civil_delay_min: int) -> list[Stop]:
    """The same plan with short legs to engagements leaving later where nothing needs them early.

    An evening leg to a next-day engagement first moves to that morning when that keeps the hotel
    of the night before (_keep_the_hotel); then a leg to an engagement the same day arrives just in
    time, and a leg to one on a later day leaves no earlier than civil_delay_min after the night
    ends (the itinerary passes office opening minus night end: 09:00). That last step never
    changes a leg's departure or arrival trip day, never enters the night and keeps the rest
    before its engagement.
    """
    out = hotels_kept(problem, stops)
    for k, here, there, node, origin, target in _short_legs_to_engagements(problem, out):
        minutes = there.arrival - here.departure
        calendar = problem.calendars[node.location]
        if calendar.day_of(there.arrival) == calendar.day_of(there.start):
            shift = there.start - rulebook.arrival_margin(problem, node, minutes, problem.nodes[here.node].location) - there.arrival
        else:
            day_start = origin.day_start(origin.day_of(here.departure))
            shift = (day_start + civil_delay_min - here.departure) if day_start is not None else 0
        departure, arrival = here.departure + shift, there.arrival + shift
        if (shift <= 0 or origin.day_of(departure) != origin.day_of(here.departure)
                or target.day_of(arrival) != target.day_of(there.arrival)
                or not _leg_allowed(problem, here, there, departure, arrival)):
            continue
        _move_leg(out, k, departure, arrival)
    return out


def hotels_kept(problem: Problem, stops: list[Stop] | tuple[Stop, ...]) -> list[Stop]:
    """The steps of the polish that decide where the nights are (leaving home by day, keeping the
    hotel); the later steps move legs only within their local dates (rulebook.hotel_changes)."""
    return _keep_the_hotel(problem, _leave_home_by_day(problem, list(stops)))


def _leg_allowed(problem: Problem, here: Stop, there: Stop, departure: int, arrival: int) -> bool:
    """Whether the leg here -> there may leave at departure and arrive at arrival, its engagement
    staying where it is: in time for it, out of the night, the rest kept on both sides."""
    origin, target = problem.nodes[here.node], problem.nodes[there.node]
    minutes = arrival - departure
    return (rulebook.earliest_start(problem, target, arrival, minutes, origin.location) <= there.start
            and rulebook.rested_from(problem, target.location, arrival, there.start) == there.start
            and rulebook.rested_from(problem, origin.location, here.end, departure) == departure
            and rulebook.may_leave(problem, origin.location, departure, minutes)
            and rulebook.may_arrive(problem, target.location, arrival, minutes))


def _keep_the_hotel(problem: Problem, stops: list[Stop]) -> list[Stop]:
    """Evening legs to an engagement on a later day leave that morning instead (arriving just in
    time), when the delegation slept in the leg's origin the night before: it keeps its hotel, so a
    city with engagements on both sides of a day trip stays the base. Only where the morning leg
    stays out of the night, keeps the rest before it and fits its day's travel limit."""
    if problem.days is None:
        return stops
    out = list(stops)
    for k, here, there, node, origin, target in _short_legs_to_engagements(problem, out):
        start_day = target.day_of(there.start)
        if (k == 0 or target.day_of(there.arrival) == start_day
                or origin.day_of(here.arrival) == origin.day_of(here.departure)):
            continue
        minutes = there.arrival - here.departure
        arrival = there.start - rulebook.arrival_margin(problem, node, minutes, problem.nodes[here.node].location)
        departure = arrival - minutes
        if (departure <= here.departure or target.day_of(arrival) != start_day
                or not _leg_allowed(problem, here, there, departure, arrival)
                or not rulebook.fits_travel_day(problem, _day_travel(problem, out, skip=k).get(start_day, 0), minutes)):
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
        if node.kind in ENGAGEMENTS and minutes > 0 and rulebook.keeps_out_of_night(problem, minutes):
            yield (k, here, there, node, problem.calendars[problem.nodes[here.node].location],
                   problem.calendars[node.location])


def _move_leg(stops: list[Stop], k: int, departure: int, arrival: int) -> None:
    """Give the leg stops[k] -> stops[k + 1] a new departure and arrival; the activities stay."""
    here, there = stops[k], stops[k + 1]
    stops[k] = Stop(here.node, here.arrival, here.start, here.end, departure, here.day)
    stops[k + 1] = Stop(there.node, arrival, there.start, there.end, there.departure, there.day)


def _day_travel(problem: Problem, stops: list[Stop], skip: int) -> dict[int, int]:
    """Counted travel per trip day of every leg but the one leaving stops[skip]."""
    used: dict[int, int] = defaultdict(int)
    for k in range(len(stops) - 1):
        minutes = stops[k + 1].arrival - stops[k].departure
        if k != skip and minutes > 0:
            location = problem.nodes[stops[k + 1].node].location
            used[rulebook.travel_day(problem, location, stops[k + 1].arrival)] += rulebook.counted_travel(problem, minutes)
    return used


def _leave_home_by_day(problem: Problem, stops: list[Stop]) -> list[Stop]:
    """The same route leaving home after the home night rather than in it (a long-haul flight may
    leave at any hour, so the earliest timing can start at midnight), when that keeps it feasible
    and spanning the same days."""
    home = problem.calendars[problem.nodes[stops[0].node].location]
    if problem.days is None or not home.in_night(stops[0].departure):
        return stops
    later = time_route(problem, [s.node for s in stops], home.night_end_after(stops[0].departure))
    if isinstance(later, Failure) or trip_days_used(problem, later) != trip_days_used(problem, stops):
        return stops
    return later
