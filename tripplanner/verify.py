"""Re-check an itinerary against its request from scratch.

Shares no code with the solver model or the schedule simulator: it reads the itinerary's
events and datetimes, asks the travel model for leg durations, and tests each rule directly.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from tripplanner.models.itinerary import IN_TRANSIT, AnchorEvent, Itinerary, LegEvent, VisitEvent
from tripplanner.models.request import WEEKDAYS, in_span
from tripplanner.timeutil import format_minutes, later, local, minutes_between
from tripplanner.trip import Trip



@dataclass(frozen=True)
class Violation:
    rule: str
    """Short rule name: overlap, travel_time, office_hours, anchor, window, max_days, daily_travel, ..."""
    message: str

    def __str__(self) -> str:
        return f"[{self.rule}] {self.message}"


def _trip_day(moment: datetime, zone: str, night_end) -> tuple:
    """The trip day of an instant in a city: its local date, or the day before while the night lasts."""
    wall = moment.astimezone(ZoneInfo(zone))
    day = wall.date()
    if night_end is not None and wall.time() < night_end:
        day -= timedelta(days=1)
    return day


def _in_night(moment: datetime, zone: str, night_start, night_end) -> bool:
    return in_span(moment.astimezone(ZoneInfo(zone)).time(), night_start, night_end)


def _runs_into_night(leg: LegEvent, night_start) -> bool:
    """Whether the origin's night begins after the leg leaves and before it lands."""
    zone = ZoneInfo(leg.origin_timezone)
    depart = leg.depart.astimezone(zone)
    for day in (depart.date(), depart.date() + timedelta(days=1)):
        begins = datetime.combine(day, night_start, zone)
        if depart < begins < leg.arrive:
            return True
    return False


def verify(trip: Trip, itinerary: Itinerary) -> list[Violation]:
    """Every rule the itinerary breaks; an empty list means it is a valid plan for the request."""
    out: list[Violation] = []
    limits = trip.limits
    events = itinerary.events()
    gazetteer, travel = trip.catalogs.gazetteer, trip.catalogs.travel
    legs = [e for e in events if isinstance(e, LegEvent)]
    if not legs:
        return [Violation("route", "the itinerary has no legs: it never leaves home")]
    night_start, night_end = limits.night_span()
    long_haul_min = travel.settings.long_haul.min_duration_min

    # Sequence: times never go backwards, the route is connected and starts and ends at home.
    location = trip.home.label
    previous_end = None
    for event in events:
        begin = event.depart if isinstance(event, LegEvent) else event.start
        finish = event.arrive if isinstance(event, LegEvent) else event.end
        if minutes_between(begin, finish) < 0:
            out.append(Violation("overlap", f"{_name(event)} ends before it starts"))
        if previous_end is not None and minutes_between(previous_end, begin) < -1:
            out.append(Violation("overlap", f"{_name(event)} starts {local(begin, ZoneInfo(event.origin_timezone if isinstance(event, LegEvent) else event.timezone), '%d %b %H:%M')} before the previous item ends"))
        previous_end = finish
        if isinstance(event, LegEvent):
            if event.origin != location:
                out.append(Violation("route", f"leg {event.origin} -> {event.destination} leaves from {event.origin} but the delegation is in {location}"))
            location = event.destination
        elif event.city != location:
            out.append(Violation("route", f"{_name(event)} is in {event.city} but the delegation is in {location}"))
    if legs[0].origin != trip.home.label or legs[-1].destination != trip.home.label:
        out.append(Violation("route", "the trip must start and end at home"))

    # Legs: real durations, single-leg limit, nights.
    for leg in legs:
        expected = travel.leg(gazetteer.resolve(leg.origin), gazetteer.resolve(leg.destination)).duration_min
        actual = round(minutes_between(leg.depart, leg.arrive))
        if actual < expected:
            out.append(Violation("travel_time", f"leg {leg.origin} -> {leg.destination} takes {actual} min; the travel model needs {expected} min"))
        for segment in leg.segments:
            if segment.mode == "air" and travel.network.route_source(segment.origin, segment.destination) is None:
                out.append(Violation("flight", f"leg {leg.origin} -> {leg.destination} flies {segment.origin}-{segment.destination}, "
                                               "which is not a route of the airline network or of config/travel.toml"))
        added = sum(s.minutes for s in leg.segments)
        if leg.segments and added != leg.duration_min:
            out.append(Violation("travel_time", f"leg {leg.origin} -> {leg.destination}: its segments add up to "
                                                f"{added} min, not its {leg.duration_min} min"))
        if actual > limits.max_leg_hours * 60:
            out.append(Violation("max_leg", f"leg {leg.origin} -> {leg.destination} takes {actual} min, over {limits.max_leg_hours:g} h"))
        if actual < long_haul_min:
            if _in_night(leg.depart, leg.origin_timezone, night_start, night_end):
                out.append(Violation("night", f"leg {leg.origin} -> {leg.destination} departs in the night ({leg.depart.astimezone(ZoneInfo(leg.origin_timezone)):%H:%M} local)"))
            if not limits.overnight_legs and _runs_into_night(leg, night_start):
                out.append(Violation("overnight_leg", f"leg {leg.origin} -> {leg.destination} leaves at {leg.depart.astimezone(ZoneInfo(leg.origin_timezone)):%H:%M} "
                                                      "local and travels into the night (limits.overnight_legs allows it)"))
            if _in_night(leg.arrive, leg.destination_timezone, night_start, night_end):
                out.append(Violation("night", f"leg {leg.origin} -> {leg.destination} arrives in the night ({leg.arrive.astimezone(ZoneInfo(leg.destination_timezone)):%H:%M} local)"))

    # Window and days away.
    if minutes_between(trip.earliest_departure, legs[0].depart) < -1:
        out.append(Violation("window", f"departs {local(legs[0].depart, ZoneInfo(legs[0].origin_timezone), '%d %b %H:%M')}, before the earliest departure"))
    if minutes_between(trip.latest_return, legs[-1].arrive) > 1:
        out.append(Violation("window", f"returns {local(legs[-1].arrive, ZoneInfo(legs[-1].destination_timezone), '%d %b %H:%M')}, after the latest return"))
    home_zone = ZoneInfo(trip.home.timezone)
    days = (legs[-1].arrive.astimezone(home_zone).date() - legs[0].depart.astimezone(home_zone).date()).days + 1
    if days > trip.max_days:
        out.append(Violation("max_days", f"the trip spans {days} home-local days, over max_days = {trip.max_days}"))

    out += _check_engagements(trip, events, night_end, long_haul_min)
    out += _check_daily_limits(trip, events, legs, night_end)
    out += _check_pins(trip, events)
    out += _check_stays(trip, events)
    out += _check_hotels(trip, itinerary)
    out += _check_booked_nights(trip, legs, night_start, night_end)
    return out


def _name(event) -> str:
    if isinstance(event, LegEvent):
        return f"leg {event.origin} -> {event.destination}"
    return f"{event.kind} {event.name if isinstance(event, AnchorEvent) else event.project_id!r}"


def _check_engagements(trip: Trip, events: list, night_end, long_haul_min: int) -> list[Violation]:
    out: list[Violation] = []
    limits = trip.limits
    anchors = {a.name: a for a in trip.anchors}
    projects = {p.id: (c, p) for c in trip.candidates for p in c.projects}
    seen_anchors = set()
    buffer_min = max(limits.anchor_buffer_hours * 60, limits.arrival_buffer)
    for index, event in enumerate(events):
        before = events[index - 1] if index else None
        arrival_leg = before if isinstance(before, LegEvent) else None
        if isinstance(event, AnchorEvent):
            anchor = anchors.get(event.name)
            if anchor is None:
                out.append(Violation("anchor", f"{event.name!r} is not an anchor of the request"))
                continue
            seen_anchors.add(event.name)
            if event.start != anchor.start or event.end != anchor.end:
                out.append(Violation("anchor", f"{event.name!r} is scheduled {event.start:%d %b %H:%M} - {event.end:%H:%M}, not at its fixed time"))
            from_elsewhere = arrival_leg is not None and arrival_leg.origin != arrival_leg.destination
            if from_elsewhere and minutes_between(arrival_leg.arrive, event.start) + 1 < buffer_min:
                out.append(Violation("anchor_buffer", f"arrival for {event.name!r} at {arrival_leg.arrive.astimezone(event.start.tzinfo):%H:%M} leaves less than {format_minutes(round(buffer_min))}"))
            after = events[index + 1] if index + 1 < len(events) else None
            if (isinstance(after, LegEvent) and after.origin != after.destination
                    and minutes_between(event.end, after.depart) + 1 < limits.departure_buffer):
                out.append(Violation("departure_buffer", f"leg {after.origin} -> {after.destination} leaves {event.name!r} "
                                                         f"less than {limits.departure_buffer} min after it ends"))
        elif isinstance(event, VisitEvent):
            if event.project_id not in projects:
                out.append(Violation("visit", f"{event.project_id!r} is not a candidate project of the request"))
                continue
            candidate, project = projects[event.project_id]
            if (arrival_leg is not None and arrival_leg.origin != arrival_leg.destination
                    and minutes_between(arrival_leg.arrive, event.start) + 1 < limits.arrival_buffer):
                out.append(Violation("arrival_buffer", f"visit {event.project_id!r} starts less than {limits.arrival_buffer} min "
                                                       f"after the arrival in {event.city}"))
            zone = ZoneInfo(candidate.city.timezone)
            start, end = event.start.astimezone(zone), event.end.astimezone(zone)
            opens, closes = candidate.calendar.office_hours
            if round(minutes_between(start, end)) < project.visit_min:
                out.append(Violation("visit", f"visit {event.project_id!r} is shorter than {project.visit_min} min"))
            if start.time() < opens or (closes is not None and (end.time() > closes or end.date() != start.date())):
                out.append(Violation("office_hours", f"visit {event.project_id!r} at {start:%a %d %b %H:%M}-{end:%H:%M} local is outside office hours"))
            if not candidate.calendar.is_open_on(start.date()):
                out.append(Violation("office_hours", f"{candidate.city.label} is closed on {start:%a %d %b} (weekday {WEEKDAYS[start.weekday()]} or blackout)"))
        else:
            continue
        if arrival_leg is not None and arrival_leg.duration_min >= long_haul_min:
            if minutes_between(arrival_leg.arrive, event.start) + 1 < limits.long_haul_rest_hours * 60:
                out.append(Violation("long_haul_rest", f"{_name(event)} starts less than {limits.long_haul_rest_hours:g} h after a long-haul arrival"))
    for anchor in trip.anchors:
        if anchor.mandatory and anchor.name not in seen_anchors:
            out.append(Violation("anchor", f"mandatory anchor {anchor.name!r} is not attended"))
    visits = [e for e in events if isinstance(e, VisitEvent) and e.project_id in projects]
    ids = Counter(v.project_id for v in visits)
    out += [Violation("visit", f"{pid!r} is visited {n} times") for pid, n in ids.items() if n > 1]
    per_day = Counter(_trip_day(v.start, v.timezone, night_end) for v in visits)
    out += [Violation("max_visits", f"{n} visits on {d:%a %d %b}, over {limits.max_visits_per_day}") for d, n in per_day.items() if n > limits.max_visits_per_day]
    return out


def _check_stays(trip: Trip, events: list) -> list[Violation]:
    """max_cities, and no city on two stays unless each has an anchor or a booked night (split_stays)."""
    out: list[Violation] = []
    limits, home = trip.limits, trip.home.label
    cities = {e.city for e in events if isinstance(e, (AnchorEvent, VisitEvent))}
    cities |= {e.destination for e in events if isinstance(e, LegEvent)} - {home}
    if limits.city_limit is not None and len(cities) > limits.city_limit:
        out.append(Violation("max_cities", f"{len(cities)} cities, over max_cities = {limits.city_limit}"))
    if limits.split_stays:
        return out
    booked = {(n.city.label, n.date) for n in trip.booked_nights}
    stays: list[list] = []  # [city, arrival, departure, fixed]
    for event in events:
        if isinstance(event, LegEvent) and event.origin != event.destination:
            if stays:
                stays[-1][2] = event.depart
            if event.destination != home:
                stays.append([event.destination, event.arrive, None, False])
        elif isinstance(event, AnchorEvent) and stays:
            stays[-1][3] = True
    for stay in stays:
        city, arrive, depart, _ = stay
        if depart is not None and any((city, arrive.date() + timedelta(days=k)) in booked
                                      for k in range((depart.date() - arrive.date()).days)):
            stay[3] = True
    count = Counter(stay[0] for stay in stays)
    for city in sorted({stay[0] for stay in stays if count[stay[0]] > 1 and not stay[3]}):
        out.append(Violation("split_stay", f"{city} is visited on {count[city]} separate stays without an anchor or "
                                           "a booked night in each (limits.split_stays allows it)"))
    return out


def _check_hotels(trip: Trip, itinerary: Itinerary) -> list[Violation]:
    """limits.max_hotel_changes, on the nights the day table shows (home and nights in transit not counted)."""
    limit = trip.limits.hotel_change_limit
    if limit is None:
        return []
    nights = [day.sleep_city for day in itinerary.days if day.sleep_city not in (trip.home.label, IN_TRANSIT)]
    changes = sum(1 for a, b in zip(nights, nights[1:]) if a != b)
    if changes > limit:
        return [Violation("max_hotel_changes", f"{changes} hotel changes ({' -> '.join(dict.fromkeys(nights))}), "
                                               f"over max_hotel_changes = {limit}")]
    return []


def _check_daily_limits(trip: Trip, events: list, legs: list[LegEvent], night_end) -> list[Violation]:
    out: list[Violation] = []
    limits = trip.limits
    allowance = limits.max_travel_hours_per_day * 60
    travel_per_day: dict = defaultdict(int)
    legs_per_day: Counter = Counter()
    for leg in legs:
        day = _trip_day(leg.arrive, leg.destination_timezone, night_end)
        travel_per_day[day] += leg.duration_min
        legs_per_day[day] += leg.duration_min > 0
    for day, minutes in travel_per_day.items():
        if minutes > allowance and legs_per_day[day] > 1:
            out.append(Violation("daily_travel", f"{minutes} min of travel in {legs_per_day[day]} legs on {day:%a %d %b}, over {limits.max_travel_hours_per_day:g} h (only a single leg may exceed it)"))
    rest_min = limits.min_night_rest_hours * 60
    for before, after in zip(events, events[1:]):
        if isinstance(before, LegEvent) and isinstance(after, LegEvent):
            continue
        end = before.arrive if isinstance(before, LegEvent) else before.end
        begin = after.depart if isinstance(after, LegEvent) else after.start
        city_zone = before.destination_timezone if isinstance(before, LegEvent) else before.timezone
        if _trip_day(end, city_zone, night_end) != _trip_day(begin, city_zone, night_end) and minutes_between(end, begin) + 1 < rest_min:
            out.append(Violation("night_rest", _night_rest_shortfall(before, after, minutes_between(end, begin) / 60,
                                                                     limits.min_night_rest_hours)))
    return out


def _night_rest_shortfall(before, after, gap_hours: float, rest_hours: float) -> str:
    """What went wrong across a night: too short a rest, or the next item starting before the last one ends."""
    if gap_hours < 0:
        return (f"{_name(after)} starts {-gap_hours:.1f} h before {_name(before)} ends, across a night "
                f"(at least {rest_hours:g} h of rest required)")
    return f"only {gap_hours:.1f} h between {_name(before)} and {_name(after)} across a night (at least {rest_hours:g} h required)"


def _check_booked_nights(trip: Trip, legs: list[LegEvent], night_start, night_end) -> list[Violation]:
    """The delegation is in the booked city from the start of each booked night until the
    night and the minimum rest are both over."""
    out: list[Violation] = []
    rest_min = trip.limits.min_night_rest_hours * 60
    for night in trip.booked_nights:
        zone = ZoneInfo(night.city.timezone)
        morning = night.date + timedelta(days=1)
        begins_on = morning if night_end is not None and night_start < night_end else night.date
        begins = datetime.combine(begins_on, night_start, zone)
        ends = max(datetime.combine(morning, night_end, zone) if night_end else begins, later(begins, rest_min))
        arrived = [leg for leg in legs if minutes_between(leg.arrive, begins) >= 0]
        where = arrived[-1].destination if arrived else trip.home.label
        moving = [leg for leg in legs if minutes_between(leg.depart, ends) > 0 and minutes_between(begins, leg.arrive) > 0]
        if where != night.city.label or moving:
            out.append(Violation("booked_night", f"the night of {night.date:%a %d %b} is booked in {night.city.label}, "
                                                 f"but the delegation is {'travelling' if moving else 'in ' + where} then"))
    return out


def _check_pins(trip: Trip, events: list) -> list[Violation]:
    cities = {e.city for e in events if isinstance(e, (AnchorEvent, VisitEvent))}
    out = [Violation("pins", f"{c.label} must be visited") for c in trip.must_visit if c.label not in cities]
    out += [Violation("pins", f"{c.label} is to be avoided") for c in trip.avoid if c.label in cities]
    return out
