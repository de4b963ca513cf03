"""What the CLI and tests call: one function per job, no printing, no exiting."""

from __future__ import annotations

from pathlib import Path

from tripplanner.catalogs.bundle import Catalogs, load_catalogs
from tripplanner.checks import Validation, check_trip
from tripplanner.errors import RequestError
from tripplanner.travel.model import Leg
from tripplanner.trip import Trip, parse_request, read_request, resolve_trip


def load_trip(path: Path, config: Path | None = None) -> Trip:
    """Read, validate and resolve a request file (RequestError on any problem in it)."""
    request, source = read_request(path)
    return resolve_trip(request, source, load_catalogs(config))


def load_trip_text(text: str, catalogs: Catalogs | None = None, name: str = "request") -> Trip:
    request, source = parse_request(text, name)
    return resolve_trip(request, source, catalogs or load_catalogs())


def validate_trip(path: Path, config: Path | None = None) -> Validation:
    """Load a request and run every check that needs no solver."""
    trip = load_trip(path, config)
    return Validation(trip, check_trip(trip))


def require_valid(trip: Trip) -> Trip:
    problems = check_trip(trip)
    if problems:
        raise RequestError("the request cannot be met as written", problems, source=trip.source.name if trip.source else "")
    return trip


def travel_between(origin: str, destination: str, config: Path | None = None) -> Leg:
    catalogs = load_catalogs(config)
    return catalogs.travel.leg(catalogs.gazetteer.resolve(origin), catalogs.gazetteer.resolve(destination))
