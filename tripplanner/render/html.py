"""The itinerary as one self-contained HTML page that prints on A4: map, day by day, counterparts,
totals, travel, and the candidates left out with their reasons.

Nothing on the page is loaded from elsewhere: no script, no web font, no stylesheet link, no image
URL; the map is inline SVG. The only URLs are the sources of the visited projects, written as
plain links (`<a href>`), which a reader may follow and the page never fetches.
"""

from __future__ import annotations

from html import escape
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from tripplanner.compare import Comparison
from tripplanner.models.itinerary import IN_TRANSIT, AnchorEvent, Day, Itinerary, LegEvent, VisitEvent
from tripplanner.render.compare import LABELS, figure_text
from tripplanner.render.legs import route_summary
from tripplanner.timeutil import format_minutes, local

STYLE = """
@page { size: A4; margin: 14mm 12mm; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; font-size: 10.5pt; color: #111; margin: 0 auto;
       max-width: 190mm; line-height: 1.35; }
h1 { font-size: 17pt; margin: 0 0 2pt; }
h2 { font-size: 13pt; margin: 14pt 0 5pt; border-bottom: 1px solid #999; break-after: avoid; }
h3 { font-size: 11pt; margin: 0 0 3pt; }
p.lead { color: #444; margin: 0 0 8pt; }
figure.map { margin: 6pt 0; break-inside: avoid; }
figure.map svg { width: 100%; height: auto; display: block; border: 1px solid #bbb; }
figcaption { font-size: 8.5pt; color: #555; }
table { border-collapse: collapse; width: 100%; margin: 2pt 0 6pt; }
th, td { border: 1px solid #ccc; padding: 2pt 4pt; text-align: left; vertical-align: top; }
th { background: #eef2f6; }
tr { break-inside: avoid; }
td.time { white-space: nowrap; width: 10em; }
td.num, th.num { text-align: right; white-space: nowrap; }
section.day { break-inside: avoid; page-break-inside: avoid; margin-bottom: 8pt; }
.anchor { font-weight: bold; }
.note { font-size: 8.5pt; color: #555; }
.best { font-weight: bold; color: #1b5e20; }
.plans { display: flex; gap: 6pt; }
.plans > figure { flex: 1 1 0; min-width: 0; }
@media print { a { color: inherit; text-decoration: none; } }
"""
"""One stylesheet, inline. A day never splits across pages unless it is longer than a page."""


def _local(moment, zone: str, with_date: bool = False) -> str:
    return local(moment, ZoneInfo(zone), "%a %d %b %H:%M" if with_date else "%H:%M")


def _page(title: str, body: list[str]) -> str:
    return "\n".join([
        "<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title>", f"<style>{STYLE}</style>", "</head>", "<body>", *body, "</body>", "</html>",
    ]) + "\n"


def _map(map_svg: str | None, note: str) -> list[str]:
    if map_svg is None:
        return [f'<p class="note">Map not drawn: {escape(note)}.</p>'] if note else []
    return ['<figure class="map">', map_svg.strip(), "<figcaption>Legs numbered in order; times below are local to "
            "each city.</figcaption>", "</figure>"]


def render_html(itinerary: Itinerary, map_svg: str | None = None, map_note: str = "") -> str:
    """The briefing page; map_svg is the route map's SVG, or None with map_note saying why there is none."""
    t, s = itinerary.totals, itinerary.solve
    events = itinerary.events()
    legs = [e for e in events if isinstance(e, LegEvent)]
    body = [f"<h1>{escape(itinerary.name)}</h1>",
            f'<p class="lead">Draft itinerary: {t.days} days, {len(t.cities)} cities, value {t.value:g}. '
            f"Home: {escape(itinerary.home)}. Solver: {escape(s.status)}, {s.seconds:g} s. Times are local to each "
            "city, with the zone.</p>"]
    body += _map(map_svg, map_note)
    body += _totals(itinerary)
    body += ["<h2>Day by day</h2>"] + [line for day in itinerary.days for line in _day(day)]
    body += _counterparts([e for e in events if isinstance(e, VisitEvent)])
    body += _travel(legs)
    body += _left_out(itinerary)
    return _page(itinerary.name, body)


def _totals(itinerary: Itinerary) -> list[str]:
    t = itinerary.totals
    rows = [
        ("Value", f"{t.value:g}" + (f" (worth {t.worth:g} after {t.travel_cost:g} for travel)" if t.travel_cost else "")),
        ("Value by theme", ", ".join(f"{theme.replace('_', ' ')} {value:g}" for theme, value in t.value_by_theme.items()) or "-"),
        ("Cities", "; ".join(t.cities) or "-"),
        ("Partner cities", "; ".join([f"{c} (sister)" for c in t.sister_cities]
                                     + [f"{c} (friendship)" for c in t.friendship_cities]) or "-"),
        ("Travel", f"{format_minutes(t.travel_min)}, {t.distance_km:,.0f} km, legs: "
                   + (", ".join(f"{count} {mode}" for mode, count in t.legs_by_mode.items()) or "none")),
        ("CO2", f"{t.co2_kg:,.0f} kg per person"),
        ("Pace", f"{format_minutes(t.travel_min_per_day)} of travel a day; longest travel day "
                 f"{format_minutes(t.longest_travel_day_min)}; {t.hotel_changes} hotel changes; "
                 f"{t.nights_in_transit} nights in transit; {t.early_starts} early starts"),
        ("Nights", "; ".join(f"{city} {n}" for city, n in t.nights_by_city.items()) or "-"),
    ]
    return ["<h2>Totals</h2>", '<table class="totals">'] + \
        [f"<tr><th>{escape(name)}</th><td>{escape(text)}</td></tr>" for name, text in rows] + ["</table>"]


def _heading(day: Day) -> str:
    if day.sleep_city == IN_TRANSIT:
        where = f"{day.wake_city}, night in transit"
    elif day.wake_city != day.sleep_city:
        where = f"{day.wake_city} to {day.sleep_city}"
    else:
        where = day.sleep_city
    return f"Day {day.number}: {day.date:%A %d %B %Y} ({where})"


def _day(day: Day) -> list[str]:
    lines = [f'<section class="day" id="day-{day.number}">', f"<h3>{escape(_heading(day))}</h3>"]
    if not day.events:
        return lines + ["<p>Free day.</p>", "</section>"]
    lines.append('<table class="programme"><tr><th>local time</th><th>programme</th></tr>')
    for event in day.events:
        if isinstance(event, LegEvent):
            time = _local(event.depart, event.origin_timezone)
            if event.mode == "in_city":
                what = f"Transfer in {escape(event.origin)}"
            else:
                route = route_summary(event)
                what = (f"{escape(event.mode.capitalize())} {escape(event.origin)} to {escape(event.destination)}"
                        + (f": {escape(route)};" if route else ",")
                        + f" arrives {escape(_local(event.arrive, event.destination_timezone))}")
            what += f" ({format_minutes(event.duration_min)})"
            css = "leg"
        elif isinstance(event, AnchorEvent):
            time = f"{_local(event.start, event.timezone)} to {_local(event.end, event.timezone)}"
            what = f"{escape(event.name)} ({escape(event.role)}), {escape(event.venue or event.city)}"
            css = "anchor"
        else:
            time = f"{_local(event.start, event.timezone)} to {_local(event.end, event.timezone)}"
            flag = " <em>(illustrative entry)</em>" if event.illustrative else ""
            what = (f"{escape(event.title)}, {escape(event.city)}, with "
                    f"{escape(event.counterpart or 'counterpart to be confirmed')}{flag}")
            css = "visit"
        lines.append(f'<tr class="{css}"><td class="time">{escape(time)}</td><td>{what}</td></tr>')
    lines.append("</table>")
    lines.append(f"<p>Night: {escape(day.sleep_city)}{' (booked)' if day.night_booked else ''}.</p>")
    return lines + ["</section>"]


def _source(visit: VisitEvent) -> str:
    """The project's source as a link whose text is the site's name (the page never loads it)."""
    if not visit.source:
        return "-"
    parts = urlsplit(visit.source)
    if parts.scheme in ("http", "https") and parts.netloc:
        text = parts.netloc.removeprefix("www.")
        return f'<a href="{escape(visit.source)}">{escape(text)}</a>'
    return escape(visit.source)


def _counterparts(visits: list[VisitEvent]) -> list[str]:
    lines = ["<h2>Counterparts</h2>",
             "<table><tr><th>city</th><th>project</th><th>counterpart</th><th>stage</th><th>source</th></tr>"]
    for visit in visits:
        year = f" ({escape(visit.year)})" if visit.year else ""
        lines.append(f"<tr><td>{escape(visit.city)}</td><td>{escape(visit.title)}</td>"
                     f"<td>{escape(visit.counterpart or '-')}</td><td>{escape(visit.stage)}</td>"
                     f"<td>{_source(visit)}{year}</td></tr>")
    lines.append("</table>")
    if any(v.illustrative for v in visits):
        lines.append('<p class="note">Entries marked illustrative come from the planner\'s sample catalog, not from a '
                     "documented project.</p>")
    return lines


def _travel(legs: list[LegEvent]) -> list[str]:
    moving = [leg for leg in legs if leg.mode != "in_city"]
    lines = ["<h2>Travel</h2>", '<table><tr><th>#</th><th>departs</th><th>from</th><th>to</th><th>mode</th>'
             '<th>route</th><th class="num">duration</th><th class="num">km</th><th class="num">kg CO2</th></tr>']
    for number, leg in enumerate(moving, start=1):
        lines.append(f"<tr><td>{number}</td><td>{escape(_local(leg.depart, leg.origin_timezone, True))}</td>"
                     f"<td>{escape(leg.origin)}</td><td>{escape(leg.destination)}</td><td>{escape(leg.mode)}</td>"
                     f"<td>{escape(route_summary(leg) or '-')}</td><td class=\"num\">{format_minutes(leg.duration_min)}</td>"
                     f'<td class="num">{leg.distance_km:,.0f}</td><td class="num">{leg.co2_kg:,.1f}</td></tr>')
    lines.append("</table>")
    sources = sorted({leg.source for leg in legs if leg.source})
    if sources:
        lines.append(f'<p class="note">Sources of the legs: {escape("; ".join(sources))}.</p>')
    if any("OpenFlights" in source for source in sources):
        lines.append('<p class="note">Flight routes: OpenFlights (openflights.org), Open Database License.</p>')
    return lines


def _left_out(itinerary: Itinerary) -> list[str]:
    if not itinerary.left_out:
        return []
    lines = ["<h2>Left out</h2>",
             "<table><tr><th>project</th><th>city</th><th>why</th><th>what would let it in</th></tr>"]
    for item in itinerary.left_out:
        lines.append(f"<tr><td>{escape(item.project_id)}</td><td>{escape(item.city)}</td>"
                     f"<td>{escape(item.reason)}: {escape(item.detail)}</td><td>{escape(item.smallest_change or '-')}</td></tr>")
    return lines + ["</table>"]


def render_comparison_html(comparison: Comparison, maps: list[str | None], map_note: str = "") -> str:
    """Several plans on one page: their maps side by side, the metrics with the best in bold, the
    differences in words, and the day grid."""
    body = [f"<h1>Comparison: {escape(' / '.join(comparison.labels))}</h1>"]
    if any(m is not None for m in maps):
        body.append('<div class="plans">')
        for label, svg in zip(comparison.labels, maps):
            body += ['<figure class="map">', f"<figcaption>{escape(label)}</figcaption>",
                     svg.strip() if svg else '<p class="note">no map</p>', "</figure>"]
        body.append("</div>")
    elif map_note:
        body.append(f'<p class="note">Maps not drawn: {escape(map_note)}.</p>')
    head = "".join(f"<th>{escape(label)}</th>" for label in comparison.labels)
    body += ["<h2>Metrics</h2>", f"<table><tr><th>metric</th>{head}</tr>"]
    for row in comparison.metrics:
        name = LABELS.get(row.name, row.name).replace("_", " ")
        cells = "".join(f'<td class="best">{escape(figure_text(row, figure))} &#9733;</td>' if index in row.best
                        else f"<td>{escape(figure_text(row, figure))}</td>" for index, figure in enumerate(row.values))
        body.append(f"<tr><th>{'&nbsp;&nbsp;' if row.part_of else ''}{escape(name)}</th>{cells}</tr>")
    body += ["</table>", '<p class="note">&#9733; best of the plans.</p>', "<h2>What differs</h2>", "<ul>"]
    body += [f"<li>{escape(line)}</li>" for line in comparison.differences] + ["</ul>"]
    body += ["<h2>Day by day</h2>", f"<table><tr><th>day</th>{head}</tr>"]
    for number, row in enumerate(comparison.days, start=1):
        cells = []
        for cell in row:
            if cell is None:
                cells.append("<td>-</td>")
                continue
            text = "<br>".join(escape(line) for line in [f"{cell.date}, night {cell.where}", *cell.events])
            cells.append(f'<td class="best">{text}</td>' if cell.differs else f"<td>{text}</td>")
        body.append(f"<tr><td>{number}</td>{''.join(cells)}</tr>")
    body += ["</table>", '<p class="note">Days in bold differ from the first plan\'s.</p>']
    return _page("Comparison: " + " / ".join(comparison.labels), body)
