"""Policy projects (config/projects.yaml) and relationships of the home city (config/relations.yaml)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from tripplanner.catalogs.cities import Gazetteer
from tripplanner.errors import CatalogError, Problem
from tripplanner.models.catalog import City, Project, Relation
from tripplanner.yamlsource import YamlSyntaxError, parse_yaml, problems_from_validation, read_text


class _ProjectFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    themes: list[str]
    projects: list[Project]


class _RelationFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    home: str
    source: str = ""
    """Where the list as a whole is published."""
    relations: list[Relation]


@dataclass(frozen=True)
class ProjectCatalog:
    """Known policy themes and the projects in resolved cities."""

    themes: tuple[str, ...]
    projects: tuple[Project, ...]
    cities: dict[str, City]
    """Project id -> resolved city."""


@dataclass(frozen=True)
class RelationCatalog:
    """Sister / friendship relations keyed by GeoNames id of the foreign city."""

    home: str
    by_city: dict[int, Relation]

    def kind_of(self, city: City) -> str:
        relation = self.by_city.get(city.geoname_id)
        return relation.kind if relation else "none"


def _load(text: str, name: str, model: type[BaseModel]):
    try:
        source = parse_yaml(text, name)
    except YamlSyntaxError as exc:
        raise CatalogError("cannot read catalog", [exc.problem], source=name) from None
    try:
        return model.model_validate(source.data), source
    except ValidationError as exc:
        raise CatalogError("invalid catalog", problems_from_validation(exc, source), source=name) from None


def parse_projects(text: str, gazetteer: Gazetteer, name: str = "projects.yaml") -> ProjectCatalog:
    """Projects from YAML text, each city resolved and each theme declared."""
    parsed, source = _load(text, name, _ProjectFile)
    problems: list[Problem] = []
    cities: dict[str, City] = {}
    seen: set[str] = set()
    for index, project in enumerate(parsed.projects):
        path = f"projects[{index}]"
        if project.id in seen:
            problems.append(Problem(f"duplicate project id {project.id!r}", path + ".id", source.line_of(path + ".id")))
        seen.add(project.id)
        for theme in project.themes:
            if theme not in parsed.themes:
                problems.append(Problem(f"theme {theme!r} is not declared under 'themes'", path + ".themes", source.line_of(path + ".themes")))
        try:
            cities[project.id] = gazetteer.resolve(project.city)
        except CatalogError as exc:
            problems.append(Problem(exc.message, path + ".city", source.line_of(path + ".city")))
    if problems:
        raise CatalogError("invalid project catalog", problems, source=name)
    return ProjectCatalog(themes=tuple(parsed.themes), projects=tuple(parsed.projects), cities=cities)


def parse_relations(text: str, gazetteer: Gazetteer, name: str = "relations.yaml") -> RelationCatalog:
    """Relations from YAML text, each city resolved."""
    parsed, source = _load(text, name, _RelationFile)
    by_city: dict[int, Relation] = {}
    problems: list[Problem] = []
    for index, relation in enumerate(parsed.relations):
        try:
            by_city[gazetteer.resolve(relation.city).geoname_id] = relation
        except CatalogError as exc:
            path = f"relations[{index}].city"
            problems.append(Problem(exc.message, path, source.line_of(path)))
    if problems:
        raise CatalogError("invalid relations catalog", problems, source=name)
    return RelationCatalog(home=parsed.home, by_city=by_city)


def _read(path: Path) -> str:
    try:
        return read_text(path)
    except YamlSyntaxError as exc:
        raise CatalogError("cannot read catalog", [exc.problem], source=str(path)) from None


def read_projects(path: Path, gazetteer: Gazetteer) -> ProjectCatalog:
    return parse_projects(_read(path), gazetteer, str(path))


def read_relations(path: Path, gazetteer: Gazetteer) -> RelationCatalog:
    return parse_relations(_read(path), gazetteer, str(path))
