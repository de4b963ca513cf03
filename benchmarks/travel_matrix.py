"""Time to lay out every leg between the cities of a large trip, as build_problem does.

Cold: a fresh travel model in a fresh process (the airline network is read on first use).
Target (travel-network issue): 60 cities in under 2 s on 2 cores.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cities", type=int, default=60)
    args = parser.parse_args()
    from benchmarks.generated import _cities_near
    from tripplanner.config import load_catalogs

    started = time.perf_counter()
    catalogs = load_catalogs()
    loaded = time.perf_counter() - started
    names = ["Seoul, KR", *_cities_near("Paris, FR", args.cities - 1)]
    cities = [catalogs.gazetteer.resolve(name) for name in names]
    started = time.perf_counter()
    legs = [[catalogs.travel.leg(a, b) for b in cities] for a in cities]
    matrix = time.perf_counter() - started
    modes: dict[str, int] = {}
    for row in legs:
        for leg in row:
            modes[leg.mode] = modes.get(leg.mode, 0) + 1
    print(f"catalogs loaded in {loaded:.2f} s")
    print(f"{len(cities)} cities, {len(cities) ** 2} legs in {matrix:.2f} s (network read included); modes {modes}")


if __name__ == "__main__":
    main()
