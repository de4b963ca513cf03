"""Hardening figures: time to refuse each bad input, time-limit overrun on big trips, Ctrl-C stop delay.

    python benchmarks/hardening.py
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def bad_inputs() -> None:
    files = sorted((ROOT / "tests" / "data" / "bad").glob("*.yaml"))
    timings = []
    for path in files:
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "tripplanner", "validate", str(path)], capture_output=True, text=True)
        timings.append((time.perf_counter() - started, path.name, done.returncode, "Traceback" in done.stderr))
    with tempfile.TemporaryDirectory() as folder:
        big = Path(folder) / "big.yaml"
        with big.open("wb") as stream:
            stream.truncate(50 * 1024 * 1024)
        for path in (big, Path(folder)):
            started = time.perf_counter()
            done = subprocess.run([sys.executable, "-m", "tripplanner", "validate", str(path)], capture_output=True, text=True)
            timings.append((time.perf_counter() - started, path.name or "folder", done.returncode, "Traceback" in done.stderr))
        pipe = Path(folder) / "pipe.yaml"
        os.mkfifo(pipe)
        plan = ROOT / "tests" / "data" / "plans" / "paris-vienna-2017-1.json"
        naive = Path(folder) / "naive.json"
        naive.write_text(re.sub(r'(T\d\d:\d\d:\d\d)[+-]\d\d:\d\d"', r'\1"', plan.read_text()))
        for name, args in (("/dev/zero to validate", ["validate", "/dev/zero"]),
                           ("/dev/zero to plan", ["plan", "/dev/zero", "--quiet"]),
                           ("named pipe to validate", ["validate", str(pipe)]),
                           ("named pipe to plan", ["plan", str(pipe), "--quiet"]),
                           ("named pipe to show", ["show", str(pipe)]),
                           ("plan without offsets to verify", ["verify", str(ROOT / "examples" / "paris-vienna-2017.yaml"), str(naive)])):
            started = time.perf_counter()
            done = subprocess.run([sys.executable, "-m", "tripplanner", *args], capture_output=True, text=True, timeout=60,
                                  stdin=subprocess.DEVNULL)
            timings.append((time.perf_counter() - started, name, done.returncode, "Traceback" in done.stderr))
    for seconds, name, code, _ in sorted(timings, key=lambda t: t[1]):
        print(f"  {name:44s} exit {code}  {seconds:5.2f} s")
    timings.sort(reverse=True)
    print(f"bad inputs: {len(timings)}; exit codes {sorted({t[2] for t in timings})}; tracebacks {sum(t[3] for t in timings)}")
    print("slowest: " + ", ".join(f"{name} {seconds:.2f} s" for seconds, name, _, _ in timings[:3]))


def time_limits(candidates: int = 500, days: int = 14) -> None:
    from benchmarks.generated import generated_request
    from tripplanner.api import load_trip_text
    from tripplanner.solver.build import build_problem
    from tripplanner.solver.objective import value_points
    from tripplanner.solver.params import SolveParams
    from tripplanner.solver.solve import solve

    problem, _ = build_problem(load_trip_text(generated_request(candidates, days)))
    for limit in (2.0, 5.0, 10.0):
        started = time.perf_counter()
        result = solve(problem, SolveParams(time_limit_s=limit))
        elapsed = time.perf_counter() - started
        print(f"{candidates} candidates x {days} days, limit {limit:4.1f} s: solve took {elapsed:5.2f} s "
              f"(overrun {elapsed - limit:+.2f} s), {result.status}, value {value_points(result.route.value) if result.route else 0:g}")


INTERRUPTIONS = (
    # (candidates, days, time limit, workers, signal after seconds, what runs then)
    (50, 14, 120, 1, 8.0, "the local search"),
    (60, 21, 10, 1, 5.5, "the plain linear program"),
    (60, 21, 10, 2, 5.5, "the copies' linear program beside the local search"),
)
"""Where each stage runs by the clock on this machine (a process starts in about 1.5 s): the 60 x 21
trip's plain LP from about 4.6 to 6.3 s with one worker; with two, the copies' LP from about 2 s to
the limit."""


def interrupt_delay() -> None:
    """Ctrl-C while each stage of INTERRUPTIONS runs: seconds from the signal to the exit."""
    from benchmarks.generated import generated_request

    for candidates, days, limit, workers, after, stage in INTERRUPTIONS:
        with tempfile.TemporaryDirectory() as folder:
            request, out = Path(folder) / "trip.yaml", Path(folder) / "plan.json"
            request.write_text(generated_request(candidates, days))
            process = subprocess.Popen([sys.executable, "-m", "tripplanner", "plan", str(request),
                                        "--time-limit", str(limit), "--workers", str(workers), "--quiet",
                                        "--out", str(out)],
                                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            time.sleep(after)
            sent = time.perf_counter()
            process.send_signal(signal.SIGINT)
            process.communicate(timeout=60)
            print(f"Ctrl-C during {stage} ({candidates} candidates x {days} days, {workers} worker(s), "
                  f"at {after:g} s): exited {process.returncode} {time.perf_counter() - sent:.2f} s after SIGINT; "
                  f"plan saved: {out.exists()}")


if __name__ == "__main__":
    bad_inputs()
    interrupt_delay()
    time_limits()
