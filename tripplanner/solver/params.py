"""Tunables of the solver, travelling together in one object."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

from tripplanner.solver.route import Profile


STEPS_PER_SECOND = 20_000
"""Exhaustive-search steps (one stop timed and bounded; see solver/exact.py) per second of time
limit. Measured on 2 cores: 20,000-39,000 steps/s on the bundled examples and generated trips of
10-35 candidates, so the step count, not the clock cap, ends a search."""
WORK_PER_SECOND = 60_000
"""Local-search work units (stops timed, detours priced; see solver/moves.py) per second of
time limit. Measured on 2 cores: 57,000-143,000 units/s over the examples and generated trips of
10-200 candidates (the slowest on 50 candidates, 14 days, where the whole-stay moves do most;
44,000-107,000 before stops already timed were charged less), so the work count, not the clock
cap (heuristic_clock_share), ends the search there."""
PLAIN_WORK_PER_SECOND = 500_000
"""The same on plain time-window problems (no day rules: the OPTW benchmark), where a route is
timed without the rule book's machinery and insertions are priced all at once: measured on 2 cores,
414,000-798,000 units/s on six Solomon and five Cordeau instances (48-216 customers)."""


@dataclass(frozen=True)
class SolveParams:
    time_limit_s: float = 10.0
    """Wall-clock budget for the whole solve (heuristic + CP-SAT)."""
    workers: int = 1
    """1: one search at a time, each stopped by counted work, so the same request gives the same
    plan. 2 or more: the local search and CP-SAT run side by side for the whole time limit (CP-SAT
    on workers - 1 threads; on the day-indexed relaxation where it bounds the trip), stopped by the
    clock: better plans and bounds on large trips, but a re-run may differ."""
    seed: int = 0
    heuristic_share: float = 0.3
    """Fraction of the time limit the local search may use before CP-SAT starts, counted in work
    units (WORK_PER_SECOND) so that a re-run stops at the same point."""
    heuristic_clock_share: float = 0.5
    """Wall-clock cap on the local search, as a fraction of the time limit: a safety net for slow
    or loaded machines (when it ends the search, the plan says a re-run may differ)."""
    day_bound_heuristic_share: float = 0.6
    """heuristic_share on trips the day-indexed relaxation bounds (above the exhaustive search's size),
    where CP-SAT's route model adds nothing in 10 s and runs only after a relaxation small enough for
    CP-SAT to search, with what is left: on the generated trips of 30-60 candidates it never improved
    the route or the bound (2.4-4.6 s spent on 50 x 14 and 60 x 21), while the local search with 0.6
    instead of 0.3 found better routes on three of seven (30 x 14 seed 1: -10.568 -> -10.077 points,
    60 x 21: 9.010 -> 10.309, seed 1: 4.318 -> 4.368) and none worse."""
    day_bound_heuristic_clock_share: float = 0.75
    """heuristic_clock_share on those trips: their local search took 2.1-4.6 s for 0.6 x 10 s of work."""
    heuristic_iterations: int = 400
    """Perturbation rounds of the local search; a count, not a time, so results repeat."""
    exact_share: float = 0.5
    """Fraction of the time limit the exhaustive search may use (counted in steps, STEPS_PER_SECOND)
    on trips small enough for it to start after a short local search (solve.QUICK_START_MAX_NODES);
    CP-SAT only runs when it does not settle the trip."""
    exact_share_larger: float = 0.3
    """The same on larger trips, where the local search has used its own share first."""
    day_bound_share: float = 0.5
    """Fraction of the time limit for the day-indexed relaxation (solver/daybound/) on trips the
    exhaustive search did not settle: a bound on worth, often with a better route; when the route
    reaches the bound, CP-SAT is not needed. Its own budget is deterministic."""
    exact_clock_share: float = 0.95
    """The clock's safety net for the exhaustive search: it may run until this share of the time
    limit has passed since the solve began. Its steps (exact_share) end it first on a machine as
    fast as STEPS_PER_SECOND assumes; on a slower one (11,000-16,000 steps/s measured on the
    2-core machines this project's CI runs on) the net must not come sooner, or a re-run may
    differ. 0.7 of the limit from the search's own start was too tight there."""
    clock_slack: float = 1.0
    """Multiplies every wall-clock safety net (the local search's, the exhaustive search's and
    CP-SAT's wall limit). 1 for users; tests that show a re-run repeats on a loaded machine raise
    it, so that the counted budgets, which the claim is about, end every search."""
    use_exact: bool = True
    full_model_max_nodes: int = 90
    """Up to this many nodes CP-SAT gets every arc (and can prove optimality); above it, a sparse graph."""
    sparse_neighbours: int = 12
    """Arcs kept per node in the sparse graph (nearest by travel time), besides anchors and the warm start."""
    use_cpsat: bool = True
    objective: Profile = Profile.VALUE
    """What comes first: value, travel, co2 or days; value second, travel last (solver/route.py)."""
    deterministic_share: float = 0.3
    """CP-SAT's deterministic budget as a fraction of its wall-clock budget. Interleaved search
    takes about 2x its deterministic limit in wall time on 2 cores (1.65-1.8x the deterministic
    time it reports, which overshoots the limit by up to 20 %; measured on the examples), so 0.3
    lets the deterministic limit, not the clock, end the search even on a loaded machine (0.4 left
    too little margin under the test suite): same answer every run. The wall clock stays a safety
    net; when it ends a search the result says so."""


    def local_search_shares(self, day_bound: bool) -> tuple[float, float]:
        """(work share, clock share) of the time limit for the local search: the whole limit without
        CP-SAT; on trips the day-indexed relaxation proves (day_bound), the day_bound_ ones."""
        if not self.use_cpsat:
            return 1.0, 1.0
        if day_bound:
            return self.day_bound_heuristic_share, self.day_bound_heuristic_clock_share
        return self.heuristic_share, self.heuristic_clock_share


@dataclass(frozen=True)
class Diversity:
    """Routes an alternative must differ from: by at least min_cities visited cities, or by order."""

    routes: tuple[tuple[int, ...], ...] = field(default=())
    min_cities: int = 1
    order_only: bool = False
    """Allow the same cities, but in a different order (when no other city fits)."""
    max_travel_min: int | None = None
    """A cap on total travel minutes (for the value/travel trade-off frontier)."""


class Budget:
    """What a search may spend: work units (counted, so a re-run stops at the same point), a
    wall-clock deadline as a safety net, and an optional stop request (Ctrl-C)."""

    def __init__(self, seconds: float, stop: threading.Event | None = None, work: int | None = None):
        self.seconds = seconds
        self.deadline = time.monotonic() + seconds
        self.stop = stop
        self.work_limit = work
        self.work = 0
        self.expired = False
        """The clock, not the work count, ended a search: a re-run may differ."""

    def stopped(self) -> bool:
        return self.stop is not None and self.stop.is_set()

    def charge(self, units: int) -> None:
        self.work += units

    def spent(self) -> float:
        """The share of the budget spent: of the work units when they are counted (so a decision
        on it repeats), else of the clock."""
        if self.work_limit:
            return self.work / self.work_limit
        return 1 - (self.deadline - time.monotonic()) / self.seconds if self.seconds > 0 else 1.0

    def over(self) -> bool:
        if self.work_limit is not None and self.work >= self.work_limit:
            return True
        if time.monotonic() > self.deadline:
            self.expired = True
        return self.expired or (self.stop is not None and self.stop.is_set())
