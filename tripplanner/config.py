"""Everything the planner knows of the world, loaded from one config folder: the catalogs (cities,
projects, relations) and the travel model. The one module that assembles the two layers.

The folder is the one named by --config, else by TRIPPLANNER_CONFIG, else the defaults: the
repository's config/, which the wheel carries as the package data tripplanner/default_config
(setup.py copies it there at build time, so config/ stays the one copy to edit).
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from tripplanner.catalogs.cities import Gazetteer, load_gazetteer
from tripplanner.catalogs.projects import ProjectCatalog, RelationCatalog, read_projects, read_relations
from tripplanner.errors import CatalogError, OutputError
from tripplanner.travel.model import TravelModel
from tripplanner.travel.settings import read_rail_table, read_road_table, read_travel_settings

CONFIG_FILES = ("projects.yaml", "relations.yaml", "travel.toml", "rail.toml", "road.toml")
"""The files a config folder holds; the wheel ships these (setup.py) and `config init` copies them."""

ENVIRONMENT_VARIABLE = "TRIPPLANNER_CONFIG"

PACKAGED = "the packaged defaults"
CHECKOUT = "the defaults in the source checkout"


def _default_config_dir() -> tuple[Path, str]:
    """The defaults shipped in the wheel, else (a source checkout or an editable install) the repository's config/."""
    packaged = resources.files("tripplanner") / "default_config"
    if isinstance(packaged, Path) and packaged.is_dir():
        return packaged, PACKAGED
    return Path(__file__).resolve().parents[1] / "config", CHECKOUT


DEFAULT_CONFIG_DIR, DEFAULT_ORIGIN = _default_config_dir()
"""The defaults folder and how it was found; TRIPPLANNER_CONFIG or --config overrides it."""


@dataclass(frozen=True)
class ConfigLocation:
    """The config folder in use and where it came from (--config, TRIPPLANNER_CONFIG or the defaults)."""

    folder: Path
    origin: str

    @property
    def missing(self) -> tuple[str, ...]:
        """The config files the folder lacks."""
        return tuple(name for name in CONFIG_FILES if not (self.folder / name).is_file())


@dataclass(frozen=True)
class Catalogs:
    gazetteer: Gazetteer
    projects: ProjectCatalog
    relations: RelationCatalog
    travel: TravelModel


def locate_config(explicit: Path | None = None) -> ConfigLocation:
    """The folder named by --config, else by TRIPPLANNER_CONFIG (when set and not empty), else the defaults."""
    if explicit is not None:
        return ConfigLocation(explicit, "--config")
    if os.environ.get(ENVIRONMENT_VARIABLE):
        return ConfigLocation(Path(os.environ[ENVIRONMENT_VARIABLE]), ENVIRONMENT_VARIABLE)
    return ConfigLocation(DEFAULT_CONFIG_DIR, DEFAULT_ORIGIN)


def config_dir(explicit: Path | None = None) -> Path:
    return locate_config(explicit).folder


def init_config(folder: Path, force: bool = False) -> list[Path]:
    """Copy the default config files into folder (created if needed) for staff to edit; the paths written.

    OutputError, before anything is written, when a file is already there and force is not set.
    """
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"{folder} exists and is not a folder")
    targets = [folder / name for name in CONFIG_FILES]
    existing = [str(path) for path in targets if path.exists()]
    if existing and not force:
        raise OutputError(f"{', '.join(existing)} already exist{'s' if len(existing) == 1 else ''}; "
                          "use --force to overwrite")
    missing = ConfigLocation(DEFAULT_CONFIG_DIR, DEFAULT_ORIGIN).missing
    if missing:
        raise CatalogError(f"the default config in {DEFAULT_CONFIG_DIR} lacks {', '.join(missing)}")  # pragma: no cover
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for target in targets:
            shutil.copyfile(DEFAULT_CONFIG_DIR / target.name, target)
    except OSError as exc:
        raise OutputError(f"cannot write {exc.filename or folder}: {exc.strerror}") from None
    return targets


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
