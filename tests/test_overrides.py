"""What-if overrides (--set FIELD=VALUE): paths, YAML values, validation as in the file, malformed options."""

import pytest

from tripplanner.api import load_trip
from tripplanner.errors import Problem, RequestError
from tripplanner.overrides import parse_override, parse_overrides
from tripplanner.trip import parse_request

from tests.conftest import example

REQUEST = """
name: override test
home: "Seoul, KR"
window:
  earliest_departure: "2017-03-14 08:00"
  latest_return: "2017-03-22 22:00"
  max_days: 9
themes: {public_housing: 3, climate: 2}
anchors:
  - {name: Paris summit, city: "Paris, FR", start: "2017-03-16 09:30", end: "2017-03-16 17:30"}
  - {name: Bonn session, city: "Bonn, DE", start: "2017-03-20 10:00", end: "2017-03-20 12:00"}
candidates:
  listed:
    - {city: "Vienna, AT", projects: [vie-housing]}
"""
"""A request without limits, pins or scoring blocks, so overrides there must add them."""


def _parse(*options: str, text: str = REQUEST):
    return parse_request(text, "request.yaml", parse_overrides(options))


def _refused(*options: str, text: str = REQUEST) -> RequestError:
    with pytest.raises(RequestError) as caught:
        _parse(*options, text=text)
    return caught.value


def test_a_dotted_path_sets_a_field_of_a_mapping():
    """window.max_days=5 replaces the file's 9, as a number."""
    request, _ = _parse("window.max_days=5")
    assert request.window.max_days == 5


@pytest.mark.parametrize("option", ["anchors[1].start=2017-03-20 09:00", "anchors.1.start=2017-03-20 09:00"],
                         ids=["brackets, as error messages write it", "dotted index, also accepted"])
def test_a_list_item_is_reached_by_its_index(option):
    """Both index forms reach the second anchor and leave the first as the file has it."""
    request, source = _parse(option)
    assert request.anchors[1].start == "2017-03-20 09:00"
    assert request.anchors[0].start == "2017-03-16 09:30"
    assert list(source.overrides) == ["anchors[1].start"]


def test_a_missing_block_is_added():
    """limits.max_visits_per_day=2 without a limits block adds one, the other limits at their defaults."""
    request, source = _parse("limits.max_visits_per_day=2", "scoring.travel_cost_per_hour=0")
    assert request.limits.max_visits_per_day == 2
    assert request.limits.office_hours == "09:00-18:00"
    assert request.scoring.travel_cost_per_hour == 0
    assert "limits" in source.data


def test_the_file_data_is_left_as_read():
    """The request as written is still there to plan as the baseline: overrides change a copy."""
    plain, plain_source = _parse()
    changed, _ = _parse("window.max_days=5", "candidates.listed[0].city=Bonn, DE")
    assert plain.window.max_days == 9 and plain.candidates.listed[0].city == "Vienna, AT"
    assert changed.candidates.listed[0].city == "Bonn, DE"
    assert plain_source.overrides == {}


@pytest.mark.parametrize("option, read", [
    ("window.max_days=10", lambda r: r.window.max_days == 10),
    ("limits.max_travel_hours_per_day=8.5", lambda r: r.limits.max_travel_hours_per_day == 8.5),
    ("anchors[1].mandatory=false", lambda r: r.anchors[1].mandatory is False),
    ("candidates.listed[0].projects=[vie-housing, bcn-smartcity]",
     lambda r: r.candidates.listed[0].projects == ["vie-housing", "bcn-smartcity"]),
    ("candidates.from_catalog={within_km: 500}", lambda r: r.candidates.from_catalog.within_km == 500),
    ('pins.must_visit=["Vienna, AT"]', lambda r: r.pins.must_visit == ["Vienna, AT"]),
    ('name="What if: a shorter trip"', lambda r: r.name == "What if: a shorter trip"),
    ("anchors[0].venue=Hotel de Ville", lambda r: r.anchors[0].venue == "Hotel de Ville"),
    ("anchors[0].end=2017-03-16 18:00", lambda r: r.anchors[0].end == "2017-03-16 18:00"),
    ("candidates.from_catalog=", lambda r: r.candidates.from_catalog is None),
], ids=["int", "float", "bool", "flow list", "flow mapping", "quoted text in a list", "quoted text with ': '",
        "plain text with spaces", "local time stays text", "empty is null"])
def test_values_are_read_as_yaml(option, read):
    """The value means what it would mean in the file."""
    request, _ = _parse(option)
    assert read(request)


def test_the_last_option_on_a_field_wins():
    """Two --set on one field: the later one is in force, and only it is recorded."""
    request, source = _parse("window.max_days=4", "window.max_days=6")
    assert request.window.max_days == 6
    assert source.overrides == {"window.max_days": "--set window.max_days=6"}


def test_an_unknown_field_is_refused_as_in_the_file_naming_the_option():
    """The same message and hint as the file's own typo, located at the option instead of a line."""
    from_option = _refused("limits.max_travel_hour=8").problems[0]
    in_file = _refused(text=REQUEST + "limits: {max_travel_hour: 8}\n").problems[0]
    assert (from_option.path, from_option.message, from_option.hint) == (in_file.path, in_file.message, in_file.hint)
    assert "did you mean 'max_travel_hours_per_day'" in from_option.hint
    assert from_option.line is None and in_file.line == 15
    assert str(from_option).startswith("limits.max_travel_hour (--set limits.max_travel_hour=8): unknown field")


def test_a_bad_value_names_the_option_not_a_line():
    """A value the model refuses points at the option, where the value was written."""
    problem = _refused("window.max_days=0").problems[0]
    assert str(problem).startswith("window.max_days (--set window.max_days=0): ")
    assert "line" not in str(problem)


def test_a_rule_across_fields_names_its_line_and_the_option():
    """latest_return before earliest_departure fails on `window`: its line and the option that broke it."""
    problem = _refused("window.latest_return=2017-03-10 08:00").problems[0]
    assert str(problem).startswith("window (line 4, --set window.latest_return=2017-03-10 08:00): latest_return")


@pytest.mark.parametrize("option, says", [
    ("window.max_days", "no '='"),
    ("=5", "the field is empty"),
    ("window..max_days=5", "is not a field path"),
    ("[0].name=x", "is not a field path"),
    ("window.max_days=[1,", "the value is not YAML"),
], ids=["no =", "empty path", "empty part", "starts with an index", "malformed YAML value"])
def test_a_malformed_option_is_refused_before_the_file_is_read(option, says):
    """parse_override alone refuses it, naming the option as given."""
    with pytest.raises(RequestError) as caught:
        parse_override(option)
    assert str(caught.value.problems[0]).startswith(f"--set {option}: ")
    assert says in caught.value.problems[0].message


@pytest.mark.parametrize("option, says", [
    ("anchors[2].start=2017-03-16 10:00", "anchors has 2 item(s), so no [2]"),
    ("name.first=x", "name is a text, not a mapping"),
    ("window.max_days.x=1", "window.max_days is a number, not a mapping"),
    ("anchors.start=x", "anchors is a list, not a mapping"),
    ("window[0]=x", "window is a mapping, not a list"),
    ("pins.nights[0].city=x", "pins.nights is not in the request"),
], ids=["index out of range", "field of a text", "field of a number", "list without index", "index of a mapping",
        "index into a missing list"])
def test_a_path_that_does_not_fit_the_file_is_refused(option, says):
    """The walk stops with a RequestError naming the option and what it met."""
    error = _refused(option)
    assert error.message == "invalid --set option"
    assert str(error.problems[0]).startswith(f"--set {option}: {says}")


def test_every_malformed_option_is_listed_at_once():
    """Three bad options, three problems in one error."""
    with pytest.raises(RequestError) as caught:
        parse_overrides(["a", "=1", "window.max_days=2"] + ["b"])
    assert [p.origin for p in caught.value.problems] == ["--set a", "--set =1", "--set b"]


def test_a_city_from_an_option_is_resolved_and_named_with_it():
    """An unknown city set by --set is reported at the option, as the resolver reports the file's."""
    with pytest.raises(RequestError) as caught:
        load_trip(example("paris-vienna-2017"), overrides=["home=Nowhereville"])
    problem = caught.value.problems[0]
    assert str(problem).startswith("home (--set home=Nowhereville): ")


def test_the_trip_name_records_the_overrides():
    """A plan of a what-if says so in its name; without overrides the name is the file's."""
    path = example("paris-vienna-2017")
    plain = load_trip(path)
    changed = load_trip(path, overrides=["window.max_days=6", "scoring.travel_cost_per_hour=0"])
    assert changed.name == f"{plain.name} (what-if: window.max_days=6, scoring.travel_cost_per_hour=0)"
    assert changed.max_days == 6 and changed.scoring.travel_cost_per_hour == 0


def test_a_problem_from_an_option_alone_reads_as_the_option():
    """Problem with an origin and no path or line: '--set x: message'; without any: '(file): message'."""
    assert str(Problem("bad", origin="--set x")) == "--set x: bad"
    assert str(Problem("bad")) == "(file): bad"
    assert str(Problem("bad", path="home", line=3)) == "home (line 3): bad"
