"""The sandbox stands alone: standard library only, nothing from the dashboard, and no import
cycle among its own modules, so each can be read (and changed) knowing only what it imports;
its README names every module, in an order where each imports only those named after it."""

from __future__ import annotations

import ast
import graphlib
import re
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


README = SANDBOX / "README.md"


def listed_modules() -> list[str]:
    """The modules sandbox/README.md's "Modules" section names, in its order."""
    section = README.read_text(encoding="utf-8").split("## Modules", 1)[1]
    names: list[str] = []
    package = "sandbox"
    for line in section.splitlines():
        if line.startswith("Validation, `validation/`"):
            package = "sandbox.validation"
        found = re.match(r"- `([\w/]+)(\.py|/)`", line)
        if found:
            stem = found.group(1).rstrip("/")
            names.append(f"{package}.{stem}")
    return names


def test_the_readme_names_every_module_in_an_order_the_imports_follow():
    listed = listed_modules()
    packages = {"sandbox", "sandbox.validation"}
    assert set(listed) == set(MODULES) - packages, "sandbox/README.md's Modules section is stale"
    for index, module in enumerate(listed):
        before = set(listed[:index])
        uses = {name for name in MODULES[module] if name in MODULES} - packages
        assert not uses & before, f"{module} imports a module listed before it: {uses & before}"
