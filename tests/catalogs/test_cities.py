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


def test_ambiguous_name_lists_choices_and_suggests_largest(catalogs):
    """'Vienna' alone is ambiguous (Austria, USA); the message names both and suggests Vienna, AT."""
    with pytest.raises(CatalogError) as error:
        catalogs.gazetteer.resolve("Vienna")
    assert "ambiguous city 'Vienna'" in error.value.message
    assert "Vienna, US" in error.value.message
    assert "e.g. 'Vienna, AT'" in error.value.message


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
