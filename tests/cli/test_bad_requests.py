"""Every bad request file is refused with its exact message, field path and line, exit code 2, no traceback."""

import time
from pathlib import Path

import pytest

from tests.conftest import DATA

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
