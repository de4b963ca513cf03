"""The independent checker rejects plans broken by a single edit, with the right rule."""

import pytest

from tripplanner.api import plan_trip
from tripplanner.models.itinerary import LegEvent, VisitEvent
from tripplanner.solver.params import SolveParams
from tripplanner.timeutil import later
from tripplanner.verify import verify


@pytest.fixture(scope="module")
def planned(request):
    from tripplanner.api import load_trip_text
    from tripplanner.catalogs.bundle import load_catalogs
    from tests.conftest import TWO_ANCHOR_TRIP

    trip = load_trip_text(TWO_ANCHOR_TRIP, load_catalogs())
    outcome = plan_trip(trip, SolveParams(time_limit_s=3))
    assert verify(trip, outcome.itinerary) == []
    return trip, outcome.itinerary


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


def _rules(trip, itinerary):
    return {v.rule for v in verify(trip, itinerary)}


def test_visit_moved_out_of_office_hours(planned):
    """A visit shifted to 20:00 local breaks office hours."""
    trip, itinerary = planned
    broken = _edit(itinerary, lambda e: isinstance(e, VisitEvent),
                   start=lambda e: later(e.start, 11 * 60), end=lambda e: later(e.end, 11 * 60))
    assert "office_hours" in _rules(trip, broken)


def test_leg_shortened(planned):
    """A leg that arrives faster than the travel model allows is rejected."""
    trip, itinerary = planned
    broken = _edit(itinerary, lambda e: isinstance(e, LegEvent) and e.mode == "air",
                   arrive=lambda e: later(e.arrive, -60))
    assert "travel_time" in _rules(trip, broken)


def test_anchor_moved(planned):
    """An anchor not at its fixed time is rejected."""
    trip, itinerary = planned
    from tripplanner.models.itinerary import AnchorEvent

    broken = _edit(itinerary, lambda e: isinstance(e, AnchorEvent),
                   start=lambda e: later(e.start, 30), end=lambda e: later(e.end, 30))
    assert "anchor" in _rules(trip, broken)


def test_dropped_anchor(planned):
    """A plan without a mandatory anchor is rejected."""
    trip, itinerary = planned
    days = [d.model_copy(update={"events": [e for e in d.events if getattr(e, "name", "") != "Bonn session"]}) for d in itinerary.days]
    rules = _rules(trip, itinerary.model_copy(update={"days": days}))
    assert "anchor" in rules


def test_late_return(planned):
    """Coming home after the window closes is rejected."""
    trip, itinerary = planned
    last = itinerary.events()[-1]
    broken = _edit(itinerary, lambda e: e is last, depart=lambda e: later(e.depart, 3 * 24 * 60), arrive=lambda e: later(e.arrive, 3 * 24 * 60))
    assert {"window", "max_days"} & _rules(trip, broken)


def test_night_departure(planned):
    """A short leg moved to depart at 02:00 local breaks the night rule."""
    trip, itinerary = planned
    from zoneinfo import ZoneInfo

    def to_two_am(event):
        local = event.depart.astimezone(ZoneInfo(event.origin_timezone))
        return local.replace(hour=2, minute=0)

    short = lambda e: isinstance(e, LegEvent) and not e.long_haul and e.mode != "in_city"  # noqa: E731
    broken = _edit(itinerary, short, depart=to_two_am, arrive=lambda e: later(to_two_am(e), e.duration_min))
    assert "night" in _rules(trip, broken)

