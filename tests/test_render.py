"""Renderers and comparison: golden files (plain mode), iCalendar round trip, JSON Schema."""

import io
import json
import os
import re
from zoneinfo import ZoneInfo

import icalendar
import jsonschema
import pytest
from rich.console import Console

from tripplanner.api import read_itinerary
from tripplanner.compare import compare_itineraries
from tripplanner.models.itinerary import LegEvent, SegmentEvent
from tripplanner.render.compare import render_comparison
from tripplanner.render.ical import render_ics
from tripplanner.render.json import itinerary_schema
from tripplanner.render.markdown import render_markdown
from tripplanner.render.table import render_itinerary

from tests.conftest import DATA

PLANS = DATA / "plans"
GOLDEN = DATA / "golden"
PAIRS = ["paris-vienna-2017", "barcelona-zurich-2018"]


def _golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(text)
    assert text == path.read_text()


def _plain(renderable, width: int = 100) -> str:
    console = Console(width=width, no_color=True, color_system=None, force_terminal=False, record=True, file=io.StringIO())
    console.print(renderable)
    return console.export_text()


@pytest.mark.parametrize("example", PAIRS)
def test_compare_plain_output_matches_golden(example):
    """Plain comparison of two alternatives at 100 columns is stable and readable."""
    plans = [read_itinerary(PLANS / f"{example}-{k}.json") for k in (1, 2)]
    text = _plain(render_comparison(compare_itineraries(plans, ["plan-1", "plan-2"]), plain=True))
    assert max(len(line) for line in text.splitlines()) <= 100
    assert "|" in text and "╭" not in text  # ASCII frames only in plain mode
    _golden(f"compare-{example}.txt", text)


def test_compare_three_plans_fits_100_columns():
    """Three itineraries side by side still fit in 100 columns."""
    plans = [read_itinerary(PLANS / name) for name in ("paris-vienna-2017-1.json", "paris-vienna-2017-2.json", "barcelona-zurich-2018-1.json")]
    text = _plain(render_comparison(compare_itineraries(plans, ["a", "b", "c"]), plain=True))
    assert max(len(line) for line in text.splitlines()) <= 100


def test_compare_marks_best_and_lists_differences():
    """The best value is marked and cities only in one plan are named."""
    plans = [read_itinerary(PLANS / f"paris-vienna-2017-{k}.json") for k in (1, 2)]
    comparison = compare_itineraries(plans, ["one", "two"])
    value_row = next(r for r in comparison.metrics if r.name == "value")
    values = [p.totals.value for p in plans]
    if values[0] != values[1]:
        assert value_row.best == [values.index(max(values))]
    assert any(line.startswith("only in") for line in comparison.differences)


def test_markdown_briefing_matches_golden():
    """The Markdown briefing note for a saved plan is stable."""
    _golden("paris-vienna-2017-1.md", render_markdown(read_itinerary(PLANS / "paris-vienna-2017-1.json")))


def test_day_table_matches_golden():
    """The terminal day table and totals for a saved plan, plain at 100 columns, are stable."""
    text = _plain(render_itinerary(read_itinerary(PLANS / "paris-vienna-2017-1.json")))
    assert max(len(line) for line in text.splitlines()) <= 100
    text = "".join(line.rstrip() + "\n" for line in text.splitlines())  # no padding for editors to strip
    _golden("paris-vienna-2017-1.table.txt", text)


def _calendar_items(itinerary):
    """What the .ics holds, in order: anchors, visits, each flight or train of a leg, or the leg
    itself when it has neither (a drive, a transfer in town)."""
    for event in itinerary.events():
        moving = [s for s in event.segments if s.mode in ("air", "rail")] if isinstance(event, LegEvent) else []
        yield from moving or [event]


def _times(item):
    if isinstance(item, (LegEvent, SegmentEvent)):
        return item.depart, item.arrive, item.origin_timezone, item.destination_timezone
    return item.start, item.end, item.timezone, item.timezone


@pytest.mark.parametrize("name", sorted(p.name for p in PLANS.glob("*.json")))
def test_ics_round_trip_keeps_every_time(name):
    """Parsing the .ics back gives one event per anchor, visit, flight and train (a leg without
    either is one event) at the JSON's instants, each end in its own zone."""
    itinerary = read_itinerary(PLANS / name)
    calendar = icalendar.Calendar.from_ical(render_ics(itinerary))
    parsed = list(calendar.walk("VEVENT"))
    items = list(_calendar_items(itinerary))
    assert len(parsed) == len(items)
    assert any(isinstance(item, SegmentEvent) for item in items), "the plan has a flight or a train"
    for entry, item in zip(parsed, items):
        start, end, start_zone, end_zone = _times(item)
        assert entry.decoded("dtstart") == start and entry.decoded("dtend") == end
        assert entry["dtstart"].params["TZID"] == start_zone and entry["dtend"].params["TZID"] == end_zone
        assert entry.decoded("dtstart").tzinfo == ZoneInfo(start_zone)


def test_ics_uids_are_stable():
    """Exporting the same plan twice gives the same UIDs (and the same bytes)."""
    itinerary = read_itinerary(PLANS / "paris-vienna-2017-1.json")
    assert render_ics(itinerary) == render_ics(itinerary)
    uids = [e["uid"] for e in icalendar.Calendar.from_ical(render_ics(itinerary)).walk("VEVENT")]
    assert len(set(uids)) == len(uids)


@pytest.mark.parametrize("name", sorted(p.name for p in PLANS.glob("*.json")))
def test_plans_validate_against_published_schema(name):
    """Every saved plan validates against `tripplanner schema itinerary`."""
    jsonschema.validate(json.loads((PLANS / name).read_text()), json.loads(itinerary_schema()))


def test_day_grid_keeps_the_order_of_the_day():
    """Each cell lists anchors, visits and legs as the day runs: the train to Paris between the two visits."""
    plans = [read_itinerary(PLANS / f"paris-vienna-2017-{k}.json") for k in (1, 2)]
    comparison = compare_itineraries(plans, ["plan-1", "plan-2"])
    assert comparison.days[1][0].events == ["Amsterdam: ams-housing", "Amsterdam>Paris rail", "Paris: par-climate"]
    for plan, column in zip(plans, zip(*comparison.days)):
        for day, cell in zip(plan.days, column):
            starts = [e.depart if isinstance(e, LegEvent) else e.start for e in day.events
                      if not (isinstance(e, LegEvent) and e.mode == "in_city")]
            assert starts == sorted(starts), day.date


@pytest.mark.parametrize("order, expected", [
    ((1, 2, 2), ["only in plan-a: Berlin, DE", "only in plan-b, plan-c: Bratislava, SK, Köln, DE"]),
    ((1, 2, 1), ["only in plan-a, plan-c: Berlin, DE", "only in plan-b: Bratislava, SK, Köln, DE",
                 "plan-c is the same as plan-a"]),
])
def test_what_differs_says_each_difference_once(order, expected):
    """With three plans, a city missing from two of them is one line naming both, not one line per pair."""
    plans = [read_itinerary(PLANS / f"paris-vienna-2017-{k}.json") for k in order]
    assert compare_itineraries(plans, ["plan-a", "plan-b", "plan-c"]).differences == expected


def test_comparison_json_has_clean_names_and_numbers():
    """`compare --json`: metric names without padding, numbers as numbers, themes marked as parts of the value."""
    plans = [read_itinerary(PLANS / f"paris-vienna-2017-{k}.json") for k in (1, 2)]
    data = json.loads(compare_itineraries(plans, ["one", "two"]).model_dump_json())
    rows = {row["name"]: row for row in data["metrics"]}
    assert all(name == name.strip() for name in rows)
    assert rows["climate"]["part_of"] == "value" and rows["value"]["part_of"] is None
    for name in ("value", "climate", "days", "travel_min", "distance_km", "co2_kg", "longest_travel_day_min"):
        assert all(isinstance(v, (int, float)) for v in rows[name]["values"]), name
    assert rows["travel_min"]["values"] == [p.totals.travel_min for p in plans]
    assert rows["cities"]["values"][0] == plans[0].totals.cities


def test_markdown_night_in_flight_heading():
    """A day whose night is spent on a plane is headed with the city left and 'night in transit'."""
    text = render_markdown(read_itinerary(PLANS / "paris-vienna-2017-1.json"))
    assert "night in transit)" in text and "to in transit" not in text


def _in_zone(event, zone: str):
    """The event moved to another zone at the same instants (its city's name kept)."""
    if isinstance(event, LegEvent):
        return event.model_copy(update={"origin_timezone": zone, "destination_timezone": zone})
    return event.model_copy(update={"timezone": zone})


@pytest.mark.parametrize("zone, name", [
    ("Asia/Bangkok", "UTC+7"),  # tzdata writes '+07'
    ("Asia/Colombo", "UTC+5:30"),  # '+0530'
    ("America/Argentina/Buenos_Aires", "UTC-3"),  # '-03'
    ("Asia/Seoul", "KST"),  # an abbreviation tzdata has
])
def test_zones_without_an_abbreviation_show_their_offset(zone, name):
    """Table and Markdown name a zone by its abbreviation, or by 'UTC+7' where tzdata only has '+07'."""
    from tripplanner.render.table import describe_event

    itinerary = read_itinerary(PLANS / "paris-vienna-2017-1.json")
    moved = itinerary.model_copy(update={"days": [d.model_copy(update={"events": [_in_zone(e, zone) for e in d.events]})
                                                  for d in itinerary.days]})
    lines = [describe_event(e) for e in moved.events()] + render_markdown(moved).splitlines()
    assert sum(name in line for line in lines) > 10
    assert not any(re.search(r" [+-]\d\d", line) for line in lines)  # no bare '+07' or '-03' left


LONG_NAMES = """
name: long anchor names
home: "Seoul, KR"
window: {earliest_departure: "2017-11-04 09:00", latest_return: "2017-11-15 22:00", max_days: 12}
themes: {climate: 1}
anchors:
  - {name: "International Conference on Decentralisation and Intermunicipal Cooperation", city: "Colombo, LK",
     start: "2017-11-06 10:00", end: "2017-11-06 16:00", role: "delegation head"}
pins: {avoid: ["Paris"]}
"""


@pytest.mark.parametrize("width", [80, 100])
def test_validate_shows_anchor_names_whole(make_trip, width):
    """validate's anchor table keeps every word of a long name (no 'Internatio...'), in the anchor's own zone."""
    from tripplanner.checks import check_trip
    from tripplanner.render.summary import render_validation
    from tripplanner.trip import Validation

    trip = make_trip(LONG_NAMES)
    text = _plain(render_validation(Validation(trip, check_trip(trip))), width)
    assert max(len(line) for line in text.splitlines()) <= width
    rows = [line.split("│") for line in text.splitlines() if line.count("│") > 2]
    column = lambda k: " ".join(row[k].strip() for row in rows if row[k].strip())  # noqa: E731
    assert column(1) == "International Conference on Decentralisation and Intermunicipal Cooperation"
    assert column(3) == "Mon 06 Nov 10:00-16:00 UTC+5:30" and "…" not in text
    assert "pins.avoid[0] (line 9): Paris taken as Paris, FR (2.1 M people; next: Paris, US 25 k)" in " ".join(text.split())
