"""The itinerary as JSON (the model's own dump) and its published JSON Schema."""

from __future__ import annotations

import json

from tripplanner.models.itinerary import SCHEMA_VERSION, Itinerary


def render_json(itinerary: Itinerary) -> str:
    return itinerary.model_dump_json(indent=2) + "\n"


def itinerary_schema() -> str:
    schema = Itinerary.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://tripplanner.example/schemas/itinerary-{SCHEMA_VERSION}.json"
    return json.dumps(schema, indent=2) + "\n"
