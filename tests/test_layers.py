"""The layering of docs/architecture.md, checked on every import in src/csguard.

Translators (api, web, cli, and an area's routes and pages) parse, call a service and render:
they never reach the store or another area's internals, and api and web never import each
other. Lower layers never import upward. A failure names the file, the line and the rule.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "csguard"
# Domain areas: a package each, the same shape (see docs/architecture.md).
AREAS = ("penalties", "buyers", "orders", "team")
# Modules of an area that translators may import: its service(s) and its API schemas.
AREA_PUBLIC = ("service", "schemas")
# The library core, below services: it must not know that a server, a store or QC exist.
CORE = ("text", "rulepacks", "engine", "guard", "results", "vocab", "errors", "privacy", "plugins")
ABOVE_CORE = ("services", "store", "http", "api", "web", "cli", "qc", *AREAS)


def _module_name(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[tuple[int, str]] = []
    package = _module_name(path)
    if path.name != "__init__.py":
        package = package.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                module = f"{base}.{node.module}" if node.module else base
            else:
                module = node.module or ""
            found.append((node.lineno, module))
            # ``from csguard import store`` imports the subpackage itself.
            found.extend((node.lineno, f"{module}.{alias.name}") for alias in node.names)
    return [(line, name) for line, name in found if name == "csguard" or name.startswith("csguard.")]


def _layer(module: str) -> tuple[str, str]:
    """(top-level part, second part) of a csguard module name."""
    parts = [*module.split(".")[1:], "", ""]
    return parts[0], parts[1]


def _is_translator(module: str) -> bool:
    top, sub = _layer(module)
    if top in ("api", "web", "cli"):
        return True
    return (top in AREAS and sub in ("routes", "pages")) or (top in AREAS and sub.endswith(("_routes", "_pages")))


def _mountable(top: str, sub: str) -> tuple[str, ...]:
    """What a translator may import of an area: its public modules, and where api and web
    mount the area's routers, its routes (api) or its pages (web)."""
    if top == "api":
        return (*AREA_PUBLIC, sub) if sub == "routes" or sub.endswith("_routes") else AREA_PUBLIC
    if top == "web":
        return (*AREA_PUBLIC, sub) if sub == "pages" or sub.endswith("_pages") else AREA_PUBLIC
    return AREA_PUBLIC


def _violation(importer: str, imported: str) -> str | None:
    top, _ = _layer(importer)
    itop, isub = _layer(imported)
    if (top == "api" and itop == "web") or (top == "web" and itop == "api"):
        return "api and web never import each other (shared pieces live in csguard.http)"
    if _is_translator(importer):
        if itop == "store":
            return "translators reach data through services, never the store"
        if itop in AREAS and isub and itop != top and isub not in _mountable(top, isub):
            return f"translators use another area only through its {' or '.join(AREA_PUBLIC)} module"
        if top in AREAS and itop == top and isub == "models":
            return "an area's routes and pages use its service, not its rows"
        if itop in ("qc", "engine", "text", "rulepacks"):
            return "translators call services, not the QC pipeline or the engine"
    if top in AREAS and itop in AREAS and itop != top and isub not in AREA_PUBLIC and isub:
        return "areas use each other only through the other area's service"
    if top in CORE and itop in ABOVE_CORE:
        return "the library core (guard, engine, rule packs, text) never imports upward"
    if _is_translator(importer):
        return None
    if top in ("services", "store", "qc", *AREAS) and itop in ("api", "web", "cli", "http"):
        return "services and below never import the translators"
    return None


def _all_imports() -> list[tuple[str, int, str, str]]:
    rows = []
    for path in sorted(SRC.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        importer = _module_name(path)
        for line, imported in _imports(path):
            rows.append((f"{path.relative_to(SRC.parent)}:{line}", line, importer, imported))
    return rows


def test_every_import_follows_the_layers() -> None:
    problems = [
        f"{where}: {importer} imports {imported}: {why}"
        for where, _, importer, imported in _all_imports()
        if (why := _violation(importer, imported)) is not None
    ]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    ("importer", "imported"),
    [
        ("csguard.api.routes.words", "csguard.store.models"),
        ("csguard.web.pages.overview", "csguard.api.schemas"),
        ("csguard.api.routes.check", "csguard.web.highlight"),
        ("csguard.cli.qc", "csguard.qc.runner"),
        ("csguard.penalties.pages", "csguard.penalties.models"),
        ("csguard.web.pages.agents", "csguard.penalties.machine"),
        ("csguard.web.pages", "csguard.penalties.routes"),
        ("csguard.api.routes", "csguard.penalties.pages"),
        ("csguard.engine.evaluate", "csguard.services.checks"),
        ("csguard.services.checks", "csguard.http.deps"),
    ],
)
def test_the_rules_catch_what_they_forbid(importer: str, imported: str) -> None:
    assert _violation(importer, imported) is not None


@pytest.mark.parametrize(
    ("importer", "imported"),
    [
        ("csguard.api.routes.words", "csguard.services.words"),
        ("csguard.web.pages.overview", "csguard.http.deps"),
        ("csguard.penalties.pages", "csguard.penalties.service"),
        ("csguard.web.pages.agents", "csguard.penalties.service"),
        ("csguard.web.pages", "csguard.penalties.pages"),
        ("csguard.api.routes", "csguard.penalties.routes"),
        ("csguard.penalties.pages", "csguard.http.deps"),
        ("csguard.services.checks", "csguard.guard"),
        ("csguard.guard", "csguard.engine.evaluate"),
    ],
)
def test_the_rules_allow_the_downward_flow(importer: str, imported: str) -> None:
    assert _violation(importer, imported) is None
