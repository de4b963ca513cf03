"""Pace limits and presets: buffers after an arrival and after an anchor, the earliest start, the
number of cities, whole stays; each held by the solver and caught by verify in a hand-edited plan."""

from datetime import timedelta

import pytest

from tripplanner.api import plan_trip
from tripplanner.errors import RequestError
from tripplanner.models.itinerary import AnchorEvent, LegEvent, VisitEvent
from tripplanner.solver.params import SolveParams
from tripplanner.timeutil import minutes_between
from tripplanner.verify import verify

PARAMS = SolveParams(time_limit_s=4, workers=1, seed=0, clock_slack=5)

PARIS_THEN_BRUSSELS = """
name: an anchor in Paris, then a visit in Brussels the same afternoon
home: "Seoul, KR"
window: {{earliest_departure: "2019-03-10 08:00", latest_return: "2019-03-16 22:00", max_days: 7}}
themes: {{transport: 3}}
anchors:
  - {{name: Transport summit, city: "Paris, FR", start: "2019-03-12 09:00", end: "2019-03-12 11:00"}}
candidates:
  listed:
    - city: "Brussels, BE"
      projects: [{{id: bru-fares, title: Fare integration, themes: [transport], relevance: 1, stage: implement, visit_min: 60}}]
      availability: {{dates: ["2019-03-12"]}}
limits: {{max_visits_per_day: 2{extra}}}
scoring: {{travel_cost_per_hour: 0}}
"""


def _plan(make_trip, extra: str = ""):
    trip = make_trip(PARIS_THEN_BRUSSELS.format(extra=extra))
    itinerary = plan_trip(trip, PARAMS).itinerary
    assert itinerary is not None
    assert verify(trip, itinerary) == []
    return trip, itinerary


def _around_brussels(itinerary):
    events = itinerary.events()
    anchor = next(e for e in events if isinstance(e, AnchorEvent))
    leg = next(e for e in events if isinstance(e, LegEvent) and e.destination == "Brussels, BE")
    visit = next(e for e in events if isinstance(e, VisitEvent))
    return anchor, leg, visit


def test_normal_pace_leaves_time_after_the_anchor_and_after_the_arrival(make_trip):
    """normal: the train leaves Paris at least 30 min after the summit ends, and the visit starts at
    least 45 min after the delegation reaches Brussels."""
    trip, itinerary = _plan(make_trip)
    anchor, leg, visit = _around_brussels(itinerary)
    assert (trip.limits.departure_buffer, trip.limits.arrival_buffer) == (30, 45)
    assert minutes_between(anchor.end, leg.depart) >= 30
    assert minutes_between(leg.arrive, visit.start) >= 45


def test_intensive_pace_starts_the_visit_half_an_hour_sooner(make_trip):
    """intensive (15 and 30 min) makes the same visit 30 min sooner than normal (30 and 45 min)."""
    _, normal = _plan(make_trip)
    trip, intensive = _plan(make_trip, ", pace: intensive")
    assert (trip.limits.departure_buffer, trip.limits.arrival_buffer) == (15, 30)
    assert minutes_between(_around_brussels(intensive)[2].start, _around_brussels(normal)[2].start) == 30


def test_a_limit_written_out_beats_the_preset(make_trip):
    trip = make_trip(PARIS_THEN_BRUSSELS.format(extra=", pace: relaxed, arrival_buffer_min: 10"))
    assert trip.limits.arrival_buffer == 10
    assert trip.limits.departure_buffer == 60 and trip.limits.city_limit == 3


def test_verify_catches_a_visit_moved_onto_the_arrival(make_trip):
    trip, itinerary = _plan(make_trip)
    _, leg, visit = _around_brussels(itinerary)
    moved = _replace(itinerary, visit, start=leg.arrive + timedelta(minutes=10),
                     end=leg.arrive + timedelta(minutes=70))
    assert "arrival_buffer" in {v.rule for v in verify(trip, moved)}


def test_verify_catches_a_leg_leaving_as_the_anchor_ends(make_trip):
    trip, itinerary = _plan(make_trip)
    anchor, leg, _ = _around_brussels(itinerary)
    early = leg.depart - anchor.end
    moved = _replace(itinerary, leg, depart=anchor.end, arrive=leg.arrive - early)
    rules = {v.rule for v in verify(trip, moved)}
    assert "departure_buffer" in rules


def _replace(itinerary, target, **changes):
    days = [d.model_copy(update={"events": [e.model_copy(update=changes) if e is target else e for e in d.events]})
            for d in itinerary.days]
    return itinerary.model_copy(update={"days": days})


def test_earliest_start_holds_back_short_legs(make_trip):
    """With the earliest start at 10:00 no leg that is not long-haul leaves before 10:00 local, and a
    leg moved to 09:30 breaks the night rule."""
    trip, itinerary = _plan(make_trip, ', earliest_start: "10:00"')
    short = [e for e in itinerary.events() if isinstance(e, LegEvent) and not e.long_haul and e.origin != e.destination]
    assert short
    for leg in short:
        local = leg.depart.astimezone(leg.depart.tzinfo)
        assert (local.hour, local.minute) >= (10, 0), f"{leg.origin} -> {leg.destination} at {local:%H:%M}"
    leg = short[0]
    shift = timedelta(hours=leg.depart.hour - 9, minutes=leg.depart.minute - 30)
    moved = _replace(itinerary, leg, depart=leg.depart - shift, arrive=leg.arrive - shift)
    assert "night" in {v.rule for v in verify(trip, moved)}


def test_a_bad_earliest_start_names_the_field(make_trip):
    with pytest.raises(RequestError) as error:
        make_trip(PARIS_THEN_BRUSSELS.format(extra=', earliest_start: "7am"'))
    assert "limits.earliest_start" in str(error.value) and "HH:MM" in str(error.value)


def test_an_unknown_pace_names_the_choices(make_trip):
    with pytest.raises(RequestError) as error:
        make_trip(PARIS_THEN_BRUSSELS.format(extra=", pace: brisk"))
    assert "limits.pace" in str(error.value) and "relaxed" in str(error.value)


FOUR_CITIES = """
name: a forum in Frankfurt with three projects around it
home: "Seoul, KR"
window: {{earliest_departure: "2017-11-13 08:00", latest_return: "2017-11-21 22:00", max_days: 9}}
themes: {{climate: 3}}
anchors:
  - {{name: Climate forum, city: "Frankfurt am Main, DE", start: "2017-11-15 10:00", end: "2017-11-15 16:00"}}
candidates:
  listed:
    - {{city: "Mainz, DE", projects: [{{title: District heating, themes: [climate], relevance: 0.8, stage: implement}}]}}
    - {{city: "Heidelberg, DE", projects: [{{title: Passive housing, themes: [climate], relevance: 0.8, stage: implement}}]}}
    - {{city: "Wiesbaden, DE", projects: [{{title: Heat plan, themes: [climate], relevance: 0.8, stage: implement}}]}}
limits: {{max_visits_per_day: 3{extra}}}
"""


def _cities(itinerary):
    return set(itinerary.totals.cities)


def test_max_cities_caps_the_plan_and_verify_holds_it(make_trip):
    """Uncapped, all four cities are visited; max_cities 2 keeps Frankfurt and one more, and the
    uncapped plan breaks max_cities against the capped request."""
    trip = make_trip(FOUR_CITIES.format(extra=""))
    free = plan_trip(trip, PARAMS).itinerary
    assert len(_cities(free)) == 4
    capped_trip = make_trip(FOUR_CITIES.format(extra=", max_cities: 2"))
    capped = plan_trip(capped_trip, PARAMS).itinerary
    assert verify(capped_trip, capped) == []
    assert len(_cities(capped)) == 2 and "Frankfurt am Main, DE" in _cities(capped)
    assert "max_cities" in {v.rule for v in verify(capped_trip, free)}


def test_relaxed_pace_visits_at_most_three_cities(make_trip):
    trip = make_trip(FOUR_CITIES.format(extra=", pace: relaxed"))
    itinerary = plan_trip(trip, PARAMS).itinerary
    assert verify(trip, itinerary) == []
    assert len(_cities(itinerary)) == 3


PARIS_TWICE = """
name: two Paris projects, Paris open on Monday and Friday only, an anchor in London on Wednesday
home: "Seoul, KR"
window: {{earliest_departure: "2019-03-09 08:00", latest_return: "2019-03-17 22:00", max_days: 9}}
themes: {{transport: 3}}
anchors:
  - {{name: London transport forum, city: "London, GB", start: "2019-03-13 10:00", end: "2019-03-13 16:00"}}
candidates:
  listed:
    - city: "Paris, FR"
      projects:
        - {{id: par-buses, title: Bus lanes, themes: [transport], relevance: 1, stage: implement}}
        - {{id: par-night, title: Night buses, themes: [transport], relevance: 1, stage: implement}}
      availability: {{dates: ["2019-03-11", "2019-03-15"]}}
limits: {{max_visits_per_day: 1{extra}}}
scoring: {{travel_cost_per_hour: 0}}
"""


def test_a_city_is_not_split_over_two_stays_unless_allowed(make_trip):
    """Paris on Monday and again on Friday around London (one visit a day) is two stays with no anchor in Paris: one
    Paris visit only, unless split_stays allows both; verify catches the split plan."""
    whole_trip = make_trip(PARIS_TWICE.format(extra=""))
    whole = plan_trip(whole_trip, PARAMS).itinerary
    assert verify(whole_trip, whole) == []
    assert len([e for e in whole.events() if isinstance(e, VisitEvent)]) == 1
    split_trip = make_trip(PARIS_TWICE.format(extra=", split_stays: true"))
    split = plan_trip(split_trip, PARAMS).itinerary
    assert verify(split_trip, split) == []
    assert {e.project_id for e in split.events() if isinstance(e, VisitEvent)} == {"par-buses", "par-night"}
    assert "split_stay" in {v.rule for v in verify(whole_trip, split)}


def test_two_anchors_in_one_city_may_be_two_stays(make_trip):
    """A city left and come back to for a second anchor is not a split stay."""
    text = PARIS_TWICE.format(extra="").replace(
        "anchors:\n", 'anchors:\n  - {name: Paris opening, city: "Paris, FR", start: "2019-03-11 14:00", end: "2019-03-11 16:00"}\n'
                      '  - {name: Paris closing, city: "Paris, FR", start: "2019-03-15 14:00", end: "2019-03-15 16:00"}\n')
    trip = make_trip(text)
    itinerary = plan_trip(trip, PARAMS).itinerary
    assert verify(trip, itinerary) == []
    assert [e.destination for e in itinerary.events() if isinstance(e, LegEvent) and e.origin != e.destination][:3] == \
        ["Paris, FR", "London, GB", "Paris, FR"]


DINNER_IN_DUBAI = """
name: a dinner in Dubai, a long morning visit in Delhi the next day
home: "Seoul, KR"
window: {{earliest_departure: "2019-03-10 08:00", latest_return: "2019-03-16 22:00", max_days: 7}}
themes: {{water_supply: 3}}
anchors:
  - {{name: Gala dinner, city: "Dubai, AE", start: "2019-03-12 19:00", end: "2019-03-12 21:30"}}
candidates:
  listed:
    - city: "Delhi, IN"
      projects: [{{id: del-pipes, title: Water mains, themes: [water_supply], relevance: 1, stage: implement, visit_min: 240}}]
      availability: {{dates: ["2019-03-13"]}}
scoring: {{travel_cost_per_hour: 0}}
limits: {{overnight_legs: {overnight}}}
"""


def test_no_short_leg_runs_into_the_night_unless_allowed(make_trip):
    """Dubai-Delhi (7 h 06, not long-haul) could leave after the dinner and land at 07:06 for a morning
    visit: a red-eye the default refuses (leaving at 06:00 lands too late for a 4-hour visit), and
    overnight_legs allows; verify names the rule."""
    strict = make_trip(DINNER_IN_DUBAI.format(overnight="false"))
    plan = plan_trip(strict, PARAMS).itinerary
    assert verify(strict, plan) == []
    assert not [e for e in plan.events() if isinstance(e, VisitEvent)]
    allowed = make_trip(DINNER_IN_DUBAI.format(overnight="true"))
    red_eye = plan_trip(allowed, PARAMS).itinerary
    assert verify(allowed, red_eye) == []
    assert [e.project_id for e in red_eye.events() if isinstance(e, VisitEvent)] == ["del-pipes"]
    assert "overnight_leg" in {v.rule for v in verify(strict, red_eye)}


SAO_PAULO = """
name: a summit in Sao Paulo
home: "Seoul, KR"
window: {{earliest_departure: "2019-05-05 08:00", latest_return: "2019-05-14 22:00", max_days: 10}}
themes: {{transport: 3}}
anchors:
  - {{name: Mobility summit, city: "São Paulo, BR", start: "2019-05-08 09:00", end: "2019-05-08 17:00"}}
candidates:
  listed:
    - {{city: "Buenos Aires, AR", projects: [bue-commercial-map]}}
limits: {{max_leg_hours: {hours}}}
"""


def test_an_anchor_out_of_reach_of_the_single_leg_limit_is_caught_before_solving(make_trip):
    """Seoul-Sao Paulo is over 18 h door to door by any way, Buenos Aires included: the check names the
    limit and the value that lets the trip plan, and that value does."""
    from tripplanner.checks import check_trip

    problems = check_trip(make_trip(SAO_PAULO.format(hours=18)))
    assert [p.path for p in problems] == ["limits.max_leg_hours"]
    hours = int(problems[0].message.split("--set limits.max_leg_hours=")[1].rstrip(")"))
    assert hours > 18
    assert "São Paulo, BR is out of reach" in problems[0].message
    trip = make_trip(SAO_PAULO.format(hours=hours))
    assert check_trip(trip) == []
    itinerary = plan_trip(trip, PARAMS).itinerary
    assert itinerary is not None and verify(trip, itinerary) == []
    assert not check_trip(make_trip(SAO_PAULO.format(hours=hours - 1))) == []


LA_LIMA = """
name: Los Angeles forum, then Lima
home: "Seoul, KR"
window: {{earliest_departure: "2026-10-30 09:00", latest_return: "2026-11-10 22:00", max_days: 11}}
themes: {{transport: 3}}
anchors:
  - {{name: Urban mobility forum, city: "Los Angeles, US", start: "2026-11-02 09:00", end: "2026-11-02 16:00"}}
  - {{name: BRT signing, city: "Lima, PE", start: "2026-11-05 10:00", end: "2026-11-05 12:00"}}
candidates:
  listed:
    - {{city: "Bogotá, CO", projects: [bog-fare-fleet]}}
limits: {{max_leg_hours: {hours}}}
"""


def test_a_way_home_over_the_single_leg_limit_gets_the_limit_that_plans(make_trip):
    """Lima is reached by way of Los Angeles, but the way home cannot go back through it (one stay per
    city) and every other way is over 24 h: the explanations name the single-leg limit that plans."""
    from tripplanner.checks import check_trip
    from tripplanner.explain import diagnose

    trip = make_trip(LA_LIMA.format(hours=18))
    assert check_trip(trip) == [] and plan_trip(trip, PARAMS).itinerary is None
    advice = [c.description for c in diagnose(trip, PARAMS) if "single-leg limit to" in c.description]
    assert len(advice) == 1 and "Seoul, KR - Lima, PE takes" in advice[0]
    hours = int(advice[0].split("--set limits.max_leg_hours=")[1].split(":")[0])
    assert hours > 24
    lifted = make_trip(LA_LIMA.format(hours=hours))
    itinerary = plan_trip(lifted, PARAMS).itinerary
    assert itinerary is not None and verify(lifted, itinerary) == []


def test_max_hotel_changes_caps_the_nights_and_verify_holds_it(make_trip):
    """Free of a cap, the Frankfurt trip changes hotels; capped at none it keeps one hotel (and stays
    proven optimal), and the free plan breaks max_hotel_changes against the capped request."""
    free_trip = make_trip(FOUR_CITIES.format(extra=""))
    free = plan_trip(free_trip, PARAMS).itinerary
    assert free.totals.hotel_changes >= 1
    capped_trip = make_trip(FOUR_CITIES.format(extra=", max_hotel_changes: 0"))
    capped = plan_trip(capped_trip, PARAMS).itinerary
    assert verify(capped_trip, capped) == []
    assert capped.totals.hotel_changes == 0
    assert capped.solve.status == "optimal"
    assert "max_hotel_changes" in {v.rule for v in verify(capped_trip, free)}
