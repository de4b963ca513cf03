"""Commands that check inputs without solving: validate, travel."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from tripplanner.cli.base import ConfigOption, NoColorOption, SetOption, Streams, app, boundary
from tripplanner.errors import ExitCode


@app.command()
@boundary
def validate(
    request: Annotated[Path, typer.Argument(help="Trip request YAML file.")],
    overrides: SetOption = None,
    config: ConfigOption = None,
    no_color: NoColorOption = False,
) -> None:
    """Load, resolve and check a trip request; print a summary. Exit 0 valid, 2 invalid."""
    from tripplanner.api import validate_trip
    from tripplanner.render.summary import render_problems, render_validation

    validation = validate_trip(request, config, overrides or ())
    Streams.out.print(render_validation(validation))
    Streams.out.print(render_problems(validation), soft_wrap=True)
    if not validation.ok:
        raise typer.Exit(int(ExitCode.BAD_INPUT))


@app.command()
@boundary
def travel(
    origin: Annotated[str, typer.Argument(help="City, e.g. 'Paris, FR'.")],
    destination: Annotated[str, typer.Argument(help="City, e.g. 'Vienna, AT'.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the leg and the options as JSON.")] = False,
    config: ConfigOption = None,
    no_color: NoColorOption = False,
) -> None:
    """Show the leg between two cities step by step (flights, trains, transfers, waits) and the options considered."""
    from tripplanner.api import travel_options
    from tripplanner.render.summary import render_leg, travel_json

    found = travel_options(origin, destination, config)
    for note in found.notes:
        Streams.err.print(note, markup=False, soft_wrap=True)
    if as_json:
        import json

        Streams.out.out(json.dumps(travel_json(found.legs), indent=2, ensure_ascii=False), highlight=False)
        return
    Streams.out.print(render_leg(found.legs))
