"""Why a request has no plan, why candidates were left out, and the smallest change that helps.

Every answer here comes from re-solving a changed request, never from a guess.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import timedelta

from tripplanner.errors import Conflict
from tripplanner.models.itinerary import LeftOut
from tripplanner.solver.build import ProblemMap, build_problem
from tripplanner.solver.heuristic import base_route
from tripplanner.solver.objective import worth_points
from tripplanner.solver.params import SolveParams
from tripplanner.solver.problem import Problem
from tripplanner.solver.route import SolveResult, make_route
from tripplanner.solver.solve import solve
from tripplanner.timeutil import format_minutes, later
from tripplanner.trip import Trip

PROBE_SECONDS = 2.0
"""Time for each re-solve of a changed request: enough for the heuristic, a short CP-SAT run after it."""

Change = tuple[str, Callable[[Trip], Trip]]


def _limits(trip: Trip, **update) -> Trip:
    return dataclasses.replace(trip, limits=trip.limits.model_copy(update=update))


def _relaxations(trip: Trip) -> list[tuple[str, str, Callable[[Trip], Trip]]]:
    """(family, description, change) for each single change to try, smallest first within a family."""
    limits = trip.limits
    changes: list[tuple[str, str, Callable[[Trip], Trip]]] = []
    for anchor in trip.anchors:
        if anchor.mandatory:
            changes.append((f"anchor {anchor.index}", f"make anchor {anchor.name!r} optional",
                            lambda t, a=anchor: dataclasses.replace(t, anchors=tuple(
                                dataclasses.replace(x, mandatory=False) if x.index == a.index else x for x in t.anchors))))
    for extra in (1, 2, 3):
        changes.append(("days", f"allow {trip.max_days + extra} days (max_days +{extra})",
                        lambda t, e=extra: dataclasses.replace(t, max_days=t.max_days + e)))
    for hours in (12, 24, 48):
        changes.append(("return", f"return up to {hours} h later",
                        lambda t, h=hours: dataclasses.replace(t, latest_return=later(t.latest_return, h * 60))))
    for hours in (2, 4, 8):
        changes.append(("daily travel", f"allow {limits.max_travel_hours_per_day + hours:g} h of travel per day (+{hours} h)",
                        lambda t, h=hours: _limits(t, max_travel_hours_per_day=t.limits.max_travel_hours_per_day + h)))
    changes.append(("single leg", "lift the single-leg limit to 24 h", lambda t: _limits(t, max_leg_hours=24.0)))
    changes.append(("buffer", "drop the arrival buffer before anchors", lambda t: _limits(t, anchor_buffer_hours=0.0)))
    changes.append(("long-haul rest", "drop the rest after long-haul arrivals", lambda t: _limits(t, long_haul_rest_hours=0.0)))
    changes.append(("night rest", "drop the minimum night rest", lambda t: _limits(t, min_night_rest_hours=0.0)))
    changes += [(f"nights {booking}", description, change) for booking, (description, change) in _booking_changes(trip)]
    for city in trip.must_visit:
        changes.append((f"pin {city.geoname_id}", f"unpin {city.label}", lambda t, c=city: dataclasses.replace(
            t, must_visit=tuple(x for x in t.must_visit if x.geoname_id != c.geoname_id))))
    return changes


def _booking_changes(trip: Trip) -> list[tuple[int, Change]]:
    """(booking, (description, change)) giving up each booked stay in turn."""
    return [(booking, (f"give up the booked nights in {nights[0].city.label} (pins.nights[{booking}])",
                       lambda t, b=booking: dataclasses.replace(
                           t, booked_nights=tuple(n for n in t.booked_nights if n.booking != b))))
            for booking, nights in trip.bookings().items()]


def _probe(trip: Trip, params: SolveParams) -> tuple[SolveResult, Problem, ProblemMap]:
    problem, mapping = build_problem(trip)
    return solve(problem, _quick(params)), problem, mapping


def _quick(params: SolveParams) -> SolveParams:
    """Probe settings: short (never longer than the user's own limit), few local-search rounds."""
    return dataclasses.replace(params, time_limit_s=min(PROBE_SECONDS, params.time_limit_s),
                               heuristic_iterations=min(params.heuristic_iterations, 60))


def diagnose(trip: Trip, params: SolveParams) -> list[Conflict]:
    """Which single relaxations make the request feasible; the first of each family is the smallest."""
    conflicts: list[Conflict] = []
    helped_families: set[str] = set()
    for family, description, change in _relaxations(trip):
        if family in helped_families:
            continue
        result, _, _ = _probe(change(trip), params)
        if result.is_feasible():
            helped_families.add(family)
            conflicts.append(Conflict(f"a plan exists if you {description}"))
    if not conflicts:
        conflicts.append(Conflict("no single relaxation tried (anchors optional, more days, later return, more travel per "
                                  "day, longer legs, buffers, rests, pins, booked nights) yields a plan; several rules "
                                  "conflict at once"))
    return conflicts


def _visited(result: SolveResult, mapping: ProblemMap) -> set[str]:
    return {mapping.refs[s.node].project.id for s in result.route.stops if mapping.refs[s.node].project}


def explain_left_out(trip: Trip, problem: Problem, mapping: ProblemMap, result: SolveResult, params: SolveParams) -> list[LeftOut]:
    visited = _visited(result, mapping)
    worth_now = result.route.worth
    out = []
    for index, ref in enumerate(mapping.refs):
        project = ref.project
        if project is None or project.id in visited:
            continue
        node = problem.nodes[index]
        city = ref.candidate.city.label
        if not node.windows:
            out.append(LeftOut(project_id=project.id, city=city, reason="closed", value=project.value,
                               detail="closed on every day of the window (weekdays, dates and blackouts)",
                               smallest_change=_smallest_change(trip, params, project.id, visited, mapping)))
            continue
        skeleton = base_route(problem)
        alone = any(make_route(problem, (*skeleton[:p], index, *skeleton[p:])) for p in range(1, len(skeleton)))
        if not alone:
            out.append(LeftOut(project_id=project.id, city=city, reason="unreachable", value=project.value,
                               detail="cannot be fitted around the anchors within the window, office hours and travel limits",
                               smallest_change=_smallest_change(trip, params, project.id, visited, mapping)))
            continue
        forced = dataclasses.replace(problem, nodes=tuple(
            dataclasses.replace(n, mandatory=True) if i == index else n for i, n in enumerate(problem.nodes)))
        with_it = solve(forced, _quick(params))
        if with_it.is_feasible():
            lost = worth_points(worth_now - with_it.route.worth)
            dropped = sorted(_visited_cities(result, mapping) - _visited_cities(with_it, mapping))
            if lost < 0:
                detail = (f"worth {project.value:g}; a plan with it is worth {-lost:g} more: the search stopped "
                          f"before finding it (try a longer --time-limit)")
            else:
                detail = cost_of_taking(project.value, lost, dropped, with_it.route.travel - result.route.travel)
        else:
            detail = f"worth {project.value:g}, but no plan with it was found beside the anchors"
        out.append(LeftOut(project_id=project.id, city=city, reason="lost", value=project.value, detail=detail,
                           smallest_change=_smallest_change(trip, params, project.id, visited, mapping)))
    return out


def cost_of_taking(worth: float, lost: float, dropped: list[str], travel_change_min: int) -> str:
    """Why a project the search could fit is out: the value a plan with it loses, the cities it drops, and
    the travel it adds ('and 1 h 20 of travel') or saves ('though it saves 45 min of travel')."""
    if travel_change_min > 0:
        travel = f" and {format_minutes(travel_change_min)} of travel"
    elif travel_change_min < 0:
        travel = f", though it saves {format_minutes(-travel_change_min)} of travel"
    else:
        travel = " with the same travel time"
    drops = f" (drops {', '.join(dropped)})" if dropped else ""
    return f"worth {worth:g}; taking it costs {lost:g} value{drops}{travel}"


def _visited_cities(result: SolveResult, mapping: ProblemMap) -> set[str]:
    return {mapping.refs[s.node].candidate.city.label for s in result.route.stops if mapping.refs[s.node].candidate}


def _smallest_change(trip: Trip, params: SolveParams, project_id: str, visited: set[str], mapping: ProblemMap) -> str:
    """The first single change (in order of size) under which the best plan includes the project."""
    limits = trip.limits
    changes: list[Change] = [
        ("one more day (max_days +1)", lambda t: dataclasses.replace(t, max_days=t.max_days + 1)),
        ("return one day later", lambda t: dataclasses.replace(t, latest_return=t.latest_return + timedelta(days=1))),
        (f"allow {limits.max_travel_hours_per_day + 2:g} h of travel per day",
         lambda t: _limits(t, max_travel_hours_per_day=t.limits.max_travel_hours_per_day + 2)),
    ]
    values = {}
    for candidate in trip.candidates:
        kept = [p for p in candidate.projects if p.id in visited]
        if kept:
            values[candidate.city.geoname_id] = (sum(p.value for p in kept), candidate.city)
    for value, city in sorted(values.values(), key=lambda v: (v[0], v[1].label))[:2]:
        changes.append((f"drop {city.label} (worth {value:g})",
                        lambda t, c=city: dataclasses.replace(t, candidates=tuple(x for x in t.candidates if x.city.geoname_id != c.geoname_id))))
    changes += [change for _, change in _booking_changes(trip)]
    for description, change in changes:
        result, _, changed_mapping = _probe(change(trip), params)
        if result.is_feasible() and project_id in _visited(result, changed_mapping):
            return description
    return ""
