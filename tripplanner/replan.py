"""Re-planning after a change: a new plan for a changed request that keeps what it can of an old plan.

Minimal change comes first, as data on the problem (solver/keep.py): the old plan's engagements
that still fit are held to their old days, fitted greedily in the old plan's order; the solver
then finds the plan worth the most that keeps them all, and may add visits around them. Where an
old visit no longer fits, another project in the same city on the same day takes its place when
one fits. Booked nights and the anchors are the request's own: every plan keeps them.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from tripplanner.api import PlanOutcome, Progress, load_trip, plan_trip, read_itinerary
from tripplanner.checks import check_trip
from tripplanner.changes import Changes, ItemChange, ItemKind
from tripplanner.compare import summarize_change
from tripplanner.itinerary import checked_itinerary
from tripplanner.errors import Conflict, RequestError
from tripplanner.models.itinerary import AnchorEvent, Itinerary, VisitEvent
from tripplanner.solver.build import ProblemMap, build_problem
from tripplanner.solver.keep import Fitting, Keep, keep_on_days
from tripplanner.solver.params import SolveParams
from tripplanner.solver.problem import NodeKind, Window
from tripplanner.solver.solve import solve
from tripplanner.timeutil import utc
from tripplanner.trip import Trip

WITHOUT_STAND_INS = "the kept items and their stand-ins left no plan together: kept without the stand-ins"
"""Said when the other projects kept in place of lost ones (same city, same day) made the plan impossible."""
AFRESH = ("the old plan's items that fit one by one left no plan together (with the request's must-visit cities, or "
          "within the time limit): planned afresh")
"""Said when keeping what fits one by one left no plan (a must-visit city with no room left): the plan is new."""
Key = tuple[str, str, str]
"""What an item is, whatever its day: (kind, anchor name or project id, city); a night has its date for a name."""


@dataclass(frozen=True)
class Replan:
    """The new plan (or none, with its conflicts) and, when there is one, what changed from the old plan."""

    outcome: PlanOutcome
    changes: Changes | None = None


@dataclass(frozen=True)
class _Item:
    key: Key
    kind: ItemKind
    name: str
    city: str
    day: date
    at: datetime | None = None
    """When an engagement starts (None for a night)."""


def replan_request(path: Path, old_path: Path, params: SolveParams = SolveParams(), config: Path | None = None,
                   overrides: Sequence[str] = (), progress: Progress | None = None,
                   stop: threading.Event | None = None) -> Replan:
    """Read a request file (with any what-if overrides) and an old plan file, and re-plan (replan_trip)."""
    trip = load_trip(path, config, overrides)
    return replan_trip(trip, read_itinerary(old_path), params, progress, stop, old_name=str(old_path))


def check_belongs(trip: Trip, old: Itinerary) -> None:
    """RequestError unless the old plan is a plan of this request: the same home, and an anchor in common
    (by name and city) unless the old plan has none."""
    if old.home != trip.home.label:
        raise RequestError(f"the old plan's home is {old.home}, the request's is {trip.home.label}: "
                           "it is not a plan of this request")
    olds = {(e.name, e.city) for e in old.events() if isinstance(e, AnchorEvent)}
    if olds and not olds & {(a.name, a.city.label) for a in trip.anchors}:
        listed = "; ".join(f"{name} ({city})" for name, city in sorted(olds))
        raise RequestError(f"no anchor of the old plan is in the request (the old plan has {listed}): "
                           "it is not a plan of this request")


def replan_trip(trip: Trip, old: Itinerary, params: SolveParams = SolveParams(), progress: Progress | None = None,
                stop: threading.Event | None = None, old_name: str = "the old plan") -> Replan:
    """The plan worth the most among those that keep the most of the old plan on its days (greedily, in
    its order), with what changed and why. RequestError when the old plan is not one of this request."""
    check_belongs(trip, old)
    if check_trip(trip):
        return Replan(plan_trip(trip, params, progress=progress, stop=stop))
    problem, mapping = build_problem(trip)
    old_items = _items(old)
    fitting = Fitting(problem)
    why = _keep_old(trip, mapping, fitting, old_items)
    main = list(fitting.kept)
    stand_ins = _keep_cities(mapping, fitting, old_items)
    attempts = [(list(fitting.kept), stand_ins, "")]
    if stand_ins:
        attempts.append((main, {}, WITHOUT_STAND_INS))
    outcome = None
    for keeps, used, said in attempts if fitting.kept else ():
        pinned = keep_on_days(problem, keeps)
        result = solve(pinned, params, progress=progress, stop=stop)
        if result.is_feasible():
            itinerary = checked_itinerary(trip, pinned, mapping, result, params)
            outcome, stand_ins, note = PlanOutcome(trip, itinerary, itinerary.solve.status), used, said
            break
        if result.interrupted:
            return Replan(PlanOutcome(trip, None, "interrupted", [Conflict("interrupted before any plan was found")]))
    if outcome is None:
        outcome, stand_ins, note = plan_trip(trip, params, progress=progress, stop=stop), {}, (
            AFRESH if fitting.kept else "")
        if outcome.itinerary is None:
            return Replan(outcome)
    reasons = {_node_key(mapping, node): reason for node, reason in stand_ins.items()}
    changes = _changes(trip, old_items, _items(outcome.itinerary), why, reasons)
    return Replan(outcome, Changes(old_plan=old_name, changes=changes, note=note,
                                   figures=summarize_change(old, outcome.itinerary)))


def _items(itinerary: Itinerary) -> list[_Item]:
    """The anchors, visits and booked nights of a plan, each once, in the order of the plan."""
    out: dict[Key, _Item] = {}
    for day in itinerary.days:
        for event in day.events:
            if isinstance(event, AnchorEvent):
                item = _Item(("anchor", event.name, event.city), "anchor", event.name, event.city, event.start.date(),
                             event.start)
            elif isinstance(event, VisitEvent):
                item = _Item(("visit", event.project_id, event.city), "visit", event.project_id, event.city,
                             event.start.date(), event.start)
            else:
                continue
            out.setdefault(item.key, item)
        if day.night_booked:
            key = ("night", str(day.date), day.sleep_city)
            out.setdefault(key, _Item(key, "night", f"night in {day.sleep_city}", day.sleep_city, day.date))
    return list(out.values())


def _keep_old(trip: Trip, mapping: ProblemMap, fitting: Fitting, old_items: list[_Item]) -> dict[Key, str]:
    """Keep each old engagement that still fits on its day, in the old plan's order of time (a hand-edited
    plan may list them otherwise); why each other one does not."""
    nodes = {_node_key(mapping, i): i for i, ref in enumerate(mapping.refs) if ref.anchor or ref.project}
    why: dict[Key, str] = {}
    for item in sorted((i for i in old_items if i.at is not None), key=lambda i: utc(i.at)):
        index = nodes.get(item.key)
        if index is None:
            why[item.key] = _gone(trip, item)
            continue
        if item.kind == "anchor":
            if not mapping.refs[index].anchor.mandatory:
                fitting.try_keep(Keep(index))  # an optional invitation the old plan took: taken again if it fits
            continue
        reason = fitting.try_keep(Keep(index, (item.day - mapping.base_date).days))
        if reason is not None:
            closed = _closed(mapping, fitting.problem.nodes[index].windows, index, item.day)
            why[item.key] = closed or _newly_taken(trip, old_items, item) or (
                f"it no longer fits on {item.day:%a %d %b}: {reason}")
    return why


def _newly_taken(trip: Trip, old_items: list[_Item], item: _Item) -> str:
    """The request's anchors on the item's day and its booked nights elsewhere that night, those the old plan
    did not have that day, in words ('' when there are none)."""
    had = {(other.key, other.day) for other in old_items}
    names = [f"{a.name} in {a.city.label}" for a in trip.anchors if a.start.date() == item.day
             and (("anchor", a.name, a.city.label), item.day) not in had]
    names += [f"a booked night in {n.city.label}" for n in trip.booked_nights if n.date == item.day
              and n.city.label != item.city and (("night", str(n.date), n.city.label), n.date) not in had]
    return f"{item.day:%a %d %b} now holds {' and '.join(names)}" if names else ""


def _node_key(mapping: ProblemMap, index: int) -> Key:
    ref = mapping.refs[index]
    if ref.anchor is not None:
        return ("anchor", ref.anchor.name, ref.anchor.city.label)
    return ("visit", ref.project.id, ref.candidate.city.label)


def _gone(trip: Trip, item: _Item) -> str:
    """Why an old engagement has no counterpart in the request."""
    if item.kind == "anchor":
        return "the invitation is no longer in the request"
    if any(city.label == item.city for city in trip.avoid):
        return f"{item.city} is in pins.avoid now"
    if not any(candidate.city.label == item.city for candidate in trip.candidates):
        return f"{item.city} is no longer a candidate city"
    return f"the project is no longer a candidate in {item.city}"


def _closed(mapping: ProblemMap, windows: tuple[Window, ...], index: int, day: date) -> str:
    """Why a visit has no time window on a day ('' when it has one)."""
    if any(w.day == (day - mapping.base_date).days for w in windows):
        return ""
    candidate = mapping.refs[index].candidate
    if not candidate.calendar.is_open_on(day):
        return f"{candidate.city.label} is not open to visits on {day:%a %d %b} (its weekdays, dates and blackouts)"
    return f"{day:%a %d %b} is outside the trip's window or leaves no office hours for it"


def _keep_cities(mapping: ProblemMap, fitting: Fitting, old_items: list[_Item]) -> dict[int, str]:
    """For each city and day of the old plan left with no kept visit, another project there that day when one
    fits (the best first): node -> the old projects it stands in for."""
    problem = fitting.problem
    kept = {k.node for k in fitting.kept}
    kept_days = {(mapping.refs[k.node].candidate.city.label, mapping.base_date + timedelta(days=k.day))
                 for k in fitting.kept if mapping.refs[k.node].candidate is not None}
    lost: dict[tuple[str, date], list[str]] = {}
    for item in old_items:
        if item.kind == "visit" and (item.city, item.day) not in kept_days:
            lost.setdefault((item.city, item.day), []).append(item.name)
    stand_ins: dict[int, str] = {}
    for (city, day), names in lost.items():
        number = (day - mapping.base_date).days
        options = [i for i, ref in enumerate(mapping.refs)
                   if ref.candidate is not None and ref.candidate.city.label == city and i not in kept and problem.nodes[i].kind is NodeKind.VISIT
                   and any(w.day == number for w in problem.nodes[i].windows)]
        for index in sorted(options, key=lambda i: (-problem.nodes[i].score, i)):
            if fitting.try_keep(Keep(index, number)) is None:
                stand_ins[index] = f"keeps {city} on {day:%a %d %b}, in place of {', '.join(names)}"
                kept.add(index)
                break
    return stand_ins


def _changes(trip: Trip, old_items: list[_Item], new_items: list[_Item], why: dict[Key, str],
             stand_ins: dict[Key, str]) -> list[ItemChange]:
    """Each item of the old plan kept, moved or dropped, then each new one added, with the reason where known."""
    new = {item.key: item for item in new_items}
    old_keys = {item.key for item in old_items}
    out = []
    for item in old_items:
        after = new.get(item.key)
        if after is None:
            status, reason = "dropped", why.get(item.key) or _dropped(item)
        elif after.day == item.day:
            status, reason = "kept", _kept(item, after)
        elif item.kind == "anchor":
            status, reason = "moved", f"the request moves it from {item.day:%a %d %b} to {after.day:%a %d %b}"
        else:
            status, reason = "moved", why.get(item.key, "")
        out.append(ItemChange(status=status, kind=item.kind, name=item.name, city=item.city, before=item.day,
                              after=after.day if after else None, reason=reason))
    for item in new_items:
        if item.key not in old_keys:
            out.append(ItemChange(status="added", kind=item.kind, name=item.name, city=item.city, before=None,
                                  after=item.day, reason=stand_ins.get(item.key) or _added(trip, item)))
    return sorted(out, key=lambda change: change.before or change.after)


def _kept(item: _Item, after: _Item) -> str:
    if item.kind == "night":
        return "booked in the request"
    if item.kind == "anchor" and item.at is not None and after.at is not None and utc(item.at) != utc(after.at):
        return f"the request moves it to {after.at:%H:%M} the same day"
    return ""


def _dropped(item: _Item) -> str:
    if item.kind == "night":
        return "no longer booked in the request"
    if item.kind == "anchor":
        return "an optional invitation the new plan has no room for"
    return "the new plan leaves it out"


def _added(trip: Trip, item: _Item) -> str:
    if item.kind == "night":
        return "booked in the request"
    if item.kind == "anchor":
        return "an invitation of the request that the old plan does not have"
    if any(city.label == item.city for city in trip.must_visit):
        return f"{item.city} is a must-visit city of the request"
    return "chosen by the solver for the new plan"
