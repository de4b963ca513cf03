"""The package's layers read top to bottom: no import circles, one rule book, independent checks.

Imports are read from the source (module level and inside functions alike), so a lazy import
cannot hide a circle.
"""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "tripplanner"


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports() -> dict[str, set[str]]:
    """Module -> the package's modules it imports."""
    files = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in files.items():
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("tripplanner"):
                for alias in node.names:
                    found.add(f"{node.module}.{alias.name}" if f"{node.module}.{alias.name}" in files else node.module)
            elif isinstance(node, ast.Import):
                found |= {alias.name for alias in node.names if alias.name.startswith("tripplanner")}
        graph[name] = {m for m in found if m in files and m != name}
    return graph


GRAPH = _imports()


def _reach(start: str, graph: dict[str, set[str]] = GRAPH) -> set[str]:
    seen, todo = set(), [start]
    while todo:
        for nxt in graph.get(todo.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def _layer(module: str) -> str:
    """tripplanner.solver.cpsat -> solver; tripplanner.trip -> trip."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def test_the_import_graph_is_read_correctly():
    """The reader finds known imports, lazy ones inside functions included."""
    assert "tripplanner.solver.rulebook" in GRAPH["tripplanner.solver.schedule"]
    assert "tripplanner.api" in GRAPH["tripplanner.cli.planning"]  # imported inside the command


@pytest.mark.parametrize("module", sorted(GRAPH))
def test_no_module_imports_itself_through_others(module):
    """No two modules import each other, directly or through a chain."""
    assert module not in _reach(module), f"{module} is on an import circle"


def test_packages_do_not_import_each_other_both_ways():
    """Between two layers (catalogs, travel, solver, render, cli, ...) imports go one way only."""
    layers: dict[str, set[str]] = {}
    for module, targets in GRAPH.items():
        layers.setdefault(_layer(module), set()).update(_layer(t) for t in targets if _layer(t) != _layer(module))
    both = sorted((a, b) for a in layers for b in layers[a] if a < b and a in layers.get(b, set()))
    assert both == []


def test_travel_and_catalogs_meet_only_in_config():
    """The travel model reads cities but no catalog reads the travel model; config.py joins them."""
    assert not any(_layer(t) == "travel" for m, targets in GRAPH.items() if _layer(m) == "catalogs" for t in targets)
    assert {"tripplanner.travel.model", "tripplanner.catalogs.projects"} <= GRAPH["tripplanner.config"]


def test_route_is_defined_once_outside_the_searches():
    """Route, SolveResult and the status enums live in solver/route.py, not in a search."""
    defined = {}
    for path in PACKAGE.rglob("*.py"):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.ClassDef) and node.name in ("Route", "SolveResult", "Status", "Profile"):
                defined.setdefault(node.name, []).append(_module_name(path))
    assert defined == {name: ["tripplanner.solver.route"] for name in ("Route", "SolveResult", "Status", "Profile")}


def test_the_verifier_stays_independent_of_the_rule_book():
    """verify.py restates the rules on purpose: it reaches neither the rule book nor the solver."""
    assert not any(_layer(m) == "solver" for m in _reach("tripplanner.verify"))


def test_renderers_do_not_import_the_presolve_checks():
    """Renderers format; the checks that need no solver are not theirs to import."""
    renderers = [m for m in GRAPH if _layer(m) == "render"]
    assert renderers and not any("tripplanner.checks" in _reach(m) for m in renderers)


def test_the_search_imports_no_local_search_for_a_type():
    """CP-SAT, the itinerary and the explanations get Route from solver/route.py, not from the local search."""
    for module in ("tripplanner.solver.cpsat", "tripplanner.solver.rules", "tripplanner.itinerary"):
        assert "tripplanner.solver.heuristic" not in _reach(module)
