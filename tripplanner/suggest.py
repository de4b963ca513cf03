"""Single changes to a request that may let a left-out candidate in, each as `--set FIELD=VALUE` takes it.

A change is a request field and its new value, applied to the request's own data (overrides.py) and
resolved again, so the trip a change is tried on is the one `plan --set FIELD=VALUE` would plan.
Which change actually brings a candidate in is for explain.py to find out by planning it.
"""

from __future__ import annotations

import json
import shlex
from dataclasses import dataclass
from datetime import datetime, timedelta

from pydantic import ValidationError

from tripplanner.errors import RequestError
from tripplanner.models.request import TripRequest
from tripplanner.overrides import OPTION, Override, apply_overrides, parse_override
from tripplanner.trip import Trip, resolve_trip

EXTRA_TRAVEL_HOURS = 2
"""How much more travel per day the change on limits.max_travel_hours_per_day allows: enough for one
more short flight or train, small enough to be a real option for the office."""
DROPPED_CITIES = 2
"""How many of the plan's least valuable cities are tried as a city to give up (pins.avoid)."""
LOCAL_TIME = "%Y-%m-%d %H:%M"
"""How the request writes local times (window.latest_return)."""


@dataclass(frozen=True)
class RequestChange:
    """One request field set to a new value, and what that means in the office's words."""

    field: str
    """The field path as --set writes it: ``window.max_days``."""
    value: object
    """The new value as it would stand in the request (number, text, list, mapping)."""
    words: str
    """'one more day (max_days 9 -> 10)'."""

    @property
    def option(self) -> str:
        """The change as a shell argument: ``--set window.max_days=10``, quoted where the shell needs it."""
        return f"{OPTION} {shlex.quote(f'{self.field}={json.dumps(self.value, ensure_ascii=False)}')}"


def request_changes(trip: Trip, plan_cities: dict[str, float], plan_city_count: int) -> list[RequestChange]:
    """The single changes worth trying, smallest first: a longer trip, a later return or earlier departure,
    more travel or one more visit a day, one more city, giving up one of the plan's least valuable cities
    (plan_cities: label -> value it brings), a booked stay or a pinned city. Changes that cannot matter
    are left out (one more day when the window, not max_days, is what limits the trip)."""
    data = trip.source.data if trip.source is not None else {}
    window, limits, pins = data.get("window", {}), trip.limits, data.get("pins") or {}
    changes = []
    first, last = (moment.astimezone(trip.zone).date() for moment in (trip.earliest_departure, trip.latest_return))
    window_days = (last - first).days + 1
    if trip.max_days < window_days and trip.max_days < 60:
        changes.append(RequestChange("window.max_days", trip.max_days + 1,
                                     f"one more day (max_days {trip.max_days} -> {trip.max_days + 1})"))
    for field, shift, words in (("latest_return", 1, "return one day later"),
                                ("earliest_departure", -1, "leave one day earlier")):
        if isinstance(window.get(field), str):
            moved = datetime.strptime(window[field], LOCAL_TIME) + timedelta(days=shift)
            changes.append(RequestChange(f"window.{field}", moved.strftime(LOCAL_TIME), words))
    hours = limits.max_travel_hours_per_day + EXTRA_TRAVEL_HOURS
    if hours <= 72:
        changes.append(RequestChange("limits.max_travel_hours_per_day", hours,
                                     f"allow {hours:g} h of travel per day (+{EXTRA_TRAVEL_HOURS} h)"))
    if limits.max_visits_per_day < 20:
        changes.append(RequestChange("limits.max_visits_per_day", limits.max_visits_per_day + 1,
                                     f"allow {limits.max_visits_per_day + 1} visits a day"))
    if limits.city_limit is not None and plan_city_count >= limits.city_limit and limits.city_limit < 60:
        changes.append(RequestChange("limits.max_cities", limits.city_limit + 1, f"allow {limits.city_limit + 1} cities"))
    avoided = list(pins.get("avoid") or [])
    pinned = {city.label for city in trip.must_visit} | {anchor.city.label for anchor in trip.anchors}
    cheapest = sorted((value, label) for label, value in plan_cities.items() if label not in pinned)
    for value, label in cheapest[:DROPPED_CITIES]:
        changes.append(RequestChange("pins.avoid", [*avoided, label], f"give up {label} (worth {value:g})"))
    nights = list(pins.get("nights") or [])
    for booking, stay in trip.bookings().items():
        if booking < len(nights):
            changes.append(RequestChange("pins.nights", nights[:booking] + nights[booking + 1:],
                                         f"give up the booked nights in {stay[0].city.label} (pins.nights[{booking}])"))
    must_visit = list(pins.get("must_visit") or [])
    for position, city in enumerate(must_visit):
        changes.append(RequestChange("pins.must_visit", must_visit[:position] + must_visit[position + 1:],
                                     f"unpin {city} (pins.must_visit[{position}])"))
    return changes


def pin_changes(trip: Trip, cities: list[str]) -> list[RequestChange]:
    """Pinning each city (pins.must_visit), in the order given: the change that takes a city in when no
    limit keeps it out, only its cost; its plan says what that costs."""
    pinned = list(((trip.source.data if trip.source is not None else {}).get("pins") or {}).get("must_visit") or [])
    labels = {city.label for city in trip.must_visit}
    return [RequestChange("pins.must_visit", [*pinned, city], f"pin {city}")
            for city in cities if city not in labels]


def as_override(change: RequestChange) -> Override:
    """The change as the override `--set` would make of it."""
    return parse_override(f"{change.field}={json.dumps(change.value, ensure_ascii=False)}")


def changed_trip(trip: Trip, change: RequestChange) -> Trip | None:
    """The trip with the change applied to its request, resolved as `--set` resolves it; None when the
    changed request is not valid (the change is then no option) or the trip has no request data."""
    if trip.source is None:
        return None
    try:
        source = apply_overrides(trip.source, [as_override(change)])
        return resolve_trip(TripRequest.model_validate(source.data), source, trip.catalogs)
    except (RequestError, ValidationError):
        return None
