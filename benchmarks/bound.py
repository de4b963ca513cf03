"""How tight the day-indexed bound (solver/daybound/) is, next to CP-SAT's, on the examples and on
generated trips.

For each case: nodes; the plan's worth from solve() at a 10 s limit; the proven bound of that solve
(value_bound: since the relaxation joined solve(), the day bound or CP-SAT's, whichever is tighter;
often none before); the day bound alone, run again with its own budget, and its seconds; the gap 100 x (bound - worth) /
|bound| of each; and the worth of the relaxation's best solution read back as a route (make_route),
when it is one: a route the plan could have had. All in value points (objective.worth_points).
Each case runs in its own process, one after the other (2 shared cores).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.isolated import run_isolated  # noqa: E402

GENERATED = ["gen:12:7", "gen:20:10", "gen:30:14", "gen:30:14:1", "gen:40:14", "gen:50:14", "gen:50:14:1", "gen:60:21",
             "gen:60:21:1"]


def load_problem(case: str):
    from benchmarks.generated import load_case
    from tripplanner.solver.build import build_problem

    trip = load_case(case, ROOT)
    return build_problem(trip)[0]


def run_case(case: str, time_limit: float, bound_seconds: float) -> dict:
    from tripplanner.solver.daybound import day_bound
    from tripplanner.solver.objective import value_points, worth_points
    from tripplanner.solver.params import SolveParams
    from tripplanner.solver.route import make_route
    from tripplanner.solver.solve import solve

    problem = load_problem(case)
    result = solve(problem, SolveParams(time_limit_s=time_limit))
    worth = result.route.worth if result.route is not None else None
    started = time.monotonic()
    found = day_bound(problem, bound_seconds)
    seconds = time.monotonic() - started
    relaxed = make_route(problem, found.nodes) if found is not None and found.nodes else None

    def gap(bound):
        if bound is None or worth is None:
            return None
        return 100.0 * (bound - worth) / max(1, abs(bound))

    points = lambda units: None if units is None else round(worth_points(units), 3)  # noqa: E731
    return {
        "case": case, "nodes": problem.size, "status": str(result.status), "worth": points(worth),
        "value": None if result.route is None else round(value_points(result.route.value), 3),
        "solve_bound": points(result.value_bound), "solve_gap": gap(result.value_bound),
        "day_bound": points(found.bound if found else None), "day_solved": bool(found and found.solved),
        "day_s": round(seconds, 2), "day_gap": gap(found.bound if found else None),
        "relaxed_route": points(relaxed.worth if relaxed else None),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--case")
    parser.add_argument("--time-limit", type=float, default=10.0)
    parser.add_argument("--bound-seconds", type=float, default=4.0)
    parser.add_argument("--cases", help="comma-separated cases (example paths or gen:CANDIDATES:DAYS[:SEED])")
    args = parser.parse_args()
    if args.case:
        print(json.dumps(run_case(args.case, args.time_limit, args.bound_seconds)))
        return
    if args.cases:
        cases = args.cases.split(",")
    else:
        cases = [str(p.relative_to(ROOT)) for p in sorted((ROOT / "examples").glob("*.yaml"))] + GENERATED
    print(f"solve {args.time_limit:g} s, day bound {args.bound_seconds:g} s; worth and bounds in value points; "
          "gap = 100 (bound - worth) / |bound|; points = bound - worth, also as % of the plan's value (before "
          "travel: worths near zero make the first gap large for a few points); * = relaxation solved to optimality")
    print(f"{'case':40s} {'nodes':>5s} {'status':>9s} {'worth':>8s} {'solve':>8s} {'gap%':>7s} {'points':>7s} {'%value':>7s} "
          f"{'day':>9s} {'gap%':>7s} {'day s':>6s} {'relaxed route':>13s}")
    for case in cases:
        r = run_isolated(__file__, "--case", case, "--time-limit", str(args.time_limit), "--bound-seconds", str(args.bound_seconds))
        if isinstance(r, str):
            print(f"{case:40s} failed: {r}")
            continue
        show = lambda v, f="{:8.3f}": "-".rjust(len(f.format(0))) if v is None else f.format(v)  # noqa: E731
        day = "-" if r["day_bound"] is None else f"{r['day_bound']:.3f}{'*' if r['day_solved'] else ' '}"
        points = None if r["solve_bound"] is None or r["worth"] is None else r["solve_bound"] - r["worth"]
        of_value = None if points is None or not r["value"] else 100 * points / r["value"]
        print(f"{case:40s} {r['nodes']:5d} {r['status']:>9s} {show(r['worth'])} {show(r['solve_bound'])} "
              f"{show(r['solve_gap'], '{:7.1f}')} {show(points, '{:7.3f}')} {show(of_value, '{:7.1f}')} {day:>9s} {show(r['day_gap'], '{:7.1f}')} {r['day_s']:6.2f} "
              f"{show(r['relaxed_route'], '{:13.3f}')}", flush=True)


if __name__ == "__main__":
    main()
