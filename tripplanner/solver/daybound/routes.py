"""Between a timed route and the day-indexed model's variables: a route's values (a warm start, and
the tests' check that routes are solutions) and the solved model read back as a route."""
from __future__ import annotations

import itertools
from collections import defaultdict

from ortools.sat.python import cp_model

from tripplanner.solver import rulebook
from tripplanner.solver.daybound.blocks import DayBlocks, block_day
from tripplanner.solver.daybound.variables import _Variables
from tripplanner.solver.problem import ENGAGEMENTS, NodeKind, Problem

START, END = Problem.START, Problem.END
SOURCE, SINK = ("source",), ("sink",)
"""The path's ends: leaving home, coming back."""


class _RouteMapping(DayBlocks):
    """Routes in and out of _Relaxation (model.py), in the simple case."""

    variables: _Variables | None = None
    """The model's variables, once built."""

    def route_values(self, stops) -> dict[cp_model.IntVar, int] | None:
        """The built model's variables' values for a timed route (schedule.Stop list), in the simple
        case: a warm start, and a check that the route is one of the model's solutions (tests).
        None when the route does not fit the model."""
        v = self.variables
        if not self.simple or v is None:
            return None
        p = self.p
        values: dict[cp_model.IntVar, int] = {}
        for literal in itertools.chain(v.attends.values(), v.block_used.values(), v.at.values(), v.arcs.values(),
                                       v.before.values(), v.lands_evening.values(), v.evening.values(),
                                       v.morning.values(), (flag for flag in v.present.values() if not isinstance(flag, int))):
            values[literal] = 0
        runs: list[tuple[int, int, list]] = []  # (day, place, stops) of each block, in route order
        for stop in stops:
            node = p.nodes[stop.node]
            if node.kind not in ENGAGEMENTS:
                continue
            day = block_day(p, node, stop.day, stop.start)
            if (stop.node, day) not in v.attends:
                return None
            values[v.attends[(stop.node, day)]] = 1
            if not isinstance(v.present[stop.node], int):
                values[v.present[stop.node]] = 1
            if runs and runs[-1][0] == day and runs[-1][1] == node.location:
                runs[-1][2].append(stop)
            else:
                runs.append((day, node.location, [stop]))
        if not runs:
            return None
        position: dict[int, int] = defaultdict(int)
        path: list[tuple] = [SOURCE]
        for n, (day, place, attended) in enumerate(runs):
            q = position[day]
            position[day] += 1
            if (day, q, place) not in v.at:
                return None
            path.append((day, q, place))
            values[v.block_used[(day, place)]] = 1
            values[v.at[(day, q, place)]] = 1
            values[v.start[(day, q)]] = attended[0].start
            values[v.end[(day, q)]] = attended[-1].end
            values[v.day_end[day]] = attended[-1].end
            for anchor in attended:
                if p.nodes[anchor.node].kind is NodeKind.ANCHOR:
                    for other in attended:
                        if other is not anchor:
                            values[v.before[(anchor.node, other.node, day)]] = int(other.start < anchor.start)
            following = runs[n + 1] if n + 1 < len(runs) else None
            if following is not None and following[0] == day:
                continue  # a move in the middle of the day
            upto = following[0] - 1 if following is not None else self.last_day
            path += [("dep", k, place) for k in range(day, upto + 1)]
            if following is None:
                continue
            leg = following[2][0]  # the night's leg lands for this stop
            there = p.nodes[leg.node].location
            counted = rulebook.counted_travel(p, self.cost(place, there))
            evening = p.calendars[there].day_of(leg.arrival) <= upto
            values[v.lands_evening[upto]] = int(evening)
            values[v.evening[upto] if evening else v.morning[upto + 1]] = counted
        path.append(SINK)
        for tail, head in zip(path, path[1:]):
            if (tail, head) not in v.arcs:
                return None
            values[v.arcs[(tail, head)]] = 1
        return values

    def read_route(self, solver: cp_model.CpSolver) -> tuple[int, ...] | None:
        """The solved model's engagements as a route: blocks by day and position, each block's
        engagements in the first order that schedule_route accepts (all orders are tried, blocks are
        small). None when it has none or a block has no order."""
        from tripplanner.solver.schedule import Failure, schedule_route

        v = self.variables
        p = self.p
        route = [START]
        for k, _, a in sorted(key for key, literal in v.at.items() if solver.Value(literal)):
            attended = [i for i, _, _ in self.blocks[(k, a)].engagements if solver.Value(v.attends[(i, k)])]
            order = None
            for attempt in itertools.islice(itertools.permutations(attended), 720):
                if not isinstance(schedule_route(p, route + list(attempt)), Failure):
                    order = list(attempt)
                    break
            if order is None:
                return None
            route += order
        return tuple(route + [END]) if len(route) > 1 else None


def apply_values(model: cp_model.CpModel, values: dict[cp_model.IntVar, int]) -> None:
    """Hint the model's variables with values (_Relaxation.route_values)."""
    for variable, value in values.items():
        model.AddHint(variable, value)
