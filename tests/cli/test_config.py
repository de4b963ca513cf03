"""--config and TRIPPLANNER_CONFIG: the catalogs and travel settings come from the folder they name."""

import shutil

import pytest

from tripplanner.config import CONFIG_FILES, DEFAULT_CONFIG_DIR, DEFAULT_ORIGIN

from tests.conftest import example

def _repository_min() -> int:
    """Paris -> Vienna door to door with the repository's travel.toml (90 min check-in, once per journey)."""
    from tripplanner.config import load_catalogs

    catalogs = load_catalogs(DEFAULT_CONFIG_DIR)
    return catalogs.travel.leg(catalogs.gazetteer.resolve("Paris, FR"), catalogs.gazetteer.resolve("Vienna, AT")).duration_min


PARIS_VIENNA_MIN = _repository_min()
LATE_CHECK_IN_MIN = PARIS_VIENNA_MIN + 60
"""The same leg once the copied travel.toml asks for 150 min of check-in."""

HOW = [
    pytest.param("option", id="--config DIR: one command reads the folder"),
    pytest.param("environment", id="TRIPPLANNER_CONFIG: every command in the shell reads it"),
]


@pytest.fixture
def config_copy(tmp_path):
    """A copy of config/ in a folder of this test's own (catalogs are cached per folder)."""
    folder = tmp_path / "config"
    shutil.copytree(DEFAULT_CONFIG_DIR, folder)
    return folder


def _late_check_in(folder):
    """Make the copied travel settings ask for 150 min of check-in instead of 90."""
    path = folder / "travel.toml"
    text = path.read_text()
    assert "check_in_min = 90 " in text
    path.write_text(text.replace("check_in_min = 90 ", "check_in_min = 150 "))


def _invalid_relevance(folder):
    """Give the copied catalog's first project (vie-housing) a relevance above 1."""
    path = folder / "projects.yaml"
    text = path.read_text()
    assert "id: vie-housing" in text and "relevance: 0.9," in text
    path.write_text(text.replace("relevance: 0.9,", "relevance: 1.9,", 1))


def _point_at(folder, how, monkeypatch) -> list[str]:
    """The command-line arguments (and environment) that make a command read folder."""
    if how == "option":
        return ["--config", str(folder)]
    monkeypatch.setenv("TRIPPLANNER_CONFIG", str(folder))
    return []


def _total_min(output: str) -> int:
    """The door-to-door total from the travel command's step table."""
    row = next(line for line in output.splitlines() if " total " in line)
    return int(row.strip(" │|").split()[-1])


def test_repository_settings_without_config(run):
    """Without --config or TRIPPLANNER_CONFIG the travel command uses config/ (90 min check-in)."""
    result = run("travel", "Paris, FR", "Vienna, AT")
    assert result.exit_code == 0, result.output
    assert _total_min(result.output) == PARIS_VIENNA_MIN


@pytest.mark.parametrize("how", HOW)
def test_changed_travel_settings_take_effect(run, config_copy, monkeypatch, how):
    """With 60 min more check-in in the named folder, Paris -> Vienna takes 60 min longer."""
    _late_check_in(config_copy)
    result = run("travel", "Paris, FR", "Vienna, AT", *_point_at(config_copy, how, monkeypatch))
    assert result.exit_code == 0, result.output
    assert _total_min(result.output) == LATE_CHECK_IN_MIN


@pytest.mark.parametrize("how", HOW)
def test_invalid_projects_file_is_named(run, config_copy, monkeypatch, how):
    """A project catalog with a relevance above 1 makes validate exit 2, naming the file and field."""
    _invalid_relevance(config_copy)
    result = run("validate", example("paris-vienna-2017"), *_point_at(config_copy, how, monkeypatch))
    assert result.exit_code == 2, result.output
    assert str(config_copy / "projects.yaml") in result.output
    assert "projects[0].relevance" in result.output


def test_config_option_wins_over_the_variable(run, config_copy, tmp_path, monkeypatch):
    """With TRIPPLANNER_CONFIG naming a broken folder, --config naming a good one is what is read."""
    broken = tmp_path / "broken"
    shutil.copytree(DEFAULT_CONFIG_DIR, broken)
    _invalid_relevance(broken)
    _late_check_in(config_copy)
    monkeypatch.setenv("TRIPPLANNER_CONFIG", str(broken))
    result = run("travel", "Paris, FR", "Vienna, AT", "--config", config_copy)
    assert result.exit_code == 0, result.output
    assert _total_min(result.output) == LATE_CHECK_IN_MIN


def test_variable_set_after_a_first_load_takes_effect(run, config_copy, monkeypatch):
    """Catalogs loaded once without a folder do not hide a TRIPPLANNER_CONFIG set afterwards."""
    _late_check_in(config_copy)
    assert _total_min(run("travel", "Paris, FR", "Vienna, AT").output) == PARIS_VIENNA_MIN
    monkeypatch.setenv("TRIPPLANNER_CONFIG", str(config_copy))
    assert _total_min(run("travel", "Paris, FR", "Vienna, AT").output) == LATE_CHECK_IN_MIN


@pytest.mark.parametrize("how, origin", [
    pytest.param("option", "from --config", id="--config names the folder"),
    pytest.param("environment", "from TRIPPLANNER_CONFIG", id="TRIPPLANNER_CONFIG names the folder"),
])
def test_config_path_names_the_folder_and_its_origin(run, config_copy, monkeypatch, how, origin):
    """`config path` prints the folder a command would read and what chose it."""
    result = run("config", "path", *_point_at(config_copy, how, monkeypatch))
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[:2] == [str(config_copy), origin]


def test_config_path_without_a_choice_is_the_defaults(run, monkeypatch):
    """Without --config or TRIPPLANNER_CONFIG (or with it empty) the defaults are in use, and said to be."""
    monkeypatch.setenv("TRIPPLANNER_CONFIG", "")
    result = run("config", "path")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[:2] == [str(DEFAULT_CONFIG_DIR), f"from {DEFAULT_ORIGIN}"]


def test_config_path_refuses_a_folder_without_the_files(run, tmp_path):
    """A folder lacking the config files is named with what it lacks, exit 2."""
    result = run("config", "path", "--config", tmp_path)
    assert result.exit_code == 2
    assert "lacks projects.yaml, relations.yaml, travel.toml, rail.toml, road.toml" in result.output


def test_config_init_copies_the_defaults_into_a_new_folder(run, tmp_path):
    """`config init DIR` creates DIR (parents too) with a copy of every default file, and the copy works."""
    folder = tmp_path / "office" / "config"
    result = run("config", "init", folder)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in folder.iterdir()) == sorted(CONFIG_FILES)
    assert all((folder / n).read_bytes() == (DEFAULT_CONFIG_DIR / n).read_bytes() for n in CONFIG_FILES)
    assert run("travel", "Paris, FR", "Vienna, AT", "--config", folder).exit_code == 0


def test_config_init_never_overwrites_without_force(run, tmp_path):
    """A second init refuses (exit 2, nothing written) until --force, which restores the defaults."""
    folder = tmp_path / "config"
    assert run("config", "init", folder).exit_code == 0
    _late_check_in(folder)
    edited = (folder / "travel.toml").read_text()
    result = run("config", "init", folder)
    assert result.exit_code == 2 and "--force" in result.output
    assert (folder / "travel.toml").read_text() == edited
    assert run("config", "init", folder, "--force").exit_code == 0
    assert (folder / "travel.toml").read_bytes() == (DEFAULT_CONFIG_DIR / "travel.toml").read_bytes()


def test_config_init_refuses_a_file_as_folder(run, tmp_path):
    """DIR naming an existing file is refused, exit 2."""
    file = tmp_path / "notes.txt"
    file.write_text("x")
    result = run("config", "init", file)
    assert result.exit_code == 2 and "not a folder" in result.output
