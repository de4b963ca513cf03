"""Catalog entries: cities, airports, policy projects, relationships of the home city."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field


class Stage(StrEnum):
    """How far a policy-sharing project has come (share -> consult -> plan -> feasibility -> implement)."""

    SHARE = "share"
    CONSULT = "consult"
    PLAN = "plan"
    FEASIBILITY = "feasibility"
    IMPLEMENT = "implement"


class City(BaseModel):
    """A real city from the offline gazetteer."""

    model_config = ConfigDict(frozen=True)

    geoname_id: int
    name: str
    country: str
    latitude: float
    longitude: float
    timezone: str
    population: int

    @property
    def label(self) -> str:
        return f"{self.name}, {self.country}"


class Airport(BaseModel):
    """A commercial airport from the offline airport database."""

    model_config = ConfigDict(frozen=True)

    iata: str
    name: str
    latitude: float
    longitude: float
    timezone: str
    distance_km: float
    """Geodesic distance from the city it serves."""


class Project(BaseModel):
    """A policy-sharing project of the home city in a target city (config/projects.yaml)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")]
    city: str
    title: str
    themes: Annotated[list[str], Field(min_length=1)]
    relevance: Annotated[float, Field(ge=0, le=1)]
    stage: Stage
    visit_min: Annotated[int, Field(gt=0, le=720)]
    counterpart: str
    source: str
    """Where the project is documented: a URL a reader can open (the default catalog requires one)."""
    year: int | str | None = None
    """The year or period the source refers to: 2018, "2012-2016", "c.2016", "by 2015"."""
    illustrative: bool = False


class Relation(BaseModel):
    """A sister or friendship agreement of the home city."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    city: str
    kind: Literal["sister", "friendship"]
    since: int | None = None
    source: str = ""
    """Where the agreement is documented."""
