"""Plain time-window problems (no day rules, one window per node, no city rules: the OPTW
instances). There the latest-start test of the local search is exact, so every insertion and every
swap is priced at once with numpy and only the chosen move is timed (3.5 times the rounds per second
on the 216-customer pr19)."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator

import numpy as np

from tripplanner.solver.objective import MINUTES_PER_HOUR
from tripplanner.solver.problem import Problem
from tripplanner.solver.rulebook import marginal_value

PLAIN_SCAN_UNITS = (26, 100)
"""Work units per scan, and places per unit. Fitted on ten Solomon and Cordeau instances (least
squares over 3 s runs): 2.6 us a stop timed (one unit), 68 us a scan, 25 ns a place."""


def plain_time_windows(problem: Problem) -> bool:
    """Whether the latest-start test is exact: no day rules, one window per node, no city rules."""
    return (problem.days is None and all(len(n.windows) == 1 and not n.buffer_min and not n.leave_min for n in problem.nodes)
            and problem.max_locations is None and problem.split_stays and problem.max_hotel_changes is None)


class PlainArrays:
    """A plain time-window problem's data as numpy arrays, and its moves priced all at once."""

    def __init__(self, problem: Problem, travel: list[list[int]]):
        nodes = problem.nodes
        self.per_hour = problem.travel_cost_per_hour
        self.t = np.array(travel, dtype=np.int64)
        self.opens = np.array([n.windows[0].earliest for n in nodes], dtype=np.int64)
        self.closes = np.array([n.windows[0].latest for n in nodes], dtype=np.int64)
        self.service = np.array([n.service_min for n in nodes], dtype=np.int64)
        self.scores = np.array([n.score for n in nodes], dtype=np.int64)
        self.mandatory = np.zeros(len(nodes), dtype=bool)
        self.mandatory[list(problem.mandatory)] = True
        constant = not problem.group_bonus and all(n.theme < 0 for n in nodes)
        self.gains = np.array([marginal_value(problem, n, 0, set()) for n in nodes], dtype=np.int64) if constant else None
        """What each node adds to any route, when that does not depend on the route (no themes, no
        city bonus: the OPTW instances); else None and the gains are asked per route."""
        self.jitter: np.random.Generator | None = None
        """Noise on the ratios, seeded from the search's own generator on first use."""

    def best_insertion(self, nodes: tuple[int, ...], ready: list[int], latest: list[int], pool: list[int],
                       gain_of: Callable[[], Callable[[int], int]], power: float, wait_counts: bool,
                       noise: random.Random | None, noise_share: float) -> tuple | None:
        """(-ratio, detour, node, position) of the best insertion of a pool node that the exact test
        allows and that is worth its travel, or None; ties go to the first node in pool order, then
        the first place. gain_of() gives the route's gain function when gains depend on the route."""
        candidates = np.fromiter(pool, dtype=np.int64, count=len(pool))
        if self.gains is not None:
            gains = self.gains[candidates]
        else:
            gains = np.fromiter(map(gain_of(), pool), dtype=np.int64, count=len(pool))
        keep = (gains > 0) | self.mandatory[candidates]
        candidates, gains = candidates[keep], gains[keep]
        if not len(candidates):
            return None
        routed = np.fromiter(nodes, dtype=np.int64, count=len(nodes))
        before, after = routed[:-1], routed[1:]
        column = candidates[:, None]
        to_node, from_node = self.t[column, before], self.t[column, after]
        detour = to_node + from_node - self.t[before, after]
        arrival = np.asarray(ready[:-1])[None, :] + to_node
        start = np.maximum(self.opens[column], arrival)
        stay = self.service[column]
        fits = (arrival <= self.closes[column]) & (start + stay + from_node <= np.asarray(latest[1:])[None, :])
        if self.per_hour:  # worth(gain, detour) > 0 unless the node is mandatory
            fits &= (detour < (MINUTES_PER_HOUR * gains // self.per_hour)[:, None]) | self.mandatory[column]
        if not fits.any():
            return None
        cost = np.maximum(detour, 0) + stay + 1
        if wait_counts:
            cost = cost + (start - arrival)
        ratio = np.where(fits, (gains.astype(np.float64) ** power)[:, None] / cost, -np.inf)
        if noise is not None:
            if self.jitter is None:
                self.jitter = np.random.default_rng(noise.getrandbits(64))
            ratio[fits] *= self.jitter.uniform(1 - noise_share, 1 + noise_share, int(fits.sum()))
        row, place = np.unravel_index(int(np.argmax(ratio)), ratio.shape)
        return -float(ratio[row, place]), int(detour[row, place]), int(candidates[row]), int(place) + 1

    def allowed_swaps(self, nodes: tuple[int, ...], ready: list[int], latest: list[int],
                      pool: list[int]) -> Iterator[tuple[int, int]]:
        """(position, node) of each swap of a routed optional stop for a pool node of a higher score
        that the exact test allows, place by place, in pool order within a place."""
        routed = np.fromiter(nodes, dtype=np.int64, count=len(nodes))
        current, before, after = routed[1:-1], routed[:-2], routed[2:]
        candidates = np.fromiter(pool, dtype=np.int64, count=len(pool))
        arrival = np.asarray(ready[:-2])[:, None] + self.t[before[:, None], candidates]
        start = np.maximum(self.opens[candidates], arrival)
        allowed = ((self.scores[candidates] > self.scores[current][:, None]) & ~self.mandatory[current][:, None]
                   & (arrival <= self.closes[candidates])
                   & (start + self.service[candidates] + self.t[candidates[None, :], after[:, None]]
                      <= np.asarray(latest[2:])[:, None]))
        for place, column in zip(*np.nonzero(allowed)):
            yield int(place) + 1, int(candidates[column])
