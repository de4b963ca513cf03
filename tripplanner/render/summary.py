"""Rich renderables for `validate` and `travel`."""

from __future__ import annotations

import textwrap

from rich.console import Group
from rich.table import Table
from rich.text import Text

from tripplanner.models.itinerary import Itinerary
from tripplanner.render.sources import cite
from tripplanner.timeutil import format_minutes, local
from tripplanner.trip import Validation
from tripplanner.travel.model import Leg


def render_validation(validation: Validation) -> Group:
    trip = validation.trip
    home = trip.zone
    head = Text.assemble(
        (trip.name, "bold"), "\n",
        f"Home {trip.home.label} ({trip.home.timezone}); window {local(trip.earliest_departure, home)} -> "
        f"{local(trip.latest_return, home)}, at most {trip.max_days} days\n",
        "Themes: " + ", ".join(f"{t} x{w:g}" for t, w in trip.themes.items()),
    )
    anchors = Table(title="Anchors", title_justify="left", expand=False)
    anchors.add_column("anchor", no_wrap=True)  # wrapped by _whole_words: the other columns give way
    for column in ("city", "local time", "home time", "role"):
        anchors.add_column(column, overflow="fold")
    for a in sorted(trip.anchors, key=lambda a: a.start):
        anchors.add_row(_whole_words(a.name), a.city.label, _span(a.start, a.end),
                        local(a.start, home), a.role if a.mandatory else f"{a.role} (optional)")
    candidates = Table(title=f"Candidates ({len(trip.candidates)} cities, {sum(len(c.projects) for c in trip.candidates)} projects)",
                       title_justify="left")
    for column in ("city", "relation", "projects (source site, year)", "value"):
        candidates.add_column(column)
    for c in trip.candidates:
        names = "; ".join(f"{p.title}{' (illustrative)' if p.illustrative else ''} [{cite(p.source, p.year)}]"
                          for p in c.projects)
        candidates.add_row(c.city.label, c.relation, Text(names), f"{sum(p.value for p in c.projects) + c.relation_bonus:.2f}")
    parts = [head]
    if trip.notes:
        parts.append(Text("Notes:\n" + "\n".join(f"  - {note}" for note in trip.notes), style="yellow"))
    parts.append(anchors)
    if trip.booked_nights:
        nights = Table(title="Booked nights", title_justify="left", expand=False)
        for column in ("city", "nights of"):
            nights.add_column(column)
        for booked in trip.bookings().values():
            nights.add_row(booked[0].city.label, f"{booked[0].date:%a %d %b} - {booked[-1].date:%a %d %b} ({len(booked)})")
        parts.append(nights)
    return Group(*parts, candidates)


ANCHOR_NAME_WIDTH = 18
"""Anchor names are wrapped at this width (or at their longest word) before the table sees them, and their
column does not wrap again: the table narrows the other columns instead and never cuts a name ("Internatio...")."""


def _whole_words(name: str) -> str:
    width = max([ANCHOR_NAME_WIDTH, *(len(word) for word in name.split())])
    return "\n".join(textwrap.wrap(name, width, break_long_words=False, break_on_hyphens=False)) or name


def _span(start, end) -> str:
    """'Thu 16 Mar 09:30-17:30 CET' in the anchor's own zone (the end's date too when it ends on another day)."""
    return f"{start:%a %d %b %H:%M}-{local(end, end.tzinfo, '%H:%M' if end.date() == start.date() else '%a %d %b %H:%M')}"


def render_problems(validation: Validation) -> Text:
    """The verdict; print it with soft_wrap so each problem stays on one line for grep and tests."""
    warnings = Text("Warnings:\n" + "\n".join(f"  - {w}" for w in validation.warnings) + "\n", style="yellow") \
        if validation.warnings else Text()
    if validation.problems:
        return warnings + Text("Problems:\n" + "\n".join(f"  - {p}" for p in validation.problems), style="red")
    return warnings + Text("Valid: no conflict found before solving.", style="green")


def render_leg(options: tuple[Leg, ...]) -> Group:
    """`travel`: the chosen leg step by step, then every option considered, the chosen one first."""
    leg = options[0]
    title = f"{leg.origin.label} -> {leg.destination.label}: {leg.mode}, {leg.distance_km:,.0f} km, " \
            f"{format_minutes(leg.duration_min)} door to door, {leg.co2_kg:,.1f} kg CO2 per person"
    table = Table(title=title, title_justify="left")
    for column in ("step", "from", "to", "minutes"):
        table.add_column(column, justify="right" if column == "minutes" else "left")
    for segment in leg.segments:
        table.add_row(f"{segment.mode}: {segment.what}" if segment.what else segment.mode, segment.origin,
                      segment.destination, str(segment.minutes))
    table.add_row(Text("total", style="bold"), "", "", Text(str(leg.duration_min), style="bold"))
    considered = Table(title="Options considered (chosen first)", title_justify="left")
    for column in ("", "mode", "door to door", "route", "source"):
        considered.add_column(column)
    for k, option in enumerate(options):
        route = option.via or " -> ".join(dict.fromkeys(s.origin for s in option.segments if s.mode in ("rail", "road")))
        considered.add_row("chosen" if k == 0 else "", option.mode, format_minutes(option.duration_min) if option.reachable
                           else "no connection", route, option.source)
    return Group(table, Text(f"source: {leg.source}", style="dim"), considered)


def travel_json(options: tuple[Leg, ...]) -> dict:
    """`travel --json`: the chosen leg, its segments, and every option considered."""
    def leg_dict(leg: Leg) -> dict:
        return {"origin": leg.origin.label, "destination": leg.destination.label, "mode": leg.mode,
                "distance_km": leg.distance_km, "duration_min": leg.duration_min, "co2_kg": leg.co2_kg,
                "source": leg.source, "reachable": leg.reachable,
                "segments": [{"mode": s.mode, "from": s.origin, "to": s.destination, "minutes": s.minutes, "what": s.what}
                             for s in leg.segments]}
    return {**leg_dict(options[0]), "options": [leg_dict(leg) for leg in options]}


def render_frontier(plans: list[Itinerary]) -> Table:
    """The non-dominated plans of `frontier`, least travel first; "(plan)" marks the best worth, the plan
    `plan` makes."""
    table = Table(title="Value against travel (non-dominated plans)", title_justify="left")
    for column in ("point", "value", "worth", "travel", "days", "cities"):
        table.add_column(column)
    best = max(p.totals.worth for p in plans)
    for k, itinerary in enumerate(plans, start=1):
        t = itinerary.totals
        mark = f"{k} (plan)" if t.worth == best else str(k)
        table.add_row(mark, f"{t.value:g}", f"{t.worth:g}", format_minutes(t.travel_min), str(t.days),
                      ", ".join(c.split(",")[0] for c in t.cities))
    return table
