"""Commands that read itineraries: show, compare, schema."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from tripplanner.cli.base import NoColorOption, Streams, app, boundary
from tripplanner.errors import RequestError

FORMATS = ("table", "markdown", "ics", "json", "html", "svg", "png")
COMPARE_FORMATS = ("table", "html")


@app.command()
@boundary
def show(
    plan_file: Annotated[Path, typer.Argument(metavar="PLAN", help="Itinerary JSON.")],
    format: Annotated[str, typer.Option("--format", help="table | markdown | ics | json | html | svg | png")] = "table",
    out: Annotated[Path | None, typer.Option("--out", help="Write to this file instead of the terminal.", dir_okay=False)] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
    no_color: NoColorOption = False,
) -> None:
    """Render a saved itinerary: a terminal table, a Markdown briefing note, iCalendar, JSON, a printable HTML
    briefing with the route map, or the map alone as SVG or PNG (PNG needs --out)."""
    from tripplanner.api import read_itinerary
    from tripplanner.cli.files import check_writable, write_atomic

    if format not in FORMATS:
        raise RequestError(f"--format must be one of {', '.join(FORMATS)}, not {format!r}")
    if format == "png" and out is None:
        raise RequestError("--format png writes an image: give a file with --out (it is not printed to the terminal)")
    if out is not None:
        check_writable(out, force)
    itinerary = read_itinerary(plan_file)
    if format == "table":
        from tripplanner.render.table import render_itinerary, render_left_out

        Streams.out.print(render_itinerary(itinerary))
        if itinerary.left_out:
            Streams.out.print(render_left_out(itinerary))
        return
    if format == "markdown":
        from tripplanner.render.markdown import render_markdown as render
    elif format == "html":
        from tripplanner.briefing import briefing_html as render
    elif format == "svg":
        from tripplanner.briefing import map_svg as render
    elif format == "png":
        from tripplanner.briefing import map_png as render
    elif format == "ics":
        from tripplanner.render.ical import render_ics as render
    else:
        from tripplanner.render.json import render_json as render
    text = render(itinerary)
    if out is not None:
        write_atomic(out, text, force)
        Streams.err.print(f"wrote {out}")
    else:
        Streams.out.out(text, end="", highlight=False)


@app.command()
@boundary
def compare(
    plans: Annotated[list[Path], typer.Argument(metavar="PLAN...", help="Two or more itinerary JSON files.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the comparison as JSON.")] = False,
    format: Annotated[str, typer.Option("--format", help="table | html (the plans' maps side by side)")] = "table",
    out: Annotated[Path | None, typer.Option("--out", help="Write to this file instead of the terminal.", dir_okay=False)] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
    no_color: NoColorOption = False,
) -> None:
    """Compare itineraries side by side: metrics (best marked), a day grid, and what differs; --format html
    gives one printable page with the plans' maps."""
    from tripplanner.api import read_itinerary
    from tripplanner.cli.files import check_writable, write_atomic
    from tripplanner.compare import compare_itineraries
    from tripplanner.render.compare import render_comparison

    if len(plans) < 2:
        raise RequestError("compare needs at least two itinerary files")
    if format not in COMPARE_FORMATS:
        raise RequestError(f"--format must be one of {', '.join(COMPARE_FORMATS)}, not {format!r}")
    if out is not None:
        check_writable(out, force)
    itineraries = [read_itinerary(p) for p in plans]
    labels = _labels(plans)
    if format == "html":
        from tripplanner.briefing import comparison_html

        page = comparison_html(itineraries, labels)
        if out is None:
            Streams.out.out(page, end="", highlight=False)
            return
        write_atomic(out, page, force)
        Streams.err.print(f"wrote {out}")
        return
    comparison = compare_itineraries(itineraries, labels)
    if as_json:
        Streams.out.out(json.dumps(comparison.model_dump(mode="json"), indent=2), highlight=False)
        return
    plain = not Streams.out.is_terminal or Streams.out.no_color
    Streams.out.print(render_comparison(comparison, plain))


def _labels(paths: list[Path]) -> list[str]:
    stems = [p.stem for p in paths]
    return stems if len(set(stems)) == len(stems) else [f"{i + 1}:{s}" for i, s in enumerate(stems)]


@app.command()
@boundary
def schema(
    name: Annotated[str, typer.Argument(help="Which schema: itinerary.")] = "itinerary",
    no_color: NoColorOption = False,
) -> None:
    """Print the published JSON Schema of the itinerary files the tool writes."""
    from tripplanner.render.json import itinerary_schema

    if name != "itinerary":
        raise RequestError(f"unknown schema {name!r}; available: itinerary")
    Streams.out.out(itinerary_schema(), end="", highlight=False)
