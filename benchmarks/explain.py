"""How long `plan --explain` takes, per bundled example (and a generated trip), against the plan alone.

Each case runs the real command in its own process, `tripplanner plan CASE --explain --time-limit T
--quiet --out FILE`, and the same without --explain; it prints the candidates left out, the seconds of
each run, and the verdicts the explanation gave (reason: count). Target (issue 15): the whole command
within the time limit plus 2 s on 2 cores, whatever the number of left-out candidates.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _run(request: Path, time_limit: float, explain: bool, out: Path) -> tuple[float, int]:
    command = [str(Path(sys.executable).with_name("tripplanner")), "plan", str(request), "--quiet", "--force",
               "--time-limit", str(time_limit), "--out", str(out)] + (["--explain"] if explain else [])
    started = time.monotonic()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    return time.monotonic() - started, done.returncode


def _cases(generated: str, folder: Path) -> list[tuple[str, Path]]:
    cases = [(str(p.relative_to(ROOT)), p) for p in sorted((ROOT / "examples").glob("*.yaml"))]
    for spec in filter(None, generated.split(",")):
        from benchmarks.generated import generated_request

        candidates, days = spec.split(":")
        path = folder / f"gen-{candidates}-{days}.yaml"
        path.write_text(generated_request(int(candidates), int(days)))
        cases.append((f"gen:{candidates}:{days}", path))
    return cases


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--time-limit", type=float, default=5.0)
    parser.add_argument("--generated", default="30:7", help="Generated trips CANDIDATES:DAYS, comma-separated ('' for none).")
    args = parser.parse_args()
    print(f"time limit {args.time_limit:g} s; target: plan --explain within {args.time_limit + 2:g} s")
    print(f"{'case':40s} {'left out':>8s} {'plan s':>7s} {'explain s':>9s}  verdicts")
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "plan.json"
        for name, path in _cases(args.generated, Path(folder)):
            plan_s, _ = _run(path, args.time_limit, False, out)
            explain_s, code = _run(path, args.time_limit, True, out)
            if code not in (0, 130) or not out.exists():
                print(f"{name:40s} exit {code}")
                continue
            left_out = json.loads(out.read_text())["left_out"]
            verdicts = ", ".join(f"{reason} {n}" for reason, n in sorted(Counter(x["reason"] for x in left_out).items()))
            print(f"{name:40s} {len(left_out):8d} {plan_s:7.2f} {explain_s:9.2f}  {verdicts}", flush=True)


if __name__ == "__main__":
    main()
