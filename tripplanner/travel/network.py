"""The airline network: which airports have scheduled service and which pairs have a nonstop flight.

The snapshot ships with the package (tripplanner/data/, derived from OpenFlights by
scripts/derive_routes.py, Open Database License); staff add routes opened since and remove
closed ones in config/travel.toml. A route listed in one direction serves both ways.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

SNAPSHOT = "OpenFlights snapshot (routes of June 2014)"
"""How a leg names a route that comes from the shipped network."""


@dataclass(frozen=True)
class NetworkAirport:
    """An airport with scheduled service in the network."""

    iata: str
    name: str
    latitude: float
    longitude: float
    timezone: str


@dataclass
class AirNetwork:
    """Airports and nonstop routes, with the route's source: the snapshot or a config entry."""

    airports: dict[str, NetworkAirport]
    routes: dict[str, dict[str, str]] = field(default_factory=dict)
    """Airport -> the airports it flies to nonstop -> where the route comes from."""

    def add(self, a: str, b: str, source: str) -> None:
        self.routes.setdefault(a, {})[b] = source
        self.routes.setdefault(b, {})[a] = source

    def remove(self, a: str, b: str) -> None:
        self.routes.get(a, {}).pop(b, None)
        self.routes.get(b, {}).pop(a, None)

    def km(self, a: str, b: str) -> float:
        """Great-circle distance between two of the network's airports."""
        pa, pb = self.airports[a], self.airports[b]
        return great_circle_km(pa.latitude, pa.longitude, pb.latitude, pb.longitude)

    def route_source(self, a: str, b: str) -> str | None:
        """Where the nonstop route a-b comes from, or None when there is none."""
        return self.routes.get(a, {}).get(b)

    def neighbours(self, airport: str) -> dict[str, str]:
        return self.routes.get(airport, {})

    def zone(self, iata: str) -> str:
        """The airport's tz database zone ('' if neither OpenFlights nor airportsdata knows it)."""
        airport = self.airports.get(iata)
        return (airport.timezone if airport else "") or _zones().get(iata, "")

    def near(self, latitude: float, longitude: float, within_km: float) -> list[tuple[float, NetworkAirport]]:
        """(great-circle km, airport) for served airports within reach, nearest first."""
        found = []
        for airport in self.airports.values():
            if abs(airport.latitude - latitude) * 111.2 > within_km:
                continue
            km = great_circle_km(latitude, longitude, airport.latitude, airport.longitude)
            if km <= within_km and self.routes.get(airport.iata):
                found.append((km, airport))
        return sorted(found, key=lambda pair: (pair[0], pair[1].iata))


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Haversine distance on a sphere of the Earth's mean radius: for the network's many look-ups,
    where geopy's ellipsoid (used for legs' reported distances) would cost 100x the time."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))


def _rows(name: str) -> list[dict[str, str]]:
    text = resources.files("tripplanner").joinpath("data", name).read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    return list(csv.DictReader(io.StringIO("\n".join(lines))))


@lru_cache(maxsize=1)
def _snapshot() -> tuple[dict[str, NetworkAirport], tuple[tuple[str, str], ...]]:
    airports = {r["iata"]: NetworkAirport(r["iata"], r["name"], float(r["latitude"]), float(r["longitude"]), r["timezone"])
                for r in _rows("air_airports.csv")}
    pairs = tuple((r["a"], r["b"]) for r in _rows("air_routes.csv"))
    return airports, pairs


@lru_cache(maxsize=1)
def _zones() -> dict[str, str]:
    """IATA -> tz database zone from airportsdata, for the airports OpenFlights gives none (read
    only when one of those is flown: the database takes a quarter of a second to load)."""
    import airportsdata

    return {code: record["tz"] for code, record in airportsdata.load("IATA").items() if record.get("tz")}


def load_network(added: list[tuple[str, str, str]] = (), removed: list[tuple[str, str]] = ()) -> AirNetwork:
    """The shipped snapshot with config changes: added (a, b, note) and removed (a, b) routes."""
    airports, pairs = _snapshot()
    network = AirNetwork(dict(airports))
    for a, b in pairs:
        network.add(a, b, SNAPSHOT)
    for a, b in removed:
        network.remove(a, b)
    for a, b, note in added:
        network.add(a, b, f"config: {note}" if note else "config")
    return network


@dataclass(frozen=True)
class Journey:
    """The quickest flights between two sets of airports: the airports flown through and the minutes
    from leaving the first city's door to reaching the second's (ground, formalities, connections)."""

    airports: tuple[str, ...]
    minutes: int


def quickest_journey(network: AirNetwork, starts: dict[str, int], ends: dict[str, int], block_min,
                     connection_min: int, least_connecting) -> Journey | None:
    """The quickest journey with at most two connections.

    starts: airport -> minutes from the origin's door to boarding there (transfer, check-in);
    ends: airport -> minutes from landing there to the destination's door (formalities, transfer);
    block_min(a, b): gate-to-gate minutes of the nonstop a-b; least_connecting(starts, ends,
    connection_min): a lower bound on any journey with a connection, so that a nonstop at least
    as quick ends the search. Otherwise searched from both ends at once: one flight out of the
    origin's airports, one into the destination's, and at most one between.
    """
    best: tuple[int, tuple[str, ...]] | None = None

    def offer(minutes: int, path: tuple[str, ...]) -> None:
        nonlocal best
        if best is None or (minutes, path) < best:
            best = (minutes, path)

    for origin, before in sorted(starts.items()):
        flights = network.neighbours(origin)
        for destination, after in sorted(ends.items()):
            if destination in flights:
                offer(before + block_min(origin, destination) + after, (origin, destination))
    if best is not None and best[0] <= least_connecting(starts, ends, connection_min):
        return Journey(best[1], best[0])
    out: dict[str, tuple[int, str]] = {}
    for origin, before in sorted(starts.items()):
        for hub in network.neighbours(origin):
            minutes = before + block_min(origin, hub)
            if hub in ends:
                offer(minutes + ends[hub], (origin, hub))
            if hub not in out or (minutes, origin) < out[hub]:
                out[hub] = (minutes, origin)
    into: dict[str, tuple[int, str]] = {}
    for destination, after in sorted(ends.items()):
        for hub in network.neighbours(destination):
            minutes = block_min(hub, destination) + after
            if hub not in into or (minutes, destination) < into[hub]:
                into[hub] = (minutes, destination)
    for hub in sorted(out.keys() & into.keys()):
        (first, origin), (last, destination) = out[hub], into[hub]
        if hub not in (origin, destination):
            offer(first + connection_min + last, (origin, hub, destination))
    least_last = min((m for m, _ in into.values()), default=0)
    for hub, (first, origin) in sorted(out.items()):
        if best is not None and first + 2 * connection_min + least_last >= best[0]:
            continue
        for other in sorted(network.neighbours(hub).keys() & into.keys()):
            last, destination = into[other]
            if len({origin, hub, other, destination}) == 4:
                offer(first + connection_min + block_min(hub, other) + connection_min + last, (origin, hub, other, destination))
    return Journey(best[1], best[0]) if best else None
