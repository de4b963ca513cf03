"""How routes are scored and ranked, in exact integers, as every solver part scores them.

The value of the visits is the rule book's (rulebook.route_value); here it is combined with the
travel: a route's worth is its value less an hourly cost of the mayor's travel (scoring's
travel_cost_per_hour), and the value profile maximises worth, then least travel.
"""

from __future__ import annotations

from tripplanner.solver.problem import Problem
from tripplanner.solver.rulebook import PER_MILLE, route_value

SCORE_SCALE = 100
"""Node scores are hundredths of a value point (solver/build.py scales them)."""
VALUE_UNITS_PER_POINT = PER_MILLE * SCORE_SCALE
MINUTES_PER_HOUR = 60

__all__ = ["MINUTES_PER_HOUR", "SCORE_SCALE", "VALUE_UNITS_PER_POINT", "route_co2", "route_travel", "route_value",
           "scalar", "scalar_of_worth", "scalar_value", "value_points", "worth", "worth_points"]


def route_travel(problem: Problem, route: list[int] | tuple[int, ...]) -> int:
    return sum(problem.travel(a, b) for a, b in zip(route, route[1:]))


def worth(problem: Problem, value: int, travel: int) -> int:
    """What a route is worth: its value less the cost of the mayor's travel, in exact integers
    (value units x minutes per hour, so an hourly cost needs no fractions)."""
    return MINUTES_PER_HOUR * value - problem.travel_cost_per_hour * travel


def scalar(problem: Problem, value: int, travel: int) -> int:
    """The value profile's scalar: worth, then less travel (scalar_of_worth)."""
    return scalar_of_worth(problem, worth(problem, value, travel), travel)


def scalar_of_worth(problem: Problem, route_worth: int, travel: int) -> int:
    """worth x travel weight - travel: the weight exceeds any route's travel minutes, so travel
    only breaks ties between routes of equal worth. A bound on it is (worth bound, least travel)."""
    return route_worth * problem.travel_weight - travel


def scalar_value(problem: Problem, objective: int | float) -> float:
    """The worth part of a scalar (a bound's worth, for display)."""
    return objective / problem.travel_weight


def worth_points(units: float) -> float:
    """worth units as value points."""
    return units / (MINUTES_PER_HOUR * VALUE_UNITS_PER_POINT)


def value_points(units: float) -> float:
    """route_value units (x1000 for the theme repeat factor, x100 for hundredths) as value points."""
    return units / VALUE_UNITS_PER_POINT


def route_co2(problem: Problem, route: list[int] | tuple[int, ...]) -> int:
    """Route CO2 in tenths of a kilogram per person (0 when the problem has no CO2 matrix)."""
    return sum(problem.co2_tenths(a, b) for a, b in zip(route, route[1:]))
