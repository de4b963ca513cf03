"""The command-line entry point: the typer app with every command module registered."""

from __future__ import annotations

import sys

from tripplanner.cli import checking, config_commands, output, planning, replan, whatif  # noqa: F401  (each registers its commands)
from tripplanner.cli.base import app
from tripplanner.errors import ExitCode

__all__ = ["app", "main"]


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(int(ExitCode.INTERRUPTED))
