"""Door-to-door legs between real cities, from geodesic distance and the travel settings."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Literal

from geopy.distance import geodesic

from tripplanner.travel.airports import main_airport
from tripplanner.catalogs.cities import Gazetteer
from tripplanner.errors import CatalogError
from tripplanner.models.catalog import Airport, City
from tripplanner.travel.settings import GroundMode, TravelSettings

Mode = Literal["air", "rail", "road", "in_city"]


@dataclass(frozen=True)
class Leg:
    """Travel between two cities as the model estimates it."""

    origin: City
    destination: City
    mode: Mode
    distance_km: float
    """Geodesic distance between the city centres."""
    duration_min: int
    """Door to door, centre to centre."""
    co2_kg: float
    """Per passenger."""
    breakdown: tuple[tuple[str, int], ...] = ()
    """(step, minutes) pairs that add up to duration_min."""
    origin_airport: Airport | None = None
    destination_airport: Airport | None = None
    source: str = "model"
    """'model', or 'override: <note>' when config/travel.toml fixes the duration."""


def _reversed(leg: Leg) -> Leg:
    """The same leg the other way: the model is symmetric, so only names and transfer order change."""
    steps = leg.breakdown
    if leg.origin_airport and leg.destination_airport:
        start, end = leg.destination_airport.iata, leg.origin_airport.iata
        (_, to_minutes), check_in, (flight, flight_minutes), arrival, (_, from_minutes) = steps
        flight = flight.replace(f"{end}-{start}", f"{start}-{end}")
        steps = ((f"to {start}", from_minutes), check_in, (flight, flight_minutes), arrival, (f"from {end}", to_minutes))
    return replace(leg, origin=leg.destination, destination=leg.origin, breakdown=steps,
                   origin_airport=leg.destination_airport, destination_airport=leg.origin_airport)


def city_distance_km(a: City, b: City) -> float:
    return geodesic((a.latitude, a.longitude), (b.latitude, b.longitude)).km


@dataclass
class TravelModel:
    """Estimates legs; results are cached per city pair."""

    settings: TravelSettings
    gazetteer: Gazetteer
    _overrides: dict[tuple[int, int], tuple[str, int, str]] = field(default_factory=dict, init=False)
    _corridors: set[tuple[int, int]] = field(default_factory=set, init=False)
    _airports: dict[int, Airport] = field(default_factory=dict, init=False)
    _main_airports: dict[int, str] = field(default_factory=dict, init=False)
    _legs: dict[tuple[int, int], Leg] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        for entry in self.settings.override:
            a, b = self._pair(entry.from_, entry.to)
            self._overrides[(a, b)] = self._overrides[(b, a)] = (entry.mode, entry.duration_min, entry.note)
        for entry in self.settings.rail_corridor:
            a, b = self._pair(entry.from_, entry.to)
            self._corridors |= {(a, b), (b, a)}
        for entry in self.settings.main_airport:
            self._main_airports[self._pair(entry.city, entry.city)[0]] = entry.iata

    def _pair(self, a: str, b: str) -> tuple[int, int]:
        try:
            return self.gazetteer.resolve(a).geoname_id, self.gazetteer.resolve(b).geoname_id
        except CatalogError as exc:
            raise CatalogError(f"travel settings: {exc.message}") from None

    def airport(self, city: City) -> Airport:
        if city.geoname_id not in self._airports:
            air = self.settings.air
            self._airports[city.geoname_id] = main_airport(
                city, air.airport_search_km, air.prefer_international, self._main_airports.get(city.geoname_id))
        return self._airports[city.geoname_id]

    def leg(self, origin: City, destination: City) -> Leg:
        key = (origin.geoname_id, destination.geoname_id)
        if key not in self._legs:
            reverse = self._legs.get((destination.geoname_id, origin.geoname_id))
            self._legs[key] = _reversed(reverse) if reverse else self._estimate(origin, destination)
        return self._legs[key]

    def is_long_haul(self, leg: Leg) -> bool:
        return leg.duration_min >= self.settings.long_haul.min_duration_min

    def _estimate(self, origin: City, destination: City) -> Leg:
        key = (origin.geoname_id, destination.geoname_id)
        if origin.geoname_id == destination.geoname_id:
            stay = self.settings.in_city
            return Leg(origin, destination, "in_city", stay.distance_km, stay.transfer_min,
                       round(stay.distance_km * stay.co2_g_per_pkm / 1000, 1), (("in-city transfer", stay.transfer_min),))
        km = city_distance_km(origin, destination)
        if key in self._overrides:
            mode, minutes, note = self._overrides[key]
            co2 = self._co2_per_km(mode) * km * (1 if mode == "air" else self._ground(mode).detour_factor)
            return Leg(origin, destination, mode, round(km, 1), minutes, round(co2 / 1000, 1),
                       (("known door-to-door duration", minutes),), source=f"override: {note}")
        thresholds = self.settings.mode
        if km <= thresholds.road_max_km and key not in self._corridors:
            return self._ground_leg(origin, destination, km, "road")
        if key in self._corridors and km <= thresholds.rail_max_km:
            return self._ground_leg(origin, destination, km, "rail")
        return self._air_leg(origin, destination, km)

    def _ground(self, mode: str) -> GroundMode:
        return self.settings.rail if mode == "rail" else self.settings.road

    def _co2_per_km(self, mode: str) -> float:
        return self.settings.air.co2_g_per_pkm if mode == "air" else self._ground(mode).co2_g_per_pkm

    def _ground_leg(self, origin: City, destination: City, km: float, mode: Literal["rail", "road"]) -> Leg:
        ground = self._ground(mode)
        route_km = km * ground.detour_factor
        moving = round(route_km / ground.speed_kmh * 60)
        steps = (("transfers and boarding", ground.overhead_min), (f"{mode} {route_km:.0f} km", moving))
        return Leg(origin, destination, mode, round(km, 1), ground.overhead_min + moving,
                   round(route_km * ground.co2_g_per_pkm / 1000, 1), steps)

    def _air_leg(self, origin: City, destination: City, km: float) -> Leg:
        air = self.settings.air
        start, end = self.airport(origin), self.airport(destination)
        flight_km = geodesic((start.latitude, start.longitude), (end.latitude, end.longitude)).km

        def transfer(airport: Airport) -> int:
            return air.ground_overhead_min + round(airport.distance_km / air.ground_speed_kmh * 60)

        steps = (
            (f"to {start.iata}", transfer(start)),
            ("check-in and security", air.check_in_min),
            (f"flight {start.iata}-{end.iata} {flight_km:.0f} km", round(flight_km / air.cruise_speed_kmh * 60) + air.taxi_climb_min),
            ("arrival and immigration", air.arrival_min),
            (f"from {end.iata}", transfer(end)),
        )
        return Leg(origin, destination, "air", round(km, 1), sum(m for _, m in steps),
                   round(flight_km * air.co2_g_per_pkm / 1000, 1), steps, start, end)
