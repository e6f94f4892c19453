"""Shared test code lives in tests/factories.py, tests/builders.py,
tests/readers.py and the conftests' fixtures: no test file imports a conftest
(pytest loads those itself) or a test module (importing one collects its
tests, or its fixtures, a second time)."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def imported_modules(path: Path) -> list[str]:
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            names.append("." * node.level + (node.module or ""))
            names += [f"{node.module or ''}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
    return names


def test_no_test_file_imports_a_conftest_or_a_test_module():
    offending = [
        f"{path.relative_to(TESTS)}: {name}"
        for path in sorted(TESTS.rglob("*.py"))
        for name in imported_modules(path)
        if any(
            part == "conftest" or part.startswith("test_")
            for part in name.replace(".", " ").split()
        )
    ]
    assert offending == []
