"""The local search: one engine for trips and for plain time-window instances (the OPTW benchmark).

Best-ratio insertion builds a route around the mandatory nodes; an iterated local search then
ruins part of it (a run of stops or scattered ones), recreates it by insertion, moves single stops
to shorter places and swaps routed stops for better unrouted ones, and on trips moves, adds, drops
or exchanges whole stays (one flight for several visits); on plain time-window problems, after
STALL_ROUNDS without a better route, it starts again from its best one with much of it taken out,
and after a kick that finds nothing better, afresh from the constructed route (the best kept aside).
It runs for a seeded number of rounds or until its counted work budget (params.Budget) is spent,
so the same problem and parameters always give the same route. Routes are compared by the
profile's key (solver/route.py); an `accept` predicate can restrict which routes may be returned
(alternatives that must differ from earlier plans).

The moves and their constant-time tests are in solver/moves.py; on plain time-window problems
(solver/plain.py) they are priced all at once with numpy.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from tripplanner.solver.moves import Search
from tripplanner.solver.params import Budget
from tripplanner.solver.problem import FIXED_IN_TIME, Problem
from tripplanner.solver.route import Profile, Route

INSERTION_POWERS = (1.0, 2.0)
"""Insertion ratio gain^power / added minutes, the power drawn per round: 1 favours tight fits,
2 favours high values (the two of the OPTW literature). On plain time-window problems a round also
draws whether waiting for a window counts as added minutes (it does in the literature's ratio; not
counting it found 2-4 % more on the Cordeau pr instances, counting it more on Solomon's r2/rc2)."""
SEGMENT_RUIN_SHARE = 0.5
"""Share of ruin steps that remove a run of consecutive stops (a stretch of days) rather than
scattered ones: what it takes to move a whole part of the trip elsewhere."""
ACCEPT_SLACK_PER_MILLE = 30
"""Record-to-record acceptance: a new route is kept if its worth is within this share of the
best worth, the share shrinking to zero over the rounds (value profile only)."""
SHAKE_RESET = 0.5
"""Stops taken out per round: one after an improvement, one more after each round without, back to
one past this share of the route (the shaking of Vansteenwegen et al. 2009)."""
RETURN_TO_BEST = 0.3
"""Chance of going back to the best route when the shaking starts over (trips)."""
PLAIN_RETURN_TO_BEST = 0.5
"""The same on plain time-window problems, where every round's route is kept."""
PLAIN_HELD_OUT_SHARE = 0.25
"""On plain time-window problems, the share of rounds whose removed stops stay out of the first
refill (on trips, every round). Measured at 10 s on 10 Cordeau and 8 Solomon instances (one seed):
0.25 with PLAIN_RETURN_TO_BEST 0.5 scored 5,770 on the Cordeau ones against 5,683 with neither
(pr19 538 against 486: a route that keeps refilling with the stops just removed stays in one
region), 7,391 on the Solomon ones against 7,403; 0.5 scored 5,787 and 7,353."""
STALL_ROUNDS = 400
"""On plain time-window problems, rounds without a new best after which the search starts again from
its best route kicked: KICK_SHARE of its stops taken out and the rest refilled. The walk otherwise
circles its best for good: at 10 s a Cordeau pr instance runs about 2,500 rounds, and pr05's best
came at round 250 and stayed the same at 60 s."""
KICK_SHARE = 0.6
"""Share of the best route's stops a kick takes out (a run of them or scattered ones, as _ruin does)."""
KICKS_BEFORE_RESTART = 1
"""On plain time-window problems, kicks in a row that find no better route, after which the walk
starts afresh from the constructed route (recreated with another insertion power and noise), the
best so far kept aside. Kicks keep the walk near its best: seeds of the same 8 s search end 10-35
points apart on Cordeau pr10, pr16 and pr20. Seven large Cordeau instances (pr05, 10, 12, 14, 16,
19, 20), two seeds at 40 s: 7,997 with kicks only, 8,011 restarting after 3 kicks, 8,035 after 1,
8,025 with no kick; three seeds at 8 s: 11,907 with kicks only, 11,955 after 1. A fresh walk starts only
when the budget left exceeds what the current walk took to reach its best: without that check the
Solomon r2/rc2 instances lost 54 points at 10 s (restarts with too little time left to catch up)."""


def base_route(problem: Problem) -> list[int]:
    """Start, the mandatory anchors and booked nights in time order, end (mandatory visits are inserted after)."""
    anchors = [i for i in problem.mandatory if problem.nodes[i].kind in FIXED_IN_TIME]
    return [Problem.START, *sorted(anchors, key=lambda i: (problem.nodes[i].windows[0].earliest, i)), Problem.END]


def _near_best(search: Search, trial: Route, best: Route | None, progress: float) -> bool:
    """Record-to-record acceptance: within ACCEPT_SLACK_PER_MILLE of the best worth, shrinking with progress."""
    if best is None or search.profile != Profile.VALUE:
        return False
    floor = best.worth - round(abs(best.worth) * ACCEPT_SLACK_PER_MILLE / 1000 * (1 - progress))
    return best.value > 0 and trial.worth >= floor


def _ruin(route: Route, mandatory: frozenset[int], strength: int, rng: random.Random) -> set[int] | None:
    """Stops to take out: a run of `strength` consecutive ones or as many scattered ones."""
    removable = [i for i in route.nodes[1:-1] if i not in mandatory]
    if not removable:
        return None
    count = min(len(removable), strength)
    if rng.random() < SEGMENT_RUIN_SHARE:
        first = rng.randrange(len(removable))
        return set(removable[first:first + count])
    return set(rng.sample(removable, count))


def _local_search(search: Search, route: Route, iterations: int, rng: random.Random,
                  on_improve: Callable[[Route], None] | None, constructed: Route) -> Route | None:
    """Rounds of ruin and recreate. On a plain time-window problem every round's route is kept (a
    walk that returns to the best now and then) and in most rounds removed stops may come straight
    back, as in the OPTW literature (PLAIN_HELD_OUT_SHARE); on a trip, removed stops stay out of the
    first refill and a round's route is kept when near the best (record-to-record). Each choice the
    other way lost on its own kind of problem (issue 18's closing notes have the figures). On a
    plain problem a stalled walk is kicked and then restarted from `constructed` (KICKS_BEFORE_RESTART)."""
    p = search.problem
    optional = set(p.optional) - search.banned
    best = route if search.accept(route.nodes) else None
    if best is not None and on_improve:
        on_improve(best)
    strength = 1
    back_to_best = PLAIN_RETURN_TO_BEST if search.exact else RETURN_TO_BEST
    stalled = kicks = 0
    walk_best = best
    walk_began = walk_found = search.budget.spent()
    for iteration in range(iterations):
        if search.budget.over():
            break
        stalled += 1
        if search.exact and stalled > STALL_ROUNDS and walk_best is not None:
            stalled = 0
            kicks += 1
            now = search.budget.spent()
            if kicks > KICKS_BEFORE_RESTART and 1 - now > walk_found - walk_began:
                route, walk_best, strength, kicks = _restart(search, constructed, optional, rng), None, 1, 0
                walk_began = walk_found = now
                continue
            kicked = _kick(search, walk_best, optional, rng)
            if kicked is not None:
                route, strength = kicked, 1
                continue
        removed = _ruin(route, search.mandatory, strength, rng)
        if removed is None:
            break
        kept = tuple(i for i in route.nodes if i not in removed)
        trial = search.route(kept)
        if trial is not None and not search.keeps_required(kept):
            trial = search.cover_required(trial)  # a pinned city may move: it goes back in first
        if trial is None:
            continue
        power = rng.choice(INSERTION_POWERS)
        search.wait_counts = search.exact and rng.random() < 0.5
        if not search.exact or rng.random() < PLAIN_HELD_OUT_SHARE:
            trial = search.fill(trial, optional - removed, power, rng)
        trial = search.improve(trial, optional, power, rng)
        if (search.exact or trial.key >= route.key or not search.accept(route.nodes)
                or _near_best(search, trial, best, iteration / iterations)):
            route = trial
        if search.accept(route.nodes) and (walk_best is None or route.key > walk_best.key):
            walk_best, strength, stalled, kicks = route, 1, 0, 0
            walk_found = search.budget.spent()
            if best is None or route.key > best.key:
                best = route
                if on_improve:
                    on_improve(best)
            continue
        strength += 1
        if strength > max(1, int(len(route.nodes) * SHAKE_RESET)):
            strength = 1
            if walk_best is not None and rng.random() < back_to_best:
                route = walk_best
    return best


def _kick(search: Search, best: Route, optional: set[int], rng: random.Random) -> Route | None:
    """The best route with KICK_SHARE of its stops taken out, refilled without them and improved."""
    removed = _ruin(best, search.mandatory, max(2, int(len(best.nodes) * KICK_SHARE)), rng)
    if removed is None:
        return None
    kept = search.route(tuple(i for i in best.nodes if i not in removed))
    if kept is None:
        return None
    power = rng.choice(INSERTION_POWERS)
    return search.improve(search.fill(kept, optional - removed, power, rng), optional, power, rng)


def _restart(search: Search, constructed: Route, optional: set[int], rng: random.Random) -> Route:
    """The constructed route improved with a drawn insertion power and noise: a fresh walk."""
    return search.improve(constructed, optional, rng.choice(INSERTION_POWERS), rng)


def solve_heuristic(problem: Problem, iterations: int, seed: int, budget: Budget,
                    on_improve: Callable[[Route], None] | None = None, profile: Profile = Profile.VALUE,
                    accept: Callable[[tuple[int, ...]], bool] | None = None,
                    banned: frozenset[int] = frozenset()) -> Route | None:
    """The best accepted route found (None if construction fails or nothing is accepted).

    on_improve is called with each new best route, first with the constructed one.
    """
    search = Search(problem, profile, budget, banned, accept or (lambda nodes: True))
    route = search.route(base_route(problem))
    if route is None:
        return None
    route = search.cover_required(route)
    if route is None:
        return None
    improved = search.improve(route, set(problem.optional), 1.0, None)
    return _local_search(search, improved, iterations, random.Random(seed), on_improve, route)
