"""A what-if: the request as written (the baseline) and with `--set` overrides, planned alike and compared."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from tripplanner.api import PlanOutcome, Progress, plan_trip
from tripplanner.compare import Change, Comparison, compare_itineraries, summarize_change
from tripplanner.config import load_catalogs
from tripplanner.errors import Conflict, RequestError
from tripplanner.overrides import OPTION, describe_overrides, parse_overrides
from tripplanner.solver.params import SolveParams
from tripplanner.trip import Trip, parse_request, read_request_text, resolve_trip

LABELS = ("baseline", "what-if")
"""How the two plans are headed in the comparison."""


@dataclass(frozen=True)
class WhatIf:
    """Both plans (either may have none, with its conflicts) and, when both exist, their comparison."""

    overrides: str
    """What the what-if changed: 'window.max_days=6, scoring.travel_cost_per_hour=0'."""
    baseline: PlanOutcome
    whatif: PlanOutcome
    comparison: Comparison | None = None
    change: Change | None = None

    def outcomes(self) -> dict[str, PlanOutcome]:
        """The two outcomes by their label."""
        return dict(zip(LABELS, (self.baseline, self.whatif)))


def plan_whatif(path: Path, overrides: Sequence[str], params: SolveParams = SolveParams(), config: Path | None = None,
                progress: Progress | None = None, stop: threading.Event | None = None) -> WhatIf:
    """Plan a request file as written and with the overrides (FIELD=VALUE), with the same solver settings.

    Both requests are read and validated before either is solved, so a mistyped field costs no solve.
    RequestError when there is no override or one is malformed or invalid."""
    changes = parse_overrides(overrides)
    if not changes:
        raise RequestError(f"a what-if needs at least one {OPTION} FIELD=VALUE, e.g. {OPTION} window.max_days=6")
    text = read_request_text(path)
    catalogs = load_catalogs(config)
    trips = [resolve_trip(*parse_request(text, str(path), given), catalogs) for given in ((), changes)]
    baseline, whatif = [_plan(trip, params, progress, stop) for trip in trips]
    described = describe_overrides(trips[1].source) if trips[1].source else ""
    if baseline.itinerary is None or whatif.itinerary is None:
        return WhatIf(described, baseline, whatif)
    comparison = compare_itineraries([baseline.itinerary, whatif.itinerary], list(LABELS))
    return WhatIf(described, baseline, whatif, comparison, summarize_change(baseline.itinerary, whatif.itinerary))


def _plan(trip: Trip, params: SolveParams, progress: Progress | None, stop: threading.Event | None) -> PlanOutcome:
    """The trip planned, or marked interrupted unsolved when a stop was asked before its turn came."""
    if stop is not None and stop.is_set():
        return PlanOutcome(trip, None, "interrupted", [Conflict("interrupted before it was planned")])
    return plan_trip(trip, params, progress=progress, stop=stop)
