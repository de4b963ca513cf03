"""The travel model against published durations: the share within 20 %, per mode.

Air: the model's block time of a flight (great-circle distance at cruise speed plus taxi and
climb) against scheduled gate-to-gate times (benchmarks/data/air_legs.csv). Rail: the train of
the model's rail leg against a published station-to-station time. Road: the drive of the model's
road leg (without its fixed overhead) against a published driving time
(benchmarks/data/timetable_legs.csv). Each row names its source and period.

Rail is table-driven (config/rail.toml), so for pairs the table lists the rail comparison checks
the lookup, not an estimate; road speeds are the medians of samples like these (config/road.toml).
Target (travel-network issue): at least 90 % within 20 %, overall and for ground legs alone.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = ROOT / "benchmarks" / "data"
TOLERANCE = 0.20


def _air_rows(travel) -> list[tuple[str, str, int, int]]:
    rows = []
    with open(DATA / "air_legs.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            a, b = row["origin_iata"], row["destination_iata"]
            rows.append(("air", f"{a}-{b}", int(row["block_minutes"]), travel.block_min(a, b)))
    return rows


def _ground_rows(catalogs) -> list[tuple[str, str, int, int | None]]:
    rows = []
    resolve = catalogs.gazetteer.resolve
    with open(DATA / "timetable_legs.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            mode = row["mode"]
            options = catalogs.travel.options(resolve(row["origin"]), resolve(row["destination"]))
            leg = next((o for o in options if o.mode == mode), None)
            moving = next((s.minutes for s in leg.segments if s.mode == mode), None) if leg else None
            rows.append((mode, f"{row['origin']} - {row['destination']}", int(row["minutes"]), moving))
    return rows


def main() -> None:
    from tripplanner.config import load_catalogs

    catalogs = load_catalogs()
    rows = _air_rows(catalogs.travel) + _ground_rows(catalogs)
    print(f"{'mode':5s} {'pair':44s} {'published':>9s} {'model':>6s} {'diff':>7s}")
    for mode, pair, published, model in rows:
        diff = "no leg" if model is None else f"{(model - published) / published:+.0%}"
        flag = "" if model is not None and abs(model - published) <= TOLERANCE * published else "  <-"
        print(f"{mode:5s} {pair[:44]:44s} {published:9d} {model if model is not None else '-':>6} {diff:>7s}{flag}")
    print()
    groups = {"air": ["air"], "rail": ["rail"], "road": ["road"], "ground (rail+road)": ["rail", "road"],
              "overall": ["air", "rail", "road"]}
    for name, modes in groups.items():
        chosen = [(p, m) for mode, _, p, m in rows if mode in modes]
        within = sum(1 for p, m in chosen if m is not None and abs(m - p) <= TOLERANCE * p)
        print(f"{name:20s} {within:3d} of {len(chosen):3d} within 20 % ({within / max(1, len(chosen)):.0%})")


if __name__ == "__main__":
    main()
