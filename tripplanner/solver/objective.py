"""How routes are scored and ranked, in exact integers, as every solver part scores them.

The value of the visits is the rule book's (rulebook.route_value); here it is combined with the
travel into the scalar the value profile maximises, and into each profile's comparison key.
"""

from __future__ import annotations

from tripplanner.solver.problem import Problem
from tripplanner.solver.rulebook import PER_MILLE, route_value

SCORE_SCALE = 100
"""Node scores are hundredths of a value point (solver/build.py scales them)."""
VALUE_UNITS_PER_POINT = PER_MILLE * SCORE_SCALE

__all__ = ["SCORE_SCALE", "VALUE_UNITS_PER_POINT", "route_co2", "route_travel", "route_value", "scalar",
           "scalar_value", "value_points"]


def route_travel(problem: Problem, route: list[int] | tuple[int, ...]) -> int:
    return sum(problem.travel(a, b) for a, b in zip(route, route[1:]))


def scalar(problem: Problem, value: int, travel: int) -> int:
    """value x travel weight - travel: one value unit outweighs any travel, so travel only breaks
    ties. The value profile maximises it; a bound on it is scalar(value bound, least travel)."""
    return value * problem.travel_weight - travel


def scalar_value(problem: Problem, objective: int | float) -> float:
    """The value part of a scalar (a bound's value, for display)."""
    return objective / problem.travel_weight


def value_points(units: float) -> float:
    """route_value units (x1000 for the theme repeat factor, x100 for hundredths) as value points."""
    return units / VALUE_UNITS_PER_POINT


def route_co2(problem: Problem, route: list[int] | tuple[int, ...]) -> int:
    """Route CO2 in tenths of a kilogram per person (0 when the problem has no CO2 matrix)."""
    return sum(problem.co2_tenths(a, b) for a, b in zip(route, route[1:]))
