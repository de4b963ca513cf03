"""Random small routing problems with days, nights and anchors, and an exhaustive solver for them."""

from __future__ import annotations

import functools
import math
import random

from tripplanner.solver.objective import route_travel, route_value, scalar
from tripplanner.solver.problem import DayRules, LocationCalendar, Node, NodeKind, Problem, Window
from tripplanner.solver.schedule import Failure, schedule_route

DAY = 1440


def random_problem(seed: int, visits: int = 6, days: int = 4, second_anchor: bool = False) -> Problem:
    """A trip-like instance: a far home, a few nearby cities in zones up to +-2 h, office-hour windows.

    second_anchor adds one more anchor (drawn from its own generator, so the rest of the instance
    is the one the seed gives without it)."""
    rng = random.Random(seed)
    cities = rng.randint(2, 4)
    points = [(rng.uniform(0, 600), rng.uniform(0, 600)) for _ in range(cities)]
    offsets = [0] + [rng.choice([-120, -60, 0, 60]) for _ in range(cities)]
    size = cities + 1
    travel = [[0] * size for _ in range(size)]
    for a in range(size):
        for b in range(size):
            if a == b:
                travel[a][b] = 30
            elif a == 0 or b == 0:
                travel[a][b] = 540 + 10 * (a + b)
            else:
                (x1, y1), (x2, y2) = points[a - 1], points[b - 1]
                travel[a][b] = 60 + int(math.dist((x1, y1), (x2, y2)) / 2)
    calendars = tuple(
        LocationCalendar(
            nights=tuple((k * DAY + 23 * 60 - off, (k + 1) * DAY + 6 * 60 - off) for k in range(-1, days + 2)),
            day_starts=tuple(k * DAY + 6 * 60 - off for k in range(0, days + 2)),
        )
        for off in offsets
    )
    end = days * DAY
    nodes = [Node(NodeKind.START, 0, 0, (Window(0, end),)), Node(NodeKind.END, 0, 0, (Window(0, end),))]
    for _ in range(rng.randint(0, 1)):
        where = rng.randint(1, cities)
        start = rng.randint(1, days - 2) * DAY + 10 * 60 - offsets[where]
        nodes.append(Node(NodeKind.ANCHOR, where, rng.choice([120, 240]), (Window(start, start, 0),),
                          mandatory=True, group=where, buffer_min=120, label="anchor"))
    if second_anchor:
        extra = random.Random(seed + 7919)
        where = extra.randint(1, cities)
        start = (days - 1) * DAY + 9 * 60 - offsets[where]
        nodes.append(Node(NodeKind.ANCHOR, where, extra.choice([60, 120]), (Window(start, start, 0),),
                          mandatory=True, group=where, buffer_min=60, label="second anchor"))
    for v in range(visits):
        where = rng.randint(1, cities)
        service = rng.choice([60, 90, 120, 180])
        open_days = sorted(rng.sample(range(days), rng.randint(1, days)))
        windows = tuple(Window(k * DAY + 9 * 60 - offsets[where], k * DAY + 18 * 60 - offsets[where] - service, k) for k in open_days)
        nodes.append(Node(NodeKind.VISIT, where, service, windows, score=rng.randint(50, 300), theme=rng.randint(0, 2),
                          group=where, label=f"v{v}"))
    bonus = tuple(rng.choice([0, 0, 50]) for _ in range(size))
    rules = DayRules(
        max_travel_min_per_day=rng.choice([240, 360, 480]), min_rest_min=rng.choice([480, 600]),
        long_haul_min=480, long_haul_rest_min=rng.choice([240, 480]), max_visits_per_day=rng.choice([1, 2, 3]),
        home_midnights=tuple(k * DAY for k in range(days + rng.randint(2, 4) + 2)), max_days=rng.randint(days - 1, days + 1),
    )
    required = (rng.randint(1, cities),) if rng.random() < 0.2 else ()
    if rng.random() < 0.3:
        where, night = rng.randint(1, cities), rng.randint(0, days - 2)
        begins = night * DAY + 23 * 60 - offsets[where]
        nodes.append(Node(NodeKind.NIGHT, where, max(7 * 60, rules.min_rest_min), (Window(begins, begins, night),),
                          mandatory=True, label="booked night"))
    return Problem(nodes=tuple(nodes), travel_min=tuple(map(tuple, travel)), calendars=calendars, max_leg_min=900,
                   themes=("a", "b", "c"), repeat_per_mille=rng.choice([1000, 500]), group_bonus=bonus,
                   required_groups=required, days=rules)


@functools.lru_cache(maxsize=None)
def brute_force(problem: Problem) -> int | None:
    """Best objective over every order of every non-empty subset of nodes (a plan leaves home), by
    depth-first search with prefix pruning; remembered per problem, as several tests ask it of the same one."""
    mandatory = set(problem.mandatory)
    optional = problem.optional
    best: list[int | None] = [None]
    groups = set(problem.required_groups)

    def extend(prefix: list[int], remaining: list[int]) -> None:
        if len(prefix) > 1 and mandatory <= set(prefix) and groups <= {problem.nodes[i].group for i in prefix}:
            route = [*prefix, Problem.END]
            if not isinstance(schedule_route(problem, route), Failure):
                value = scalar(problem, route_value(problem, route), route_travel(problem, route))
                if best[0] is None or value > best[0]:
                    best[0] = value
        for node in remaining:
            candidate = [*prefix, node]
            if isinstance(schedule_route(problem, candidate), Failure):
                continue
            extend(candidate, [r for r in remaining if r != node])

    extend([Problem.START], sorted(mandatory | set(optional)))
    return best[0]
