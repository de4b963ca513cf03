"""Booked nights: the delegation keeps its hotel, makes day trips from it, and the checker holds it to that."""

import dataclasses
from datetime import date

import pytest

from tripplanner.api import plan_trip
from tripplanner.models.itinerary import LegEvent, VisitEvent
from tripplanner.solver.params import SolveParams
from tripplanner.trip import TripNight
from tripplanner.verify import verify

QUICK = SolveParams(time_limit_s=4, workers=1, seed=0)

VIENNA_BASE = """
name: Vienna base with a day trip
home: "Seoul, KR"
window: {earliest_departure: "2017-03-05 08:00", latest_return: "2017-03-12 22:00", max_days: 8}
themes: {public_housing: 3, smart_city: 2, urban_regeneration: 1}
scoring: {travel_cost_per_hour: 0}  # these tests are about the base, not about whether the day trip pays
anchors:
  - {name: Vienna housing forum, city: "Vienna, AT", start: "2017-03-07 10:00", end: "2017-03-07 16:00"}
  - {name: Vienna closing session, city: "Vienna, AT", start: "2017-03-09 14:00", end: "2017-03-09 16:00"}
candidates:
  listed:
    - {city: "Bratislava, SK", projects: [{id: bts-smartcity, title: "Smart city pilot districts", themes: [smart_city], relevance: 0.4, visit_min: 90, counterpart: "City of Bratislava"}], availability: {dates: ["2017-03-08"]}}
pins:
  nights:
    - {city: "Vienna, AT", check_in: "2017-03-06", check_out: "2017-03-10"}
"""


@pytest.fixture(scope="module")
def vienna_base(catalogs):
    from tripplanner.api import load_trip_text

    trip = load_trip_text(VIENNA_BASE, catalogs)
    return trip, plan_trip(trip, QUICK)


def test_booked_base_with_a_day_trip(vienna_base):
    """Bratislava opens only on the 8th, a night booked in Vienna: out and back the same day."""
    trip, outcome = vienna_base
    assert outcome.itinerary is not None, outcome.conflicts
    assert verify(trip, outcome.itinerary) == []
    days = {day.date: day for day in outcome.itinerary.days}
    for night in trip.booked_nights:
        assert days[night.date].sleep_city == "Vienna, AT", night.date
        assert days[night.date].night_booked
    assert sum(day.night_booked for day in days.values()) == len(trip.booked_nights)
    trip_day = days[date(2017, 3, 8)]
    assert any(isinstance(e, VisitEvent) and e.city == "Bratislava, SK" for e in trip_day.events)
    legs = [(e.origin, e.destination) for e in trip_day.events if isinstance(e, LegEvent)]
    assert legs == [("Vienna, AT", "Bratislava, SK"), ("Bratislava, SK", "Vienna, AT")]


def test_no_leg_to_the_hotel_in_its_own_city(vienna_base):
    """A booked night in the city the delegation is already in adds no travel and no leg."""
    _, outcome = vienna_base
    legs = [e for e in outcome.itinerary.events() if isinstance(e, LegEvent)]
    assert all(leg.origin != leg.destination for leg in legs)


def test_checker_holds_the_plan_to_its_bookings(vienna_base, catalogs):
    """The same plan checked against a booking in Budapest breaks the booked_night rule."""
    trip, outcome = vienna_base
    budapest = catalogs.gazetteer.resolve("Budapest, HU")
    moved = dataclasses.replace(trip, booked_nights=(TripNight(budapest, date(2017, 3, 7), 0),))
    violations = verify(moved, outcome.itinerary)
    assert [v.rule for v in violations] == ["booked_night"]
    assert "Budapest" in violations[0].message


def test_booking_that_cannot_be_reached_is_named(catalogs):
    """A Paris dinner ending 20:00 cannot be followed by a Vienna night: the conflict names the booking."""
    from tripplanner.api import load_trip_text

    text = VIENNA_BASE.replace(
        '  - {name: Vienna closing session',
        '  - {name: Paris gala dinner, city: "Paris, FR", start: "2017-03-08 17:00", end: "2017-03-08 20:00"}\n'
        '  - {name: Vienna closing session')
    outcome = plan_trip(load_trip_text(text, catalogs), QUICK)
    assert outcome.itinerary is None
    text = " ".join(c.description for c in outcome.conflicts)
    assert "booked nights in Vienna, AT" in text and "Paris gala dinner" in text


def test_daily_limit_counts_every_leg_but_lets_one_travel_alone(vienna_base):
    """Under a 30 min limit the day trip (two legs) breaks the rule; the long flights alone do not."""
    import re

    trip, outcome = vienna_base
    tight = dataclasses.replace(trip, limits=trip.limits.model_copy(update={"max_travel_hours_per_day": 0.5}))
    violations = verify(tight, outcome.itinerary)
    assert [v.rule for v in violations] == ["daily_travel"]
    assert "Wed 08 Mar" in violations[0].message
    assert int(re.search(r"in (\d+) legs", violations[0].message).group(1)) == 2


def test_left_out_candidate_names_the_booking_that_keeps_it_out(catalogs):
    """Amsterdam, open only on the 8th, is over 5 h from Vienna each way: with the Vienna night
    booked it cannot be a day trip, and --explain says giving up the booking lets it in."""
    from tripplanner.api import load_trip_text

    text = VIENNA_BASE.replace(
        '    - {city: "Bratislava, SK"',
        '    - {city: "Amsterdam, NL", projects: [{id: ams-housing, title: "Housing corporations model", themes: [public_housing], relevance: 0.5, visit_min: 90, counterpart: "City of Amsterdam"}], availability: {dates: ["2017-03-08"]}}\n'
        '    - {city: "Bratislava, SK"')
    trip = load_trip_text(text, catalogs)
    outcome = plan_trip(trip, QUICK, explain=True)
    assert verify(trip, outcome.itinerary) == []
    left = {item.project_id: item for item in outcome.itinerary.left_out}
    assert left["ams-housing"].smallest_change.startswith("give up the booked nights in Vienna, AT (pins.nights[0])")
    assert (left["ams-housing"].suggestion.field, left["ams-housing"].suggestion.value) == ("pins.nights", [])


def test_briefing_marks_booked_nights(vienna_base):
    """The Markdown briefing says which nights are the booked hotel."""
    from tripplanner.render.markdown import render_markdown

    _, outcome = vienna_base
    text = render_markdown(outcome.itinerary)
    assert text.count("Night: Vienna, AT (booked).") == 4



@pytest.mark.parametrize("minutes_early, plans", [(0, True), (1, False)])
def test_booked_night_across_the_clock_change(make_trip, catalogs, minutes_early, plans):
    """Vienna's clocks skip 02:00-03:00 on 26 March 2017. A night booked from 23:00 CET with 8 h of
    rest ends at 08:00 CEST (8 real hours), not 07:00: a Bratislava meeting that a departure at
    08:00 reaches with its 2 h buffer fits, one a minute earlier does not."""
    from datetime import datetime, timedelta

    leg = catalogs.travel.leg(catalogs.gazetteer.resolve("Vienna, AT"), catalogs.gazetteer.resolve("Bratislava, SK"))
    start = datetime(2017, 3, 26, 8, 0) + timedelta(minutes=leg.duration_min + 120 - minutes_early)
    trip = make_trip(f"""
        name: booked across the clock change
        home: "Seoul, KR"
        window: {{earliest_departure: "2017-03-22 08:00", latest_return: "2017-03-30 22:00", max_days: 9}}
        themes: {{public_housing: 3}}
        anchors:
          - {{name: Vienna forum, city: "Vienna, AT", start: "2017-03-24 10:00", end: "2017-03-24 12:00"}}
          - {{name: Bratislava meeting, city: "Bratislava, SK", start: "2017-03-26 {start:%H:%M}", end: "2017-03-26 15:00"}}
        pins:
          nights:
            - {{city: "Vienna, AT", check_in: "2017-03-25", check_out: "2017-03-26"}}
    """)
    outcome = plan_trip(trip, QUICK)
    assert (outcome.itinerary is not None) == plans
    if plans:
        assert verify(trip, outcome.itinerary) == []


UNBOOKED_BASE = VIENNA_BASE.split("pins:")[0]


def test_unbooked_base_kept_for_a_day_trip(catalogs):
    """No booking: Vienna engagements on both sides of the Bratislava day; the delegation keeps its
    Vienna hotel and goes out and back on the 8th rather than sleeping one night in Bratislava."""
    from tripplanner.api import load_trip_text

    trip = load_trip_text(UNBOOKED_BASE, catalogs)
    outcome = plan_trip(trip, QUICK)
    assert verify(trip, outcome.itinerary) == []
    nights = {day.date: day.sleep_city for day in outcome.itinerary.days}
    assert [nights[date(2017, 3, d)] for d in (6, 7, 8)] == ["Vienna, AT"] * 3
    trip_day = next(day for day in outcome.itinerary.days if day.date == date(2017, 3, 8))
    legs = [(e.origin, e.destination) for e in trip_day.events if isinstance(e, LegEvent)]
    assert legs == [("Vienna, AT", "Bratislava, SK"), ("Bratislava, SK", "Vienna, AT")]
    assert not any(day.night_booked for day in outcome.itinerary.days)


def test_base_not_kept_when_the_day_cannot_take_both_legs(catalogs):
    """Under a 3 h daily limit the two Vienna-Bratislava trains (1 h 56 door to door each) cannot
    share the 8th: the delegation travels on the evening before and sleeps in Bratislava, and the
    plan still verifies."""
    from tripplanner.api import load_trip_text

    text = UNBOOKED_BASE.replace("max_days: 8}", "max_days: 8}\nlimits: {max_travel_hours_per_day: 3}")
    trip = load_trip_text(text, catalogs)
    outcome = plan_trip(trip, QUICK)
    assert verify(trip, outcome.itinerary) == []
    nights = {day.date: day.sleep_city for day in outcome.itinerary.days}
    assert nights[date(2017, 3, 7)] == "Bratislava, SK"


def test_diagnosis_stops_when_asked(catalogs):
    """A stop request (Ctrl-C) before the diagnosis ends it at once, saying how far it got."""
    import threading

    from tripplanner.api import load_trip_text
    from tripplanner.explain import _relaxations, diagnose

    trip = load_trip_text(VIENNA_BASE.replace(
        '  - {name: Vienna closing session',
        '  - {name: Paris gala dinner, city: "Paris, FR", start: "2017-03-08 17:00", end: "2017-03-08 20:00"}\n'
        '  - {name: Vienna closing session'), catalogs)
    stop = threading.Event()
    stop.set()
    conflicts = diagnose(trip, QUICK, stop)
    assert [c.description.split(";")[0] for c in conflicts] == [
        f"interrupted after trying 0 of {len(_relaxations(trip))} relaxations"]
