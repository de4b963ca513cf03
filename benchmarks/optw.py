"""Solve OPTW benchmark instances with tripplanner's solver and its peers; compare with best-known scores.

    python benchmarks/optw.py ../shared/bench/optw --time-limit 10 --solvers tripplanner,pyvrp --csv out.csv
    python benchmarks/optw.py benchmarks/data/optw-cordeau --time-limit 10,60 --solvers tripplanner,pyvrp

Reads every *.txt instance in DIR and DIR/BKS.csv; solves one instance with one solver and one
time limit at a time (fair timings); checks every tour independently (an infeasible tour scores
0); prints a table per instance and averages per family (c1, c2, r1, r2, rc1, rc2, pr) for each
solver and time limit. Peers need the `bench` extra: pip install -e '.[bench]'.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.optw_peers import SOLVERS  # noqa: E402
from tripplanner.solver.optw import check_tour, read_optw  # noqa: E402

COLUMNS = ["instance", "solver", "time_limit", "score", "bks", "gap_pct", "seconds", "proven", "feasible", "route"]


def family(name: str) -> str:
    match = re.match(r"([a-z]+)(\d)", name)
    return f"{match.group(1)}{match.group(2)}" if match and match.group(1) != "pr" else re.sub(r"\d+", "", name)


def load_bks(folder: Path) -> dict[str, int]:
    with (folder / "BKS.csv").open() as stream:
        return {row["instance"]: int(row["bks"]) for row in csv.DictReader(stream) if row["bks"]}


def _earlier_tours(path: Path) -> dict[tuple[str, str, float], tuple[list[int], bool, float]]:
    """(instance, solver, time limit) -> (tour, proven, seconds) from a CSV this script wrote."""
    with path.open(newline="") as stream:
        return {(row["instance"], row["solver"], float(row["time_limit"])):
                ([int(c) for c in row["route"].split()], row["proven"] == "true", float(row["seconds"]))
                for row in csv.DictReader(stream) if row["solver"] != "tripplanner"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--time-limit", default="10", help="seconds per solve; several, comma-separated, run side by side")
    parser.add_argument("--solvers", default="tripplanner,ortools-routing,pyvrp,vroom")
    parser.add_argument("--instances", default="", help="comma-separated names; default all")
    parser.add_argument("--decimals", type=int, default=None, help="distance truncation (default 1, 2 for pr*)")
    parser.add_argument("--csv", type=Path, default=None)
    parser.add_argument("--peers-from", type=Path, default=None,
                        help="an earlier run's CSV: its tours for the solvers listed but not run now (re-checked, said so)")
    args = parser.parse_args()
    earlier = _earlier_tours(args.peers_from) if args.peers_from else {}
    bks = load_bks(args.folder)
    names = args.instances.split(",") if args.instances else sorted(p.stem for p in args.folder.glob("*.txt"))
    limits = [float(x) for x in args.time_limit.split(",")]
    chosen = args.solvers.split(",")
    unknown = [s for s in chosen if s not in SOLVERS]
    if unknown:
        parser.error(f"unknown solver(s) {unknown}; known: {', '.join(SOLVERS)}")
    runs = [(solver, limit) for limit in limits for solver in chosen]
    solvers = [f"{solver}@{limit:g}s" if len(limits) > 1 else solver for solver, limit in runs]
    rows = []
    print(f"time limit {args.time_limit} s per instance and solver")
    if earlier:
        reused = sorted({solver for _, solver, _ in earlier})
        print(f"tours of {', '.join(reused)} from {args.peers_from.name} (an earlier run on this machine), each re-checked here")
    print(f"{'instance':10s} {'bks':>6s} " + " ".join(f"{s[:14]:>14s} {'gap%':>6s} {'s':>5s}" for s in solvers))
    for name in names:
        instance = read_optw(args.folder / f"{name}.txt", args.decimals)
        cells = []
        for (solver_name, limit), solver in zip(runs, solvers):
            started = time.monotonic()
            if (name, solver_name, limit) in earlier:
                tour, proven, seconds = earlier[(name, solver_name, limit)]
            else:
                tour, proven = SOLVERS[solver_name](instance, limit)
                seconds = time.monotonic() - started
            feasible, score, _ = check_tour(instance, tour)
            best = bks.get(name)
            gap = round(100 * (best - score) / best, 3) if best else None
            rows.append({"instance": name, "solver": solver_name, "time_limit": limit, "label": solver, "score": score, "bks": best, "gap_pct": gap,
                         "seconds": round(seconds, 2), "proven": str(proven and feasible).lower(),
                         "feasible": str(feasible).lower(), "route": " ".join(map(str, tour))})
            mark = "" if feasible else "!"
            cells.append(f"{score:>13d}{mark:1s} {gap if gap is not None else float('nan'):6.2f} {seconds:5.1f}")
        print(f"{name:10s} {bks.get(name, 0):6d} " + " ".join(cells), flush=True)
    print("\naverage gap % per family")
    by_family: dict[tuple[str, str], list[float]] = defaultdict(list)
    for row in rows:
        if row["gap_pct"] is not None:
            by_family[(family(row["instance"]), row["label"])].append(row["gap_pct"])
    families = sorted({f for f, _ in by_family})
    print(f"{'family':8s} " + " ".join(f"{s[:14]:>14s}" for s in solvers))
    for fam in families + ["all"]:
        cells = []
        for solver in solvers:
            gaps = [g for (f, s), values in by_family.items() if s == solver and (fam == "all" or f == fam) for g in values]
            cells.append(f"{sum(gaps) / len(gaps):14.2f}" if gaps else f"{'-':>14s}")
        print(f"{fam:8s} " + " ".join(cells))
    first, peers = chosen[0], chosen[1:]
    for limit in limits:
        scores = {(r["instance"], r["solver"]): r["score"] for r in rows if r["time_limit"] == limit}
        for peer in peers:
            pairs = [(scores[(n, first)], scores[(n, peer)]) for n in names]
            better = sum(a > b for a, b in pairs)
            worse = sum(a < b for a, b in pairs)
            total = sum(a for a, _ in pairs), sum(b for _, b in pairs)
            print(f"{limit:g} s: {first} vs {peer}: higher on {better}, equal on {len(pairs) - better - worse}, "
                  f"lower on {worse} of {len(pairs)} instances; total score {total[0]} vs {total[1]}")
    if args.csv:
        with args.csv.open("w", newline="") as stream:
            writer = csv.DictWriter(stream, fieldnames=COLUMNS, extrasaction="ignore")
            writer.writeheader()
            writer.writerows(rows)


if __name__ == "__main__":
    main()
