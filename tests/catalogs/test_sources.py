"""The default catalog is the documented one: every project and partner city carries its source."""

import re

import yaml

from tripplanner.config import DEFAULT_CONFIG_DIR

from tests.conftest import DEMO_PROJECTS

URL = re.compile(r"^https?://[^\s/]+\.[^\s]+$")
YEAR = re.compile(r"^(c\.|by )?(19|20)\d\d(-(19|20)\d\d)?$")


def _projects(catalogs):
    return catalogs.projects.projects


def test_every_default_project_has_a_source_and_a_year(catalogs):
    """A source a reader can open (a URL) and the year or period it refers to, on every project."""
    missing = [p.id for p in _projects(catalogs) if not URL.match(p.source) or p.year is None
               or not YEAR.match(str(p.year))]
    assert missing == []


def test_no_illustrative_project_in_the_default_catalog(catalogs):
    assert [p.id for p in _projects(catalogs) if p.illustrative] == []
    text = (DEFAULT_CONFIG_DIR / "projects.yaml").read_text(encoding="utf-8")
    assert "illustrative: true" not in text


def test_the_default_catalog_is_large_enough_to_plan_with(catalogs):
    """At least 60 documented projects in at least 40 cities."""
    projects = _projects(catalogs)
    assert len(projects) >= 60
    assert len({catalogs.projects.cities[p.id].geoname_id for p in projects}) >= 40


def test_the_demo_projects_are_all_marked_illustrative():
    """The test-only catalog carries the flag, so a briefing made with it says so."""
    entries = yaml.safe_load(DEMO_PROJECTS.read_text(encoding="utf-8"))["projects"]
    assert entries and all(entry.get("illustrative") is True for entry in entries)


def test_partner_cities_with_kind_year_and_source(catalogs):
    """23 sister cities since Taipei (1968); every relation has a source URL except where the file says
    why not (Rome), and a year except where the source gives none."""
    relations = list(catalogs.relations.by_city.values())
    sisters = [r for r in relations if r.kind == "sister"]
    assert len(sisters) == 23
    assert min(r.since for r in sisters) == 1968
    unsourced = [r.city for r in relations if not URL.match(r.source)]
    assert unsourced == ["Rome, IT"]
    assert sum(r.since is None for r in relations) <= 5


def test_validate_names_the_source_of_each_candidate_project():
    """validate's candidate table cites each project's site and year (plain output, no markup lost)."""
    from typer.testing import CliRunner

    from tripplanner.cli.app import app
    from tests.conftest import example

    result = CliRunner().invoke(app, ["--no-color", "validate", str(example("paris-vienna-2017"))], env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    assert "Public housing study: Karl Marx-Hof and Gasometer [mengnews.joins.com, 2017]" in result.output


def test_the_briefing_note_links_each_visit_to_its_source():
    """The Markdown briefing's counterparts table links a visited project's source, named by its site and year."""
    from tripplanner.api import read_itinerary
    from tripplanner.models.itinerary import VisitEvent
    from tripplanner.render.markdown import render_markdown
    from tests.conftest import DATA

    plan = read_itinerary(DATA / "plans" / "paris-vienna-2017-1.json")
    visit = next(e for e in plan.events() if isinstance(e, VisitEvent))
    sourced = visit.model_copy(update={"source": "https://www.example.org/page?id=1", "year": "2012-2016"})
    days = [d.model_copy(update={"events": [sourced if e is visit else e for e in d.events]}) for d in plan.days]
    text = render_markdown(plan.model_copy(update={"days": days}))
    row = next(line for line in text.splitlines() if line.startswith(f"| {visit.city} | {visit.title}"))
    assert row.endswith("| [example.org, 2012-2016](https://www.example.org/page?id=1) |")
