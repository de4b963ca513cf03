"""Travel constants from config/travel.toml (every number the travel model uses)."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from tripplanner.errors import CatalogError, Problem
from tripplanner.inputfile import UnreadableFile, read_capped

Positive = Annotated[float, Field(gt=0)]
Minutes = Annotated[int, Field(ge=0, le=24 * 60)]


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ModeChoice(_Section):
    rail_prefer_under_min: Minutes
    """Rail is taken when door to door it takes at most this long..."""
    rail_margin_min: Minutes
    """...and at most this much longer than the quickest option."""
    road_max_km: Positive
    """No road leg longer than this (geodesic): a delegation flies or takes the train."""


class RoadMode(_Section):
    detour_factor: Annotated[float, Field(ge=1)]
    overhead_min: Minutes
    co2_g_per_pkm: Annotated[float, Field(ge=0)]


class RailMode(_Section):
    station_transfer_min: Minutes
    """City centre to the station, or the station to the centre."""
    boarding_min: Minutes
    detour_factor: Annotated[float, Field(ge=1)]
    co2_g_per_pkm: Annotated[float, Field(ge=0)]


class AirMode(_Section):
    cruise_speed_kmh: Positive
    taxi_climb_min: Minutes
    check_in_min: Minutes
    connection_min: Minutes
    arrival_min: Minutes
    ground_speed_kmh: Positive
    ground_overhead_min: Minutes
    co2_g_per_pkm: Annotated[float, Field(ge=0)]
    airport_max_road_km: Positive
    """Every served airport within this road distance of a city is one of its airports."""


class InCity(_Section):
    transfer_min: Annotated[int, Field(ge=1, le=240)]
    distance_km: Annotated[float, Field(ge=0)]
    co2_g_per_pkm: Annotated[float, Field(ge=0)]


class LongHaul(_Section):
    min_duration_min: Annotated[int, Field(gt=0)]


class Override(_Section):
    from_: str = Field(alias="from")
    to: str
    mode: Literal["air", "rail", "road"]
    duration_min: Annotated[int, Field(gt=0)]
    note: str = ""


Iata = Annotated[str, Field(pattern=r"^[A-Z]{3}$")]


class AirRoute(_Section):
    """A nonstop route the network snapshot lacks (opened since) or still lists (closed since)."""

    between: tuple[Iata, Iata]
    note: str = ""


class TravelSettings(_Section):
    """The whole travel.toml."""

    choice: ModeChoice
    road: RoadMode
    rail: RailMode
    air: AirMode
    in_city: InCity
    long_haul: LongHaul
    override: list[Override] = []
    route_opened: list[AirRoute] = []
    route_closed: list[AirRoute] = []


class RailCorridor(_Section):
    between: tuple[str, str]
    minutes: Annotated[int, Field(gt=0, le=24 * 60)]
    """Fastest regular scheduled train, station to station."""
    km: Positive | None = None
    year: int
    operator: str = ""
    source: str


class AirportTrain(_Section):
    """A train from a city to an airport beyond road reach (Bonn to Frankfurt Airport by ICE)."""

    city: str
    airport: Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
    minutes: Annotated[int, Field(gt=0, le=6 * 60)]
    """City station to the airport's station, changes included."""
    year: int | str
    operator: str = ""
    source: str


class RailTable(_Section):
    """config/rail.toml: real corridors with their timetable durations and sources."""

    corridor: list[RailCorridor] = []
    airport_train: list[AirportTrain] = []


class RoadRegion(_Section):
    countries: list[Annotated[str, Field(pattern=r"^[A-Z]{2}$")]]
    speed_kmh: Positive
    reason: str
    source: str = ""


class RoadSample(_Section):
    between: tuple[str, str]
    minutes: Annotated[int, Field(gt=0)]
    km: Positive | None = None
    year: int | str | None = None
    source: str


class RoadTable(_Section):
    """config/road.toml: average speeds of an official car by region, with the samples behind them."""

    default_kmh: Positive
    region: list[RoadRegion] = []
    sample: list[RoadSample] = []

    def speed_kmh(self, country: str) -> float:
        return next((r.speed_kmh for r in self.region if country in r.countries), self.default_kmh)


def _parse(model: type[_Section], text: str, name: str, what: str):
    try:
        data = tomllib.loads(text)
    except (ValueError, RecursionError) as exc:  # TOMLDecodeError; an integer past int()'s 4,300 digits; deep nesting
        message = str(exc) if isinstance(exc, tomllib.TOMLDecodeError) else "a number too long or values nested too deep"
        raise CatalogError("malformed TOML", [Problem(message)], source=name) from None
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = [Problem(e["msg"], path=".".join(str(p) for p in e["loc"])) for e in exc.errors(include_url=False)]
        raise CatalogError(f"invalid {what}", problems, source=name) from None


MAX_FILE_BYTES = 2_000_000
"""The settings files are hand-written; anything larger is refused unread."""


def _read(path: Path, what: str) -> str:
    try:
        return read_capped(path, MAX_FILE_BYTES).decode("utf-8")
    except (UnreadableFile, UnicodeDecodeError) as exc:
        raise CatalogError(f"cannot read {what}: {exc}", source=str(path)) from None


def parse_travel_settings(text: str, name: str = "travel.toml") -> TravelSettings:
    return _parse(TravelSettings, text, name, "travel settings")


def read_travel_settings(path: Path) -> TravelSettings:
    return parse_travel_settings(_read(path, "travel settings"), str(path))


def read_rail_table(path: Path) -> RailTable:
    return _parse(RailTable, _read(path, "rail corridors"), str(path), "rail corridors")


def read_road_table(path: Path) -> RoadTable:
    return _parse(RoadTable, _read(path, "road speeds"), str(path), "road speeds")
