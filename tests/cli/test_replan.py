"""The replan command: the new plan and what changed, --out/--force, --json, exit codes, clean refusals."""

import json

import pytest

from tripplanner.api import load_trip, plan_trip
from tripplanner.models.itinerary import Itinerary
from tripplanner.render.json import render_json
from tripplanner.solver.params import SolveParams

from tests.conftest import example

EXAMPLE = example("paris-vienna-2017")
FAST = ("--time-limit", "2", "--quiet")
"""The example is proven optimal in well under a second."""
FREE_TRAVEL = ("--set", "scoring.travel_cost_per_hour=0")
MOVED = (*FREE_TRAVEL, "--set", "anchors[0].start=2017-03-17 09:30", "--set", "anchors[0].end=2017-03-17 17:30")
"""The anchor a day later, on the day the old plan visits Barcelona."""


@pytest.fixture(scope="module")
def old_plan(tmp_path_factory):
    """The example planned at no cost of travel, saved as a plan file."""
    trip = load_trip(EXAMPLE, None, ("scoring.travel_cost_per_hour=0",))
    path = tmp_path_factory.mktemp("replan") / "old.json"
    path.write_text(render_json(plan_trip(trip, SolveParams(time_limit_s=2.0)).itinerary))
    return path


def _clean_refusal(result, *fragments: str) -> None:
    """Exit 2 with a message holding each fragment, and no traceback."""
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    for fragment in fragments:
        assert fragment in result.output, result.output


def test_replan_prints_the_plan_and_what_changed_and_writes_it(run, old_plan, tmp_path):
    """Exit 0: the plan, a line per item with its reason, the summary; --out writes a plan that verifies."""
    out = tmp_path / "new.json"
    result = run("replan", EXAMPLE, old_plan, *FAST, *MOVED, "--out", out)
    assert result.exit_code == 0, result.output
    assert "ANCHOR C40 Mayors meeting" in result.output
    assert f"What changed from {old_plan}:" in result.output
    assert ("moved    anchor C40 Mayors meeting (Paris, FR) to Fri 17 Mar: the request moves it from Thu 16 Mar "
            "to Fri 17 Mar") in result.output
    assert "dropped  visit bcn-smartcity (Barcelona, ES): Fri 17 Mar now holds C40 Mayors meeting" in result.output
    assert "Kept 4 of the old plan's 6 items on their days, moved 1, dropped 1, added 0" in result.output
    Itinerary.model_validate_json(out.read_text())
    assert run("verify", EXAMPLE, out, *MOVED).exit_code == 0


def test_out_is_not_overwritten_without_force(run, old_plan, tmp_path):
    """An existing --out file is refused before solving (exit 2, untouched); --force replaces it."""
    out = tmp_path / "new.json"
    out.write_text("keep me")
    _clean_refusal(run("replan", EXAMPLE, old_plan, *FAST, *MOVED, "--out", out), "exists; use --force")
    assert out.read_text() == "keep me"
    assert run("replan", EXAMPLE, old_plan, *FAST, *MOVED, "--out", out, "--force").exit_code == 0
    Itinerary.model_validate_json(out.read_text())


def test_json_lists_the_changes(run, old_plan):
    """--json prints the changes alone, as data: status, kind, name, city, dates, reason."""
    result = run("replan", EXAMPLE, old_plan, *FAST, *MOVED, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    anchor = next(c for c in data["changes"] if c["kind"] == "anchor")
    assert anchor == {"status": "moved", "kind": "anchor", "name": "C40 Mayors meeting", "city": "Paris, FR",
                      "before": "2017-03-16", "after": "2017-03-17",
                      "reason": "the request moves it from Thu 16 Mar to Fri 17 Mar"}
    assert data["figures"]["dropped"] == ["Barcelona, ES"]


def test_a_plan_of_another_trip_is_refused(run, old_plan, tmp_path):
    """The Barcelona request shares no anchor with the Paris plan: exit 2 with the reason, nothing solved."""
    _clean_refusal(run("replan", example("barcelona-zurich-2018"), old_plan, *FAST),
                   "no anchor of the old plan is in the request", "C40 Mayors meeting (Paris, FR)")


def test_a_hand_edited_plan_is_fine(run, old_plan, tmp_path):
    """A visit deleted by hand from the file: the plan is read and re-planned (exit 0)."""
    data = json.loads(old_plan.read_text())
    for day in data["days"]:
        day["events"] = [e for e in day["events"] if e.get("project_id") != "bcn-smartcity"]
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(data))
    result = run("replan", EXAMPLE, edited, *FAST, *FREE_TRAVEL)
    assert result.exit_code == 0, result.output
    assert "kept     visit vie-housing (Vienna, AT)" in result.output


@pytest.mark.parametrize("content, fragment", [
    (None, "cannot read plan"),
    ("not json", "not an itinerary file"),
    ('{"schema_version": "2.0"}', "not an itinerary file"),
], ids=["missing file", "not JSON", "not an itinerary"])
def test_a_bad_old_plan_is_refused_cleanly(run, tmp_path, content, fragment):
    """An old plan that is missing or not an itinerary: exit 2 with the reason, no traceback."""
    path = tmp_path / "old.json"
    if content is not None:
        path.write_text(content)
    _clean_refusal(run("replan", EXAMPLE, path, *FAST), fragment)


def test_a_request_with_no_plan_exits_1(run, old_plan):
    """One day away cannot hold the anchor: exit 1 with the conflicts, as plan does."""
    result = run("replan", EXAMPLE, old_plan, *FAST, "--set", "window.max_days=1")
    assert result.exit_code == 1, result.output
    assert "no feasible plan" in result.output and "Traceback" not in result.output
