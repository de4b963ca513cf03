"""The typer application, its shared options and the single error boundary; command modules register on it."""

from __future__ import annotations

import functools
import time
from pathlib import Path
from collections.abc import Callable
from typing import Annotated

import typer
from rich.console import Console

from tripplanner.errors import ExitCode, TripPlannerError

EXPLAIN_SLACK_S = 2.0
"""`plan --explain` ends by the command's start (Streams.started) + --time-limit + this."""

app = typer.Typer(
    name="tripplanner",
    help="Plan official trips abroad: invitations are fixed anchors; a solver adds nearby policy-project cities.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


class Streams:
    """The output and error consoles; tests replace them."""

    out = Console(highlight=False)
    err = Console(stderr=True, highlight=False)
    debug = False
    started = time.monotonic()
    """When the command began (set again by the root callback of each invocation)."""

    @classmethod
    def plain(cls) -> None:
        """No colour and no box characters from here on (--no-color)."""
        cls.out = Console(highlight=False, no_color=True, color_system=None)
        cls.err = Console(stderr=True, highlight=False, no_color=True, color_system=None)


def _no_color(value: bool) -> None:
    if value:
        Streams.plain()


NoColorOption = Annotated[bool, typer.Option("--no-color", help="Plain output without colour or box characters.",
                                             callback=_no_color, is_eager=True, expose_value=False)]
"""--no-color after the command too (`tripplanner plan X --no-color`): every command takes it."""


ConfigOption = Annotated[Path | None, typer.Option("--config", help="Folder with projects.yaml, relations.yaml, travel.toml.",
                                                   file_okay=False, dir_okay=True)]


SetOption = Annotated[list[str] | None, typer.Option(
    "--set", metavar="FIELD=VALUE",
    help="Change one field of the request for this run, the file untouched (repeatable): window.max_days=10, "
         "anchors[0].start='2017-03-16 10:00', pins.must_visit='[\"Vienna, AT\"]'. The value is YAML.")]
"""What-if overrides (tripplanner/overrides.py), passed to the library as written."""


def boundary(command: Callable) -> Callable:
    """Turn the project's errors into a message and exit code; a traceback only under --debug."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except TripPlannerError as exc:
            if Streams.debug:
                raise
            Streams.err.print(f"[bold red]error:[/] {exc}", markup=True, highlight=False, soft_wrap=True)
            raise typer.Exit(int(exc.exit_code)) from None
        except KeyboardInterrupt:
            Streams.err.print("interrupted")
            raise typer.Exit(int(ExitCode.INTERRUPTED)) from None

    return wrapper


@app.callback()
def _root(
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks of errors.")] = False,
    no_color: NoColorOption = False,
) -> None:
    """tripplanner: day-by-day itineraries for official trips abroad."""
    Streams.debug = debug
    Streams.started = time.monotonic()
