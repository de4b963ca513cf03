"""The whatif command: the request as written and with --set changes, planned alike and compared."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from tripplanner.cli.base import ConfigOption, NoColorOption, SetOption, Streams, app, boundary
from tripplanner.cli.planning import Force, Objective, Quiet, Seed, TimeLimit, Workers, interruptible, print_conflicts
from tripplanner.errors import ExitCode

OUT_FILES = {"baseline": "baseline.json", "what-if": "whatif.json"}
"""The file each plan is written to under --out-dir."""


@app.command()
@boundary
def whatif(
    request: Annotated[Path, typer.Argument(help="Trip request YAML file.")],
    overrides: SetOption = None,
    time_limit: TimeLimit = 10.0,
    workers: Workers = 1,
    seed: Seed = 0,
    objective: Objective = "value",
    as_json: Annotated[bool, typer.Option("--json", help="Print the comparison as JSON (as `compare --json`).")] = False,
    out_dir: Annotated[Path | None, typer.Option("--out-dir", help="Write baseline.json and whatif.json here.", file_okay=False)] = None,
    force: Force = False,
    quiet: Quiet = False,
    config: ConfigOption = None,
    no_color: NoColorOption = False,
) -> None:
    """Plan the request as written and with --set changes (same solver settings) and compare the two. Exit 0 both
    planned, 1 either has no plan, 2 bad input."""
    from tripplanner.api import solve_params
    from tripplanner.cli.files import check_plan_folder, write_plans
    from tripplanner.cli.status import solve_status
    from tripplanner.render.compare import render_change, render_comparison
    from tripplanner.render.json import render_json
    from tripplanner.whatif import plan_whatif

    if out_dir is not None:
        check_plan_folder(out_dir, OUT_FILES.values(), force)
    params = solve_params(time_limit, workers, seed, objective)
    with solve_status(Streams.err, "solving baseline and what-if", quiet) as progress, interruptible() as stop:
        result = plan_whatif(request, overrides or (), params, config, progress, stop)
    outcomes = result.outcomes()
    notes = dict.fromkeys(str(note) for outcome in outcomes.values() for note in outcome.trip.notes)
    for note in notes:
        Streams.err.print(note, markup=False, soft_wrap=True)
    if result.comparison is None or result.change is None:
        interrupted = any(o.status == "interrupted" for o in outcomes.values())
        for label, outcome in outcomes.items():
            if outcome.itinerary is None and outcome.status == "interrupted":
                Streams.err.print(f"the {label} was interrupted before any plan was found")
            elif outcome.itinerary is None:
                print_conflicts(outcome, f"the {label}")
        if interrupted:
            Streams.err.print("interrupted: nothing compared, nothing written")
        raise typer.Exit(int(ExitCode.INTERRUPTED if interrupted else ExitCode.NO_PLAN))
    summary = render_change(result.change, result.overrides)
    if as_json:
        Streams.out.out(json.dumps(result.comparison.model_dump(mode="json"), indent=2), highlight=False)
        Streams.err.print(summary, markup=False, soft_wrap=True)
    else:
        Streams.out.print(render_comparison(result.comparison, plain=not Streams.out.is_terminal or Streams.out.no_color))
        Streams.out.print(summary, markup=False, soft_wrap=True)
    if out_dir is not None:
        write_plans(out_dir, {OUT_FILES[label]: render_json(o.itinerary) for label, o in outcomes.items()}, force)
        Streams.err.print(f"wrote {', '.join(OUT_FILES.values())} to {out_dir}")
    if stop.is_set():
        Streams.err.print("interrupted: a plan above is the best found so far (marked 'interrupted')")
        raise typer.Exit(int(ExitCode.INTERRUPTED))
