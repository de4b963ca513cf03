"""Metamorphic properties of the exact optimum: relaxing never hurts, removing an unused candidate changes nothing."""

import dataclasses
import random

import pytest

from tripplanner.solver.cpsat import solve_cpsat
from tripplanner.solver.params import SolveParams
from tripplanner.solver.problem import Node, NodeKind, Window

from tests.solver.instances import DAY, random_problem

EXACT = SolveParams(workers=1, seed=0)
SEEDS = [s for s in range(40) if s % 3 != 2][:12]


def _optimum(problem):
    outcome = solve_cpsat(problem, EXACT, time_limit_s=30)
    assert outcome.status in ("optimal", "infeasible")
    return None if outcome.route is None else (outcome.route.value, -outcome.route.travel, outcome.route.nodes)


def _better_or_equal(new, old) -> bool:
    if old is None:
        return True
    return new is not None and new[:2] >= old[:2]


@pytest.mark.parametrize("seed", SEEDS)
def test_one_more_day_never_lowers_the_optimum(seed):
    """max_days + 1: the old best route stays feasible, so the optimum cannot drop."""
    problem = random_problem(seed)
    looser = dataclasses.replace(problem, days=dataclasses.replace(problem.days, max_days=problem.days.max_days + 1))
    assert _better_or_equal(_optimum(looser), _optimum(problem))


@pytest.mark.parametrize("seed", SEEDS)
def test_relaxed_limits_never_lower_the_optimum(seed):
    """Two more hours of daily travel and one more visit per day never lower the optimum."""
    problem = random_problem(seed)
    rules = problem.days
    looser = dataclasses.replace(problem, days=dataclasses.replace(
        rules, max_travel_min_per_day=rules.max_travel_min_per_day + 120, max_visits_per_day=rules.max_visits_per_day + 1))
    assert _better_or_equal(_optimum(looser), _optimum(problem))


@pytest.mark.parametrize("seed", SEEDS)
def test_an_added_candidate_never_lowers_the_optimum(seed):
    """A new optional visit can only add choices."""
    problem = random_problem(seed)
    rng = random.Random(seed)
    where = rng.randint(1, len(problem.calendars) - 1)
    day = rng.randint(0, 2)
    extra = Node(NodeKind.VISIT, where, 60, (Window(day * DAY + 9 * 60, day * DAY + 17 * 60, day),),
                 score=rng.randint(50, 300), theme=rng.randint(0, 2), group=where, label="extra")
    larger = dataclasses.replace(problem, nodes=(*problem.nodes, extra))
    assert _better_or_equal(_optimum(larger), _optimum(problem))


@pytest.mark.parametrize("seed", SEEDS)
def test_removing_an_unchosen_candidate_changes_nothing(seed):
    """Dropping a visit the optimum does not use leaves the optimal value and travel as they were."""
    problem = random_problem(seed)
    best = _optimum(problem)
    if best is None:
        pytest.skip("instance infeasible: nothing to remove from")  # the other seeds cover the property
    unused = [i for i in problem.optional if i not in best[2]]
    if not unused:
        pytest.skip("every candidate is used")  # the other seeds cover the property
    victim = unused[0]
    nodes = tuple(n for i, n in enumerate(problem.nodes) if i != victim)
    smaller = dataclasses.replace(problem, nodes=nodes)
    assert _optimum(smaller)[:2] == best[:2]
