"""Arithmetic on zone-aware datetimes that is right across daylight-saving changes.

Python adds and subtracts datetimes that share a tzinfo on the wall clock, so 10:00 to 10:00
across a spring change looks like 24 h. Everything here goes through UTC.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone


def utc(moment: datetime) -> datetime:
    return moment.astimezone(timezone.utc)


def minutes_between(start: datetime, end: datetime) -> float:
    """Elapsed minutes from start to end (negative if end is earlier)."""
    return (utc(end) - utc(start)).total_seconds() / 60


def later(moment: datetime, minutes: float) -> datetime:
    """The instant `minutes` of elapsed time after moment, in moment's zone."""
    return (utc(moment) + timedelta(minutes=minutes)).astimezone(moment.tzinfo)
