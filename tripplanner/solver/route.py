"""What every stage of the solver returns: a timed route and what is proven about it.

The local search, the exhaustive search and CP-SAT each give a ``SolveResult``; ``merge`` keeps
the better route and the tighter proofs of two stages, so ``solve()`` is a chain of stages.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from tripplanner.solver import rulebook
from tripplanner.solver.polish import hotels_kept
from tripplanner.solver.objective import route_co2, route_travel, route_value, scalar_of_worth, worth
from tripplanner.solver.problem import Problem
from tripplanner.solver.schedule import Failure, PrefixTimer, Stop, schedule_route, trip_days_used


class Status(StrEnum):
    OPTIMAL = "optimal"
    """No route is better under the profile (proven)."""
    FEASIBLE = "feasible"
    INFEASIBLE = "infeasible"
    """No route exists (proven)."""
    UNKNOWN = "unknown"
    """No route found, nothing proven."""


class Profile(StrEnum):
    """What a plan optimises first; value is always the second criterion, travel time the last."""

    VALUE = "value"
    TRAVEL = "travel"
    CO2 = "co2"
    DAYS = "days"


class Stage(StrEnum):
    """The part of the solver that found a route."""

    LOCAL_SEARCH = "heuristic"
    EXHAUSTIVE = "exhaustive search"
    DAY_BOUND = "day-indexed relaxation"
    CPSAT = "cpsat"


@dataclass(frozen=True)
class Route:
    nodes: tuple[int, ...]
    stops: tuple[Stop, ...]
    objective: int
    """worth x travel weight - travel: the value profile's scalar (objective.scalar)."""
    value: int
    travel: int
    key: tuple[int, ...] = ()
    """The active profile's comparison key; larger is better."""
    worth: int = 0
    """Value less the cost of travel (objective.worth): what every profile weighs after its first criterion."""


def route_key(problem: Problem, route: list[int] | tuple[int, ...], days: int, profile: Profile,
              merit: int, travel: int) -> tuple[int, ...]:
    """What 'better' means for a profile: compare keys, larger is better. Worth (merit) comes first for
    the value profile and right after the first criterion for the others."""
    if profile == Profile.TRAVEL:
        return (-travel, merit)
    if profile == Profile.CO2:
        return (-route_co2(problem, route), merit, -travel)
    if profile == Profile.DAYS:
        return (-days, merit, -travel)
    return (merit, -travel)


def make_route(problem: Problem, nodes: list[int] | tuple[int, ...], profile: Profile = Profile.VALUE,
               timer: PrefixTimer | None = None) -> Route | None:
    """The route with its earliest schedule, or None when it is infeasible (timer: schedule.PrefixTimer)."""
    if not rulebook.shape_allowed(problem, nodes):
        return None
    stops = schedule_route(problem, nodes, timer)
    if isinstance(stops, Failure):
        return None
    return scored_route(problem, nodes, stops, profile)


def scored_route(problem: Problem, nodes: list[int] | tuple[int, ...], stops: list[Stop], profile: Profile) -> Route | None:
    """A timed route with its value, travel and key; None when its nights change hotel too often."""
    if (problem.max_hotel_changes is not None
            and rulebook.hotel_changes(problem, hotels_kept(problem, stops)) > problem.max_hotel_changes):
        return None
    days = trip_days_used(problem, stops) if problem.days else 0
    value, travel = route_value(problem, nodes), route_travel(problem, nodes)
    merit = worth(problem, value, travel)
    return Route(tuple(nodes), tuple(stops), scalar_of_worth(problem, merit, travel), value, travel,
                 route_key(problem, nodes, days, profile, merit, travel), merit)


@dataclass(frozen=True)
class SolveResult:
    status: Status
    route: Route | None
    found_by: Stage
    bound: int | None = None
    """Proven upper bound on the objective scalar (None when nothing is proven)."""
    value_bound: int | None = None
    """Proven upper bound on the route's worth (objective.worth units): on its worth among the routes
    best on the profile's first criterion, for the other profiles."""
    seconds: float = 0.0
    wall_clock_stop: bool = False
    """The clock, not a fixed count of rounds, a deterministic budget or a proof, ended a search: a re-run may differ."""
    first_route_seconds: float | None = None
    """When the first feasible route was known."""
    interrupted: bool = False
    """A stop request (Ctrl-C) ended the search early."""

    def is_feasible(self) -> bool:
        return self.route is not None

    @property
    def value_proven(self) -> bool:
        """No route is worth more (the travel tie-break may still be unproven)."""
        return self.route is not None and self.value_bound is not None and self.route.worth >= self.value_bound

    @property
    def gap(self) -> float | None:
        if self.route is None or self.bound is None:
            return None
        if self.bound == self.route.objective:
            return 0.0
        return abs(self.bound - self.route.objective) / max(1, abs(self.bound))


def _least(a: int | None, b: int | None) -> int | None:
    return b if a is None else a if b is None else min(a, b)


def merge(earlier: SolveResult, later: SolveResult) -> SolveResult:
    """Two stages' results as one: the better route (the earlier one on a tie), the tighter bounds.

    A stage's OPTIMAL is a claim about its own route's key: it stands when the kept route is as
    good, and falls to FEASIBLE when the other stage's route is better. INFEASIBLE stands only
    when neither stage found a route.
    """
    take_later = later.route is not None and (earlier.route is None or later.route.key > earlier.route.key)
    best = later if take_later else earlier
    route = best.route
    if route is None:
        proven = Status.INFEASIBLE in (earlier.status, later.status)
        status = Status.INFEASIBLE if proven else Status.UNKNOWN
    elif any(r.status is Status.OPTIMAL and r.route is not None and r.route.key == route.key for r in (earlier, later)):
        status = Status.OPTIMAL
    else:
        status = Status.FEASIBLE
    return SolveResult(
        status=status, route=route, found_by=best.found_by,
        bound=_least(earlier.bound, later.bound), value_bound=_least(earlier.value_bound, later.value_bound),
        seconds=max(earlier.seconds, later.seconds),
        wall_clock_stop=earlier.wall_clock_stop or later.wall_clock_stop,
        first_route_seconds=earlier.first_route_seconds if earlier.first_route_seconds is not None else later.first_route_seconds,
        interrupted=earlier.interrupted or later.interrupted,
    )
