"""The trip request file as protocol staff write it (YAML), validated by pydantic.

Local times are written as 'YYYY-MM-DD HH:MM' and are interpreted in the zone of the city
they belong to once that city is resolved (see tripplanner/trip.py).
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Discriminator, Field, Tag, model_validator

from tripplanner.models.catalog import Stage

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def _local_datetime(text: str) -> str:
    try:
        datetime.strptime(text, "%Y-%m-%d %H:%M")
    except ValueError:
        raise ValueError(f"{text!r} is not a local time 'YYYY-MM-DD HH:MM' (no zone: the city's zone applies)") from None
    return text


def _local_date(text: str) -> str:
    try:
        date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a date 'YYYY-MM-DD'") from None
    return text


_HOURS = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-4]):([0-5]\d)$")


def _hours(text: str) -> str:
    if not _HOURS.match(text):
        raise ValueError(f"{text!r} is not a span 'HH:MM-HH:MM'")
    return text


_CLOCK = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


def _clock(text: str) -> str:
    if not _CLOCK.match(text):
        raise ValueError(f"{text!r} is not a local time of day 'HH:MM'")
    return text


LocalDateTime = Annotated[str, AfterValidator(_local_datetime)]
ClockTime = Annotated[str, AfterValidator(_clock)]
LocalDate = Annotated[str, AfterValidator(_local_date)]
HourSpan = Annotated[str, AfterValidator(_hours)]
Hours = Annotated[float, Field(gt=0, le=72)]


def parse_span(span: str) -> tuple[time, time] | tuple[time, None]:
    """'09:00-18:00' -> (09:00, 18:00); an end of 24:00 comes back as None (midnight)."""
    start, end = span.split("-")
    end_time = None if end == "24:00" else time.fromisoformat(end)
    return time.fromisoformat(start), end_time


def in_span(clock: time, start: time, end: time | None) -> bool:
    """Whether a wall clock falls in a span of parse_span's form, which may run past midnight (the night)."""
    if end is None:
        return clock >= start
    if start < end:
        return start <= clock < end
    return clock >= start or clock < end


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Window(_Input):
    """When the delegation may be away, in the home city's local time."""

    earliest_departure: LocalDateTime
    latest_return: LocalDateTime
    max_days: Annotated[int, Field(ge=1, le=60)]

    @model_validator(mode="after")
    def _ordered(self) -> Window:
        if self.latest_return <= self.earliest_departure:
            raise ValueError("latest_return must be after earliest_departure")
        return self


class Anchor(_Input):
    """An invitation event: fixed in city and local time."""

    name: Annotated[str, Field(min_length=1, max_length=200)]
    city: Annotated[str, Field(min_length=1)]
    venue: str = ""
    start: LocalDateTime
    end: LocalDateTime
    role: str = "attendee"
    mandatory: bool = True
    value: Annotated[float, Field(ge=0, le=1000)] = 10.0
    """Worth of attending an optional anchor (mandatory anchors are simply required)."""

    @model_validator(mode="after")
    def _ordered(self) -> Anchor:
        if self.end <= self.start:
            raise ValueError(f"anchor {self.name!r} ends ({self.end}) before it starts ({self.start})")
        return self


class InlineProject(_Input):
    """A project written directly in the request instead of taken from the catalog."""

    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")] | None = None
    """As in the catalog; without it the project is named after its city and place ('vienna-1')."""
    title: Annotated[str, Field(min_length=1)]
    themes: Annotated[list[str], Field(min_length=1)]
    relevance: Annotated[float, Field(ge=0, le=1)] = 1.0
    stage: Stage = Stage.SHARE
    visit_min: Annotated[int, Field(gt=0, le=720)] = 120
    counterpart: str = ""
    source: str = "request"
    """Where the project is documented, as in the catalog."""
    year: int | str | None = None


class Availability(_Input):
    """When a candidate can receive the delegation; unset fields take the trip's limits."""

    office_hours: HourSpan | None = None
    weekdays: list[Weekday] | None = None
    dates: list[LocalDate] | None = None
    """If given, the only dates the candidate is available."""
    blackout_dates: list[LocalDate] = []


PROJECT_TAGS = ("project_id", "inline_project")
"""Union tags pydantic puts in error locations; they are not field names and are left out of paths."""

ProjectEntry = Annotated[
    Annotated[str, Tag("project_id")] | Annotated[InlineProject, Tag("inline_project")],
    Discriminator(lambda value: "project_id" if isinstance(value, str) else "inline_project"),
]


class ListedCandidate(_Input):
    """A target city with its projects (catalog ids and/or inline projects)."""

    city: Annotated[str, Field(min_length=1)]
    projects: Annotated[list[ProjectEntry], Field(min_length=1)]
    availability: Availability = Availability()


class CatalogQuery(_Input):
    """Draw candidates from config/projects.yaml: projects on these themes near any anchor."""

    within_km: Annotated[float, Field(gt=0, le=20000)] = 1000.0
    themes: list[str] | None = None
    """Default: every theme with a weight in this request."""
    exclude_projects: list[str] = []


class Candidates(_Input):
    from_catalog: CatalogQuery | None = None
    listed: list[ListedCandidate] = []


Pace = Literal["relaxed", "normal", "intensive"]

PACE_PRESETS: dict[str, dict[str, int | str | None]] = {
    "relaxed": {"arrival_buffer_min": 60, "departure_buffer_min": 60, "earliest_start": "08:00", "max_cities": 3,
                "max_hotel_changes": 2},
    "normal": {"arrival_buffer_min": 45, "departure_buffer_min": 30, "earliest_start": None, "max_cities": None,
               "max_hotel_changes": None},
    "intensive": {"arrival_buffer_min": 30, "departure_buffer_min": 15, "earliest_start": "05:00", "max_cities": None,
                  "max_hotel_changes": None},
}
"""What `limits.pace` sets for the pace limits the request leaves out. An earliest start of None
keeps the end of the night (06:00 by default); the cost of travel, not a cap, keeps `normal` trips
to the cities worth their journeys (README: calibration)."""


class Limits(_Input):
    """The trip's limits; defaults are the protocol office's usual ones."""

    pace: Pace = "normal"
    """Sets the pace limits below that the request leaves out (PACE_PRESETS)."""
    arrival_buffer_min: Annotated[int, Field(ge=0, le=240)] | None = None
    """Between arriving from another city and the first visit there: check in, change, be briefed."""
    departure_buffer_min: Annotated[int, Field(ge=0, le=240)] | None = None
    """Between the end of an anchor and the leg that leaves its city."""
    earliest_start: ClockTime | None = None
    """No leg that is not long-haul departs before this local time (replaces the end of `night`)."""
    max_cities: Annotated[int, Field(ge=1, le=60)] | None = None
    """Distinct cities visited, home not counted (anchor cities included)."""
    max_hotel_changes: Annotated[int, Field(ge=0, le=60)] | None = None
    """Nights in another city than the night before (nights in transit and at home not counted)."""
    split_stays: bool = False
    """Allow a city on two separate stays without an anchor or a booked night in each."""
    overnight_legs: bool = False
    """Allow a leg that is not long-haul to travel through the night of the city it leaves (a
    red-eye: out at 22:40, in at 06:00, no night's sleep either side)."""

    office_hours: HourSpan = "09:00-18:00"
    weekdays: Annotated[list[Weekday], Field(min_length=1)] = ["mon", "tue", "wed", "thu", "fri"]
    blackout_dates: list[LocalDate] = []
    max_visits_per_day: Annotated[int, Field(ge=1, le=20)] = 3
    max_travel_hours_per_day: Hours = 6.0
    """Travel on legs shorter than the long-haul threshold, per trip day."""
    max_leg_hours: Hours = 18.0
    night: HourSpan = "23:00-06:00"
    """No short leg departs or arrives in these local hours; long-haul legs may."""
    anchor_buffer_hours: Annotated[float, Field(ge=0, le=48)] = 2.0
    long_haul_rest_hours: Annotated[float, Field(ge=0, le=48)] = 8.0
    """Rest after a long-haul arrival before any official engagement."""
    min_night_rest_hours: Annotated[float, Field(ge=0, le=24)] = 8.0
    """Between the last activity of a day and the first of the next."""

    def _paced(self, name: str):
        given = getattr(self, name)
        return PACE_PRESETS[self.pace][name] if given is None else given

    @property
    def arrival_buffer(self) -> int:
        return self._paced("arrival_buffer_min")

    @property
    def departure_buffer(self) -> int:
        return self._paced("departure_buffer_min")

    @property
    def city_limit(self) -> int | None:
        return self._paced("max_cities")

    @property
    def hotel_change_limit(self) -> int | None:
        return self._paced("max_hotel_changes")

    def night_span(self) -> tuple[time, time | None]:
        """The night as parse_span gives it, its end moved to the earliest start when the pace sets one."""
        start, end = parse_span(self.night)
        earliest = self._paced("earliest_start")
        return (start, time.fromisoformat(earliest)) if earliest else (start, end)


class BookedNights(_Input):
    """Hotel nights already booked: the delegation sleeps in this city every night from
    check_in to the night before check_out, and may make day trips in between."""

    city: Annotated[str, Field(min_length=1)]
    check_in: LocalDate
    check_out: LocalDate

    @model_validator(mode="after")
    def _ordered(self) -> BookedNights:
        if self.check_out <= self.check_in:
            raise ValueError(f"check_out ({self.check_out}) must be after check_in ({self.check_in})")
        return self


class Pins(_Input):
    must_visit: list[str] = []
    avoid: list[str] = []
    nights: list[BookedNights] = []


TRAVEL_COST_PER_HOUR = 0.6
"""The default cost of an hour of travel, in value points (calibrated on the historical examples: README)."""


class Scoring(_Input):
    """How candidates are valued: theme weight x relevance x stage factor, plus a relationship bonus."""

    repeat_factor: Annotated[float, Field(ge=0, le=1)] = 1.0
    """Second and later projects on one theme count at this fraction."""
    stage_factors: dict[Stage, Annotated[float, Field(ge=0, le=10)]] = {
        Stage.SHARE: 0.8, Stage.CONSULT: 1.0, Stage.PLAN: 1.2, Stage.FEASIBILITY: 1.3, Stage.IMPLEMENT: 1.5,
    }
    sister_bonus: Annotated[float, Field(ge=0, le=100)] = 1.0
    friendship_bonus: Annotated[float, Field(ge=0, le=100)] = 0.5
    travel_cost_per_hour: Annotated[float, Field(ge=0, le=100)] = TRAVEL_COST_PER_HOUR
    """Value points an hour of the mayor's travel costs: a city is added only when it is worth the journey."""


MAX_ANCHORS = 100
"""More invitations than a trip of 60 days could hold; a thousand would only take seconds to check pair by pair."""


class TripRequest(_Input):
    """A whole trip request file."""

    name: Annotated[str, Field(min_length=1, max_length=200)]
    home: Annotated[str, Field(min_length=1)]
    window: Window
    themes: Annotated[dict[str, Annotated[float, Field(ge=0, le=100)]], Field(min_length=1)]
    anchors: Annotated[list[Anchor], Field(max_length=MAX_ANCHORS)] = []
    candidates: Candidates = Candidates()
    limits: Limits = Limits()
    pins: Pins = Pins()
    scoring: Scoring = Scoring()

    @model_validator(mode="after")
    def _unique_anchor_names(self) -> TripRequest:
        names = [a.name for a in self.anchors]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise ValueError(f"duplicate anchor names: {', '.join(duplicates)}")
        return self


def field_names() -> set[str]:
    """Every field name a request may use, for 'did you mean' hints."""
    names: set[str] = set()
    for model in (Window, Anchor, InlineProject, Availability, ListedCandidate, CatalogQuery,
                  Candidates, Limits, BookedNights, Pins, Scoring, TripRequest):
        names |= set(model.model_fields)
    return names


def allowed_fields(location: tuple) -> list[str]:
    """The fields the request allows where a pydantic error location points (the last part, the
    field itself, left out): ('anchors', 0, 'venu') -> Anchor's fields, in the order they are declared."""
    model: type[BaseModel] = TripRequest
    for part in location[:-1]:
        if part == "inline_project":
            model = InlineProject
            continue
        if part not in model.model_fields:  # a list index or another union tag
            continue
        nested = _models_in(model.model_fields[part].annotation)
        if not nested:
            return []
        model = nested[0]
    return list(model.model_fields)


def _models_in(annotation) -> list[type[BaseModel]]:
    """The request models an annotation holds (list[Anchor] -> [Anchor], Availability | None -> [Availability])."""
    import typing

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [model for argument in typing.get_args(annotation) for model in _models_in(argument)]
