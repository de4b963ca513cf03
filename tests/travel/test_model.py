"""The travel model on real pairs: the airline network with connections, rail corridors, road speeds."""

import pytest

from tripplanner.travel.model import city_distance_km
from tripplanner.travel.network import SNAPSHOT, great_circle_km


def _leg(catalogs, a, b):
    return catalogs.travel.leg(catalogs.gazetteer.resolve(a), catalogs.gazetteer.resolve(b))


def _options(catalogs, a, b):
    return catalogs.travel.options(catalogs.gazetteer.resolve(a), catalogs.gazetteer.resolve(b))


def test_seoul_paris_geodesic_matches_published_distance(catalogs):
    """Seoul-Paris is about 8,960 km great-circle; the model is within 1 %."""
    km = city_distance_km(catalogs.gazetteer.resolve("Seoul, KR"), catalogs.gazetteer.resolve("Paris, FR"))
    assert km == pytest.approx(8960, rel=0.01)


def test_seoul_paris_is_a_nonstop_of_the_network(catalogs):
    """ICN-CDG is flown nonstop, a route of the snapshot; check-in and arrival count once."""
    leg = _leg(catalogs, "Seoul, KR", "Paris, FR")
    assert leg.mode == "air" and [(s.origin, s.destination) for s in leg.flights] == [("ICN", "CDG")]
    assert leg.source == SNAPSHOT
    waits = [s.what for s in leg.segments if s.mode == "wait"]
    assert waits == ["check-in and security", "arrival and immigration"]
    assert leg.duration_min == sum(s.minutes for s in leg.segments)


def test_bratislava_flies_from_vienna(catalogs):
    """Bratislava's own airport has no flight to Seoul: the delegation drives to Vienna (VIE-ICN)."""
    leg = _leg(catalogs, "Bratislava, SK", "Seoul, KR")
    assert leg.segments[0].mode == "transfer" and leg.segments[0].destination == "VIE"
    assert leg.via == "VIE-ICN"


def test_bonn_takes_the_train_to_frankfurt_airport(catalogs):
    """Frankfurt Airport is beyond road reach of Bonn, but the airport train (rail.toml) brings it in:
    Bonn-Seoul flies FRA-ICN nonstop instead of connecting from Cologne Bonn, both ways."""
    for leg, ground in ((_leg(catalogs, "Bonn, DE", "Seoul, KR"), 0), (_leg(catalogs, "Seoul, KR", "Bonn, DE"), -1)):
        assert [(s.origin, s.destination) for s in leg.flights] in ([("FRA", "ICN")], [("ICN", "FRA")])
        train = leg.segments[ground]
        assert train.mode == "transfer" and "by train" in train.what
        assert train.minutes == 25 + 10 + 77


def test_an_airport_train_slower_than_the_road_is_not_used(catalogs, tmp_path):
    """An airport train only replaces a road transfer that is slower."""
    from tripplanner.travel.model import TravelModel
    from tripplanner.travel.settings import RailTable

    travel = catalogs.travel
    slow = RailTable.model_validate({"airport_train": [
        {"city": "Vienna, AT", "airport": "VIE", "minutes": 300, "year": 2020, "source": "test"}]})
    model = TravelModel(travel.settings, catalogs.gazetteer, slow, travel.road)
    leg = model.leg(catalogs.gazetteer.resolve("Vienna, AT"), catalogs.gazetteer.resolve("Seoul, KR"))
    assert "by train" not in leg.segments[0].what and leg.segments[0].minutes < 300


def test_buenos_aires_seoul_needs_a_connection(catalogs):
    """No airliner flies Buenos Aires-Seoul nonstop (19,400 km): the leg connects, and the
    connection is a wait of its own, not a hotel night."""
    leg = _leg(catalogs, "Buenos Aires, AR", "Seoul, KR")
    assert len(leg.flights) in (2, 3)
    assert sum(1 for s in leg.segments if s.what == "connection") == len(leg.flights) - 1
    assert all(s.minutes == catalogs.travel.settings.air.connection_min for s in leg.segments if s.what == "connection")


@pytest.mark.parametrize(("origin", "destination", "why"), [
    ("Madrid, ES", "Barcelona, ES", "the AVE beats flying door to door"),
    ("Frankfurt am Main, DE", "Köln, DE", "the ICE beats the 2 h 40 drive"),
    ("Tokyo, JP", "Osaka, JP", "the Shinkansen"),
    ("Delhi, IN", "Agra, IN", "the Gatimaan Express beats the road"),
])
def test_rail_corridors(catalogs, origin, destination, why):
    """Listed corridors go by rail, timed from their timetable and sourced."""
    leg = _leg(catalogs, origin, destination)
    assert leg.mode == "rail", why
    assert leg.source.startswith("rail corridor") and "http" in leg.source
    train = next(s for s in leg.segments if s.mode == "rail")
    corridor = next(c for c in catalogs.travel.rail.corridor if {origin, destination} == set(c.between))
    assert train.minutes == corridor.minutes


def test_road_speed_depends_on_the_country(catalogs):
    """An official car is slower in Sri Lanka than in Germany (config/road.toml)."""
    germany = catalogs.travel.road.speed_kmh("DE")
    sri_lanka = catalogs.travel.road.speed_kmh("LK")
    assert sri_lanka < germany
    road = next(o for o in _options(catalogs, "Colombo, LK", "Kandy, LK") if o.mode == "road")
    settings = catalogs.travel.settings.road
    moving = round(road.distance_km * settings.detour_factor / sri_lanka * 60)
    assert road.duration_min == settings.overhead_min + moving


def test_short_distance_goes_by_road(catalogs):
    """Cologne-Bonn (about 25 km): driving is quicker than any flight."""
    assert _leg(catalogs, "Cologne, DE", "Bonn, DE").mode == "road"


def test_the_train_is_preferred_when_near_enough(catalogs):
    """A rail option within the margin of the quickest, under 4 h door to door, is chosen."""
    choice = catalogs.travel.settings.choice
    for origin, destination in [("Madrid, ES", "Barcelona, ES"), ("Paris, FR", "Brussels, BE")]:
        options = _options(catalogs, origin, destination)
        quickest = min(o.duration_min for o in options)
        assert options[0].mode == "rail"
        assert options[0].duration_min <= min(choice.rail_prefer_under_min, quickest + choice.rail_margin_min)


def test_no_segment_is_longer_than_the_longest_route_in_the_data(catalogs):
    """Every flight of every leg is a real nonstop, so none exceeds the longest one the network has."""
    travel = catalogs.travel
    network = travel.network
    longest = max(great_circle_km(network.airports[a].latitude, network.airports[a].longitude,
                                  network.airports[b].latitude, network.airports[b].longitude)
                  for a, others in network.routes.items() for b in others)
    cities = ["Seoul, KR", "Buenos Aires, AR", "Bogota, CO", "Kyiv, UA", "Mexico City, MX", "Bratislava, SK",
              "Colombo, LK", "Kampala, UG", "Ulan Bator, MN"]
    for a in cities:
        for b in cities:
            if a != b:
                for flight in _leg(catalogs, a, b).flights:
                    assert network.route_source(flight.origin, flight.destination) is not None
                    assert flight.minutes <= travel.block_min(flight.origin, flight.destination)
                    pa, pb = network.airports[flight.origin], network.airports[flight.destination]
                    assert great_circle_km(pa.latitude, pa.longitude, pb.latitude, pb.longitude) <= longest


def test_a_route_opened_later_comes_from_config(catalogs):
    """ICN-BCN opened in 2017, after the snapshot: the leg flies it and says the config is its source."""
    leg = _leg(catalogs, "Seoul, KR", "Barcelona, ES")
    assert leg.via == "ICN-BCN" and leg.source.startswith("config")


def test_a_closed_route_is_not_flown(catalogs, tmp_path):
    """Removing a route in config takes it out of the network: the leg connects instead."""
    from tripplanner.travel.model import TravelModel
    from tripplanner.travel.settings import AirRoute

    travel = catalogs.travel
    settings = travel.settings.model_copy(update={"route_closed": [AirRoute(between=("CDG", "ICN"))]})
    closed = TravelModel(settings, travel.gazetteer, travel.rail, travel.road)
    leg = closed.leg(catalogs.gazetteer.resolve("Seoul, KR"), catalogs.gazetteer.resolve("Paris, FR"))
    assert ("ICN", "CDG") not in [(s.origin, s.destination) for s in leg.flights]
    assert leg.duration_min > _leg(catalogs, "Seoul, KR", "Paris, FR").duration_min


def test_override_replaces_estimate_both_ways(catalogs):
    """The configured Paris-Bonn rail duration applies in both directions."""
    there, back = _leg(catalogs, "Paris, FR", "Bonn, DE"), _leg(catalogs, "Bonn, DE", "Paris, FR")
    assert there.duration_min == back.duration_min == 270
    assert there.source.startswith("override") and there.mode == "rail"


def test_reverse_leg_mirrors_the_segments(catalogs):
    """The way back flies the same airports backwards, check-in at its own start."""
    there, back = _leg(catalogs, "Bratislava, SK", "Seoul, KR"), _leg(catalogs, "Seoul, KR", "Bratislava, SK")
    assert back.duration_min == there.duration_min
    assert back.via == "ICN-VIE"
    assert [s.what for s in back.segments if s.mode == "wait"] == ["check-in and security", "arrival and immigration"]
    assert back.segments[1].minutes == catalogs.travel.settings.air.check_in_min


def test_co2_grows_with_distance(catalogs):
    """A long-haul flight emits more than a short one."""
    assert _leg(catalogs, "Seoul, KR", "Paris, FR").co2_kg > 5 * _leg(catalogs, "Paris, FR", "Vienna, AT").co2_kg
