"""Request models: defaults, unknown fields, local times in real zones."""

from datetime import timedelta

import pytest

from tripplanner.errors import RequestError
from tripplanner.models.request import Limits, TripRequest
from tripplanner.timeutil import minutes_between
from tripplanner.trip import localize, parse_request

from tests.conftest import TWO_ANCHOR_TRIP


def test_limit_defaults_are_the_office_usual_ones():
    """Office hours 09-18, Mon-Fri, night 23-06, 2 h anchor buffer, 8 h long-haul rest."""
    limits = Limits()
    assert limits.office_hours == "09:00-18:00"
    assert limits.weekdays == ["mon", "tue", "wed", "thu", "fri"]
    assert limits.night == "23:00-06:00"
    assert (limits.anchor_buffer_hours, limits.long_haul_rest_hours) == (2.0, 8.0)


def test_anchor_is_mandatory_by_default():
    """An anchor without `mandatory` must be attended."""
    request, _ = parse_request(TWO_ANCHOR_TRIP)
    assert all(a.mandatory for a in request.anchors)
    assert isinstance(request, TripRequest)


def test_unknown_field_suggests_the_known_one():
    """A misspelt field is an error naming the closest real field."""
    with pytest.raises(RequestError) as error:
        parse_request(TWO_ANCHOR_TRIP.replace("max_days", "max_day"))
    assert "did you mean 'max_days'" in str(error.value)


def test_local_times_are_in_the_city_zone(two_anchor_trip):
    """An anchor's local 09:30 in Paris is 08:30 UTC in winter time."""
    paris = two_anchor_trip.anchors[0]
    assert paris.start.utcoffset() == timedelta(hours=1)
    assert paris.start.strftime("%H:%M") == "09:30"


def test_time_skipped_by_daylight_saving_is_an_error(catalogs):
    """02:30 on 26 March 2017 does not exist in Paris (clocks jump from 02:00 to 03:00)."""
    paris = catalogs.gazetteer.resolve("Paris, FR")
    with pytest.raises(ValueError, match="does not exist"):
        localize("2017-03-26 02:30", paris)


def test_repeated_time_takes_the_first_occurrence(catalogs):
    """02:30 on 29 October 2017 happens twice in Paris; the summer-time one (+02:00) is used."""
    paris = catalogs.gazetteer.resolve("Paris, FR")
    assert localize("2017-10-29 02:30", paris).utcoffset() == timedelta(hours=2)


def test_summer_time_offsets_after_the_change(catalogs):
    """The same wall time is an hour earlier in UTC after the spring change."""
    paris = catalogs.gazetteer.resolve("Paris, FR")
    before, after = localize("2017-03-25 10:00", paris), localize("2017-03-27 10:00", paris)
    assert minutes_between(before, after) == (2 * 24 - 1) * 60
