"""Compile a resolved Trip into the plain Problem: the only translation from the office's words to indices."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from tripplanner.models.catalog import City
from tripplanner.solver.objective import SCORE_SCALE, VALUE_UNITS_PER_POINT
from tripplanner.solver.problem import DayRules, LocationCalendar, Node, NodeKind, Problem, Window
from tripplanner.timeutil import later, minutes_between, utc
from tripplanner.trip import Trip, TripAnchor, TripCandidate, TripNight, TripProject

CALENDAR_MARGIN_DAYS = 2
"""Days of local calendar kept on each side of the window, for zones behind or ahead of home."""


@dataclass(frozen=True)
class NodeRef:
    """What a problem node stands for in the trip."""

    anchor: TripAnchor | None = None
    candidate: TripCandidate | None = None
    project: TripProject | None = None
    night: TripNight | None = None


@dataclass(frozen=True)
class ProblemMap:
    """How to read a solution of the problem back in the trip's terms."""

    trip: Trip
    origin: datetime
    """Instant of minute 0 (the earliest departure), in UTC."""
    base_date: date
    """Calendar date of trip day index 0."""
    locations: tuple[City, ...]
    refs: tuple[NodeRef, ...]

    def instant(self, minute: int) -> datetime:
        return later(self.origin, minute)

    def minute(self, moment: datetime) -> int:
        return int(minutes_between(self.origin, moment) // 1)


def local_instant(day: date, clock: time | None, zone: ZoneInfo) -> datetime:
    """The instant of a wall-clock time (None = next midnight) on a day in a zone."""
    if clock is None:
        return datetime.combine(day + timedelta(days=1), time(0), zone)
    return datetime.combine(day, clock, zone)


def build_problem(trip: Trip) -> tuple[Problem, ProblemMap]:
    limits = trip.limits
    origin = utc(trip.earliest_departure)
    minute = lambda moment: int(minutes_between(origin, moment) // 1)  # noqa: E731
    base_date = trip.earliest_departure.astimezone(trip.zone).date() - timedelta(days=1)
    last_date = trip.latest_return.astimezone(trip.zone).date() + timedelta(days=1)
    span_days = (last_date - base_date).days + 1 + CALENDAR_MARGIN_DAYS
    dates = [base_date + timedelta(days=k) for k in range(span_days)]

    locations: list[City] = [trip.home]
    index_of: dict[int, int] = {trip.home.geoname_id: 0}

    def location(city: City) -> int:
        if city.geoname_id not in index_of:
            index_of[city.geoname_id] = len(locations)
            locations.append(city)
        return index_of[city.geoname_id]

    window_end = minute(trip.latest_return)
    nodes = [
        Node(NodeKind.START, 0, 0, (Window(0, window_end),), label="home (departure)"),
        Node(NodeKind.END, 0, 0, (Window(0, window_end),), label="home (return)"),
    ]
    refs = [NodeRef(), NodeRef()]
    buffer = max(round(limits.anchor_buffer_hours * 60), limits.arrival_buffer)
    for anchor in trip.anchors:
        start = minute(anchor.start)
        nodes.append(Node(NodeKind.ANCHOR, location(anchor.city), minute(anchor.end) - start, (Window(start, start, _day(anchor.start, base_date)),),
                          score=round(anchor.value * SCORE_SCALE) if not anchor.mandatory else 0, mandatory=anchor.mandatory,
                          group=location(anchor.city), buffer_min=buffer, leave_min=limits.departure_buffer,
                          label=anchor.name))
        refs.append(NodeRef(anchor=anchor))
    themes = tuple(sorted(trip.themes))
    for candidate in trip.candidates:
        where = location(candidate.city)
        zone = ZoneInfo(candidate.city.timezone)
        opens, closes = candidate.calendar.office_hours
        for project in candidate.projects:
            windows = []
            for k, day in enumerate(dates):
                if not candidate.calendar.is_open_on(day):
                    continue
                earliest = minute(local_instant(day, opens, zone))
                latest = minute(local_instant(day, closes, zone)) - project.visit_min
                earliest, latest = max(earliest, 0), min(latest, window_end)
                if earliest <= latest:
                    windows.append(Window(earliest, latest, k))
            nodes.append(Node(NodeKind.VISIT, where, project.visit_min, tuple(windows), score=round(project.value * SCORE_SCALE),
                              theme=themes.index(project.scoring_theme), group=where, buffer_min=limits.arrival_buffer,
                              label=project.id))
            refs.append(NodeRef(candidate=candidate, project=project))
    night_start, night_end = limits.night_span()
    rest = round(limits.min_night_rest_hours * 60)
    for night in trip.booked_nights:
        zone = ZoneInfo(night.city.timezone)
        morning = night.date + timedelta(days=1)
        after_midnight = night_end is not None and night_start < night_end  # e.g. a "00:30-06:00" night
        begins = minute(local_instant(morning if after_midnight else night.date, night_start, zone))
        ends = minute(local_instant(morning, night_end, zone)) if night_end else begins
        nodes.append(Node(NodeKind.NIGHT, location(night.city), max(ends - begins, rest),
                          (Window(begins, begins, (night.date - base_date).days),), mandatory=True,
                          label=f"night in {night.city.label} ({night.date})"))
        refs.append(NodeRef(night=night))
    required = tuple(sorted({index_of[c.geoname_id] for c in trip.must_visit if c.geoname_id in index_of}))
    bonus = [0] * len(locations)
    for candidate in trip.candidates:
        bonus[index_of[candidate.city.geoname_id]] = round(candidate.relation_bonus * SCORE_SCALE)
    legs = [[trip.catalogs.travel.leg(a, b) for b in locations] for a in locations]
    max_leg = round(limits.max_leg_hours * 60)  # a leg no option serves is one minute longer: never taken
    calendars = tuple(_calendar(city, dates, night_start, night_end, minute) for city in locations)
    home_zone = trip.zone
    first_home_day = trip.earliest_departure.astimezone(home_zone).date()
    midnights = tuple(minute(datetime.combine(first_home_day + timedelta(days=k), time(0), home_zone))
                      for k in range((last_date - first_home_day).days + trip.max_days + 2))
    problem = Problem(
        nodes=tuple(nodes),
        travel_min=tuple(tuple(leg.duration_min if leg.reachable else max_leg + 1 for leg in row) for row in legs),
        calendars=calendars,
        max_leg_min=max_leg,
        themes=themes,
        repeat_per_mille=round(trip.scoring.repeat_factor * 1000),
        travel_cost_per_hour=round(trip.scoring.travel_cost_per_hour * VALUE_UNITS_PER_POINT),
        group_bonus=tuple(bonus),
        required_groups=required,
        max_locations=limits.city_limit,
        split_stays=limits.split_stays,
        overnight_legs=limits.overnight_legs,
        max_hotel_changes=limits.hotel_change_limit,
        days=day_rules(trip, midnights),
        travel_km=tuple(tuple(leg.distance_km for leg in row) for row in legs),
        co2_kg=tuple(tuple(leg.co2_kg for leg in row) for row in legs),
        names=tuple(c.label for c in locations),
    )
    return problem, ProblemMap(trip, origin, base_date, tuple(locations), tuple(refs))


def day_rules(trip: Trip, home_midnights: tuple[int, ...] = ()) -> DayRules:
    """The request's limits as the solver's day rules (home_midnights only for solving)."""
    limits = trip.limits
    return DayRules(
        max_travel_min_per_day=round(limits.max_travel_hours_per_day * 60),
        min_rest_min=round(limits.min_night_rest_hours * 60),
        long_haul_min=trip.catalogs.travel.settings.long_haul.min_duration_min,
        long_haul_rest_min=round(limits.long_haul_rest_hours * 60),
        max_visits_per_day=limits.max_visits_per_day,
        home_midnights=home_midnights,
        max_days=trip.max_days,
    )


def _day(moment: datetime, base_date: date) -> int:
    return (moment.date() - base_date).days


def _calendar(city: City, dates: list[date], night_start: time, night_end: time | None, minute) -> LocationCalendar:
    zone = ZoneInfo(city.timezone)
    nights, day_starts = [], []
    for day in dates:
        end_day = day + timedelta(days=1) if night_end is not None and night_end <= night_start else day
        start = minute(local_instant(day, night_start, zone))
        end = minute(local_instant(end_day, night_end, zone))
        if end > start:
            nights.append((start, end))
        day_starts.append(minute(local_instant(day, night_end, zone)))
    midnights = tuple(minute(local_instant(day, time(0), zone)) for day in dates)
    return LocationCalendar(nights=tuple(nights), day_starts=tuple(day_starts), midnights=midnights)
