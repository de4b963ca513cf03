"""The offline gazetteer: real zones, ambiguity, unknown names."""

import pytest

from tripplanner.errors import CatalogError


@pytest.mark.parametrize(
    "name, zone",
    [
        ("Seoul, KR", "Asia/Seoul"), ("Paris, FR", "Europe/Paris"), ("Vienna, AT", "Europe/Vienna"),
        ("Bonn, DE", "Europe/Berlin"), ("Delhi, IN", "Asia/Kolkata"), ("Colombo, LK", "Asia/Colombo"),
        ("Kampala, UG", "Africa/Kampala"), ("Buenos Aires, AR", "America/Argentina/Buenos_Aires"),
        ("Bangkok, TH", "Asia/Bangkok"), ("Kyiv, UA", "Europe/Kyiv"), ("Zurich, CH", "Europe/Zurich"),
        ("Ulyanovsk, RU", "Europe/Ulyanovsk"), ("Honolulu, US", "Pacific/Honolulu"),
    ],
)
def test_real_time_zones(catalogs, name, zone):
    """Each city resolves to its IANA zone from the gazetteer, not from hand-typed data."""
    assert catalogs.gazetteer.resolve(name).timezone == zone


def test_comparable_namesakes_stay_ambiguous(catalogs):
    """'Barcelona' alone is ambiguous (Spain 1.7 M, Venezuela 0.8 M): the message names both and suggests Barcelona, ES."""
    with pytest.raises(CatalogError) as error:
        catalogs.gazetteer.resolve("Barcelona")
    assert "ambiguous city 'Barcelona'" in error.value.message
    assert "Barcelona, VE" in error.value.message
    assert "e.g. 'Barcelona, ES'" in error.value.message


@pytest.mark.parametrize("name, taken, note", [
    ("Paris", "Paris, FR", "Paris taken as Paris, FR (2.1 M people; next: Paris, US 25 k)"),
    ("Vienna", "Vienna, AT", "Vienna taken as Vienna, AT (1.7 M people; next: Vienna, US 17 k)"),
])
def test_a_dominant_namesake_is_taken_with_a_note(catalogs, name, taken, note):
    """A city many times larger than its namesakes abroad is taken, and the note says which and against what."""
    city, said = catalogs.gazetteer.resolve_with_note(name)
    assert (city.label, said) == (taken, note)
    assert catalogs.gazetteer.resolve(name) == city


def test_dominance_is_measured_against_the_ratio(catalogs):
    """Birmingham, GB has 5.9 times the people of Birmingham, US: under DOMINANCE_RATIO (10), still ambiguous."""
    from tripplanner.catalogs.cities import DOMINANCE_RATIO

    assert DOMINANCE_RATIO == 10
    with pytest.raises(CatalogError, match="ambiguous city 'Birmingham'"):
        catalogs.gazetteer.resolve("Birmingham")


def test_a_named_country_needs_no_note(catalogs):
    """'Paris, FR' leaves no choice across countries: no note."""
    assert catalogs.gazetteer.resolve_with_note("Paris, FR")[1] == ""


def test_resolution_does_not_depend_on_record_order(catalogs):
    """The same name resolves to the same city whatever order the gazetteer's records come in."""
    from tripplanner.catalogs.cities import Gazetteer

    records = [r for r in catalogs.gazetteer._records if r["name"] in ("Paris", "Springfield", "Portland")]
    forward, backward = Gazetteer(records), Gazetteer(records[::-1])
    for name in ("Paris", "Springfield", "Portland"):
        assert forward.resolve_with_note(name) == backward.resolve_with_note(name)


def test_unknown_name_gets_did_you_mean(catalogs):
    """A misspelt city is refused with the closest real names."""
    with pytest.raises(CatalogError) as error:
        catalogs.gazetteer.resolve("Barcelonna, ES")
    assert "did you mean 'Barcelona, ES'" in error.value.message


@pytest.mark.parametrize("alias, expected", [("Zürich, CH", "Zürich"), ("Kiev, UA", "Kyiv"), ("Cologne, DE", "Köln"),
                                             ("Sao Paulo, BR", "São Paulo")])
def test_accents_and_alternate_names(catalogs, alias, expected):
    """Names match without accents and through GeoNames alternate names."""
    assert catalogs.gazetteer.resolve(alias).name == expected


def test_airports_come_from_the_network(catalogs):
    """Air legs use real airports with scheduled service: Incheon for Seoul, Entebbe for Kampala."""
    leg = catalogs.travel.leg(catalogs.gazetteer.resolve("Seoul, KR"), catalogs.gazetteer.resolve("Kampala, UG"))
    assert (leg.flights[0].origin, leg.flights[-1].destination) == ("ICN", "EBB")


def test_an_airfield_without_scheduled_service_serves_no_city(catalogs):
    """Lyon flies from Saint-Exupery: the Bron airfield nearer the centre has no route in the network."""
    network = catalogs.travel.network
    lyon = catalogs.gazetteer.resolve("Lyon, FR")
    near = [airport.iata for _, airport in network.near(lyon.latitude, lyon.longitude, 60)]
    assert "LYS" in near and "LYN" not in near
