"""A Comparison as rich tables (with an ASCII, colourless form for pipes and --no-color)."""

from __future__ import annotations

from rich import box
from rich.console import Group
from rich.table import Table
from rich.text import Text

from tripplanner.compare import Change, Comparison, Figure, MetricRow
from tripplanner.timeutil import format_minutes

LABELS = {
    "sister_cities": "sister cities", "friendship_cities": "friendship cities", "nights_by_city": "nights per city",
    "travel_min": "travel", "distance_km": "distance km", "co2_kg": "CO2 kg",
    "longest_travel_day_min": "longest travel day", "legs_by_mode": "legs by mode",
    "travel_min_per_day": "travel a day", "hotel_changes": "hotel changes", "nights_in_transit": "nights in transit",
    "early_starts": "early starts",
}
"""How the metrics (named after the itinerary's Totals fields) are headed in the table."""


def _short(city: str) -> str:
    return city.split(",")[0]


def figure_text(row: MetricRow, figure: Figure) -> str:
    """A metric's figure as the comparison shows it: "3: Paris, Vienna", "11 h 20", "1,234"."""
    if isinstance(figure, list):
        return f"{len(figure)}: {', '.join(_short(c) for c in figure)}" if figure else "0"
    if isinstance(figure, dict):
        return ", ".join(f"{_short(key)} {count}" for key, count in figure.items())
    if row.name.endswith("_min") or row.name == "travel_min_per_day":
        return format_minutes(figure)
    if row.name in ("distance_km", "co2_kg"):
        return f"{figure:,.0f}"
    return f"{figure:g}"


def render_comparison(comparison: Comparison, plain: bool) -> Group:
    frame = box.ASCII if plain else box.ROUNDED
    metrics = Table(title="Metrics (* best)", title_justify="left", box=frame)
    metrics.add_column("metric", no_wrap=True)
    for label in comparison.labels:
        metrics.add_column(label, overflow="fold")
    for row in comparison.metrics:
        cells = []
        for index, figure in enumerate(row.values):
            if index in row.best:
                cells.append(Text(f"{figure_text(row, figure)} *", style="bold green"))
            else:
                cells.append(Text(figure_text(row, figure)))
        name = LABELS.get(row.name, row.name)
        metrics.add_row(f"  {name}" if row.part_of else name, *cells)
    grid = Table(title="Day by day (! differs from the first)", title_justify="left", box=frame, show_lines=True)
    grid.add_column("day", justify="right", no_wrap=True)
    for label in comparison.labels:
        grid.add_column(label, overflow="fold")
    for number, row in enumerate(comparison.days, start=1):
        cells = []
        for cell in row:
            if cell is None:
                cells.append(Text("-"))
                continue
            lines = [f"{cell.date}, night {_short(cell.where)}", *cell.events]
            text = Text("\n".join(lines))
            if cell.differs:
                text = Text("! " + "\n".join(lines), style="yellow")
            cells.append(text)
        grid.add_row(str(number), *cells)
    words = Text("What differs:\n" + "\n".join(f"- {line}" for line in comparison.differences))
    return Group(metrics, grid, words)



def _difference(name: str, figure: float, text: str) -> str:
    """'value +1.20', 'travel -3 h 10', 'days unchanged'."""
    return f"{name} unchanged" if figure == 0 else f"{name} {'+' if figure > 0 else ''}{text}"


def render_change(change: Change, what: str) -> str:
    """One line: 'what-if (window.max_days=6) against the baseline: value -1.12, worth +0.31, travel -3 h 10,
    days -1; cities added: none; dropped: Lyon, FR'."""
    figures = [_difference("value", change.value, f"{change.value:.2f}"),
               _difference("worth", change.worth, f"{change.worth:.2f}"),
               _difference("travel", change.travel_min, format_minutes(change.travel_min)),
               _difference("days", change.days, str(change.days))]
    cities = f"cities added: {', '.join(change.added) or 'none'}; dropped: {', '.join(change.dropped) or 'none'}"
    return f"what-if ({what}) against the baseline: {', '.join(figures)}; {cities}"
