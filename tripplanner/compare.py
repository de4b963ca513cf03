"""Several itineraries side by side: metrics with the best marked, a day grid, differences in words."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict

from tripplanner.models.itinerary import AnchorEvent, Itinerary, LegEvent, VisitEvent
from tripplanner.timeutil import utc


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True)


Figure = float | int | list[str] | dict[str, int]
"""A metric of one itinerary: a number, the cities it names, or a count per city or mode."""


class MetricRow(_Out):
    name: str
    """The Totals field the figures come from (travel_min, co2_kg, ...); a theme's name under part_of 'value'."""
    part_of: str | None = None
    values: list[Figure]
    """One figure per itinerary; lists are compared by their length."""
    best: list[int]
    """Indices of the itineraries holding the best figure (empty when the row has no better/worse)."""


class DayCell(_Out):
    date: str
    where: str
    events: list[str]
    """Anchors ('* name'), visits ('City: project') and legs ('From>To mode'), in the order of the day."""
    differs: bool
    """Differs from the first itinerary's same day."""


class Comparison(_Out):
    labels: list[str]
    metrics: list[MetricRow]
    days: list[list[DayCell | None]]
    """One row per trip day, one cell per itinerary (None after an itinerary's last day)."""
    differences: list[str]


def _row(name: str, figures: list[Figure], better: str | None, part_of: str | None = None) -> MetricRow:
    sizes = [len(f) if isinstance(f, (list, dict)) else f for f in figures]
    best: list[int] = []
    if better and len(set(sizes)) > 1:
        target = max(sizes) if better == "max" else min(sizes)
        best = [i for i, size in enumerate(sizes) if size == target]
    return MetricRow(name=name, part_of=part_of, values=figures, best=best)


def _metrics(plans: list[Itinerary]) -> list[MetricRow]:
    totals = [p.totals for p in plans]
    themes = sorted({t for p in totals for t in p.value_by_theme})
    rows = [_row("worth", [t.worth for t in totals], "max"), _row("value", [t.value for t in totals], "max")]
    rows += [_row(theme, [t.value_by_theme.get(theme, 0.0) for t in totals], "max", part_of="value") for theme in themes]
    rows += [
        _row("cities", [list(t.cities) for t in totals], "max"),
        _row("sister_cities", [list(t.sister_cities) for t in totals], "max"),
        _row("friendship_cities", [list(t.friendship_cities) for t in totals], "max"),
        _row("days", [t.days for t in totals], "min"),
        _row("nights_by_city", [dict(t.nights_by_city) for t in totals], None),
        _row("travel_min", [t.travel_min for t in totals], "min"),
        _row("distance_km", [t.distance_km for t in totals], "min"),
        _row("co2_kg", [t.co2_kg for t in totals], "min"),
        _row("longest_travel_day_min", [t.longest_travel_day_min for t in totals], "min"),
        _row("travel_min_per_day", [t.travel_min_per_day for t in totals], "min"),
        _row("hotel_changes", [t.hotel_changes for t in totals], "min"),
        _row("nights_in_transit", [t.nights_in_transit for t in totals], "min"),
        _row("early_starts", [t.early_starts for t in totals], "min"),
        _row("legs_by_mode", [dict(t.legs_by_mode) for t in totals], None),
    ]
    return rows


def _started(event) -> datetime:
    return event.depart if isinstance(event, LegEvent) else event.start


def _day_events(events: list) -> list[str]:
    """The day's anchors, visits and legs (transfers in town left out) in the order they start."""
    out = []
    for event in sorted(events, key=lambda e: utc(_started(e))):
        if isinstance(event, AnchorEvent):
            out.append(f"* {event.name}")
        elif isinstance(event, VisitEvent):
            out.append(f"{event.city.split(',')[0]}: {event.project_id}")
        elif isinstance(event, LegEvent) and event.mode != "in_city":
            out.append(f"{event.origin.split(',')[0]}>{event.destination.split(',')[0]} {event.mode}")
    return out


def _days(plans: list[Itinerary]) -> list[list[DayCell | None]]:
    longest = max(len(p.days) for p in plans)
    grid = []
    for index in range(longest):
        row: list[DayCell | None] = []
        reference = None
        for position, plan in enumerate(plans):
            if index >= len(plan.days):
                row.append(None)
                continue
            day = plan.days[index]
            events = _day_events(day.events)
            key = (day.sleep_city, events)
            if position == 0:
                reference = key
            row.append(DayCell(date=f"{day.date:%a %d %b}", where=day.sleep_city, events=events,
                               differs=position > 0 and key != reference))
        grid.append(row)
    return grid


def _dates(plan: Itinerary) -> dict[str, str]:
    dated = {}
    for day in plan.days:
        for event in day.events:
            if isinstance(event, AnchorEvent):
                dated[event.name] = f"{day.date:%a %d %b}"
            elif isinstance(event, VisitEvent):
                dated[event.project_id] = f"{day.date:%a %d %b}"
    return dated


def _differences(plans: list[Itinerary], labels: list[str]) -> list[str]:
    """Each difference said once: cities not in every plan (grouped by the plans that have them), engagements
    on different dates, and plans that visit the same cities as the first in another way (or the same one)."""
    out = []
    having: dict[tuple[str, ...], list[str]] = {}
    for city in sorted({c for plan in plans for c in plan.totals.cities}):
        holders = tuple(label for plan, label in zip(plans, labels) if city in plan.totals.cities)
        if len(holders) < len(plans):
            having.setdefault(holders, []).append(city)
    for holders, cities in sorted(having.items(), key=lambda item: [labels.index(h) for h in item[0]]):
        out.append(f"only in {', '.join(holders)}: {', '.join(cities)}")
    dates = [_dates(plan) for plan in plans]
    for key in sorted({k for dated in dates for k in dated}):
        held = [(dated[key], label) for dated, label in zip(dates, labels) if key in dated]
        if len({date for date, _ in held}) > 1:
            out.append(f"{key}: " + ", ".join(f"{date} in {label}" for date, label in held))
    first = plans[0]
    for plan, label in zip(plans[1:], labels[1:]):
        if set(plan.totals.cities) != set(first.totals.cities):
            continue
        if first.events() == plan.events():
            out.append(f"{label} is the same as {labels[0]}")
        else:
            out.append(f"{label} visits the same cities as {labels[0]} in another order or at other times")
    return out or ["the itineraries are the same"]


def compare_itineraries(plans: list[Itinerary], labels: list[str]) -> Comparison:
    """Compare two or more itineraries; the first is the reference for highlighting."""
    return Comparison(labels=labels, metrics=_metrics(plans), days=_days(plans), differences=_differences(plans, labels))


class Change(_Out):
    """What a what-if changed against its baseline: each figure after less before, and the cities gained and lost."""

    value: float
    worth: float
    travel_min: int
    days: int
    added: list[str]
    """Cities the what-if visits and the baseline does not, in the what-if's order."""
    dropped: list[str]
    """Cities the baseline visits and the what-if does not, in the baseline's order."""


def summarize_change(before: Itinerary, after: Itinerary) -> Change:
    """The change from one itinerary to another (a baseline and its what-if)."""
    old, new = before.totals, after.totals
    return Change(value=round(new.value - old.value, 2), worth=round(new.worth - old.worth, 2),
                  travel_min=new.travel_min - old.travel_min, days=new.days - old.days,
                  added=[c for c in new.cities if c not in old.cities],
                  dropped=[c for c in old.cities if c not in new.cities])
