"""Every command has help text and appears in the README."""

from pathlib import Path

import pytest

from tripplanner.cli.app import app

README = (Path(__file__).resolve().parents[2] / "README.md").read_text()
COMMANDS = [c.name or c.callback.__name__ for c in app.registered_commands]


@pytest.mark.parametrize("name", COMMANDS)
def test_command_has_help_and_is_documented(name, run):
    """`tripplanner NAME --help` works and the README's command table mentions it."""
    result = run(name, "--help")
    assert result.exit_code == 0 and "Usage" in result.output
    command = next(c for c in app.registered_commands if (c.name or c.callback.__name__) == name)
    assert (command.callback.__doc__ or "").strip()
    assert f"tripplanner {name}" in README


def test_readme_has_the_two_quick_start_commands():
    """The quick start is `make demo` and `make test`."""
    assert "make demo" in README and "make test" in README
