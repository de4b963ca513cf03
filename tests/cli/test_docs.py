"""Every command has help text and appears in the README."""

from pathlib import Path

import pytest

from tripplanner.cli.app import app

README = (Path(__file__).resolve().parents[2] / "README.md").read_text()


def _commands() -> dict[str, object]:
    """Every command by the words that call it: `plan`, and `config path` for a command of a group."""
    found = {c.name or c.callback.__name__: c for c in app.registered_commands}
    for group in app.registered_groups:
        for c in group.typer_instance.registered_commands:
            found[f"{group.name or group.typer_instance.info.name} {c.name or c.callback.__name__}"] = c
    return found


COMMANDS = _commands()


def test_groups_are_found():
    """The reader sees the commands of groups too (config path, config init)."""
    assert {"config path", "config init"} <= set(COMMANDS)


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_command_has_help_and_is_documented(name, run):
    """`tripplanner NAME --help` works and the README's command table mentions it."""
    result = run(*name.split(), "--help")
    assert result.exit_code == 0 and "Usage" in result.output
    assert (COMMANDS[name].callback.__doc__ or "").strip()
    assert f"tripplanner {name}" in README


def test_readme_has_the_two_quick_start_commands():
    """The quick start is `make demo` and `make test`."""
    assert "make demo" in README and "make test" in README
