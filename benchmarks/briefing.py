"""The briefing pack: how long the map (SVG, PNG) and the HTML page take for the bundled plans, and what
the optional extra `map` adds to an installation.

Warm figures are the median of RUNS calls in one process (the gazetteer, airports and basemap already
loaded); the cold figure is one `tripplanner show` process from start to exit, as staff would run it.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path

from tripplanner.api import read_itinerary
from tripplanner.briefing import briefing_html, map_png, map_svg

ROOT = Path(__file__).resolve().parents[1]
PLANS = sorted((ROOT / "tests" / "data" / "plans").glob("*.json"))
RUNS = 3
EXTRA = ("basemap-data", "resvg-py")
"""The distributions of the extra `map` (pyproject.toml)."""


def installed_mb(distribution: str) -> float:
    files = metadata.distribution(distribution).files or []
    return sum(Path(f.locate()).stat().st_size for f in files if Path(f.locate()).is_file()) / 1e6


def warm(function, itinerary) -> float:
    function(itinerary)
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        function(itinerary)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def cold(plan: Path, format: str) -> float:
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "tripplanner", "show", str(plan), "--format", format,
                        "--out", str(Path(folder) / f"out.{format}")], check=True, capture_output=True)
        return time.perf_counter() - started


def main() -> None:
    print(f"extra `map`: {', '.join(f'{name} {metadata.version(name)} {installed_mb(name):.1f} MB' for name in EXTRA)}"
          f" installed; total {sum(installed_mb(name) for name in EXTRA):.1f} MB")
    print(f"warm: median of {RUNS} calls in one process; cold: one `tripplanner show` process")
    print(f"{'plan':28s} {'svg':>7s} {'png':>7s} {'html':>7s} {'svg kB':>7s} {'png kB':>7s} {'html kB':>8s} "
          f"{'cold svg':>9s} {'cold png':>9s} {'cold html':>10s}")
    for plan in PLANS:
        itinerary = read_itinerary(plan)
        sizes = len(map_svg(itinerary)) / 1e3, len(map_png(itinerary)) / 1e3, len(briefing_html(itinerary)) / 1e3
        print(f"{plan.stem:28s} {warm(map_svg, itinerary):6.3f}s {warm(map_png, itinerary):6.3f}s "
              f"{warm(briefing_html, itinerary):6.3f}s {sizes[0]:7.0f} {sizes[1]:7.0f} {sizes[2]:8.0f} "
              f"{cold(plan, 'svg'):8.2f}s {cold(plan, 'png'):8.2f}s {cold(plan, 'html'):9.2f}s")


if __name__ == "__main__":
    main()
