"""The plain, frozen routing problem the solver works on: integer minutes, indices, scores.

It knows nothing of YAML, cities or pydantic, so any single-route problem with time windows
(a trip, or a public benchmark instance) can be fed to the same solver.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property


class NodeKind(StrEnum):
    START = "start"
    END = "end"
    ANCHOR = "anchor"
    VISIT = "visit"
    NIGHT = "night"
    """A booked night: fixed in place and time like an anchor, no leg to or from its own city."""


ENGAGEMENTS = (NodeKind.ANCHOR, NodeKind.VISIT)
"""What the delegation attends: the rest after a long-haul arrival protects these."""
FIXED_IN_TIME = (NodeKind.ANCHOR, NodeKind.NIGHT)
"""Stops with one fixed time: a route visits them in time order."""


@dataclass(frozen=True)
class Window:
    """Allowed start times [earliest, latest] (absolute minutes) and the trip day they fall on."""

    earliest: int
    latest: int
    day: int = 0


@dataclass(frozen=True)
class Node:
    kind: NodeKind
    location: int
    service_min: int
    windows: tuple[Window, ...]
    score: int = 0
    """Value in hundredths of a value point (0 for start and end)."""
    mandatory: bool = False
    theme: int = -1
    """Index into Problem.themes, or -1."""
    group: int = -1
    """City index for the first-visit bonus and pins, or -1."""
    buffer_min: int = 0
    """Arrival from another city at least this long before the start (anchor buffer, arrival buffer)."""
    leave_min: int = 0
    """A leg to another city departs at least this long after the end (the departure buffer after an anchor)."""
    label: str = ""


@dataclass(frozen=True)
class LocationCalendar:
    """Per-location clock facts: nights and trip-day boundaries in absolute minutes."""

    nights: tuple[tuple[int, int], ...] = ()
    """Local night intervals [start, end) in which short legs may not depart or arrive."""
    day_starts: tuple[int, ...] = ()
    """Absolute minute at which each trip day begins locally (the end of the night)."""
    midnights: tuple[int, ...] = ()
    """Absolute minute of each local midnight, one per date of the trip's calendar (the same dates everywhere)."""

    def date_of(self, t: int) -> int:
        """Index of the local calendar date of instant t."""
        return bisect_right(self.midnights, t) - 1

    def in_night(self, t: int) -> bool:
        return self.night_end_after(t) != t

    def night_end_after(self, t: int) -> int:
        """End of the night containing t (t itself if not in a night)."""
        index = bisect_right(self.nights, (t, 1 << 60)) - 1
        if index >= 0 and self.nights[index][0] <= t < self.nights[index][1]:
            return self.nights[index][1]
        return t

    def night_starting_in(self, after: int, before: int) -> int | None:
        """End of the first night that starts strictly between after and before, if any."""
        index = bisect_right(self.nights, (after, 1 << 60))
        if index < len(self.nights) and self.nights[index][0] < before:
            return self.nights[index][1]
        return None

    def day_of(self, t: int) -> int:
        """Trip day index of instant t in this location (0 before the first boundary)."""
        return max(0, bisect_right(self.day_starts, t) - 1)

    def day_start(self, day: int) -> int | None:
        return self.day_starts[day] if 0 <= day < len(self.day_starts) else None


@dataclass(frozen=True)
class DayRules:
    """Rules about days; absent for benchmark instances that have none."""

    max_travel_min_per_day: int
    """On every leg, counted on the arrival's local trip day (rulebook.counted_travel)."""
    min_rest_min: int
    """Between two activities in one city on different trip days."""
    long_haul_min: int
    long_haul_rest_min: int
    max_visits_per_day: int
    home_midnights: tuple[int, ...]
    """Absolute minute of each home-local midnight, from the first window day."""
    max_days: int

    def is_long_haul(self, minutes: int) -> bool:
        return minutes >= self.long_haul_min


@dataclass(frozen=True)
class Problem:
    """A single route from node 0 (start) to node 1 (end) through chosen nodes."""

    nodes: tuple[Node, ...]
    travel_min: tuple[tuple[int, ...], ...]
    """Location x location door-to-door minutes."""
    calendars: tuple[LocationCalendar, ...]
    max_leg_min: int
    themes: tuple[str, ...] = ()
    repeat_per_mille: int = 1000
    """Second and later nodes on one theme count at this fraction (x1000)."""
    travel_cost_per_hour: int = 0
    """What an hour of the mayor's travel costs, in value units (objective.worth)."""
    group_bonus: tuple[int, ...] = ()
    """Per group (city): bonus in hundredths when at least one of its nodes is visited."""
    required_groups: tuple[int, ...] = ()
    max_locations: int | None = None
    """Distinct locations a route may stop at, home not counted (limits.max_cities)."""
    split_stays: bool = True
    """Whether a location may have two stays without a fixed node (anchor, booked night) in each."""
    max_hotel_changes: int | None = None
    """Nights in another city than the night before, at most (limits.max_hotel_changes)."""
    overnight_legs: bool = True
    """Whether a short leg may travel through the night of its origin (limits.overnight_legs)."""
    days: DayRules | None = None
    travel_km: tuple[tuple[float, ...], ...] = ()
    co2_kg: tuple[tuple[float, ...], ...] = ()
    names: tuple[str, ...] = field(default=())
    """Location names, for logs and tests only."""

    START = 0
    END = 1

    @cached_property
    def travel_weight(self) -> int:
        """Larger than any route's travel minutes, so value x weight - travel ranks value first."""
        windows = [w for n in self.nodes for w in n.windows]
        horizon = max(w.latest for w in windows) - min(w.earliest for w in windows)
        return max(horizon, sum(max(row) for row in self.travel_min)) + 1

    @property
    def size(self) -> int:
        return len(self.nodes)

    def travel(self, i: int, j: int) -> int:
        a, b = self.nodes[i], self.nodes[j]
        if a.location == b.location and NodeKind.NIGHT in (a.kind, b.kind):
            return 0
        return self.travel_min[a.location][b.location]

    def co2_tenths(self, i: int, j: int) -> int:
        """CO2 of the leg from node i to node j, tenths of a kilogram (0 without a CO2 matrix)."""
        if not self.co2_kg or self.travel(i, j) == 0:
            return 0
        return round(self.co2_kg[self.nodes[i].location][self.nodes[j].location] * 10)

    def is_long_haul(self, minutes: int) -> bool:
        return self.days is not None and minutes >= self.days.long_haul_min

    @property
    def optional(self) -> list[int]:
        return [i for i, n in enumerate(self.nodes) if n.kind in (NodeKind.VISIT, NodeKind.ANCHOR) and not n.mandatory]

    @property
    def mandatory(self) -> list[int]:
        return [i for i, n in enumerate(self.nodes) if n.kind in (NodeKind.VISIT, NodeKind.ANCHOR, NodeKind.NIGHT) and n.mandatory]
