"""Travel constants from config/travel.toml (every number the travel model uses)."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from tripplanner.errors import CatalogError, Problem

Positive = Annotated[float, Field(gt=0)]
Minutes = Annotated[int, Field(ge=0, le=24 * 60)]


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ModeThresholds(_Section):
    road_max_km: Positive
    rail_max_km: Positive


class GroundMode(_Section):
    speed_kmh: Positive
    detour_factor: Annotated[float, Field(ge=1)]
    overhead_min: Minutes
    co2_g_per_pkm: Annotated[float, Field(ge=0)]


class AirMode(_Section):
    cruise_speed_kmh: Positive
    taxi_climb_min: Minutes
    check_in_min: Minutes
    arrival_min: Minutes
    ground_speed_kmh: Positive
    ground_overhead_min: Minutes
    co2_g_per_pkm: Annotated[float, Field(ge=0)]
    airport_search_km: Positive
    prefer_international: bool


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


class Corridor(_Section):
    from_: str = Field(alias="from")
    to: str


class MainAirport(_Section):
    city: str
    iata: Annotated[str, Field(pattern=r"^[A-Z]{3}$")]


class TravelSettings(_Section):
    """The whole travel.toml."""

    mode: ModeThresholds
    road: GroundMode
    rail: GroundMode
    air: AirMode
    in_city: InCity
    long_haul: LongHaul
    override: list[Override] = []
    rail_corridor: list[Corridor] = []
    main_airport: list[MainAirport] = []


def parse_travel_settings(text: str, name: str = "travel.toml") -> TravelSettings:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CatalogError("malformed TOML", [Problem(str(exc))], source=name) from None
    try:
        return TravelSettings.model_validate(data)
    except ValidationError as exc:
        problems = [Problem(e["msg"], path=".".join(str(p) for p in e["loc"])) for e in exc.errors(include_url=False)]
        raise CatalogError("invalid travel settings", problems, source=name) from None


def read_travel_settings(path: Path) -> TravelSettings:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CatalogError(f"cannot read travel settings: {exc}", source=str(path)) from None
    return parse_travel_settings(text, str(path))
