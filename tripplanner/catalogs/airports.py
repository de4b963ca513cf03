"""Airports serving a city, from the offline airportsdata database."""

from __future__ import annotations

import math
from functools import lru_cache

from geopy.distance import geodesic

from tripplanner.errors import CatalogError
from tripplanner.models.catalog import Airport, City


@lru_cache(maxsize=1)
def _iata_airports() -> tuple[dict, ...]:
    import airportsdata

    return tuple(a for a in airportsdata.load("IATA").values() if a.get("iata"))


def airports_near(city: City, search_km: float) -> list[Airport]:
    """IATA airports within ``search_km`` of the city, nearest first."""
    found = []
    # Cheap box filter before the geodesic: a degree of latitude is ~111 km, of longitude less by cos(latitude).
    lon_km = max(1.0, 111.0 * math.cos(math.radians(city.latitude)))
    for record in _iata_airports():
        if abs(record["lat"] - city.latitude) * 111.0 > search_km:
            continue
        if min(abs(record["lon"] - city.longitude), 360 - abs(record["lon"] - city.longitude)) * lon_km > search_km * 1.01:
            continue
        km = geodesic((city.latitude, city.longitude), (record["lat"], record["lon"])).km
        if km <= search_km:
            found.append(
                Airport(
                    iata=record["iata"],
                    name=record["name"],
                    latitude=record["lat"],
                    longitude=record["lon"],
                    timezone=record["tz"],
                    distance_km=round(km, 1),
                )
            )
    return sorted(found, key=lambda a: (a.distance_km, a.iata))


def main_airport(city: City, search_km: float, prefer_international: bool, iata: str | None = None) -> Airport:
    """The airport a delegation flies from: ``iata`` if given, else the nearest 'International' one, else the nearest."""
    near = airports_near(city, search_km)
    if iata is not None:
        chosen = [a for a in near if a.iata == iata]
        if not chosen:
            raise CatalogError(f"airport {iata} is not within {search_km:.0f} km of {city.label}")
        return chosen[0]
    if not near:
        raise CatalogError(f"no airport within {search_km:.0f} km of {city.label}")
    if prefer_international:
        international = [a for a in near if "international" in a.name.casefold()]
        if international:
            return international[0]
    return near[0]
