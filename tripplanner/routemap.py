"""An Itinerary as what a map shows: the places (home, anchors, visits, hubs) and the legs' tracks.

The itinerary names cities ("Paris, FR") and airports ("CDG"); the caller passes the two lookups
that turn them into coordinates (the gazetteer and airportsdata, see api.route_map), so this module
reads no file. Each flight, train and drive of a leg is one track along the great circle; the
ground transfers between a city and its airport are tracks too, drawn faintly.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from tripplanner.models.itinerary import AnchorEvent, Itinerary, LegEvent, SegmentEvent, VisitEvent

Position = tuple[float, float]
"""(latitude, longitude) in degrees."""
ARC_STEP_KM = 150
"""Great-circle arcs get a point every 150 km: under a pixel off the true curve at any map size here."""
EARTH_RADIUS_KM = 6371.0
MOVING = ("air", "rail", "road")
"""The segment modes drawn as a leg's track; transfers are drawn faintly, waits not at all."""


@dataclass(frozen=True)
class Place:
    label: str
    """'Paris, FR', or an airport's IATA code for a hub."""
    name: str
    """What the map writes beside the mark: 'Paris', 'DXB'."""
    role: Literal["home", "anchor", "visit", "hub"]
    position: Position


@dataclass(frozen=True)
class Track:
    """One flight, train, drive or airport transfer of a leg, along the great circle."""

    leg: int
    """The leg's number in the trip, from 1 (in-city moves are not numbered)."""
    mode: Literal["air", "rail", "road", "transfer"]
    origin: str
    destination: str
    """The segment's ends: airport codes for flights, place names otherwise."""
    leg_origin: str
    leg_destination: str
    """The cities the leg joins ('Seoul, KR'): the map names them where a track leaves its edge."""
    points: tuple[Position, ...]
    """Longitudes continuous along the track (a Pacific crossing runs past 180, never jumps)."""


@dataclass(frozen=True)
class RouteMap:
    title: str
    places: tuple[Place, ...]
    tracks: tuple[Track, ...]

    def cities(self) -> tuple[Place, ...]:
        return tuple(p for p in self.places if p.role != "hub")


def great_circle(start: Position, end: Position, step_km: float = ARC_STEP_KM) -> tuple[Position, ...]:
    """Points along the shorter great circle from start to end, both included, longitudes unwrapped."""
    (lat1, lon1), (lat2, lon2) = (tuple(map(math.radians, p)) for p in (start, end))
    a = (math.cos(lat1) * math.cos(lon1), math.cos(lat1) * math.sin(lon1), math.sin(lat1))
    b = (math.cos(lat2) * math.cos(lon2), math.cos(lat2) * math.sin(lon2), math.sin(lat2))
    angle = math.acos(max(-1.0, min(1.0, sum(x * y for x, y in zip(a, b)))))
    steps = max(1, math.ceil(angle * EARTH_RADIUS_KM / step_km))
    points: list[Position] = []
    for k in range(steps + 1):
        t = k / steps
        if angle < 1e-9:
            v = a
        else:
            wa, wb = math.sin((1 - t) * angle) / math.sin(angle), math.sin(t * angle) / math.sin(angle)
            v = tuple(wa * x + wb * y for x, y in zip(a, b))
        latitude = math.degrees(math.atan2(v[2], math.hypot(v[0], v[1])))
        longitude = math.degrees(math.atan2(v[1], v[0]))
        if points:
            longitude += 360 * round((points[-1][1] - longitude) / 360)
        points.append((latitude, longitude))
    return tuple(points)


def build_route_map(itinerary: Itinerary, locate_city: Callable[[str], Position],
                    locate_airport: Callable[[str], Position | None]) -> RouteMap:
    """The map of a trip. locate_city takes 'Paris, FR'; locate_airport an IATA code (None if unknown)."""
    roles: dict[str, str] = {itinerary.home: "home"}
    for event in itinerary.events():
        if isinstance(event, AnchorEvent) and roles.get(event.city) != "home":
            roles[event.city] = "anchor"
        elif isinstance(event, VisitEvent):
            roles.setdefault(event.city, "visit")
    places = {label: Place(label, label.split(",")[0].strip(), role, locate_city(label)) for label, role in roles.items()}
    tracks: list[Track] = []
    hubs: dict[str, Place] = {}
    legs = [e for e in itinerary.events() if isinstance(e, LegEvent) and e.mode != "in_city"]
    for number, leg in enumerate(legs, start=1):
        ends = {_short(leg.origin): locate_city(leg.origin), _short(leg.destination): locate_city(leg.destination)}
        flown = [s for s in leg.segments if s.mode == "air"]
        for segment in leg.segments:
            if segment.mode not in MOVING and segment.mode != "transfer":
                continue
            start = _where(segment.origin, ends, locate_airport)
            end = _where(segment.destination, ends, locate_airport)
            if start is None or end is None or (segment.mode == "transfer" and start == end):
                continue
            tracks.append(Track(number, segment.mode, segment.origin, segment.destination, leg.origin, leg.destination,
                                great_circle(start, end)))
        for segment in flown[1:]:
            position = locate_airport(segment.origin)
            if position is not None:
                hubs.setdefault(segment.origin, Place(segment.origin, segment.origin, "hub", position))
    return RouteMap(itinerary.name, tuple(places.values()) + tuple(hubs.values()), tuple(tracks))


def _short(label: str) -> str:
    return label.split(",")[0].strip()


def _where(name: str, ends: dict[str, Position], locate_airport: Callable[[str], Position | None]) -> Position | None:
    """A segment's end: an airport by its code, else the leg's city it names ('Madrid', 'Madrid station')."""
    if len(name) == 3 and name.isalpha() and name.isupper():
        found = locate_airport(name)
        if found is not None:
            return found
    return ends.get(name.removesuffix(" station").strip())


def moving_segments(itinerary: Itinerary) -> list[SegmentEvent]:
    """The flights, trains and drives of the trip's legs between cities: one track each on the map."""
    return [s for e in itinerary.events() if isinstance(e, LegEvent) and e.mode != "in_city"
            for s in e.segments if s.mode in MOVING]
