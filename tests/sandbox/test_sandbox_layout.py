"""The sandbox stands alone: standard library only, nothing from the dashboard, and no import
cycle among its own modules, so each can be read (and changed) knowing only what it imports."""

from __future__ import annotations

import ast
import graphlib
import sys
from pathlib import Path

SANDBOX = Path(__file__).resolve().parents[2] / "sandbox"


def module_name(path: Path) -> str:
    parts = path.relative_to(SANDBOX.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(path: Path) -> set[str]:
    """Every module an import statement of `path` names, wherever the statement sits."""
    package = module_name(path) if path.name == "__init__.py" else module_name(path.parent)
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")[: len(package.split(".")) - node.level + 1]
            module = node.module or ""
            if node.level:
                module = ".".join([*base, module] if module else base)
            names.add(module)
            names.update(f"{module}.{alias.name}" for alias in node.names)
    return names


MODULES = {module_name(path): imported(path) for path in SANDBOX.rglob("*.py")}


def test_the_sandbox_imports_only_the_standard_library_and_itself():
    outside = {
        (module, name)
        for module, names in MODULES.items()
        for name in names
        if name.split(".")[0] not in sys.stdlib_module_names and name.split(".")[0] != "sandbox"
    }
    # `from typing import Any` also yields "typing.Any": only the top level counts.
    assert not outside


def test_no_import_cycle_in_the_sandbox():
    graph = {
        module: {name for name in names if name in MODULES and name != module}
        for module, names in MODULES.items()
    }
    # Raises CycleError naming the modules of a cycle, if there is one.
    order = list(graphlib.TopologicalSorter(graph).static_order())
    assert "sandbox.demo" in order and "sandbox.validation.engine" in order
