"""The typer application and the single error boundary."""

from __future__ import annotations

import functools
import sys
from pathlib import Path
from collections.abc import Callable
from typing import Annotated

import typer
from rich.console import Console

from tripplanner.errors import ExitCode, TripPlannerError

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


ConfigOption = Annotated[Path | None, typer.Option("--config", help="Folder with projects.yaml, relations.yaml, travel.toml.",
                                                   file_okay=False, dir_okay=True)]


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
    no_color: Annotated[bool, typer.Option("--no-color", help="Plain output without colour or box characters.")] = False,
) -> None:
    """tripplanner: day-by-day itineraries for official trips abroad."""
    Streams.debug = debug
    if no_color:
        Streams.out = Console(highlight=False, no_color=True, color_system=None)
        Streams.err = Console(stderr=True, highlight=False, no_color=True, color_system=None)


@app.command()
@boundary
def validate(
    request: Annotated[Path, typer.Argument(help="Trip request YAML file.")],
    config: ConfigOption = None,
) -> None:
    """Load, resolve and check a trip request; print a summary. Exit 0 valid, 2 invalid."""
    from tripplanner.api import validate_trip
    from tripplanner.render.summary import render_problems, render_validation

    validation = validate_trip(request, config)
    Streams.out.print(render_validation(validation))
    Streams.out.print(render_problems(validation), soft_wrap=True)
    if not validation.ok:
        raise typer.Exit(int(ExitCode.BAD_INPUT))


@app.command()
@boundary
def travel(
    origin: Annotated[str, typer.Argument(help="City, e.g. 'Paris, FR'.")],
    destination: Annotated[str, typer.Argument(help="City, e.g. 'Vienna, AT'.")],
    config: ConfigOption = None,
) -> None:
    """Show the travel model's leg between two cities: mode, distance, door-to-door steps, CO2."""
    from tripplanner.api import travel_between
    from tripplanner.render.summary import render_leg

    Streams.out.print(render_leg(travel_between(origin, destination, config)))


def main() -> None:
    from tripplanner.cli import output, planning  # noqa: F401  (registers their commands)

    try:
        app()
    except KeyboardInterrupt:
        sys.exit(int(ExitCode.INTERRUPTED))
