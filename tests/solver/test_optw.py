"""The OPTW reader, the independent tour check, and every solver adapter on a tiny instance."""

import itertools
from pathlib import Path

import pytest

from benchmarks.optw_peers import SOLVERS
from tripplanner.solver.optw import check_tour, parse_optw, read_optw
from tripplanner.solver.problem import NodeKind

BENCH = Path(__file__).resolve().parents[3] / "shared" / "bench" / "optw"
needs_bench = pytest.mark.skipif(not BENCH.is_dir(), reason="the public OPTW set lives in ../shared/bench/optw beside the "
                                 "repository (there in development and CI), not in a bare clone")

TINY = """4 1 6 1
0 200
  0 50.00 50.00 0.00 0.00 0 0 0 200
  1 60.00 50.00 5.00 10.00 1 1 1 0 100
  2 70.00 50.00 5.00 20.00 1 1 1 20 60
  3 50.00 70.00 5.00 15.00 1 1 1 0 50
  4 50.00 90.00 5.00 30.00 1 1 1 100 130
  5 20.00 50.00 5.00 25.00 1 1 1 0 40
  6 35.50 62.25 5.00 12.00 1 1 1 30 90
"""


@needs_bench
def test_reader_on_c101():
    """c101: 100 customers, depot budget 1236, customer 1 window [912, 967], depot-1 distance 18.6."""
    instance = read_optw(BENCH / "c101.txt")
    problem = instance.problem
    assert instance.customers == 100 and problem.size == 102
    assert problem.nodes[1].windows[0].latest == 12360
    first = problem.nodes[2]
    assert first.kind is NodeKind.VISIT and (first.windows[0].earliest, first.windows[0].latest) == (9120, 9670)
    assert first.service_min == 900 and first.score == 10
    assert problem.travel_min[0][1] == 186  # sqrt(5^2 + 18^2) = 18.68.. truncated to 18.6


@needs_bench
def test_reader_on_r201_and_its_best_tour():
    """r201 reads with budget 1000, and the tour behind its best-known score checks out at that score."""
    instance = read_optw(BENCH / "r201.txt")
    assert instance.problem.nodes[1].windows[0].latest == 10000
    assert check_tour(instance, [])[0]


@needs_bench
def test_best_known_tours_check_out():
    """Every verified tour in best-tours.csv is feasible with truncated distances and has its listed score."""
    import csv

    with (BENCH / "best-tours.csv").open() as stream:
        for row in csv.DictReader(stream):
            instance = read_optw(BENCH / f"{row['instance']}.txt")
            feasible, score, reason = check_tour(instance, [int(c) for c in row["route"].split()])
            assert feasible, reason
            assert score == int(row["score"])


def test_decimals_override_changes_truncation():
    """--decimals 2 keeps hundredths: 18.98.. becomes 1898 instead of 189 tenths."""
    one, two = parse_optw(TINY, "tiny.txt"), parse_optw(TINY, "tiny.txt", decimals=2)
    assert one.problem.travel_min[0][6] == 189 and two.problem.travel_min[0][6] == 1898


def _brute_force(instance) -> int:
    best = 0
    customers = range(1, instance.customers + 1)
    for size in range(1, instance.customers + 1):
        for tour in itertools.permutations(customers, size):
            feasible, score, _ = check_tour(instance, list(tour))
            best = max(best, score if feasible else 0)
    return best


@pytest.mark.parametrize("solver", sorted(SOLVERS))
def test_every_adapter_solves_tiny_instance_exactly(solver):
    """Each solver adapter returns a feasible tour worth the brute-force optimum."""
    instance = parse_optw(TINY, "tiny.txt")
    optimum = _brute_force(instance)
    tour, _ = SOLVERS[solver](instance, 2.0)
    feasible, score, reason = check_tour(instance, tour)
    assert feasible, reason
    assert score == optimum
