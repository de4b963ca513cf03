"""--set on plan and validate, and the whatif command: comparison, summary, no plan, bad options, exit codes."""

import json

from tripplanner.models.itinerary import Itinerary

from tests.conftest import example

EXAMPLE = example("paris-vienna-2017")
FAST = ("--time-limit", "2")
"""The example is proven optimal in well under a second; 2 s keeps a slow machine deterministic too."""
NO_TRAVEL_COST = ("--set", "scoring.travel_cost_per_hour=0")
"""On the example this adds cities: at the default cost only Paris and Vienna are worth the journey (README)."""


def _clean_refusal(result, *fragments: str) -> None:
    """Exit 2 with a message holding each fragment, and no traceback."""
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    for fragment in fragments:
        assert fragment in result.output, result.output


def test_plan_with_set_records_the_change_in_the_written_plan(run, tmp_path):
    """plan --set plans the changed request, names the change in the plan and writes a schema-valid file."""
    out = tmp_path / "plan.json"
    result = run("plan", EXAMPLE, *FAST, "--quiet", *NO_TRAVEL_COST, "--out", out)
    assert result.exit_code == 0, result.output
    itinerary = Itinerary.model_validate_json(out.read_text())
    assert itinerary.name.endswith("(what-if: scoring.travel_cost_per_hour=0)")
    assert itinerary.request_file == str(EXAMPLE)
    assert len(itinerary.totals.cities) > 2
    assert run("verify", EXAMPLE, out, *NO_TRAVEL_COST).exit_code == 0


def test_whatif_compares_the_baseline_with_the_change(run):
    """Free travel adds cities: the comparison shows both columns and the summary names the added cities."""
    result = run("whatif", EXAMPLE, *FAST, "--quiet", *NO_TRAVEL_COST)
    assert result.exit_code == 0, result.output
    assert "baseline" in result.output and "what-if" in result.output
    assert "only in what-if:" in result.output
    summary = next(line for line in result.output.splitlines() if line.startswith("what-if ("))
    assert summary.startswith("what-if (scoring.travel_cost_per_hour=0) against the baseline: value +")
    assert "cities added: none" not in summary and "dropped: none" in summary


def test_whatif_json_is_the_comparison(run):
    """--json prints the comparison as compare --json does, labelled baseline and what-if."""
    result = run("whatif", EXAMPLE, *FAST, "--quiet", "--json", *NO_TRAVEL_COST)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["labels"] == ["baseline", "what-if"]
    cities = next(row for row in data["metrics"] if row["name"] == "cities")["values"]
    assert set(cities[0]) < set(cities[1])


def test_whatif_that_changes_nothing_says_so(run):
    """Setting a field to the file's own value gives the same plan (the solver is deterministic)."""
    result = run("whatif", EXAMPLE, *FAST, "--quiet", "--set", "window.max_days=9")
    assert result.exit_code == 0, result.output
    assert "what-if is the same as baseline" in result.output
    assert "value unchanged, worth unchanged, travel unchanged, days unchanged" in result.output


def test_whatif_writes_both_plans(run, tmp_path):
    """--out-dir writes baseline.json and whatif.json, each named for what it is."""
    folder = tmp_path / "drafts"
    result = run("whatif", EXAMPLE, *FAST, "--quiet", *NO_TRAVEL_COST, "--out-dir", folder)
    assert result.exit_code == 0, result.output
    baseline = Itinerary.model_validate_json((folder / "baseline.json").read_text())
    changed = Itinerary.model_validate_json((folder / "whatif.json").read_text())
    assert "what-if" not in baseline.name and changed.name.endswith("(what-if: scoring.travel_cost_per_hour=0)")
    assert run("whatif", EXAMPLE, *FAST, *NO_TRAVEL_COST, "--out-dir", folder).exit_code == 2  # no overwrite


def test_whatif_without_a_plan_says_which_and_why(run):
    """One day away cannot hold the anchor: exit 1, the what-if named with its conflict, the baseline not."""
    result = run("whatif", EXAMPLE, *FAST, "--quiet", "--set", "window.max_days=1")
    assert result.exit_code == 1, result.output
    assert "no feasible plan for the what-if" in result.output
    assert "no feasible plan for the baseline" not in result.output
    assert "window.max_days (--set window.max_days=1): the mandatory anchors alone need" in result.output


def test_whatif_needs_a_change(run):
    """Without --set there is nothing to compare: exit 2 before solving."""
    _clean_refusal(run("whatif", EXAMPLE, *FAST), "needs at least one --set FIELD=VALUE")


def test_an_unknown_field_is_refused_naming_the_path_and_the_option(run):
    """A typo in --set fails like one in the file, on every command that takes --set."""
    for command in ("plan", "whatif", "validate"):
        extra = FAST if command != "validate" else ()
        result = run(command, EXAMPLE, *extra, "--set", "limits.max_travel_hour=8")
        _clean_refusal(result, "limits.max_travel_hour (--set limits.max_travel_hour=8): unknown field",
                       "did you mean 'max_travel_hours_per_day'")


def test_malformed_options_are_refused(run):
    """No '=', an index past the list's end, a field under a text: exit 2 naming each option."""
    _clean_refusal(run("plan", EXAMPLE, *FAST, "--set", "window.max_days", "--set", "=4"),
                   "--set window.max_days: no '='", "--set =4: the field is empty")
    _clean_refusal(run("whatif", EXAMPLE, *FAST, "--set", "anchors[3].start=2017-03-16 10:00"),
                   "anchors has 1 item(s), so no [3]")
    _clean_refusal(run("validate", EXAMPLE, "--set", "name.short=x"), "--set name.short=x: name is a text")


def test_validate_with_set_shows_the_changed_request(run):
    """validate --set summarises the request as changed, its name saying so."""
    result = run("validate", EXAMPLE, "--set", "window.max_days=7")
    assert result.exit_code == 0, result.output
    words = " ".join(result.output.split())  # the terminal width wraps the summary
    assert "at most 7 days" in words and "(what-if: window.max_days=7)" in words
