"""The rule book (solver/rulebook.py) against the CP-SAT model's own statement of the rules.

The route timing asks the rule book; the CP-SAT model (solver/rules.py) states the same rules
declaratively. For random routes through random small trips, the two must agree on whether
the route can be timed at all: a rule stated differently in one of them shows as a route one
accepts and the other refuses.
"""

import dataclasses
import random

import pytest
from ortools.sat.python import cp_model

from tripplanner.solver import rulebook
from tripplanner.solver.objective import route_travel, scalar
from tripplanner.solver.problem import Node, NodeKind, Problem
from tripplanner.solver.rules import add_max_days, allowed_arcs, eligible_nodes, model_timing_rules
from tripplanner.solver.schedule import Failure, schedule_route

from tests.solver.instances import random_problem

SEEDS = range(40)
ROUTES_PER_TRIP = 12


def _cpsat_can_time(problem: Problem, route: list[int]) -> bool:
    """Whether the CP-SAT rules admit a timing of exactly this route."""
    nodes = eligible_nodes(problem)
    if any(i not in nodes for i in route):
        return False
    arcs = allowed_arcs(problem, nodes, True, 0, None)
    if any(leg not in arcs for leg in zip(route, route[1:])):
        return False
    m = model_timing_rules(problem, nodes, arcs)
    add_max_days(m)
    for leg in zip(route, route[1:]):
        m.model.Add(m.arcs[leg] == 1)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 20
    status = solver.Solve(m.model)
    assert status != cp_model.UNKNOWN, "CP-SAT could not decide in time"
    return status in (cp_model.OPTIMAL, cp_model.FEASIBLE)


def _random_routes(problem: Problem, rng: random.Random) -> list[list[int]]:
    """Routes through every mandatory stop (fixed stops in time order) and a random few others, at
    least one stop in all (a plan leaves home: both models require it, a rule of the route, not of timing)."""
    fixed = sorted((i for i in problem.mandatory), key=lambda i: (problem.nodes[i].windows[0].earliest, i))
    routes = []
    for _ in range(ROUTES_PER_TRIP):
        extra = rng.sample(problem.optional, rng.randint(0 if fixed else 1, min(3, len(problem.optional))))
        middle = list(fixed)
        for node in extra:
            middle.insert(rng.randint(0, len(middle)), node)
        routes.append([Problem.START, *middle, Problem.END])
    return routes


@pytest.mark.parametrize("seed", SEEDS)
def test_cpsat_rules_time_the_same_routes_as_the_rule_book(seed):
    """Every random route the rule book's timing accepts, CP-SAT accepts, and the other way round."""
    problem = random_problem(seed, visits=5, days=4 + seed % 2, second_anchor=seed % 3 == 0)
    rng = random.Random(seed)
    verdicts = []
    for route in _random_routes(problem, rng):
        timed = not isinstance(schedule_route(problem, route), Failure)
        assert timed == _cpsat_can_time(problem, route), f"route {route}: rule book {'accepts' if timed else 'refuses'} it"
        verdicts.append(timed)
    assert verdicts


def test_some_random_routes_are_timed_and_some_refused():
    """The cross-check above sees both verdicts, so it compares something on each side."""
    verdicts = set()
    for seed in SEEDS:
        problem = random_problem(seed, visits=5, days=4 + seed % 2, second_anchor=seed % 3 == 0)
        rng = random.Random(seed)
        verdicts |= {not isinstance(schedule_route(problem, r), Failure) for r in _random_routes(problem, rng)}
    assert verdicts == {True, False}


@pytest.mark.parametrize("seed", range(30))
def test_route_value_is_the_sum_of_marginal_values(seed):
    """route_value (one pass) equals the marginal values added one by one, in any order."""
    problem = random_problem(seed, visits=7)
    rng = random.Random(seed)
    visited = rng.sample(range(problem.size), rng.randint(0, problem.size))
    total, best, groups = 0, {}, set()
    for i in visited:
        node = problem.nodes[i]
        total += rulebook.marginal_value(problem, node, best.get(node.theme, 0), groups)
        if node.theme >= 0:
            best[node.theme] = max(best.get(node.theme, 0), node.score)
        if node.group >= 0:
            groups.add(node.group)
    assert total == rulebook.route_value(problem, visited) == rulebook.route_value(problem, list(reversed(visited)))
    bonus = sum(rulebook.city_bonus(problem, g) for g in groups)
    assert sum(rulebook.value_by_theme(problem, visited).values()) + bonus == total


def test_scalar_ranks_value_before_travel():
    """One value unit outweighs the longest travel any route can have."""
    problem = random_problem(3, visits=6)
    longest = route_travel(problem, list(range(problem.size)))
    assert scalar(problem, 1, longest) > scalar(problem, 0, 0)


@pytest.mark.parametrize(("kind", "buffer_min", "minutes", "same_city", "margin", "why"), [
    (NodeKind.ANCHOR, 120, 90, False, 120, "a short leg from another city: the buffer alone"),
    (NodeKind.ANCHOR, 120, 30, True, 0, "within one city the in-city transfer is the whole gap"),
    (NodeKind.ANCHOR, 120, 600, False, 480, "a long-haul leg: the rest, longer than the buffer"),
    (NodeKind.VISIT, 0, 600, False, 480, "visits rest after a long-haul leg too"),
    (NodeKind.NIGHT, 0, 600, False, 0, "a booked night is itself the rest"),
    (NodeKind.END, 0, 600, False, 0, "coming home needs no rest"),
])
def test_arrival_margin(kind, buffer_min, minutes, same_city, margin, why):
    """The margin between an arrival and the next start, by the kind of stop, the leg and where it comes from."""
    problem = random_problem(0)
    problem = dataclasses.replace(problem, days=dataclasses.replace(problem.days, long_haul_min=480, long_haul_rest_min=480))
    node = Node(kind, 0, 60, (), buffer_min=buffer_min)
    assert rulebook.margin_after_leg(problem.days, kind, buffer_min, minutes, same_city) == margin, why
    assert rulebook.arrival_margin(problem, node, minutes, 0 if same_city else 1) == margin, why
