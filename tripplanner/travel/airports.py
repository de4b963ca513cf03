"""Airports serving a city, from the offline airportsdata database."""

from __future__ import annotations

import math
from functools import lru_cache

from geopy.distance import geodesic

from tripplanner.catalogs.cities import fold
from tripplanner.errors import CatalogError
from tripplanner.models.catalog import Airport, City


INTERNATIONAL_REACH_FACTOR = 2.0
INTERNATIONAL_REACH_KM = 30.0
"""An 'International' airport is preferred over a nearer one only within twice the nearest airport's
distance or 30 km beyond it: far enough to pass an airfield, near enough to stay in the city."""


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
    """The airport a delegation flies from.

    airportsdata has no scheduled-service flag, so: the configured airport if any; else the nearest
    airport the database files under this city's own name (Lyon: Saint-Exupery, not the Bron
    airfield nearer the centre); else the nearest 'International' one within reach; else the nearest.
    """
    near = airports_near(city, search_km)
    if iata is not None:
        chosen = [a for a in near if a.iata == iata]
        if not chosen:
            raise CatalogError(f"airport {iata} is not within {search_km:.0f} km of {city.label}")
        return chosen[0]
    if not near:
        raise CatalogError(f"no airport within {search_km:.0f} km of {city.label}")
    served = _city_names()
    own = [a for a in near if fold(served.get(a.iata, "")) == fold(city.name)]
    if own:
        return own[0]
    if prefer_international:
        reach = max(INTERNATIONAL_REACH_FACTOR * near[0].distance_km, near[0].distance_km + INTERNATIONAL_REACH_KM)
        international = [a for a in near if "international" in a.name.casefold() and a.distance_km <= reach]
        if international:
            return international[0]
    return near[0]


@lru_cache(maxsize=1)
def _city_names() -> dict[str, str]:
    return {a["iata"]: a.get("city") or "" for a in _iata_airports()}
