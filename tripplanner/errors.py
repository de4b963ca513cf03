"""The project's errors and the process exit codes they map to."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum


class ExitCode(IntEnum):
    """Process exit codes, the same for every command."""

    OK = 0
    NO_PLAN = 1
    """No feasible plan, or a plan that fails verification."""
    BAD_INPUT = 2
    """Bad request file, bad catalog, bad usage."""
    INTERRUPTED = 130


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, pointing at where it is."""

    message: str
    path: str = ""
    """Dotted field path in the request, e.g. ``anchors[1].start``."""
    line: int | None = None
    """1-based line in the file, where known."""
    hint: str = ""
    origin: str = ""
    """The command-line option the value came from instead of the file (``--set window.max_days=10``), if any."""

    def __str__(self) -> str:
        marks = ([f"line {self.line}"] if self.line is not None else []) + ([self.origin] if self.origin else [])
        where = self.path or ("" if self.origin else "(file)")
        if marks:
            where = f"{where} ({', '.join(marks)})" if where else ", ".join(marks)
        text = f"{where}: {self.message}"
        return f"{text} — {self.hint}" if self.hint else text


MAX_LISTED_PROBLEMS = 50
"""An error lists its first 50 problems and counts the rest: a file with thousands of mistakes
gets a readable answer, quickly."""


class TripPlannerError(Exception):
    """Base of every error the tool reports to the user without a traceback."""

    exit_code: ExitCode = ExitCode.BAD_INPUT

    def __init__(self, message: str, problems: list[Problem] | None = None, source: str = ""):
        super().__init__(message)
        self.message = message
        self.problems = list(problems or [])
        self.source = source

    def __str__(self) -> str:
        head = f"{self.source}: {self.message}" if self.source else self.message
        if not self.problems:
            return head
        listed = "\n".join(f"  - {p}" for p in self.problems[:MAX_LISTED_PROBLEMS])
        more = len(self.problems) - MAX_LISTED_PROBLEMS
        return f"{head}\n{listed}" + (f"\n  ... and {more:,} more" if more > 0 else "")


class RequestError(TripPlannerError):
    """The trip request file is unreadable, malformed or inconsistent."""


class CatalogError(TripPlannerError):
    """A catalog (cities, airports, projects, relations, travel settings) is wrong or a lookup failed."""


class PlanFileError(TripPlannerError):
    """An itinerary JSON file is unreadable or does not match the schema."""


class OutputError(TripPlannerError):
    """An output file cannot be written (exists without --force, bad directory)."""


class VerificationError(TripPlannerError):
    """An itinerary breaks one or more rules of its request."""

    exit_code = ExitCode.NO_PLAN


@dataclass
class Conflict:
    """A rule or group of rules that cannot all hold, in words (with the shortfall where measurable)."""

    description: str
