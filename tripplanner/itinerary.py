"""Read a solver route back as an itinerary: the only translation from indices to the office's words."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from tripplanner.models.itinerary import (
    EARLY_START_HOUR, IN_TRANSIT, AnchorEvent, Day, Itinerary, LegEvent, SegmentEvent, SolveReport, Totals, VisitEvent,
)
from tripplanner.models.request import parse_span
from tripplanner.solver.build import ProblemMap
from tripplanner.solver.polish import unhurried
from tripplanner.solver.objective import scalar_value, value_points, worth_points
from tripplanner.solver.params import SolveParams
from tripplanner.solver.problem import NodeKind, Problem
from tripplanner.solver.route import Route, SolveResult
from tripplanner.solver.rulebook import value_by_theme
from tripplanner.timeutil import later
from tripplanner.travel.model import Leg
from tripplanner.travel.network import AirNetwork


def checked_itinerary(trip, problem: Problem, mapping: ProblemMap, result: SolveResult, params: SolveParams) -> Itinerary:
    """The result as an itinerary that has passed the independent verifier (VerificationError if not)."""
    from tripplanner.errors import Problem as Finding, VerificationError
    from tripplanner.verify import verify

    itinerary = build_itinerary(problem, mapping, result, params, objective=params.objective)
    violations = verify(trip, itinerary)
    if violations:
        raise VerificationError("internal error: the plan fails its own verification",
                                [Finding(str(v)) for v in violations])  # pragma: no cover
    return itinerary


def build_itinerary(problem: Problem, mapping: ProblemMap, result: SolveResult, params: SolveParams,
                    status: str | None = None, objective: str = "value") -> Itinerary:
    """The itinerary of a feasible result (the caller checks result.is_feasible())."""
    route = result.route
    trip = mapping.trip
    events = _events(problem, mapping, route)
    report = SolveReport(
        status=status or ("interrupted" if result.interrupted else str(result.status)),
        objective_value=round(worth_points(route.worth), 3),
        best_bound_value=round(worth_points(scalar_value(problem, result.bound)), 3) if result.bound is not None else None,
        gap_pct=round(result.gap * 100, 3) if result.gap is not None else None,
        seconds=round(result.seconds, 2), found_by=str(result.found_by),
        time_limit_s=params.time_limit_s, workers=params.workers, seed=params.seed, objective=str(objective),
        stopped_by="interrupt" if result.interrupted else "proof" if result.status == "optimal" else (
            "clock" if result.wall_clock_stop else "budget"),
        value_proven=result.value_proven,
    )
    days = _days(events, trip.home.label, {(n.city.label, n.date) for n in trip.booked_nights})
    return Itinerary(
        name=trip.name, home=trip.home.label, home_timezone=trip.home.timezone,
        request_file=trip.source.name if trip.source else "",
        days=days, totals=_totals(problem, mapping, route, events, days), solve=report,
    )


def _events(problem: Problem, mapping: ProblemMap, route: Route) -> list:
    travel = mapping.trip.catalogs.travel
    events = []
    limits = mapping.trip.limits
    opens, night_ends = parse_span(limits.office_hours)[0], limits.night_span()[1]
    civil_delay = max(0, _clock_minutes(opens) - (_clock_minutes(night_ends) if night_ends else 0))
    stops = unhurried(problem, route.stops, civil_delay)
    for stop, following in zip(stops, [*stops[1:], None]):
        node = problem.nodes[stop.node]
        ref = mapping.refs[stop.node]
        city = mapping.locations[node.location]
        zone = ZoneInfo(city.timezone)
        at = lambda minute, z=zone: mapping.instant(minute).astimezone(z)  # noqa: E731
        if node.kind is NodeKind.ANCHOR:
            a = ref.anchor
            events.append(AnchorEvent(name=a.name, city=city.label, venue=a.venue, role=a.role, mandatory=a.mandatory,
                                      start=a.start, end=a.end, timezone=city.timezone))
        elif node.kind is NodeKind.VISIT:
            p = ref.project
            events.append(VisitEvent(project_id=p.id, title=p.title, city=city.label, counterpart=p.counterpart,
                                     themes=list(p.themes), scoring_theme=p.scoring_theme, stage=p.stage, value=p.value,
                                     illustrative=p.illustrative, start=at(stop.start), end=at(stop.end), timezone=city.timezone,
                                     source=p.source, year=p.year))
        if following is None or (problem.travel(stop.node, following.node) == 0
                                  and node.location == problem.nodes[following.node].location):
            continue
        target = mapping.locations[problem.nodes[following.node].location]
        leg = travel.leg(city, target)
        target_zone = ZoneInfo(target.timezone)
        depart = mapping.instant(stop.departure)
        events.append(LegEvent(origin=city.label, destination=target.label, mode=leg.mode,
                               depart=depart.astimezone(zone), arrive=mapping.instant(following.arrival).astimezone(target_zone),
                               origin_timezone=city.timezone, destination_timezone=target.timezone,
                               duration_min=leg.duration_min, distance_km=leg.distance_km, co2_kg=leg.co2_kg,
                               long_haul=problem.is_long_haul(leg.duration_min), via=leg.via,
                               segments=_segments(leg, depart, travel.network), source=leg.source))
    return events


def _segments(leg: Leg, depart: datetime, network: AirNetwork) -> list[SegmentEvent]:
    """The leg's segments timed from its departure, each end in its own zone: an airport's for
    codes, the destination city's once a train or a drive has arrived, else where the leg began."""
    out, moment, zone = [], depart, leg.origin.timezone
    for k, segment in enumerate(leg.segments):
        if segment.destination in network.airports and network.zone(segment.destination):
            next_zone = network.zone(segment.destination)
        elif segment.mode in ("rail", "road") or k == len(leg.segments) - 1:
            next_zone = leg.destination.timezone
        else:
            next_zone = zone
        end = later(moment, segment.minutes)
        out.append(SegmentEvent(mode=segment.mode, origin=segment.origin, destination=segment.destination,
                                depart=moment.astimezone(ZoneInfo(zone)), arrive=end.astimezone(ZoneInfo(next_zone)),
                                origin_timezone=zone, destination_timezone=next_zone, minutes=segment.minutes,
                                what=segment.what))
        moment, zone = end, next_zone
    return out


def _clock_minutes(clock: time) -> int:
    return clock.hour * 60 + clock.minute


def _event_start(event) -> datetime:
    return event.depart if isinstance(event, LegEvent) else event.start


def _days(events: list, home: str, booked: set) -> list[Day]:
    """Group events by the local date on which they start, in order; empty dates become free days."""
    grouped: dict = {}
    current = None
    for event in events:
        day = _event_start(event).date()
        current = day if current is None or day > current else current
        grouped.setdefault(current, []).append(event)
    days, where = [], home
    first, last = min(grouped), max(grouped)
    for number in range((last - first).days + 1):
        date = first + timedelta(days=number)
        todays = grouped.get(date, [])
        wake = where
        for event in todays:
            where = event.destination if isinstance(event, LegEvent) else event.city
        sleep = where
        if todays and isinstance(todays[-1], LegEvent) and todays[-1].arrive.date() > date:
            sleep = IN_TRANSIT  # a night on a plane or a train, never a hotel night
        days.append(Day(number=number + 1, date=date, wake_city=wake, sleep_city=sleep,
                        night_booked=(sleep, date) in booked, events=todays))
    return days


def _pace(days: list[Day], home: str) -> dict:
    """Hotel changes, nights in transit and early starts, read off the days."""
    nights = [day.sleep_city for day in days if day.sleep_city not in (home, IN_TRANSIT)]
    firsts = [day.events[0] for day in days if day.events]
    early = sum(1 for e in firsts if _local_start(e).hour < EARLY_START_HOUR)
    return {"hotel_changes": sum(1 for a, b in zip(nights, nights[1:]) if a != b),
            "nights_in_transit": sum(1 for day in days if day.sleep_city == IN_TRANSIT), "early_starts": early}


def _local_start(event) -> datetime:
    return _event_start(event).astimezone(_event_zone(event))


def _event_zone(event) -> ZoneInfo:
    """Where an event begins: a leg's origin, an anchor's or a visit's city."""
    return ZoneInfo(event.origin_timezone if isinstance(event, LegEvent) else event.timezone)


def _totals(problem: Problem, mapping: ProblemMap, route: Route, events: list, days: list[Day]) -> Totals:
    trip = mapping.trip
    legs = [e for e in events if isinstance(e, LegEvent)]
    by_theme = {problem.themes[t]: round(value_points(units), 3) for t, units in value_by_theme(problem, route.nodes).items()}
    relation = {c.city.label: c.relation for c in trip.candidates}
    visited = sorted({e.city for e in events if isinstance(e, (VisitEvent, AnchorEvent))})
    home_zone = ZoneInfo(trip.home.timezone)
    nights: Counter = Counter()
    for before, after in zip(events, events[1:]):
        end = before.arrive if isinstance(before, LegEvent) else before.end
        begin = _event_start(after)
        city = before.destination if isinstance(before, LegEvent) else before.city
        zone = _event_zone(after)
        count = (begin.astimezone(zone).date() - end.astimezone(zone).date()).days
        if count > 0:
            nights[city] += count
    per_day: Counter = Counter()
    for leg in legs:
        per_day[leg.arrive.date()] += leg.duration_min
    travel_min = sum(leg.duration_min for leg in legs)
    days_away = (legs[-1].arrive.astimezone(home_zone).date() - legs[0].depart.astimezone(home_zone).date()).days + 1 if legs else 0
    return Totals(
        value=round(value_points(route.value), 3), travel_cost=round(trip.scoring.travel_cost_per_hour * route.travel / 60, 3),
        worth=round(worth_points(route.worth), 3), value_by_theme=dict(sorted(by_theme.items())), cities=visited,
        sister_cities=[c for c in visited if relation.get(c) == "sister"],
        friendship_cities=[c for c in visited if relation.get(c) == "friendship"],
        travel_min=travel_min, distance_km=round(sum(l.distance_km for l in legs), 1),
        co2_kg=round(sum(l.co2_kg for l in legs), 1), days=days_away,
        nights_by_city=dict(sorted(nights.items())),
        longest_travel_day_min=max(per_day.values(), default=0),
        legs_by_mode=dict(sorted(Counter(l.mode for l in legs).items())),
        travel_min_per_day=round(travel_min / days_away, 1) if days_away else 0.0, **_pace(days, trip.home.label),
    )
