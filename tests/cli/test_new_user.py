"""What a new user runs into first: city names without a country, --out-dir, --no-color after the command."""

import pytest
from typer.testing import CliRunner

from tripplanner.cli.app import app

from tests.conftest import DATA, example

PLANS = DATA / "plans"


def test_travel_takes_the_dominant_city_and_says_so(run):
    """`travel Paris Seoul` plans from Paris, FR and says which Paris it took and against which."""
    result = run("travel", "Paris", "Seoul")
    assert result.exit_code == 0, result.output
    assert "Paris taken as Paris, FR (2.1 M people; next: Paris, US 25 k)" in result.output
    assert "Paris, FR -> Seoul, KR" in result.output


def test_travel_refuses_comparable_namesakes(run):
    """Two Barcelonas of comparable size: exit 2, both named, the country code asked for."""
    result = run("travel", "Barcelona", "Seoul")
    assert result.exit_code == 2
    assert "ambiguous city 'Barcelona'" in result.output and "Barcelona, VE" in result.output


def test_validate_says_which_city_was_taken(run, tmp_path):
    """validate on a request naming 'Paris' alone is valid and notes the field and the city taken."""
    request = tmp_path / "paris.yaml"
    request.write_text(example("paris-vienna-2017").read_text().replace('city: "Paris, FR"', 'city: "Paris"', 1))
    result = run("validate", request)
    assert result.exit_code == 0, result.output
    assert "anchors[0].city" in result.output and "Paris taken as Paris, FR" in result.output


def test_out_dir_is_created(run, tmp_path):
    """`plan --alternatives 2 --out-dir drafts/new` makes the folder (and its parents) and writes the plans there."""
    folder = tmp_path / "drafts" / "new"
    result = run("plan", example("paris-vienna-2017"), "--alternatives", "2", "--time-limit", "3", "--out-dir", folder)
    assert result.exit_code == 0, result.output
    assert (folder / "plan-1.json").is_file() and (folder / "plan-2.json").is_file()


def test_out_dir_under_a_file_is_refused_before_solving(run, tmp_path):
    """A folder that cannot be made (a file is in the way) is refused at once, exit 2."""
    blocker = tmp_path / "drafts"
    blocker.write_text("not a folder")
    result = run("plan", example("paris-vienna-2017"), "--out-dir", blocker / "new")
    assert result.exit_code == 2 and "is a file, not a folder" in result.output


@pytest.mark.parametrize("args", [
    ("compare", PLANS / "paris-vienna-2017-1.json", PLANS / "paris-vienna-2017-2.json"),
    ("show", PLANS / "paris-vienna-2017-1.json"),
    ("validate", example("paris-vienna-2017")),
    ("travel", "Paris, FR", "Vienna, AT"),
    ("schema",),
])
def test_no_color_after_the_command(args):
    """`tripplanner COMMAND ... --no-color` is accepted like `tripplanner --no-color COMMAND ...`."""
    result = CliRunner().invoke(app, [*map(str, args), "--no-color"])
    assert result.exit_code == 0, result.output
    assert "No such option" not in result.output


def test_every_command_takes_no_color():
    """Each command lists --no-color in its own --help."""
    for command in app.registered_commands:
        name = command.name or command.callback.__name__
        result = CliRunner().invoke(app, [name, "--help"])
        assert "--no-color" in result.output, name
