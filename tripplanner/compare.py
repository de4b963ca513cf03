"""Several itineraries side by side: metrics with the best marked, a day grid, differences in words."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from tripplanner.timeutil import format_minutes
from tripplanner.models.itinerary import AnchorEvent, Itinerary, LegEvent, VisitEvent


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True)


class MetricRow(_Out):
    name: str
    values: list[str]
    best: list[int]
    """Indices of the itineraries holding the best figure (empty when the row has no better/worse)."""


class DayCell(_Out):
    date: str
    where: str
    programme: list[str]
    legs: list[str]
    differs: bool
    """Differs from the first itinerary's same day."""


class Comparison(_Out):
    labels: list[str]
    metrics: list[MetricRow]
    days: list[list[DayCell | None]]
    """One row per trip day, one cell per itinerary (None after an itinerary's last day)."""
    differences: list[str]


def _row(name: str, figures: list, text: list[str], better: str | None) -> MetricRow:
    best: list[int] = []
    if better and len(set(figures)) > 1:
        target = max(figures) if better == "max" else min(figures)
        best = [i for i, f in enumerate(figures) if f == target]
    return MetricRow(name=name, values=text, best=best)


def _metrics(plans: list[Itinerary]) -> list[MetricRow]:
    totals = [p.totals for p in plans]
    themes = sorted({t for p in totals for t in p.value_by_theme})
    rows = [_row("value", [t.value for t in totals], [f"{t.value:g}" for t in totals], "max")]
    for theme in themes:
        figures = [t.value_by_theme.get(theme, 0.0) for t in totals]
        rows.append(_row(f"  {theme}", figures, [f"{f:g}" for f in figures], "max"))
    rows += [
        _row("cities", [len(t.cities) for t in totals], [f"{len(t.cities)}: {', '.join(c.split(',')[0] for c in t.cities)}" for t in totals], "max"),
        _row("sister / friendship", [len(t.sister_cities) + len(t.friendship_cities) for t in totals],
             [f"{len(t.sister_cities)} / {len(t.friendship_cities)}" for t in totals], "max"),
        _row("days", [t.days for t in totals], [str(t.days) for t in totals], "min"),
        _row("nights per city", [0] * len(totals), [", ".join(f"{c.split(',')[0]} {n}" for c, n in t.nights_by_city.items()) for t in totals], None),
        _row("travel", [t.travel_min for t in totals], [format_minutes(t.travel_min) for t in totals], "min"),
        _row("distance km", [t.distance_km for t in totals], [f"{t.distance_km:,.0f}" for t in totals], "min"),
        _row("CO2 kg", [t.co2_kg for t in totals], [f"{t.co2_kg:,.0f}" for t in totals], "min"),
        _row("longest travel day", [t.longest_travel_day_min for t in totals], [format_minutes(t.longest_travel_day_min) for t in totals], "min"),
        _row("legs by mode", [0] * len(totals), [", ".join(f"{m} {n}" for m, n in t.legs_by_mode.items()) for t in totals], None),
    ]
    return rows


def _programme(events: list) -> tuple[list[str], list[str]]:
    programme, legs = [], []
    for event in events:
        if isinstance(event, AnchorEvent):
            programme.append(f"* {event.name}")
        elif isinstance(event, VisitEvent):
            programme.append(f"{event.city.split(',')[0]}: {event.project_id}")
        elif isinstance(event, LegEvent) and event.mode != "in_city":
            legs.append(f"{event.origin.split(',')[0]}>{event.destination.split(',')[0]} {event.mode}")
    return programme, legs


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
            programme, legs = _programme(day.events)
            key = (day.sleep_city, programme, legs)
            if position == 0:
                reference = key
            row.append(DayCell(date=f"{day.date:%a %d %b}", where=day.sleep_city, programme=programme, legs=legs,
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
    first, out = plans[0], []
    for plan, label in zip(plans[1:], labels[1:]):
        only_first = sorted(set(first.totals.cities) - set(plan.totals.cities))
        only_other = sorted(set(plan.totals.cities) - set(first.totals.cities))
        if only_first:
            out.append(f"only in {labels[0]}: {', '.join(only_first)}")
        if only_other:
            out.append(f"only in {label}: {', '.join(only_other)}")
        a, b = _dates(first), _dates(plan)
        for key in sorted(set(a) & set(b)):
            if a[key] != b[key]:
                out.append(f"{key}: {a[key]} in {labels[0]}, {b[key]} in {label}")
        if not only_first and not only_other and [c for d in first.days for c in d.events] != [c for d in plan.days for c in d.events]:
            out.append(f"{label} visits the same cities as {labels[0]} in another order or at other times")
    return out or ["the itineraries are the same"]


def compare_itineraries(plans: list[Itinerary], labels: list[str]) -> Comparison:
    """Compare two or more itineraries; the first is the reference for highlighting."""
    return Comparison(labels=labels, metrics=_metrics(plans), days=_days(plans), differences=_differences(plans, labels))
