"""What the CLI and tests call: one function per job, no printing, no exiting."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from tripplanner.catalogs.bundle import Catalogs, load_catalogs
from tripplanner.checks import Validation, check_trip
from tripplanner.errors import Conflict, PlanFileError, Problem, VerificationError
from tripplanner.models.itinerary import Itinerary
from tripplanner.solver.params import SolveParams
from tripplanner.travel.model import Leg
from tripplanner.trip import Trip, parse_request, read_request, resolve_trip


def load_trip(path: Path, config: Path | None = None) -> Trip:
    """Read, validate and resolve a request file (RequestError on any problem in it)."""
    request, source = read_request(path)
    return resolve_trip(request, source, load_catalogs(config))


def load_trip_text(text: str, catalogs: Catalogs | None = None, name: str = "request") -> Trip:
    request, source = parse_request(text, name)
    return resolve_trip(request, source, catalogs or load_catalogs())


def validate_trip(path: Path, config: Path | None = None) -> Validation:
    """Load a request and run every check that needs no solver."""
    trip = load_trip(path, config)
    return Validation(trip, check_trip(trip))


def travel_between(origin: str, destination: str, config: Path | None = None) -> Leg:
    catalogs = load_catalogs(config)
    return catalogs.travel.leg(catalogs.gazetteer.resolve(origin), catalogs.gazetteer.resolve(destination))


@dataclass
class PlanOutcome:
    trip: Trip
    itinerary: Itinerary | None
    status: str
    conflicts: list[Conflict] = field(default_factory=list)


def plan_trip(trip: Trip, params: SolveParams = SolveParams(), explain: bool = False) -> PlanOutcome:
    """Solve a resolved trip; an infeasible one comes back with the conflicts that were found."""
    from tripplanner.explain import diagnose, explain_left_out
    from tripplanner.itinerary import build_itinerary
    from tripplanner.solver.build import build_problem
    from tripplanner.solver.solve import solve
    from tripplanner.verify import verify

    problems = check_trip(trip)
    if problems:
        return PlanOutcome(trip, None, "infeasible", [Conflict(str(p)) for p in problems])
    problem, mapping = build_problem(trip)
    result = solve(problem, params)
    if not result.is_feasible():
        return PlanOutcome(trip, None, result.status, diagnose(trip, params))
    itinerary = build_itinerary(problem, mapping, result, params)
    violations = verify(trip, itinerary)
    if violations:
        raise VerificationError("internal error: the plan fails its own verification",
                                [Problem(str(v)) for v in violations])  # pragma: no cover
    if explain:
        itinerary = itinerary.model_copy(update={"left_out": explain_left_out(trip, problem, mapping, result, params)})
    return PlanOutcome(trip, itinerary, itinerary.solve.status)


def read_itinerary(path: Path) -> Itinerary:
    from pydantic import ValidationError

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PlanFileError(f"cannot read plan: {exc}", source=str(path)) from None
    try:
        return Itinerary.model_validate_json(text)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        where = ".".join(str(p) for p in first["loc"])
        raise PlanFileError(f"not an itinerary file: {where}: {first['msg']}", source=str(path)) from None


def verify_plan(request: Path, plan: Path, config: Path | None = None):
    """Violations of a plan file against a request file (empty when the plan is valid)."""
    from tripplanner.verify import verify

    return verify(load_trip(request, config), read_itinerary(plan))
