"""A Comparison as rich tables (with an ASCII, colourless form for pipes and --no-color)."""

from __future__ import annotations

from rich import box
from rich.console import Group
from rich.table import Table
from rich.text import Text

from tripplanner.compare import Comparison


def render_comparison(comparison: Comparison, plain: bool) -> Group:
    frame = box.ASCII if plain else box.ROUNDED
    metrics = Table(title="Metrics (* best)", title_justify="left", box=frame)
    metrics.add_column("metric", no_wrap=True)
    for label in comparison.labels:
        metrics.add_column(label, overflow="fold")
    for row in comparison.metrics:
        cells = []
        for index, value in enumerate(row.values):
            if index in row.best:
                cells.append(Text(f"{value} *", style="bold green"))
            else:
                cells.append(Text(value))
        metrics.add_row(row.name, *cells)
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
            lines = [f"{cell.date}, night {cell.where.split(',')[0]}", *cell.programme, *cell.legs]
            text = Text("\n".join(lines))
            if cell.differs:
                text = Text("! " + "\n".join(lines), style="yellow")
            cells.append(text)
        grid.add_row(str(number), *cells)
    words = Text("What differs:\n" + "\n".join(f"- {line}" for line in comparison.differences))
    return Group(metrics, grid, words)
