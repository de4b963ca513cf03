"""The CP-SAT model and the exhaustive search agree on the optimum of random small trips, with and
without a cost on travel."""

import dataclasses

import pytest

from tripplanner.solver.cpsat import solve_cpsat
from tripplanner.solver.params import SolveParams
from tripplanner.solver.solve import solve

from tests.solver.instances import brute_force, random_problem
from tests.solver.test_exact import TRAVEL_COSTS

SEEDS = range(60)


@pytest.mark.parametrize("seed", SEEDS)
def test_cpsat_alone_matches_exhaustive_search(seed):
    """CP-SAT without any warm start proves the same optimum (or infeasibility) as enumeration."""
    problem = dataclasses.replace(random_problem(seed, visits=5 + seed % 3), travel_cost_per_hour=TRAVEL_COSTS[seed % 3])
    expected = brute_force(problem)
    outcome = solve_cpsat(problem, SolveParams(workers=1, seed=0), time_limit_s=20)
    if expected is None:
        assert outcome.status == "infeasible"
    else:
        assert outcome.status == "optimal"
        assert outcome.route is not None and outcome.route.objective == expected


@pytest.mark.parametrize("seed", SEEDS[:20])
def test_full_solve_reaches_exhaustive_optimum(seed):
    """Heuristic + CP-SAT together return a route worth exactly the enumerated optimum."""
    problem = dataclasses.replace(random_problem(seed, visits=5 + seed % 3), travel_cost_per_hour=TRAVEL_COSTS[seed % 3])
    expected = brute_force(problem)
    result = solve(problem, SolveParams(time_limit_s=20, workers=1))
    if expected is None:
        assert not result.is_feasible() and result.status == "infeasible"
    else:
        assert result.status == "optimal"
        assert result.route.objective == expected


@pytest.mark.parametrize("seed", SEEDS[:6])
def test_cpsat_without_a_route_still_reports_its_bound(seed, monkeypatch):
    """A search stopped before its first route (reported UNKNOWN here) still proved a bound on worth:
    it is kept, and it holds the optimum."""
    from tripplanner.solver import cpsat

    problem = dataclasses.replace(random_problem(seed, visits=5 + seed % 3), travel_cost_per_hour=TRAVEL_COSTS[seed % 3])
    best = solve_cpsat(problem, SolveParams(workers=1, seed=0), time_limit_s=20)
    if best.route is None:
        pytest.skip("no route on this random trip: nothing for a bound to hold")
    real = cpsat.run_stoppable

    def without_a_route(solver, model, callback=None, stop=None):
        real(solver, model, callback, stop)
        return cpsat.cp_model.UNKNOWN

    monkeypatch.setattr(cpsat, "run_stoppable", without_a_route)
    stopped = solve_cpsat(problem, SolveParams(workers=1, seed=0), time_limit_s=20)
    assert stopped.route is None and stopped.status == "unknown"
    assert stopped.value_bound is not None and stopped.value_bound >= best.route.worth
    assert stopped.bound is not None and stopped.bound >= best.route.worth * problem.travel_weight - best.route.travel
