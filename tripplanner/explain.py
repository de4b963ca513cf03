"""Why a request has no plan, why candidates were left out, and the smallest change that helps.

Every answer here comes from re-solving a changed request, never from a guess. The explanations of a
plan share what its solve left of the time limit (ExplainBudget); what they could not examine, they
say they did not.
"""

from __future__ import annotations

import dataclasses
import math
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass

from tripplanner.checks import check_trip
from tripplanner.errors import Conflict
from tripplanner.models.itinerary import LeftOut, Suggestion
from tripplanner.solver.build import ProblemMap, build_problem
from tripplanner.solver.objective import worth_points
from tripplanner.solver.params import SolveParams
from tripplanner.solver.problem import Problem
from tripplanner.solver.route import Route, SolveResult, Status, make_route
from tripplanner.solver.solve import solve
from tripplanner.suggest import RequestChange, changed_trip, pin_changes, request_changes
from tripplanner.timeutil import format_minutes, later
from tripplanner.trip import Trip, TripProject

PROBE_SECONDS = 2.0
"""Time for each re-solve of a changed request when a request has no plan (diagnose): enough for the
heuristic, a short CP-SAT run after it."""
EXPLAIN_GRACE_S = 1.0
"""Seconds past what the plan's solve left of --time-limit that the explanations may take: with start-up
and printing, `plan --explain` ends within the time limit plus 2 s (issue 15)."""
EXPLAIN_SOLVE_SHARE = 0.6
"""With --explain the plan's own solves get this share of --time-limit, the explanations the rest: on a
trip whose search runs to its limit the whole command still ends within the limit plus 2 s. Trips the
search settles early (the bundled examples) get the same plan as without --explain."""
OUTPUT_RESERVE_S = 1.3
"""Kept back from a command's deadline for building, checking and printing the itinerary (about 0.9 s for
a 50-candidate trip with its left-out table) and for the interpreter's start-up before the command
begins (about 0.3 s)."""
POLL_S = 0.02
"""How often a probe's stop event looks at the clock and the user's stop request."""
MIN_PROBE_SECONDS = 0.3
"""The shortest solve worth starting, and the least time left for one to start: CP-SAT's model of a
30-candidate trip takes 0.2 s to build, so a probe given less overruns it (measured: 0.24 s for a
0.1 s probe)."""
FORCED_SHARE = 0.5
"""The share of the explanations' time for the verdicts (a solve per project with it forced in); the
rest goes to the changes that may let projects in, each planned once for every project at the same time."""
CHANGE_SHARE = 3.0
"""A changed request's solve may take this many times what the plan's own took before it is cut (and
gives no suggestion): a changed request is about as hard as the request itself."""

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
    longest = max(((trip.catalogs.travel.leg(trip.home, a.city).duration_min, a.city.label)
                   for a in trip.anchors if a.mandatory), default=None)
    if longest is not None and longest[0] > 24 * 60:  # no way round it through the trip's places: the leg itself
        hours = math.ceil(longest[0] / 60)
        changes.append(("single leg", f"lift the single-leg limit to {hours} h (--set limits.max_leg_hours={hours}: "
                        f"{trip.home.label} - {longest[1]} takes {format_minutes(longest[0])} door to door)",
                        lambda t: _limits(t, max_leg_hours=float(hours))))
    changes.append(("buffer", "drop the buffers around arrivals and anchors",
                    lambda t: _limits(t, anchor_buffer_hours=0.0, arrival_buffer_min=0, departure_buffer_min=0)))
    if limits.city_limit is not None:
        changes.append(("cities", "lift the cap on cities (limits.max_cities)", lambda t: _limits(t, max_cities=60, pace="normal")))
    if limits.hotel_change_limit is not None:
        changes.append(("hotels", "lift the cap on hotel changes (limits.max_hotel_changes)",
                        lambda t: _limits(t, max_hotel_changes=60)))
    if not limits.split_stays:
        changes.append(("stays", "allow a city on two stays (limits.split_stays)", lambda t: _limits(t, split_stays=True)))
    if not limits.overnight_legs:
        changes.append(("overnight", "allow short legs through the night (limits.overnight_legs)",
                        lambda t: _limits(t, overnight_legs=True)))
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


def _quick(params: SolveParams) -> SolveParams:
    """Probe settings: short (never longer than the user's own limit), few local-search rounds."""
    return dataclasses.replace(params, time_limit_s=min(PROBE_SECONDS, params.time_limit_s),
                               heuristic_iterations=min(params.heuristic_iterations, 60))


def diagnose(trip: Trip, params: SolveParams, stop: threading.Event | None = None) -> list[Conflict]:
    """Which single relaxations make the request feasible; the first of each family is the smallest.
    The probes share the user's time limit (plus EXPLAIN_GRACE_S) and end on a stop request."""
    conflicts: list[Conflict] = []
    helped_families: set[str] = set()
    budget = ExplainBudget(params.time_limit_s + EXPLAIN_GRACE_S, stop)
    relaxations = _relaxations(trip)
    for tried, (family, description, change) in enumerate(relaxations):
        if family in helped_families:
            continue
        if budget.over():
            why = "interrupted" if budget.stopped() else "out of time"
            conflicts.append(Conflict(f"{why} after trying {tried} of {len(relaxations)} relaxations; "
                                      "a longer --time-limit tries the rest"))
            return conflicts
        modified = change(trip)
        problem, _ = build_problem(modified)
        with budget.cut(_quick(params).time_limit_s) as cut:
            result = solve(problem, _quick(params), stop=cut)
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


class ExplainBudget:
    """What the explanations may spend: until a deadline (what the plan's own solve left of the time
    limit, plus EXPLAIN_GRACE_S), and no longer than a stop request (Ctrl-C). Each probe's solve
    watches a stop event of its own (cut), set at its share of the time, the deadline or the request."""

    def __init__(self, seconds: float, stop: threading.Event | None = None):
        self.deadline = time.monotonic() + max(0.0, seconds)
        self.stop = stop

    @contextmanager
    def cut(self, seconds: float):
        """A stop event for one probe's solve, set after seconds, at the deadline or on a stop request
        (looked for every POLL_S); the solve then returns within the solver's own reaction time."""
        event, until = threading.Event(), min(self.deadline, time.monotonic() + seconds)

        def watch() -> None:
            while not event.wait(POLL_S):
                if self.stopped() or time.monotonic() >= until:
                    event.set()

        threading.Thread(target=watch, name="explain-cut", daemon=True).start()
        try:
            yield event
        finally:
            event.set()

    def left(self) -> float:
        return max(0.0, self.deadline - time.monotonic())

    def stopped(self) -> bool:
        return self.stop is not None and self.stop.is_set()

    def over(self) -> bool:
        return self.stopped() or self.left() < MIN_PROBE_SECONDS


def explanation_budget(params: SolveParams, solving_s: float, stop: threading.Event | None = None) -> ExplainBudget:
    """The time the plan's solves (solving_s so far, against their time limit) left, plus EXPLAIN_GRACE_S."""
    return ExplainBudget(max(0.0, params.time_limit_s - solving_s) + EXPLAIN_GRACE_S, stop)


@dataclass
class _Verdict:
    index: int
    project: TripProject
    city: str
    reason: str = "not_in_best_plan"
    detail: str = ""
    examined: bool = False
    change: str = ""
    suggestion: Suggestion | None = None
    route: Route | None = None
    """The best plan with the project found so far."""


def explain_left_out(trip: Trip, problem: Problem, mapping: ProblemMap, result: SolveResult, params: SolveParams,
                     budget: ExplainBudget | None = None, phase: Callable[[str], None] | None = None) -> list[LeftOut]:
    """Why each candidate project the plan leaves out is out, and the smallest change that lets it in.

    'closed' and 'unreachable' only when proven: no open day, or no plan with the project forced in
    exists (the exhaustive search or CP-SAT proves it). Otherwise a plan with it, if one is found, says
    what taking it costs. Each suggested change was planned (the plan's settings, the request changed
    as `--set` changes it) and brings the project in. Within the budget: the projects the plan's own
    route cannot take in are examined first, then the most valuable; those the budget does not reach say
    so. phase('explaining 3/7') tells a status line.
    """
    budget = budget or ExplainBudget(params.time_limit_s + EXPLAIN_GRACE_S)
    visited = _visited(result, mapping)
    verdicts = [_Verdict(index, ref.project, ref.candidate.city.label) for index, ref in enumerate(mapping.refs)
                if ref.project is not None and ref.project.id not in visited]
    probed = []
    for verdict in verdicts:
        if not problem.nodes[verdict.index].windows:
            verdict.reason, verdict.examined = "closed", True
            verdict.detail = "closed on every day of the window (weekdays, dates and blackouts)"
        else:
            probed.append(verdict)
    for verdict in probed:
        inserted = _by_insertion(problem, result.route, verdict.index, params)
        if inserted is not None:
            _weigh(verdict, inserted, result, mapping)
    probed.sort(key=lambda v: (v.examined, -v.project.value, v.project.id))  # the unknown ones first
    # A change is confirmed by planning the changed request as `plan --set` would, to its end: worth
    # trying when the plan's own solve took less than the time there is.
    confirmable = bool(verdicts) and result.seconds < budget.left() * (1 - FORCED_SHARE)
    forced_until = time.monotonic() + budget.left() * (FORCED_SHARE if confirmable else 1.0)
    for done, verdict in enumerate(probed):
        if budget.over():
            break
        if phase:
            phase(f"explaining {done + 1}/{len(probed)}")
        share = min(budget.left(), max(MIN_PROBE_SECONDS, (forced_until - time.monotonic()) / (len(probed) - done)))
        with budget.cut(share) as cut:
            _judge(verdict, problem, result, mapping, params, share, cut)
    if confirmable:
        changes = _changes(trip, problem, result, mapping, probed)
        _suggest(trip, result, mapping, params, verdicts, changes, budget, phase)
    unexamined = sum(not v.examined for v in verdicts)
    why = "interrupted" if budget.stopped() else "the time limit ran out first"
    out = []
    for verdict in verdicts:
        if not verdict.examined:
            verdict.detail = (f"worth {verdict.project.value:g}; not examined: {why} "
                              f"({len(verdicts) - unexamined} of {len(verdicts)} left-out projects examined)")
        out.append(LeftOut(project_id=verdict.project.id, city=verdict.city, reason=verdict.reason,
                           detail=verdict.detail, value=verdict.project.value, smallest_change=verdict.change,
                           suggestion=verdict.suggestion, examined=verdict.examined))
    return out


def _by_insertion(problem: Problem, route: Route, index: int, params: SolveParams) -> Route | None:
    """The best route the plan's own gives with the project in: inserted at each place, or in place of
    each stop that is not mandatory. A plan with it in milliseconds, from the search's own work."""
    nodes = route.nodes
    tries = [(*nodes[:p], index, *nodes[p:]) for p in range(1, len(nodes))]
    tries += [(*nodes[:p], index, *nodes[p + 1:]) for p in range(1, len(nodes) - 1)
              if not problem.nodes[nodes[p]].mandatory]
    required = set(problem.required_groups)
    tries = [t for t in tries if required <= {problem.nodes[i].group for i in t}]  # pinned cities kept
    routes = [found for nodes in tries if (found := make_route(problem, nodes, params.objective)) is not None]
    return max(routes, key=lambda r: r.key, default=None)


def _judge(verdict: _Verdict, problem: Problem, result: SolveResult, mapping: ProblemMap, params: SolveParams,
           seconds: float, cut: threading.Event) -> None:
    """The verdict on one project from a solve with it forced in (clock nets as a user's, cut short by cut):
    proven impossible, a plan with it and what that costs, or nothing more known."""
    forced = dataclasses.replace(problem, nodes=tuple(
        dataclasses.replace(n, mandatory=True) if i == verdict.index else n for i, n in enumerate(problem.nodes)))
    with_it = solve(forced, dataclasses.replace(params, time_limit_s=seconds, clock_slack=1.0), stop=cut)
    if with_it.status is Status.INFEASIBLE:  # a proof: the exhaustive search ran to its end, or CP-SAT's
        verdict.reason, verdict.examined = "unreachable", True
        verdict.detail = (f"worth {verdict.project.value:g}, but no plan with it exists (proven): it cannot be fitted "
                          "around the anchors within the window, office hours and travel limits")
    elif with_it.is_feasible():
        _weigh(verdict, with_it.route, result, mapping)
    elif not verdict.examined and not with_it.interrupted:
        verdict.examined = True
        verdict.detail = (f"worth {verdict.project.value:g}; no plan with it was found in {seconds:.1f} s, nor "
                          "proven impossible (try a longer --time-limit)")


def _weigh(verdict: _Verdict, with_it: Route, result: SolveResult, mapping: ProblemMap) -> None:
    """The verdict from a plan with the project: what taking it costs, unless an earlier verdict had a
    better plan with it. A plan with it better than the plan itself means the search stopped short."""
    if verdict.examined and verdict.route is not None and verdict.route.key >= with_it.key:
        return
    verdict.examined, verdict.route = True, with_it
    value, lost = verdict.project.value, worth_points(result.route.worth - with_it.worth)
    if lost < 0:
        verdict.reason = "not_in_best_plan"
        verdict.detail = (f"worth {value:g}; a plan with it is worth {-lost:g} more: the search stopped before "
                          f"finding it (try a longer --time-limit)")
    else:
        verdict.reason = "lost"
        dropped = sorted(_cities(result.route, mapping) - _cities(with_it, mapping))
        verdict.detail = cost_of_taking(value, lost, dropped, with_it.travel - result.route.travel)


def _changes(trip: Trip, problem: Problem, result: SolveResult, mapping: ProblemMap,
             verdicts: list[_Verdict]) -> list[tuple[RequestChange, set[str]]]:
    """The changes to try, each with the projects it is tried for. A limit (days, travel, a city given
    up...) for the projects no plan was found with; pinning a city for its own projects, which a plan
    with them exists for or nothing is known of: only their cost keeps them out."""
    unplaced = {v.project.id for v in verdicts if v.reason != "lost"}
    limits = request_changes(trip, _city_values(result, mapping), _city_count(result, problem)) if unplaced else []
    pinnable: dict[str, set[str]] = {}
    for verdict in verdicts:
        if verdict.reason not in ("unreachable", "closed"):
            pinnable.setdefault(verdict.city, set()).add(verdict.project.id)
    pins = pin_changes(trip, list(pinnable))
    return [(change, unplaced) for change in limits] + [(change, pinnable[change.value[-1]]) for change in pins]


def _suggest(trip: Trip, result: SolveResult, mapping: ProblemMap, params: SolveParams, verdicts: list[_Verdict],
             changes: list[tuple[RequestChange, set[str]]], budget: ExplainBudget,
             phase: Callable[[str], None] | None) -> None:
    """For each project, the first change (smallest first) whose plan takes it in. A change is confirmed
    by planning the changed request as `plan --set` would (the plan's own settings) to the end, by a
    proof or its counted budget, not the clock: a re-run gives that plan. A change is tried only while
    a project it is for still lacks one; each gets a fair share of the time, and at least CHANGE_SHARE
    times what the plan's own solve took."""
    for number, (change, targets) in enumerate(changes, start=1):
        waiting = [v for v in verdicts if v.suggestion is None]
        if not {v.project.id for v in waiting} & targets:
            continue
        if budget.over():
            return
        if phase:
            phase(f"explaining: trying {change.field} ({number}/{len(changes)})")
        changed = changed_trip(trip, change)
        if changed is None or check_trip(changed):
            continue
        changed_problem, changed_mapping = build_problem(changed)
        if budget.over():
            return
        with budget.cut(max(budget.left() / (len(changes) - number + 1), CHANGE_SHARE * result.seconds)) as cut:
            planned = solve(changed_problem, params, stop=cut)
        confirmed = planned.status is Status.OPTIMAL or not (planned.interrupted or planned.wall_clock_stop)
        if not confirmed or not planned.is_feasible():
            continue
        taken = _visited(planned, changed_mapping)
        worth_change = worth_points(planned.route.worth - result.route.worth)
        drops = sorted(_cities(result.route, mapping) - _cities(planned.route, changed_mapping))
        for verdict in waiting:
            if verdict.project.id in taken:
                verdict.suggestion = Suggestion(field=change.field, value=change.value, worth_change=worth_change,
                                                drops=drops)
                verdict.change = f"{change.words}: {change.option}; the plan then {_consequence(worth_change, drops)}"


def _consequence(worth_change: float, drops: list[str]) -> str:
    """'drops Bonn, DE and is worth 0.4 less': what a changed plan gives up (or gains)."""
    cities = f"drops {', '.join(drops)} and " if drops else "keeps every city and "
    if worth_change < 0:
        return f"{cities}is worth {-worth_change:g} less"
    if worth_change > 0:
        return f"{cities}is worth {worth_change:g} more"
    return f"{cities}is worth as much"


def _city_values(result: SolveResult, mapping: ProblemMap) -> dict[str, float]:
    """Per city visited for its projects, the value of the projects it brings."""
    values: dict[str, float] = {}
    for stop in result.route.stops:
        ref = mapping.refs[stop.node]
        if ref.project is not None:
            values[ref.candidate.city.label] = values.get(ref.candidate.city.label, 0.0) + ref.project.value
    return values


def _city_count(result: SolveResult, problem: Problem) -> int:
    """Distinct places the plan stops at, home not counted (as limits.max_cities counts them)."""
    return len({problem.nodes[s.node].location for s in result.route.stops} - {problem.nodes[Problem.START].location})


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


def _cities(route: Route, mapping: ProblemMap) -> set[str]:
    return {mapping.refs[s.node].candidate.city.label for s in route.stops if mapping.refs[s.node].candidate}


