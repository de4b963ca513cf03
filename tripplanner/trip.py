"""A request resolved against the catalogs: real cities, zone-aware times, valued projects.

This is the single place where names in the request become cities and local times become
instants. Everything after it (checks, the solver build, verify) works on a ``Trip``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from pydantic import ValidationError

from tripplanner.config import Catalogs
from tripplanner.catalogs.cities import fold
from tripplanner.errors import MAX_LISTED_PROBLEMS, CatalogError, Problem, RequestError
from tripplanner.models.catalog import City, Project
from tripplanner.models.request import (
    WEEKDAYS, InlineProject, Limits, ListedCandidate, Scoring, TripRequest, allowed_fields, field_names, parse_span,
)
from tripplanner.overrides import Override, apply_overrides, describe_overrides
from tripplanner.travel.model import city_distance_km
from tripplanner.yamlsource import YamlSource, YamlSyntaxError, parse_yaml, problems_from_validation, read_text


@dataclass(frozen=True)
class TripAnchor:
    index: int
    name: str
    city: City
    venue: str
    start: datetime
    end: datetime
    role: str
    mandatory: bool
    value: float


@dataclass(frozen=True)
class TripProject:
    """One project to visit at a candidate city, valued for this trip."""

    id: str
    title: str
    themes: tuple[str, ...]
    scoring_theme: str
    """The project's highest-weighted theme in this request; it counts under that theme."""
    value: float
    """theme weight x relevance x stage factor."""
    visit_min: int
    counterpart: str
    stage: str
    illustrative: bool
    source: str
    year: str
    """The year or period the source refers to, '' when not given."""


@dataclass(frozen=True)
class OfficeCalendar:
    """When a candidate receives visitors, in its local time."""

    office_hours: tuple[time, time | None]
    weekdays: frozenset[int]
    """0 = Monday."""
    dates: frozenset[date] | None
    blackout_dates: frozenset[date]

    def is_open_on(self, day: date) -> bool:
        if day in self.blackout_dates:
            return False
        if self.dates is not None:
            return day in self.dates
        return day.weekday() in self.weekdays


@dataclass(frozen=True)
class TripCandidate:
    city: City
    projects: tuple[TripProject, ...]
    calendar: OfficeCalendar
    relation: str
    """'sister', 'friendship' or 'none'."""
    relation_bonus: float


@dataclass(frozen=True)
class TripNight:
    """A booked night: the delegation sleeps in city on the night that begins on date (local)."""

    city: City
    date: date
    booking: int
    """Index of the booking in pins.nights."""


@dataclass(frozen=True)
class Trip:
    name: str
    home: City
    earliest_departure: datetime
    latest_return: datetime
    max_days: int
    themes: dict[str, float]
    anchors: tuple[TripAnchor, ...]
    candidates: tuple[TripCandidate, ...]
    limits: Limits
    scoring: Scoring
    must_visit: tuple[City, ...]
    avoid: tuple[City, ...]
    catalogs: Catalogs
    source: YamlSource | None = None
    booked_nights: tuple[TripNight, ...] = ()
    notes: tuple[Problem, ...] = ()
    """What the request left to the planner and how it was taken (a city name without its country)."""

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.home.timezone)

    def bookings(self) -> dict[int, tuple[TripNight, ...]]:
        """Booked nights by their booking (index in pins.nights), in date order."""
        out: dict[int, tuple[TripNight, ...]] = {}
        for night in self.booked_nights:
            out[night.booking] = (*out.get(night.booking, ()), night)
        return dict(sorted(out.items()))


@dataclass(frozen=True)
class Validation:
    """A resolved trip and the conflicts found in it before solving."""

    trip: Trip
    problems: list[Problem]
    warnings: list[Problem] = field(default_factory=list)
    """Allowed but probably a mistake (an anchor in the local night)."""

    @property
    def ok(self) -> bool:
        return not self.problems


FIRST_YEAR, LAST_YEAR = 1900, 2200
"""The years a trip's times may fall in: wide of any real trip, and far from the ends of Python's
datetime (years 1 and 9999), where converting between zones or adding a day overflows."""


def localize(text: str, city: City) -> datetime:
    """A 'YYYY-MM-DD HH:MM' wall time in the city's zone; ValueError if the clock skips it.

    A wall time that occurs twice (clocks going back) is taken at its first occurrence.
    """
    naive = datetime.strptime(text, "%Y-%m-%d %H:%M")
    if not FIRST_YEAR <= naive.year <= LAST_YEAR:
        raise ValueError(f"{text} is not in the years {FIRST_YEAR}-{LAST_YEAR}")
    zone = ZoneInfo(city.timezone)
    aware = naive.replace(tzinfo=zone)
    round_trip = aware.astimezone(ZoneInfo("UTC")).astimezone(zone).replace(tzinfo=None)
    if round_trip != naive:
        raise ValueError(f"{text} does not exist in {city.timezone} (clocks skip it for daylight saving)")
    return aware


def parse_request(text: str, name: str = "request", overrides: Sequence[Override] = ()) -> tuple[TripRequest, YamlSource]:
    """A request from YAML text, with any what-if overrides set before it is validated (tripplanner/overrides.py)."""
    try:
        source = parse_yaml(text, name)
    except YamlSyntaxError as exc:
        raise RequestError("cannot read trip request", [exc.problem], source=name) from None
    if not isinstance(source.data, dict):
        raise RequestError("a trip request must be a YAML mapping (home:, window:, themes:, ...)", source=name)
    source = apply_overrides(source, overrides)
    try:
        return TripRequest.model_validate(source.data), source
    except ValidationError as exc:
        problems = _with_allowed_fields(problems_from_validation(exc, source, field_names()), exc)
        raise RequestError("invalid trip request", source.attributed(problems), source=name) from None


def _with_allowed_fields(problems: list[Problem], exc: ValidationError) -> list[Problem]:
    """An unknown field's problem lists the fields allowed at its place, and suggests the closest of them."""
    import difflib

    errors = exc.errors(include_url=False)
    if len(errors) != len(problems):  # one problem per error, in order: anything else is left as it is
        return problems
    out = []
    for problem, error in zip(problems, errors):
        allowed = allowed_fields(error["loc"]) if error["type"] == "extra_forbidden" else []
        if allowed:
            close = difflib.get_close_matches(str(error["loc"][-1]), allowed, n=1, cutoff=0.6)
            hint = (f"did you mean {close[0]!r}? " if close else "") + "allowed here: " + ", ".join(allowed)
            problem = dataclasses.replace(problem, hint=hint)
        out.append(problem)
    return out


def read_request(path: Path, overrides: Sequence[Override] = ()) -> tuple[TripRequest, YamlSource]:
    return parse_request(read_request_text(path), str(path), overrides)


def read_request_text(path: Path) -> str:
    """The text of a request file; RequestError when it cannot be read as one."""
    try:
        return read_text(path)
    except YamlSyntaxError as exc:
        raise RequestError("cannot read trip request", [exc.problem], source=str(path)) from None


class _Resolver:
    """Collects every problem instead of stopping at the first."""

    def __init__(self, request: TripRequest, source: YamlSource, catalogs: Catalogs):
        self.request, self.source, self.catalogs = request, source, catalogs
        self.problems: list[Problem] = []
        self.notes: list[Problem] = []

    def problem(self, message: str, path: str, hint: str = "") -> None:
        self.problems.append(Problem(message, path, self.source.line_of(path), hint))

    def city(self, ref: str, path: str) -> City | None:
        if len(self.problems) >= MAX_LISTED_PROBLEMS - 1:  # the request fails already: more lookups only delay it
            if not self.problems[-1].message.startswith("cities after this one are not checked"):
                self.problems.append(Problem(f"cities after this one are not checked: {len(self.problems)} problems "
                                             "found already", path, self.source.line_of(path)))
            return None
        try:
            city, note = self.catalogs.gazetteer.resolve_with_note(ref)
        except CatalogError as exc:
            self.problem(exc.message, path)
            return None
        if note:
            self.notes.append(Problem(note, path, self.source.line_of(path)))
        return city

    def time(self, text: str, city: City | None, path: str) -> datetime | None:
        if city is None:
            return None
        try:
            return localize(text, city)
        except ValueError as exc:
            self.problem(str(exc), path)
            return None


def resolve_trip(request: TripRequest, source: YamlSource, catalogs: Catalogs) -> Trip:
    """Resolve cities, times, themes and candidates; RequestError listing every problem found."""
    r = _Resolver(request, source, catalogs)
    known_themes = set(catalogs.projects.themes)
    for theme in request.themes:
        if theme not in known_themes:
            hint = _closest(theme, known_themes) if len(r.problems) < MAX_LISTED_PROBLEMS else ""
            r.problem(f"unknown theme {theme!r}", f"themes.{theme}", hint)
    home = r.city(request.home, "home")
    departure = r.time(request.window.earliest_departure, home, "window.earliest_departure")
    latest_return = r.time(request.window.latest_return, home, "window.latest_return")
    anchors = []
    for i, anchor in enumerate(request.anchors):
        city = r.city(anchor.city, f"anchors[{i}].city")
        start = r.time(anchor.start, city, f"anchors[{i}].start")
        end = r.time(anchor.end, city, f"anchors[{i}].end")
        if city and start and end:
            anchors.append(TripAnchor(i, anchor.name, city, anchor.venue, start, end, anchor.role, anchor.mandatory, anchor.value))
    must_visit = tuple(c for i, ref in enumerate(request.pins.must_visit) if (c := r.city(ref, f"pins.must_visit[{i}]")))
    avoid = tuple(c for i, ref in enumerate(request.pins.avoid) if (c := r.city(ref, f"pins.avoid[{i}]")))
    candidates = _candidates(r, home, anchors, avoid, known_themes) if home else []
    nights = _booked_nights(r, departure, latest_return, avoid) if home else []
    if home is None or departure is None or latest_return is None or r.problems:
        raise RequestError("invalid trip request", source.attributed(r.problems), source=source.name)
    name = f"{request.name} (what-if: {describe_overrides(source)})" if source.overrides else request.name
    return Trip(
        name=name, home=home, earliest_departure=departure, latest_return=latest_return,
        max_days=request.window.max_days, themes=dict(request.themes), anchors=tuple(anchors),
        candidates=tuple(candidates), limits=request.limits, scoring=request.scoring,
        must_visit=must_visit, avoid=avoid, catalogs=catalogs, source=source, booked_nights=tuple(nights),
        notes=tuple(source.attributed(r.notes)),
    )


def _booked_nights(r: _Resolver, departure: datetime | None, latest_return: datetime | None,
                   avoid: tuple[City, ...]) -> list[TripNight]:
    """One TripNight per booked night, each inside the window and booked once."""
    nights: dict[date, TripNight] = {}
    avoided = {c.geoname_id for c in avoid}
    for i, booking in enumerate(r.request.pins.nights):
        path = f"pins.nights[{i}]"
        city = r.city(booking.city, f"{path}.city")
        if city is None or departure is None or latest_return is None:
            continue
        if city.geoname_id in avoided:
            r.problem(f"{city.label} is booked for nights but also listed in pins.avoid", f"{path}.city")
        check_in, check_out = date.fromisoformat(booking.check_in), date.fromisoformat(booking.check_out)
        first, last = departure.astimezone(ZoneInfo(city.timezone)).date(), latest_return.astimezone(ZoneInfo(city.timezone)).date()
        if check_in < first:
            r.problem(f"check-in {check_in} is before the trip can arrive ({first}, local)", f"{path}.check_in")
        if check_out > last:
            r.problem(f"check-out {check_out} is after the latest return ({last}, local)", f"{path}.check_out")
        night = check_in
        while night < check_out:
            if night in nights:
                r.problem(f"the night of {night} is already booked in {nights[night].city.label}", f"{path}.check_in")
            nights[night] = TripNight(city, night, i)
            night += timedelta(days=1)
    return sorted(nights.values(), key=lambda n: n.date)


def _closest(name: str, known: set[str], what: str = "themes") -> str:
    """'did you mean ...?' for a misspelt theme or project id, else the known names."""
    import difflib

    close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.5)
    return f"did you mean {close[0]!r}?" if close else f"known {what}: {', '.join(sorted(known))}"


def _value_project(project: Project | InlineProject, trip_themes: dict[str, float], scoring: Scoring) -> tuple[str, float]:
    weighted = [(trip_themes.get(t, 0.0), t) for t in project.themes]
    weight, theme = max(weighted)
    return theme, weight * project.relevance * scoring.stage_factors.get(project.stage, 1.0)


def _trip_project(project: Project | InlineProject, ident: str, request: TripRequest) -> TripProject:
    theme, value = _value_project(project, request.themes, request.scoring)
    return TripProject(
        id=ident, title=project.title, themes=tuple(project.themes), scoring_theme=theme, value=round(value, 4),
        visit_min=project.visit_min, counterpart=project.counterpart, stage=str(project.stage),
        illustrative=getattr(project, "illustrative", False), source=project.source,
        year="" if project.year is None else str(project.year),
    )


def _check_inline_id(r: _Resolver, ident: str, city: City, path: str, seen: set[str]) -> None:
    """An inline project's own id names one project: a catalog project of the same city (which the inline
    entry then replaces) or none, and no other inline project."""
    catalog_city = r.catalogs.projects.cities.get(ident)
    if catalog_city is not None and catalog_city.geoname_id != city.geoname_id:
        r.problem(f"project id {ident!r} is the catalog's project in {catalog_city.label}", path, "give this project another id")
    elif ident in seen:
        r.problem(f"project id {ident!r} is given to two inline projects", path, "give each project its own id")
    seen.add(ident)


def _calendar(limits: Limits, listed: ListedCandidate | None) -> OfficeCalendar:
    availability = listed.availability if listed else None
    hours = (availability and availability.office_hours) or limits.office_hours
    weekdays = (availability and availability.weekdays) or limits.weekdays
    dates = availability.dates if availability and availability.dates is not None else None
    blackout = set(limits.blackout_dates) | set(availability.blackout_dates if availability else ())
    return OfficeCalendar(
        office_hours=parse_span(hours),
        weekdays=frozenset(WEEKDAYS.index(d) for d in weekdays),
        dates=frozenset(date.fromisoformat(d) for d in dates) if dates is not None else None,
        blackout_dates=frozenset(date.fromisoformat(d) for d in blackout),
    )


def _candidates(r: _Resolver, home: City, anchors: list[TripAnchor], avoid: tuple[City, ...], known_themes: set[str]) -> list[TripCandidate]:
    request, catalogs = r.request, r.catalogs
    by_city: dict[int, tuple[City, dict[str, TripProject], ListedCandidate | None]] = {}
    catalog_projects = {p.id: p for p in catalogs.projects.projects}
    query = request.candidates.from_catalog
    if query is not None:
        themes = set(query.themes or [t for t, w in request.themes.items() if w > 0])
        for i, theme in enumerate(query.themes or []):
            if theme not in known_themes:
                r.problem(f"unknown theme {theme!r}", f"candidates.from_catalog.themes[{i}]", _closest(theme, known_themes))
        centres = [a.city for a in anchors] or [home]
        for project in catalogs.projects.projects:
            city = catalogs.projects.cities[project.id]
            if project.id in query.exclude_projects or not themes.intersection(project.themes):
                continue
            if min(city_distance_km(city, c) for c in centres) <= query.within_km:
                entry = by_city.setdefault(city.geoname_id, (city, {}, None))
                entry[1][project.id] = _trip_project(project, project.id, request)
    inline_ids: set[str] = set()
    for i, listed in enumerate(request.candidates.listed):
        city = r.city(listed.city, f"candidates.listed[{i}].city")
        if city is None:
            continue
        _, projects, _ = by_city.get(city.geoname_id, (city, {}, None))
        for j, item in enumerate(listed.projects):
            path = f"candidates.listed[{i}].projects[{j}]"
            if isinstance(item, str):
                if item not in catalog_projects:
                    r.problem(f"unknown project id {item!r}", path, _closest(item, set(catalog_projects), "ids"))
                    continue
                projects[item] = _trip_project(catalog_projects[item], item, request)
            else:
                for theme in item.themes:
                    if theme not in known_themes:
                        r.problem(f"unknown theme {theme!r}", path + ".themes", _closest(theme, known_themes))
                ident = item.id or f"{fold(city.name).replace(' ', '-')}-{j + 1}"
                if item.id:
                    _check_inline_id(r, item.id, city, path + ".id", inline_ids)
                projects[ident] = _trip_project(item, ident, request)
        by_city[city.geoname_id] = (city, projects, listed)
    avoided = {c.geoname_id for c in avoid}
    candidates = []
    for city, projects, listed in by_city.values():
        if city.geoname_id in avoided or city.geoname_id == home.geoname_id:
            continue
        valued = tuple(sorted((p for p in projects.values() if p.value > 0), key=lambda p: p.id))
        if not valued:
            continue
        relation = catalogs.relations.kind_of(city)
        bonus = {"sister": request.scoring.sister_bonus, "friendship": request.scoring.friendship_bonus}.get(relation, 0.0)
        candidates.append(TripCandidate(city, valued, _calendar(request.limits, listed), relation, bonus))
    return sorted(candidates, key=lambda c: (c.city.name, c.city.country))
