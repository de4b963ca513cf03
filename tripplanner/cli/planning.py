"""Commands that plan and check itineraries: plan, verify."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from tripplanner.cli.app import ConfigOption, Streams, app, boundary
from tripplanner.errors import ExitCode

TimeLimit = Annotated[float, typer.Option("--time-limit", min=0.5, max=3600, help="Solver time limit in seconds.")]
Workers = Annotated[int, typer.Option("--workers", min=1, max=64, help="CP-SAT search workers.")]
Seed = Annotated[int, typer.Option("--seed", help="Random seed; the same seed and request give the same plan.")]


@app.command()
@boundary
def plan(
    request: Annotated[Path, typer.Argument(help="Trip request YAML file.")],
    time_limit: TimeLimit = 10.0,
    workers: Workers = 2,
    seed: Seed = 0,
    explain: Annotated[bool, typer.Option("--explain", help="Say why each left-out candidate is out and what would let it in.")] = False,
    out: Annotated[Path | None, typer.Option("--out", help="Write the itinerary as JSON here.", dir_okay=False)] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite existing output files.")] = False,
    config: ConfigOption = None,
) -> None:
    """Build a day-by-day itinerary: anchors fixed, candidate cities added by the solver. Exit 0 plan, 1 none, 2 bad input."""
    from tripplanner.api import load_trip, plan_trip
    from tripplanner.cli.files import check_writable, write_atomic
    from tripplanner.render.table import render_itinerary, render_left_out
    from tripplanner.solver.params import SolveParams

    if out is not None:
        check_writable(out, force)
    trip = load_trip(request, config)
    outcome = plan_trip(trip, SolveParams(time_limit_s=time_limit, workers=workers, seed=seed), explain=explain)
    if outcome.itinerary is None:
        Streams.err.print(f"[bold red]no feasible plan[/] ({outcome.status}) for {request}:")
        for conflict in outcome.conflicts:
            Streams.err.print(f"  - {conflict.description}", markup=False)
        raise typer.Exit(int(ExitCode.NO_PLAN))
    Streams.out.print(render_itinerary(outcome.itinerary))
    if explain and outcome.itinerary.left_out:
        Streams.out.print(render_left_out(outcome.itinerary))
    if out is not None:
        write_atomic(out, outcome.itinerary.model_dump_json(indent=2) + "\n", force)
        Streams.err.print(f"wrote {out}")


@app.command()
@boundary
def verify(
    request: Annotated[Path, typer.Argument(help="Trip request YAML file.")],
    plan_file: Annotated[Path, typer.Argument(metavar="PLAN", help="Itinerary JSON written by `plan --out`.")],
    config: ConfigOption = None,
) -> None:
    """Re-check an itinerary (possibly hand-edited) against its request. Exit 0 valid, 1 violations."""
    from tripplanner.api import verify_plan

    violations = verify_plan(request, plan_file, config)
    if violations:
        Streams.out.print(f"{len(violations)} rule(s) broken:")
        for violation in violations:
            Streams.out.print(f"  - {violation}", markup=False)
        raise typer.Exit(int(ExitCode.NO_PLAN))
    Streams.out.print("valid: the plan keeps every rule of the request")
