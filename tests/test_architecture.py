"""The dependency direction of DESIGN.md: web -> planner -> solvers."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# package -> top-level modules it must never import
FORBIDDEN = {
    "solvers": {"planner", "web", "flask", "sqlmodel", "sqlalchemy", "fixtures", "folium"},
    "planner": {"web", "flask", "flask_login", "flask_wtf", "flask_babel"},
    "web": {"ortools", "solvers"},
}
SOLVERS_ALLOWED = {"ortools", "__future__"}


def _imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name.split(".")[0]) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module.split(".")[0]))
    return found


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_imports_follow_the_dependency_direction(package: str) -> None:
    bad = []
    for path in sorted((ROOT / package).rglob("*.py")):
        for line, module in _imports(path):
            if module in FORBIDDEN[package]:
                bad.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    assert not bad, "\n".join(bad)


def test_solvers_use_only_ortools_and_the_standard_library() -> None:
    import sys

    stdlib = set(sys.stdlib_module_names)
    bad = []
    for path in sorted((ROOT / "solvers").rglob("*.py")):
        for line, module in _imports(path):
            if module not in stdlib and module not in SOLVERS_ALLOWED and module != "solvers":
                bad.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    assert not bad, "\n".join(bad)


def test_the_checker_is_independent_of_the_solvers() -> None:
    modules = {m for _, m in _imports(ROOT / "planner" / "check.py")}
    assert not modules & {"ortools", "solvers"}
