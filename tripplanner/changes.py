"""What a re-plan changed from an old plan, item by item: the model --json dumps and the renderer reads."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict

from tripplanner.compare import Change

ItemKind = Literal["anchor", "visit", "night"]


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True)


class ItemChange(_Out):
    """What became of one item of the old plan (or where a new one came from), with the reason where known."""

    status: Literal["kept", "moved", "dropped", "added"]
    kind: ItemKind
    name: str
    """The anchor's name, the project's id, or 'night in City' for a booked night."""
    city: str
    before: date | None
    """Local date in the old plan (None for an added item)."""
    after: date | None
    """Local date in the new plan (None for a dropped item)."""
    reason: str = ""


class Changes(_Out):
    """Every item of the old and the new plan, each once, in the order of its (old, else new) date."""

    old_plan: str
    changes: list[ItemChange]
    note: str = ""
    """Said when the old plan's items could not all be held together and fewer were kept."""
    figures: Change | None = None
    """Value, worth, travel and days of the new plan less the old plan's, cities added and dropped."""


