"""How a leg's segments read in one line, for the day table and the briefing note."""

from __future__ import annotations

from tripplanner.models.itinerary import LegEvent, SegmentEvent
from tripplanner.timeutil import format_minutes


def _is_airport(name: str) -> bool:
    return len(name) == 3 and name.isalpha() and name.isupper()


def _part(segment: SegmentEvent) -> str | None:
    if segment.mode == "air":
        return f"{segment.origin}-{segment.destination} {format_minutes(segment.minutes)}"
    if segment.mode == "rail":
        return f"{segment.what + ', ' if segment.what else ''}{format_minutes(segment.minutes)} on the train"
    if segment.mode == "road":
        return f"{format_minutes(segment.minutes)} on the road{', ' + segment.what if segment.what else ''}"
    if segment.mode == "transfer" and (_is_airport(segment.origin) or _is_airport(segment.destination)):
        way = "train" if "by train" in segment.what else "road"  # an airport train of rail.toml
        return f"{way} {segment.origin} -> {segment.destination} {format_minutes(segment.minutes)}"
    if segment.mode == "wait" and segment.what == "connection":
        return f"{format_minutes(segment.minutes)} connection"
    return None


def route_summary(event: LegEvent) -> str:
    """'road Bratislava -> VIE 1 h 05, VIE-ICN 10 h 10, road ICN -> Seoul 1 h 20' or 'Thalys, 2009
    timetable, 3 h 18 on the train': the moving parts and connections (check-in, formalities and
    station transfers are in the door-to-door total)."""
    parts = [p for p in map(_part, event.segments) if p]
    return ", ".join(parts) if parts else (f"via {event.via}" if event.via else "")
