"""Generated trip requests of a given size: anchors in Europe, candidate sites in real cities around them."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

import yaml

from tripplanner.catalogs.cities import load_gazetteer
from tripplanner.travel.model import city_distance_km

THEMES = ["public_housing", "smart_city", "big_data", "transport", "water_supply", "e_government", "climate",
          "urban_regeneration", "civic_participation", "sharing_economy"]
ANCHOR_CITIES = ["Paris, FR", "Vienna, AT", "Berlin, DE", "Rome, IT", "Madrid, ES", "Warsaw, PL"]


def _cities_near(centre: str, count: int) -> list[str]:
    gazetteer = load_gazetteer()
    paris = gazetteer.resolve(centre)
    big = [r for r in gazetteer._records if r["population"] >= 300_000]  # real GeoNames cities only
    big.sort(key=lambda r: -r["population"])
    chosen = []
    for record in big:
        label = f"{record['name']}, {record['countrycode']}"
        try:
            city = gazetteer.resolve(label)
        except Exception:  # noqa: BLE001 - names ambiguous inside a country are skipped here
            continue
        if city.geoname_id == record["geonameid"] and city_distance_km(paris, city) <= 1500:
            chosen.append(label)
        if len(chosen) == count:
            break
    return chosen


def generated_request(candidates: int, days: int, seed: int = 0) -> str:
    """YAML text of a trip with `candidates` candidate projects over `days` days."""
    rng = random.Random(seed)
    start = date(2019, 5, 6)
    cities = _cities_near("Paris, FR", max(8, min(60, candidates // 4 + 8)))
    anchors = []
    anchor_days = sorted(rng.sample(range(2, max(3, days - 2)), k=min(len(ANCHOR_CITIES), max(1, days // 5))))
    for index, offset in enumerate(anchor_days):
        day = start + timedelta(days=offset)
        anchors.append({"name": f"Invitation {index + 1}", "city": ANCHOR_CITIES[index], "start": f"{day} 10:00",
                        "end": f"{day} 13:00"})
    listed: dict[str, list] = {}
    for index in range(candidates):
        city = rng.choice(cities)
        listed.setdefault(city, []).append({
            "title": f"Project {index + 1}", "themes": rng.sample(THEMES, rng.randint(1, 2)),
            "relevance": round(rng.uniform(0.2, 1.0), 2), "stage": rng.choice(["share", "consult", "plan", "feasibility", "implement"]),
            "visit_min": rng.choice([60, 90, 120, 180]),
        })
    request = {
        "name": f"generated {candidates} candidates, {days} days",
        "home": "Seoul, KR",
        "window": {"earliest_departure": f"{start} 08:00", "latest_return": f"{start + timedelta(days=days - 1)} 22:00", "max_days": days},
        "themes": {t: rng.randint(1, 3) for t in THEMES},
        "anchors": anchors,
        "candidates": {"listed": [{"city": c, "projects": p} for c, p in listed.items()]},
        "limits": {"max_travel_hours_per_day": 8},  # some anchor-to-anchor flights exceed 6 h door to door
        "scoring": {"repeat_factor": 0.7},
    }
    return yaml.safe_dump(request, sort_keys=False, allow_unicode=True)


def load_case(case: str, root: Path):
    """The trip of a benchmark case: an example's path (from root) or gen:CANDIDATES:DAYS[:SEED]."""
    from tripplanner.api import load_trip, load_trip_text

    if not case.startswith("gen:"):
        return load_trip(root / case)
    _, candidates, days, *seed = case.split(":")
    return load_trip_text(generated_request(int(candidates), int(days), int(seed[0]) if seed else 0), name=case)
