"""A live status line while solving: what is being done, elapsed time, best value found, best bound."""

from __future__ import annotations

import time
from contextlib import contextmanager

from rich.console import Console
from rich.live import Live
from rich.text import Text

from tripplanner.solver.objective import worth_points

class SolveStatus:
    """The status line's state; called as the solver's progress callback, told of a new phase by set_phase."""

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

    __call__ = update

    def set_phase(self, label: str) -> None:
        """What is being done now ('explaining 3/7'), in place of the label it started with."""
        self.label = label

    def __rich__(self) -> Text:
        parts = [f"{self.label}: {time.monotonic() - self.started:5.1f} s"]
        parts.append(f"best worth {self.best:.2f}" if self.best is not None else "searching for a first plan")
        if self.bound is not None:
            parts.append(f"bound {self.bound:.2f}")
        return Text("  ".join(parts), style="cyan")


@contextmanager
def solve_status(console: Console, label: str, quiet: bool):
    """Yields the status as a progress callback (with set_phase); shows a transient live line on a
    terminal unless quiet."""
    status = SolveStatus(label)
    if quiet or not console.is_terminal:
        yield status
        return
    with Live(status, console=console, refresh_per_second=4, transient=True):
        yield status
