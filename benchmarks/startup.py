"""Start-up time of `tripplanner --help` and `tripplanner validate` (target: --help under 0.5 s)."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUNS = 5


def measure(args: list[str]) -> float:
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "tripplanner", *args], cwd=ROOT, capture_output=True, check=False)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    cases = {
        "--help": ["--help"],
        "validate (example)": ["validate", "examples/paris-vienna-2017.yaml"],
        "travel": ["travel", "Paris, FR", "Vienna, AT"],
    }
    print(f"median of {RUNS} runs, {sys.executable}")
    for name, args in cases.items():
        print(f"{name:22s} {measure(args):6.3f} s")


if __name__ == "__main__":
    main()
