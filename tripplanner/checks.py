"""Checks of a resolved trip that need no solver: window, anchor overlaps, anchor reachability.

Margins come from the rule book (solver/rulebook.py). Reaching an anchor is checked with the
buffer alone (the margin of a leg that is not long-haul): a booked night on the way may serve
as the rest after a long flight, so the direct leg's rest would be too strict a test.
"""

from __future__ import annotations

import heapq
import math

from tripplanner.errors import Problem
from tripplanner.models.catalog import City
from tripplanner.models.request import in_span, parse_span
from tripplanner.solver.build import day_rules
from tripplanner.solver.problem import DayRules, NodeKind
from tripplanner.solver.rulebook import margin_after_leg
from tripplanner.timeutil import format_minutes, later, local, minutes_between
from tripplanner.trip import Trip, TripAnchor


def warn_trip(trip: Trip) -> list[Problem]:
    """What is allowed but probably a mistake: an anchor in the local night (typed in home time?)."""
    night_start, night_end = parse_span(trip.limits.night)
    warnings = []
    for anchor in trip.anchors:
        for field, moment in (("start", anchor.start), ("end", anchor.end)):
            if in_span(moment.time(), night_start, night_end):
                at_home = moment.astimezone(trip.zone)
                warnings.append(_problem(trip, (
                    f"{anchor.name!r} {'starts' if field == 'start' else 'ends'} at {moment:%H:%M} local time in "
                    f"{anchor.city.label}, in the night ({trip.limits.night}); was it typed in home time? "
                    f"{moment:%H:%M} there is {at_home:%H:%M} in {trip.home.label}"), f"anchors[{anchor.index}].{field}"))
                break
    return warnings


def _problem(trip: Trip, message: str, path: str) -> Problem:
    return Problem(message, path, trip.source.line_of(path) if trip.source else None)


def check_trip(trip: Trip) -> list[Problem]:
    """Every conflict that can be proven without solving, with its size."""
    problems: list[Problem] = []
    rules = day_rules(trip)
    buffer_min = margin_after_leg(rules, NodeKind.ANCHOR, _buffer_min(trip), 0)
    travel = trip.catalogs.travel
    home_zone = trip.zone
    anchors = sorted(trip.anchors, key=lambda a: a.start)
    for anchor in anchors:
        path = f"anchors[{anchor.index}]"
        if anchor.start < trip.earliest_departure or anchor.end > trip.latest_return:
            problems.append(_problem(trip, (
                f"{anchor.name!r} ({local(anchor.start, anchor.start.tzinfo)} - {local(anchor.end, anchor.end.tzinfo)}) is outside the "
                f"trip window ({local(trip.earliest_departure, home_zone)} - {local(trip.latest_return, home_zone)})"), path + ".start"))
            continue
        if not anchor.mandatory:
            continue
        outbound = travel.leg(trip.home, anchor.city)
        arrival = later(trip.earliest_departure, outbound.duration_min + buffer_min)
        if arrival > anchor.start:
            late = minutes_between(anchor.start, arrival)
            problems.append(_problem(trip, (
                f"{anchor.name!r} starts {local(anchor.start, anchor.start.tzinfo)}; leaving home at the earliest departure "
                f"the delegation arrives (with the {format_minutes(buffer_min)} buffer) at "
                f"{local(arrival, anchor.start.tzinfo)} (+{format_minutes(late)})"), path + ".start"))
        inbound = travel.leg(anchor.city, trip.home)
        back = later(anchor.end, inbound.duration_min)
        if back > trip.latest_return:
            late = minutes_between(trip.latest_return, back)
            problems.append(_problem(trip, (
                f"after {anchor.name!r} ends the delegation is home at {local(back, home_zone)} at the earliest, "
                f"after the latest return {local(trip.latest_return, home_zone)} (+{format_minutes(late)})"), "window.latest_return"))
    mandatory = [a for a in anchors if a.mandatory and trip.earliest_departure <= a.start and a.end <= trip.latest_return]
    problems.extend(_reach_problems(trip, mandatory))
    for first, second in zip(mandatory, mandatory[1:]):
        problems.extend(_pair_problems(trip, first, second, rules))
    if len(mandatory) >= 1:
        span_days = _span_days(trip, mandatory, rules)
        if span_days > trip.max_days:
            problems.append(_problem(trip, (
                f"the mandatory anchors alone need at least {span_days} days away (home-local calendar days "
                f"including travel), more than max_days = {trip.max_days}"), "window.max_days"))
    for index, city in enumerate(trip.must_visit):
        names = {c.city.geoname_id for c in trip.candidates} | {a.city.geoname_id for a in trip.anchors}
        if city.geoname_id not in names:
            problems.append(_problem(trip, f"{city.label} is pinned but has no candidate projects or anchors in this request",
                                     f"pins.must_visit[{index}]"))
    for anchor in trip.anchors:
        if any(anchor.city.geoname_id == c.geoname_id for c in trip.avoid) and anchor.mandatory:
            problems.append(_problem(trip, f"{anchor.name!r} is in {anchor.city.label}, which pins.avoid forbids",
                                     f"anchors[{anchor.index}].city"))
    return problems


def _longest_leg_on_the_way(trip: Trip, places: list[City]) -> list[int]:
    """For each place, the least possible longest leg of a journey to it from home (places[0]) through
    the others: a minimax path over the door-to-door legs."""
    travel = trip.catalogs.travel
    best = [0] + [1 << 60] * (len(places) - 1)
    queue = [(0, 0)]
    while queue:
        longest, here = heapq.heappop(queue)
        if longest > best[here]:
            continue
        for there, city in enumerate(places):
            if there == here:
                continue
            step = max(longest, travel.leg(places[here], city).duration_min)
            if step < best[there]:
                best[there] = step
                heapq.heappush(queue, (step, there))
    return best


def _reach_problems(trip: Trip, mandatory: list[TripAnchor]) -> list[Problem]:
    """A mandatory anchor no journey reaches (or leaves: legs are the same both ways) with legs within the
    single-leg limit, even by way of the trip's other places (candidates, anchors, booked nights): the
    limit to raise, and to what."""
    limit = round(trip.limits.max_leg_hours * 60)
    places: dict[int, City] = {trip.home.geoname_id: trip.home}
    for city in [c.city for c in trip.candidates] + [a.city for a in trip.anchors] + [n.city for n in trip.booked_nights]:
        places.setdefault(city.geoname_id, city)
    cities = list(places.values())
    if all(trip.catalogs.travel.leg(trip.home, a.city).duration_min <= limit for a in mandatory):
        return []
    longest = dict(zip((c.geoname_id for c in cities), _longest_leg_on_the_way(trip, cities)))
    problems = []
    for anchor in mandatory:
        needed = longest.get(anchor.city.geoname_id, 0)
        if needed > limit:
            hours = math.ceil(needed / 60)
            problems.append(_problem(trip, (
                f"{anchor.name!r} in {anchor.city.label} is out of reach: every way there from {trip.home.label}, even by "
                f"way of the candidate cities, has a leg over the single-leg limit of {trip.limits.max_leg_hours:g} h (at "
                f"best {format_minutes(needed)} door to door); set limits.max_leg_hours to {hours} or more "
                f"(--set limits.max_leg_hours={hours})"), "limits.max_leg_hours"))
    return problems


def _pair_problems(trip: Trip, first: TripAnchor, second: TripAnchor, rules: DayRules) -> list[Problem]:
    path = f"anchors[{second.index}].start"
    if second.start < first.end:
        overlap = minutes_between(second.start, first.end)
        return [_problem(trip, f"{second.name!r} starts before {first.name!r} ends (overlap {format_minutes(overlap)})", path)]
    leg = trip.catalogs.travel.leg(first.city, second.city)
    needed = margin_after_leg(rules, NodeKind.ANCHOR, _buffer_min(trip), 0,
                              same_city=first.city.geoname_id == second.city.geoname_id)
    arrival = later(first.end, leg.duration_min + needed)
    if arrival <= second.start:
        return []
    late = minutes_between(second.start, arrival)
    zone = second.start.tzinfo
    return [_problem(trip, (
        f"{first.name!r} ends {local(first.end, first.end.tzinfo)}; {second.name!r} starts {local(second.start, zone)}; "
        f"earliest arrival by {leg.mode} ({format_minutes(leg.duration_min)}) plus the buffer is {local(arrival, zone)} "
        f"(+{format_minutes(late)})"), path)]


def _buffer_min(trip: Trip) -> int:
    return round(trip.limits.anchor_buffer_hours * 60)


def _span_days(trip: Trip, mandatory: list[TripAnchor], rules: DayRules) -> int:
    """A lower bound on the days away: the outbound leg and its margin before the first anchor."""
    travel = trip.catalogs.travel
    zone = trip.zone
    outbound = travel.leg(trip.home, mandatory[0].city)
    before = outbound.duration_min + margin_after_leg(rules, NodeKind.ANCHOR, _buffer_min(trip), outbound.duration_min)
    leave = later(mandatory[0].start, -before)
    back = later(mandatory[-1].end, travel.leg(mandatory[-1].city, trip.home).duration_min)
    return (back.astimezone(zone).date() - leave.astimezone(zone).date()).days + 1
