"""Orienteering Problem with Time Windows instances (Solomon / Cordeau format) as a Problem.

`parse_optw` takes text, `read_optw` only opens a file. Times are scaled to exact integers:
distances are truncated as the literature does (one decimal for Solomon-based files, two for
Cordeau-based `pr*` files), so best-known scores stay comparable.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from math import isqrt
from pathlib import Path

from tripplanner.solver.problem import LocationCalendar, Node, NodeKind, Problem, Window


@dataclass(frozen=True)
class OptwInstance:
    name: str
    problem: Problem
    scale: int
    """Problem minutes per instance time unit (10 for one decimal, 100 for two)."""
    customers: int

    def customer_of(self, node: int) -> int:
        """The instance's vertex number of a problem node (depot = 0)."""
        return 0 if node in (Problem.START, Problem.END) else node - 1


def default_decimals(name: str) -> int:
    return 2 if Path(name).stem.lower().startswith("pr") else 1


def truncated_distance(a: tuple[Fraction, Fraction], b: tuple[Fraction, Fraction], decimals: int) -> int:
    """floor(10**decimals * euclidean distance), computed exactly."""
    squared = (a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2
    scaled = squared * 10 ** (2 * decimals)
    return isqrt(scaled.numerator // scaled.denominator)


def parse_optw(text: str, name: str = "instance", decimals: int | None = None) -> OptwInstance:
    decimals = default_decimals(name) if decimals is None else decimals
    scale = 10**decimals
    tokens = text.split()
    customers = int(tokens[2])
    rows = [line.split() for line in text.splitlines()[2:] if line.strip()]
    if len(rows) < customers + 1:
        raise ValueError(f"{name}: expected {customers + 1} vertex rows, found {len(rows)}")
    points, service, score, opens, closes = [], [], [], [], []
    for row in rows[: customers + 1]:
        points.append((Fraction(row[1]), Fraction(row[2])))
        service.append(Fraction(row[3]))
        score.append(Fraction(row[4]))
        opens.append(Fraction(row[-2]))
        closes.append(Fraction(row[-1]))

    def minutes(value: Fraction) -> int:
        scaled = value * scale
        if scaled.denominator != 1:
            raise ValueError(f"{name}: {value} has more than {decimals} decimals")
        return int(scaled)

    size = customers + 1
    travel = tuple(tuple(truncated_distance(points[i], points[j], decimals) for j in range(size)) for i in range(size))
    budget = minutes(closes[0])
    nodes = [Node(NodeKind.START, 0, 0, (Window(0, budget),), label="depot"),
             Node(NodeKind.END, 0, 0, (Window(0, budget),), label="depot")]
    for vertex in range(1, size):
        nodes.append(Node(NodeKind.VISIT, vertex, minutes(service[vertex]), (Window(minutes(opens[vertex]), minutes(closes[vertex])),),
                          score=int(score[vertex]), label=str(vertex)))
    problem = Problem(nodes=tuple(nodes), travel_min=travel, calendars=tuple(LocationCalendar() for _ in range(size)),
                      max_leg_min=10**9, names=tuple(str(v) for v in range(size)))
    return OptwInstance(name=Path(name).stem, problem=problem, scale=scale, customers=customers)


def read_optw(path: Path, decimals: int | None = None) -> OptwInstance:
    return parse_optw(path.read_text(), path.name, decimals)


def check_tour(instance: OptwInstance, customers: list[int]) -> tuple[bool, int, str]:
    """Independent feasibility check of a tour (customer numbers, depot omitted): (feasible, score, reason).

    Uses only the instance text's rules: start_j = max(open_j, start_i + service_i + t_ij) <= close_j,
    back at the depot by its closing time, each customer at most once.
    """
    problem = instance.problem
    if len(set(customers)) != len(customers):
        return False, 0, "a customer is visited twice"
    if any(not 1 <= c <= instance.customers for c in customers):
        return False, 0, "unknown customer"
    time, here, score = 0, 0, 0
    for customer in customers:
        node = problem.nodes[customer + 1]
        window = node.windows[0]
        time = max(window.earliest, time + problem.travel_min[here][customer])
        if time > window.latest:
            return False, 0, f"customer {customer} starts at {time / instance.scale:g}, after {window.latest / instance.scale:g}"
        time += node.service_min
        here = customer
        score += node.score
    time += problem.travel_min[here][0]
    if time > problem.nodes[Problem.END].windows[0].latest:
        return False, 0, f"back at the depot at {time / instance.scale:g}, after the budget"
    return True, score, ""
