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
    for tour in _every_tour(instance, instance.customers):
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


def _every_tour(instance, longest: int):
    customers = range(1, instance.customers + 1)
    for size in range(longest + 1):
        yield from itertools.permutations(customers, size)


def test_latest_start_test_is_exact_on_plain_windows():
    """On a plain time-window problem the local search's constant-time test admits an insertion
    exactly when the rule book can time the route with it, and its own timing equals the rule book's."""
    from tripplanner.solver.moves import Search
    from tripplanner.solver.plain import plain_time_windows
    from tripplanner.solver.params import Budget
    from tripplanner.solver.route import Profile, make_route

    instance = parse_optw(TINY, "tiny.txt")
    problem = instance.problem
    assert plain_time_windows(problem)
    search = Search(problem, Profile.VALUE, Budget(60))
    checked = admitted = 0
    for tour in _every_tour(instance, 3):
        nodes = (0, *(c + 1 for c in tour), 1)
        route = make_route(problem, nodes)
        fast = search.route(nodes)
        assert (fast is None) == (route is None)
        if route is None:
            continue
        assert fast.stops == route.stops and fast.key == route.key
        latest = search.latest_starts(nodes)
        for node in set(range(2, problem.size)) - set(nodes):
            for k in range(1, len(nodes)):
                start = search.start_after(node, route.stops[k - 1].end + search.t[nodes[k - 1]][node])
                admits = start is not None and start + search.service[node] + search.t[node][nodes[k]] <= latest[k]
                assert admits == (make_route(problem, (*nodes[:k], node, *nodes[k:])) is not None)
                checked += 1
                admitted += admits
    assert checked > 400 and 0 < admitted < checked


def test_solve_runs_the_trip_search_on_an_optw_instance():
    """An OPTW instance goes through the planner's own solve(): the local search finds the optimum."""
    from tripplanner.solver.params import SolveParams
    from tripplanner.solver.route import Stage
    from tripplanner.solver.solve import solve

    instance = parse_optw(TINY, "tiny.txt")
    result = solve(instance.problem, SolveParams(time_limit_s=1, use_cpsat=False))
    assert result.found_by is Stage.LOCAL_SEARCH
    tour = [instance.customer_of(n) for n in result.route.nodes[1:-1]]
    assert check_tour(instance, tour) == (True, _brute_force(instance), "")


def _admitted_moves(problem, nodes):
    """Every single insertion and every swap of a routed stop that the rule book can time, by brute force."""
    from tripplanner.solver.route import make_route

    others = sorted(set(range(2, problem.size)) - set(nodes))
    inserts = [(node, k, make_route(problem, (*nodes[:k], node, *nodes[k:]))) for node in others for k in range(1, len(nodes))]
    swaps = [(node, k, make_route(problem, (*nodes[:k], node, *nodes[k + 1:]))) for k in range(1, len(nodes) - 1) for node in others]
    return others, [m for m in inserts if m[2]], [m for m in swaps if m[2]]


@pytest.mark.parametrize("power", [1.0, 2.0])
@pytest.mark.parametrize("wait_counts", [False, True])
def test_plain_insertion_and_swap_match_brute_force(power, wait_counts):
    """On a plain time-window problem the local search tests every insertion and swap at once (numpy):
    its best insertion is the best ratio among the insertions the rule book can time, and its swap is
    the first improving one in place order, higher scores first."""
    from tripplanner.solver.moves import Search
    from tripplanner.solver.params import Budget
    from tripplanner.solver.route import Profile, make_route
    from tripplanner.solver.rulebook import marginal_value

    instance = parse_optw(TINY, "tiny.txt")
    problem = instance.problem
    search = Search(problem, Profile.VALUE, Budget(60))
    search.wait_counts = wait_counts
    found = swapped = 0
    for tour in _every_tour(instance, 3):
        nodes = (0, *(c + 1 for c in tour), 1)
        route = make_route(problem, nodes)
        if route is None:
            continue
        pool, inserts, swaps = _admitted_moves(problem, nodes)

        def ratio(node, k):
            before, after = nodes[k - 1], nodes[k]
            arrival = route.stops[k - 1].end + search.t[before][node]
            start = max(arrival, search.opens[node][0])
            detour = search.t[before][node] + search.t[node][after] - search.t[before][after]
            cost = max(detour, 0) + search.service[node] + (start - arrival if wait_counts else 0) + 1
            return marginal_value(problem, problem.nodes[node], 0, set()) ** power / cost

        best = search.insertions(route, pool, power, None)
        assert bool(best) == bool(inserts)
        if inserts:
            (negative, _, node, k), = best
            assert -negative == pytest.approx(max(ratio(n, k) for n, k, _ in inserts))
            assert any((n, place) == (node, k) for n, place, _ in inserts)
            found += 1
        improving = [(k, -problem.nodes[n].score, n, r) for n, k, r in swaps
                     if problem.nodes[n].score > problem.nodes[nodes[k]].score and r.key > route.key]
        got = search.swap(route, set(pool))
        assert (got is None) == (not improving)
        if improving:
            assert got.nodes == min(improving)[3].nodes
            swapped += 1
    assert found > 20 and swapped > 5


def test_benchmark_reuses_and_rechecks_an_earlier_runs_tours(tmp_path, monkeypatch, capsys):
    """--peers-from takes a peer's tours from an earlier CSV instead of running the peer, and checks
    each again: a tour that breaks a window is marked, whatever the file said of it."""
    import csv
    import sys

    from benchmarks import optw

    (tmp_path / "tiny.txt").write_text(TINY)
    (tmp_path / "BKS.csv").write_text("instance,bks\ntiny,62\n")
    earlier = tmp_path / "earlier.csv"
    with earlier.open("w", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=optw.COLUMNS)
        writer.writeheader()
        writer.writerow({"instance": "tiny", "solver": "pyvrp", "time_limit": 1.0, "score": 999, "bks": 62, "gap_pct": 0,
                         "seconds": 0.5, "proven": "false", "feasible": "true", "route": "4 1"})
    monkeypatch.setitem(optw.SOLVERS, "pyvrp", lambda *args: pytest.fail("the peer ran again"))
    out = tmp_path / "now.csv"
    monkeypatch.setattr(sys, "argv", ["optw.py", str(tmp_path), "--time-limit", "1", "--solvers", "tripplanner,pyvrp",
                                      "--peers-from", str(earlier), "--csv", str(out)])
    optw.main()
    assert "tours of pyvrp from earlier.csv" in capsys.readouterr().out
    rows = {row["solver"]: row for row in csv.DictReader(out.open())}
    assert rows["pyvrp"]["feasible"] == "false" and rows["pyvrp"]["route"] == "4 1"
    assert rows["tripplanner"]["feasible"] == "true"


def test_a_stalled_search_on_a_plain_problem_starts_again_from_its_best_kicked(monkeypatch):
    """After STALL_ROUNDS rounds without a better route the search on a plain time-window problem
    restarts from its best with part of it taken out; the kicked routes are routes, and the search
    still ends at the optimum."""
    from tripplanner.solver import heuristic
    from tripplanner.solver.params import Budget

    instance = parse_optw(TINY, "tiny.txt")
    kicks = []

    def recorded(search, best, optional, rng):
        kicks.append(heuristic_kick(search, best, optional, rng))
        return kicks[-1]

    heuristic_kick = heuristic._kick
    monkeypatch.setattr(heuristic, "STALL_ROUNDS", 5)
    monkeypatch.setattr(heuristic, "_kick", recorded)
    route = heuristic.solve_heuristic(instance.problem, 120, 0, Budget(60, work=10**7))
    assert len(kicks) >= 5
    for kicked in kicks:
        assert kicked is not None
        assert check_tour(instance, [instance.customer_of(n) for n in kicked.nodes[1:-1]])[0]
    assert check_tour(instance, [instance.customer_of(n) for n in route.nodes[1:-1]])[1] == _brute_force(instance)


def test_a_walk_whose_kick_finds_nothing_better_starts_afresh_and_keeps_the_best(monkeypatch):
    """After KICKS_BEFORE_RESTART kicks in a row without a better route, the walk starts again from the
    constructed route; the best route found before is kept (each reported best is better than the
    last, the search returns the last) and the search still ends at the optimum."""
    from tripplanner.solver import heuristic
    from tripplanner.solver.params import Budget

    instance = parse_optw(TINY, "tiny.txt")
    events, bests = [], []
    kick, restart = heuristic._kick, heuristic._restart

    def kicked(*args):
        events.append("kick")
        return kick(*args)

    def restarted(search, constructed, optional, rng):
        events.append("restart")
        route = restart(search, constructed, optional, rng)
        assert check_tour(instance, [instance.customer_of(n) for n in route.nodes[1:-1]])[0]
        return route

    monkeypatch.setattr(heuristic, "STALL_ROUNDS", 5)
    monkeypatch.setattr(heuristic, "_kick", kicked)
    monkeypatch.setattr(heuristic, "_restart", restarted)
    route = heuristic.solve_heuristic(instance.problem, 120, 0, Budget(60, work=10**7), on_improve=bests.append)
    assert events.count("restart") >= 3
    assert "restart, restart" not in ", ".join(events)  # a fresh walk kicks its own best first
    assert all(a.key < b.key for a, b in zip(bests, bests[1:]))
    assert route == bests[-1]
    assert check_tour(instance, [instance.customer_of(n) for n in route.nodes[1:-1]])[1] == _brute_force(instance)


def test_a_trip_search_never_kicks(monkeypatch):
    """Trips keep their record-to-record walk: the kick is for plain time-window problems only."""
    from tripplanner.api import load_trip_text
    from tripplanner.solver import heuristic
    from tripplanner.solver.build import build_problem
    from tripplanner.solver.params import Budget

    from benchmarks.generated import generated_request

    def refused(*args):
        raise AssertionError("a trip search kicked or restarted")

    problem = build_problem(load_trip_text(generated_request(12, 7), name="generated"))[0]
    monkeypatch.setattr(heuristic, "STALL_ROUNDS", 0)
    monkeypatch.setattr(heuristic, "_kick", refused)
    monkeypatch.setattr(heuristic, "_restart", refused)
    assert heuristic.solve_heuristic(problem, 30, 0, Budget(60, work=10**7)) is not None
