"""Zone names in the text forms of local times."""

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from tripplanner.timeutil import local, zone_name


@pytest.mark.parametrize("zone, expected", [
    ("Europe/Paris", "CET"), ("Asia/Seoul", "KST"), ("Asia/Kolkata", "IST"),  # tzdata abbreviations
    ("Asia/Bangkok", "UTC+7"), ("Asia/Colombo", "UTC+5:30"), ("Asia/Kathmandu", "UTC+5:45"),  # tzdata: '+07', ...
    ("America/Argentina/Buenos_Aires", "UTC-3"), ("UTC", "UTC"),
])
def test_zone_name_is_the_abbreviation_or_the_offset(zone, expected):
    """A zone tzdata abbreviates keeps its abbreviation; one it writes as '+07' reads 'UTC+7'."""
    assert zone_name(datetime(2017, 11, 6, 10, tzinfo=ZoneInfo(zone))) == expected


def test_fixed_offsets_from_a_plan_file_read_the_same_way():
    """A time read back from JSON (a fixed offset, no zone name) is named by its offset."""
    assert zone_name(datetime(2017, 1, 1, tzinfo=timezone(timedelta(hours=-3, minutes=-30)))) == "UTC-3:30"


def test_local_carries_the_zone_name():
    """local() gives the wall time and the zone's name, with or without the date."""
    moment = datetime(2017, 11, 6, 4, 30, tzinfo=timezone.utc)
    assert local(moment, ZoneInfo("Asia/Colombo")) == "Mon 06 Nov 10:00 UTC+5:30"
    assert local(moment, ZoneInfo("Europe/Paris"), "%H:%M") == "05:30 CET"
