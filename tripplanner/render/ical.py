"""The itinerary as an iCalendar file (RFC 5545): one event per anchor, visit and leg."""

from __future__ import annotations

import hashlib
from zoneinfo import ZoneInfo

import icalendar

from tripplanner.models.itinerary import AnchorEvent, Itinerary, LegEvent, SegmentEvent

PRODUCT_ID = "-//tripplanner//itinerary//EN"


def _uid(itinerary: Itinerary, *parts: str) -> str:
    """Stable across re-exports of the same plan: a hash of the plan name and the event's identity."""
    digest = hashlib.sha1("\x1f".join((itinerary.name, *parts)).encode()).hexdigest()[:20]
    return f"{digest}@tripplanner"


def _segment_entry(itinerary: Itinerary, leg: LegEvent, segment: SegmentEvent, stamp) -> icalendar.Event:
    """One flight or train of a leg, from its origin's zone to its destination's."""
    entry = icalendar.Event()
    entry.add("uid", _uid(itinerary, "segment", segment.origin, segment.destination, segment.depart.isoformat()))
    name = "Flight" if segment.mode == "air" else "Train"
    entry.add("summary", f"{name} {segment.origin} -> {segment.destination}")
    entry.add("dtstart", segment.depart.astimezone(ZoneInfo(segment.origin_timezone)))
    entry.add("dtend", segment.arrive.astimezone(ZoneInfo(segment.destination_timezone)))
    entry.add("location", segment.origin)
    entry.add("description", f"Part of {leg.origin} -> {leg.destination} ({leg.duration_min} min door to door); "
                             f"{segment.what}; route: {leg.source}")
    entry.add("categories", ["TRAVEL"])
    if stamp is not None:
        entry.add("dtstamp", stamp.astimezone(ZoneInfo("UTC")))
    return entry


def render_ics(itinerary: Itinerary) -> str:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", itinerary.name)
    events = itinerary.events()
    stamp = (events[0].depart if isinstance(events[0], LegEvent) else events[0].start) if events else None
    for event in events:
        entry = icalendar.Event()
        if isinstance(event, LegEvent):
            parts = [s for s in event.segments if s.mode in ("air", "rail")]
            for segment in parts:
                calendar.add_component(_segment_entry(itinerary, event, segment, stamp))
            if parts:
                continue
            entry.add("uid", _uid(itinerary, "leg", event.origin, event.destination, event.depart.isoformat()))
            entry.add("summary", f"{event.mode.replace('_', '-')} {event.origin} -> {event.destination}")
            entry.add("dtstart", event.depart.astimezone(ZoneInfo(event.origin_timezone)))
            entry.add("dtend", event.arrive.astimezone(ZoneInfo(event.destination_timezone)))
            entry.add("location", event.origin)
            entry.add("description", f"{event.duration_min} min door to door, {event.distance_km:,.0f} km, {event.co2_kg:,.1f} kg CO2 per person")
            entry.add("categories", ["TRAVEL"])
        elif isinstance(event, AnchorEvent):
            entry.add("uid", _uid(itinerary, "anchor", event.name, event.start.isoformat()))
            entry.add("summary", event.name)
            entry.add("dtstart", event.start.astimezone(ZoneInfo(event.timezone)))
            entry.add("dtend", event.end.astimezone(ZoneInfo(event.timezone)))
            entry.add("location", ", ".join(p for p in (event.venue, event.city) if p))
            entry.add("description", f"Invitation; role: {event.role}")
            entry.add("categories", ["ANCHOR"])
        else:
            entry.add("uid", _uid(itinerary, "visit", event.project_id, event.start.isoformat()))
            entry.add("summary", f"Visit: {event.title}")
            entry.add("dtstart", event.start.astimezone(ZoneInfo(event.timezone)))
            entry.add("dtend", event.end.astimezone(ZoneInfo(event.timezone)))
            entry.add("location", event.city)
            entry.add("description", f"Counterpart: {event.counterpart or 'to be confirmed'}; stage: {event.stage}"
                      + ("; illustrative catalog entry" if event.illustrative else ""))
            entry.add("categories", ["VISIT"])
        if stamp is not None:
            entry.add("dtstamp", stamp.astimezone(ZoneInfo("UTC")))
        calendar.add_component(entry)
    calendar.add_missing_timezones()
    return calendar.to_ical().decode("utf-8")
