"""Door-to-door legs between real cities, as a delegation can book them.

For each pair of cities the model lays out the options it can: flights on the airline network
(nonstop where a route exists, else the quickest itinerary with at most two connections), the
train on a listed corridor, the road at the region's speed; the leg is the quickest option, or
the train when it is near enough (protocol offices prefer it under about 4 h). Every option is a
list of segments (ground transfers, waits, flights, trains, drives) that add up to its minutes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Literal

from geopy.distance import geodesic

from tripplanner.catalogs.cities import Gazetteer
from tripplanner.errors import CatalogError
from tripplanner.models.catalog import City
from tripplanner.travel.network import AirNetwork, NetworkAirport, load_network, quickest_journey
from tripplanner.travel.settings import AirportTrain, RailCorridor, RailTable, RoadTable, TravelSettings

Mode = Literal["air", "rail", "road", "in_city"]
SegmentMode = Literal["air", "rail", "road", "transfer", "wait"]

CHECK_IN = "check-in and security"
ARRIVAL = "arrival and immigration"
"""The two airport waits of a journey (once each, whatever its connections)."""
UNREACHABLE_MIN = 100 * 24 * 60
"""Minutes of a leg no option serves: longer than any limit, so no plan uses it."""


@dataclass(frozen=True)
class Segment:
    """One part of a leg: moving (air, rail, road), a ground transfer to or from an airport or
    station, or a wait (check-in and security, a connection, arrival formalities).

    origin and destination are IATA codes for flights and at airports, city names elsewhere."""

    mode: SegmentMode
    origin: str
    destination: str
    minutes: int
    what: str = ""
    """In words, for people: 'check-in and security', 'connection', 'ICE', ..."""


@dataclass(frozen=True)
class Leg:
    """Travel between two cities as the model lays it out."""

    origin: City
    destination: City
    mode: Mode
    distance_km: float
    """Geodesic distance between the city centres."""
    duration_min: int
    """Door to door, centre to centre: the segments' minutes added up."""
    co2_kg: float
    """Per passenger."""
    segments: tuple[Segment, ...] = ()
    source: str = "model"
    """Where the leg's route comes from: the network snapshot, a config entry, a rail corridor's
    timetable and source, the road speed of the region, or an override."""

    @property
    def reachable(self) -> bool:
        return self.duration_min < UNREACHABLE_MIN

    @property
    def flights(self) -> tuple[Segment, ...]:
        return tuple(s for s in self.segments if s.mode == "air")

    @property
    def via(self) -> str:
        """The airports flown through, 'VIE-ICN' or 'ICN-DXB-EZE' ('' without flights)."""
        flights = self.flights
        return "-".join([flights[0].origin, *(f.destination for f in flights)]) if flights else ""


def _reversed(leg: Leg) -> Leg:
    """The same leg the other way: every option is symmetric, so the segments run backwards, and
    the airport waits trade places (check-in, with its length, where the journey now starts)."""
    waits = {s.what: s for s in leg.segments if s.what in (CHECK_IN, ARRIVAL)}
    other = {CHECK_IN: waits.get(ARRIVAL), ARRIVAL: waits.get(CHECK_IN)}
    segments = []
    for s in reversed(leg.segments):
        if other.get(s.what) is not None:
            s = replace(s, what=other[s.what].what, minutes=other[s.what].minutes)
        segments.append(replace(s, origin=s.destination, destination=s.origin))
    return replace(leg, origin=leg.destination, destination=leg.origin, segments=tuple(segments))


def city_distance_km(a: City, b: City) -> float:
    return geodesic((a.latitude, a.longitude), (b.latitude, b.longitude)).km


@dataclass
class TravelModel:
    """Lays out and chooses legs; results are cached per city pair."""

    settings: TravelSettings
    gazetteer: Gazetteer
    rail: RailTable = field(default_factory=RailTable)
    road: RoadTable | None = None
    _overrides: dict[tuple[int, int], tuple[str, int, str]] = field(default_factory=dict, init=False)
    _corridors: dict[tuple[int, int], RailCorridor] = field(default_factory=dict, init=False)
    _options: dict[tuple[int, int], tuple[Leg, ...]] = field(default_factory=dict, init=False)
    _block: dict[tuple[str, str], int] = field(default_factory=dict, init=False)
    _served_by: dict[int, list[tuple[int, NetworkAirport, str]]] = field(default_factory=dict, init=False)
    _airport_trains: dict[int, list[AirportTrain]] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        for entry in self.settings.override:
            a, b = self._pair(entry.from_, entry.to, "travel settings")
            self._overrides[(a, b)] = self._overrides[(b, a)] = (entry.mode, entry.duration_min, entry.note)
        for corridor in self.rail.corridor:
            a, b = self._pair(*corridor.between, "rail corridors")
            self._corridors[(a, b)] = self._corridors[(b, a)] = corridor
        for train in self.rail.airport_train:
            city = self._pair(train.city, train.city, "airport trains")[0]
            self._airport_trains.setdefault(city, []).append(train)

    def _pair(self, a: str, b: str, where: str) -> tuple[int, int]:
        try:
            return self.gazetteer.resolve(a).geoname_id, self.gazetteer.resolve(b).geoname_id
        except CatalogError as exc:
            raise CatalogError(f"{where}: {exc.message}") from None

    @cached_property
    def network(self) -> AirNetwork:
        """The airline network, loaded on first use (start-up stays fast)."""
        added = [(r.between[0], r.between[1], r.note) for r in self.settings.route_opened]
        removed = [tuple(r.between) for r in self.settings.route_closed]
        return load_network(added, removed)

    # -- the public questions --------------------------------------------------------------

    def leg(self, origin: City, destination: City) -> Leg:
        """The leg a delegation takes: the chosen option."""
        return self.options(origin, destination)[0]

    def options(self, origin: City, destination: City) -> tuple[Leg, ...]:
        """Every option considered, the chosen one first, then the others quickest first."""
        key = (origin.geoname_id, destination.geoname_id)
        if key not in self._options:
            reverse = self._options.get((destination.geoname_id, origin.geoname_id))
            self._options[key] = tuple(_reversed(leg) for leg in reverse) if reverse else self._lay_out(origin, destination)
        return self._options[key]

    def is_long_haul(self, leg: Leg) -> bool:
        return leg.duration_min >= self.settings.long_haul.min_duration_min

    def road_speed_kmh(self, origin: City, destination: City) -> float:
        table = self.road
        if table is None:
            raise CatalogError("no road speeds loaded (config/road.toml)")
        return (table.speed_kmh(origin.country) + table.speed_kmh(destination.country)) / 2

    # -- laying out the options ----------------------------------------------------------------

    def _lay_out(self, origin: City, destination: City) -> tuple[Leg, ...]:
        key = (origin.geoname_id, destination.geoname_id)
        if origin.geoname_id == destination.geoname_id:
            stay = self.settings.in_city
            return (Leg(origin, destination, "in_city", stay.distance_km, stay.transfer_min,
                        round(stay.distance_km * stay.co2_g_per_pkm / 1000, 1),
                        (Segment("road", origin.name, destination.name, stay.transfer_min, "in-city transfer"),),
                        "in-city transfer (config)"),)
        km = city_distance_km(origin, destination)
        if key in self._overrides:
            return (self._override(origin, destination, km, *self._overrides[key]),)
        options = [leg for leg in (self._air(origin, destination, km), self._rail(origin, destination, km),
                                   self._road(origin, destination, km)) if leg is not None]
        if not options:
            return (Leg(origin, destination, "air", round(km, 1), UNREACHABLE_MIN, 0.0, (), "no option: no flight "
                        "within two connections, no rail corridor, too far to drive"),)
        return tuple(self._choose(options))

    def _choose(self, options: list[Leg]) -> list[Leg]:
        """The quickest first, unless the train is near enough: then the train."""
        options = sorted(options, key=lambda leg: (leg.duration_min, leg.mode))
        choice = self.settings.choice
        rail = next((leg for leg in options if leg.mode == "rail"), None)
        if (rail is not None and rail.duration_min <= choice.rail_prefer_under_min
                and rail.duration_min <= options[0].duration_min + choice.rail_margin_min):
            options.remove(rail)
            options.insert(0, rail)
        return options

    def _override(self, origin: City, destination: City, km: float, mode: str, minutes: int, note: str) -> Leg:
        s = self.settings
        factor = {"air": s.air.co2_g_per_pkm, "rail": s.rail.co2_g_per_pkm * s.rail.detour_factor,
                  "road": s.road.co2_g_per_pkm * s.road.detour_factor}[mode]
        return Leg(origin, destination, mode, round(km, 1), minutes, round(factor * km / 1000, 1),
                   (Segment(mode, origin.name, destination.name, minutes, "known door-to-door duration"),),
                   f"override (config): {note}" if note else "override (config)")

    def _road(self, origin: City, destination: City, km: float) -> Leg | None:
        road = self.settings.road
        if km > self.settings.choice.road_max_km:
            return None
        speed = self.road_speed_kmh(origin, destination)
        route_km = km * road.detour_factor
        moving = round(route_km / speed * 60)
        segments = (Segment("wait", origin.name, origin.name, road.overhead_min, "loading, escort, parking"),
                    Segment("road", origin.name, destination.name, moving, f"{route_km:.0f} km at {speed:g} km/h"))
        return Leg(origin, destination, "road", round(km, 1), road.overhead_min + moving,
                   round(route_km * road.co2_g_per_pkm / 1000, 1), segments,
                   f"road model: {speed:g} km/h ({origin.country}-{destination.country}, config/road.toml)")

    def _rail(self, origin: City, destination: City, km: float) -> Leg | None:
        corridor = self._corridors.get((origin.geoname_id, destination.geoname_id))
        if corridor is None:
            return None
        rail = self.settings.rail
        what = f"{corridor.operator}, {corridor.year} timetable" if corridor.operator else f"{corridor.year} timetable"
        segments = (Segment("transfer", origin.name, f"{origin.name} station", rail.station_transfer_min, "to the station"),
                    Segment("wait", f"{origin.name} station", f"{origin.name} station", rail.boarding_min, "boarding"),
                    Segment("rail", origin.name, destination.name, corridor.minutes, what),
                    Segment("transfer", f"{destination.name} station", destination.name, rail.station_transfer_min,
                            "from the station"))
        rail_km = corridor.km or km * rail.detour_factor
        return Leg(origin, destination, "rail", round(km, 1), sum(s.minutes for s in segments),
                   round(rail_km * rail.co2_g_per_pkm / 1000, 1), segments,
                   f"rail corridor (config/rail.toml): {corridor.source}")

    def _transfer_min(self, city: City, airport_km: float) -> int:
        air = self.settings.air
        speed = min(air.ground_speed_kmh, self.road.speed_kmh(city.country)) if self.road else air.ground_speed_kmh
        return air.ground_overhead_min + round(airport_km * self.settings.road.detour_factor / speed * 60)

    def _airports(self, city: City) -> list[tuple[int, NetworkAirport, str]]:
        """(transfer minutes, airport, how) for every served airport within road reach of the city, and
        those its airport trains (rail.toml) reach quicker."""
        if city.geoname_id not in self._served_by:
            reach = self.settings.air.airport_max_road_km / self.settings.road.detour_factor
            served = {airport.iata: (self._transfer_min(city, km), airport, airport.name)
                      for km, airport in self.network.near(city.latitude, city.longitude, reach)}
            rail = self.settings.rail
            for train in self._airport_trains.get(city.geoname_id, []):
                airport = self.network.airports.get(train.airport)
                minutes = rail.station_transfer_min + rail.boarding_min + train.minutes
                if airport is not None and minutes < served.get(train.airport, (minutes + 1,))[0]:
                    how = f"{airport.name} by train ({train.operator + ', ' if train.operator else ''}{train.year}, rail.toml)"
                    served[train.airport] = (minutes, airport, how)
            self._served_by[city.geoname_id] = sorted(served.values(), key=lambda s: (s[0], s[1].iata))
        return self._served_by[city.geoname_id]

    def block_min(self, a: str, b: str) -> int:
        """Gate-to-gate minutes of the nonstop flight a-b: cruise time plus taxi, climb and descent."""
        key = (a, b) if a < b else (b, a)
        if key not in self._block:
            air = self.settings.air
            self._block[key] = round(self.network.km(a, b) / air.cruise_speed_kmh * 60) + air.taxi_climb_min
        return self._block[key]

    def _least_connecting(self, starts: dict[str, int], ends: dict[str, int], connection_min: int) -> int:
        """No journey with a connection is quicker: two flights at least cover the great circle
        between its end airports, each with its taxi and climb, plus the connection (less a minute
        for the rounding of two block times)."""
        air = self.settings.air
        return min(before + after + connection_min + 2 * air.taxi_climb_min
                   + math.floor(self.network.km(a, b) / air.cruise_speed_kmh * 60) - 1
                   for a, before in starts.items() for b, after in ends.items())

    def _air(self, origin: City, destination: City, km: float) -> Leg | None:
        air = self.settings.air
        starts = {a.iata: (m, how) for m, a, how in self._airports(origin)}
        ends = {a.iata: (m, how) for m, a, how in self._airports(destination)}
        if not starts or not ends:
            return None
        journey = quickest_journey(self.network, {i: m + air.check_in_min for i, (m, _) in starts.items()},
                                   {i: air.arrival_min + m for i, (m, _) in ends.items()}, self.block_min, air.connection_min,
                                   self._least_connecting)
        if journey is None:
            return None
        path = journey.airports
        first, last = path[0], path[-1]
        segments = [Segment("transfer", origin.name, first, *starts[first]),
                    Segment("wait", first, first, air.check_in_min, CHECK_IN)]
        sources, flown_km = [], 0.0
        for k, (a, b) in enumerate(zip(path, path[1:])):
            if k:
                segments.append(Segment("wait", a, a, air.connection_min, "connection"))
            segments.append(Segment("air", a, b, self.block_min(a, b), "nonstop"))
            sources.append(self.network.route_source(a, b) or "")
            flown_km += self.network.km(a, b)
        segments += [Segment("wait", last, last, air.arrival_min, ARRIVAL),
                     Segment("transfer", last, destination.name, *ends[last])]
        return Leg(origin, destination, "air", round(km, 1), sum(s.minutes for s in segments),
                   round(flown_km * air.co2_g_per_pkm / 1000, 1), tuple(segments), "; ".join(dict.fromkeys(sources)))
