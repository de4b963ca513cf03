"""Plan files read by verify, show and compare: one that cannot be trusted is refused with exit 2."""

import re

import pytest

from tests.conftest import DATA, SAVED_PLAN_LIMITS, example

PLAN = DATA / "plans" / "paris-vienna-2017-1.json"
OFFSET = re.compile(r'(\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d)?)(?:[+-]\d\d:\d\d|Z)"')


def _strip_offsets(tmp_path, count: int = 0):
    """The saved plan with the zone offsets of its times removed (all of them, or the first count)."""
    text, removed = OFFSET.subn(r'\1"', PLAN.read_text(), count=count)
    assert removed > 0
    path = tmp_path / "plan.json"
    path.write_text(text)
    return path


def _command(name, plan):
    return {"verify": ["verify", example("paris-vienna-2017"), plan], "show": ["show", plan],
            "compare": ["compare", PLAN, plan]}[name]


@pytest.mark.parametrize("command", ["verify", "show", "compare"])
def test_times_without_offsets_are_refused(run, tmp_path, command):
    """A plan whose times lost their offsets is refused (exit 2), naming the first such field, not read in the machine's zone."""
    result = run(*_command(command, _strip_offsets(tmp_path)))
    assert result.exit_code == 2, result.output
    assert "times without a zone offset: days[0].events[0].depart (and " in result.output


def test_one_time_without_offset_is_enough(run, tmp_path):
    """A single time without its offset is named on its own."""
    result = run("verify", example("paris-vienna-2017"), _strip_offsets(tmp_path, count=1))
    assert result.exit_code == 2
    assert "times without a zone offset: days[0].events[0].depart;" in result.output


def test_the_saved_plan_itself_verifies(run, demo_config):
    """The plan with its offsets intact is valid (against the demo catalog it was made with, without
    the pace limits that came after it): the
    refusal above is the offsets' doing."""
    off = [arg for field, value in SAVED_PLAN_LIMITS.items() for arg in ("--set", f"limits.{field}={str(value).lower()}")]
    result = run("verify", example("paris-vienna-2017"), PLAN, "--config", demo_config, *off)
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("text, expect", [
    pytest.param("[" * 100_000 + "]" * 100_000, "not an itinerary file", id="JSON nested 100,000 deep"),
    pytest.param('{"schema_version": "2.0", "days": ' + "1" * 5000 + "}", "not an itinerary file", id="integer of 5,000 digits"),
])
def test_hostile_json_is_refused(run, tmp_path, text, expect):
    """JSON that breaks Python's parsers (recursion, the digit limit) is refused with exit 2, no traceback."""
    path = tmp_path / "plan.json"
    path.write_text(text)
    result = run("show", path)
    assert result.exit_code == 2 and expect in result.output, result.output
