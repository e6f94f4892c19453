"""The layout the architecture promises (docs/architecture.md, README "Layout"):

- no import cycle among the product's modules;
- apps depend one way: enterprises ← projects ← everything else (reports,
  dashboard, notifications, …), and no two apps import each other, even
  through a chain of apps; no product module imports devdata, and no app
  imports khuyencong (the wiring knows the apps, not the reverse);
- no product source file over MAX_LINES lines.

The import graph is read from the source with `ast`. For the cycles among
modules: imports at module level only (including those under a module-level
`if`/`try`), not those inside functions nor under `if TYPE_CHECKING:` —
those run after every module is loaded, or never. For the direction between
apps: every import but those under `if TYPE_CHECKING:`, inside functions too
— an import put off until a call is still a dependency.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAX_LINES = 600
# Files being split elsewhere, allowed past MAX_LINES until that work lands
# (then remove them from here). Empty: enterprises/services.py is split.
BEING_SPLIT: set[str] = set()
DEVDATA = "devdata"
WIRING = "khuyencong"

# The product apps each app may import (itself included): the layers of
# docs/architecture.md. An app not listed (the API, the top) may import every
# product app but devdata and the wiring.
ALLOWED = {
    "enterprises": {"enterprises"},
    "projects": {"enterprises", "projects"},
    # Notifications tell users about projects; every app above may notify.
    "notifications": {"enterprises", "projects", "notifications"},
    # The establishments' own accounts and requests, which become projects.
    "applicants": {"enterprises", "projects", "notifications", "applicants"},
    # The follow-up after support reminds the establishments' accounts;
    # dashboard and reports read its figures.
    "followups": {
        "enterprises",
        "projects",
        "notifications",
        "applicants",
        "followups",
    },
    # The appraisal council scores local projects and tells members through
    # notifications; reports (its minutes) sits above it.
    "appraisal": {"enterprises", "projects", "notifications", "appraisal"},
    # Reports print the councils' minutes and the follow-ups' figures.
    "reports": {
        "enterprises",
        "projects",
        "notifications",
        "applicants",
        "appraisal",
        "followups",
        "reports",
    },
    # The dashboard reads the reports' period rule; the public page the
    # dashboard's coverage; the API (the top) may read everything.
    "dashboard": {
        "enterprises",
        "projects",
        "notifications",
        "applicants",
        "appraisal",
        "followups",
        "reports",
        "dashboard",
    },
    "public": {
        "enterprises",
        "projects",
        "notifications",
        "applicants",
        "appraisal",
        "followups",
        "reports",
        "dashboard",
        "public",
    },
}


def product_apps(root: Path = ROOT) -> list[str]:
    """Top-level packages with an apps.py, devdata excepted, and the wiring."""
    apps = {p.parent.name for p in root.glob("*/apps.py")} - {DEVDATA}
    return sorted(apps | {WIRING})


def source_files(root: Path, apps: list[str]) -> Iterator[Path]:
    for app in apps:
        for path in sorted((root / app).rglob("*.py")):
            if "migrations" not in path.relative_to(root).parts:
                yield path


def module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def module_level_imports(body: list[ast.stmt]) -> Iterator[ast.Import | ast.ImportFrom]:
    for node in body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        elif isinstance(node, ast.If):
            if not _is_type_checking(node.test):
                yield from module_level_imports(node.body)
            yield from module_level_imports(node.orelse)
        elif isinstance(node, ast.Try):
            for block in (node.body, node.orelse, node.finalbody):
                yield from module_level_imports(block)
            for handler in node.handlers:
                yield from module_level_imports(handler.body)


def all_imports(tree: ast.Module) -> Iterator[ast.Import | ast.ImportFrom]:
    """Every import of the module, inside functions and classes too, but not
    under `if TYPE_CHECKING:` (never run)."""
    never = {
        id(inner)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and _is_type_checking(node.test)
        for statement in node.body
        for inner in ast.walk(statement)
    }
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom) and id(node) not in never:
            yield node


def import_graph(
    root: Path, apps: list[str], *, everywhere: bool = False
) -> dict[str, set[str]]:
    """module -> the modules of `apps` (and devdata) it imports at load time
    (with `everywhere`, inside functions too).

    `from a.b import c` points at a.b (Python runs a package before it hands
    out its submodules, so `from . import sibling` inside a package whose
    `__init__` imports the importer is a cycle too) and at the module a.b.c
    when there is one; a name outside the scanned modules is cut back to the nearest one
    (a third-party import points nowhere)."""
    paths = {
        module_name(root, path): path
        for path in source_files(root, [*apps, DEVDATA])
        if path.exists()
    }
    graph: dict[str, set[str]] = {}
    for module, path in paths.items():
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        targets = set()
        found = all_imports(tree) if everywhere else module_level_imports(tree.body)
        for node in found:
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                base = node.module or ""
                if node.level:
                    parent = package.split(".")
                    parent = parent[: len(parent) - node.level + 1]
                    base = ".".join([*parent, *([base] if base else [])])
                names = [
                    base,
                    *(
                        f"{base}.{alias.name}"
                        for alias in node.names
                        if f"{base}.{alias.name}" in paths
                    ),
                ]
            for name in names:
                while name and name not in paths:
                    name = name.rpartition(".")[0]
                if name and name != module:
                    targets.add(name)
        graph[module] = targets
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan),
    each as the sorted list of its modules."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


def app_graph(graph: dict[str, set[str]], apps: list[str]) -> dict[str, set[str]]:
    """app -> the other apps of `apps` its modules import (the wiring left
    out: it knows every app, and wrong_way_imports keeps apps off it)."""
    edges: dict[str, set[str]] = {app: set() for app in apps if app != WIRING}
    for module, targets in graph.items():
        app = module.split(".")[0]
        if app not in edges:
            continue
        edges[app] |= {t.split(".")[0] for t in targets} & set(edges) - {app}
    return edges


def wrong_way_imports(graph: dict[str, set[str]], apps: list[str]) -> list[str]:
    wrong = []
    for module, targets in sorted(graph.items()):
        app = module.split(".")[0]
        if app not in apps:
            continue
        for target in sorted(targets):
            other = target.split(".")[0]
            if other == app:
                continue
            refused = other in (DEVDATA, WIRING) or (
                app in ALLOWED and other not in ALLOWED[app]
            )
            if refused:
                wrong.append(f"{module} -> {target}")
    return wrong


def test_no_import_cycle_among_product_modules():
    apps = product_apps()
    graph = import_graph(ROOT, apps)
    assert cycles({m: t for m, t in graph.items() if m.split(".")[0] in apps}) == []


def test_apps_depend_one_way():
    apps = product_apps()
    graph = import_graph(ROOT, apps, everywhere=True)
    assert wrong_way_imports(graph, apps) == []
    assert cycles(app_graph(graph, apps)) == []


def test_no_product_file_over_the_line_limit():
    long_files = [
        f"{path.relative_to(ROOT)}: {lines}"
        for path in source_files(ROOT, product_apps())
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
        and str(path.relative_to(ROOT)) not in BEING_SPLIT
    ]
    assert long_files == []


def test_the_checks_see_a_cycle_and_a_wrong_way_import(tmp_path):
    """The checks above pass on the real tree; this one shows they can fail,
    on a small made-up tree."""
    files = {
        "enterprises/apps.py": "",
        "enterprises/models.py": "from projects.models import Project\n",
        "projects/apps.py": "",
        "projects/__init__.py": "",
        "projects/models/__init__.py": "from .core import Project\n",
        "projects/models/core.py": (
            "from typing import TYPE_CHECKING\n"
            "if TYPE_CHECKING:\n    from projects.rules import Rule\n"
            "from ..rules import check\n"
        ),
        "projects/rules.py": (
            "from projects import models\ndef late():\n    from devdata import demo\n"
        ),
        "devdata/demo.py": "",
        # Two apps above projects that import each other, one of them only
        # inside a function: no cycle among modules, but one between apps.
        "reports/apps.py": "",
        "reports/views.py": "def late():\n    from dashboard import board\n",
        "dashboard/apps.py": "",
        "dashboard/board.py": (
            "from typing import TYPE_CHECKING\n"
            "if TYPE_CHECKING:\n    from enterprises import models\n"
            "from reports import views\n"
        ),
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    apps = product_apps(tmp_path)
    graph = import_graph(tmp_path, apps)
    everywhere = import_graph(tmp_path, apps, everywhere=True)

    assert cycles(graph) == [
        ["projects.models", "projects.models.core", "projects.rules"]
    ]
    assert wrong_way_imports(graph, apps) == ["enterprises.models -> projects.models"]
    assert wrong_way_imports(everywhere, apps) == [
        "enterprises.models -> projects.models",
        "projects.rules -> devdata.demo",
        "reports.views -> dashboard.board",
    ]
    assert cycles(app_graph(everywhere, apps)) == [["dashboard", "reports"]]
