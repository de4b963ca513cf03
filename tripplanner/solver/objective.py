"""The value of a set of visited nodes, in exact integers, as every solver part computes it."""

from __future__ import annotations

from collections.abc import Iterable

from tripplanner.solver.problem import Problem

PER_MILLE = 1000
SCORE_SCALE = 100
"""Node scores are hundredths of a value point (solver/build.py scales them)."""
VALUE_UNITS_PER_POINT = PER_MILLE * SCORE_SCALE
PROFILES = ("value", "travel", "co2", "days")
"""What a plan optimises first: most value, least travel time, least CO2, fewest days.
Value is always the second criterion, travel time the last."""


def route_value(problem: Problem, visited: Iterable[int]) -> int:
    """Sum of scores (x1000) with the theme repeat factor, plus city bonuses (x1000).

    On each theme the best node counts in full and the others at repeat_per_mille / 1000.
    """
    by_theme: dict[int, list[int]] = {}
    groups: set[int] = set()
    total = 0
    for i in visited:
        node = problem.nodes[i]
        if node.theme >= 0:
            by_theme.setdefault(node.theme, []).append(node.score)
        else:
            total += node.score * PER_MILLE
        if node.group >= 0:
            groups.add(node.group)
    rate = problem.repeat_per_mille
    for scores in by_theme.values():
        total += rate * sum(scores) + (PER_MILLE - rate) * max(scores)
    if problem.group_bonus:
        total += PER_MILLE * sum(problem.group_bonus[g] for g in groups)
    return total


def route_travel(problem: Problem, route: list[int] | tuple[int, ...]) -> int:
    return sum(problem.travel(a, b) for a, b in zip(route, route[1:]))


def travel_weight(problem: Problem) -> int:
    """One value unit outweighs any amount of travel: travel only breaks ties (cached on the problem)."""
    return problem.travel_weight


def objective(problem: Problem, route: list[int] | tuple[int, ...]) -> int:
    return route_value(problem, route) * travel_weight(problem) - route_travel(problem, route)


def value_points(units: float) -> float:
    """route_value units (x1000 for the theme repeat factor, x100 for hundredths) as value points."""
    return units / VALUE_UNITS_PER_POINT


def route_co2(problem: Problem, route: list[int] | tuple[int, ...]) -> int:
    """Route CO2 in tenths of a kilogram per person (0 when the problem has no CO2 matrix)."""
    return sum(problem.co2_tenths(a, b) for a, b in zip(route, route[1:]))


def route_key(problem: Problem, route: list[int] | tuple[int, ...], days: int, profile: str,
              value: int | None = None, travel: int | None = None) -> tuple[int, ...]:
    """What 'better' means for a profile: compare keys, larger is better (value and travel if already known)."""
    value = route_value(problem, route) if value is None else value
    travel = route_travel(problem, route) if travel is None else travel
    if profile == "travel":
        return (-travel, value)
    if profile == "co2":
        return (-route_co2(problem, route), value, -travel)
    if profile == "days":
        return (-days, value, -travel)
    return (value, -travel)
