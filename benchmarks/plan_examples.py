"""Solve figures for the bundled examples and for generated trips of growing size.

For each case, in its own process (so peak memory is the case's own): time to the first
feasible plan, total time, status (proven optimal or the gap at the time limit), peak RSS.
Targets (planner issue): every example proven optimal under 5 s on 2 cores; 200 candidates x
14 days: a verified plan within 10 s.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.isolated import run_isolated  # noqa: E402


def run_case(case: str, time_limit: float) -> dict:
    from benchmarks.generated import load_case
    from tripplanner.solver.params import SolveParams
    from tripplanner.verify import verify

    started = time.monotonic()
    trip = load_case(case, ROOT)
    loaded = time.monotonic() - started
    from tripplanner.solver.build import build_problem
    from tripplanner.solver.solve import solve

    params = SolveParams(time_limit_s=time_limit)
    problem, mapping = build_problem(trip)
    result = solve(problem, params)
    verified = None
    if result.is_feasible():
        from tripplanner.itinerary import build_itinerary

        itinerary = build_itinerary(problem, mapping, result, params)
        verified = verify(trip, itinerary) == []
    return {
        "case": case, "nodes": problem.size, "load_s": round(loaded, 2),
        "first_feasible_s": round(result.first_route_seconds, 2) if result.first_route_seconds is not None else None,
        "total_s": round(result.seconds, 2), "status": result.status,
        "gap_pct": round(result.gap * 100, 2) if result.gap is not None else None,
        "found_by": result.found_by, "verified": verified,
        "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--case")
    parser.add_argument("--time-limit", type=float, default=10.0)
    parser.add_argument("--sizes", default="10,50,200,500")
    parser.add_argument("--days", default="5,14,30")
    args = parser.parse_args()
    if args.case:
        print(json.dumps(run_case(args.case, args.time_limit)))
        return
    cases = [str(p.relative_to(ROOT)) for p in sorted((ROOT / "examples").glob("*.yaml"))]
    cases += [f"gen:{n}:{d}" for n in args.sizes.split(",") for d in args.days.split(",")]
    header = f"{'case':42s} {'nodes':>5s} {'first':>6s} {'total':>6s} {'status':>9s} {'gap%':>6s} {'by':>17s} {'ok':>3s} {'MB':>5s}"
    print(f"time limit {args.time_limit:g} s per case\n{header}")
    for case in cases:
        r = run_isolated(__file__, "--case", case, "--time-limit", str(args.time_limit))
        if isinstance(r, str):
            print(f"{case:42s} failed: {r}")
            continue
        gap = "-" if r["gap_pct"] is None else f"{r['gap_pct']:.2f}"
        first = "-" if r["first_feasible_s"] is None else f"{r['first_feasible_s']:.2f}"
        ok = {True: "yes", False: "NO", None: "-"}[r["verified"]]
        print(f"{case:42s} {r['nodes']:5d} {first:>6s} {r['total_s']:6.2f} {r['status']:>9s} {gap:>6s} {r['found_by']:>17s} {ok:>3s} {r['peak_mb']:5d}",
              flush=True)


if __name__ == "__main__":
    main()
