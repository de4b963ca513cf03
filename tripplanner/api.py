"""What the CLI and tests call: one function per job, no printing, no exiting."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from tripplanner.config import Catalogs, load_catalogs
from tripplanner.checks import check_trip, warn_trip
from tripplanner.trip import Validation
from tripplanner.errors import Conflict, PlanFileError, Problem, RequestError
from tripplanner.models.itinerary import SCHEMA_VERSION, Itinerary
from tripplanner.overrides import parse_overrides
from tripplanner.solver.params import SolveParams
from tripplanner.travel.model import Leg
from tripplanner.trip import Trip, parse_request, read_request, resolve_trip


def load_trip(path: Path, config: Path | None = None, overrides: Sequence[str] = ()) -> Trip:
    """Read, validate and resolve a request file, with what-if overrides (FIELD=VALUE, tripplanner/overrides.py)
    set before it is validated; RequestError on any problem in it or in them."""
    changes = parse_overrides(overrides)
    request, source = read_request(path, changes)
    return resolve_trip(request, source, load_catalogs(config))


def load_trip_text(text: str, catalogs: Catalogs | None = None, name: str = "request") -> Trip:
    request, source = parse_request(text, name)
    return resolve_trip(request, source, catalogs or load_catalogs())


def validate_trip(path: Path, config: Path | None = None, overrides: Sequence[str] = ()) -> Validation:
    """Load a request (with any what-if overrides) and run every check that needs no solver."""
    trip = load_trip(path, config, overrides)
    return Validation(trip, _attributed(trip, check_trip(trip)), _attributed(trip, warn_trip(trip)))


def _attributed(trip: Trip, problems: list[Problem]) -> list[Problem]:
    """The problems, naming the --set options behind their fields."""
    return trip.source.attributed(problems) if trip.source else problems


@dataclass(frozen=True)
class TravelOptions:
    """The legs the travel model considers between two cities, the chosen one first, and how a city
    named without its country was taken ('Paris taken as Paris, FR ...')."""

    legs: tuple[Leg, ...]
    notes: tuple[str, ...] = ()


def travel_options(origin: str, destination: str, config: Path | None = None) -> TravelOptions:
    """The options the travel model considers between two cities, the chosen one first."""
    catalogs = load_catalogs(config)
    (start, start_note), (end, end_note) = (catalogs.gazetteer.resolve_with_note(ref) for ref in (origin, destination))
    return TravelOptions(catalogs.travel.options(start, end), tuple(note for note in (start_note, end_note) if note))


@dataclass
class PlanOutcome:
    trip: Trip
    itinerary: Itinerary | None
    status: str
    conflicts: list[Conflict] = field(default_factory=list)


Progress = Callable[[int | None, int | None], None]


def _checked_itinerary(trip: Trip, problem, mapping, result, params: SolveParams) -> Itinerary:
    """The result as an itinerary that has passed the independent verifier."""
    from tripplanner.itinerary import checked_itinerary

    return checked_itinerary(trip, problem, mapping, result, params)


def solve_params(time_limit_s: float = 10.0, workers: int = 1, seed: int = 0, objective: str = "value") -> SolveParams:
    """Solver settings from the command line's words; RequestError naming --objective if it is unknown."""
    from tripplanner.solver.route import Profile

    if objective not in tuple(Profile):
        raise RequestError(f"--objective must be one of {', '.join(Profile)}, not {objective!r}")
    return SolveParams(time_limit_s=time_limit_s, workers=workers, seed=seed, objective=Profile(objective))


def plan_request(path: Path, params: SolveParams = SolveParams(), alternatives: int = 1, min_difference: int = 1,
                 explain: bool = False, progress: Progress | None = None, stop: threading.Event | None = None,
                 config: Path | None = None, overrides: Sequence[str] = (),
                 phase: Callable[[str], None] | None = None, deadline: float | None = None) -> list[PlanOutcome]:
    """Read a request file (with any what-if overrides) and plan it: up to `alternatives` plans, best first
    (plan_alternatives)."""
    return plan_alternatives(load_trip(path, config, overrides), params, alternatives, min_difference, explain,
                             progress, stop, phase, deadline)


def plan_trip(trip: Trip, params: SolveParams = SolveParams(), explain: bool = False,
              progress: Progress | None = None, stop: threading.Event | None = None) -> PlanOutcome:
    """Solve a resolved trip; an infeasible one comes back with the conflicts that were found."""
    return plan_alternatives(trip, params, 1, explain=explain, progress=progress, stop=stop)[0]


def plan_alternatives(trip: Trip, params: SolveParams = SolveParams(), count: int = 1, min_difference: int = 1,
                      explain: bool = False, progress: Progress | None = None,
                      stop: threading.Event | None = None,
                      phase: Callable[[str], None] | None = None,
                      deadline: float | None = None) -> list[PlanOutcome]:
    """Up to count plans, best first, each differing from every earlier one by min_difference cities
    (or, when no other city fits, by the order of its legs). With explain, the first plan says why each
    left-out candidate is out, in what the solves left of their time limit (explain.ExplainBudget);
    phase('explaining 3/7') tells a status line what is being done. With explain the solves take
    EXPLAIN_SOLVE_SHARE of the time limit, and the explanations end by deadline (time.monotonic(), the
    command's own end) less OUTPUT_RESERVE_S."""
    import time

    from tripplanner.explain import EXPLAIN_SOLVE_SHARE, OUTPUT_RESERVE_S, diagnose, explain_left_out, explanation_budget
    from tripplanner.solver.build import build_problem
    from tripplanner.solver.params import Diversity
    from tripplanner.solver.solve import solve

    problems = _attributed(trip, check_trip(trip))
    if problems:
        return [PlanOutcome(trip, None, "infeasible", [Conflict(str(p)) for p in problems])]
    problem, mapping = build_problem(trip)
    outcomes: list[PlanOutcome] = []
    found = []
    routes: list[tuple[int, ...]] = []
    started, solves = time.monotonic(), 0
    solving = replace(params, time_limit_s=params.time_limit_s * EXPLAIN_SOLVE_SHARE) if explain else params
    for _ in range(count):
        if stop is not None and stop.is_set():
            break
        diversity = Diversity(tuple(routes), min_difference) if routes else None
        result = solve(problem, solving, diversity, progress, stop)
        solves += 1
        if not result.is_feasible() and routes and not result.interrupted:
            result = solve(problem, solving, Diversity(tuple(routes), order_only=True), progress, stop)
            solves += 1
        if not result.is_feasible():
            if not routes:
                if result.interrupted:
                    return [PlanOutcome(trip, None, "interrupted", [Conflict("interrupted before any plan was found")])]
                return [PlanOutcome(trip, None, result.status, diagnose(trip, params, stop))]
            break
        routes.append(result.route.nodes)
        found.append(result)
    # A later search can beat an earlier one that stopped at its budget: best first all the same.
    found.sort(key=lambda r: r.route.key, reverse=True)
    for result in found:
        itinerary = _checked_itinerary(trip, problem, mapping, result, params)
        if explain and not outcomes and not result.interrupted:
            budget = explanation_budget(params, time.monotonic() - started - solving.time_limit_s * (solves - 1), stop)
            if deadline is not None:
                budget.deadline = min(budget.deadline, deadline - OUTPUT_RESERVE_S)
            left_out = explain_left_out(trip, problem, mapping, result, params, budget, phase)
            itinerary = itinerary.model_copy(update={"left_out": left_out})
        outcomes.append(PlanOutcome(trip, itinerary, itinerary.solve.status))
    return outcomes


MAX_PLAN_BYTES = 20_000_000
"""Plan files are about 40 kB for a week; anything past this is not one of ours and is refused unread."""


def read_itinerary(path: Path) -> Itinerary:
    """An itinerary JSON file; PlanFileError when it cannot be read, is not an itinerary or has times without offsets."""
    from pydantic import ValidationError

    from tripplanner.inputfile import UnreadableFile, read_capped

    try:
        text = read_capped(path, MAX_PLAN_BYTES).decode("utf-8")
    except (UnreadableFile, UnicodeDecodeError) as exc:
        raise PlanFileError(f"cannot read plan: {exc}", source=str(path)) from None
    version = _schema_version(text)
    if version is not None and version != SCHEMA_VERSION:
        raise PlanFileError(f"the plan file has schema {version}, written by an earlier tripplanner; this one reads "
                            f"{SCHEMA_VERSION} (legs with their flights and trains): plan the request again",
                            source=str(path))
    try:
        itinerary = Itinerary.model_validate_json(text)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        where = ".".join(str(p) for p in first["loc"])
        raise PlanFileError(f"not an itinerary file: {where}: {first['msg']}", source=str(path)) from None
    naive = _times_without_offset(itinerary)
    if naive:
        more = f" (and {len(naive) - 1} more)" if len(naive) > 1 else ""
        raise PlanFileError(f"times without a zone offset: {naive[0]}{more}; every time in a plan carries its offset "
                            "(2017-03-16T09:30:00+01:00): restore the offsets or plan the request again",
                            source=str(path))
    return itinerary


def _times_without_offset(value: object, path: str = "") -> list[str]:
    """Field paths (days[2].events[0].start) of the datetimes in value that have no zone offset."""
    from datetime import datetime

    from pydantic import BaseModel

    if isinstance(value, datetime):
        return [path] if value.utcoffset() is None else []
    if isinstance(value, BaseModel):
        return [found for name in type(value).model_fields
                for found in _times_without_offset(getattr(value, name), f"{path}.{name}" if path else name)]
    if isinstance(value, (list, tuple)):
        return [found for index, item in enumerate(value) for found in _times_without_offset(item, f"{path}[{index}]")]
    if isinstance(value, dict):
        return [found for key, item in value.items() for found in _times_without_offset(item, f"{path}.{key}")]
    return []


def _schema_version(text: str) -> str | None:
    """The schema_version a plan file declares (None when it is not a JSON object that says)."""
    import json

    try:
        data = json.loads(text)
    except (ValueError, RecursionError):  # not JSON, or nested past Python's recursion limit
        return None
    return data.get("schema_version") if isinstance(data, dict) and isinstance(data.get("schema_version"), str) else None


def verify_plan(request: Path, plan: Path, config: Path | None = None, overrides: Sequence[str] = ()):
    """Violations of a plan file against a request file with any what-if overrides (empty when the plan is valid)."""
    from tripplanner.verify import verify

    return verify(load_trip(request, config, overrides), read_itinerary(plan))
