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


INLINE_TRIP = TWO_ANCHOR_TRIP.replace(
    '    - {city: "Amsterdam, NL", projects: [{id: ams-housing, title: "Housing corporations model", themes: [public_housing], relevance: 0.5, visit_min: 90, counterpart: "City of Amsterdam"}]}',
    '    - city: "Amsterdam, NL"\n'
    '      projects:\n'
    '        - {id: ams-social-rent, title: Social rent, themes: [public_housing], source: "Gemeente Amsterdam, 2016"}\n'
    '        - {title: Climate street, themes: [climate]}',
)


def test_inline_project_takes_the_catalog_id_and_source(make_trip):
    """An inline project may carry the catalog's `id` and `source`: the id names it, the source stays with it;
    one without an id is still named after its city and place."""
    trip = make_trip(INLINE_TRIP)
    amsterdam = next(c for c in trip.candidates if c.city.label == "Amsterdam, NL")
    projects = {p.id: p for p in amsterdam.projects}
    assert set(projects) == {"ams-social-rent", "amsterdam-2"}
    assert projects["ams-social-rent"].source == "Gemeente Amsterdam, 2016"
    assert projects["amsterdam-2"].source == "request"


def test_inline_project_id_of_a_catalog_project_elsewhere_is_refused(make_trip):
    """An inline id that is the catalog's project in another city would name two projects: refused."""
    with pytest.raises(RequestError) as error:
        make_trip(INLINE_TRIP.replace("id: ams-social-rent", "id: vie-housing"))
    assert "project id 'vie-housing' is the catalog's project in Vienna, AT" in str(error.value)


def test_unknown_field_lists_the_fields_allowed_there():
    """An unknown field in an inline project names every field an inline project allows (and the closest)."""
    with pytest.raises(RequestError) as error:
        parse_request(INLINE_TRIP.replace("title: Climate street", "tittle: Climate street, title: x"))
    message = str(error.value)
    assert "unknown field 'tittle'" in message and "did you mean 'title'?" in message
    assert "allowed here: id, title, themes, relevance, stage, visit_min, counterpart, source" in message


def test_unknown_field_of_an_anchor_lists_the_anchor_fields():
    """The list is the one for the place of the error: an anchor's fields for a field of an anchor."""
    with pytest.raises(RequestError) as error:
        parse_request(TWO_ANCHOR_TRIP.replace("city: \"Bonn, DE\"", "city: \"Bonn, DE\", room: 4"))
    assert "allowed here: name, city, venue, start, end, role, mandatory, value" in str(error.value)


def test_a_city_named_without_its_country_is_noted(make_trip):
    """'Paris' alone is taken as Paris, FR; the trip keeps a note saying so, with the field and line."""
    trip = make_trip(TWO_ANCHOR_TRIP.replace('city: "Paris, FR"', 'city: "Paris"'))
    assert trip.anchors[0].city.label == "Paris, FR"
    assert [str(note) for note in trip.notes] == [
        "anchors[0].city (line 7): Paris taken as Paris, FR (2.1 M people; next: Paris, US 25 k)"]
    assert make_trip(TWO_ANCHOR_TRIP).notes == ()
