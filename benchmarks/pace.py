"""Before and after the pace issue: the examples and generated trips planned with the old objective
and rules (no cost of travel, no pace limits) and with the defaults (cost 0.6 an hour, pace normal).

Prints per trip and setting: value, travel hours, cities, hotel changes, nights in transit, solve
seconds and the proof status. Usage: python benchmarks/pace.py [--time-limit 5]
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

EXAMPLES = ("paris-vienna-2017", "colombo-delhi-bonn-2017", "barcelona-zurich-2018", "bonn-base-2017")
GENERATED = ((12, 7), (20, 10), (30, 14))
"""(candidates, days) of the generated trips (benchmarks/generated.py, seed 0)."""
BEFORE_LIMITS = {"arrival_buffer_min": 0, "departure_buffer_min": 0, "split_stays": True}


def before(trip):
    """The trip as the planner saw it before the pace issue."""
    return dataclasses.replace(trip, limits=trip.limits.model_copy(update=BEFORE_LIMITS),
                               scoring=trip.scoring.model_copy(update={"travel_cost_per_hour": 0.0}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--time-limit", type=float, default=5.0)
    args = parser.parse_args()
    from benchmarks.generated import generated_request
    from tripplanner.api import load_trip, load_trip_text, plan_trip
    from tripplanner.solver.params import SolveParams

    params = SolveParams(time_limit_s=args.time_limit)
    trips = [(name, load_trip(ROOT / "examples" / f"{name}.yaml")) for name in EXAMPLES]
    trips += [(f"generated {n} x {d} days", load_trip_text(generated_request(n, d))) for n, d in GENERATED]
    print(f"time limit {args.time_limit:g} s, 2 cores; before = no cost of travel, no pace limits; after = the defaults")
    print(f"{'trip':28s} {'':6s} {'value':>6s} {'travel':>7s} {'cities':>6s} {'hotels':>6s} {'transit':>7s} {'seconds':>7s}  status")
    for name, trip in trips:
        for label, planned in (("before", before(trip)), ("after", trip)):
            clock = time.monotonic()
            itinerary = plan_trip(planned, params).itinerary
            seconds = time.monotonic() - clock
            if itinerary is None:
                print(f"{name:28s} {label:6s} no plan ({seconds:.1f} s)")
                continue
            t = itinerary.totals
            print(f"{name:28s} {label:6s} {t.value:6.2f} {t.travel_min / 60:6.1f}h {len(t.cities):6d} {t.hotel_changes:6d} "
                  f"{t.nights_in_transit:7d} {seconds:7.1f}  {itinerary.solve.status}", flush=True)


if __name__ == "__main__":
    main()
