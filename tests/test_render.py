"""Renderers and comparison: golden files (plain mode), iCalendar round trip, JSON Schema."""

import io
import json
import os
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
