"""Planning end to end: examples, determinism, time zones, explanations, infeasibility."""

import json
from datetime import timedelta

import jsonschema
import pytest

from tripplanner.api import load_trip, plan_trip
from tripplanner.models.itinerary import AnchorEvent, LegEvent, VisitEvent
from tripplanner.render.json import itinerary_schema
from tripplanner.solver.params import SolveParams
from tripplanner.verify import verify

from tests.conftest import EXAMPLES, example

QUICK = SolveParams(time_limit_s=4, workers=1, seed=0)
REPEATABLE = SolveParams(time_limit_s=4, workers=1, seed=0, clock_slack=5)
"""QUICK with the wall clock's safety nets out of the way: on a loaded test machine the clock, not
the counted budgets, would otherwise end a search, and the claim under test is about the budgets."""


def _stable(itinerary) -> str:
    data = itinerary.model_dump(mode="json")
    data["solve"].pop("seconds")
    return json.dumps(data, sort_keys=True)


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_example_plans_verifies_and_repeats(path):
    """Every bundled example yields a plan that verifies, and the same plan on a second run."""
    trip = load_trip(path)
    first = plan_trip(trip, REPEATABLE)
    assert first.itinerary is not None, first.conflicts
    assert verify(trip, first.itinerary) == []
    assert {a.name for a in trip.anchors} <= {e.name for e in first.itinerary.events() if isinstance(e, AnchorEvent)}
    second = plan_trip(trip, REPEATABLE)
    assert _stable(first.itinerary) == _stable(second.itinerary)
    outbound = next(e for e in first.itinerary.events() if isinstance(e, LegEvent))
    assert outbound.depart.astimezone(trip.zone).hour >= 6, "leaves home in the night though the day works"
    jsonschema.validate(first.itinerary.model_dump(mode="json"), json.loads(itinerary_schema()))


def test_pinned_city_is_visited():
    """The Paris-Vienna example pins Vienna, so the plan visits Vienna."""
    outcome = plan_trip(load_trip(example("paris-vienna-2017")), QUICK)
    assert any(isinstance(e, VisitEvent) and e.city == "Vienna, AT" for e in outcome.itinerary.events())


def test_trip_across_european_daylight_saving_change(make_trip):
    """Before 26 March 2017 Paris is +01:00, after it +02:00; anchors keep their wall-clock times."""
    trip = make_trip("""
        name: across the clock change
        home: "Seoul, KR"
        window: {earliest_departure: "2017-03-22 08:00", latest_return: "2017-03-31 22:00", max_days: 10}
        themes: {climate: 2, public_housing: 3}
        anchors:
          - {name: Friday forum, city: "Paris, FR", start: "2017-03-24 10:00", end: "2017-03-24 12:00"}
          - {name: Monday forum, city: "Paris, FR", start: "2017-03-27 10:00", end: "2017-03-27 12:00"}
        candidates:
          listed:
            - {city: "Vienna, AT", projects: [vie-housing]}
    """)
    outcome = plan_trip(trip, QUICK)
    assert verify(trip, outcome.itinerary) == []
    anchors = {e.name: e for e in outcome.itinerary.events() if isinstance(e, AnchorEvent)}
    assert anchors["Friday forum"].start.isoformat() == "2017-03-24T10:00:00+01:00"
    assert anchors["Monday forum"].start.isoformat() == "2017-03-27T10:00:00+02:00"
    for visit in (e for e in outcome.itinerary.events() if isinstance(e, VisitEvent)):
        local = visit.start.astimezone(__import__("zoneinfo").ZoneInfo(visit.timezone))
        assert 9 <= local.hour < 18


def test_trip_across_the_date_line(make_trip):
    """Flying Seoul -> San Francisco lands on the same local date, hours 'before' it left."""
    trip = make_trip("""
        name: across the date line
        home: "Seoul, KR"
        window: {earliest_departure: "2018-05-07 08:00", latest_return: "2018-05-13 22:00", max_days: 7}
        themes: {big_data: 2}
        anchors:
          - {name: Sister-city forum, city: "San Francisco, US", start: "2018-05-09 10:00", end: "2018-05-09 16:00"}
    """)
    outcome = plan_trip(trip, QUICK)
    assert verify(trip, outcome.itinerary) == []
    from zoneinfo import ZoneInfo

    outbound = next(e for e in outcome.itinerary.events() if isinstance(e, LegEvent))
    depart = outbound.depart.astimezone(ZoneInfo("Asia/Seoul"))
    arrive = outbound.arrive.astimezone(ZoneInfo("America/Los_Angeles"))
    assert (outbound.arrive - outbound.depart).total_seconds() / 60 == outbound.duration_min
    assert arrive.replace(tzinfo=None) < depart.replace(tzinfo=None) + __import__("datetime").timedelta(minutes=outbound.duration_min) - __import__("datetime").timedelta(hours=12)


def test_closed_candidate_is_explained(closed_on_weekend):
    """A candidate open only on a weekend the trip cannot use is left out as 'closed'."""
    outcome = plan_trip(closed_on_weekend, QUICK, explain=True)
    left = {item.project_id: item for item in outcome.itinerary.left_out}
    assert left["vie-housing"].reason == "closed"


def test_lost_candidate_is_explained_with_a_change(make_trip):
    """With one visit a day, a lower-value candidate loses; --explain says what it costs and what would let it in."""
    trip = make_trip("""
        name: one slot
        home: "Seoul, KR"
        window: {earliest_departure: "2017-03-14 08:00", latest_return: "2017-03-19 22:00", max_days: 6}
        themes: {public_housing: 3, climate: 1}
        anchors:
          - {name: Paris summit, city: "Paris, FR", start: "2017-03-16 09:30", end: "2017-03-16 17:30"}
        candidates:
          listed:
            - {city: "Paris, FR", projects: [par-climate]}
            - {city: "Amsterdam, NL", projects: [{id: ams-housing, title: "Housing corporations model", themes: [public_housing], relevance: 0.5, visit_min: 90, counterpart: "City of Amsterdam"}]}
        limits: {max_visits_per_day: 1}
    """)
    outcome = plan_trip(trip, QUICK, explain=True)
    assert verify(trip, outcome.itinerary) == []
    for item in outcome.itinerary.left_out:
        assert item.reason in ("lost", "unreachable", "closed")
        assert item.detail


def test_infeasible_request_names_the_conflict(anchors_too_far_apart):
    """Two anchors too close in time for the travel between them: no plan, and the shortfall is given."""
    outcome = plan_trip(anchors_too_far_apart, QUICK)
    assert outcome.itinerary is None
    text = " ".join(c.description for c in outcome.conflicts)
    assert "Bonn breakfast" in text and "(+" in text


def test_leg_longer_than_the_daily_limit_travels_alone(make_trip):
    """Paris -> Vienna (about 5.5 h door to door) under a 4 h daily limit: allowed, but alone on its day."""
    trip = make_trip("""
        name: one long train day
        home: "Seoul, KR"
        window: {earliest_departure: "2017-03-14 08:00", latest_return: "2017-03-22 22:00", max_days: 9}
        themes: {public_housing: 3, climate: 2}
        anchors:
          - {name: Paris summit, city: "Paris, FR", start: "2017-03-16 09:30", end: "2017-03-16 17:30"}
          - {name: Vienna forum, city: "Vienna, AT", start: "2017-03-20 10:00", end: "2017-03-20 12:00"}
        candidates:
          listed:
            - {city: "Bratislava, SK", projects: [{id: bts-smartcity, title: "Smart city pilot districts", themes: [smart_city], relevance: 0.4, visit_min: 90, counterpart: "City of Bratislava"}]}
            - {city: "Amsterdam, NL", projects: [{id: ams-housing, title: "Housing corporations model", themes: [public_housing], relevance: 0.5, visit_min: 90, counterpart: "City of Amsterdam"}]}
        limits: {max_travel_hours_per_day: 4}
    """)
    outcome = plan_trip(trip, QUICK)
    assert outcome.itinerary is not None, outcome.conflicts
    assert verify(trip, outcome.itinerary) == []
    long_haul = trip.catalogs.travel.settings.long_haul.min_duration_min
    for day in outcome.itinerary.days:
        legs = [e for e in day.events if isinstance(e, LegEvent) and 0 < e.duration_min < long_haul]
        if any(leg.duration_min > 240 for leg in legs):
            assert len(legs) == 1, [f"{leg.origin} -> {leg.destination}" for leg in legs]


def test_short_legs_arrive_just_in_time(demo_config):
    """A short leg to a visit later the same day leaves so as to arrive at its start less the arrival
    buffer, not at dawn (the
    Bonn example with the demo catalog's day trips: the sourced catalog has no project near Bonn)."""
    trip = load_trip(example("bonn-base-2017"), demo_config)
    outcome = plan_trip(trip, QUICK)
    events = outcome.itinerary.events()
    checked = 0
    for leg, after in zip(events, events[1:]):
        if isinstance(leg, LegEvent) and isinstance(after, VisitEvent) and not leg.long_haul \
                and leg.arrive.astimezone(after.start.tzinfo).date() == after.start.date():
            buffer = trip.limits.arrival_buffer if leg.origin != leg.destination else 0
            ready = after.start - timedelta(minutes=buffer)
            assert leg.arrive == ready, f"{leg.origin} -> {leg.destination} arrives {leg.arrive:%H:%M} for {after.start:%H:%M}"
            checked += 1
    assert checked >= 2


def test_a_search_cut_short_by_the_clock_says_so(catalogs):
    """When the clock cap, not the work count, ends the local search, the plan still verifies and
    says the clock stopped it (a re-run may differ)."""
    from benchmarks.generated import generated_request
    from tripplanner.api import load_trip_text

    trip = load_trip_text(generated_request(50, 14), catalogs)
    outcome = plan_trip(trip, SolveParams(time_limit_s=1, workers=1, seed=0, heuristic_clock_share=0.001,
                                          day_bound_heuristic_clock_share=0.001))
    assert verify(trip, outcome.itinerary) == []
    assert outcome.itinerary.solve.stopped_by == "clock"


def test_local_search_on_a_larger_trip_repeats(catalogs):
    """50 candidates: more than the local search can finish in its share, so it stops on its work
    count, and a second run gives the same plan."""
    from benchmarks.generated import generated_request
    from tripplanner.api import load_trip_text

    trip = load_trip_text(generated_request(50, 5), catalogs)
    params = SolveParams(time_limit_s=6, workers=1, seed=0, clock_slack=5)
    first, second = plan_trip(trip, params), plan_trip(trip, params)
    assert first.itinerary.solve.stopped_by == second.itinerary.solve.stopped_by == "budget"
    assert _stable(first.itinerary) == _stable(second.itinerary)



def test_free_day_travel_leaves_at_a_civil_hour(make_trip):
    """The flight from Seoul fills Friday's travel, so Milan -> Frankfurt (for a Monday meeting) goes
    on Saturday. The earliest timing leaves at 06:00; nothing needs that, so the plan leaves at 09:00."""
    from zoneinfo import ZoneInfo

    trip = make_trip("""
        name: weekend move
        home: "Seoul, KR"
        window: {earliest_departure: "2017-03-17 00:30", latest_return: "2017-03-24 22:00", max_days: 8}
        themes: {climate: 1}
        anchors:
          - {name: Milan dinner, city: "Milan, IT", start: "2017-03-17 18:00", end: "2017-03-17 20:00"}
          - {name: Frankfurt meeting, city: "Frankfurt am Main, DE", start: "2017-03-20 10:00", end: "2017-03-20 12:00"}
    """)
    outcome = plan_trip(trip, QUICK)
    assert verify(trip, outcome.itinerary) == []
    leg = next(e for e in outcome.itinerary.events() if isinstance(e, LegEvent) and e.origin == "Milan, IT")
    assert leg.depart.astimezone(ZoneInfo(leg.origin_timezone)).strftime("%a %H:%M") == "Sat 09:00"


@pytest.mark.parametrize("stem", ["paris-vienna-2017", "colombo-delhi-bonn-2017"])
def test_side_by_side_workers_find_the_proven_plan(stem):
    """--workers 2 runs the local search and CP-SAT at once: the plan verifies, is proven best as the
    one-at-a-time search proves it, with the same worth."""
    trip = load_trip(example(stem))
    alone = plan_trip(trip, REPEATABLE)
    together = plan_trip(trip, SolveParams(time_limit_s=4, workers=2, seed=0))
    assert together.itinerary is not None and verify(trip, together.itinerary) == []
    assert alone.itinerary.solve.status == together.itinerary.solve.status == "optimal"
    assert together.itinerary.totals.worth == alone.itinerary.totals.worth
    assert together.itinerary.solve.workers == 2
