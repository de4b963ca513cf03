"""All catalogs together, loaded from one config folder."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from tripplanner.catalogs.cities import Gazetteer, load_gazetteer
from tripplanner.catalogs.projects import ProjectCatalog, RelationCatalog, read_projects, read_relations
from tripplanner.travel.model import TravelModel
from tripplanner.travel.settings import read_travel_settings

DEFAULT_CONFIG_DIR = Path(__file__).resolve().parents[2] / "config"
"""The repository's config/ folder; TRIPPLANNER_CONFIG or --config overrides it."""


@dataclass(frozen=True)
class Catalogs:
    gazetteer: Gazetteer
    projects: ProjectCatalog
    relations: RelationCatalog
    travel: TravelModel


def config_dir(explicit: Path | None = None) -> Path:
    if explicit is not None:
        return explicit
    return Path(os.environ.get("TRIPPLANNER_CONFIG", DEFAULT_CONFIG_DIR))


@lru_cache(maxsize=4)
def load_catalogs(folder: Path | None = None) -> Catalogs:
    """Gazetteer, projects.yaml, relations.yaml and travel.toml from the config folder."""
    folder = config_dir(folder)
    gazetteer = load_gazetteer()
    return Catalogs(
        gazetteer=gazetteer,
        projects=read_projects(folder / "projects.yaml", gazetteer),
        relations=read_relations(folder / "relations.yaml", gazetteer),
        travel=TravelModel(read_travel_settings(folder / "travel.toml"), gazetteer),
    )
