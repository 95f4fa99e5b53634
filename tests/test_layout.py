"""The package's layout keeps its dependency rules (docs/architecture.md).

The import graph of ``quiz`` is read from the sources with ``ast`` (nothing is
imported): every ``import`` and ``from … import`` of a module, at any depth (in
a function, under ``TYPE_CHECKING``), is an edge. Importing ``a.b.c`` also runs
the ``__init__`` of ``a.b`` and ``a``, so those packages count as imported too
(unless the importer lives inside them: they have run already).

- No circle between modules: two modules that import each other (even lazily,
  in a function) are one module split in two, or a missing lower module.
- ``quiz.generate`` imports neither Flask nor SQLAlchemy nor anything of ``quiz``
  outside itself (the models, the services…): it runs without the web and the database.
- Services never import views, the API or the command line; a service wing imports
  only the platform modules and the wings below it; view wings never import each other.
"""

from __future__ import annotations

import ast
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
from conftest import REPO_ROOT

PACKAGE = "quiz"

# Service wings, bottom up: a wing imports the platform modules (the root of
# ``quiz.services``) and the wings of a lower rank, never one of its rank or above.
SERVICE_WING_RANKS = {
    "library": 1,
    "accounts": 1,
    "study": 2,
    "authoring": 3,
    "exchange": 4,
    "classroom": 5,
}
# View wings, bottom up, as the services: the classroom's pages build on the study pages
# (a shared quiz link starts a study quiz) and on the author's access rule, never the reverse.
VIEW_WING_RANKS = {
    "accounts": 1,
    "study": 2,
    "author": 3,
    "classroom": 4,
}
# Top-level distributions the pipeline must not import: it runs without a web app or a database.
WEB_AND_DATABASE = ("flask", "flask_", "sqlalchemy", "werkzeug", "wtforms", "alembic")


def module_files(root: Path) -> dict[str, Path]:
    """Every module of the package under ``root``, by dotted name (a package by its own name)."""
    modules = {}
    for path in sorted((root / PACKAGE).rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join(parts)] = path
    return modules


def imported_names(module: str, path: Path, modules: Iterable[str]) -> Iterator[str]:
    """The absolute names ``module`` imports: a module, or the module a name is taken from.

    ``from pkg import name`` imports the module ``pkg.name`` when there is one, else
    takes ``name`` from ``pkg`` itself (its ``__init__``, even when it is the importer's own).
    """
    is_package = path.name == "__init__.py"
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = module.split(".") if is_package else module.split(".")[:-1]
                package = package[: len(package) - (node.level - 1)]
                base = ".".join([*package, *([base] if base else [])])
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                yield submodule if submodule in modules else base


def import_graph(root: Path) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """``(edges, outside)``: the modules of the package each module imports (with the
    packages that importing them runs), and the top-level names it imports from outside."""
    modules = module_files(root)
    edges: dict[str, set[str]] = {}
    outside: dict[str, set[str]] = {}
    for module, path in modules.items():
        edges[module], outside[module] = set(), set()
        for name in imported_names(module, path, modules):
            if name.split(".")[0] != PACKAGE:
                outside[module].add(name.split(".")[0])
            elif name in modules:
                edges[module] |= {name, *ancestors_run_by(module, name)}
        edges[module].discard(module)
    return edges, outside


def ancestors_run_by(importer: str, imported: str) -> Iterator[str]:
    """The packages whose ``__init__`` importing ``imported`` runs, except ``importer``'s own."""
    parts = imported.split(".")
    for depth in range(1, len(parts)):
        package = ".".join(parts[:depth])
        if importer != package and not importer.startswith(package + "."):
            yield package


def circles(edges: dict[str, set[str]]) -> list[list[str]]:
    """One circle of modules per group of modules that import one another (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for other in sorted(edges[module]):
            if other not in index:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in stack:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            group = set()
            while (member := stack.pop()) != module:
                group.add(member)
            if group:
                found.append(circle_through(module, group | {module}, edges))

    for module in sorted(edges):
        if module not in index:
            visit(module)
    return found


def circle_through(start: str, group: set[str], edges: dict[str, set[str]]) -> list[str]:
    """A shortest path of imports from ``start`` back to itself, inside ``group``."""
    paths = {start: [start]}
    frontier = [start]
    while frontier:
        following = []
        for module in frontier:
            for other in sorted(edges[module] & group):
                if other == start:
                    return [*paths[module], start]
                if other not in paths:
                    paths[other] = [*paths[module], other]
                    following.append(other)
        frontier = following
    raise AssertionError(f"no circle through {start}")


def wing_of(module: str, layer: str, modules: Iterable[str]) -> str | None:
    """The wing (a subpackage) of a module of ``quiz.<layer>``; None for a module at the root."""
    parts = module.split(".")
    if parts[:2] != [PACKAGE, layer] or len(parts) < 3:
        return None
    wing = ".".join(parts[:3])
    return parts[2] if any(other.startswith(wing + ".") for other in modules) else None


def crossings(edges: dict[str, set[str]], layer: str) -> Iterable[tuple[str, str, str, str]]:
    """``(module, its wing, imported module, that wing)`` for imports between wings of a layer."""
    for module, imported in sorted(edges.items()):
        wing = wing_of(module, layer, edges)
        for other in sorted(imported):
            other_wing = wing_of(other, layer, edges)
            if wing and other_wing and other_wing != wing:
                yield module, wing, other, other_wing


@pytest.fixture(scope="module")
def graph() -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """The import graph of the package as it is in this checkout."""
    return import_graph(Path(os.environ.get("QUIZ_LAYOUT_ROOT", REPO_ROOT)))


def test_no_module_imports_itself_through_others(graph) -> None:
    edges, _ = graph
    found = [" -> ".join(circle) for circle in circles(edges)]
    assert found == [], "import circles:\n" + "\n".join(found)


def test_the_pipeline_runs_without_the_web_and_the_database(graph) -> None:
    edges, outside = graph
    pipeline = {module for module in edges if module.split(".")[:2] == [PACKAGE, "generate"]}
    assert pipeline, "no quiz.generate modules found"
    leaks = sorted(
        f"{module} imports {name}"
        for module in pipeline
        for name in {*outside[module], *edges[module]}
        if name.startswith(WEB_AND_DATABASE) or name.startswith(f"{PACKAGE}.") and name not in pipeline
    )
    assert leaks == []


def test_services_import_no_views_api_or_command_line(graph) -> None:
    edges, _ = graph
    front_doors = tuple(f"{PACKAGE}.{door}" for door in ("views", "api", "cli"))
    wrong = sorted(
        f"{module} imports {other}"
        for module, imported in edges.items()
        if module.startswith(f"{PACKAGE}.services")
        for other in imported
        if other.startswith(front_doors)
    )
    assert wrong == []


def test_service_wings_import_only_the_wings_below_them(graph) -> None:
    edges, _ = graph
    unknown = {wing for _, wing, _, other in crossings(edges, "services") for wing in (wing, other)}
    assert unknown <= SERVICE_WING_RANKS.keys(), "rank the new wing in SERVICE_WING_RANKS"
    upward = [
        f"{module} ({wing}) imports {other} ({other_wing})"
        for module, wing, other, other_wing in crossings(edges, "services")
        if SERVICE_WING_RANKS[other_wing] >= SERVICE_WING_RANKS[wing]
    ]
    assert upward == []


def test_platform_services_import_no_wing(graph) -> None:
    edges, _ = graph
    wrong = sorted(
        f"{module} imports {other}"
        for module, imported in edges.items()
        if module.startswith(f"{PACKAGE}.services.") and wing_of(module, "services", edges) is None
        for other in imported
        if wing_of(other, "services", edges) is not None
    )
    assert wrong == []


def test_view_wings_import_only_the_wings_below_them(graph) -> None:
    edges, _ = graph
    unknown = {wing for _, wing, _, other in crossings(edges, "views") for wing in (wing, other)}
    assert unknown <= VIEW_WING_RANKS.keys(), "rank the new wing in VIEW_WING_RANKS"
    upward = [
        f"{module} ({wing}) imports {other} ({other_wing})"
        for module, wing, other, other_wing in crossings(edges, "views")
        if VIEW_WING_RANKS[other_wing] >= VIEW_WING_RANKS[wing]
    ]
    assert upward == [], "move what both need to the root of quiz.views"


def test_the_checks_see_a_circle_of_two_modules(tmp_path: Path) -> None:
    """The graph finds lazy imports and the packages an import runs (what the tests rely on)."""
    package = tmp_path / PACKAGE
    (package / "wing").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "wing" / "__init__.py").write_text("from . import first\n")
    (package / "wing" / "first.py").write_text("def late():\n    from .second import x\n")
    (package / "wing" / "second.py").write_text("from quiz.wing.first import late\nx = 1\n")
    (package / "other.py").write_text("from .wing.second import x\n")
    edges, _ = import_graph(tmp_path)
    assert circles(edges) == [["quiz.wing.first", "quiz.wing.second", "quiz.wing.first"]]
    assert edges["quiz.other"] == {"quiz.wing", "quiz.wing.second"}
