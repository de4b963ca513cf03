"""How the cost of travel shapes the plans: value, travel hours and cities of the historical examples
for a range of scoring.travel_cost_per_hour.

The default (models/request.py TRAVEL_COST_PER_HOUR) is chosen from this table: the examples should
come out as the real trips of the background article (Paris + Vienna, March 2017; Colombo, Delhi +
Bonn, November 2017; Barcelona + Zurich, September/October 2018), plus at most one city more where
it is near and worth it, while a valuable project 30 minutes away is still taken (tests/test_pace.py).
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

EXAMPLES = ("paris-vienna-2017", "colombo-delhi-bonn-2017", "barcelona-zurich-2018")
REAL_TRIPS = {
    "paris-vienna-2017": {"Paris", "Vienna"},
    "colombo-delhi-bonn-2017": {"Colombo", "Delhi", "Bonn"},
    "barcelona-zurich-2018": {"Barcelona", "Zurich", "Zürich"},
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--costs", default="0,0.1,0.2,0.3,0.4,0.5,0.75,1")
    parser.add_argument("--time-limit", type=float, default=5.0)
    args = parser.parse_args()
    from tripplanner.api import load_trip, plan_trip
    from tripplanner.solver.params import SolveParams

    params = SolveParams(time_limit_s=args.time_limit)
    print(f"{'example':26s} {'cost/h':>6s} {'value':>6s} {'worth':>6s} {'travel':>7s} {'status':>9s}  cities (extra beyond the real trip)")
    for name in EXAMPLES:
        trip = load_trip(ROOT / "examples" / f"{name}.yaml")
        for cost in (float(c) for c in args.costs.split(",")):
            costed = dataclasses.replace(trip, scoring=trip.scoring.model_copy(update={"travel_cost_per_hour": cost}))
            itinerary = plan_trip(costed, params).itinerary
            if itinerary is None:
                print(f"{name:26s} {cost:6.2f}  no plan")
                continue
            t = itinerary.totals
            cities = [c.split(",")[0] for c in t.cities]
            extra = [c for c in cities if c not in REAL_TRIPS[name]]
            print(f"{name:26s} {cost:6.2f} {t.value:6.2f} {t.worth:6.2f} {t.travel_min / 60:6.1f}h {itinerary.solve.status:>9s}  "
                  f"{len(cities)}: {', '.join(cities)}" + (f"  (+{len(extra)}: {', '.join(extra)})" if extra else ""), flush=True)


if __name__ == "__main__":
    main()
