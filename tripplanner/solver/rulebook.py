"""The rule book: the plan's rules as answers to small questions.

The route timing (solver/schedule.py), the display polish (solver/polish.py), the exhaustive search's
bound (solver/bound.py) and the pre-solve checks (checks.py) ask these questions instead of
restating the rules. The CP-SAT model (solver/rules.py) states the same rules declaratively and
tests hold it to this book (tests/solver/test_rulebook.py); verify.py restates them on purpose,
independently, so a shared bug cannot hide.

A new rule of timing (say, a minimum gap between arriving in a city and its first engagement)
is one change here, one in solver/rules.py and one in verify.py, plus the limit that sets it.

All times are absolute minutes from the trip's start, at a location (an index into the
problem's calendars); a leg is known by its door-to-door minutes.
"""

from __future__ import annotations

from collections.abc import Iterable

from tripplanner.solver.problem import ENGAGEMENTS, FIXED_IN_TIME, DayRules, Node, NodeKind, Problem

PER_MILLE = 1000
"""The theme repeat factor is held in thousandths, so values are exact integers."""

# -- legs -------------------------------------------------------------------------------------


def leg_too_long(problem: Problem, minutes: int) -> bool:
    """A single leg longer than the request's max_leg_hours."""
    return minutes > problem.max_leg_min


def keeps_out_of_night(problem: Problem, minutes: int) -> bool:
    """Short legs neither depart nor arrive in the local night; long-haul flights may."""
    return not problem.is_long_haul(minutes)


def may_leave(problem: Problem, location: int, moment: int, minutes: int) -> bool:
    return first_departure(problem, location, moment, minutes) == moment


def may_arrive(problem: Problem, location: int, moment: int, minutes: int) -> bool:
    return problem.is_long_haul(minutes) or not problem.calendars[location].in_night(moment)


def first_departure(problem: Problem, location: int, moment: int, minutes: int) -> int:
    """The earliest instant from moment at which the leg may leave location: not in its night and,
    unless the request allows overnight legs, not so late that a short leg runs into the night."""
    if problem.is_long_haul(minutes):
        return moment
    calendar = problem.calendars[location]
    leave = calendar.night_end_after(moment)
    if not problem.overnight_legs:
        return calendar.night_starting_in(leave, leave + minutes) or leave
    return leave


def departure_for_daylight_arrival(problem: Problem, location: int, departure: int, minutes: int) -> int:
    """The earliest departure from departure on whose arrival at location the leg may land."""
    if problem.is_long_haul(minutes):
        return departure
    arrival = departure + minutes
    morning = problem.calendars[location].night_end_after(arrival)
    return departure if morning == arrival else morning - minutes


def travel_day(problem: Problem, location: int, arrival: int) -> int:
    """The trip day a leg counts toward: the local trip day of its arrival."""
    return problem.calendars[location].day_of(arrival)


def counted_travel(problem: Problem, minutes: int) -> int:
    """What a leg adds to its day: its minutes, never more than the whole daily allowance, so a leg
    longer than the limit travels alone on its day."""
    return min(minutes, problem.days.max_travel_min_per_day)


def fits_travel_day(problem: Problem, used: int, minutes: int) -> bool:
    """Whether a leg fits a day that has already counted `used` minutes of travel (counted_travel)."""
    limit = problem.days.max_travel_min_per_day
    return used + min(minutes, limit) <= limit


# -- rest and starts --------------------------------------------------------------------------


def rested_from(problem: Problem, location: int, earlier: int, moment: int) -> int:
    """The earliest instant from moment that keeps the night rest after an activity that ended at
    earlier in the same place: on a later trip day, min_rest after it."""
    if problem.days is None:
        return moment
    calendar = problem.calendars[location]
    if calendar.day_of(earlier) != calendar.day_of(moment) and moment - earlier < problem.days.min_rest_min:
        return earlier + problem.days.min_rest_min
    return moment


def arrival_margin(problem: Problem, node: Node, minutes: int, origin: int) -> int:
    """Minutes between arriving from location origin by a leg of this length and the node's
    earliest start (margin_after_leg)."""
    buffer = node.buffer_min if origin != node.location else 0
    if problem.is_long_haul(minutes) and node.kind in ENGAGEMENTS:
        return max(buffer, problem.days.long_haul_rest_min)
    return buffer


def margin_after_leg(days: DayRules | None, kind: NodeKind, buffer_min: int, minutes: int, same_city: bool = False) -> int:
    """The anchor buffer after an arrival from another city (between two engagements in one city
    the in-city transfer is the whole gap), and after a long-haul leg the rest before an engagement
    (the two overlap). Without day rules (benchmark instances) the buffer alone."""
    buffer = 0 if same_city else buffer_min
    rest = days.long_haul_rest_min if days is not None and days.is_long_haul(minutes) and kind in ENGAGEMENTS else 0
    return max(buffer, rest)


def leave_margin(node: Node, destination: int) -> int:
    """Minutes between the end of node and the departure of a leg to location destination: the
    departure buffer after an anchor when the leg leaves its city."""
    return node.leave_min if destination != node.location else 0


def earliest_start(problem: Problem, node: Node, arrival: int, minutes: int, origin: int) -> int:
    return arrival + arrival_margin(problem, node, minutes, origin)


def takes_visit_slot(node: Node) -> bool:
    """Visits count toward max_visits_per_day; anchors and nights do not."""
    return node.kind is NodeKind.VISIT


# -- the shape of the route -------------------------------------------------------------------


def _stays(problem: Problem, nodes: Iterable[int]) -> list[tuple[int, bool]]:
    """(location, has a fixed node) for each run of consecutive stops in one city away from home."""
    runs: list[tuple[int, bool]] = []
    previous = 0
    for i in nodes:
        node = problem.nodes[i]
        fixed = node.kind in FIXED_IN_TIME
        if node.location == previous and runs:
            runs[-1] = (previous, runs[-1][1] or fixed)
        elif node.location != 0:
            runs.append((node.location, fixed))
        previous = node.location
    return runs


def splits_a_stay(problem: Problem, nodes: Iterable[int], opening: int | None = None) -> bool:
    """Whether a city is left and come back to without need: two stays in one city are allowed only
    when each has an anchor or a booked night (unless the request allows split stays). The stays of
    nodes are complete; opening is the location of a stay that starts next, if any."""
    if problem.split_stays:
        return False
    runs = _stays(problem, nodes)
    count: dict[int, int] = {}
    for location, _ in runs:
        count[location] = count.get(location, 0) + 1
    if opening is not None and opening != 0:
        count[opening] = count.get(opening, 0) + 1
    return any(not fixed and count[location] > 1 for location, fixed in runs)


def too_many_cities(problem: Problem, locations: Iterable[int]) -> bool:
    """More distinct cities than limits.max_cities (home not counted)."""
    return problem.max_locations is not None and len(set(locations) - {0}) > problem.max_locations


IN_TRANSIT = -1
"""The sleep location of a night spent on a leg."""


def hotel_changes(problem: Problem, stops) -> int:
    """Nights in another city than the night before (home and nights in transit not counted), read
    as the day table reads them: each local date ends where its last item leaves the delegation, or
    in transit when that item is a leg landing on a later date. Pass the stops as the display polish
    places the nights (solver/polish.py hotels_kept), so the count is the day table's."""
    items: list[tuple[int, int, int | None]] = []  # (local date, location after it, arrival date of a leg)
    for stop, following in zip(stops, [*stops[1:], None]):
        node = problem.nodes[stop.node]
        calendar = problem.calendars[node.location]
        if node.kind in ENGAGEMENTS:
            items.append((calendar.date_of(stop.start), node.location, None))
        if following is None:
            continue
        there = problem.nodes[following.node].location
        if there != node.location or problem.travel(stop.node, following.node) > 0:
            items.append((calendar.date_of(stop.departure), there, problem.calendars[there].date_of(following.arrival)))
    by_date: dict[int, list[tuple[int, int, int | None]]] = {}
    current = None
    for item in items:
        current = item[0] if current is None or item[0] > current else current
        by_date.setdefault(current, []).append(item)
    if not by_date:
        return 0
    nights, where = [], 0
    for date in range(min(by_date), max(by_date) + 1):
        todays = by_date.get(date, [])
        if todays:
            where = todays[-1][1]
        sleep = IN_TRANSIT if todays and todays[-1][2] is not None and todays[-1][2] > date else where
        if sleep not in (0, IN_TRANSIT):
            nights.append(sleep)
    return sum(1 for a, b in zip(nights, nights[1:]) if a != b)


def shape_allowed(problem: Problem, nodes: Iterable[int]) -> bool:
    """A complete route keeps whole stays and the city limit."""
    nodes = tuple(nodes)
    return not splits_a_stay(problem, nodes) and not too_many_cities(problem, (problem.nodes[i].location for i in nodes))


# -- value ------------------------------------------------------------------------------------


def base_share(problem: Problem, theme: int, score: int) -> int:
    """What a project adds whatever else is visited: on a theme its score at the repeat factor,
    without a theme its whole score (the theme's lift and the city's bonus come on top)."""
    return (problem.repeat_per_mille if theme >= 0 else PER_MILLE) * score


def theme_lift(problem: Problem, score: int, theme_best: int) -> int:
    """What the theme's best project adds beyond the repeat factor: the rest of its score, above
    the best one visited so far."""
    return (PER_MILLE - problem.repeat_per_mille) * max(0, score - theme_best)


def city_bonus(problem: Problem, group: int) -> int:
    """The sister or friendship bonus the first visit to a city brings."""
    return PER_MILLE * problem.group_bonus[group] if problem.group_bonus and group >= 0 else 0


def marginal_value(problem: Problem, node: Node, theme_best: int, groups: frozenset[int] | set[int]) -> int:
    """Exact value a node adds to a route whose best score on its theme is theme_best and whose
    cities are groups (route_value units: thousandths of hundredths of a value point):
    base_share + theme_lift + city_bonus, written out once for the search's inner loop."""
    score, rate = node.score, problem.repeat_per_mille
    if node.theme >= 0:
        gain = rate * score + ((PER_MILLE - rate) * (score - theme_best) if score > theme_best else 0)
    else:
        gain = PER_MILLE * score
    if node.group >= 0 and problem.group_bonus and node.group not in groups:
        gain += PER_MILLE * problem.group_bonus[node.group]
    return gain


def route_value(problem: Problem, visited: Iterable[int]) -> int:
    """The value of a set of visited nodes: the sum of their marginal values added one by one, in
    any order (on each theme the best counts in full and the others at the repeat factor; each
    city's bonus once). Written out in one pass: the local search asks it for every insertion."""
    total = 0
    theme_best: dict[int, int] = {}
    groups: set[int] = set()
    nodes, rate = problem.nodes, problem.repeat_per_mille
    for i in visited:
        node = nodes[i]
        if node.theme >= 0:
            total += rate * node.score
            if node.score > theme_best.get(node.theme, 0):
                theme_best[node.theme] = node.score
        else:
            total += PER_MILLE * node.score
        if node.group >= 0:
            groups.add(node.group)
    total += (PER_MILLE - rate) * sum(theme_best.values())
    if problem.group_bonus:
        total += PER_MILLE * sum(problem.group_bonus[g] for g in groups)
    return total


def value_by_theme(problem: Problem, visited: Iterable[int]) -> dict[int, int]:
    """route_value split by theme (city bonuses left out)."""
    scores: dict[int, list[int]] = {}
    for i in visited:
        node = problem.nodes[i]
        if node.theme >= 0:
            scores.setdefault(node.theme, []).append(node.score)
    return {theme: sum(base_share(problem, theme, s) for s in values) + theme_lift(problem, max(values), 0)
            for theme, values in scores.items()}
