"""The replan command: a changed request planned again, keeping what it can of an old plan."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from tripplanner.cli.base import ConfigOption, NoColorOption, SetOption, Streams, app, boundary
from tripplanner.cli.planning import Force, Quiet, Seed, TimeLimit, Workers, exit_without_plan, interruptible, print_notes
from tripplanner.errors import ExitCode


@app.command()
@boundary
def replan(
    request: Annotated[Path, typer.Argument(help="Trip request YAML file, as changed since the old plan.")],
    old_plan: Annotated[Path, typer.Argument(metavar="OLD_PLAN", help="The old itinerary JSON (hand-edited is fine).")],
    overrides: SetOption = None,
    time_limit: TimeLimit = 10.0,
    workers: Workers = 1,
    seed: Seed = 0,
    as_json: Annotated[bool, typer.Option("--json", help="Print what changed as JSON instead of the plan and the list.")] = False,
    out: Annotated[Path | None, typer.Option("--out", help="Write the new itinerary as JSON here.", dir_okay=False)] = None,
    force: Force = False,
    quiet: Quiet = False,
    config: ConfigOption = None,
    no_color: NoColorOption = False,
) -> None:
    """Plan a changed request again, keeping as much of the old plan as the rules allow (its engagements on
    their days first, then the most worth), and say what changed and why. Exit 0 plan, 1 none, 2 bad input."""
    from tripplanner.api import solve_params
    from tripplanner.cli.files import check_writable, write_atomic
    from tripplanner.cli.status import solve_status
    from tripplanner.render.json import render_json
    from tripplanner.render.replan import render_changes
    from tripplanner.render.table import render_itinerary
    from tripplanner.replan import replan_request

    if out is not None:
        check_writable(out, force)
    params = solve_params(time_limit, workers, seed)
    with solve_status(Streams.err, "re-planning", quiet) as progress, interruptible() as stop:
        result = replan_request(request, old_plan, params, config, overrides or (), progress, stop)
    outcome = result.outcome
    print_notes(outcome.trip)
    if outcome.itinerary is None or result.changes is None:
        exit_without_plan(outcome, str(request))
    if as_json:
        Streams.out.out(json.dumps(result.changes.model_dump(mode="json"), indent=2), highlight=False)
    else:
        Streams.out.print(render_itinerary(outcome.itinerary))
        Streams.out.print(render_changes(result.changes), markup=False, soft_wrap=True)
    if out is not None:
        write_atomic(out, render_json(outcome.itinerary), force)
        Streams.err.print(f"wrote {out}")
    if stop.is_set():
        Streams.err.print("interrupted: the plan above is the best found so far (marked 'interrupted')")
        raise typer.Exit(int(ExitCode.INTERRUPTED))
