"""Where a route map looks and how degrees become pixels: the extent that fits the trip, the
central meridian that keeps a Pacific crossing in one piece, clipping and thinning of outlines.

The projection is equirectangular around the trip's central meridian, stretched by the cosine of
its middle latitude (so Europe is not squashed); at these extents it reads like an atlas page.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from tripplanner.routemap import Position, RouteMap

MAP_WIDTH_PX = 900
"""The drawing's width; its height follows the extent (MIN_ASPECT to MAX_ASPECT of the width)."""
MIN_ASPECT, MAX_ASPECT = 0.55, 0.9
PADDING = 0.15
"""Room around the trip's places, as a share of its extent: labels and leg numbers need it."""
MIN_SPAN_DEG = 6.0
"""A one-city trip still shows its country and neighbours."""
HOME_SPAN_FACTOR = 3.0
"""Home is inside the map when that makes it at most 3 times as wide or tall as the trip abroad
(and at most 45 degrees): Seoul to Tokyo, yes; Seoul to Europe, no (then the legs home leave the
map at its edge, labelled, and the inset shows the whole journey)."""
HOME_SPAN_MIN_DEG = 45.0
DETAIL_SPAN_DEG = 50.0
"""Below this width the low-resolution shorelines are used, above it the crude ones."""
THIN_PX = 0.6
"""Outline points closer than this to the previous kept one are dropped: invisible, and bytes saved."""


@dataclass(frozen=True)
class Frame:
    """A rectangle of the world drawn into width x height pixels."""

    central: float
    """Central meridian, degrees east; longitudes are read within 180 degrees of it."""
    west: float
    east: float
    south: float
    north: float
    width: float
    height: float

    @property
    def scale(self) -> float:
        """Pixels per degree of longitude (as stretched) and of latitude."""
        return self.width / ((self.east - self.west) * self._stretch)

    @property
    def _stretch(self) -> float:
        return max(0.35, math.cos(math.radians((self.north + self.south) / 2)))

    def near(self, longitude: float) -> float:
        """The longitude's copy within 180 degrees of the central meridian."""
        return longitude - 360 * round((longitude - self.central) / 360)

    def xy(self, latitude: float, longitude: float) -> tuple[float, float]:
        """Pixels of a point whose longitude is already on the frame's side (see near)."""
        return (longitude - self.west) * self._stretch * self.scale, (self.north - latitude) * self.scale

    def line(self, points: tuple[Position, ...]) -> list[tuple[float, float]]:
        """A track's pixels: its first point moved next to the central meridian, the rest kept continuous."""
        if not points:
            return []
        shift = self.near(points[0][1]) - points[0][1]
        return [self.xy(lat, lon + shift) for lat, lon in points]

    def inside(self, x: float, y: float, margin: float = 0.0) -> bool:
        return -margin <= x <= self.width + margin and -margin <= y <= self.height + margin


def _central(longitudes: list[float]) -> float:
    """The middle of the shortest arc of meridians that holds every longitude (across 180 if need be)."""
    ordered = sorted(lon % 360 for lon in longitudes)
    gaps = [((ordered[(i + 1) % len(ordered)] - ordered[i]) % 360, i) for i in range(len(ordered))]
    gap, index = max(gaps) if len(ordered) > 1 else (360.0, 0)
    start = ordered[(index + 1) % len(ordered)]
    middle = (start + (360 - gap) / 2) % 360
    return middle - 360 if middle > 180 else middle


def _box(frame_central: float, positions: list[Position]) -> tuple[float, float, float, float]:
    longitudes = [lon - 360 * round((lon - frame_central) / 360) for _, lon in positions]
    latitudes = [lat for lat, _ in positions]
    return min(longitudes), max(longitudes), min(latitudes), max(latitudes)


def frame_for(route: RouteMap, width: float = MAP_WIDTH_PX, whole_trip: bool = False) -> Frame:
    """The frame that fits the trip abroad (and home when it is near, or when whole_trip)."""
    abroad = [p.position for p in route.places if p.role in ("anchor", "visit")]
    home = [p.position for p in route.places if p.role == "home"]
    focus = abroad or home
    if whole_trip:
        focus = [point for track in route.tracks for point in track.points] + [p.position for p in route.places]
    central = _central([lon for _, lon in focus])
    west, east, south, north = _box(central, focus)
    if home and not whole_trip:
        w2, e2, s2, n2 = _box(central, focus + home)
        limit_x = max(HOME_SPAN_FACTOR * max(east - west, MIN_SPAN_DEG), HOME_SPAN_MIN_DEG)
        limit_y = max(HOME_SPAN_FACTOR * max(north - south, MIN_SPAN_DEG), HOME_SPAN_MIN_DEG)
        if e2 - w2 <= limit_x and n2 - s2 <= limit_y:
            west, east, south, north = w2, e2, s2, n2
    span_x, span_y = max(east - west, MIN_SPAN_DEG), max(north - south, MIN_SPAN_DEG)
    middle_x, middle_y = (west + east) / 2, (south + north) / 2
    west, east = middle_x - span_x * (0.5 + PADDING), middle_x + span_x * (0.5 + PADDING)
    south, north = middle_y - span_y * (0.5 + PADDING), middle_y + span_y * (0.5 + PADDING)
    stretch = max(0.35, math.cos(math.radians(middle_y)))
    aspect = (north - south) / ((east - west) * stretch)
    if aspect < MIN_ASPECT:
        grow = ((east - west) * stretch * MIN_ASPECT - (north - south)) / 2
        south, north = south - grow, north + grow
    elif aspect > MAX_ASPECT:
        grow = ((north - south) / MAX_ASPECT / stretch - (east - west)) / 2
        west, east = west - grow, east + grow
    south, north = max(south, -85.0), min(north, 85.0)
    if east - west > 360:
        west, east = central - 180, central + 180
    frame = Frame(central, west, east, south, north, width, 0.0)
    return Frame(central, west, east, south, north, width, round((north - south) * frame.scale, 1))


def clip_ring(points: list[tuple[float, float]], frame: Frame, margin: float) -> list[tuple[float, float]]:
    """A polygon's pixels cut to the frame and a margin (Sutherland-Hodgman): a ring may leave the frame."""
    edges = ((0, -margin, 1), (0, frame.width + margin, -1), (1, -margin, 1), (1, frame.height + margin, -1))
    for axis, bound, sign in edges:
        if not points:
            break
        kept: list[tuple[float, float]] = []
        previous = points[-1]
        for point in points:
            inside_now, inside_before = sign * (point[axis] - bound) >= 0, sign * (previous[axis] - bound) >= 0
            if inside_now != inside_before:
                t = (bound - previous[axis]) / (point[axis] - previous[axis])
                kept.append((previous[0] + t * (point[0] - previous[0]), previous[1] + t * (point[1] - previous[1])))
            if inside_now:
                kept.append(point)
            previous = point
        points = kept
    return points


def thin(points: list[tuple[float, float]], tolerance: float = THIN_PX) -> list[tuple[float, float]]:
    """Drop points within tolerance pixels of the previous kept one (the last point always stays)."""
    if len(points) < 3:
        return points
    kept = [points[0]]
    for x, y in points[1:-1]:
        if abs(x - kept[-1][0]) > tolerance or abs(y - kept[-1][1]) > tolerance:
            kept.append((x, y))
    kept.append(points[-1])
    return kept


def path_data(points: list[tuple[float, float]], closed: bool) -> str:
    """SVG path data with one decimal: 'M12.0 30.5L14.2 31.0Z'."""
    if not points:
        return ""
    text = "M" + "L".join(f"{x:.1f} {y:.1f}" for x, y in points)
    return text + "Z" if closed else text
