"""A live status line while solving: elapsed time, best value found, best bound."""

from __future__ import annotations

import time
from contextlib import contextmanager

from rich.console import Console
from rich.live import Live
from rich.text import Text

from tripplanner.solver.objective import worth_points

class SolveStatus:
    def __init__(self, label: str):
        self.label = label
        self.started = time.monotonic()
        self.best: float | None = None
        self.bound: float | None = None

    def update(self, best: int | None, bound: int | None) -> None:
        if best is not None:
            self.best = worth_points(best) if self.best is None else max(self.best, worth_points(best))
        if bound is not None:
            self.bound = worth_points(bound)

    def __rich__(self) -> Text:
        parts = [f"{self.label}: {time.monotonic() - self.started:5.1f} s"]
        parts.append(f"best worth {self.best:.2f}" if self.best is not None else "searching for a first plan")
        if self.bound is not None:
            parts.append(f"bound {self.bound:.2f}")
        return Text("  ".join(parts), style="cyan")


@contextmanager
def solve_status(console: Console, label: str, quiet: bool):
    """Yields a progress callback; shows a transient live line on a terminal unless quiet."""
    status = SolveStatus(label)
    if quiet or not console.is_terminal:
        yield status.update
        return
    with Live(status, console=console, refresh_per_second=4, transient=True):
        yield status.update
