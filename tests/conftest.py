"""Shared fixtures: the real catalogs, and named trip scenarios written as request YAML."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from tripplanner.api import load_trip_text
from tripplanner.config import load_catalogs

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
DATA = Path(__file__).resolve().parent / "data"


def example(stem: str) -> Path:
    """The bundled request examples/<stem>.yaml; fails naming the examples there if it is missing."""
    path = ROOT / "examples" / f"{stem}.yaml"
    if not path.is_file():
        pytest.fail(f"no example {path.name}; examples/ has {', '.join(p.name for p in EXAMPLES) or 'none'}", pytrace=False)
    return path


@pytest.fixture(scope="session")
def catalogs():
    return load_catalogs()


@pytest.fixture(scope="session")
def make_trip(catalogs):
    def make(text: str):
        return load_trip_text(textwrap.dedent(text), catalogs)

    return make


TWO_ANCHOR_TRIP = """
name: two anchors
home: "Seoul, KR"
window: {earliest_departure: "2017-03-14 08:00", latest_return: "2017-03-22 22:00", max_days: 9}
themes: {public_housing: 3, climate: 2}
anchors:
  - {name: Paris summit, city: "Paris, FR", start: "2017-03-16 09:30", end: "2017-03-16 17:30"}
  - {name: Bonn session, city: "Bonn, DE", start: "2017-03-20 10:00", end: "2017-03-20 12:00"}
candidates:
  listed:
    - {city: "Vienna, AT", projects: [vie-housing]}
    - {city: "Amsterdam, NL", projects: [ams-housing]}
"""

CLOSED_ON_WEEKEND = """
name: candidate open only at weekends, trip on weekdays
home: "Seoul, KR"
window: {earliest_departure: "2017-03-20 08:00", latest_return: "2017-03-24 22:00", max_days: 5}
themes: {public_housing: 3}
anchors:
  - {name: Paris summit, city: "Paris, FR", start: "2017-03-22 09:30", end: "2017-03-22 17:30"}
candidates:
  listed:
    - city: "Vienna, AT"
      projects: [vie-housing]
      availability: {weekdays: [sat, sun]}
"""

ANCHORS_TOO_FAR_APART = """
name: too far apart
home: "Seoul, KR"
window: {earliest_departure: "2017-03-14 08:00", latest_return: "2017-03-22 22:00", max_days: 9}
themes: {climate: 1}
anchors:
  - {name: Paris summit, city: "Paris, FR", start: "2017-03-16 09:30", end: "2017-03-16 18:00"}
  - {name: Bonn breakfast, city: "Bonn, DE", start: "2017-03-16 20:00", end: "2017-03-16 21:00"}
"""


@pytest.fixture
def two_anchor_trip(make_trip):
    return make_trip(TWO_ANCHOR_TRIP)


@pytest.fixture
def closed_on_weekend(make_trip):
    return make_trip(CLOSED_ON_WEEKEND)


@pytest.fixture
def anchors_too_far_apart(make_trip):
    return make_trip(ANCHORS_TOO_FAR_APART)
