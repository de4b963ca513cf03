"""Peer solvers on an OPTW instance, each in its best honest prize-collecting configuration.

Every adapter takes an OptwInstance and a time limit and returns the tour as customer numbers
(depot omitted); benchmarks/optw.py checks each tour independently before counting its score.
"""

from __future__ import annotations

from datetime import timedelta

from tripplanner.solver.optw import OptwInstance
from tripplanner.solver.problem import Problem


def _data(instance: OptwInstance):
    p = instance.problem
    budget = p.nodes[Problem.END].windows[0].latest
    customers = range(1, instance.customers + 1)
    return p, budget, customers


def solve_tripplanner(instance: OptwInstance, seconds: float) -> tuple[list[int], bool]:
    """The planner's own solve() with two workers: the local search (and, on instances small enough,
    the exhaustive search) side by side with CP-SAT, until the time limit or a proof."""
    from tripplanner.solver.params import SolveParams
    from tripplanner.solver.solve import solve

    params = SolveParams(time_limit_s=seconds, workers=2, heuristic_share=0.9)
    result = solve(instance.problem, params)
    if result.route is None:
        return [], False
    return [instance.customer_of(n) for n in result.route.nodes[1:-1]], result.status == "optimal"


def solve_pyvrp(instance: OptwInstance, seconds: float) -> tuple[list[int], bool]:
    """PyVRP: optional clients with prizes worth more than any route length, shift = the budget."""
    from pyvrp import Model
    from pyvrp.stop import MaxRuntime

    p, budget, customers = _data(instance)
    model = Model()
    locations = [model.add_location(x=0, y=0) for _ in range(instance.customers + 1)]
    depot = model.add_depot(locations[0], tw_early=0, tw_late=budget)
    model.add_vehicle_type(num_available=1, start_depot=depot, end_depot=depot, tw_early=0, tw_late=budget, shift_duration=budget)
    weight = budget + 1
    for c in customers:
        node = p.nodes[c + 1]
        model.add_client(locations[c], service_duration=node.service_min, tw_early=node.windows[0].earliest,
                         tw_late=node.windows[0].latest, prize=node.score * weight, required=False)
    for a in range(instance.customers + 1):
        for b in range(instance.customers + 1):
            if a != b:
                minutes = p.travel_min[a][b]
                model.add_edge(locations[a], locations[b], distance=minutes, duration=minutes)
    result = model.solve(stop=MaxRuntime(seconds), seed=0, display=False)
    routes = result.best.routes()
    if not routes:
        return [], False
    is_client = lambda a: a.is_client() if callable(a.is_client) else a.is_client  # noqa: E731
    return [activity.idx + 1 for activity in routes[0] if is_client(activity)], False


def solve_vroom(instance: OptwInstance, seconds: float) -> tuple[list[int], bool]:
    """VROOM: jobs with priorities (the scores, 0-100), one vehicle whose time window is the budget."""
    import vroom

    p, budget, customers = _data(instance)
    problem = vroom.Input()
    problem.set_durations_matrix(profile="car", matrix_input=[list(row) for row in p.travel_min])
    problem.add_vehicle(vroom.Vehicle(1, start=0, end=0, time_window=vroom.TimeWindow(0, budget)))
    for c in customers:
        node = p.nodes[c + 1]
        problem.add_job(vroom.Job(c, location=c, default_service=node.service_min, priority=min(100, node.score),
                                  time_windows=[vroom.TimeWindow(node.windows[0].earliest, node.windows[0].latest)]))
    solution = problem.solve(exploration_level=5, nb_threads=2, timeout=timedelta(seconds=seconds))
    routes = solution.routes
    jobs = routes[routes["type"] == "job"]
    return [int(i) for i in jobs["id"]], False


def solve_ortools_routing(instance: OptwInstance, seconds: float) -> tuple[list[int], bool]:
    """OR-Tools routing: a disjunction per customer with its score as the drop penalty, tabu search."""
    from ortools.constraint_solver import pywrapcp, routing_enums_pb2

    p, budget, customers = _data(instance)
    size = instance.customers + 1
    manager = pywrapcp.RoutingIndexManager(size, 1, 0)
    routing = pywrapcp.RoutingModel(manager)
    service = [0] + [p.nodes[c + 1].service_min for c in customers]

    def transit(from_index: int, to_index: int) -> int:
        a, b = manager.IndexToNode(from_index), manager.IndexToNode(to_index)
        return service[a] + p.travel_min[a][b]

    callback = routing.RegisterTransitCallback(transit)
    routing.SetArcCostEvaluatorOfAllVehicles(callback)
    routing.AddDimension(callback, budget, budget, False, "time")
    time_dimension = routing.GetDimensionOrDie("time")
    for c in customers:
        window = p.nodes[c + 1].windows[0]
        index = manager.NodeToIndex(c)
        time_dimension.CumulVar(index).SetRange(window.earliest, window.latest)
        routing.AddDisjunction([index], p.nodes[c + 1].score * (budget + 1) * 10)
    time_dimension.CumulVar(routing.Start(0)).SetRange(0, budget)
    time_dimension.CumulVar(routing.End(0)).SetRange(0, budget)
    search = pywrapcp.DefaultRoutingSearchParameters()
    search.first_solution_strategy = routing_enums_pb2.FirstSolutionStrategy.PATH_CHEAPEST_ARC
    # Tabu search, not the usual guided local search: with drop penalties it finds the optimum of the
    # tiny test instance and gains 10-40 % on r1/rc1 instances where guided local search stalls (measured at 3 s).
    search.local_search_metaheuristic = routing_enums_pb2.LocalSearchMetaheuristic.TABU_SEARCH
    search.time_limit.FromMilliseconds(int(seconds * 1000))
    solution = routing.SolveWithParameters(search)
    if solution is None:
        return [], False
    tour, index = [], solution.Value(routing.NextVar(routing.Start(0)))
    while not routing.IsEnd(index):
        tour.append(manager.IndexToNode(index))
        index = solution.Value(routing.NextVar(index))
    return tour, False


SOLVERS = {
    "tripplanner": solve_tripplanner,
    "ortools-routing": solve_ortools_routing,
    "pyvrp": solve_pyvrp,
    "vroom": solve_vroom,
}
