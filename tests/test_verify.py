"""The independent checker rejects plans broken by a single edit, with the right rule."""

import dataclasses
import re
from zoneinfo import ZoneInfo

import pytest

from tripplanner.api import load_trip_text, plan_trip, read_itinerary
from tripplanner.models.itinerary import AnchorEvent, LegEvent, VisitEvent
from tripplanner.solver.params import SolveParams
from tripplanner.timeutil import later, minutes_between
from tripplanner.verify import verify

from tests.conftest import DATA, TWO_ANCHOR_TRIP, saved_plan_request


@pytest.fixture(scope="module")
def planned(catalogs):
    """The two-anchor trip and the plan the solver makes for it (planned once for the module)."""
    trip = load_trip_text(TWO_ANCHOR_TRIP, catalogs)
    outcome = plan_trip(trip, SolveParams(time_limit_s=3))
    assert outcome.itinerary is not None, outcome.conflicts
    return trip, outcome.itinerary


@pytest.fixture(scope="module")
def saved():
    """The Paris-Vienna example and its saved plan (made with the demo catalog, before the pace limits),
    which has two visits on three of its days."""
    return saved_plan_request("paris-vienna-2017"), read_itinerary(DATA / "plans" / "paris-vienna-2017-1.json")


def _valid(pair):
    """The trip and plan, after checking that the unedited plan breaks no rule."""
    trip, itinerary = pair
    assert verify(trip, itinerary) == [], "the plan breaks a rule before any edit"
    return trip, itinerary


def _edit(itinerary, predicate, **update):
    """A copy of the itinerary with the first event matching predicate changed."""
    days = []
    done = False
    for day in itinerary.days:
        events = []
        for event in day.events:
            if not done and predicate(event):
                event = event.model_copy(update={k: v(event) for k, v in update.items()})
                done = True
            events.append(event)
        days.append(day.model_copy(update={"events": events}))
    assert done, "no event matched"
    return itinerary.model_copy(update={"days": days})


def _with_limits(trip, **update):
    """The same trip with some of its limits changed."""
    return dataclasses.replace(trip, limits=trip.limits.model_copy(update=update))


def _local_date(moment, leg):
    """The date of an instant where the leg lands."""
    return moment.astimezone(ZoneInfo(leg.destination_timezone)).date()


def _rules(trip, itinerary):
    return {v.rule for v in verify(trip, itinerary)}


def _gap_after_leg(itinerary, after_kind, when=lambda leg, after: True) -> int:
    """Minutes from the first leg directly followed by an engagement of after_kind (and satisfying
    when) arriving to that engagement starting."""
    events = itinerary.events()
    for before, after in zip(events, events[1:]):
        if isinstance(before, LegEvent) and isinstance(after, after_kind) and when(before, after):
            return round(minutes_between(before.arrive, after.start))
    pytest.fail(f"the plan has no leg directly followed by {after_kind}")


def test_visit_moved_out_of_office_hours(planned):
    """A visit shifted to 20:00 local breaks office hours."""
    trip, itinerary = _valid(planned)
    broken = _edit(itinerary, lambda e: isinstance(e, VisitEvent),
                   start=lambda e: later(e.start, 11 * 60), end=lambda e: later(e.end, 11 * 60))
    assert "office_hours" in _rules(trip, broken)


def test_leg_shortened(planned):
    """A leg that arrives faster than the travel model allows is rejected, for that reason alone."""
    trip, itinerary = _valid(planned)
    broken = _edit(itinerary, lambda e: isinstance(e, LegEvent) and e.mode == "air",
                   arrive=lambda e: later(e.arrive, -60))
    assert _rules(trip, broken) == {"travel_time"}


def test_anchor_moved(planned):
    """An anchor not at its fixed time is rejected."""
    trip, itinerary = _valid(planned)
    broken = _edit(itinerary, lambda e: isinstance(e, AnchorEvent),
                   start=lambda e: later(e.start, 30), end=lambda e: later(e.end, 30))
    assert "anchor" in _rules(trip, broken)


def test_dropped_anchor(planned):
    """A plan without a mandatory anchor is rejected, for that reason alone."""
    trip, itinerary = _valid(planned)
    days = [d.model_copy(update={"events": [e for e in d.events if getattr(e, "name", "") != "Bonn session"]}) for d in itinerary.days]
    assert _rules(trip, itinerary.model_copy(update={"days": days})) == {"anchor"}


def test_late_return(planned):
    """Coming home three days late breaks the window and the number of days away."""
    trip, itinerary = _valid(planned)
    last = itinerary.events()[-1]
    broken = _edit(itinerary, lambda e: e is last, depart=lambda e: later(e.depart, 3 * 24 * 60), arrive=lambda e: later(e.arrive, 3 * 24 * 60))
    assert _rules(trip, broken) == {"window", "max_days"}


def test_night_departure(planned):
    """A short leg moved to depart at 02:00 local breaks the night rule."""
    trip, itinerary = _valid(planned)

    def to_two_am(event):
        local = event.depart.astimezone(ZoneInfo(event.origin_timezone))
        return local.replace(hour=2, minute=0)

    short = lambda e: isinstance(e, LegEvent) and not e.long_haul and e.mode != "in_city"  # noqa: E731
    broken = _edit(itinerary, short, depart=to_two_am, arrive=lambda e: later(to_two_am(e), e.duration_min))
    assert "night" in _rules(trip, broken)


def test_leg_leaving_before_the_visit_ends(planned):
    """A leg made to depart 30 min before the visit it follows has ended breaks overlap, and only it."""
    trip, itinerary = _valid(planned)
    events = itinerary.events()
    leg = next(after for before, after in zip(events, events[1:]) if isinstance(before, VisitEvent) and isinstance(after, LegEvent))
    broken = _edit(itinerary, lambda e: e is leg, depart=lambda e: later(e.depart, -30))
    violations = verify(trip, broken)
    assert [v.rule for v in violations] == ["overlap"]
    assert leg.origin in violations[0].message


def test_leg_longer_than_the_single_leg_limit(planned):
    """With the single-leg limit a minute under the plan's longest leg, that leg breaks max_leg."""
    trip, itinerary = _valid(planned)
    legs = [e for e in itinerary.events() if isinstance(e, LegEvent)]
    longest = max(legs, key=lambda leg: minutes_between(leg.depart, leg.arrive))
    tight = _with_limits(trip, max_leg_hours=(round(minutes_between(longest.depart, longest.arrive)) - 1) / 60)
    violations = verify(tight, itinerary)
    assert [v.rule for v in violations] == ["max_leg"]
    assert f"{longest.origin} -> {longest.destination}" in violations[0].message


def test_arrival_too_close_to_an_anchor(planned):
    """Asking for an hour more before an anchor than the plan leaves after arriving breaks anchor_buffer."""
    trip, itinerary = _valid(planned)
    gap = _gap_after_leg(itinerary, AnchorEvent)
    assert _rules(_with_limits(trip, anchor_buffer_hours=(gap + 60) / 60), itinerary) == {"anchor_buffer"}


def test_engagement_too_soon_after_a_long_haul_arrival(planned):
    """Asking for an hour more rest after a long-haul flight than the plan leaves breaks long_haul_rest."""
    trip, itinerary = _valid(planned)
    gap = _gap_after_leg(itinerary, (AnchorEvent, VisitEvent), lambda leg, _: leg.long_haul)
    assert _rules(_with_limits(trip, long_haul_rest_hours=(gap + 60) / 60), itinerary) == {"long_haul_rest"}


def test_night_shorter_than_the_minimum_rest(planned):
    """Asking for an hour more night rest than the plan leaves between an arrival and the next
    morning's engagement breaks night_rest."""
    trip, itinerary = _valid(planned)
    gap = _gap_after_leg(itinerary, (AnchorEvent, VisitEvent),
                         lambda leg, after: _local_date(after.start, leg) > _local_date(leg.arrive, leg))
    assert gap < 23 * 60, "the rest asked for must stay a plausible night (the request allows at most 24 h)"
    assert _rules(_with_limits(trip, min_night_rest_hours=(gap + 60) / 60), itinerary) == {"night_rest"}


def test_more_visits_in_a_day_than_allowed(saved):
    """The saved plan makes two visits on three days: with one visit a day allowed, each of those
    days breaks max_visits."""
    trip, itinerary = _valid(saved)
    violations = verify(_with_limits(trip, max_visits_per_day=1), itinerary)
    assert {v.rule for v in violations} == {"max_visits"}
    assert len(violations) == 3


def test_flight_that_is_no_route_of_the_network(saved):
    """A hand-edited flight on a pair no airline flies (the Seoul leg rerouted from Bratislava's own
    airport) breaks the flight rule, whatever its times."""
    trip, itinerary = _valid(saved)
    leg = next(e for e in itinerary.events() if isinstance(e, LegEvent) and any(s.mode == "air" for s in e.segments)
               and e.destination == "Seoul, KR")
    flight = next(s for s in leg.segments if s.mode == "air")
    segments = [s.model_copy(update={"origin": "BTS"}) if s is flight else s for s in leg.segments]
    edited = _edit(itinerary, lambda e: e is leg, segments=lambda e: segments)
    assert {v.rule for v in verify(trip, edited)} == {"flight"}
    assert trip.catalogs.travel.network.route_source("BTS", flight.destination) is None


def test_segments_that_do_not_add_up(saved):
    """A leg whose segments no longer add up to its door-to-door minutes is caught."""
    trip, itinerary = _valid(saved)
    leg = next(e for e in itinerary.events() if isinstance(e, LegEvent) and e.segments)
    segments = [leg.segments[0].model_copy(update={"minutes": leg.segments[0].minutes + 30}), *leg.segments[1:]]
    edited = _edit(itinerary, lambda e: e is leg, segments=lambda e: segments)
    assert "travel_time" in {v.rule for v in verify(trip, edited)}


def test_night_rest_overlap_says_what_happened(saved):
    """A visit stretched 48 h past the next morning's start is told as 'starts 48.0 h before ... ends',
    never as a negative rest ('only -48.0 h')."""
    trip, itinerary = _valid(saved)
    events = itinerary.events()
    visit, following = next((before, after) for before, after in zip(events, events[1:])
                            if isinstance(before, VisitEvent) and isinstance(after, LegEvent)
                            and after.depart.astimezone(ZoneInfo(before.timezone)).date() > before.end.date())
    broken = _edit(itinerary, lambda e: e == visit, end=lambda e: later(following.depart, 48 * 60))
    rests = [v.message for v in verify(trip, broken) if v.rule == "night_rest"]
    assert rests and not any(re.search(r"-\d", message) for message in rests), rests
    assert any(f"starts 48.0 h before visit '{visit.project_id}' ends" in message for message in rests), rests


def test_an_in_city_transfer_needs_no_arrival_buffer(make_trip):
    """A hand-made plan with a dinner 30 min after an in-city transfer keeps every rule; the same gap
    after a flight from another city breaks the anchor buffer."""
    from tests.test_pace import KEYNOTE_AND_DINNER

    trip = make_trip(KEYNOTE_AND_DINNER)
    itinerary = plan_trip(trip, SolveParams(time_limit_s=3)).itinerary
    assert verify(trip, itinerary) == []
    transfer = next(e for e in itinerary.events() if isinstance(e, LegEvent) and e.mode == "in_city")
    dinner = next(e for e in itinerary.events() if isinstance(e, AnchorEvent) and e.name == "Mayors' dinner")
    assert minutes_between(transfer.arrive, dinner.start) < trip.limits.anchor_buffer_hours * 60
    elsewhere = _edit(itinerary, lambda e: e is transfer, origin=lambda e: "Kuala Lumpur, MY")
    assert "anchor_buffer" in {v.rule for v in verify(trip, elsewhere)}
