"""Each benchmark case in a process of its own: a fresh interpreter, so its time, peak memory and
caches are its own."""

from __future__ import annotations

import json
import subprocess
import sys


def run_isolated(script: str, *args: str) -> dict | str:
    """What `python script *args` prints as JSON, or why it failed (its last line of errors)."""
    out = subprocess.run([sys.executable, script, *args], capture_output=True, text=True, check=False)
    if out.returncode != 0:
        lines = out.stderr.strip().splitlines()
        return lines[-1] if lines else str(out.returncode)
    return json.loads(out.stdout)
