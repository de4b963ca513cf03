"""The travel model: geodesic distances, mode thresholds, overrides, breakdowns."""

import pytest

from tripplanner.travel.model import city_distance_km


def _leg(catalogs, a, b):
    return catalogs.travel.leg(catalogs.gazetteer.resolve(a), catalogs.gazetteer.resolve(b))


def test_seoul_paris_geodesic_matches_published_distance(catalogs):
    """Seoul-Paris is about 8,960 km great-circle; the model is within 1 %."""
    km = city_distance_km(catalogs.gazetteer.resolve("Seoul, KR"), catalogs.gazetteer.resolve("Paris, FR"))
    assert km == pytest.approx(8960, rel=0.01)


def test_short_distance_goes_by_road(catalogs):
    """Cologne-Bonn (about 25 km) is a road leg under the road threshold."""
    leg = _leg(catalogs, "Cologne, DE", "Bonn, DE")
    assert leg.mode == "road"
    settings = catalogs.travel.settings.road
    moving = round(leg.distance_km * settings.detour_factor / settings.speed_kmh * 60)
    assert leg.duration_min == pytest.approx(settings.overhead_min + moving, abs=1)


def test_long_distance_flies_with_airport_overheads(catalogs):
    """Paris-Vienna flies; the door-to-door time is the sum of its steps, check-in included."""
    leg = _leg(catalogs, "Paris, FR", "Vienna, AT")
    assert leg.mode == "air"
    assert leg.duration_min == sum(minutes for _, minutes in leg.breakdown)
    assert ("check-in and security", catalogs.travel.settings.air.check_in_min) in leg.breakdown


def test_rail_corridor_from_config(catalogs):
    """Paris-Brussels is a listed rail corridor, so it goes by rail although it is under the road threshold."""
    assert _leg(catalogs, "Paris, FR", "Brussels, BE").mode == "rail"


def test_override_replaces_estimate_both_ways(catalogs):
    """The configured Paris-Bonn rail duration applies in both directions."""
    there, back = _leg(catalogs, "Paris, FR", "Bonn, DE"), _leg(catalogs, "Bonn, DE", "Paris, FR")
    assert there.duration_min == back.duration_min == 270
    assert there.source.startswith("override") and there.mode == "rail"


def test_co2_grows_with_distance(catalogs):
    """A long-haul flight emits more than a short one."""
    assert _leg(catalogs, "Seoul, KR", "Paris, FR").co2_kg > 5 * _leg(catalogs, "Paris, FR", "Vienna, AT").co2_kg
