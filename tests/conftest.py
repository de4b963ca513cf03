"""Shared fixtures: the real catalogs, and named trip scenarios written as request YAML."""

from __future__ import annotations

import functools
import tempfile
import textwrap
from pathlib import Path

import pytest

from tripplanner.api import load_trip_text
from tripplanner.config import CONFIG_FILES, DEFAULT_CONFIG_DIR, load_catalogs

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


DEMO_PROJECTS = DATA / "demo-projects.yaml"
"""Illustrative projects near common summit venues (Amsterdam, Bratislava, ...): not documented, tests only."""


@functools.cache
def demo_config_dir() -> Path:
    """A config folder (made once per test run): the defaults, with the illustrative test projects
    added to the sourced catalog. The saved plans in tests/data/plans were made with it."""
    folder = Path(tempfile.mkdtemp(prefix="tripplanner-demo-config-"))
    for name in CONFIG_FILES:
        (folder / name).write_bytes((DEFAULT_CONFIG_DIR / name).read_bytes())
    extra = [line for line in DEMO_PROJECTS.read_text(encoding="utf-8").splitlines() if line.startswith("  - {")]
    with (folder / "projects.yaml").open("a", encoding="utf-8") as projects:
        projects.write("\n  # --- illustrative test projects (tests/data/demo-projects.yaml) ---\n" + "\n".join(extra) + "\n")
    return folder


SAVED_PLAN_LIMITS = {"arrival_buffer_min": 0, "departure_buffer_min": 0, "split_stays": True}
"""The saved plans in tests/data/plans predate the pace limits: their requests are read with those off."""


def saved_plan_request(stem: str):
    """The example a saved plan was made for, as it was then: the demo catalog, no pace limits."""
    import dataclasses

    from tripplanner.api import load_trip

    trip = load_trip(example(stem), demo_config_dir())
    return dataclasses.replace(trip, limits=trip.limits.model_copy(update=SAVED_PLAN_LIMITS))


@pytest.fixture(scope="session")
def demo_config() -> Path:
    return demo_config_dir()


@pytest.fixture(scope="session")
def demo_catalogs(demo_config):
    return load_catalogs(demo_config)


@pytest.fixture(scope="session")
def make_trip(catalogs):
    def make(text: str):
        return load_trip_text(textwrap.dedent(text), catalogs)

    return make


@pytest.fixture(scope="session")
def make_demo_trip(demo_catalogs):
    """make_trip on the default catalog plus the illustrative test projects."""
    def make(text: str):
        return load_trip_text(textwrap.dedent(text), demo_catalogs)

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
    - {city: "Amsterdam, NL", projects: [{id: ams-housing, title: "Housing corporations model", themes: [public_housing], relevance: 0.5, visit_min: 90, counterpart: "City of Amsterdam"}]}
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
