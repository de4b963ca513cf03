"""--workers 1 (one search at a time, deterministic) against --workers 2 (local search and CP-SAT
side by side): worth, proven bound, wall and CPU seconds per case, each case in its own process.

    python benchmarks/workers.py --time-limit 10 --cases gen:30:14,gen:50:14

CPU seconds above the wall seconds show the second core at work (user + system time of the process).
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

CASES = "examples/colombo-delhi-bonn-2017.yaml,gen:20:10,gen:30:14,gen:50:14,gen:60:21"


def run_case(case: str, time_limit: float, workers: int) -> dict:
    from benchmarks.bound import load_problem
    from tripplanner.solver.objective import worth_points
    from tripplanner.solver.params import SolveParams
    from tripplanner.solver.solve import solve

    problem = load_problem(case)
    before, started = resource.getrusage(resource.RUSAGE_SELF), time.monotonic()
    result = solve(problem, SolveParams(time_limit_s=time_limit, workers=workers))
    after, wall = resource.getrusage(resource.RUSAGE_SELF), time.monotonic() - started
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"case": case, "workers": workers, "status": str(result.status),
            "worth": round(worth_points(result.route.worth), 3) if result.route else None,
            "bound": round(worth_points(result.value_bound), 3) if result.value_bound is not None else None,
            "wall_s": round(wall, 2), "cpu_s": round(cpu, 2), "found_by": str(result.found_by)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--case")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--time-limit", type=float, default=10.0)
    parser.add_argument("--cases", default=CASES)
    args = parser.parse_args()
    if args.case:
        print(json.dumps(run_case(args.case, args.time_limit, args.workers)))
        return
    print(f"time limit {args.time_limit:g} s; worth and bound in value points")
    print(f"{'case':40s} {'workers':>7s} {'status':>9s} {'worth':>8s} {'bound':>8s} {'wall s':>7s} {'cpu s':>6s}  found by")
    for case in args.cases.split(","):
        for workers in (1, 2):
            r = run_isolated(__file__, "--case", case, "--workers", str(workers), "--time-limit", str(args.time_limit))
            if isinstance(r, str):
                print(f"{case:40s} {workers:7d} failed: {r}")
                continue
            show = lambda v: f"{'-':>8s}" if v is None else f"{v:8.3f}"  # noqa: E731
            print(f"{case:40s} {workers:7d} {r['status']:>9s} {show(r['worth'])} {show(r['bound'])} {r['wall_s']:7.2f} "
                  f"{r['cpu_s']:6.2f}  {r['found_by']}", flush=True)


if __name__ == "__main__":
    main()
