"""The itinerary as a Markdown briefing note that reads well printed."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from tripplanner.timeutil import format_minutes, local
from tripplanner.models.itinerary import IN_TRANSIT, AnchorEvent, Itinerary, LegEvent, VisitEvent
from tripplanner.render.legs import route_summary
from tripplanner.render.sources import cite


"""The sleep_city of a day whose night is spent on a long-haul flight (tripplanner/itinerary.py)."""


def _local(moment, zone: str, with_date: bool = False) -> str:
    return local(moment, ZoneInfo(zone), "%a %d %b %H:%M" if with_date else "%H:%M")


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _source(visit: VisitEvent) -> str:
    """A link to the project's source (site name, year), or the source as written."""
    text = cite(visit.source, visit.year) or "-"
    return f"[{text}]({visit.source})" if visit.source.startswith(("http://", "https://")) else text


def render_markdown(itinerary: Itinerary) -> str:
    t, s = itinerary.totals, itinerary.solve
    events = itinerary.events()
    legs = [e for e in events if isinstance(e, LegEvent)]
    anchors = [e for e in events if isinstance(e, AnchorEvent)]
    visits = [e for e in events if isinstance(e, VisitEvent)]
    lines = [
        f"# {itinerary.name}",
        "",
        f"*Draft itinerary: {t.days} days, {len(t.cities)} cities, value {t.value:g}"
        + (f" ({format_minutes(t.travel_min)} of travel, worth {t.worth:g})" if t.travel_cost else "") + ". "
        f"Solver: {s.status}, {s.seconds:g} s. Times are local to each city.*",
        "",
        "## Summary",
        "",
        f"- **Home:** {itinerary.home}",
    ]
    if legs:
        lines.append(f"- **Departs:** {_local(legs[0].depart, legs[0].origin_timezone, True)}; "
                     f"**returns:** {_local(legs[-1].arrive, legs[-1].destination_timezone, True)}")
    lines += [
        "- **Invitations:** " + ("; ".join(f"{a.name} ({a.city}, {_local(a.start, a.timezone, True)})" for a in anchors) or "none"),
        f"- **Cities:** {', '.join(t.cities)}",
        f"- **Travel:** {format_minutes(t.travel_min)} over {len(legs)} legs, {t.distance_km:,.0f} km, "
        f"{t.co2_kg:,.0f} kg CO2 per person; longest travel day {format_minutes(t.longest_travel_day_min)}",
    ]
    if t.sister_cities or t.friendship_cities:
        lines.append("- **Partner cities:** " + ", ".join([f"{c} (sister)" for c in t.sister_cities]
                                                            + [f"{c} (friendship)" for c in t.friendship_cities]))
    lines += ["", "## Day by day", ""]
    for day in itinerary.days:
        heading = f"### Day {day.number}: {day.date:%A %d %B %Y}"
        if day.sleep_city == IN_TRANSIT:
            heading += f" ({day.wake_city}, night in transit)"
        elif day.wake_city != day.sleep_city:
            heading += f" ({day.wake_city} to {day.sleep_city})"
        else:
            heading += f" ({day.sleep_city})"
        lines += [heading, ""]
        if not day.events:
            lines += ["Free day.", ""]
            continue
        lines += ["| local time | programme |", "| --- | --- |"]
        for event in day.events:
            if isinstance(event, LegEvent):
                route = route_summary(event)
                what = (f"Transfer in {event.origin}" if event.mode == "in_city"
                        else f"{event.mode.capitalize()} {event.origin} to {event.destination}"
                             + (f": {route};" if route else ",")
                             + f" arrives {_local(event.arrive, event.destination_timezone)}")
                lines.append(f"| {_local(event.depart, event.origin_timezone)} | {_cell(what)} ({format_minutes(event.duration_min)}) |")
            elif isinstance(event, AnchorEvent):
                lines.append(f"| {_local(event.start, event.timezone)} to {_local(event.end, event.timezone)} | "
                             f"**{_cell(event.name)}** ({event.role}), {_cell(event.venue or event.city)} |")
            else:
                flag = " *(illustrative entry)*" if event.illustrative else ""
                lines.append(f"| {_local(event.start, event.timezone)} to {_local(event.end, event.timezone)} | "
                             f"{_cell(event.title)}, with {_cell(event.counterpart or 'counterpart to be confirmed')}{flag} |")
        lines += ["", f"Night: {day.sleep_city}{' (booked)' if day.night_booked else ''}.", ""]
    lines += ["## Travel", "", "| departs | from | to | mode | route | duration | km | kg CO2 |",
              "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    for leg in legs:
        lines.append(f"| {_local(leg.depart, leg.origin_timezone, True)} | {leg.origin} | {leg.destination} | {leg.mode} | "
                     f"{_cell(route_summary(leg) or '-')} | {format_minutes(leg.duration_min)} | {leg.distance_km:,.0f} | "
                     f"{leg.co2_kg:,.1f} |")
    sources = sorted({leg.source for leg in legs if leg.source})
    if sources:
        lines += ["", "Sources of the legs: " + "; ".join(_cell(source) for source in sources) + "."]
    if any("OpenFlights" in source for source in sources):
        lines += ["Flight routes: OpenFlights (openflights.org), Open Database License."]
    lines += ["", "## Counterparts", "", "| city | project | counterpart | stage | source |", "| --- | --- | --- | --- | --- |"]
    for visit in visits:
        lines.append(f"| {visit.city} | {_cell(visit.title)} | {_cell(visit.counterpart or '-')} | {visit.stage} | "
                     f"{_cell(_source(visit))} |")
    lines += ["", "## Value by theme", "", "| theme | value |", "| --- | --- |"]
    lines += [f"| {theme.replace('_', ' ')} | {value:g} |" for theme, value in t.value_by_theme.items()]
    if any(v.illustrative for v in visits):
        lines += ["", "> Entries marked illustrative come from the planner's sample catalog, not from a documented project."]
    if itinerary.left_out:
        lines += ["", "## Left out", "", "| project | city | why | what would let it in |", "| --- | --- | --- | --- |"]
        lines += [f"| {i.project_id} | {i.city} | {i.reason}: {_cell(i.detail)} | {_cell(i.smallest_change or '-')} |" for i in itinerary.left_out]
    return "\n".join(lines) + "\n"
