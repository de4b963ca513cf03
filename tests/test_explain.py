"""Why left-out candidates are out: proven verdicts, confirmed suggestions, a budget, Ctrl-C, the status line."""

import json
import threading
import time

import jsonschema
import pytest

from tripplanner import explain
from tripplanner.api import load_trip, load_trip_text, plan_alternatives, plan_trip
from tripplanner.cli.status import SolveStatus
from tripplanner.explain import ExplainBudget, cost_of_taking, explain_left_out
from tripplanner.models.itinerary import VisitEvent
from tripplanner.render.json import itinerary_schema
from tripplanner.solver.build import build_problem
from tripplanner.solver.params import SolveParams
from tripplanner.solver.solve import solve
from tripplanner.suggest import request_changes

from benchmarks.generated import generated_request
from tests.conftest import CLOSED_ON_WEEKEND, example

PARAMS = SolveParams(time_limit_s=2, workers=1, seed=0, clock_slack=5)
"""Short solves; the clock's safety nets out of the way, so a suggestion replanned gives the same plan."""
EXPLAINED = ["paris-vienna-2017", "barcelona-zurich-2018", "colombo-delhi-bonn-2017"]
"""The examples whose plans leave candidates out."""

OPEN_ONLY_ON_THE_ANCHOR_DAY = """
name: candidate open only while the delegation is held in Paris
home: "Seoul, KR"
window: {earliest_departure: "2017-03-20 08:00", latest_return: "2017-03-24 22:00", max_days: 5}
themes: {public_housing: 3}
anchors:
  - {name: Paris summit, city: "Paris, FR", start: "2017-03-22 09:30", end: "2017-03-22 17:30"}
candidates:
  listed:
    - city: "Vienna, AT"
      projects: [vie-housing]
      availability: {dates: ["2017-03-22"]}
"""


def _visited(itinerary) -> set[str]:
    return {e.project_id for e in itinerary.events() if isinstance(e, VisitEvent)}


@pytest.fixture(scope="module")
def gen_trip(catalogs):
    """30 candidates over a week: too many for a proof in a short solve, so most are left out unexplained."""
    trip = load_trip_text(generated_request(30, 7), catalogs)
    problem, mapping = build_problem(trip)
    return trip, problem, mapping, solve(problem, SolveParams(time_limit_s=1, seed=0))


@pytest.mark.parametrize("stem", EXPLAINED)
def test_each_suggestion_applied_with_set_brings_its_candidate_in(stem):
    """Every suggestion's field and value, applied as `--set FIELD=VALUE`, give a plan with its candidate."""
    outcome = plan_trip(load_trip(example(stem)), PARAMS, explain=True)
    suggested = [item for item in outcome.itinerary.left_out if item.suggestion is not None]
    assert suggested, "no suggestion to check"
    for item in suggested:
        setting = f"{item.suggestion.field}={json.dumps(item.suggestion.value)}"
        changed = plan_trip(load_trip(example(stem), overrides=[setting]), PARAMS)
        assert item.project_id in _visited(changed.itinerary), setting
        assert "--set" in item.smallest_change and "the plan then" in item.smallest_change


def test_json_carries_each_suggestion_as_field_and_value():
    """In the JSON a suggestion is a request field and its new value, and the plan still fits its schema."""
    outcome = plan_trip(load_trip(example("paris-vienna-2017")), PARAMS, explain=True)
    data = outcome.itinerary.model_dump(mode="json")
    suggestions = [item["suggestion"] for item in data["left_out"] if item["suggestion"]]
    assert suggestions and all(s["field"] == "pins.must_visit" and "Vienna, AT" in s["value"] for s in suggestions)
    jsonschema.validate(data, json.loads(itinerary_schema()))


def test_unreachable_only_when_proven(make_trip):
    """A project open only while the delegation is held in Paris is 'unreachable' when its solve proves
    it; pinned, the request indeed has no plan. Without time for that proof it is not called unreachable."""
    trip = make_trip(OPEN_ONLY_ON_THE_ANCHOR_DAY)
    outcome = plan_trip(trip, PARAMS, explain=True)
    [item] = outcome.itinerary.left_out
    assert (item.project_id, item.reason, item.examined) == ("vie-housing", "unreachable", True)
    pinned = plan_trip(load_trip_text(OPEN_ONLY_ON_THE_ANCHOR_DAY + 'pins: {must_visit: ["Vienna, AT"]}\n', trip.catalogs), PARAMS)
    assert pinned.itinerary is None
    problem, mapping = build_problem(trip)
    result = solve(problem, PARAMS)
    [rushed] = explain_left_out(trip, problem, mapping, result, PARAMS, ExplainBudget(0.0))
    assert (rushed.reason, rushed.examined) == ("not_in_best_plan", False)
    assert "not examined: the time limit ran out first" in rushed.detail


def test_explanations_never_hand_out_more_time_than_is_left(gen_trip, monkeypatch):
    """Each probe's time limit ends by the budget's deadline, and the projects the budget does not reach say so."""
    trip, problem, mapping, result = gen_trip
    budget = ExplainBudget(1.5)
    given = []

    def timed_solve(problem, params, *args, **kwargs):
        given.append((time.monotonic(), params.time_limit_s))
        return solve(problem, params, *args, **kwargs)

    monkeypatch.setattr(explain, "solve", timed_solve)
    left_out = explain_left_out(trip, problem, mapping, result, PARAMS, budget)
    assert given and all(start + limit <= budget.deadline + 1e-6 for start, limit in given)
    assert all(start < budget.deadline - explain.MIN_PROBE_SECONDS + 1e-6 for start, _ in given)
    unexamined = [item for item in left_out if not item.examined]
    assert unexamined and all("the time limit ran out first" in item.detail for item in unexamined)
    assert all(item.reason not in ("unreachable", "closed") for item in unexamined)


def test_ctrl_c_during_explanations_returns_what_is_known(gen_trip):
    """A stop request during the explanations ends them within a second, every left-out project listed."""
    trip, problem, mapping, result = gen_trip
    stop = threading.Event()
    stopped_at = []

    def phase(label: str) -> None:
        if not stopped_at:
            stopped_at.append(None)
            threading.Timer(0.5, lambda: (stopped_at.__setitem__(0, time.monotonic()), stop.set())).start()

    left_out = explain_left_out(trip, problem, mapping, result, PARAMS, ExplainBudget(60, stop), phase)
    returned = time.monotonic()
    assert stopped_at[0] is not None and returned - stopped_at[0] < 1.0
    projects = {ref.project.id for ref in mapping.refs if ref.project}
    assert {item.project_id for item in left_out} == projects - explain._visited(result, mapping)
    assert any(not item.examined and "interrupted" in item.detail for item in left_out)


def test_status_line_says_what_is_being_done():
    """The plan's phases reach the status line: 'explaining 3/4' in place of 'solving'."""
    phases = []
    plan_alternatives(load_trip(example("paris-vienna-2017")), PARAMS, explain=True, phase=phases.append)
    assert [p for p in phases if p.startswith("explaining ")] == [f"explaining {k}/4" for k in range(1, 5)]
    status = SolveStatus("solving")
    status.set_phase("explaining 3/4")
    assert status.__rich__().plain.startswith("explaining 3/4: ")


def test_one_more_day_is_tried_only_when_max_days_limits_the_trip(make_trip, closed_on_weekend):
    """max_days +1 is no option when the window, not max_days, is what limits the trip (issue 15)."""
    assert "window.max_days" not in {c.field for c in request_changes(closed_on_weekend, {}, 1)}  # 5 days, 5-day window
    longer = make_trip(CLOSED_ON_WEEKEND.replace("max_days: 5", "max_days: 4"))
    assert [c for c in request_changes(longer, {}, 1) if c.field == "window.max_days"][0].value == 5


@pytest.mark.parametrize("travel_min, said", [
    (80, "taking it costs 0.56 value and 1 h 20 of travel"),
    (-45, "taking it costs 0.56 value, though it saves 45 min of travel"),  # never "-45 min of travel"
    (0, "taking it costs 0.56 value with the same travel time"),
])
def test_travel_added_or_saved_is_said_as_such(travel_min, said):
    """Travel a plan with the project adds is a cost; travel it saves is said as saved, never as a negative cost."""
    assert cost_of_taking(1.2, 0.56, [], travel_min) == f"worth 1.2; {said}"


def test_dropped_cities_are_named():
    """The cities a plan with the project drops come before the travel."""
    assert cost_of_taking(1.2, 0.5, ["Berlin, DE"], -45) == \
        "worth 1.2; taking it costs 0.5 value (drops Berlin, DE), though it saves 45 min of travel"


def test_explain_shares_the_limit_and_ends_by_the_command_deadline(monkeypatch):
    """With --explain the plan's solve gets EXPLAIN_SOLVE_SHARE of the limit, and a command deadline
    already reached leaves no time for a probe: no solve after the plan's own, no suggestion."""
    import tripplanner.solver.solve as solve_module

    limits = []
    real = solve_module.solve

    def recording(problem, params, *args, **kwargs):
        limits.append(params.time_limit_s)
        return real(problem, params, *args, **kwargs)

    monkeypatch.setattr(solve_module, "solve", recording)
    monkeypatch.setattr(explain, "solve", recording)
    trip = load_trip(example("paris-vienna-2017"))
    [outcome] = plan_alternatives(trip, PARAMS, explain=True, deadline=time.monotonic())
    assert limits == [pytest.approx(PARAMS.time_limit_s * explain.EXPLAIN_SOLVE_SHARE)]
    assert outcome.itinerary.left_out and all(item.suggestion is None for item in outcome.itinerary.left_out)
