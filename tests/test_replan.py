"""Re-planning a changed request from an old plan: untouched days kept, reasons given, foreign plans refused."""

from datetime import date

import pytest

from tripplanner.api import load_trip, plan_trip
from tripplanner.errors import RequestError
from tripplanner.models.itinerary import AnchorEvent, VisitEvent
from tripplanner.replan import replan_trip
from tripplanner.solver.params import SolveParams
from tripplanner.verify import verify

from tests.conftest import example

QUICK = SolveParams(time_limit_s=2.0, clock_slack=3.0)
"""The example is proven optimal in well under a second; the slack lets counted budgets, not a loaded clock, end it."""
FREE_TRAVEL = ("scoring.travel_cost_per_hour=0",)
"""At no cost of travel the example visits five cities on four days around the anchor (README): much to keep."""
ANCHOR_A_DAY_LATER = ("anchors[0].start=2017-03-17 09:30", "anchors[0].end=2017-03-17 17:30")
"""The C40 meeting moves from Thu 16 to Fri 17 Mar, the day the old plan visits Barcelona."""


def _trip(*overrides: str):
    return load_trip(example("paris-vienna-2017"), None, (*FREE_TRAVEL, *overrides))


@pytest.fixture(scope="module")
def old_plan():
    """The example's plan at no cost of travel: London and Paris on Wed 15, the anchor on Thu 16, Barcelona
    on Fri 17, Bonn on Mon 20, Vienna on Tue 21."""
    return plan_trip(_trip(), QUICK).itinerary


def _engagements(itinerary) -> dict:
    """Local date -> the anchors and visits of that day, as (kind, name, city)."""
    out: dict = {}
    for event in itinerary.events():
        if isinstance(event, AnchorEvent):
            out.setdefault(event.start.date(), set()).add(("anchor", event.name, event.city))
        elif isinstance(event, VisitEvent):
            out.setdefault(event.start.date(), set()).add(("visit", event.project_id, event.city))
    return out


def _by_name(changes) -> dict:
    return {change.name: change for change in changes.changes}


def test_replan_after_a_moved_anchor_keeps_the_untouched_days(old_plan):
    """The anchor moves a day: every other day keeps its cities and visits, and the new plan verifies."""
    trip = _trip(*ANCHOR_A_DAY_LATER)
    result = replan_trip(trip, old_plan, QUICK)
    new = result.outcome.itinerary
    assert new is not None and verify(trip, new) == []
    before, after = _engagements(old_plan), _engagements(new)
    anchor = ("anchor", "C40 Mayors meeting", "Paris, FR")
    touched = {day for plan in (before, after) for day, items in plan.items() if anchor in items}
    untouched = sorted(set(before) - touched)
    assert len(untouched) >= 3 and sum(len(before[d]) for d in untouched) >= 4  # there is something to keep
    for day in untouched:
        assert after.get(day) == before[day], day
    changes = _by_name(result.changes)
    assert changes["C40 Mayors meeting"].status == "moved"
    assert changes["C40 Mayors meeting"].reason == "the request moves it from Thu 16 Mar to Fri 17 Mar"
    assert changes["bcn-smartcity"].status == "dropped"
    assert changes["bcn-smartcity"].reason == "Fri 17 Mar now holds C40 Mayors meeting in Paris, FR"


def test_a_fresh_plan_does_not_keep_as_much(old_plan):
    """Minimal change is the re-plan's doing: planned afresh, the changed request keeps fewer old days."""
    trip = _trip(*ANCHOR_A_DAY_LATER)
    kept = _engagements(replan_trip(trip, old_plan, QUICK).outcome.itinerary)
    fresh = _engagements(plan_trip(trip, QUICK).itinerary)
    before = _engagements(old_plan)
    same = lambda plan: sum(len(before[d] & plan.get(d, set())) for d in before)  # noqa: E731
    assert same(kept) > same(fresh)


def test_a_cancelled_city_is_dropped_and_the_rest_kept(old_plan):
    """Bonn is avoided now: its visit is dropped saying so, every other engagement stays on its day."""
    trip = _trip("pins.avoid=[\"Bonn, DE\"]")
    result = replan_trip(trip, old_plan, QUICK)
    assert verify(trip, result.outcome.itinerary) == []
    changes = _by_name(result.changes)
    assert changes["bonn-climate"].status == "dropped"
    assert changes["bonn-climate"].reason == "Bonn, DE is in pins.avoid now"
    others = [c for c in result.changes.changes if c.before is not None and c.name != "bonn-climate"]
    assert len(others) == 5 and all(c.status == "kept" for c in others)


def test_a_new_booking_is_kept_and_named_as_the_reason(old_plan):
    """Nights booked in Bonn on Fri 17 and Sat 18: the plan keeps them, Barcelona's day gives way and says why."""
    trip = _trip('pins.nights=[{city: "Bonn, DE", check_in: "2017-03-17", check_out: "2017-03-19"}]')
    result = replan_trip(trip, old_plan, QUICK)
    assert verify(trip, result.outcome.itinerary) == []
    nights = [c for c in result.changes.changes if c.kind == "night"]
    assert [(c.status, str(c.after), c.reason) for c in nights] == [
        ("added", "2017-03-17", "booked in the request"), ("added", "2017-03-18", "booked in the request")]
    assert _by_name(result.changes)["bcn-smartcity"].reason == "Fri 17 Mar now holds a booked night in Bonn, DE"


def test_another_project_keeps_the_city_on_its_day(make_trip):
    """The old plan's project is no longer listed: another project in the same city takes its day."""
    request = """
        name: stand-in
        home: "Seoul, KR"
        window: {earliest_departure: "2017-03-14 08:00", latest_return: "2017-03-22 22:00", max_days: 9}
        themes: {public_housing: 3, climate: 2}
        anchors:
          - {name: Paris summit, city: "Paris, FR", start: "2017-03-16 09:30", end: "2017-03-16 17:30"}
        candidates:
          listed:
            - {city: "Vienna, AT", projects: [%s]}
        pins: {must_visit: ["Vienna, AT"]}
        scoring: {travel_cost_per_hour: 0}
        """
    small = "{id: vie-climate, title: Climate plan, themes: [climate], relevance: 0.2, visit_min: 60}"
    old = plan_trip(make_trip(request % "vie-housing"), QUICK).itinerary
    trip = make_trip(request % small)
    result = replan_trip(trip, old, QUICK)
    changes = _by_name(result.changes)
    assert changes["vie-housing"].status == "dropped"
    assert changes["vie-housing"].reason == "the project is no longer a candidate in Vienna, AT"
    assert changes["vie-climate"].status == "added" and changes["vie-climate"].after == changes["vie-housing"].before
    assert changes["vie-climate"].reason.startswith("keeps Vienna, AT on ")
    assert verify(trip, result.outcome.itinerary) == []


def test_a_hand_edited_plan_is_accepted(old_plan):
    """A visit removed by hand (totals left as they were): the re-plan reads it and keeps the rest."""
    days = [day.model_copy(update={"events": [e for e in day.events if getattr(e, "project_id", "") != "bonn-climate"]})
            for day in old_plan.days]
    edited = old_plan.model_copy(update={"days": days})
    result = replan_trip(_trip(*ANCHOR_A_DAY_LATER), edited, QUICK)
    assert result.outcome.itinerary is not None
    changes = _by_name(result.changes)
    assert "bonn-climate" not in changes or changes["bonn-climate"].status == "added"
    assert changes["vie-housing"].status == "kept" and changes["lon-agreement"].status == "kept"


def test_a_plan_of_another_home_is_refused(old_plan):
    """A plan from another home city is not a plan of this request: refused, naming both homes."""
    with pytest.raises(RequestError, match="the old plan's home is Busan, KR, the request's is Seoul, KR"):
        replan_trip(_trip(), old_plan.model_copy(update={"home": "Busan, KR"}), QUICK)


def test_a_plan_with_no_anchor_in_common_is_refused():
    """A plan of another trip (Barcelona and Zurich) shares no anchor with the Paris request: refused."""
    other = plan_trip(load_trip(example("barcelona-zurich-2018")), QUICK).itinerary
    with pytest.raises(RequestError, match="no anchor of the old plan is in the request"):
        replan_trip(_trip(), other, QUICK)


def test_replan_is_deterministic(old_plan):
    """The same request and old plan give the same plan and the same list of changes."""
    trip = _trip(*ANCHOR_A_DAY_LATER)
    first, second = (replan_trip(trip, old_plan, QUICK) for _ in range(2))
    assert first.outcome.itinerary.events() == second.outcome.itinerary.events()
    assert first.changes == second.changes


def test_an_unchanged_request_keeps_everything(old_plan):
    """Re-planning the request the plan was made for keeps every item on its day and adds nothing."""
    result = replan_trip(_trip(), old_plan, QUICK)
    assert {c.status for c in result.changes.changes} == {"kept"}
    assert _engagements(result.outcome.itinerary) == _engagements(old_plan)


def test_a_visit_on_a_closed_day_moves_and_says_why(old_plan):
    """A visit hand-moved to a Sunday cannot be kept there: the re-plan moves it to an open day, naming the closure."""
    def to_sunday(event):
        if getattr(event, "project_id", "") != "lon-agreement":
            return event
        shift = event.start.date() - date(2017, 3, 12)
        return event.model_copy(update={"start": event.start - shift, "end": event.end - shift})

    days = [day.model_copy(update={"events": [to_sunday(e) for e in day.events]}) for day in old_plan.days]
    result = replan_trip(_trip(), old_plan.model_copy(update={"days": days}), QUICK)
    change = _by_name(result.changes)["lon-agreement"]
    assert (change.status, str(change.before)) == ("moved", "2017-03-12")
    assert change.reason == "London, GB is not open to visits on Sun 12 Mar (its weekdays, dates and blackouts)"
