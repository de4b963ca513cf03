"""Every bad request file is refused with its exact message, field path and line, exit code 2, no traceback."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import DATA, example

BAD = sorted((DATA / "bad").glob("*.yaml"))


def _headers(path: Path) -> dict[str, str]:
    headers = {}
    for raw in path.read_bytes().decode("latin-1").splitlines():
        if not raw.startswith("# "):
            break
        key, _, value = raw[2:].partition(": ")
        headers[key] = value
    return headers


def test_corpus_is_large_enough():
    """The corpus holds at least 40 distinct bad files."""
    assert len(BAD) >= 40


@pytest.mark.parametrize("path", BAD, ids=[p.stem for p in BAD])
def test_bad_request_is_refused_cleanly(run, path):
    """validate exits 2 with the expected message and field path, without a traceback, in under 2 s."""
    headers = _headers(path)
    started = time.monotonic()
    result = run("validate", path)
    elapsed = time.monotonic() - started
    output = result.output
    assert result.exit_code == 2, output
    assert headers["expect"] in output
    if "path" in headers:
        assert headers["path"] in output
    assert "Traceback" not in output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert elapsed < 30  # a hang guard only; figures for speed live in benchmarks/


@pytest.mark.parametrize("name, path, line", [
    ("unknown-field-with-hint", "hom", 4),
    ("anchors-too-far-apart", "anchors[1].start", 18),
    ("dst-gap", "anchors[0].start", 14),
])
def test_error_names_the_yaml_line(run, name, path, line):
    """The message points at the line of the offending field."""
    result = run("validate", DATA / "bad" / f"{name}.yaml")
    assert f"{path} (line {line})" in result.output


def test_directory_instead_of_file(run, tmp_path):
    """A folder given as the request is refused with a clear message."""
    result = run("validate", tmp_path)
    assert result.exit_code == 2 and "is a directory" in result.output


def test_missing_file(run, tmp_path):
    """A path that does not exist is refused."""
    result = run("validate", tmp_path / "nope.yaml")
    assert result.exit_code == 2 and "cannot read" in result.output


def test_huge_file_is_refused_before_parsing(run, tmp_path):
    """A 50 MB file is refused by size, quickly, without reading it as YAML."""
    big = tmp_path / "big.yaml"
    with big.open("wb") as stream:
        stream.truncate(50 * 1024 * 1024)
    result = run("validate", big)
    assert result.exit_code == 2 and "the limit is" in result.output


def _run_tripplanner(*args, timeout: float = 30) -> subprocess.CompletedProcess:
    """tripplanner in a child process, so that a hang fails the test (after timeout s) instead of stopping the suite."""
    return subprocess.run([sys.executable, "-m", "tripplanner", "--no-color", *map(str, args)],
                          capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)


@pytest.fixture
def named_pipe(tmp_path):
    """A named pipe with no writer: opening it for reading the usual way blocks for ever."""
    if not hasattr(os, "mkfifo"):
        pytest.skip("no named pipes on this system")
    path = tmp_path / "trip.yaml"
    os.mkfifo(path)
    return path


SPECIAL_FILES = [
    pytest.param("/dev/zero", "is a device", id="/dev/zero: endless zeros, size 0 by stat"),
    pytest.param("pipe", "is a named pipe", id="a named pipe without a writer"),
]


@pytest.mark.parametrize("command", ["validate", "plan"])
@pytest.mark.parametrize("special, expect", SPECIAL_FILES)
def test_special_file_as_request_is_refused(command, special, expect, named_pipe):
    """A device or a named pipe given as the request: exit 2 with what it is, no hang, no traceback."""
    if special == "/dev/zero" and not Path(special).exists():
        pytest.skip("no /dev/zero on this system")
    path = named_pipe if special == "pipe" else special
    result = _run_tripplanner(command, path, *(["--time-limit", "1", "--quiet"] if command == "plan" else []))
    assert result.returncode == 2, result.stdout + result.stderr
    assert f"{path} {expect}, not a regular file" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("command", ["show", "verify", "compare"])
def test_special_file_as_plan_is_refused(command, named_pipe):
    """A named pipe given as a plan file to show, verify or compare: exit 2, no hang."""
    plan = DATA / "plans" / "paris-vienna-2017-1.json"
    args = {"show": [named_pipe], "verify": [example("paris-vienna-2017"), named_pipe], "compare": [plan, named_pipe]}
    result = _run_tripplanner(command, *args[command])
    assert result.returncode == 2, result.stdout + result.stderr
    assert "is a named pipe, not a regular file" in result.stderr


def test_integer_of_5000_digits_in_a_catalog(run, tmp_path):
    """The digit limit of int() is caught in a config folder's YAML and TOML as well: exit 2, file named."""
    import shutil

    from tripplanner.config import DEFAULT_CONFIG_DIR

    folder = tmp_path / "config"
    shutil.copytree(DEFAULT_CONFIG_DIR, folder)
    with (folder / "travel.toml").open("a") as stream:
        stream.write("\nextra = " + "7" * 5000 + "\n")
    result = run("travel", "Paris, FR", "Vienna, AT", "--config", folder)
    assert result.exit_code == 2 and "travel.toml: malformed TOML" in result.output


@pytest.mark.parametrize("shape, expect", [
    pytest.param("[" + "1, " * 30_000 + "1]", "more than 20,000 values in one file", id="a flat list of 30,000 numbers"),
    pytest.param("\n" + "".join(f"  t{i}: 1\n" for i in range(30_000)), "more than 20,000 values", id="30,000 mapping entries"),
    pytest.param("[" + "!!int 1, " * 30_000 + "1]", "more than 20,000 values", id="explicit tags, which skip tag resolution"),
])
def test_too_many_values_are_refused_before_checking_them(run, tmp_path, shape, expect):
    """A request with tens of thousands of values is refused as a whole, not checked (and reported) value by value."""
    path = tmp_path / "trip.yaml"
    path.write_text(f"name: x\nhome: 'Seoul, KR'\nthemes: {shape}\n")
    result = run("validate", path)
    assert result.exit_code == 2 and expect in result.output, result.output[-500:]


def test_many_problems_are_listed_up_to_a_cap(run, tmp_path):
    """400 unknown cities: 49 are listed, then where the city lookups stopped."""
    avoid = ", ".join(f'"Nowhere{i}, FR"' for i in range(400))
    path = tmp_path / "trip.yaml"
    path.write_text((DATA / "bad" / "unknown-city.yaml").read_text() + f"pins:\n  avoid: [{avoid}]\n")
    result = run("validate", path)
    assert result.exit_code == 2
    assert result.output.count("unknown city") == 49
    assert "pins.avoid[48] (line 17): cities after this one are not checked: 49 problems found already" in result.output
    assert "... and" not in result.output


def test_error_lists_at_most_50_problems():
    """An error with 1,000 problems shows the first 50 and counts the rest."""
    from tripplanner.errors import Problem, RequestError

    text = str(RequestError("invalid trip request", [Problem(f"problem {i}") for i in range(1000)]))
    assert "problem 49" in text and "problem 50" not in text and text.endswith("... and 950 more")
