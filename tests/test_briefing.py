"""The briefing pack: route map (SVG, PNG), the printable HTML page, the HTML comparison, the CLI, and a
real browser's rendering of the page."""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import zlib
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from typer.testing import CliRunner

from tripplanner.api import read_itinerary
from tripplanner.briefing import briefing_html, comparison_html, map_png, map_svg, route_map
from tripplanner.catalogs.basemap import MAP_EXTRA, basemap_installed
from tripplanner.cli.app import app
from tripplanner.models.itinerary import (AnchorEvent, Day, Itinerary, LegEvent, SegmentEvent, SolveReport, Totals,
                                          VisitEvent)
from tripplanner.render.html import render_html
from tripplanner.routemap import great_circle, moving_segments

from tests.conftest import DATA

PLANS = DATA / "plans"
GOLDEN = DATA / "golden"
SMALL = PLANS / "paris-vienna-2017-1.json"
needs_map = pytest.mark.skipif(not basemap_installed(), reason="basemap-data (the extra tripplanner[map]) is not installed")


def _golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(text)
    assert text == path.read_text()


def _tracks(svg: str) -> list[tuple[str, str]]:
    """(mode, path data) of every leg track in an SVG map."""
    return re.findall(r'<path class="track (air|rail|road|transfer)" data-leg="\d+" d="([^"]*)"', svg)


def _resources(html: str) -> list[str]:
    """Everything in a page that a browser would fetch: src=, url() other than #fragment, @import,
    <link rel=stylesheet|preload|icon>, srcset, <object data>. Links to sources (<a href>) are not fetched."""
    found = re.findall(r"""\bsrc\s*=\s*["']?([^"'\s>]+)""", html, re.I)
    found += [u for u in re.findall(r"""url\(\s*["']?([^)"']*)""", html, re.I) if not u.startswith("#")]
    found += re.findall(r"@import[^;]*", html, re.I)
    found += re.findall(r"<link\b[^>]*>", html, re.I)
    found += re.findall(r"""\b(?:srcset|data)\s*=\s*["']?(?:https?:)?//[^"'\s>]+""", html, re.I)
    found += re.findall(r"<script\b", html, re.I)
    return found


# --- a trip across the Pacific, built by hand: Seoul -> Tokyo -> Los Angeles -> Seoul -------------------

def _at(day: int, hour: int, zone: str) -> datetime:
    return datetime(2019, 5, 6 + day, hour, 0, tzinfo=ZoneInfo(zone))


def _flight(origin: str, destination: str, airports: tuple[str, str], depart: datetime, minutes: int,
            arrival_zone: str) -> LegEvent:
    arrive = (depart + timedelta(minutes=minutes)).astimezone(ZoneInfo(arrival_zone))
    zones = (str(depart.tzinfo), arrival_zone)
    segment = SegmentEvent(mode="air", origin=airports[0], destination=airports[1], depart=depart, arrive=arrive,
                           origin_timezone=zones[0], destination_timezone=zones[1], minutes=minutes, what="nonstop")
    return LegEvent(origin=origin, destination=destination, mode="air", depart=depart, arrive=arrive,
                    origin_timezone=zones[0], destination_timezone=zones[1], duration_min=minutes, distance_km=1000,
                    co2_kg=100, long_haul=minutes >= 480, via="-".join(airports), segments=[segment], source="test")


@pytest.fixture(scope="module")
def pacific() -> Itinerary:
    return pacific_itinerary()


def pacific_itinerary() -> Itinerary:
    """Seoul to Tokyo (a visit), on to Los Angeles (an anchor), and back across the Pacific."""
    seoul, tokyo, la = "Asia/Seoul", "Asia/Tokyo", "America/Los_Angeles"
    visit = VisitEvent(project_id="tyo", title="Flood defence tour", city="Tokyo, JP", counterpart="Bureau of Construction",
                       themes=["climate"], scoring_theme="climate", stage="implement", value=1.0, illustrative=True,
                       start=_at(0, 15, tokyo), end=_at(0, 17, tokyo), timezone=tokyo)
    anchor = AnchorEvent(name="Pacific cities forum", city="Los Angeles, US", venue="City Hall", role="speaker",
                         mandatory=True, start=_at(1, 10, la), end=_at(1, 16, la), timezone=la)
    days = [
        Day(number=1, date=_at(0, 8, seoul).date(), wake_city="Seoul, KR", sleep_city="Tokyo, JP",
            events=[_flight("Seoul, KR", "Tokyo, JP", ("ICN", "HND"), _at(0, 8, seoul), 140, tokyo), visit]),
        Day(number=2, date=_at(1, 8, la).date(), wake_city="Tokyo, JP", sleep_city="Los Angeles, US",
            events=[_flight("Tokyo, JP", "Los Angeles, US", ("HND", "LAX"), _at(0, 20, tokyo), 600, la), anchor]),
        Day(number=3, date=_at(2, 8, la).date(), wake_city="Los Angeles, US", sleep_city="Seoul, KR",
            events=[_flight("Los Angeles, US", "Seoul, KR", ("LAX", "ICN"), _at(2, 11, la), 780, seoul)]),
    ]
    totals = Totals(value=1.0, value_by_theme={"climate": 1.0}, cities=["Los Angeles, US", "Tokyo, JP"], sister_cities=[],
                    friendship_cities=[], travel_min=1520, distance_km=3000, co2_kg=300, days=3, nights_by_city={},
                    longest_travel_day_min=780, legs_by_mode={"air": 3})
    solve = SolveReport(status="optimal", objective_value=1.0, best_bound_value=1.0, gap_pct=0.0, seconds=0.1,
                        found_by="test", time_limit_s=1, workers=1, seed=0)
    return Itinerary(name="Tokyo and Los Angeles, May 2019", home="Seoul, KR", home_timezone=seoul,
                     request_file="pacific.yaml", days=days, totals=totals, solve=solve)


# --- the map ---------------------------------------------------------------------------------------------

def test_great_circle_keeps_longitudes_continuous_across_the_date_line():
    """Tokyo to Los Angeles runs east past 180 degrees, never jumping back to -180."""
    points = great_circle((35.7, 139.7), (34.05, -118.24))
    steps = [abs(b[1] - a[1]) for a, b in zip(points, points[1:])]
    assert max(steps) < 5 and points[-1][1] > 180


@needs_map
@pytest.mark.parametrize("plan", sorted(PLANS.glob("*.json")), ids=lambda p: p.stem)
def test_svg_labels_every_city_and_draws_one_track_per_segment(plan):
    """Each city (home included) is labelled; each flight, train and drive is one path, of its mode."""
    itinerary = read_itinerary(plan)
    svg = map_svg(itinerary)
    labels = re.findall(r'<text class="label[^"]*"[^>]*>([^<]*)</text>', svg)
    for city in [itinerary.home, *itinerary.totals.cities]:
        name = city.split(",")[0]
        assert any(label == name or label.endswith(f" {name}") for label in labels), f"{name} has no label"
    segments = moving_segments(itinerary)
    tracks = [mode for mode, _ in _tracks(svg) if mode != "transfer"]
    assert sorted(tracks) == sorted(s.mode for s in segments)
    assert len(re.findall(r'<g class="leg-number">', svg)) == len({t.leg for t in route_map(itinerary).tracks})


@needs_map
def test_svg_is_deterministic_and_matches_golden():
    """The same plan gives the same SVG bytes; the small plan's map is stable."""
    itinerary = read_itinerary(SMALL)
    svg = map_svg(itinerary)
    assert svg == map_svg(itinerary)
    assert svg.startswith("<svg") and "http://www.w3.org/2000/svg" in svg
    _golden("paris-vienna-2017-1.map.svg", svg)


@needs_map
def test_european_trip_is_drawn_around_europe(pacific):
    """A Seoul to Europe trip shows Europe (home off the map, named at the edge and shown in the inset)."""
    svg = map_svg(read_itinerary(SMALL))
    assert re.search(r'class="label edge"[^>]*>from Seoul<', svg) and re.search(r'>to Seoul<', svg)
    assert '<g class="inset"' in svg
    assert '<g class="inset"' not in map_svg(pacific)  # home Seoul is next to Tokyo: on the map itself


@needs_map
def test_pacific_trip_has_no_wrap_around_line(pacific):
    """Across the Pacific no track, land or border path jumps across the map (no line from edge to edge)."""
    svg = map_svg(pacific)
    width = float(re.search(r'<svg[^>]* width="([\d.]+)"', svg).group(1))
    tracks = _tracks(svg)
    assert len([mode for mode, _ in tracks if mode == "air"]) == 3
    paths = [d for _, d in tracks] + re.findall(r'<path class="borders" d="([^"]*)"', svg)
    for data in paths:
        for piece in data.split("M")[1:]:
            xs = [float(x) for x in re.findall(r"(-?[\d.]+) -?[\d.]+", piece)]
            assert max(abs(b - a) for a, b in zip(xs, xs[1:])) < width / 2 if len(xs) > 1 else True
    for mode, data in tracks:
        xs = [float(x) for x in re.findall(r"(-?[\d.]+) -?[\d.]+", data)]
        assert max(xs) - min(xs) <= width, "a track longer than the map is wide wraps around"
    for name in ("Seoul", "Tokyo", "Los Angeles"):
        assert f">{name}</text>" in svg


@needs_map
def test_png_is_an_image_of_the_map():
    """PNG output is a real PNG, twice the SVG's width."""
    png = map_png(read_itinerary(SMALL))
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    width = struct.unpack(">I", png[16:20])[0]
    svg_width = float(re.search(r'<svg[^>]* width="([\d.]+)"', map_svg(read_itinerary(SMALL))).group(1))
    assert width == 2 * svg_width


# --- the HTML page ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("plan", sorted(PLANS.glob("*.json")), ids=lambda p: p.stem)
def test_html_loads_nothing_and_lists_every_programme_item(plan):
    """The page fetches no resource and names every anchor, visit, leg and left-out candidate."""
    itinerary = read_itinerary(plan)
    html = briefing_html(itinerary)
    assert _resources(html) == []
    assert html.startswith("<!DOCTYPE html>") and html.rstrip().endswith("</html>")
    text = re.sub(r"&amp;", "&", html)
    for event in itinerary.events():
        if isinstance(event, AnchorEvent):
            assert event.name in text
        elif isinstance(event, VisitEvent):
            assert event.title in text
            if event.source.startswith("http"):
                assert f'href="{event.source}"' in text
        elif event.mode != "in_city":
            assert f"{event.origin} to {event.destination}" in text
    for item in itinerary.left_out:
        assert item.project_id in text and item.reason in text
    assert len(re.findall(r'<section class="day"', html)) == len(itinerary.days)
    assert "break-inside: avoid" in html and "size: A4" in html


def test_the_resource_check_catches_what_a_browser_would_fetch():
    """The check itself: each kind of external resource is caught, a plain link is not."""
    for bad in ('<img src="https://x.org/a.png">', "<style>body{background:url(https://x.org/b.png)}</style>",
                '<style>@import "https://x.org/c.css";</style>', '<link rel="stylesheet" href="https://x.org/d.css">',
                '<script src="https://cdn.example/e.js"></script>'):
        assert _resources(bad), bad
    assert _resources('<a href="https://example.org/project">example.org</a><g clip-path="url(#map-clip)"></g>') == []


def test_html_without_the_map_says_how_to_get_it():
    """Without the map extra the page is complete and says which extra draws the map."""
    html = render_html(read_itinerary(SMALL), None, MAP_EXTRA)
    assert "<svg" not in html and "tripplanner[map]" in html
    _golden("paris-vienna-2017-1.html", html)


@needs_map
def test_html_holds_the_map_inline(pacific):
    """The map is inline SVG in the page, and the page keeps the local times with their zones."""
    html = briefing_html(pacific)
    assert html.count("<svg") == 1 and "Pacific cities forum" in html
    assert "10:00 PDT to 16:00 PDT" in html and "15:00 JST" in html


@needs_map
def test_comparison_page_has_each_plans_map_and_metrics():
    """compare as HTML: one map per plan with distinct ids, metrics with the best marked, nothing fetched."""
    plans = [read_itinerary(PLANS / f"paris-vienna-2017-{k}.json") for k in (1, 2)]
    html = comparison_html(plans, ["one", "two"])
    assert html.count("<svg") == 2 and 'id="map1-clip"' in html and 'id="map2-clip"' in html
    assert "&#9733;" in html and "What differs" in html
    assert _resources(html) == []


# --- the command line ------------------------------------------------------------------------------------

@pytest.fixture
def run():
    runner = CliRunner()
    return lambda *args: runner.invoke(app, ["--no-color", *map(str, args)])


@pytest.mark.parametrize("args, message", [
    (("--format", "pdf"), "--format must be one of"),
    (("--format", "png"), "give a file with --out"),
], ids=["unknown format", "png to the terminal"])
def test_show_refuses_bad_formats_cleanly(run, args, message):
    """Bad usage exits 2 with a message and no traceback."""
    result = run("show", SMALL, *args)
    assert result.exit_code == 2 and message in result.output
    assert "Traceback" not in result.output


@needs_map
def test_show_writes_svg_png_and_html_files(run, tmp_path):
    """show --out writes each briefing format; the PNG is binary, and an existing file needs --force."""
    for format in ("svg", "png", "html"):
        target = tmp_path / f"plan.{format}"
        result = run("show", SMALL, "--format", format, "--out", target)
        assert result.exit_code == 0, result.output
    assert (tmp_path / "plan.png").read_bytes().startswith(b"\x89PNG")
    assert (tmp_path / "plan.svg").read_text().startswith("<svg")
    again = run("show", SMALL, "--format", "png", "--out", tmp_path / "plan.png")
    assert again.exit_code == 2 and "--force" in again.output


def test_compare_html_and_bad_format(run, tmp_path):
    """compare --format html writes a page; an unknown format exits 2 without a traceback."""
    plans = [PLANS / f"paris-vienna-2017-{k}.json" for k in (1, 2)]
    assert run("compare", *plans, "--format", "html", "--out", tmp_path / "c.html").exit_code == 0
    assert "<!DOCTYPE html>" in (tmp_path / "c.html").read_text()
    bad = run("compare", *plans, "--format", "svg")
    assert bad.exit_code == 2 and "--format must be one of" in bad.output and "Traceback" not in bad.output


# --- a real browser --------------------------------------------------------------------------------------

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def _png_colours(data: bytes, sample: int = 4000) -> int:
    """Distinct colours among pixels sampled over a PNG (8-bit RGB or RGBA, as Chromium writes), read with zlib."""
    width, height, depth, kind = struct.unpack(">IIBB", data[16:26])
    assert depth == 8 and kind in (2, 6)
    chunks, at = [], 8
    while at < len(data):
        length, name = struct.unpack(">I4s", data[at:at + 8])
        if name == b"IDAT":
            chunks.append(data[at + 8:at + 8 + length])
        at += 12 + length
    raw = zlib.decompress(b"".join(chunks))
    channels = 3 if kind == 2 else 4
    stride = width * channels
    rows, previous = [], bytearray(stride)
    for y in range(height):
        line = raw[y * (stride + 1):(y + 1) * (stride + 1)]
        kind_of_filter, row = line[0], bytearray(line[1:])
        for i in range(stride):
            left = row[i - channels] if i >= channels else 0
            up, corner = previous[i], previous[i - channels] if i >= channels else 0
            if kind_of_filter == 1:
                row[i] = (row[i] + left) & 255
            elif kind_of_filter == 2:
                row[i] = (row[i] + up) & 255
            elif kind_of_filter == 3:
                row[i] = (row[i] + (left + up) // 2) & 255
            elif kind_of_filter == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                row[i] = (row[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 255
        rows.append(bytes(row))
        previous = row
    step = max(1, (width * height) // sample)
    pixels = (rows[k // width][(k % width) * channels:(k % width) * channels + 3] for k in range(0, width * height, step))
    return len(set(pixels))


@pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium is not installed (Debian: apt-get install chromium); "
                                             "the page is still checked above for resources and content")
def test_headless_chromium_renders_the_briefing(tmp_path):
    """Chromium, offline, draws the page: the screenshot is not blank (map colours, text)."""
    page = tmp_path / "briefing.html"
    page.write_text(briefing_html(read_itinerary(SMALL)))
    shot = tmp_path / "shot.png"
    result = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
         "--disable-extensions", f"--user-data-dir={tmp_path / 'profile'}", "--window-size=900,1200",
         f"--screenshot={shot}", page.as_uri()],
        capture_output=True, text=True, timeout=120, check=False)
    assert shot.is_file(), result.stderr[-2000:]
    assert _png_colours(shot.read_bytes()) > 20
    blank = tmp_path / "blank.html"
    blank.write_text("<!DOCTYPE html><html><body></body></html>")
    subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={tmp_path / 'profile'}",
                    "--window-size=300,200", f"--screenshot={tmp_path / 'blank.png'}", blank.as_uri()],
                   capture_output=True, timeout=120, check=False)
    assert _png_colours((tmp_path / "blank.png").read_bytes()) <= 2  # the measure tells a blank page apart
