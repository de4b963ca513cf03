"""Everything the planner knows of the world, loaded from one config folder: the catalogs (cities,
projects, relations) and the travel model. The one module that assembles the two layers."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from tripplanner.catalogs.cities import Gazetteer, load_gazetteer
from tripplanner.catalogs.projects import ProjectCatalog, RelationCatalog, read_projects, read_relations
from tripplanner.travel.model import TravelModel
from tripplanner.travel.settings import read_rail_table, read_road_table, read_travel_settings

DEFAULT_CONFIG_DIR = Path(__file__).resolve().parents[1] / "config"
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


def load_catalogs(folder: Path | None = None) -> Catalogs:
    """Gazetteer, projects.yaml, relations.yaml, travel.toml, rail.toml and road.toml from the config folder (the explicit
    one, else TRIPPLANNER_CONFIG, else the defaults), loaded once per folder."""
    return _load_folder(config_dir(folder).resolve())


@lru_cache(maxsize=4)
def _load_folder(folder: Path) -> Catalogs:
    gazetteer = load_gazetteer()
    return Catalogs(
        gazetteer=gazetteer,
        projects=read_projects(folder / "projects.yaml", gazetteer),
        relations=read_relations(folder / "relations.yaml", gazetteer),
        travel=TravelModel(read_travel_settings(folder / "travel.toml"), gazetteer,
                           read_rail_table(folder / "rail.toml"), read_road_table(folder / "road.toml")),
    )
