"""Iterated local search for routes with plain time windows (no day rules): O(1) insertion tests.

The classic scheme for the orienteering problem with time windows (Vansteenwegen et al. 2009):
insert the node with the best score^2 / added-time ratio, checking feasibility in constant time
with each stop's wait and 'max shift'; when stuck, remove a segment of the route (shake) and
insert again; a swap move trades a routed node for a better unrouted one. Used by the solver
when the problem has no day rules, as on the public OPTW benchmarks.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from tripplanner.solver.params import Budget
from tripplanner.solver.problem import NodeKind, Problem

INSERTION_POWERS = (1.0, 2.0)
"""score^power / added time: 2 favours high scores (loose windows), 1 favours tight fits."""
NOISE = 0.3
"""Random tilt of insertion ratios after a shake, so repeated rounds explore different orders."""
SHAKE_RESET = 0.5
"""The removed segment grows after each non-improving round and resets past this share of the route."""


def plain_time_windows(problem: Problem) -> bool:
    """Whether the fast search applies: no day rules, one window per node, nothing mandatory."""
    return (problem.days is None and not problem.required_groups and not problem.mandatory
            and all(len(n.windows) == 1 for n in problem.nodes) and problem.repeat_per_mille == 1000
            and not any(problem.group_bonus) and all(n.theme < 0 for n in problem.nodes))


class _Tour:
    """A route with per-stop start, wait and max shift, kept consistent after each change."""

    def __init__(self, problem: Problem, nodes: list[int], matrix: list[list[int]] | None = None):
        self.p = problem
        self.t = matrix if matrix is not None else node_matrix(problem)
        self.loc = [n.location for n in problem.nodes]
        self.service = [n.service_min for n in problem.nodes]
        self.open = [n.windows[0].earliest for n in problem.nodes]
        self.close = [n.windows[0].latest for n in problem.nodes]
        self.score = [n.score for n in problem.nodes]
        self.nodes = nodes
        self.refresh()

    def travel(self, a: int, b: int) -> int:
        return self.t[a][b]

    def refresh(self) -> bool:
        """Recompute all times; False if the route breaks a window."""
        nodes = self.nodes
        size = len(nodes)
        self.start = [0] * size
        self.wait = [0] * size
        self.start[0] = self.open[nodes[0]]
        for k in range(1, size):
            arrive = self.start[k - 1] + self.service[nodes[k - 1]] + self.travel(nodes[k - 1], nodes[k])
            self.wait[k] = max(0, self.open[nodes[k]] - arrive)
            self.start[k] = arrive + self.wait[k]
            if self.start[k] > self.close[nodes[k]]:
                return False
        self.maxshift = [0] * size
        self.maxshift[-1] = self.close[nodes[-1]] - self.start[-1]
        for k in range(size - 2, -1, -1):
            self.maxshift[k] = min(self.close[nodes[k]] - self.start[k], self.wait[k + 1] + self.maxshift[k + 1])
        return True

    def best_insertion(self, pool: list[int], power: float = 2.0, noise: dict[int, float] | None = None) -> tuple[float, int, int] | None:
        nodes, start, wait, maxshift, t, service = self.nodes, self.start, self.wait, self.maxshift, self.t, self.service
        slack = [wait[k] + maxshift[k] for k in range(len(nodes))]
        ready = [start[k] + service[nodes[k]] for k in range(len(nodes))]
        best = None
        for j in pool:
            open_j, close_j, service_j, score_j = self.open[j], self.close[j], service[j], self.score[j]
            to_j = t[j]
            for k in range(1, len(nodes)):
                i, n = nodes[k - 1], nodes[k]
                leg = t[i][j]
                arrive = ready[k - 1] + leg
                if arrive > close_j:
                    continue
                shift = (open_j - arrive if open_j > arrive else 0) + leg + service_j + to_j[n] - t[i][n]
                if shift > slack[k]:
                    continue
                ratio = score_j ** power / (shift + 1) * (noise.get(j, 1.0) if noise else 1.0)
                if best is None or ratio > best[0]:
                    best = (ratio, j, k)
        return best

    def value(self) -> int:
        return sum(self.score[n] for n in self.nodes)

    def length(self) -> int:
        return sum(self.travel(a, b) for a, b in zip(self.nodes, self.nodes[1:]))


def node_matrix(problem: Problem) -> list[list[int]]:
    """Travel minutes indexed by node rather than location, for the inner loops."""
    locations = [n.location for n in problem.nodes]
    return [[problem.travel_min[a][b] for b in locations] for a in locations]


def _fill(tour: _Tour, unrouted: set[int], power: float = 2.0, noise: dict[int, float] | None = None) -> None:
    while unrouted:
        choice = tour.best_insertion(sorted(unrouted), power, noise)
        if choice is None:
            return
        _, node, position = choice
        tour.nodes.insert(position, node)
        tour.refresh()
        unrouted.discard(node)


def _two_opt(tour: _Tour) -> None:
    """Reverse segments while that shortens the route and keeps every window."""
    improved = True
    while improved:
        improved = False
        nodes = tour.nodes
        for a in range(1, len(nodes) - 2):
            for b in range(a + 1, len(nodes) - 1):
                before = tour.travel(nodes[a - 1], nodes[a]) + tour.travel(nodes[b], nodes[b + 1])
                after = tour.travel(nodes[a - 1], nodes[b]) + tour.travel(nodes[a], nodes[b + 1])
                if after >= before:
                    continue
                trial = nodes[:a] + nodes[a:b + 1][::-1] + nodes[b + 1:]
                saved = tour.nodes
                tour.nodes = trial
                if tour.refresh():
                    improved = True
                    break
                tour.nodes = saved
                tour.refresh()
            if improved:
                break


def _swap(tour: _Tour, unrouted: set[int]) -> bool:
    """Replace a routed node by a better unrouted one at the same place, if the windows allow (O(1) test)."""
    t, nodes, start, wait, maxshift = tour.t, tour.nodes, tour.start, tour.wait, tour.maxshift
    order = sorted(unrouted, key=lambda n: (-tour.score[n], n))
    for position in range(1, len(nodes) - 1):
        previous, current, following = nodes[position - 1], nodes[position], nodes[position + 1]
        ready = start[position - 1] + tour.service[previous]
        old_arrival = start[position] + tour.service[current] + t[current][following]
        for j in order:
            if tour.score[j] <= tour.score[current]:
                break
            arrive = ready + t[previous][j]
            if arrive > tour.close[j]:
                continue
            begin = max(arrive, tour.open[j])
            shift = begin + tour.service[j] + t[j][following] - old_arrival
            if shift > wait[position + 1] + maxshift[position + 1]:
                continue
            nodes[position] = j
            tour.refresh()
            unrouted.discard(j)
            unrouted.add(current)
            return True
    return False


def solve_time_windows(problem: Problem, iterations: int, seed: int, budget: Budget,
                       on_improve: Callable[[list[int]], None] | None = None) -> list[int]:
    """The best route found (node indices from start to end)."""
    rng = random.Random(seed)
    candidates = {i for i, n in enumerate(problem.nodes) if n.kind is NodeKind.VISIT}
    matrix = node_matrix(problem)
    tour = _Tour(problem, [Problem.START, Problem.END], matrix)
    unrouted = set(candidates)
    _fill(tour, unrouted)
    best_nodes, best_key = list(tour.nodes), (tour.value(), -tour.length())
    if on_improve:
        on_improve(best_nodes)
    strength, offset = 1, 1
    for _ in range(iterations):
        if budget.over():
            break
        inner = len(tour.nodes) - 2
        if inner > 0:
            offset = offset % inner + 1 if offset > inner else offset
            removed = tour.nodes[offset: min(offset + strength, len(tour.nodes) - 1)]
            tour.nodes = [n for n in tour.nodes if n not in removed]
            tour.refresh()
            unrouted |= set(removed)
        _two_opt(tour)
        power = rng.choice(INSERTION_POWERS)
        noise = {j: 1.0 + NOISE * rng.random() for j in unrouted}
        _fill(tour, unrouted, power, noise)
        while _swap(tour, unrouted):
            _fill(tour, unrouted, power, noise)
        key = (tour.value(), -tour.length())
        if key > best_key:
            best_nodes, best_key = list(tour.nodes), key
            strength = 1
            if on_improve:
                on_improve(best_nodes)
        else:
            strength += 1
            if strength > max(1, int(SHAKE_RESET * max(1, inner))):
                strength = 1
        offset += strength + rng.randint(0, 2)
        if offset > max(1, len(tour.nodes) - 2):
            offset = 1 + (offset - 1) % max(1, len(tour.nodes) - 2)
            if rng.random() < 0.3:
                tour = _Tour(problem, list(best_nodes), matrix)
                unrouted = candidates - set(best_nodes)
    return best_nodes
