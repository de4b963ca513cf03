"""Exhaustive search over routes, for proofs on small trips.

Depth first from home, every stop timed by schedule.next_stop (the rules the plan's timing
uses), from every departure day schedule_route may try. A branch is cut when its optimistic
bound (solver/bound.py) says it cannot beat the best route known (value first, then less
travel), when it is dead (an anchor, the way home or its long legs out of reach), or when the
same situation (last stop, stops made, clock, the tallies of the days still ahead) was already
searched, leaving no earlier, with no more travel. Run to the end, it proves the best route;
cut short by its work budget, it still bounds the value.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass
from itertools import chain

from tripplanner.solver import rulebook
from tripplanner.solver.bound import Bound, Branch
from tripplanner.solver.objective import route_travel, scalar_of_worth, worth
from tripplanner.solver.params import Budget
from tripplanner.solver.problem import Problem
from tripplanner.solver.route import Route, SolveResult, Stage, Status, make_route
from tripplanner.solver.schedule import Failure, departure_floors, first_ready, next_stop

START, END = Problem.START, Problem.END
NO_ROUTE = -(1 << 62)
"""Worth below any route's: the key of 'no route known yet'."""
MAX_NODES = 40
"""Beyond this many nodes an exhaustive search has no chance of finishing: not tried."""


@dataclass(frozen=True)
class Proof:
    complete: bool
    """The search ran to the end: no route beats best_key."""
    best_nodes: tuple[int, ...] | None
    """A route better than the incumbent, if the search found one."""
    best_key: tuple[int, int]
    """(worth, -travel) of the best route known at the end."""
    value_bound: int
    """No route is worth more (objective.worth units); equals best_key[0] when complete."""
    work: int


class _Search(Bound):
    def __init__(self, problem: Problem, incumbent: tuple[int, int], budget: Budget):
        super().__init__(problem, incumbent)
        self.budget = budget
        self.best_nodes: tuple[int, ...] | None = None
        self.seen: dict[tuple, list[tuple[int, int]]] = {}
        """Per situation, the (departure day, travel) of the branches already searched from it."""
        self.exhausted = False

    def step(self, state: Branch, target: int) -> Branch | None:
        """The branch going on from state to target, timed as the plan would be (None if it cannot)."""
        self.budget.charge(1)
        here, there = self.p.nodes[state.last].location, self.p.nodes[target].location
        if there != here and (rulebook.splits_a_stay(self.p, state.route, there)
                              or rulebook.too_many_cities(
                                  self.p, chain((self.p.nodes[i].location for i in state.route), (there,)))):
            return None
        travel_used, visits = defaultdict(int, state.travel_used), defaultdict(int, state.visits)
        previous_end = None if state.last == START else state.ready  # home is left, not an activity ended
        timing = next_stop(self.p, state.last, target, state.ready, previous_end, travel_used, visits)
        if isinstance(timing, Failure):
            return None
        departure, arrival, start, _ = timing
        leave = state.leave if state.leave >= 0 else bisect_right(self.rules.home_midnights, departure) - 1
        node = self.p.nodes[target]
        theme_best = state.theme_best
        if node.theme >= 0 and node.score > theme_best[node.theme]:
            theme_best = theme_best[:node.theme] + (node.score,) + theme_best[node.theme + 1:]
        groups = state.groups | {node.group} if node.group >= 0 else state.groups
        end = start + node.service_min
        return Branch(target, state.visited | 1 << target, end, arrival, travel_used, visits, leave,
                      state.value + self.marginal(state, target), state.travel + self.leg[state.last][target],
                      theme_best, groups, state.route + (target,))

    def finish(self, state: Branch) -> None:
        """Try going home from state; record the route if it is better."""
        if any(not state.visited >> i & 1 for i in self.mandatory):
            return
        if any(g not in state.groups for g in self.p.required_groups):
            return
        home = self.step(state, END)
        if home is None or home.arrived > self.deadline(state):
            return
        key = (worth(self.p, home.value, home.travel), -home.travel)
        if key > self.best_key and (self.p.max_hotel_changes is None or make_route(self.p, home.route) is not None):
            self.best_key, self.best_nodes = key, home.route

    def situation(self, state: Branch) -> tuple:
        """What the rest of the route depends on, besides the departure day (which only sets how
        late the delegation may come home): past days' tallies no longer matter."""
        travel_from = max(0, bisect_right(self.late_starts, state.ready) - 1)
        visits_from = next((day for day, latest in self.visit_days if latest >= state.ready), 1 << 30)
        return (state.last, state.visited, state.ready,
                tuple(sorted((d, m) for d, m in state.travel_used.items() if d >= travel_from)),
                tuple(sorted((d, n) for d, n in state.visits.items() if d >= visits_from)))

    def first_visit(self, key: tuple, state: Branch) -> bool:
        """Record a branch; False if one from the same situation was searched (or cut: a cut stays
        valid as the best route only gets better) that left no earlier and had no more travel."""
        if self.p.max_hotel_changes is not None:
            return True  # the hotels of the past days matter to the rest: no branch stands for another
        searched = self.seen.setdefault(key, [])
        if any(leave >= state.leave and travel <= state.travel for leave, travel in searched):
            return False
        searched[:] = [(leave, travel) for leave, travel in searched if leave > state.leave or travel < state.travel]
        searched.append((state.leave, state.travel))
        return True

    def children(self, state: Branch):
        """The continuations of state worth searching, with the most each may be worth.

        Going home from state is tried first. Once the work budget is spent, the remaining
        continuations are still stepped and bounded (not searched), so that the bound holds.
        """
        if state.last != START:
            self.finish(state)
        deadline = self.deadline(state)
        nxt = self.next_fixed(state)
        for target in self.branches:
            if state.visited >> target & 1:
                continue
            if not self.p.nodes[target].mandatory and not any(self.reachable(state, target, nxt, deadline)):
                continue
            if not self.exhausted and self.budget.over():
                self.exhausted = True
            child = self.step(state, target)
            if child is None:
                continue
            key = self.situation(child)
            if not self.first_visit(key, child):
                continue
            bound = self.optimistic(child)
            if bound is None:
                continue
            add, travel_more = bound
            travel = child.travel + travel_more
            best_worth = worth(self.p, child.value + add, travel)
            if (best_worth, -travel) <= self.best_key:
                continue
            yield child, best_worth

    def search(self, state: Branch) -> int:
        """Explore state; return an upper bound on the worth of what was left unexplored (NO_ROUTE: nothing)."""
        open_bound = NO_ROUTE
        for child, best_worth in self.children(state):
            open_bound = max(open_bound, best_worth if self.exhausted else self.search(child))
        return open_bound

    def roots(self) -> list[Branch]:
        """Home, from each departure day schedule_route may try, latest first (a later departure may
        come home later, so the same situation reached from it covers the earlier ones)."""
        p = self.p
        readies = sorted({first_ready(p, floor) for floor in departure_floors(p)}, reverse=True)
        return [Branch(START, 1 << START, ready, ready, {}, {}, -1, 0, 0, (0,) * self.theme_count, frozenset(),
                       (START,)) for ready in readies]


def searchable(problem: Problem) -> bool:
    """Small enough for an exhaustive search, with the day rules its bound needs (trips, not benchmark instances)."""
    return problem.days is not None and problem.size <= MAX_NODES


def prove(problem: Problem, incumbent_nodes: tuple[int, ...] | None, incumbent_value: int, budget: Budget) -> Proof | None:
    """Search every route for one better than the incumbent (worth more, or as much for less travel).

    None when the problem has no day rules (benchmark instances: the bound needs them) or too many nodes.
    """
    if not searchable(problem):
        return None
    if incumbent_nodes:
        travel = route_travel(problem, incumbent_nodes)
        incumbent = (worth(problem, incumbent_value, travel), -travel)
    else:
        incumbent = (NO_ROUTE, 0)
    search = _Search(problem, incumbent, budget)
    open_bound = max((search.search(root) for root in search.roots()), default=NO_ROUTE)
    complete = not search.exhausted
    value_bound = search.best_key[0] if complete else max(search.best_key[0], open_bound)
    return Proof(complete, search.best_nodes, search.best_key, value_bound, budget.work)


def search_exhaustively(problem: Problem, incumbent: Route | None, budget: Budget) -> SolveResult:
    """The exhaustive search as a solver stage: the best route it knows at the end (the incumbent
    unless it found better), OPTIMAL or INFEASIBLE when it ran to the end, else the value bound."""
    proof = prove(problem, incumbent.nodes if incumbent else None, incumbent.value if incumbent else 0, budget)
    found = make_route(problem, proof.best_nodes) if proof.best_nodes else None
    route = found or incumbent
    stage = Stage.EXHAUSTIVE if found is not None else Stage.LOCAL_SEARCH
    clock = {"wall_clock_stop": budget.expired, "interrupted": budget.stopped()}
    if proof.complete:
        if route is None:
            return SolveResult(Status.INFEASIBLE, None, stage, **clock)
        best_worth, travel = proof.best_key[0], -proof.best_key[1]
        status = Status.OPTIMAL if route.key == proof.best_key else Status.FEASIBLE
        return SolveResult(status, route, stage, bound=scalar_of_worth(problem, best_worth, travel), value_bound=best_worth,
                           **clock)
    return SolveResult(Status.FEASIBLE if route else Status.UNKNOWN, route, stage,
                       bound=scalar_of_worth(problem, proof.value_bound, 0), value_bound=proof.value_bound, **clock)
