"""The day-by-day itinerary as rich renderables (terminal)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from rich import box
from rich.console import Group
from rich.table import Table
from rich.text import Text

from tripplanner.timeutil import format_minutes, zone_name
from tripplanner.models.itinerary import EARLY_START_HOUR, AnchorEvent, Itinerary, LegEvent, VisitEvent
from tripplanner.render.legs import route_summary


def _short(city: str) -> str:
    return city.split(",")[0]


def describe_event(event) -> str:
    """One line for an event, in local times with zone abbreviations."""
    if isinstance(event, LegEvent):
        depart = event.depart.astimezone(ZoneInfo(event.origin_timezone))
        arrive = event.arrive.astimezone(ZoneInfo(event.destination_timezone))
        if event.mode == "in_city":
            return f"{depart:%H:%M} transfer in {_short(event.origin)} ({format_minutes(event.duration_min)})"
        shift = (arrive.date() - depart.date()).days
        day = f" {shift:+d}d" if shift else ""
        route = route_summary(event)
        return (f"{depart:%H:%M} {zone_name(depart)} {event.mode} {_short(event.origin)} -> {_short(event.destination)} "
                f"{arrive:%H:%M} {zone_name(arrive)}{day} ({format_minutes(event.duration_min)}{': ' + route if route else ''})")
    start = event.start.astimezone(ZoneInfo(event.timezone))
    end = event.end.astimezone(ZoneInfo(event.timezone))
    span = (f"{start:%H:%M}-{end:%H:%M} {zone_name(end)}" if start.date() == end.date()
            else f"{start:%d %b %H:%M}-{end:%d %b %H:%M} {zone_name(end)}")
    if isinstance(event, AnchorEvent):
        return f"{span} ANCHOR {event.name} ({event.role}), {event.venue or _short(event.city)}"
    note = " [illustrative]" if event.illustrative else ""
    return f"{span} {event.title} ({event.counterpart or 'counterpart tbc'}){note}"


def render_itinerary(itinerary: Itinerary) -> Group:
    title = f"{itinerary.name}: {itinerary.totals.days} days, value {itinerary.totals.value:g}"
    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAVY, expand=False)
    table.add_column("day", justify="right", no_wrap=True)
    table.add_column("date", no_wrap=True)
    table.add_column("programme (local times)", ratio=1)
    table.add_column("night", max_width=14)
    for day in itinerary.days:
        styled = Text()
        for event in day.events:
            style = "bold" if isinstance(event, AnchorEvent) else "green" if isinstance(event, VisitEvent) else "dim"
            styled.append(describe_event(event) + "\n", style=style)
        if not day.events:
            styled.append(f"free day in {_short(day.wake_city)}", style="italic")
        styled.rstrip()
        night = _short(day.sleep_city) + (" (booked)" if day.night_booked else "")
        table.add_row(str(day.number), f"{day.date:%a %d %b}", styled, night)
    return Group(table, render_totals(itinerary))


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else many or one + 's'}"


def render_totals(itinerary: Itinerary) -> Table:
    t, s = itinerary.totals, itinerary.solve
    table = Table(box=box.SIMPLE, show_header=False, title="Totals", title_justify="left")
    table.add_column("what", style="bold")
    table.add_column("figure")
    table.add_row("value", f"{t.value:g}  (" + ", ".join(f"{k} {v:g}" for k, v in t.value_by_theme.items()) + ")")
    if t.travel_cost:
        table.add_row("worth", f"{t.worth:g}  (value less {t.travel_cost:g} for {format_minutes(t.travel_min)} of travel)")
    table.add_row("cities", ", ".join(t.cities))
    if t.sister_cities or t.friendship_cities:
        table.add_row("relations", ", ".join([f"{c} (sister)" for c in t.sister_cities] + [f"{c} (friendship)" for c in t.friendship_cities]))
    table.add_row("travel", f"{format_minutes(t.travel_min)} over {sum(t.legs_by_mode.values())} legs "
                  f"({', '.join(f'{m} {n}' for m, n in t.legs_by_mode.items())}); longest day {format_minutes(t.longest_travel_day_min)}")
    table.add_row("pace", f"{_count(len(t.cities), 'city', 'cities')}, {_count(t.hotel_changes, 'hotel change')}, "
                  f"{_count(t.nights_in_transit, 'night')} in transit, "
                  f"{_count(t.early_starts, 'early start')} (before {EARLY_START_HOUR:02d}:00), "
                  f"{format_minutes(t.travel_min_per_day)} of travel a day on average")
    table.add_row("distance / CO2", f"{t.distance_km:,.0f} km / {t.co2_kg:,.0f} kg per person")
    table.add_row("days away", f"{t.days}; nights: " + ", ".join(f"{c} {n}" for c, n in t.nights_by_city.items()))
    bound = f", worth bound {s.best_bound_value:g}, gap {s.gap_pct:g}%" if s.best_bound_value is not None and s.gap_pct is not None else ""
    proof = " (worth proven best; travel tie-break not proven)" if s.value_proven and s.status != "optimal" else ""
    clock = "; stopped by the wall clock, a re-run may differ" if s.stopped_by == "clock" else ""
    workers = "1 worker, one search at a time" if s.workers == 1 else f"{s.workers} workers side by side"
    table.add_row("solver", f"{s.status}{proof}{bound}; {s.seconds:g} s (limit {s.time_limit_s:g} s, {workers}, "
                  f"seed {s.seed}); found by {s.found_by}{clock}")
    return table


def render_left_out(itinerary: Itinerary) -> Table:
    table = Table(title="Left out", title_justify="left", box=box.SIMPLE)
    for column in ("project", "city", "why", "smallest change that lets it in"):
        table.add_column(column)
    for item in itinerary.left_out:
        table.add_row(item.project_id, item.city, f"{item.reason}: {item.detail}", item.smallest_change or "-")
    return table
