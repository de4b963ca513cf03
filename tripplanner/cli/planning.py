"""Commands that plan and check itineraries: plan, frontier, verify."""

from __future__ import annotations

import signal
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from tripplanner.cli.base import EXPLAIN_SLACK_S, ConfigOption, NoColorOption, SetOption, Streams, app, boundary
from tripplanner.errors import ExitCode

TimeLimit = Annotated[float, typer.Option("--time-limit", min=0.5, max=3600, help="Solver time limit in seconds.")]
Workers = Annotated[int, typer.Option(
    "--workers", min=1, max=64,
    help="1: one search at a time, the same plan every run. 2 or more: the local search and CP-SAT side by side "
         "on that many cores for the whole time limit; a re-run may differ.")]
Seed = Annotated[int, typer.Option("--seed", help="Random seed; the same seed and request give the same plan.")]
Quiet = Annotated[bool, typer.Option("--quiet", help="No live status line while solving.")]
Objective = Annotated[str, typer.Option("--objective", help="value | travel | co2 | days (value is always the second criterion).")]
Force = Annotated[bool, typer.Option("--force", help="Overwrite existing output files.")]


@contextmanager
def interruptible():
    """Ctrl-C asks the solver to stop and return its best plan; a second Ctrl-C aborts at once."""
    stop = threading.Event()

    def handler(signum, frame):
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()

    try:
        previous = signal.signal(signal.SIGINT, handler)
    except ValueError:  # not in the main thread (embedded use): no handler, plain Ctrl-C
        yield stop
        return
    try:
        yield stop
    finally:
        signal.signal(signal.SIGINT, previous)


def print_notes(trip) -> None:
    """The request's notes (a city resolved by a guess, ...), on the error stream."""
    for note in trip.notes:
        Streams.err.print(str(note), markup=False, soft_wrap=True)


def print_conflicts(outcome, subject: str) -> None:
    """'no feasible plan for SUBJECT (status):' and the outcome's conflicts, one a line."""
    Streams.err.print(f"[bold red]no feasible plan[/] for {subject} ({outcome.status}):")
    for conflict in outcome.conflicts:
        Streams.err.print(f"  - {conflict.description}", markup=False, soft_wrap=True)


def exit_without_plan(outcome, subject: str) -> NoReturn:
    """An outcome with no plan: interrupted (exit 130) or infeasible with its conflicts (exit 1)."""
    if outcome.status == "interrupted":
        Streams.err.print("interrupted before any plan was found; nothing written")
        raise typer.Exit(int(ExitCode.INTERRUPTED))
    print_conflicts(outcome, subject)
    raise typer.Exit(int(ExitCode.NO_PLAN))


def _params(time_limit: float, workers: int, seed: int, objective: str = "value"):
    from tripplanner.api import solve_params

    return solve_params(time_limit, workers, seed, objective)


@app.command()
@boundary
def plan(
    request: Annotated[Path, typer.Argument(help="Trip request YAML file.")],
    overrides: SetOption = None,
    time_limit: TimeLimit = 10.0,
    workers: Workers = 1,
    seed: Seed = 0,
    objective: Objective = "value",
    explain: Annotated[bool, typer.Option("--explain", help="Say why each left-out candidate is out and what would let it in.")] = False,
    alternatives: Annotated[int, typer.Option("--alternatives", min=1, max=20, help="How many really different plans, best first.")] = 1,
    min_difference: Annotated[int, typer.Option("--min-difference", min=1, max=20, help="Cities each alternative must differ by.")] = 1,
    out: Annotated[Path | None, typer.Option("--out", help="Write the (first) itinerary as JSON here.", dir_okay=False)] = None,
    out_dir: Annotated[Path | None, typer.Option("--out-dir", help="Write plan-1.json ... plan-K.json here.", file_okay=False)] = None,
    force: Force = False,
    quiet: Quiet = False,
    config: ConfigOption = None,
    no_color: NoColorOption = False,
) -> None:
    """Build a day-by-day itinerary: anchors fixed, candidate cities added by the solver. Exit 0 plan, 1 none, 2 bad input."""
    from tripplanner.api import plan_request
    from tripplanner.cli.files import check_plan_folder, check_writable, write_atomic, write_plans
    from tripplanner.cli.status import solve_status
    from tripplanner.render.compare import render_comparison
    from tripplanner.render.json import render_json
    from tripplanner.render.table import render_itinerary, render_left_out

    if out is not None:
        check_writable(out, force)
    if out_dir is not None:
        check_plan_folder(out_dir, [f"plan-{k}.json" for k in range(1, alternatives + 1)], force)
    params = _params(time_limit, workers, seed, objective)
    with solve_status(Streams.err, "solving", quiet) as progress, interruptible() as stop:
        outcomes = plan_request(request, params, alternatives, min_difference, explain=explain, progress=progress,
                                stop=stop, config=config, overrides=overrides or (), phase=progress.set_phase,
                                deadline=Streams.started + time_limit + EXPLAIN_SLACK_S)
    first = outcomes[0]
    print_notes(first.trip)
    if first.itinerary is None:
        exit_without_plan(first, str(request))
    plans = [o.itinerary for o in outcomes]
    Streams.out.print(render_itinerary(plans[0]))
    if explain and plans[0].left_out:
        Streams.out.print(render_left_out(plans[0]))
    if len(plans) > 1:
        from tripplanner.compare import compare_itineraries

        labels = [f"plan-{k}" for k in range(1, len(plans) + 1)]
        Streams.out.print(render_comparison(compare_itineraries(plans, labels), plain=not Streams.out.is_terminal or Streams.out.no_color))
    if len(plans) < alternatives:
        Streams.err.print(f"only {len(plans)} plan(s) differ as required; no further alternative exists within the limits")
    if out is not None:
        write_atomic(out, render_json(plans[0]), force)
        Streams.err.print(f"wrote {out}")
    if out_dir is not None:
        write_plans(out_dir, {f"plan-{k}.json": render_json(p) for k, p in enumerate(plans, start=1)}, force)
        Streams.err.print(f"wrote {len(plans)} plan(s) to {out_dir}")
    if stop.is_set():
        if not explain or plans[0].solve.status == "interrupted":
            Streams.err.print("interrupted: the plan above is the best found so far (marked 'interrupted')")
        else:
            unexamined = sum(not item.examined for item in plans[0].left_out)
            Streams.err.print(f"interrupted during the explanations: the plan above is complete; {unexamined} "
                              "left-out project(s) not examined")
        raise typer.Exit(int(ExitCode.INTERRUPTED))


@app.command()
@boundary
def frontier(
    request: Annotated[Path, typer.Argument(help="Trip request YAML file.")],
    overrides: SetOption = None,
    points: Annotated[int, typer.Option("--points", min=3, max=12, help="Plans to solve: the plan, least travel, most value and budgets between.")] = 5,
    time_limit: TimeLimit = 10.0,
    workers: Workers = 1,
    seed: Seed = 0,
    out_dir: Annotated[Path | None, typer.Option("--out-dir", help="Write point-1.json ... (least travel first) here.", file_okay=False)] = None,
    force: Force = False,
    quiet: Quiet = False,
    config: ConfigOption = None,
    no_color: NoColorOption = False,
) -> None:
    """Show the trade-off between value and travel time (and days) as non-dominated plans; each point is
    solved as `plan` solves (--time-limit per point)."""
    from tripplanner.api import load_trip
    from tripplanner.frontier import plan_frontier
    from tripplanner.cli.files import check_plan_folder, write_plans
    from tripplanner.cli.status import solve_status
    from tripplanner.render.json import render_json
    from tripplanner.render.summary import render_frontier

    if out_dir is not None:
        check_plan_folder(out_dir, [f"point-{k}.json" for k in range(1, points + 1)], force)
    trip = load_trip(request, config, overrides or ())
    print_notes(trip)

    def announce(point: int, total: int) -> None:
        if not quiet:
            Streams.err.print(f"frontier: solving point {point} of {total}", highlight=False)

    with solve_status(Streams.err, "frontier", quiet) as progress, interruptible() as stop:
        plans = plan_frontier(trip, _params(time_limit, workers, seed), points, progress, stop, announce)
    if not plans:
        Streams.err.print("no feasible plan: run `tripplanner plan` for the conflicts")
        raise typer.Exit(int(ExitCode.INTERRUPTED if stop.is_set() else ExitCode.NO_PLAN))
    Streams.out.print(render_frontier(plans))
    if out_dir is not None:
        write_plans(out_dir, {f"point-{k}.json": render_json(p) for k, p in enumerate(plans, start=1)}, force)
        Streams.err.print(f"wrote {len(plans)} plan(s) to {out_dir}")


@app.command()
@boundary
def verify(
    request: Annotated[Path, typer.Argument(help="Trip request YAML file.")],
    plan_file: Annotated[Path, typer.Argument(metavar="PLAN", help="Itinerary JSON written by `plan --out`.")],
    overrides: SetOption = None,
    config: ConfigOption = None,
    no_color: NoColorOption = False,
) -> None:
    """Re-check an itinerary (possibly hand-edited) against its request. Exit 0 valid, 1 violations."""
    from tripplanner.api import verify_plan

    violations = verify_plan(request, plan_file, config, overrides or ())
    if violations:
        Streams.out.print(f"{len(violations)} rule(s) broken:")
        for violation in violations:
            Streams.out.print(f"  - {violation}", markup=False, soft_wrap=True)
        raise typer.Exit(int(ExitCode.NO_PLAN))
    Streams.out.print("valid: the plan keeps every rule of the request")
