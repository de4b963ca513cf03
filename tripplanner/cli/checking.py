"""Commands that check inputs without solving: validate, travel."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from tripplanner.cli.base import ConfigOption, Streams, app, boundary
from tripplanner.errors import ExitCode


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
