"""Arithmetic on zone-aware datetimes that is right across daylight-saving changes, and their text.

Python adds and subtracts datetimes that share a tzinfo on the wall clock, so 10:00 to 10:00
across a spring change looks like 24 h. Everything here goes through UTC. The text forms
(format_minutes, local) are shared by the renderers and by the messages of every layer.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone, tzinfo


def utc(moment: datetime) -> datetime:
    return moment.astimezone(timezone.utc)


def minutes_between(start: datetime, end: datetime) -> float:
    """Elapsed minutes from start to end (negative if end is earlier)."""
    return (utc(end) - utc(start)).total_seconds() / 60


def later(moment: datetime, minutes: float) -> datetime:
    """The instant `minutes` of elapsed time after moment, in moment's zone."""
    return (utc(moment) + timedelta(minutes=minutes)).astimezone(moment.tzinfo)


def format_minutes(minutes: int | float) -> str:
    """1 h 40 / 45 min / 2 h."""
    minutes = int(round(minutes))
    sign = "-" if minutes < 0 else ""
    hours, rest = divmod(abs(minutes), 60)
    if hours and rest:
        return f"{sign}{hours} h {rest:02d}"
    return f"{sign}{hours} h" if hours else f"{sign}{rest} min"


def zone_name(moment: datetime) -> str:
    """The zone of an aware instant as a reader knows it: tzdata's abbreviation where it has one (CET,
    KST, IST), else the offset from UTC ('UTC+7', 'UTC+5:30', 'UTC-3') where tzdata writes '+07'."""
    name = moment.tzname() or ""
    if name.isalpha():
        return name
    offset_min = round(moment.utcoffset().total_seconds() / 60)
    if offset_min == 0:
        return "UTC"
    hours, minutes = divmod(abs(offset_min), 60)
    return f"UTC{'-' if offset_min < 0 else '+'}{hours}" + (f":{minutes:02d}" if minutes else "")


def local(moment: datetime, zone: tzinfo | None, pattern: str = "%a %d %b %H:%M") -> str:
    """The instant as a wall time in a zone, with the zone's name: 'Thu 16 Mar 09:30 CET', 'Mon 06 Nov 10:00 UTC+5:30'."""
    moment = moment.astimezone(zone)
    return f"{moment.strftime(pattern)} {zone_name(moment)}"
