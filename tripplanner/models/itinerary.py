"""The itinerary: what a plan is, as rendered, written to JSON and verified."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, JsonValue

IN_TRANSIT = "in transit"
"""Day.sleep_city when the day's last leg arrives on a later date: a night on a plane or a train."""
EARLY_START_HOUR = 7
"""A day that starts before 07:00 local time means waking at five or six: the pace figures count it."""
SCHEMA_VERSION = "2.0"
"""2.0: legs carry their segments (flights, trains, transfers, waits) and the source of their route."""


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AnchorEvent(_Out):
    kind: Literal["anchor"] = "anchor"
    name: str
    city: str
    venue: str
    role: str
    mandatory: bool
    start: datetime
    end: datetime
    timezone: str


class VisitEvent(_Out):
    kind: Literal["visit"] = "visit"
    project_id: str
    title: str
    city: str
    counterpart: str
    themes: list[str]
    scoring_theme: str
    stage: str
    value: float
    """Before the theme repeat factor."""
    illustrative: bool
    start: datetime
    end: datetime
    timezone: str
    source: str = ""
    """Where the project is documented (a URL in the default catalog), for staff to check."""
    year: str = ""
    """The year or period the source refers to."""


class SegmentEvent(_Out):
    """One part of a leg: a flight, a train, a drive, a ground transfer or a wait, timed."""

    mode: Literal["air", "rail", "road", "transfer", "wait"]
    origin: str
    """IATA code for flights and at airports; a place name otherwise."""
    destination: str
    depart: datetime
    arrive: datetime
    origin_timezone: str
    destination_timezone: str
    minutes: int
    what: str = ""


class LegEvent(_Out):
    kind: Literal["leg"] = "leg"
    origin: str
    destination: str
    mode: Literal["air", "rail", "road", "in_city"]
    depart: datetime
    arrive: datetime
    origin_timezone: str
    destination_timezone: str
    duration_min: int
    distance_km: float
    co2_kg: float
    long_haul: bool
    via: str = ""
    """Airports flown through, e.g. 'ICN-CDG' or 'ICN-DXB-EZE'."""
    segments: list[SegmentEvent] = []
    source: str = ""
    """Where the route comes from: the airline network snapshot, a config entry, a rail corridor's
    source, the road model."""


Event = Annotated[Union[AnchorEvent, VisitEvent, LegEvent], Field(discriminator="kind")]


class Day(_Out):
    number: int
    date: date
    """Local date where the delegation is that day."""
    wake_city: str
    sleep_city: str
    """Where the day ends; 'in transit' for a night on a plane or a train (never a hotel night)."""
    night_booked: bool = False
    """The night is one the request booked (pins.nights)."""
    events: list[Event]


class Suggestion(_Out):
    """A change to the request that brings a left-out candidate into the plan, as `--set FIELD=VALUE`
    takes it: confirmed by planning the changed request with the plan's own settings."""

    field: str
    """The request field, in --set's path syntax: ``window.max_days``, ``pins.avoid``."""
    value: JsonValue
    """Its new value, as it would stand in the request file: ``10``, ``"2017-03-23 22:00"``, a list."""
    worth_change: float = 0.0
    """The changed plan's worth less this plan's, in value points (negative: it gives up worth)."""
    drops: list[str] = []
    """Cities of this plan that the changed plan gives up."""


class LeftOut(_Out):
    """Why a candidate project is not in the plan, and the smallest change that would let it in.

    'closed' and 'unreachable' are proven (no day it is open; no plan with it exists); 'lost' means a
    plan with it was found and is worth less; 'not_in_best_plan' means nothing more is known (no plan
    with it was found in the time, or it was not examined)."""

    project_id: str
    city: str
    reason: Literal["unreachable", "closed", "lost", "excluded", "not_in_best_plan"]
    detail: str
    value: float
    smallest_change: str = ""
    suggestion: Suggestion | None = None
    """smallest_change as a request field and its new value, for a tool to apply."""
    examined: bool = True
    """False when the time limit or a stop request ended the explanations before this candidate."""


class Totals(_Out):
    value: float
    travel_cost: float = 0.0
    """scoring.travel_cost_per_hour x hours of travel, in value points."""
    worth: float = 0.0
    """value - travel_cost: what the plan maximises."""
    value_by_theme: dict[str, float]
    cities: list[str]
    sister_cities: list[str]
    friendship_cities: list[str]
    travel_min: int
    distance_km: float
    co2_kg: float
    days: int
    """Home-local calendar days from departure to return."""
    nights_by_city: dict[str, int]
    longest_travel_day_min: int
    legs_by_mode: dict[str, int]
    hotel_changes: int = 0
    """Nights in a different city than the night before (nights in transit and at home left out)."""
    nights_in_transit: int = 0
    early_starts: int = 0
    """Days whose first item starts before EARLY_START_HOUR local time."""
    travel_min_per_day: float = 0.0
    """travel_min over the days away."""


class SolveReport(_Out):
    status: Literal["optimal", "feasible", "infeasible", "unknown", "interrupted"]
    objective_value: float
    """The plan's worth (value less the cost of travel), in value points."""
    best_bound_value: float | None
    gap_pct: float | None
    seconds: float
    found_by: str
    time_limit_s: float
    workers: int
    seed: int
    objective: str = "value"
    stopped_by: Literal["proof", "budget", "clock", "interrupt"] = "budget"
    """'clock' means the wall-clock safety limit ended the search: a re-run may differ."""
    value_proven: bool = False


class Itinerary(_Out):
    schema_version: str = SCHEMA_VERSION
    name: str
    home: str
    home_timezone: str
    request_file: str
    days: list[Day]
    totals: Totals
    solve: SolveReport
    left_out: list[LeftOut] = []

    def events(self) -> list[AnchorEvent | VisitEvent | LegEvent]:
        return [event for day in self.days for event in day.events]
